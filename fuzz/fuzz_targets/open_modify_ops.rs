//! The operations of the `open_modify` target (see `open_modify_run.rs`):
//! each is its first byte modulo 11, its parameters the next bytes; the
//! model (`open_modify_model.rs`) follows every call that returns `Ok`.
#![allow(dead_code)]

use h5sink::format::datatype::Datatype;
use h5sink::{Dataset, Element, File, FixedAscii, Group, VarLenUnicode};

use super::model::{elements, typed, values, Content, Model, Src, Tracked};
use super::no_bug;

#[path = "open_modify_attrs.rs"]
mod attrs;

/// Operations per input.
pub const OPS_MAX: usize = 24;
/// Elements per call.
const ELEMS_MAX: u64 = 4096;
/// Datasets whose chunks hold more bytes are not written.
const CHUNK_MAX: u64 = 64 << 20;
/// Objects collected from the file's tree.
const OBJECTS_MAX: usize = 64;

/// One session on a file opened read-write.
pub struct Session<'a> {
    f: &'a File,
    src: Src<'a>,
    groups: Vec<Group>,
    datasets: Vec<Dataset>,
    /// What the closed file must hold.
    pub model: Model,
    /// Whether any mutating call returned `Ok`.
    pub changed: bool,
}

fn collect(g: &Group, depth: usize, groups: &mut Vec<Group>, datasets: &mut Vec<Dataset>) {
    groups.push(g.clone());
    let Ok(names) = g.member_names() else { return };
    for n in names {
        if groups.len() + datasets.len() >= OBJECTS_MAX {
            return;
        }
        if let Ok(sub) = g.group(&n) {
            if depth < 8 {
                collect(&sub, depth + 1, groups, datasets);
            }
        } else if let Ok(d) = g.dataset(&n) {
            datasets.push(d);
        }
    }
}

impl<'a> Session<'a> {
    /// A session on `f` with operation bytes `ops`.
    pub fn new(f: &'a File, ops: &'a [u8]) -> Self {
        let (mut groups, mut datasets) = (Vec::new(), Vec::new());
        collect(f, 0, &mut groups, &mut datasets);
        Session {
            f,
            src: Src::new(ops),
            groups,
            datasets,
            model: Model::default(),
            changed: false,
        }
    }

    /// Runs the operations until the bytes or `OPS_MAX` run out.
    pub fn run(&mut self) {
        for _ in 0..OPS_MAX {
            if self.src.done() {
                return;
            }
            let op = self.src.u8() % 11;
            if std::env::var_os("H5SINK_FUZZ_VERBOSE").is_some() {
                let shapes: Vec<_> = self
                    .datasets
                    .iter()
                    .map(|d| (d.name().to_string(), d.shape()))
                    .collect();
                eprintln!("op {op}; datasets {shapes:?}");
            }
            match op {
                0 | 1 => self.append_rows(),
                2 => self.append_strings(),
                3 => self.resize(),
                4 => self.write_rows(),
                5 => self.create_group(),
                6 => self.create_dataset(),
                7 => self.create_attr(),
                8 => self.rewrite_attr(),
                9 => self.write_strings(),
                _ => {
                    if let Err(e) = self.f.flush() {
                        no_bug(e);
                    }
                }
            }
        }
    }

    /// A dataset of the file or made by an operation; none whose chunk
    /// holds over `CHUNK_MAX` bytes: a write fills a whole chunk in memory,
    /// legitimate work for the chunk a file declares (as libhdf5 does).
    fn pick_dataset(&mut self) -> Option<Dataset> {
        let n = self.datasets.len();
        let d = (n > 0).then(|| self.datasets[usize::from(self.src.u8()) % n].clone())?;
        let elem = d.dtype().map_or(16, |t| u64::from(t.element_size()));
        let chunk = d
            .chunk()
            .map_or(Some(0), |c| elements(&c).and_then(|k| k.checked_mul(elem)));
        chunk.is_some_and(|b| b <= CHUNK_MAX).then_some(d)
    }

