//! A storage that records which bytes were read: a single-bit flip of a
//! byte the open and walk of a file never read cannot change what they do,
//! so the flip test flips only the bytes that were read.

use std::io;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use h5sink::{File, Storage};

#[derive(Clone)]
struct Tracking {
    bytes: Arc<Vec<u8>>,
    read: Arc<Mutex<Vec<bool>>>,
}

impl Storage for Tracking {
    fn write_at(&self, _: u64, _: &[u8]) -> io::Result<()> {
        Err(io::Error::other("read-only"))
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        let at = offset as usize;
        let src = self
            .bytes
            .get(at..at + buf.len())
            .ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))?;
        buf.copy_from_slice(src);
        self.read.lock().unwrap()[at..at + buf.len()].fill(true);
        Ok(())
    }
    fn set_len(&self, _: u64) -> io::Result<()> {
        Err(io::Error::other("read-only"))
    }
    fn len(&self) -> io::Result<u64> {
        Ok(self.bytes.len() as u64)
    }
    fn sync(&self) -> io::Result<()> {
        Ok(())
    }
    fn describe(&self) -> PathBuf {
        PathBuf::from("<tracking>")
    }
}

/// The offsets of the bytes of `bytes` that opening it (and, with `walk`,
/// walking and reading the whole file) read.
pub fn bytes_read(bytes: &[u8], walk: bool) -> Vec<usize> {
    let t = Tracking {
        bytes: Arc::new(bytes.to_vec()),
        read: Arc::new(Mutex::new(vec![false; bytes.len()])),
    };
    let f = File::open_storage(t.clone()).unwrap();
    if walk {
        assert_eq!(super::open_read_run::walk(&f).errors, 0);
    }
    drop(f);
    let read = t.read.lock().unwrap();
    (0..bytes.len()).filter(|&i| read[i]).collect()
}
