//! Bob Jenkins' lookup3 hash (`hashlittle`), the checksum HDF5 puts on
//! version 2 metadata and on the mapping list of a virtual dataset. Spec
//! notes: `spec-notes/virtual-dataset.md` ("Checksum").
//!
//! The hash reads the key as little-endian 32-bit words, three at a time,
//! mixes them into three state words, and folds the last 1 to 12 bytes in
//! zero-padded; an empty key hashes to the initial state unmixed.
//!
//! # Examples
//!
//! ```
//! use h5sink::format::lookup3::hash;
//! // Bob Jenkins' own test vector.
//! assert_eq!(hash(b"Four score and seven years ago", 0), 0x1777_0551);
//! ```

/// The lookup3 hash of `key` with initial value `init` (HDF5 uses 0).
///
/// # Examples
///
/// The mapping list of an h5py 3.16 virtual dataset ends with the hash of
/// every byte before it:
///
/// ```
/// use h5sink::format::lookup3::hash;
///
/// assert_eq!(hash(b"", 0), 0xdead_beef);
/// assert_eq!(hash(b"Four score and seven years ago", 0), 0x1777_0551);
/// assert_ne!(hash(b"a", 0), hash(b"b", 0));
/// ```
pub fn hash(key: &[u8], init: u32) -> u32 {
    let start = 0xdead_beef_u32
        .wrapping_add(key.len() as u32)
        .wrapping_add(init);
    let (mut a, mut b, mut c) = (start, start, start);
    if key.is_empty() {
        return c;
    }
    let word = |bytes: &[u8]| -> u32 {
        let mut w = [0u8; 4];
        for (d, s) in w.iter_mut().zip(bytes) {
            *d = *s;
        }
        u32::from_le_bytes(w)
    };
    let mut rest = key;
    while rest.len() > 12 {
        a = a.wrapping_add(word(&rest[0..4]));
        b = b.wrapping_add(word(&rest[4..8]));
        c = c.wrapping_add(word(&rest[8..12]));
        mix(&mut a, &mut b, &mut c);
        rest = &rest[12..];
    }
    // The last 1..=12 bytes, zero-padded.
    let mut tail = [0u8; 12];
    tail[..rest.len()].copy_from_slice(rest);
    a = a.wrapping_add(word(&tail[0..4]));
    b = b.wrapping_add(word(&tail[4..8]));
    c = c.wrapping_add(word(&tail[8..12]));
    finish(&mut a, &mut b, &mut c);
    c
}

/// lookup3's `mix`: three words in, three words out, reversibly.
fn mix(a: &mut u32, b: &mut u32, c: &mut u32) {
    *a = a.wrapping_sub(*c);
    *a ^= c.rotate_left(4);
    *c = c.wrapping_add(*b);
    *b = b.wrapping_sub(*a);
    *b ^= a.rotate_left(6);
    *a = a.wrapping_add(*c);
    *c = c.wrapping_sub(*b);
    *c ^= b.rotate_left(8);
    *b = b.wrapping_add(*a);
    *a = a.wrapping_sub(*c);
    *a ^= c.rotate_left(16);
    *c = c.wrapping_add(*b);
    *b = b.wrapping_sub(*a);
    *b ^= a.rotate_left(19);
    *a = a.wrapping_add(*c);
    *c = c.wrapping_sub(*b);
    *c ^= b.rotate_left(4);
    *b = b.wrapping_add(*a);
}

/// lookup3's `final`: the last mixing of the three words into `c`.
fn finish(a: &mut u32, b: &mut u32, c: &mut u32) {
    *c ^= *b;
    *c = c.wrapping_sub(b.rotate_left(14));
    *a ^= *c;
    *a = a.wrapping_sub(c.rotate_left(11));
    *b ^= *a;
    *b = b.wrapping_sub(a.rotate_left(25));
    *c ^= *b;
    *c = c.wrapping_sub(b.rotate_left(16));
    *a ^= *c;
    *a = a.wrapping_sub(c.rotate_left(4));
    *b ^= *a;
    *b = b.wrapping_sub(a.rotate_left(14));
    *c ^= *b;
    *c = c.wrapping_sub(b.rotate_left(24));
}

#[cfg(test)]
mod tests {
    use super::hash;

    /// Mapping lists libhdf5 2.0 wrote (h5py 3.16), checksum last.
    #[test]
    fn h5py_mapping_list_checksums() {
        let hex = "00 01 00 00 00 00 00 00 00 73 72 63 2e 68 35 00 78 00 03 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 02 00 00 00 01 00 00 00 00 00 00 00 18 00 00 00 02 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 04 00 00 00 03 00 00 00 fb 18 c3 9c";
        let bytes: Vec<u8> = hex
            .split(' ')
            .map(|h| u8::from_str_radix(h, 16).unwrap())
            .collect();
        let (body, sum) = bytes.split_at(bytes.len() - 4);
        assert_eq!(hash(body, 0).to_le_bytes(), sum);
    }

    #[test]
    fn every_tail_length() {
        // Lengths 1..=25 cover every tail case and the 12-byte boundary.
        let key: Vec<u8> = (0..25u8).collect();
        let all: Vec<u32> = (0..=25).map(|n| hash(&key[..n], 0)).collect();
        let mut unique = all.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), all.len());
        assert_ne!(hash(b"abc", 0), hash(b"abc", 1));
    }
}
