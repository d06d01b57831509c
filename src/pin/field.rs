//! The plain-text PIN field of ISO 9564-1, nibble by nibble, in constant
//! time with respect to the PIN.
//!
//! A field is held as 16 nibbles, one per byte (values 0 to 15):
//!
//! ```text
//! position  0   1   2 .. 15
//!           C   N   PIN digits, then the format's fill
//! ```
//!
//! The fill: `F` in format 0, `A` in format 4, `A` to `F` in format 3,
//! any value in format 1 (positions 2 + N onwards); format 2 fills with
//! `F` as format 0 does.
//!
//! `C` is the control field (the format number), `N` the PIN length (4 to
//! 12). For formats 0 to 3 these 16 nibbles are the whole 8-byte field;
//! for format 4 they are its first half, followed by 8 random bytes.
//!
//! The PIN length, its digits and the fill are secret: every position is
//! computed (or checked) the same way whatever the length, with byte masks
//! (0x00 or 0xFF) derived from it by borrow arithmetic ([`lt`], [`eq`]);
//! every broken rule sets bits in one mask that becomes one `Choice` at
//! the end, with no early exit; digits are turned into ASCII with a
//! bitwise OR, without tables or division.

use rand_core::TryCryptoRng;
use subtle::{Choice, ConstantTimeEq};
use zeroize::Zeroizing;

use super::{Fill, Format, Pin};
use crate::Error;

/// 16 nibbles, one per byte.
pub(super) type Nibbles = [u8; 16];

/// The fixed fill nibble of a format, if it has one.
fn fixed_fill(format: Format) -> Option<u8> {
    match format {
        Format::Iso0 | Format::Iso2 => Some(0xF),
        Format::Iso4 => Some(0xA),
        Format::Iso1 | Format::Iso3 => None,
    }
}

/// Writes the PIN field of `pin` in `format` to `out`. For formats 1 and 3,
/// `fill[p]` is the fill nibble of position `p` (used where `p` is past the
/// PIN); the other formats have a fixed fill and ignore it.
pub(super) fn encode(format: Format, pin: &Pin, fill: &Nibbles, out: &mut Nibbles) {
    let fixed = fixed_fill(format);
    let len = pin.len;
    for (p, (o, f)) in (0u8..).zip(out.iter_mut().zip(fill)) {
        *o = match p {
            0 => format.number(),
            1 => len,
            _ => {
                let i = p.wrapping_sub(2);
                let digit = pin.digit(usize::from(i));
                let fill = fixed.unwrap_or(*f);
                select(lt(i, len), digit, fill)
            }
        };
    }
}

/// Reads a PIN field of `format` into `pin`, checking every rule of
/// ISO 9564-1 for it:
///
/// - the control field is the format number;
/// - the PIN length is 4 to 12;
/// - each PIN digit is 0 to 9;
/// - each fill nibble is F (formats 0 and 2), A–F (format 3), A
///   (format 4), or anything (format 1, transaction-unique fill).
///
/// Returns whether every rule held. When one did not, `pin` has length 0
/// and must not be used; it is still wiped on drop.
pub(super) fn decode(format: Format, field: &Nibbles, pin: &mut Pin) -> Choice {
    let [control, len, rest @ ..] = field;
    let len = *len;
    // Bits set here mark a broken rule.
    let mut bad = !eq(*control, format.number());
    bad |= lt(len, 4) | lt(12, len);
    for (i, n) in (0u8..).zip(rest) {
        let n = *n;
        let is_pin = lt(i, len);
        let is_digit = lt(n, 10);
        let fill_ok = match format {
            Format::Iso0 | Format::Iso2 => eq(n, 0xF),
            Format::Iso1 => 0xFF,
            Format::Iso3 => lt(9, n),
            Format::Iso4 => eq(n, 0xA),
        };
        bad |= select(is_pin, !is_digit, !fill_ok);
        // Positions 12 and 13 are never PIN digits (when the length is
        // valid); the buffer has no room for them and they are only checked.
        if let Some(d) = pin.digits.get_mut(usize::from(i)) {
            *d = (n | 0x30) & is_pin;
        }
    }
    let ok = bad.ct_eq(&0);
    pin.len = len & ok.unwrap_u8().wrapping_neg();
    ok
}

/// 0xFF when `a < b`, else 0x00: the borrow out of `a − b`, computed
/// without a comparison the compiler could turn into a branch.
fn lt(a: u8, b: u8) -> u8 {
    let [_, borrow] = u16::from(a).wrapping_sub(u16::from(b)).to_le_bytes();
    borrow
}

