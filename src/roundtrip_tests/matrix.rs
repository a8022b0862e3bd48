//! Every element type h5sink writes, in every layout: written in memory,
//! reopened with `File::open_storage` and read back exactly; then opened
//! with `File::open_rw_storage`, grown (rows appended to resizable datasets,
//! one a partly filled compressed chunk), written (a contiguous row) and
//! added to (a new dataset), read in the session and after reopening.

use super::sample::{new_file, reopen, same, samples, Color, Det, Sample};
use crate::{File, Filter, FixedAscii, FixedUnicode, Layout};

const ROWS: u64 = 5;
const COLS: u64 = 3;
const N: u64 = ROWS * COLS;

/// A group name for a type name such as `[u16; 3]`.
fn group_of(ty: &str) -> String {
    ty.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
}

/// The datasets of one element type, in their own group.
fn write_all<T: Sample>(f: &File, ty: &str) {
    let g = f.create_group(&group_of(ty)).unwrap();
    let v = samples::<T>(0, N);
    let new = || g.new_dataset::<T>().shape(&[ROWS, COLS]);
    new().create("contiguous").unwrap().write_raw(&v).unwrap();
    new()
        .compact()
        .create("compact")
        .unwrap()
        .write_raw(&v)
        .unwrap();
    let chunked = new().chunk(&[2, COLS]).create("chunked").unwrap();
    chunked.write_rows(0, &v[..6]).unwrap();
    chunked.write_rows(2, &v[6..]).unwrap();
    let filtered = new().chunk(&[2, COLS]).shuffle().deflate(6).fletcher32();
    filtered.create("filtered").unwrap().write_raw(&v).unwrap();
    // Edge chunks in both dimensions.
    new()
        .chunk(&[3, 2])
        .deflate(1)
        .create("edge")
        .unwrap()
        .write_raw(&v)
        .unwrap();
    let r = g
        .new_dataset::<T>()
        .shape(&[0, COLS])
        .chunk(&[4, COLS])
        .resizable();
    let r = r.shuffle().deflate(4).create("resizable").unwrap();
    assert_eq!(r.append_rows(&v[..6]).unwrap(), 0);
    f.flush().unwrap(); // a commit between appends
    assert_eq!(r.append_rows(&v[6..]).unwrap(), 2);
    g.new_dataset::<T>()
        .create("scalar")
        .unwrap()
        .write_scalar(&v[4])
        .unwrap();
    g.new_dataset::<T>()
        .shape(&[0, COLS])
        .create("empty")
        .unwrap();
    let e = g
        .new_dataset::<T>()
        .shape(&[0, COLS])
        .chunk(&[4, COLS])
        .resizable();
    e.create("empty_resizable").unwrap();
    g.new_dataset::<T>()
        .shape(&[4, 0])
        .create("zero_width")
        .unwrap();
}

/// Changes through `File::open_rw_storage`.
fn grow<T: Sample>(f: &File, ty: &str) {
    let g = f.group(&group_of(ty)).unwrap();
    let r = g.dataset("resizable").unwrap();
    assert_eq!(r.append_rows(&samples::<T>(100, 2 * COLS)).unwrap(), ROWS);
    let c = g.dataset("contiguous").unwrap();
    c.write_rows(0, &samples::<T>(200, COLS)).unwrap();
    let e = g.dataset("empty_resizable").unwrap();
    e.append_rows(&samples::<T>(300, COLS)).unwrap();
    let a = g
        .new_dataset::<T>()
        .shape(&[2, COLS])
        .create("added")
        .unwrap();
    a.write_raw(&samples::<T>(400, 2 * COLS)).unwrap();
}