    fn pick_group(&mut self) -> Group {
        let n = self.groups.len();
        self.groups[usize::from(self.src.u8()) % n].clone()
    }

    /// The model entry of `d`, read now if new.
    fn track(&mut self, d: &Dataset) -> &mut Tracked {
        self.model
            .datasets
            .entry(d.name().to_string())
            .or_insert_with(|| Tracked::of(d, false))
    }

    /// A row count: mostly small, sometimes wrong by one element.
    fn count(&mut self, row_len: u64) -> Option<(Option<u64>, usize)> {
        let rows = u64::from(self.src.u8() % 6);
        let extra = u64::from(self.src.u8() % 8 == 0);
        let n = rows.checked_mul(row_len)?.checked_add(extra)?;
        // The rows `n` elements make, if whole.
        let whole = (row_len > 0 && n % row_len == 0).then(|| n / row_len);
        (n <= ELEMS_MAX).then_some((whole, n as usize))
    }

    fn append_rows(&mut self) {
        let Some(d) = self.pick_dataset() else { return };
        let Some(dt) = d.dtype() else { return };
        let Some((rows, n)) = self.count(d.row_len()) else {
            return;
        };
        self.track(&d);
        let src = &mut self.src;
        macro_rules! app {
            ($t:ty) => {
                values::<$t>(src, n).map(|v| (d.append_rows(&v), <$t>::encode(&v).into_owned()))
            };
        }
        let Some(Some((r, bytes))) = typed!(dt, app) else {
            return;
        };
        let old = self.track(&d).shape.clone();
        match r {
            Ok(start) => {
                self.changed = true;
                if d.row_len() == 0 {
                    // Rows of no elements: the model does not follow.
                    self.track(&d).content = Content::Unknown;
                    self.track(&d).set_shape(d.shape());
                    return;
                }
                let rows = rows.unwrap_or_else(|| panic!("{}: a partial row appended", d.name()));
                let t = self.track(&d);
                assert_eq!(
                    Some(&start),
                    old.first(),
                    "{}: append_rows returned {start}",
                    d.name()
                );
                let mut shape = old;
                shape[0] += rows;
                assert_eq!(d.shape(), shape, "{}: shape after append_rows", d.name());
                t.set_shape(shape);
                if let Content::Bytes(b) = &mut t.content {
                    b.extend_from_slice(&bytes);
                }
            }
            Err(e) => {
                no_bug(e);
            }
        }
    }

    fn strings(&mut self, n: usize) -> Vec<String> {
        (0..n).map(|_| self.src.string()).collect()
    }

    fn append_strings(&mut self) {
        let Some(d) = self.pick_dataset() else { return };
        let n = usize::from(self.src.u8() % 5);
        let strings = self.strings(n);
        let old = self.track(&d).shape.clone();
        match d.append_strings(&strings) {
            Ok(start) => {
                self.changed = true;
                assert_eq!(
                    d.dtype(),
                    Some(Datatype::VlenUtf8),
                    "{}: strings appended",
                    d.name()
                );
                assert_eq!(
                    Some(&start),
                    old.first(),
                    "{}: append_strings returned {start}",
                    d.name()
                );
                let row_len = d.row_len().max(1);
                let shape = d.shape();
                if n as u64 % row_len == 0 {
                    assert_eq!(
                        shape[0],
                        old[0] + n as u64 / row_len,
                        "{}: rows after append_strings",
                        d.name()
                    );
                }
                let t = self.track(&d);
                t.set_shape(shape);
                if let Content::Strings(s) = &mut t.content {
                    if n as u64 % row_len == 0 {
                        s.extend(strings);
                    } else {
                        t.content = super::model::read_dataset(&d);
                    }
                }
            }
            Err(e) => {
                no_bug(e);
            }
        }
    }

