//! Key-based key derivation: NIST SP 800-108 in counter mode with AES-CMAC
//! as the PRF.

use crate::Error;
use crate::key::AesKey;
use crate::mac::AesCmac;

/// Where the counter goes relative to the fixed input data
/// (CAVP `CTRLOCATION`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CounterLocation {
    /// `[i] || fixed` (`BEFORE_FIXED`).
    Before,
    /// `fixed || [i]` (`AFTER_FIXED`).
    After,
}

/// The width of the counter `[i]`: 8, 16, 24 or 32 bits, big-endian
/// (CAVP `RLEN`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CounterWidth {
    /// 8 bits: at most 255 blocks of output.
    Bits8,
    /// 16 bits.
    Bits16,
    /// 24 bits.
    Bits24,
    /// 32 bits.
    Bits32,
}

impl CounterWidth {
    /// The width named by a bit count.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for anything but 8, 16, 24 or 32.
    pub fn from_bits(bits: u32) -> Result<Self, Error> {
        match bits {
            8 => Ok(CounterWidth::Bits8),
            16 => Ok(CounterWidth::Bits16),
            24 => Ok(CounterWidth::Bits24),
            32 => Ok(CounterWidth::Bits32),
            _ => Err(Error::Unsupported),
        }
    }

    fn bytes(self) -> usize {
        match self {
            CounterWidth::Bits8 => 1,
            CounterWidth::Bits16 => 2,
            CounterWidth::Bits24 => 3,
            CounterWidth::Bits32 => 4,
        }
    }
}

/// Fills `out` with SP 800-108 counter-mode output:
/// `K(i) = CMAC(key, [i] || fixed)` (or `fixed || [i]`) for
/// `i = 1, 2, ...`, concatenated and cut to `out.len()`.
///
/// `fixed_input` is the whole fixed data (label, separator, context and
/// `[L]`, as the caller encodes them); see [`kbkdf_cmac_labeled`] for the
/// common layout.
///
/// ```
/// use paykernel::AesKey;
/// use paykernel::kdf::{CounterLocation, CounterWidth, kbkdf_cmac};
///
/// // NIST CAVP KBKDF (SP 800-108 counter mode), CMAC_AES128, 8-bit
/// // counter before the fixed data, L = 128: the first record.
/// let key = AesKey::from_slice(&[
///     0xDF, 0xF1, 0xE5, 0x0A, 0xC0, 0xB6, 0x9D, 0xC4, 0x0F, 0x10, 0x51, 0xD4, 0x6C, 0x2B, 0x06, 0x9C,
/// ])?;
/// let fixed = [
///     0xC1, 0x6E, 0x6E, 0x02, 0xC5, 0xA3, 0xDC, 0xC8, 0xD7, 0x8B, 0x9A, 0xC1, 0x30, 0x68, 0x77, 0x76,
///     0x13, 0x10, 0x45, 0x5B, 0x4E, 0x41, 0x46, 0x99, 0x51, 0xD9, 0xE6, 0xC2, 0x24, 0x5A, 0x06, 0x4B,
///     0x33, 0xFD, 0x8C, 0x3B, 0x01, 0x20, 0x3A, 0x78, 0x24, 0x48, 0x5B, 0xF0, 0xA6, 0x40, 0x60, 0xC4,
///     0x64, 0x8B, 0x70, 0x7D, 0x26, 0x07, 0x93, 0x56, 0x99, 0x31, 0x6E, 0xA5,
/// ];
/// let mut out = [0u8; 16];
/// kbkdf_cmac(&key, &fixed, CounterWidth::Bits8, CounterLocation::Before, &mut out)?;
/// assert_eq!(out, [
///     0x8B, 0xE8, 0xF0, 0x86, 0x9B, 0x3C, 0x0B, 0xA9, 0x7B, 0x71, 0x86, 0x3D, 0x1B, 0x9F, 0x78, 0x13,
/// ]);
/// // An 8-bit counter numbers at most 255 blocks.
/// let mut too_long = [0u8; 256 * 16];
/// let r = kbkdf_cmac(&key, &fixed, CounterWidth::Bits8, CounterLocation::Before, &mut too_long);
/// assert_eq!(r, Err(paykernel::Error::InvalidLength));
/// # Ok::<(), paykernel::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidLength`] if `out` is empty or needs more blocks than the
/// counter can number (`2^r - 1`).
pub fn kbkdf_cmac(
    key: &AesKey,
    fixed_input: &[u8],
    width: CounterWidth,
    location: CounterLocation,
    out: &mut [u8],
) -> Result<(), Error> {
    kbkdf_with(&AesCmac::new(key), &[fixed_input], width, location, out)
}

