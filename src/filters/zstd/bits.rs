//! The bit writer behind zstd's backward bitstreams (RFC 8878, 4.1.2 and
//! 4.2.1): values are appended least significant bit first; the stream is
//! closed by one `1` bit and zero padding to a byte, so the decoder, which
//! reads from the end, can find where the data starts.

/// Appends bit fields to a byte vector, low bits first.
pub(super) struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    used: u32,
}

impl BitWriter {
    /// A writer appending to `out` (its current bytes are kept).
    pub(super) fn new(out: Vec<u8>) -> Self {
        Self {
            out,
            acc: 0,
            used: 0,
        }
    }

    /// Append the low `n` bits of `value` (`n` at most 32).
    #[inline]
    pub(super) fn add(&mut self, value: u64, n: u32) {
        debug_assert!(n <= 32);
        let mask = (1u64 << n) - 1;
        self.acc |= (value & mask) << self.used;
        self.used += n;
        if self.used >= 32 {
            self.out.extend_from_slice(&(self.acc as u32).to_le_bytes());
            self.acc >>= 32;
            self.used -= 32;
        }
    }

    /// Flush the whole bytes held, leaving fewer than 8 bits pending.
    fn flush_bytes(&mut self) {
        while self.used >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.used -= 8;
        }
    }

    /// Close a backward stream: the `1` end mark, then zero padding.
    pub(super) fn close(mut self) -> Vec<u8> {
        self.add(1, 1);
        self.flush_bytes();
        if self.used > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }

    /// Finish a forward field sequence (no end mark), padding to a byte.
    pub(super) fn finish(mut self) -> Vec<u8> {
        self.flush_bytes();
        if self.used > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// Reads a backward bitstream from its end, as a decoder does; used to
/// check the encoder's own output (Huffman weights) and in tests.
pub(super) struct BackReader<'a> {
    data: &'a [u8],
    /// Bits not yet read, counted from the start of `data`.
    left: i64,
}

impl<'a> BackReader<'a> {
    /// A reader over a closed stream; `None` if the last byte is zero.
    pub(super) fn new(data: &'a [u8]) -> Option<Self> {
        let last = *data.last()?;
        if last == 0 {
            return None;
        }
        let top = 7 - last.leading_zeros() as i64;
        Some(Self {
            data,
            left: (data.len() as i64 - 1) * 8 + top,
        })
    }

    /// Read `n` bits (most significant first in stream order); bits past
    /// the start read as zeros.
    pub(super) fn read(&mut self, n: u32) -> u64 {
        let mut v = 0u64;
        for _ in 0..n {
            self.left -= 1;
            let bit = if self.left >= 0 {
                let i = (self.left / 8) as usize;
                self.data.get(i).map_or(0, |b| (b >> (self.left % 8)) & 1)
            } else {
                0
            };
            v = (v << 1) | u64::from(bit);
        }
        v
    }

    /// Bits still unread; negative once reads went past the start.
    pub(super) fn left(&self) -> i64 {
        self.left
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_fields_read_back_in_reverse() {
        let mut w = BitWriter::new(Vec::new());
        let fields = [
            (5u64, 3u32),
            (0, 0),
            (0x1_2345, 17),
            (1, 1),
            (0xffff_ffff, 32),
        ];
        for (v, n) in fields {
            w.add(v, n);
        }
        let z = w.close();
        assert_eq!(z.len(), 7); // 54 bits and the end mark
        let mut r = BackReader::new(&z).unwrap();
        for (v, n) in fields.iter().rev() {
            assert_eq!(r.read(*n), *v);
        }
        assert_eq!(r.left(), 0);
        assert!(BackReader::new(&[1, 0]).is_none());
    }
}
