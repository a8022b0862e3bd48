//! The attribute operations of the `open_modify` target (see
//! `open_modify_ops.rs`): create an attribute on any object, rewrite one
//! the file has with values of its own type (or a wrong count); and
//! `write_strings` on a whole dataset.

use h5sink::format::datatype::Datatype;
use h5sink::{Dataset, Element, FixedAscii, Group};

use super::super::model::{elements, read_attr, typed, values, Content, CONTENT_MAX};
use super::super::no_bug;
use super::{Session, ELEMS_MAX};

impl Session<'_> {
    pub(super) fn write_strings(&mut self) {
        let Some(d) = self.pick_dataset() else { return };
        let Some(want) = elements(&d.shape()).filter(|&n| n <= 64) else {
            return;
        };
        let n = want as usize + usize::from(self.src.u8() % 8 == 0);
        let strings = self.strings(n);
        self.track(&d);
        match d.write_strings(&strings) {
            Ok(()) => {
                self.changed = true;
                assert_eq!(
                    n as u64,
                    want,
                    "{}: a wrong count of strings written",
                    d.name()
                );
                self.track(&d).content = Content::Strings(strings);
            }
            Err(e) => {
                no_bug(e);
            }
        }
    }

    /// An object to hang attributes on: its path and attribute builder.
    fn pick_owner(&mut self) -> (String, Result<Group, Dataset>) {
        if self.src.u8() % 2 == 0 {
            if let Some(d) = self.pick_dataset() {
                return (d.name().to_string(), Err(d));
            }
        }
        let g = self.pick_group();
        (g.name().to_string(), Ok(g))
    }

    pub(super) fn create_attr(&mut self) {
        let (owner, obj) = self.pick_owner();
        let name = self.src.name();
        let b = match &obj {
            Ok(g) => g.new_attr_builder(),
            Err(d) => d.new_attr_builder(),
        };
        let (b, want) = match self.src.u8() % 3 {
            0 => {
                let n = usize::from(self.src_small());
                let v = values::<i64>(&mut self.src, n).unwrap_or_default();
                let bytes = i64_bytes(&v);
                (b.with_data(&v), Content::Bytes(bytes))
            }
            1 => {
                let s = self.src.string();
                (b.with_str(&s), Content::Strings(vec![s]))
            }
            _ => {
                let n = usize::from(self.src_small());
                let s = self.strings(n);
                (b.with_strings(&s), Content::Strings(s))
            }
        };
        match b.create(&name) {
            Ok(a) => {
                self.changed = true;
                assert_eq!(
                    read_attr(&a),
                    want,
                    "attribute {name:?} of {owner:?} as created"
                );
                self.model.attrs.insert((owner, a.name().to_string()), want);
            }
            Err(e) => {
                no_bug(e);
            }
        }
    }

    fn src_small(&mut self) -> u8 {
        self.src.u8() % 5
    }

    pub(super) fn rewrite_attr(&mut self) {
        let (owner, obj) = self.pick_owner();
        let names = match &obj {
            Ok(g) => g.attr_names(),
            Err(d) => d.attr_names(),
        };
        let Ok(names) = names else { return };
        if names.is_empty() {
            return;
        }
        let name = names[usize::from(self.src.u8()) % names.len()].clone();
        let a = match &obj {
            Ok(g) => g.attr(&name),
            Err(d) => d.attr(&name),
        };
        let Ok(a) = a else { return };
        let Some(dt) = a.dtype() else { return };
        let Some(want) = elements(a.shape()).filter(|&n| n <= ELEMS_MAX) else {
            return;
        };
        let wrong = self.src.u8() % 8 == 0;
        let n = want as usize + usize::from(wrong);
        let (r, content) = if dt == Datatype::VlenUtf8 {
            let s = self.strings(n);
            (a.write_strings(&s), Content::Strings(s))
        } else {
            let src = &mut self.src;
            macro_rules! put {
                ($t:ty) => {
                    values::<$t>(src, n)
                        .map(|v| (a.write(&v), Content::Bytes(<$t>::encode(&v).into_owned())))
                };
            }
            let Some(Some(rc)) = typed!(dt, put) else {
                return;
            };
            rc
        };
        match r {
            Ok(()) => {
                self.changed = true;
                assert!(!wrong, "attribute {name:?}: a wrong count written");
                let small = elements(a.shape()).is_some_and(|n| n <= CONTENT_MAX);
                let content = if small { content } else { Content::Unknown };
                self.model.attrs.insert((owner, name), content);
            }
            Err(e) => {
                no_bug(e);
            }
        }
    }
}

fn i64_bytes(v: &[i64]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}