/// SP 800-108 counter mode with the fixed data laid out as the standard's
/// section 5 suggests: `label || 0x00 || context || [L]_32`, where `L` is
/// `out.len()` in bits, and a 32-bit counter before it.
///
/// ```
/// use paykernel::AesKey;
/// use paykernel::kdf::kbkdf_cmac_labeled;
///
/// // The SVR1 card key (docs/svr1.md) is this derivation with the label
/// // "SVR1 card key" and the card id as context; its reference value
/// // (vectors/svr1-card-key.json, pyca/cryptography's KBKDFCMAC):
/// let issuer = AesKey::from_slice(&[
///     0xA6, 0x61, 0xC9, 0x35, 0x18, 0x7C, 0x07, 0xE4, 0xD5, 0x63, 0x6E, 0x9B, 0xC3, 0xC4, 0x00, 0xB2,
/// ])?;
/// let mut card_key = [0u8; 16];
/// kbkdf_cmac_labeled(&issuer, b"SVR1 card key", &0u64.to_be_bytes(), &mut card_key)?;
/// assert_eq!(card_key, [
///     0x4B, 0xCA, 0xD0, 0xED, 0xF7, 0x49, 0x50, 0x1F, 0xF9, 0xA4, 0x5C, 0xC1, 0x1B, 0x0C, 0x85, 0xC0,
/// ]);
/// # Ok::<(), paykernel::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidLength`] if `out` is empty or longer than 2^29 - 1 bytes.
pub fn kbkdf_cmac_labeled(
    key: &AesKey,
    label: &[u8],
    context: &[u8],
    out: &mut [u8],
) -> Result<(), Error> {
    let bits = u32::try_from(out.len())
        .ok()
        .and_then(|n| n.checked_mul(8))
        .ok_or(Error::InvalidLength)?;
    kbkdf_with(
        &AesCmac::new(key),
        &[label, &[0u8], context, &bits.to_be_bytes()],
        CounterWidth::Bits32,
        CounterLocation::Before,
        out,
    )
}

fn kbkdf_with(
    prf: &AesCmac,
    fixed: &[&[u8]],
    width: CounterWidth,
    location: CounterLocation,
    out: &mut [u8],
) -> Result<(), Error> {
    if out.is_empty() {
        return Err(Error::InvalidLength);
    }
    let max_blocks: u64 = match width {
        CounterWidth::Bits8 => 0xFF,
        CounterWidth::Bits16 => 0xFFFF,
        CounterWidth::Bits24 => 0xFF_FFFF,
        CounterWidth::Bits32 => 0xFFFF_FFFF,
    };
    let blocks = u64::try_from(out.len().div_ceil(16)).map_err(|_| Error::InvalidLength)?;
    if blocks > max_blocks {
        return Err(Error::InvalidLength);
    }
    let n = width.bytes();
    for (i, chunk) in (1u32..).zip(out.chunks_mut(16)) {
        let be = i.to_be_bytes();
        let counter = be.get(4usize.saturating_sub(n)..).unwrap_or(&be);
        let f = |j: usize| fixed.get(j).copied().unwrap_or(&[]);
        let parts: [&[u8]; 5] = match location {
            CounterLocation::Before => [counter, f(0), f(1), f(2), f(3)],
            CounterLocation::After => [f(0), f(1), f(2), f(3), counter],
        };
        let mut block = prf.compute_parts(&parts);
        let take = chunk.len();
        chunk.copy_from_slice(block.get(..take).unwrap_or(&[]));
        zeroize::Zeroize::zeroize(&mut block);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::h;

    #[test]
    fn cavp_counter_mode_cmac_aes128() {
        // NIST CAVP KBKDF KDFCTR_gen.txt, [PRF=CMAC_AES128]
        // [CTRLOCATION=BEFORE_FIXED] [RLEN=8_BITS] L=128, COUNT=0.
        let k = AesKey::from_slice(&h("DFF1E50AC0B69DC40F1051D46C2B069C")).unwrap();
        let fixed = h(
            "C16E6E02C5A3DCC8D78B9AC1306877761310455B4E41469951D9E6C2245A064B33FD8C3B01203A7824485BF0A64060C4648B707D2607935699316EA5",
        );
        let mut out = [0u8; 16];
        kbkdf_cmac(
            &k,
            &fixed,
            CounterWidth::Bits8,
            CounterLocation::Before,
            &mut out,
        )
        .unwrap();
        assert_eq!(out.to_vec(), h("8BE8F0869B3C0BA97B71863D1B9F7813"));
    }

    #[test]
    fn refuses_bad_lengths() {
        let k = AesKey::from_slice(&[0u8; 16]).unwrap();
        let mut empty = [0u8; 0];
        assert_eq!(
            kbkdf_cmac(
                &k,
                b"x",
                CounterWidth::Bits8,
                CounterLocation::After,
                &mut empty
            ),
            Err(Error::InvalidLength)
        );
        // 8-bit counter: 255 blocks fit, 256 do not.
        let mut big = [0u8; 256 * 16];
        assert_eq!(
            kbkdf_cmac(
                &k,
                b"x",
                CounterWidth::Bits8,
                CounterLocation::After,
                &mut big
            ),
            Err(Error::InvalidLength)
        );
        assert!(
            kbkdf_cmac(
                &k,
                b"x",
                CounterWidth::Bits8,
                CounterLocation::After,
                &mut big[..255 * 16]
            )
            .is_ok()
        );
        assert!(
            kbkdf_cmac(
                &k,
                b"x",
                CounterWidth::Bits16,
                CounterLocation::After,
                &mut big
            )
            .is_ok()
        );
        assert_eq!(CounterWidth::from_bits(12), Err(Error::Unsupported));
    }
}
