//! `h5sink pack --append`: add datasets and rows to an existing file, in
//! place. Every input is checked against the file first, so a refused run
//! writes nothing; a failure while writing cuts the file back to its old
//! length, which holds its old contents (h5sink writes changes only past
//! the old end, and the superblock only when closing, which never
//! happens then).

use std::fs;
use std::time::Instant;

use h5sink::format::datatype::Datatype;
use h5sink::{Dataset, Error, H5Type};

use crate::args::Opts;
use crate::csv;
use crate::npy::Kind;
use crate::pack::{self, AttrValue, Input, Source};
use crate::stream::Target;
use crate::{err, Fail};

/// What happens to one input.
enum Plan {
    Create,
    Append(Dataset),
}

/// The element type an input is stored as by pack.
fn input_dtype(i: &Input) -> Datatype {
    match &i.source {
        Source::Npy(h, _) => match h.kind {
            Kind::Bool => bool::DATATYPE,
            Kind::U8 => u8::DATATYPE,
            Kind::I8 => i8::DATATYPE,
            Kind::U16 => u16::DATATYPE,
            Kind::I16 => i16::DATATYPE,
            Kind::U32 => u32::DATATYPE,
            Kind::I32 => i32::DATATYPE,
            Kind::U64 => u64::DATATYPE,
            Kind::I64 => i64::DATATYPE,
            Kind::F16 => half::f16::DATATYPE,
            Kind::F32 => f32::DATATYPE,
            Kind::F64 => f64::DATATYPE,
        },
        Source::Csv(s) if s.integers => i64::DATATYPE,
        Source::Csv(_) => f64::DATATYPE,
    }
}

fn dims(d: &[u64]) -> String {
    let d: Vec<String> = d.iter().map(u64::to_string).collect();
    format!("({})", d.join(", "))
}

