//! The messages of a group that stores its members as links (spec §IV.A.2.c
//! Link Info, §IV.A.2.g Link, §IV.A.2.k Group Info), which libhdf5 switches
//! a symbol-table group to when it gets an external link. Only "compact"
//! storage (links as messages in the header) is read and written; dense
//! storage (fractal heap and v2 B-tree) is refused. Spec note:
//! `spec-notes/links.md`.

use super::field::UNDEF_ADDR;
use super::reader::Reader;
use crate::error::{Error, Result};

/// Message type of the Link Info message.
pub(crate) const LINK_INFO: u16 = 0x02;
/// Message type of the Link message.
pub(crate) const LINK: u16 = 0x06;
/// Message type of the Group Info message.
pub(crate) const GROUP_INFO: u16 = 0x0A;

/// Link type of an external link (a user-defined link class libhdf5 ships).
const EXTERNAL: u8 = 64;

/// Whether messages of kind `k` store a group's members (Symbol Table,
/// Link Info, Group Info, Link): a commit writes those anew.
pub(crate) fn stores_members(k: u16) -> bool {
    k == super::object_header::kind::SYMBOL_TABLE || k == LINK_INFO || k == LINK || k == GROUP_INFO
}

/// What a link names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// An object header in this file.
    Hard(u64),
    /// A path, followed when the link is.
    Soft(String),
    /// An object in another file.
    External { file: String, path: String },
}

/// The Link Info message of a group with compact storage and no creation
/// order: version 0, flags 0, undefined fractal heap and name index.
pub(crate) fn link_info() -> Vec<u8> {
    let mut out = vec![0, 0];
    out.extend_from_slice(&UNDEF_ADDR.to_le_bytes());
    out.extend_from_slice(&UNDEF_ADDR.to_le_bytes());
    out
}

/// The Group Info message with libhdf5's defaults (version 0, flags 0).
pub(crate) fn group_info() -> Vec<u8> {
    vec![0, 0]
}

/// The Link message of member `name`, as libhdf5 writes it: no creation
/// order, the link type only when not hard, the character set only when
/// the name is not ASCII (UTF-8 then).
pub(crate) fn encode(name: &str, target: &Target) -> Result<Vec<u8>> {
    let n = name.len();
    let (size_bits, len_bytes): (u8, usize) = match n {
        0..=0xff => (0, 1),
        0x100..=0xffff => (1, 2),
        _ => (2, 4),
    };
    let mut flags = size_bits;
    let link_type = match target {
        Target::Hard(_) => None,
        Target::Soft(_) => Some(1u8),
        Target::External { .. } => Some(EXTERNAL),
    };
    if link_type.is_some() {
        flags |= 0x08;
    }
    let utf8 = !name.is_ascii();
    if utf8 {
        flags |= 0x10;
    }
    let mut out = vec![1, flags];
    out.extend(link_type);
    if utf8 {
        out.push(1);
    }
    out.extend_from_slice(&(n as u64).to_le_bytes()[..len_bytes]);
    out.extend_from_slice(name.as_bytes());
    let value = |v: Vec<u8>| -> Result<Vec<u8>> {
        let len = u16::try_from(v.len()).map_err(|_| Error::FieldOverflow {
            field: "link value length",
            value: v.len() as u64,
            max: u64::from(u16::MAX),
        })?;
        let mut o = len.to_le_bytes().to_vec();
        o.extend(v);
        Ok(o)
    };
    match target {
        Target::Hard(addr) => out.extend_from_slice(&addr.to_le_bytes()),
        Target::Soft(path) => out.extend(value(path.as_bytes().to_vec())?),
        Target::External { file, path } => {
            let mut v = vec![0];
            v.extend_from_slice(file.as_bytes());
            v.push(0);
            v.extend_from_slice(path.as_bytes());
            v.push(0);
            out.extend(value(v)?);
        }
    }
    Ok(out)
}