/// 0xFF when `a == b`, else 0x00.
fn eq(a: u8, b: u8) -> u8 {
    !lt(0, a ^ b)
}

/// `yes` where `mask` is 0xFF, `no` where it is 0x00.
fn select(mask: u8, yes: u8, no: u8) -> u8 {
    (yes & mask) | (no & !mask)
}

/// The random parts of a new PIN block: fill nibbles by position (formats
/// 1 and 3) and the 8 random bytes of format 4. Wiped on drop.
pub(super) struct FillParts {
    pub(super) nibbles: Zeroizing<Nibbles>,
    pub(super) tail: Zeroizing<[u8; 8]>,
}

impl FillParts {
    fn zero() -> FillParts {
        FillParts {
            nibbles: Zeroizing::new([0; 16]),
            tail: Zeroizing::new([0; 8]),
        }
    }

    /// Draws what `format` fills at random from `rng`:
    /// - format 1: each fill nibble uniform in 0–F;
    /// - format 3: each fill nibble in A–F (see [`a_to_f`]);
    /// - format 4: 8 uniform bytes.
    ///
    /// A failing `rng` gives [`Error::RngFailure`].
    pub(super) fn random<R: TryCryptoRng + ?Sized>(
        format: Format,
        rng: &mut R,
    ) -> Result<FillParts, Error> {
        let mut parts = FillParts::zero();
        let mut fill = |dst: &mut [u8]| rng.try_fill_bytes(dst).map_err(|_| Error::RngFailure);
        match format {
            Format::Iso0 | Format::Iso2 => {}
            Format::Iso1 => {
                let mut r = Zeroizing::new([0u8; 8]);
                fill(&mut *r)?;
                unpack(&r, &mut parts.nibbles);
            }
            Format::Iso3 => {
                // Positions 6 to 15 can be fill (a PIN has 4 digits at
                // least); one 64-bit word for each.
                let mut r = Zeroizing::new([0u8; 80]);
                fill(&mut *r)?;
                let (words, _) = r.as_chunks::<8>();
                for (n, w) in parts.nibbles.iter_mut().skip(6).zip(words) {
                    *n = a_to_f(u64::from_le_bytes(*w));
                }
            }
            Format::Iso4 => fill(&mut *parts.tail)?,
        }
        Ok(parts)
    }

    /// Places a caller's `fill` for a PIN of `len` digits (a secret) and
    /// returns whether it suits `format`: for formats 1 and 3 exactly
    /// 14 − `len` nibbles (format 3: each A–F), which go to positions
    /// 2 + `len` onwards; for format 4 exactly 16 nibbles, the 8 random
    /// bytes. Formats 0 and 2 ignore it.
    ///
    /// The nibble that lands at a position depends on `len`: every
    /// candidate is scanned with a mask instead of being indexed.
    pub(super) fn given(format: Format, len: u8, fill: &Fill) -> (FillParts, Choice) {
        let mut parts = FillParts::zero();
        let ok = match format {
            Format::Iso0 | Format::Iso2 => Choice::from(1),
            Format::Iso4 => {
                pack(&fill.nibbles, &mut parts.tail);
                fill.len.ct_eq(&16)
            }
            Format::Iso1 | Format::Iso3 => {
                let mut bad = !eq(fill.len.wrapping_add(len), 14);
                for (p, out) in (0u8..).zip(parts.nibbles.iter_mut()).skip(6) {
                    let mut v = 0u8;
                    for (k, f) in (0u8..).zip(&fill.nibbles) {
                        v |= f & eq(k.wrapping_add(2).wrapping_add(len), p);
                    }
                    *out = v;
                }
                if format == Format::Iso3 {
                    // The count of given nibbles is public.
                    for f in fill.nibbles.iter().take(usize::from(fill.len)) {
                        bad |= lt(*f, 0xA);
                    }
                }
                bad.ct_eq(&0)
            }
        };
        (parts, ok)
    }
}

/// A nibble in A–F from 64 uniform bits, without `%` and without
/// rejection: the high half of the 128-bit product `r · 6`, which is
/// ⌊r · 6 / 2^64⌋ in 0..6, plus 10. Each of the six values has probability
/// within 2^-64 of 1/6, and the computation takes the same time for every
/// `r`.
fn a_to_f(r: u64) -> u8 {
    let wide = u128::from(r).wrapping_mul(6);
    let [_, _, _, _, _, _, _, v, _, _, _, _, _, _, _, _] = wide.to_be_bytes();
    v.wrapping_add(10)
}

