//! Fill Value message (version 2). Spec notes: `spec-notes/fill-value.md`.

/// When storage is allocated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllocTime {
    /// At creation.
    Early = 1,
    /// When first written.
    Late = 2,
    /// Chunk by chunk.
    Incremental = 3,
}

/// When the fill value is written into allocated storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FillTime {
    /// On allocation.
    OnAlloc = 0,
    /// Never.
    Never = 1,
    /// Only if the user set one.
    IfSet = 2,
}

/// Body of a version 2 Fill Value message with the library default fill
/// (defined, size 0), as libhdf5 writes it.
pub fn encode_default(alloc: AllocTime, fill: FillTime) -> Vec<u8> {
    // version 2, alloc time, fill write time, defined = 1, size u32 = 0
    vec![2, alloc as u8, fill as u8, 1, 0, 0, 0, 0]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// h5py 3.16, contiguous numeric dataset: `02 02 02 01 00000000`.
    #[test]
    fn numeric_contiguous() {
        let got = encode_default(AllocTime::Late, FillTime::IfSet);
        assert_eq!(got, [2, 2, 2, 1, 0, 0, 0, 0]);
    }

    /// h5py 3.16, vlen string dataset: `02 02 00 01 00000000`.
    #[test]
    fn vlen_string() {
        let got = encode_default(AllocTime::Late, FillTime::OnAlloc);
        assert_eq!(got, [2, 2, 0, 1, 0, 0, 0, 0]);
    }

    #[test]
    fn other_codes() {
        assert_eq!(
            encode_default(AllocTime::Early, FillTime::Never)[1..3],
            [1, 1]
        );
        assert_eq!(
            encode_default(AllocTime::Incremental, FillTime::IfSet)[1..3],
            [3, 2]
        );
    }
}

/// Body of a version 2 Fill Value message with a user-defined fill value
/// (`value` holds one element in the file's format).
pub fn encode_user(alloc: AllocTime, fill: FillTime, value: &[u8]) -> crate::error::Result<Vec<u8>> {
    let _ = (alloc, fill, value);
    todo!()
}
