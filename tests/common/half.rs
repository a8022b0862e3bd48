//! IEEE half-precision floats without the `half` crate: the [`F16`] element
//! type and numpy-exact conversions.

/// An IEEE half-precision float, as its bits (manifest dtype "f16"); no
/// `half` crate: [`f16_bits`] converts.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, Debug)]
pub struct F16(pub u16);

impl F16 {
    /// `v` rounded to the nearest f16 (ties to even), as numpy does.
    pub fn from_f64(v: f64) -> Self {
        F16(f16_bits(v))
    }
    /// The exact value.
    pub fn to_f64(self) -> f64 {
        f16_to_f64(self.0)
    }
}

/// Bits of the IEEE binary16 value nearest to `v` (round half to even;
/// overflow to infinity; a NaN keeps its sign and the top 10 payload bits,
/// forced non-zero), exactly numpy's `np.float16(v)` for a Python float.
pub fn f16_bits(v: f64) -> u16 {
    let b = v.to_bits();
    let sign = ((b >> 48) & 0x8000) as u16;
    let exp = ((b >> 52) & 0x7ff) as i32;
    let man = b & ((1u64 << 52) - 1);
    if exp == 0x7ff {
        if man == 0 {
            return sign | 0x7c00;
        }
        let payload = (man >> 42) as u16;
        return sign | 0x7c00 | if payload == 0 { 1 } else { payload };
    }
    let e = exp - 1023; // unbiased exponent of a normal f64
    if e > 15 {
        return sign | 0x7c00;
    }
    // Round `full >> shift` to nearest, ties to even.
    let round = |full: u64, shift: u32| -> u32 {
        let q = (full >> shift) as u32;
        let rem = full & ((1u64 << shift) - 1);
        let half = 1u64 << (shift - 1);
        if rem > half || (rem == half && q & 1 == 1) {
            q + 1
        } else {
            q
        }
    };
    if e >= -14 {
        // Normal f16: 10 of the 52 mantissa bits; a carry may reach the
        // exponent (and infinity), which is the right result.
        let h = (((e + 15) as u32) << 10) + round(man, 42);
        return sign | h as u16;
    }
    if exp == 0 {
        return sign; // f64 zero or subnormal: far below f16's smallest subnormal
    }
    // f16 subnormal: units of 2^-24; value = full * 2^(e - 52).
    let full = (1u64 << 52) | man;
    let shift = (28 - e) as u32; // >= 43
    if shift > 53 {
        return sign; // below half the smallest subnormal
    }
    sign | round(full, shift) as u16
}

/// The exact value of f16 bits.
pub fn f16_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = i32::from((h >> 10) & 0x1f);
    let man = f64::from(h & 0x3ff);
    sign * match exp {
        0 => man * 2f64.powi(-24),
        31 if man == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        _ => (1.0 + man / 1024.0) * 2f64.powi(exp - 15),
    }
}
