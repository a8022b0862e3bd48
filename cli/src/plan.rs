//! `h5sink plan`: a file whose rows other processes write, one region token
//! per range; `h5sink write-region`: a worker writing its region's rows.

use h5sink::{File, VarLenUnicode};

use crate::args::{PlanArgs, WriteRegionArgs};
use crate::{err, Fail};

// The worker of examples/region_worker.rs (its `main` is not used here).
#[allow(dead_code)]
#[path = "../../examples/region_worker.rs"]
mod region_worker;

/// Labels no worker wrote read as this (as `DatasetWriter`'s `UNWRITTEN_LABEL`).
const UNWRITTEN: i64 = h5sink::UNWRITTEN_LABEL;

fn ranges(a: &PlanArgs) -> Result<Vec<(u64, u64)>, Fail> {
    a.ranges
        .iter()
        .map(|r| {
            let bad = || {
                Fail::Usage(format!(
                    "range {r:?}: expected START:STOP with START < STOP <= --rows {}",
                    a.rows
                ))
            };
            let (s, e) = r.split_once(':').ok_or_else(bad)?;
            let s: u64 = s.parse().map_err(|_| bad())?;
            let e: u64 = e.parse().map_err(|_| bad())?;
            if s < e && e <= a.rows {
                Ok((s, e))
            } else {
                Err(bad())
            }
        })
        .collect()
}

/// Create `a.out` with `features` (rows x dim f32), `labels` (i64, fill -1)
/// and `label_names`; print `START:STOP DATASET TOKEN` per range and dataset.
pub fn plan(a: &PlanArgs) -> Result<(), Fail> {
    let ranges = ranges(a)?;
    if a.dim == 0 || a.rows == 0 {
        return Err(Fail::Usage("--rows and --dim must be at least 1".into()));
    }
    if std::fs::symlink_metadata(&a.out).is_ok() {
        return err(format!("{}: exists (never overwritten)", a.out.display()));
    }
    let made = make(a, &ranges);
    if made.is_err() {
        let _ = std::fs::remove_file(&a.out);
    }
    let lines = made.map_err(|e| Fail::Error(format!("{}: {e}", a.out.display())))?;
    print!("{lines}");
    Ok(())
}

fn make(a: &PlanArgs, ranges: &[(u64, u64)]) -> h5sink::Result<String> {
    let f = File::create(&a.out)?;
    let x = f
        .new_dataset::<f32>()
        .shape(&[a.rows, a.dim])
        .create("features")?;
    let y = f
        .new_dataset::<i64>()
        .shape(&[a.rows])
        .fill_value(UNWRITTEN)
        .create("labels")?;
    if let Some(names) = &a.class_names {
        let names: Vec<&str> = names.split(',').collect();
        f.new_dataset::<VarLenUnicode>()
            .shape(&[names.len() as u64])
            .create("label_names")?
            .write_strings(&names)?;
    }
    let mut lines = String::new();
    for &(s, e) in ranges {
        lines += &format!("{s}:{e} features {}\n", x.region(s, e - s)?);
        lines += &format!("{s}:{e} labels {}\n", y.region(s, e - s)?);
    }
    f.close()?;
    Ok(lines)
}

/// Write stdin's rows into the token's region of `w.file`.
pub fn write_region(w: &WriteRegionArgs) -> Result<(), Fail> {
    let (wrote, rows) = region_worker::copy(&w.file, &w.token, w.sync, std::io::stdin().lock())
        .map_err(|e| Fail::Error(format!("{}: {e}", w.file)))?;
    eprintln!("wrote {wrote} of {rows} rows");
    Ok(())
}
