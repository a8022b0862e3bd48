//! The bit writer behind zstd's backward bitstreams (RFC 8878, 4.1.2 and
//! 4.2.1): values are appended least significant bit first; the stream is
//! closed by one `1` bit and zero padding to a byte, so the decoder, which
//! reads from the end, can find where the data starts.

/// Appends bit fields to a byte vector, low bits first. Fields gather in
/// a 64-bit accumulator; [`BitWriter::flush`] stores it as one 8-byte
/// write and keeps the fewer than 8 bits that do not fill a byte. Hot
/// loops [`BitWriter::put`] up to 56 bits between flushes; [`BitWriter::add`]
/// flushes after every field.
pub(super) struct BitWriter {
    /// Bytes `..len` are written; the rest is room for 8-byte stores.
    out: Vec<u8>,
    len: usize,
    acc: u64,
    used: u32,
}

impl BitWriter {
    /// A writer appending to `out` (its current bytes are kept), with
    /// room reserved for about `bytes` more.
    pub(super) fn new(mut out: Vec<u8>, bytes: usize) -> Self {
        let len = out.len();
        out.resize(len + bytes + 8, 0);
        Self {
            out,
            len,
            acc: 0,
            used: 0,
        }
    }

    /// Gather the low `n` bits of `value` (`n` at most 32) without
    /// storing: at most 56 bits between two flushes.
    #[inline(always)]
    pub(super) fn put(&mut self, value: u64, n: u32) {
        debug_assert!(n <= 32 && self.used + n <= 64);
        let mask = (1u64 << n) - 1;
        self.acc |= (value & mask) << self.used;
        self.used += n;
    }

    /// Gather `value`, which has no bits set from `n` up (`n` at most
    /// 56), without storing (as [`BitWriter::put`]).
    #[inline(always)]
    pub(super) fn put_clean(&mut self, value: u64, n: u32) {
        debug_assert!(n <= 56 && self.used + n <= 64 && value >> n == 0);
        self.acc |= value << self.used;
        self.used += n;
    }

    /// Store the whole bytes gathered, keeping fewer than 8 bits.
    #[inline(always)]
    pub(super) fn flush(&mut self) {
        let word = self.acc.to_le_bytes();
        match self.out.get_mut(self.len..self.len + 8) {
            Some(dst) => dst.copy_from_slice(&word),
            None => self.grow_and_store(word),
        }
        let bytes = self.used >> 3;
        self.len += bytes as usize;
        // `used` is below 64 (or exactly 64: then nothing is kept).
        self.acc = self.acc.checked_shr(bytes * 8).unwrap_or(0);
        self.used &= 7;
    }

    /// Make room past the written bytes, then store `word` there.
    #[cold]
    fn grow_and_store(&mut self, word: [u8; 8]) {
        let room = (self.out.len() * 2).max(self.len + 64);
        self.out.resize(room, 0);
        if let Some(dst) = self.out.get_mut(self.len..self.len + 8) {
            dst.copy_from_slice(&word);
        }
    }

    /// Append the low `n` bits of `value` (`n` at most 32).
    #[inline]
    pub(super) fn add(&mut self, value: u64, n: u32) {
        self.put(value, n);
        self.flush();
    }

    /// The bytes written, the last one partial if bits are pending.
    fn into_bytes(mut self) -> Vec<u8> {
        self.flush();
        let end = self.len + usize::from(self.used > 0);
        self.out.truncate(end);
        self.out
    }

    /// Close a backward stream: the `1` end mark, then zero padding.
    pub(super) fn close(mut self) -> Vec<u8> {
        self.add(1, 1);
        self.into_bytes()
    }

    /// Finish a forward field sequence (no end mark), padding to a byte.
    pub(super) fn finish(self) -> Vec<u8> {
        self.into_bytes()
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
        let mut w = BitWriter::new(Vec::new(), 0);
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

    /// The stream a bit-at-a-time writer makes of `fields`, closed.
    fn reference(fields: &[(u64, u32)]) -> Vec<u8> {
        let mut bits: Vec<bool> = Vec::new();
        for &(v, n) in fields {
            bits.extend((0..n).map(|i| v >> i & 1 == 1));
        }
        bits.push(true);
        bits.chunks(8)
            .map(|c| c.iter().enumerate().map(|(i, &b)| u8::from(b) << i).sum())
            .collect()
    }

    #[test]
    fn put_flush_and_add_match_a_bit_at_a_time_writer() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        // Closed sizes of 1, 2, 8, 9, 10 bytes and around 128 KiB.
        for total in [
            0usize,
            7,
            63,
            64,
            72,
            128 * 1024 * 8 - 1,
            128 * 1024 * 8 + 9,
        ] {
            let mut fields = Vec::new();
            let mut left = total;
            while left > 0 {
                let n = (next() % 33).min(left as u64) as u32;
                fields.push((next(), n));
                left -= n as usize;
            }
            let want = reference(&fields);
            assert_eq!(want.len(), total / 8 + 1);
            // add: one field at a time.
            let mut w = BitWriter::new(vec![7], 0);
            for &(v, n) in &fields {
                w.add(v, n);
            }
            assert_eq!(w.close()[1..], want[..], "add, {total} bits");
            // put in groups of up to 56 bits, clean or masked.
            let mut w = BitWriter::new(Vec::new(), total / 8);
            let mut held = 0;
            for &(v, n) in &fields {
                if held + n > 56 {
                    w.flush();
                    held = 0;
                }
                if n % 2 == 0 {
                    w.put(v, n);
                } else {
                    w.put_clean(v & ((1 << n) - 1), n);
                }
                held += n;
            }
            assert_eq!(w.close(), want, "put, {total} bits");
        }
        // A forward field sequence pads with zeros and no end mark.
        let mut w = BitWriter::new(Vec::new(), 0);
        w.add(0b101, 3);
        assert_eq!(w.finish(), [0b101]);
        assert_eq!(BitWriter::new(Vec::new(), 0).finish(), []);
    }
}