/// Packs 16 nibbles into 8 bytes, most significant nibble first.
pub(super) fn pack(nibbles: &Nibbles, out: &mut [u8; 8]) {
    let (pairs, _) = nibbles.as_chunks::<2>();
    for (b, [hi, lo]) in out.iter_mut().zip(pairs) {
        *b = (hi << 4) | (lo & 0x0F);
    }
}

/// Splits 8 bytes into 16 nibbles, most significant nibble first.
pub(super) fn unpack(bytes: &[u8; 8], out: &mut Nibbles) {
    let (pairs, _) = out.as_chunks_mut::<2>();
    for (pair, b) in pairs.iter_mut().zip(bytes) {
        *pair = [b >> 4, b & 0x0F];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::h;

    fn nibbles(hex: &str) -> Nibbles {
        let b: [u8; 8] = h(hex).try_into().unwrap();
        let mut n = [0u8; 16];
        unpack(&b, &mut n);
        n
    }

    fn hex(n: &Nibbles) -> std::string::String {
        extern crate std;
        let mut b = [0u8; 8];
        pack(n, &mut b);
        hex::encode_upper(b)
    }

    extern crate std;

    fn encode_hex(format: Format, pin: &str, fill: &str) -> std::string::String {
        let pin = Pin::from_digits(pin.as_bytes()).unwrap();
        let fill = Fill::from_hex(fill.as_bytes()).unwrap();
        let (parts, ok) = FillParts::given(format, pin.len, &fill);
        assert!(bool::from(ok));
        let mut out = [0u8; 16];
        encode(format, &pin, &parts.nibbles, &mut out);
        hex(&out)
    }

    #[test]
    fn encodes_published_plain_fields() {
        // psec 1.3.0 docstring: encode_pinblock_iso_2("1234") -> 241234FFFFFFFFFF.
        assert_eq!(encode_hex(Format::Iso2, "1234", ""), "241234FFFFFFFFFF");
        // psec 1.3.0: decode_pinblock_iso_2(2C123456789012FF) -> 123456789012.
        assert_eq!(
            encode_hex(Format::Iso2, "123456789012", ""),
            "2C123456789012FF"
        );
        // IBM CCA Basic Services, ISO-1 PIN-block format example: PIN 123456,
        // fillers 6ABCFDE1 -> 161234566ABCFDE1.
        assert_eq!(
            encode_hex(Format::Iso1, "123456", "6ABCFDE1"),
            "161234566ABCFDE1"
        );
        // psec 1.3.0: encode_pin_field_iso_4("1234") starts 441234AAAAAAAAAA.
        assert_eq!(
            encode_hex(Format::Iso4, "1234", "0123456789ABCDEF"),
            "441234AAAAAAAAAA"
        );
        // Format 0 field of the ANSI X9.24-1 Annex A PIN: 041234FFFFFFFFFF.
        assert_eq!(encode_hex(Format::Iso0, "1234", ""), "041234FFFFFFFFFF");
        // Format 3 (ISO 9564-1 layout): control 3, length 5, the digits,
        // then the 9 fill nibbles as given.
        assert_eq!(
            encode_hex(Format::Iso3, "12345", "ABCDEFABC"),
            "3512345ABCDEFABC"
        );
    }

    #[test]
    fn decodes_and_checks_every_rule() {
        let ok = |f: Format, hex: &str| -> Option<std::vec::Vec<u8>> {
            let mut pin = Pin::empty();
            let good = decode(f, &nibbles(hex), &mut pin);
            bool::from(good).then(|| pin.expose_secret().to_vec())
        };
        assert_eq!(ok(Format::Iso0, "041234FFFFFFFFFF").unwrap(), b"1234");
        assert_eq!(
            ok(Format::Iso2, "2C123456789012FF").unwrap(),
            b"123456789012"
        );
        assert_eq!(ok(Format::Iso1, "161234566ABCFDE1").unwrap(), b"123456");
        assert_eq!(ok(Format::Iso3, "3512345ABCDEFABC").unwrap(), b"12345");
        assert_eq!(ok(Format::Iso4, "441234AAAAAAAAAA").unwrap(), b"1234");
        // Control field.
        assert_eq!(ok(Format::Iso0, "141234FFFFFFFFFF"), None);
        assert_eq!(ok(Format::Iso1, "041234FFFFFFFFFF"), None);
        assert_eq!(ok(Format::Iso4, "341234AAAAAAAAAA"), None);
        // Length below 4, above 12, and the nibble maximum.
        assert_eq!(ok(Format::Iso0, "03123FFFFFFFFFFF"), None);
        assert_eq!(ok(Format::Iso1, "1D1234567890123F"), None);
        assert_eq!(ok(Format::Iso1, "1F12345678901234"), None);
        assert_eq!(ok(Format::Iso1, "1012345678901234"), None);
        // A PIN nibble that is not a digit, first and last position.
        assert_eq!(ok(Format::Iso0, "04A234FFFFFFFFFF"), None);
        assert_eq!(ok(Format::Iso1, "1C12345678901A12"), None);
        assert_eq!(ok(Format::Iso3, "34123AAAAAAAAAAA"), None);
        // Fill: F for formats 0 and 2 (first and last fill nibble).
        assert_eq!(ok(Format::Iso0, "041234EFFFFFFFFF"), None);
        assert_eq!(ok(Format::Iso2, "241234FFFFFFFFFE"), None);
        // Fill: A-F for format 3; 9 is not.
        assert_eq!(ok(Format::Iso3, "3412349AAAAAAAAA"), None);
        assert_eq!(ok(Format::Iso3, "341234AAAAAAAAA0"), None);
        // Fill: A for format 4.
        assert_eq!(ok(Format::Iso4, "441234AAAAAAAAAB"), None);
        assert_eq!(ok(Format::Iso4, "441234FFFFFFFFFF"), None);
        // Format 1 takes any fill; a 12-digit PIN's last two nibbles too.
        assert_eq!(
            ok(Format::Iso1, "1C12345678901290").unwrap(),
            b"123456789012"
        );
    }

    #[test]
    fn given_fill_must_fit_the_pin() {
        let pin = Pin::from_digits(b"1234").unwrap();
        for (f, fill, good) in [
            (Format::Iso1, "0123456789", true),
            (Format::Iso1, "012345678", false),
            (Format::Iso1, "0123456789A", false),
            (Format::Iso3, "ABCDEFABCD", true),
            (Format::Iso3, "ABCDEFABC9", false),
            (Format::Iso3, "0BCDEFABCD", false),
            (Format::Iso4, "0123456789ABCDEF", true),
            (Format::Iso4, "0123456789ABCDE", false),
            (Format::Iso0, "", true),
            (Format::Iso2, "ABC", true),
        ] {
            let fill = match Fill::from_hex(fill.as_bytes()) {
                Ok(fill) => fill,
                Err(_) => continue,
            };
            let (_, ok) = FillParts::given(f, pin.len, &fill);
            assert_eq!(bool::from(ok), good, "{f:?} {fill:?}");
        }
    }

    #[test]
    fn masks_agree_with_comparisons_everywhere() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                assert_eq!(lt(a, b), if a < b { 0xFF } else { 0 }, "{a} < {b}");
                assert_eq!(eq(a, b), if a == b { 0xFF } else { 0 }, "{a} == {b}");
            }
            assert_eq!(select(0xFF, a, !a), a);
            assert_eq!(select(0, a, !a), !a);
        }
    }

    #[test]
    fn a_to_f_covers_a_to_f_evenly() {
        // The six sixths of the 64-bit range map to A..F in order: the
        // middle of each, floor((2k + 1) 2^64 / 12), and both sides of each
        // boundary ceil(k 2^64 / 6) (values computed with Python integers).
        let mids: [u64; 6] = [
            1537228672809129301,
            4611686018427387904,
            7686143364045646506,
            10760600709663905109,
            13835058055282163712,
            16909515400900422314,
        ];
        let starts: [u64; 5] = [
            3074457345618258603,
            6148914691236517206,
            9223372036854775808,
            12297829382473034411,
            15372286728091293014,
        ];
        for (mid, want) in mids.into_iter().zip(10u8..) {
            assert_eq!(a_to_f(mid), want);
        }
        for (start, want) in starts.into_iter().zip(11u8..) {
            assert_eq!(a_to_f(start), want);
            assert_eq!(a_to_f(start - 1), want - 1);
        }
        assert_eq!(a_to_f(0), 0xA);
        assert_eq!(a_to_f(u64::MAX), 0xF);
    }
}