    fn resize(&mut self) {
        let Some(d) = self.pick_dataset() else { return };
        let mut shape = d.shape();
        const DIMS: [u64; 8] = [0, 1, 2, 7, 1 << 32, 1 << 40, i64::MAX as u64, u64::MAX];
        match self.src.u8() % 4 {
            0 => match shape.first_mut() {
                Some(r) => *r = r.saturating_add(u64::from(self.src.u8() % 8)),
                None => shape.push(1),
            },
            1 => match shape.first_mut() {
                Some(r) => *r = r.saturating_sub(1),
                None => return,
            },
            2 => shape
                .iter_mut()
                .for_each(|x| *x = DIMS[usize::from(self.src.u8() % 8)]),
            _ => shape.push(u64::from(self.src.u8() % 3)),
        }
        self.track(&d);
        match d.resize(&shape) {
            Ok(()) => {
                self.changed = true;
                assert_eq!(d.shape(), shape, "{}: shape after resize", d.name());
                let content = super::model::read_dataset(&d);
                let t = self.track(&d);
                t.set_shape(shape);
                t.content = content;
            }
            Err(e) => {
                no_bug(e);
            }
        }
    }

    fn write_rows(&mut self) {
        let Some(d) = self.pick_dataset() else { return };
        let Some(dt) = d.dtype() else { return };
        let rows_now = d.rows();
        let start = match self.src.u8() % 4 {
            0 => 0,
            1 => rows_now.saturating_sub(1),
            2 => rows_now,
            _ => self.src.u64(),
        };
        let Some((rows, n)) = self.count(d.row_len()) else {
            return;
        };
        self.track(&d);
        let src = &mut self.src;
        macro_rules! put {
            ($t:ty) => {
                values::<$t>(src, n)
                    .map(|v| (d.write_rows(start, &v), <$t>::encode(&v).into_owned()))
            };
        }
        let Some(Some((r, bytes))) = typed!(dt, put) else {
            return;
        };
        match r {
            Ok(()) => {
                self.changed = true;
                let Some(rows) = rows else {
                    assert_eq!(d.row_len(), 0, "{}: a partial row written", d.name());
                    return;
                };
                assert!(
                    start.saturating_add(rows) <= rows_now,
                    "{}: rows past the end written",
                    d.name()
                );
                let row_bytes = d.row_len() * u64::from(dt.element_size());
                if let Content::Bytes(b) = &mut self.track(&d).content {
                    let at = (start * row_bytes) as usize;
                    b[at..at + bytes.len()].copy_from_slice(&bytes);
                }
            }
            Err(e) => {
                no_bug(e);
            }
        }
    }

    fn create_group(&mut self) {
        let parent = self.pick_group();
        let name = self.src.name();
        match parent.create_group(&name) {
            Ok(g) => {
                self.changed = true;
                self.groups.push(g);
            }
            Err(e) => {
                no_bug(e);
            }
        }
    }

    fn create_dataset(&mut self) {
        let parent = self.pick_group();
        let name = self.src.name();
        let rank = self.src.u8() % 3;
        let mut shape: Vec<u64> = (0..rank).map(|_| u64::from(self.src.u8() % 5)).collect();
        let layout = self.src.u8();
        let chunked = layout % 3 == 1;
        if chunked && shape.is_empty() {
            shape.push(0);
        }
        let chunk: Vec<u64> = shape
            .iter()
            .map(|_| 1 + u64::from(self.src.u8() % 4))
            .collect();
        macro_rules! make {
            ($t:ty) => {{
                let mut b = parent.new_dataset::<$t>().shape(&shape);
                if chunked {
                    b = b.chunk(&chunk).resizable();
                    if layout & 8 != 0 {
                        b = b.deflate(1).shuffle();
                    }
                } else if layout % 3 == 2 {
                    b = b.compact();
                }
                b.create(&name)
            }};
        }
        let r = match self.src.u8() % 5 {
            0 => make!(u8),
            1 => make!(i32),
            2 => make!(f64),
            3 => make!(bool),
            _ => make!(VarLenUnicode),
        };
        match r {
            Ok(d) => {
                self.changed = true;
                let t = Tracked::of(&d, true);
                self.model.datasets.insert(d.name().to_string(), t);
                self.datasets.push(d);
            }
            Err(e) => {
                no_bug(e);
            }
        }
    }
}
