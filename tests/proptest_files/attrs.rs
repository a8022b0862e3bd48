//! Creating the random attributes on groups and datasets, and their manifest
//! entries.

use super::create::R;
use super::plans::AttrSpec;
use super::ty::{elements, vlen_strings};
use super::types::Gen;
use crate::common::{Data, Manifest};
use h5sink::{Dataset, Group, VarLenUnicode};

#[derive(Clone)]
pub(crate) enum Obj {
    G(Group),
    D(Dataset),
}

macro_rules! on_obj {
    ($obj:expr, $o:ident => $e:expr) => {
        match $obj {
            Obj::G($o) => $e,
            Obj::D($o) => $e,
        }
    };
}

pub(crate) fn create_attr<T: Gen>(
    obj: &Obj,
    owner: &str,
    name: &str,
    a: &AttrSpec,
    m: &mut Manifest,
) -> R<()> {
    let n: u64 = a.shape.iter().product();
    let vals: Vec<T> = elements(n, a.seed);
    match (a.shape.len(), a.builder) {
        (0, true) => {
            drop(on_obj!(obj, o => o.new_attr_builder().with_scalar(&vals[0]).create(name))?)
        }
        (1, true) => drop(on_obj!(obj, o => o.new_attr_builder().with_data(&vals).create(name))?),
        (0, false) => on_obj!(obj, o => o.new_attr::<T>().create(name))?.write_scalar(&vals[0])?,
        _ => on_obj!(obj, o => o.new_attr::<T>().shape(&a.shape).create(name))?.write(&vals)?,
    }
    let data = if T::RAMP {
        Data::Ramp { seed: a.seed }
    } else {
        Data::Values(vals.iter().map(Gen::json).collect())
    };
    m.attr(owner, name, T::dtype(), &a.shape, data);
    Ok(())
}

pub(crate) fn create_vlen_attr(
    obj: &Obj,
    owner: &str,
    name: &str,
    a: &AttrSpec,
    m: &mut Manifest,
) -> R<()> {
    let n: u64 = a.shape.iter().product();
    let vals = vlen_strings(n, a.seed);
    match (a.shape.len(), a.builder) {
        (0, true) => drop(on_obj!(obj, o => o.new_attr_builder().with_str(&vals[0]).create(name))?),
        (1, true) => {
            drop(on_obj!(obj, o => o.new_attr_builder().with_strings(&vals).create(name))?)
        }
        (0, false) => {
            on_obj!(obj, o => o.new_attr::<VarLenUnicode>().create(name))?.write_str(&vals[0])?
        }
        _ => on_obj!(obj, o => o.new_attr::<VarLenUnicode>().shape(&a.shape).create(name))?
            .write_strings(&vals)?,
    }
    m.attr(owner, name, "vlen_str", &a.shape, Data::Strings(vals));
    Ok(())
}