/// Everything of [`write_all`] (and, if `grown`, of [`grow`]) reads back.
fn check_all<T: Sample>(f: &File, ty: &str, grown: bool) {
    let g = f.group(&group_of(ty)).unwrap();
    let v = samples::<T>(0, N);
    for name in [
        "contiguous",
        "compact",
        "chunked",
        "filtered",
        "edge",
        "resizable",
    ] {
        let what = format!("{ty}/{name} (grown: {grown})");
        let ds = g.dataset(name).unwrap();
        let mut want = v.clone();
        if grown && name == "resizable" {
            want.extend(samples::<T>(100, 2 * COLS));
        }
        if grown && name == "contiguous" {
            want[..COLS as usize].copy_from_slice(&samples::<T>(200, COLS));
        }
        // Compounds, enums and arrays read from a file have no static
        // Datatype (None); read_raw::<T> checks their layout below.
        if let Some(dt) = ds.dtype() {
            assert_eq!(dt, T::DATATYPE, "{what}");
        }
        assert_eq!(ds.shape(), [want.len() as u64 / COLS, COLS], "{what}");
        same(&ds.read_raw::<T>().unwrap(), &want, &what);
        let rows = ds.read_rows::<T>(1, 3).unwrap();
        same(&rows, &want[COLS as usize..4 * COLS as usize], &what);
    }
    let layout = |name: &str| g.dataset(name).unwrap().layout();
    assert_eq!(layout("contiguous"), Layout::Contiguous);
    assert_eq!(layout("compact"), Layout::Compact);
    let filtered = g.dataset("filtered").unwrap();
    let pipeline = [Filter::Shuffle, Filter::Deflate(6), Filter::Fletcher32];
    assert_eq!(filtered.filters(), pipeline);
    assert_eq!(g.dataset("edge").unwrap().chunk(), Some(vec![3, 2]));
    let r = g.dataset("resizable").unwrap();
    assert_eq!(
        (r.max_shape(), r.chunk()),
        (vec![None, Some(COLS)], Some(vec![4, COLS]))
    );
    let s = g.dataset("scalar").unwrap();
    assert!(s.shape().is_empty());
    same(&[s.read_scalar::<T>().unwrap()], &v[4..5], ty);
    let e = g.dataset("empty").unwrap();
    assert_eq!(e.shape(), [0, COLS]);
    assert!(e.read_raw::<T>().unwrap().is_empty() && e.read_rows::<T>(0, 0).unwrap().is_empty());
    let z = g.dataset("zero_width").unwrap();
    assert_eq!(z.shape(), [4, 0]);
    assert!(z.read_raw::<T>().unwrap().is_empty());
    let er = g
        .dataset("empty_resizable")
        .unwrap()
        .read_raw::<T>()
        .unwrap();
    let want = if grown {
        samples::<T>(300, COLS)
    } else {
        Vec::new()
    };
    same(&er, &want, &format!("{ty}/empty_resizable"));
    let mut members = vec!["chunked", "compact", "contiguous", "edge", "empty"];
    members.extend([
        "empty_resizable",
        "filtered",
        "resizable",
        "scalar",
        "zero_width",
    ]);
    if grown {
        members.insert(0, "added");
        let added = g.dataset("added").unwrap().read_raw::<T>().unwrap();
        same(&added, &samples::<T>(400, 2 * COLS), &format!("{ty}/added"));
    }
    assert_eq!(g.member_names().unwrap(), members);
}

/// Write every type of the list, reopen read-only, read; open read-write,
/// read, grow, read; reopen, read.
macro_rules! round_trip {
    ($(#[$m:meta])* $test:ident: $($t:ty),*) => {
        #[test]
        $(#[$m])*
        fn $test() {
            let (f, mem) = new_file();
            $(write_all::<$t>(&f, stringify!($t));)*
            f.close().unwrap();
            let r = reopen(&mem);
            $(check_all::<$t>(&r, stringify!($t), false);)*
            drop(r);
            let w = File::open_rw_storage(mem.clone()).unwrap();
            $(check_all::<$t>(&w, stringify!($t), false);)*
            $(grow::<$t>(&w, stringify!($t));)*
            $(check_all::<$t>(&w, stringify!($t), true);)*
            w.close().unwrap();
            let r = reopen(&mem);
            $(check_all::<$t>(&r, stringify!($t), true);)*
        }
    };
}

round_trip!(numbers: u8, i8, u16, i16, u32, i32, u64, i64, f32, f64);
#[cfg(feature = "half")]
round_trip!(f16: half::f16);
round_trip!(bools: bool);
round_trip!(fixed_strings: FixedAscii<5>, FixedUnicode<8>);

round_trip!(arrays: [u16; 3], [[i8; 2]; 2]);
round_trip!(enums: Color);
round_trip!(compounds: Det);