/// The dataset `name` if it exists; `None` if it can be created (each
/// group along its path exists or is missing); an error otherwise.
fn existing(file: &h5sink::File, name: &str) -> Result<Option<Dataset>, String> {
    let missing = |e: &Error| matches!(e, Error::NotFound { .. });
    let parts: Vec<&str> = name.split('/').filter(|p| !p.is_empty()).collect();
    for k in 1..parts.len() {
        let prefix = parts[..k].join("/");
        match file.group(&prefix) {
            Ok(_) => continue,
            Err(e) if !missing(&e) => return Err(format!("/{prefix}: {e}")),
            Err(_) => {}
        }
        return match file.dataset(&prefix) {
            Ok(_) => Err(format!("/{prefix} is a dataset, not a group")),
            Err(e) if missing(&e) => Ok(None),
            Err(e) => Err(format!("/{prefix}: {e}")),
        };
    }
    if file.group(name).is_ok() {
        return Err(format!("/{name} is a group, not a dataset"));
    }
    match file.dataset(name) {
        Ok(ds) => Ok(Some(ds)),
        Err(e) if missing(&e) => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

/// Whether `input`'s rows can be appended to `ds`; the reason if not.
fn check_append(ds: &Dataset, input: &Input) -> Result<(), String> {
    let name = ds.name();
    let (want, have) = (ds.dtype(), input_dtype(input));
    let csv_ints_as_f64 =
        matches!(&input.source, Source::Csv(s) if s.integers) && want == Some(f64::DATATYPE);
    if want != Some(have) && !csv_ints_as_f64 {
        return Err(format!(
            "cannot append to dataset {name}: element type differs (dataset: {}, input: {}); \
             no type is converted",
            ds.dtype_description(),
            have.describe()
        ));
    }
    if let Source::Csv(s) = &input.source {
        if csv_ints_as_f64 && s.max_abs_int > 1 << 53 {
            return Err(format!(
                "cannot append to float64 dataset {name}: the integer {} (in magnitude) is not \
                 exact in float64",
                s.max_abs_int
            ));
        }
    }
    let shape = ds.shape();
    let (Some((&rows, ds_row)), Some((&n, in_row))) =
        (shape.split_first(), input.shape.split_first())
    else {
        return Err(format!(
            "cannot append to dataset {name}: {} is a scalar (shape: dataset {}, input {})",
            if shape.is_empty() {
                "the dataset"
            } else {
                "the input"
            },
            dims(&shape),
            dims(&input.shape)
        ));
    };
    if ds_row != in_row {
        return Err(format!(
            "cannot append to dataset {name}: row shape differs (dataset rows: {}, input rows: {})",
            dims(ds_row),
            dims(in_row)
        ));
    }
    let max = ds.max_shape().first().copied().flatten();
    if !ds.is_chunked() || max.is_some_and(|m| m <= rows) {
        return Err(format!(
            "cannot append to dataset {name}: not resizable (shape {}, maximum shape {}); \
             create it with pack --resizable or h5py's maxshape=(None, ...)",
            dims(&shape),
            dims(
                &ds.max_shape()
                    .iter()
                    .map(|m| m.unwrap_or(u64::MAX))
                    .collect::<Vec<_>>()
            )
        ));
    }
    if let Some(m) = max.filter(|&m| m - rows < n) {
        return Err(format!(
            "cannot append to dataset {name}: room for {} more rows (maximum {m}), the input has {n}",
            m - rows
        ));
    }
    if let Source::Csv(csv::Scan {
        header: Some(h), ..
    }) = &input.source
    {
        if let Ok(a) = ds.attr("column_names") {
            let old = a
                .read_strings()
                .map_err(|e| format!("{name}: column_names: {e}"))?;
            if old != h.names {
                return Err(format!(
                    "cannot append to dataset {name}: CSV header {:?} differs from its \
                     column_names {old:?}",
                    h.names
                ));
            }
        }
    }
    Ok(())
}

/// Check every input, the class names and the attributes against `file`.
fn plan(
    file: &h5sink::File,
    inputs: &[Input],
    class_names: Option<&[String]>,
    o: &Opts,
) -> Result<(Vec<Plan>, bool), String> {
    let mut plans = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let named = |m: String| format!("{}: {m}", input.what());
        if let Some(other) = inputs[..i]
            .iter()
            .chain(&inputs[i + 1..])
            .find(|o| o.name.starts_with(&format!("{}/", input.name)))
        {
            return Err(named(format!(
                "{} is also a group of {}",
                input.name,
                other.what()
            )));
        }
        plans.push(match existing(file, &input.name).map_err(named)? {
            None => Plan::Create,
            Some(ds) => {
                check_append(&ds, input).map_err(named)?;
                Plan::Append(ds)
            }
        });
    }
    let mut new_labels = false;
    if let Some(names) = class_names {
        match existing(file, "label_names").map_err(|m| format!("--class-names: {m}"))? {
            None => new_labels = true,
            Some(ds) if ds.read_strings().is_ok_and(|old| old == names) => {}
            Some(_) => {
                return Err(
                    "--class-names: dataset label_names exists and holds other names \
                            (it is never replaced)"
                        .into(),
                )
            }
        }
    }
    for (k, v) in &o.attrs {
        let Ok(a) = file.attr(k) else { continue };
        let same = match AttrValue::parse(v) {
            AttrValue::Int(i) => a.read_raw::<i64>().is_ok_and(|x| x == [i]),
            AttrValue::Float(f) => a.read_raw::<f64>().is_ok_and(|x| x == [f]),
            AttrValue::Str(s) => a.read_strings().is_ok_and(|x| x == [s]),
        };
        if !same {
            return Err(format!(
                "--attr {k}: the root attribute {k} exists with another value or type \
                 (attributes are never replaced)"
            ));
        }
    }
    Ok((plans, new_labels))
}

pub fn append(o: &Opts) -> Result<(), Fail> {
    let start = Instant::now();
    let out = o.out.display().to_string();
    let old_len = match fs::metadata(&o.out) {
        Ok(m) if m.is_file() => m.len(),
        Ok(_) => return err(format!("{out} is not a file")),
        Err(e) => {
            return err(format!(
                "{out}: cannot append: {e} (--append adds to an existing file; without it, pack creates one)"
            ))
        }
    };
    let pack::Checked {
        mut inputs,
        rows,
        class_names,
    } = pack::check_inputs(o)?;
    let file = h5sink::File::open_rw(&o.out).map_err(pack::h5err(&out))?;
    let (plans, new_labels) = match plan(&file, &inputs, class_names.as_deref(), o) {
        Ok(p) => p,
        Err(m) => {
            // Nothing changed: closing writes nothing.
            file.close().map_err(pack::h5err(&out))?;
            return err(m);
        }
    };
    let appended = plans
        .iter()
        .filter(|p| matches!(p, Plan::Append(_)))
        .count();
    let total: u64 = inputs.iter().map(|i| i.bytes).sum();
    let progress = pack::progress_bar(total);
    let mut result = Ok(());
    for (input, plan) in inputs.iter_mut().zip(plans) {
        progress.set_message(pack::label(&input.name));
        let name = input.name.clone();
        let target = match plan {
            Plan::Create => Target::New(&file, &name),
            Plan::Append(ds) => Target::Append(ds),
        };
        result = pack::write_input(input, target, o, &progress);
        if result.is_err() {
            break;
        }
    }
    progress.finish_and_clear();
    if let (Ok(()), Some(names), true) = (&result, &class_names, new_labels) {
        result = pack::write_class_names(&file, names);
    }
    if result.is_ok() {
        result = o
            .attrs
            .iter()
            .filter(|(k, _)| file.attr(k).is_err())
            .try_for_each(|(k, v)| pack::write_attr(&file, k, v));
    }
    if let Err(Fail::Error(m)) = result {
        // Never commit: the superblock still describes the old file, and
        // everything written since lies past the old end.
        std::mem::forget(file);
        let cut = fs::OpenOptions::new()
            .write(true)
            .open(&o.out)
            .and_then(|f| f.set_len(old_len));
        return err(match cut {
            Ok(()) => format!("{m}\n({out} is as it was)"),
            Err(e) => format!(
                "{m}\n({out} holds its old contents, but cutting off what was written failed: {e})"
            ),
        });
    }
    result?;
    file.close().map_err(pack::h5err(&out))?;

    let secs = start.elapsed().as_secs_f64();
    let written = fs::metadata(&o.out).map_or(0, |m| m.len().saturating_sub(old_len));
    println!(
        "h5sink: {rows} rows appended to {appended} datasets, {} datasets created -> {out}: \
         {total} bytes read, {written} bytes added, {secs:.3} s, {:.1} MB/s{}",
        inputs.len() - appended + usize::from(new_labels),
        total as f64 / 1e6 / secs.max(1e-9),
        pack::header_note(&inputs)
    );
    Ok(())
}