/// Decode a Link message (at file offset `at`): the name and the target.
pub(crate) fn decode(body: &[u8], at: u64, eof: u64) -> Result<(String, Target)> {
    let mut r = Reader::new(body, at, "link message");
    let version = r.u8()?;
    if version != 1 {
        return Err(r.error(format!("version {version}, not 1")));
    }
    let flags = r.u8()?;
    let link_type = if flags & 0x08 != 0 { r.u8()? } else { 0 };
    if flags & 0x04 != 0 {
        r.skip(8)?; // creation order
    }
    if flags & 0x10 != 0 {
        r.skip(1)?; // character set: the name is read as UTF-8 either way
    }
    let len_size = 1usize << (flags & 0x03);
    let n = r.length(len_size, body.len() as u64, "link name length")?;
    let name = text(&mut r, n as usize, "link name")?;
    let target = match link_type {
        0 => match r.address(eof)? {
            Some(a) => Target::Hard(a),
            None => return Err(r.error(format!("hard link {name:?} to the undefined address"))),
        },
        1 => {
            let n = r.length(2, body.len() as u64, "soft link value length")?;
            Target::Soft(text(&mut r, n as usize, "soft link value")?)
        }
        EXTERNAL => {
            let n = r.length(2, body.len() as u64, "external link value length")? as usize;
            let v = r.bytes(n)?;
            let mut parts = v.get(1..).unwrap_or_default().split(|&b| b == 0);
            let (Some(0), Some(file), Some(path)) = (v.first(), parts.next(), parts.next()) else {
                return Err(r.error(format!(
                    "external link {name:?}: value is not version 0, file and path ending in NUL"
                )));
            };
            let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            Target::External {
                file: s(file),
                path: s(path),
            }
        }
        t => {
            return Err(Error::Unsupported {
                structure: "link message",
                offset: at,
                detail: format!(
                    "link {name:?} of type {t}: h5sink reads hard, soft and external links"
                ),
            })
        }
    };
    Ok((name, target))
}

/// `n` bytes of UTF-8 text.
fn text(r: &mut Reader<'_>, n: usize, what: &str) -> Result<String> {
    let at = r.offset();
    let b = r.bytes(n)?;
    String::from_utf8(b.to_vec()).map_err(|_| Error::Unsupported {
        structure: "link message",
        offset: at,
        detail: format!("{what} {:?} is not UTF-8", String::from_utf8_lossy(b)),
    })
}

/// Check a Link Info message: compact storage without creation order
/// (what libhdf5 writes into a default file) is all h5sink reads.
pub(crate) fn check_link_info(body: &[u8], at: u64) -> Result<()> {
    let mut r = Reader::new(body, at, "link info message");
    let version = r.u8()?;
    let flags = r.u8()?;
    let heap = r.u64()?;
    if version != 0 || flags != 0 || heap != UNDEF_ADDR {
        return Err(Error::Unsupported {
            structure: "link info message",
            offset: at,
            detail: format!(
                "version {version}, flags {flags}, fractal heap {heap:#x}: h5sink reads groups whose links are messages in the header (no creation order, no dense storage)"
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_links_of_an_h5py_file() {
        // Bytes of the links libhdf5 2.0 wrote after h5py's
        // `f["x"] = h5py.ExternalLink("other.h5", "/path")` (the root had "d").
        let d = [1, 0, 1, b'd', 0x20, 3, 0, 0, 0, 0, 0, 0];
        assert_eq!(encode("d", &Target::Hard(0x320)).unwrap(), d);
        let mut x = vec![1, 8, 64, 1, b'x', 16, 0, 0];
        x.extend_from_slice(b"other.h5\0/path\0");
        let ext = Target::External {
            file: "other.h5".into(),
            path: "/path".into(),
        };
        assert_eq!(encode("x", &ext).unwrap(), x);
        assert_eq!(decode(&x, 0, 1000).unwrap(), ("x".into(), ext));
        assert_eq!(
            decode(&d, 0, 1000).unwrap(),
            ("d".into(), Target::Hard(0x320))
        );
        let s = encode("é", &Target::Soft("/a".into())).unwrap();
        assert_eq!(s[..5], [1, 0x18, 1, 1, 2]);
        assert_eq!(
            decode(&s, 0, 1000).unwrap(),
            ("é".into(), Target::Soft("/a".into()))
        );
        assert_eq!(link_info().len(), 18);
        check_link_info(&link_info(), 0).unwrap();
        assert!(decode(&d, 0, 0x100).is_err()); // address past the end
        let bad = [1, 8, 99, 1, b'u', 0, 0];
        assert!(matches!(
            decode(&bad, 0, 1000),
            Err(Error::Unsupported { .. })
        ));
    }
}
