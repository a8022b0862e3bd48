//! One random case: its tree of groups, datasets and attributes written with
//! interleaved writes, attributes and flushes, and its manifest.

use super::attrs::{create_attr, create_vlen_attr, Obj};
use super::create::{create_typed, create_vlen, Plan, R};
use super::plans::{gen_attr, gen_dataset, gen_name, AttrSpec, Step};
use super::rng::Rng;
use super::ty::Ty;
use super::types::{Color, Det, Level, Point, Track};
use crate::common::Manifest;
use h5sink::{File, FixedAscii, FixedUnicode, Group};
use std::path::Path;

/// Calls `$f::<T>($args)` for the Rust type of `$ty` (not `Ty::Vlen`).
macro_rules! dispatch {
    ($ty:expr, $f:ident ( $($arg:expr),* )) => {
        match $ty {
            Ty::U8 => $f::<u8>($($arg),*),
            Ty::I8 => $f::<i8>($($arg),*),
            Ty::U16 => $f::<u16>($($arg),*),
            Ty::I16 => $f::<i16>($($arg),*),
            Ty::U32 => $f::<u32>($($arg),*),
            Ty::I32 => $f::<i32>($($arg),*),
            Ty::U64 => $f::<u64>($($arg),*),
            Ty::I64 => $f::<i64>($($arg),*),
            Ty::F32 => $f::<f32>($($arg),*),
            Ty::F64 => $f::<f64>($($arg),*),
            Ty::Bool => $f::<bool>($($arg),*),
            #[cfg(feature = "half")]
            Ty::F16 => $f::<half::f16>($($arg),*),
            Ty::A1 => $f::<FixedAscii<1>>($($arg),*),
            Ty::A7 => $f::<FixedAscii<7>>($($arg),*),
            Ty::U12 => $f::<FixedUnicode<12>>($($arg),*),
            Ty::Color => $f::<Color>($($arg),*),
            Ty::Level => $f::<Level>($($arg),*),
            Ty::Point => $f::<Point>($($arg),*),
            Ty::Det => $f::<Det>($($arg),*),
            Ty::Track => $f::<Track>($($arg),*),
            Ty::Vlen => unreachable!("vlen strings are handled apart"),
        }
    };
}

/// One random operation of the interleaved stream.
enum Op {
    Write(usize),
    Attr(usize),
    Flush,
}

/// Writes case `index` into `dir`: its file and manifest.
pub(crate) fn run_case(dir: &Path, index: u64, seed: u64, verbose: bool) -> R<()> {
    let mut rng = Rng::new(seed);
    let mut m = Manifest::new(&format!("case{index:04}"));
    let file = File::create(m.h5_path(dir))?;
    // Objects: (manifest path, handle).
    let mut groups: Vec<(String, Group)> = vec![(String::new(), (*file).clone())];
    let mut objs: Vec<(String, Obj)> = vec![(String::new(), Obj::G((*file).clone()))];
    let mut plans: Vec<(Box<dyn Plan>, Vec<Step>)> = Vec::new();
    let n_objects = rng.range(1, 7);
    for k in 0..n_objects as usize {
        let (parent_path, parent) = groups[rng.below(groups.len() as u64) as usize].clone();
        let name = gen_name(&mut rng, k);
        let path = if parent_path.is_empty() {
            name.clone()
        } else {
            format!("{parent_path}/{name}")
        };
        if groups.len() < 4 && rng.pct(25) {
            let g = parent.create_group(&name)?;
            m.group(&path);
            groups.push((path.clone(), g.clone()));
            objs.push((path, Obj::G(g)));
        } else {
            let spec = gen_dataset(&mut rng);
            if verbose {
                println!("  {path}: {spec:?}");
            }
            let plan = if spec.ty == Ty::Vlen {
                create_vlen(&parent, &name, &path, &spec, &mut m)?
            } else {
                dispatch!(spec.ty, create_typed(&parent, &name, &path, &spec, &mut m))?
            };
            let ds = file.dataset(&path)?;
            objs.push((path, Obj::D(ds)));
            plans.push((plan, spec.steps));
        }
    }
    let mut attrs: Vec<(usize, AttrSpec)> = Vec::new();
    for _ in 0..rng.range(0, 6) {
        let owner = rng.below(objs.len() as u64) as usize;
        attrs.push((owner, gen_attr(&mut rng)));
    }
    // The operation stream: every dataset's steps in order, attributes and
    // flushes, interleaved at random.
    let mut ops: Vec<Op> = Vec::new();
    let mut next: Vec<usize> = vec![0; plans.len()];
    let mut attr_next = 0;
    loop {
        let mut live: Vec<usize> = (0..plans.len())
            .filter(|&d| next[d] < plans[d].1.len())
            .collect();
        if attr_next < attrs.len() {
            live.push(usize::MAX);
        }
        if live.is_empty() {
            break;
        }
        match rng.pick(&live) {
            usize::MAX => {
                ops.push(Op::Attr(attr_next));
                attr_next += 1;
            }
            d => {
                ops.push(Op::Write(d));
                next[d] += 1;
            }
        }
        if rng.pct(10) {
            ops.push(Op::Flush);
        }
    }
    let mut next: Vec<usize> = vec![0; plans.len()];
    let mut per_owner: Vec<usize> = vec![0; objs.len()];
    for op in ops {
        match op {
            Op::Write(d) => {
                let (plan, steps) = &plans[d];
                let s = &steps[next[d]];
                next[d] += 1;
                plan.step(s)
                    .map_err(|e| format!("dataset #{d} step {s:?}: {e}"))?;
            }
            Op::Attr(k) => {
                let (owner, a) = &attrs[k];
                let (path, obj) = &objs[*owner];
                let name = format!("{}{}", gen_name(&mut rng, per_owner[*owner]), "_attr");
                per_owner[*owner] += 1;
                if verbose {
                    println!("  attr {path:?}/{name}: {a:?}");
                }
                if a.ty == Ty::Vlen {
                    create_vlen_attr(obj, path, &name, a, &mut m)?;
                } else {
                    dispatch!(a.ty, create_attr(obj, path, &name, a, &mut m))?;
                }
            }
            Op::Flush => file.flush()?,
        }
    }
    file.close()?;
    m.write(dir);
    Ok(())
}
