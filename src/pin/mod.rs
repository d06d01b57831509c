//! ISO 9564-1 PIN blocks (formats 0 to 4): encipher, decipher, translate.
//!
//! The PIN is what a cardholder types; the PIN block is how it travels.
//!
//! | format | cipher | plain-text PIN field | bound to the PAN |
//! |---|---|---|---|
//! | 0 | TDES | `0 N P…P F…F` | XOR `0000` + 12 rightmost PAN digits excluding the check digit |
//! | 1 | TDES | `1 N P…P R…R`, R transaction-unique (here: random 0–F) | no |
//! | 2 | TDES | `2 N P…P F…F` (ICC, offline PIN) | no |
//! | 3 | TDES | `3 N P…P R…R`, R random in A–F | as format 0 |
//! | 4 | AES | `4 N P…P A…A` (16 nibbles) + 8 random bytes | `E(K, E(K, PIN field) ⊕ PAN field)`, PAN field `M` + PAN digits + zeros, M = PAN length − 12 |
//!
//! N is the PIN length (4 to 12), P a PIN digit (0 to 9).
//!
//! - [`Pin`]: 4 to 12 digits in a fixed buffer, wiped on drop.
//! - [`PinBlockCipher`]: a key bound to a [`Format`], schedule made once;
//!   [`encipher`](PinBlockCipher::encipher) (fill from a caller's
//!   `rand_core` 0.10 [`TryCryptoRng`](rand_core::TryCryptoRng), so a
//!   failing hardware RNG is an error, not a panic),
//!   [`encipher_with_fill`](PinBlockCipher::encipher_with_fill) (fill
//!   given, for known answers), [`decipher`](PinBlockCipher::decipher).
//! - [`AesPinBlockCipher`]: the same calls for format 4 alone, for a
//!   terminal whose firmware should carry no TDES code.
//! - [`PinTranslator`]: from one key and format to another, one block or a
//!   batch, without the clear PIN leaving the kernel.
//!
//! ## What deciphering checks
//!
//! Every rule ISO 9564-1 sets for the plain-text PIN field: the control
//! field, the PIN length (4 to 12), each PIN digit (0 to 9), and each fill
//! nibble (F for formats 0 and 2, A–F for format 3, A for the first half of
//! format 4; format 1's fill is free). A block that breaks any of them is
//! refused with [`Error::InvalidPinBlock`](crate::Error::InvalidPinBlock).
//! The random half of format 4 is not checked (it is random).
//!
//! ## Constant time
//!
//! The PIN length, digits and fill are secret. Every nibble position is
//! computed or checked the same way for every length, with byte masks
//! derived from it; every broken rule sets bits of one mask, which becomes
//! one [`subtle::Choice`] and then a `Result` in one place (the kernel's
//! private `ct::verdict`), with no early exit; digits are converted without
//! tables or division. Random A–F nibbles (format 3) come from 64 random
//! bits each by a multiply-and-shift, with no `%` and no rejection loop.
//! Public data steers control flow: the format, the key length, the block
//! size, whether a PAN is present, the PAN itself.
//!
//! The verdict (a block is good or not) is what the caller asks for, so it
//! is revealed: the branch in `ct::verdict` is the one place where a
//! secret-derived value steers control flow. The secret-taint check
//! (`ct-check`, valgrind memcheck) reports exactly that frame for
//! `Pin::from_digits`, decipher, translate and encipher with a given fill;
//! key, PIN and fill bytes reach no other branch or memory index here.

mod block;
mod clear;
mod field;
mod translate;
mod verify;

pub(crate) use self::block::Directions;
pub use self::block::{AesPinBlockCipher, Format, PinBlock, PinBlockCipher};
pub use self::clear::{Fill, Pin};
pub use self::translate::PinTranslator;
pub(crate) use self::translate::{translate_between, translate_tdes_many};
pub use self::verify::PinVerifier;

#[cfg(test)]
mod proptests;
#[cfg(test)]
pub(crate) mod tests {
    use core::convert::Infallible;

    use rand_core::{TryCryptoRng, TryRng};

    use super::*;
    use crate::test_util::h;
    use crate::{Error, Pan};

    extern crate std;
    use std::vec;
    use std::vec::Vec;

    /// A deterministic byte counter standing in for a CSPRNG in tests: the
    /// blocks it helps make are checked by deciphering, never by value.
    pub(crate) struct CountingRng(pub(crate) u8);

    impl TryRng for CountingRng {
        type Error = Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Infallible> {
            let mut b = [0u8; 4];
            self.try_fill_bytes(&mut b)?;
            Ok(u32::from_le_bytes(b))
        }
        fn try_next_u64(&mut self) -> Result<u64, Infallible> {
            let mut b = [0u8; 8];
            self.try_fill_bytes(&mut b)?;
            Ok(u64::from_le_bytes(b))
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
            for d in dst {
                self.0 = self.0.wrapping_mul(181).wrapping_add(59);
                *d = self.0;
            }
            Ok(())
        }
    }

    impl TryCryptoRng for CountingRng {}

    /// A hardware RNG that has failed: gives `n` good bytes, then errors.
    pub(crate) struct FailingRng(pub(crate) usize);

    #[derive(Debug)]
    pub(crate) struct TrngFault;

    impl core::fmt::Display for TrngFault {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("TRNG fault")
        }
    }

    impl core::error::Error for TrngFault {}

    impl TryRng for FailingRng {
        type Error = TrngFault;
        fn try_next_u32(&mut self) -> Result<u32, TrngFault> {
            let mut b = [0u8; 4];
            self.try_fill_bytes(&mut b)?;
            Ok(u32::from_le_bytes(b))
        }
        fn try_next_u64(&mut self) -> Result<u64, TrngFault> {
            let mut b = [0u8; 8];
            self.try_fill_bytes(&mut b)?;
            Ok(u64::from_le_bytes(b))
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), TrngFault> {
            if dst.len() > self.0 {
                return Err(TrngFault);
            }
            self.0 = self.0.saturating_sub(dst.len());
            dst.fill(0x5A);
            Ok(())
        }
    }

    impl TryCryptoRng for FailingRng {}

    #[test]
    fn a_failing_rng_is_an_error_not_a_panic() {
        let pin = Pin::from_digits(b"1234").unwrap();
        let pan: Pan = "4111111111111111".parse().unwrap();
        for f in [Format::Iso1, Format::Iso3, Format::Iso4] {
            assert_eq!(
                cipher(f)
                    .encipher(&pin, Some(&pan), &mut FailingRng(0))
                    .err(),
                Some(Error::RngFailure),
                "{f:?}"
            );
        }
        // Formats 0 and 2 draw nothing: a dead RNG does not matter.
        for f in [Format::Iso0, Format::Iso2] {
            assert!(
                cipher(f)
                    .encipher(&pin, Some(&pan), &mut FailingRng(0))
                    .is_ok()
            );
        }
        // Translation to format 1 draws a fill per block: the fault is the
        // failing block's error, and the blocks before it are unharmed.
        let src = cipher(Format::Iso0)
            .encipher(&pin, Some(&pan), &mut FailingRng(0))
            .unwrap();
        let t = PinTranslator::new(cipher(Format::Iso0), cipher(Format::Iso1));
        assert_eq!(
            t.translate(src.as_bytes(), Some(&pan), &mut FailingRng(0))
                .err(),
            Some(Error::RngFailure)
        );
        let blocks = [src, src, src];
        let pans = [pan, pan, pan];
        let mut out: Vec<Result<PinBlock, Error>> = vec![Err(Error::Unsupported); 3];
        // Enough for one format 1 fill (8 bytes), not for two.
        t.translate_many(&blocks, &pans, &mut out, &mut FailingRng(8))
            .unwrap();
        assert!(out[0].is_ok());
        assert_eq!(out[1].as_ref().err(), Some(&Error::RngFailure));
        assert_eq!(out[2].as_ref().err(), Some(&Error::RngFailure));
        let back = cipher(Format::Iso1)
            .decipher(out[0].as_ref().unwrap().as_bytes(), None)
            .unwrap();
        assert_eq!(back.expose_secret(), b"1234");
    }

    const TDES: &str = "0123456789ABCDEFFEDCBA9876543210";
    const AES: &str = "00112233445566778899AABBCCDDEEFF";

    fn cipher(f: Format) -> PinBlockCipher {
        let key = if f == Format::Iso4 { AES } else { TDES };
        PinBlockCipher::new(f, &h(key)).unwrap()
    }

    #[test]
    fn random_blocks_decipher_for_every_format_and_length() {
        let mut rng = CountingRng(7);
        let pan: Pan = "4111111111111111".parse().unwrap();
        let digits = b"908172635445";
        for f in Format::ALL {
            let c = cipher(f);
            for n in 4..=12 {
                let pin = Pin::from_digits(&digits[..n]).unwrap();
                let a = c.encipher(&pin, Some(&pan), &mut rng).unwrap();
                let b = c.encipher(&pin, Some(&pan), &mut rng).unwrap();
                assert_eq!(a.as_bytes().len(), f.block_len());
                let got = c.decipher(a.as_bytes(), Some(&pan)).unwrap();
                assert!(bool::from(subtle::ConstantTimeEq::ct_eq(&got, &pin)));
                // Formats with a random part give a new block each time
                // (for the A–F fill only while there is room for it).
                let random = matches!(f, Format::Iso1 | Format::Iso3 | Format::Iso4);
                assert_eq!(a != b, random, "{f:?} {n}");
            }
        }
    }

    #[test]
    fn random_format3_fill_is_a_to_f() {
        // Decrypt the format-3 block with the bare key and remove the PAN
        // field: the fill nibbles are then visible.
        let mut rng = CountingRng(1);
        let c3 = cipher(Format::Iso3);
        let raw = crate::TdesCipher::new(&crate::TdesKey::from_slice(&h(TDES)).unwrap());
        let pin = Pin::from_digits(b"1234").unwrap();
        let pan: Pan = "4012345678909".parse().unwrap();
        let pan_field = h("0000401234567890");
        let mut seen = [false; 16];
        for _ in 0..200 {
            let b = c3.encipher(&pin, Some(&pan), &mut rng).unwrap();
            let mut x: [u8; 8] = b.as_bytes().try_into().unwrap();
            raw.decrypt_block(&mut x);
            let clear: Vec<u8> = x.iter().zip(&pan_field).map(|(a, p)| a ^ p).collect();
            assert_eq!(&clear[..3], &h("341234")[..]);
            for byte in &clear[3..] {
                for n in [byte >> 4, byte & 15] {
                    assert!(n >= 0xA, "{clear:02X?}");
                    seen[usize::from(n)] = true;
                }
            }
        }
        assert!(seen[10..].iter().all(|s| *s), "every one of A-F appears");
    }

    #[test]
    fn translate_every_pair_of_formats() {
        let mut rng = CountingRng(3);
        let pan: Pan = "5237481234567895".parse().unwrap();
        let pin = Pin::from_digits(b"73910264").unwrap();
        for from in Format::ALL {
            for to in Format::ALL {
                let t = PinTranslator::new(cipher(from), cipher(to));
                let src = cipher(from).encipher(&pin, Some(&pan), &mut rng).unwrap();
                let out = t.translate(src.as_bytes(), Some(&pan), &mut rng).unwrap();
                assert_eq!(out.as_bytes().len(), to.block_len());
                let back = cipher(to).decipher(out.as_bytes(), Some(&pan)).unwrap();
                assert_eq!(back.expose_secret(), b"73910264", "{from:?} -> {to:?}");
                // A PAN is needed exactly when either side uses one.
                let no_pan = t.translate(src.as_bytes(), None, &mut rng);
                if from.uses_pan() || to.uses_pan() {
                    assert_eq!(no_pan.err(), Some(Error::InvalidPan));
                } else {
                    assert!(no_pan.is_ok());
                }
            }
        }
    }

    #[test]
    fn translate_format0_to_4_and_back_with_known_answers() {
        let k0 = h("042666B49184CF5C68DE9628D0397B36");
        let k4 = h("AF8CB133A78F8DC2D1359F18527593FB");
        let to4 = PinTranslator::new(
            PinBlockCipher::new(Format::Iso0, &k0).unwrap(),
            PinBlockCipher::new(Format::Iso4, &k4).unwrap(),
        );
        let to0 = PinTranslator::new(
            PinBlockCipher::new(Format::Iso4, &k4).unwrap(),
            PinBlockCipher::new(Format::Iso0, &k0).unwrap(),
        );
        let fill = Fill::from_hex(b"2F69ADDE2E9E7ACE").unwrap();
        let no_fill = Fill::from_hex(b"").unwrap();
        // ANSI X9.24-1:2009 Annex A.4 block 1 (format 0, PAN 4012345678909)
        // into format 4 under the X9.24-3-2017 supplement's transaction-1
        // PIN key with its random bytes: the expected block is
        // AES(K, AES(K, 441234AAAAAAAAAA2F69ADDE2E9E7ACE) XOR
        // 14012345678909000000000000000000), computed with pyca/cryptography
        // 48.
        let annex_pan: Pan = "4012345678909".parse().unwrap();
        let out = to4
            .translate_with_fill(&h("1B9C1845EB993A7A"), Some(&annex_pan), &fill)
            .unwrap();
        assert_eq!(out.as_bytes(), &h("FD68AC257143034B99581D963C45D58A")[..]);
        // And back to Annex A's block 1.
        let back = to0
            .translate_with_fill(out.as_bytes(), Some(&annex_pan), &no_fill)
            .unwrap();
        assert_eq!(back.as_bytes(), &h("1B9C1845EB993A7A")[..]);
        // The X9.24-3-2017 supplement's format 4 block (PAN
        // 4111111111111111) into format 0 under the Annex A key:
        // TDES(K, 041234FFFFFFFFFF XOR 0000111111111111), pyca/cryptography 48.
        let pan: Pan = "4111111111111111".parse().unwrap();
        let b0 = to0
            .translate_with_fill(&h("A912150391AB65A67E52883D81CE2D15"), Some(&pan), &no_fill)
            .unwrap();
        assert_eq!(b0.as_bytes(), &h("E6256C75DD53796C")[..]);
        let b4 = to4
            .translate_with_fill(b0.as_bytes(), Some(&pan), &fill)
            .unwrap();
        assert_eq!(b4.as_bytes(), &h("A912150391AB65A67E52883D81CE2D15")[..]);
        // Under the wrong PAN the incoming block breaks its rules.
        assert_eq!(
            to4.translate_with_fill(b0.as_bytes(), Some(&annex_pan), &fill)
                .err(),
            Some(Error::InvalidPinBlock)
        );
    }

    #[test]
    fn translate_psec_and_pyca_known_answers() {
        // Cases translate-1-to-3, translate-4-to-1 and translate-2-to-4 of
        // vectors/iso9564-1-psec.json (psec 1.3.0 and pyca/cryptography 48;
        // format 1 from the ISO 9564-1 layout in vectors/tools/iso9564_psec.py).
        let t = |from: (Format, &str), to: (Format, &str), block: &str, pan: &str, fill: &str| {
            let t = PinTranslator::new(
                PinBlockCipher::new(from.0, &h(from.1)).unwrap(),
                PinBlockCipher::new(to.0, &h(to.1)).unwrap(),
            );
            let pan: Pan = pan.parse().unwrap();
            let fill = Fill::from_hex(fill.as_bytes()).unwrap();
            t.translate_with_fill(&h(block), Some(&pan), &fill)
                .unwrap()
                .as_bytes()
                .to_vec()
        };
        assert_eq!(
            t(
                (
                    Format::Iso1,
                    "9A41A693D13F794B76362F6742977FCC50BE47AB386586B6"
                ),
                (Format::Iso3, "FBFDD6C50FF8835C"),
                "B4D11898CFF25D4C",
                "96216062818145",
                "CAA"
            ),
            h("6F3EAEFBB8E905FF")
        );
        assert_eq!(
            t(
                (
                    Format::Iso4,
                    "AF0D3AC59721BA7CEC6E91EA353154A991BCF2AEF7C4D70B"
                ),
                (Format::Iso1, "D687AF93164EBA8C"),
                "0B63BCC3F423F7A937446592F8CE6955",
                "8498070133850076711",
                "63E"
            ),
            h("F2FC159682F69C19")
        );
        assert_eq!(
            t(
                (Format::Iso2, "CFE0035F829A3907"),
                (Format::Iso4, "EEA25B278F5C61CE81AC998D49AF4E79"),
                "EF6D6EC587BAB82F",
                "192682206307464",
                "92623359B5EF00CC"
            ),
            h("6915590EDEF2953FC2CBDE0801E0FBF9")
        );
    }

    #[test]
    fn translate_fill_must_fit_the_pin_inside() {
        let mut rng = CountingRng(9);
        let pan: Pan = "4012345678909".parse().unwrap();
        let t = PinTranslator::new(cipher(Format::Iso0), cipher(Format::Iso3));
        let pin = Pin::from_digits(b"12345").unwrap();
        let src = cipher(Format::Iso0)
            .encipher(&pin, Some(&pan), &mut rng)
            .unwrap();
        let good = Fill::from_hex(b"ABCDEFABC").unwrap();
        assert!(
            t.translate_with_fill(src.as_bytes(), Some(&pan), &good)
                .is_ok()
        );
        for bad in [&b"ABCDEFAB"[..], b"ABCDEFABCD", b"ABCDEFAB0"] {
            let fill = Fill::from_hex(bad).unwrap();
            assert_eq!(
                t.translate_with_fill(src.as_bytes(), Some(&pan), &fill)
                    .err(),
                Some(Error::InvalidPinBlock)
            );
        }
        // Wrong block size for the incoming format.
        assert_eq!(
            t.translate(&[0u8; 16], Some(&pan), &mut rng).err(),
            Some(Error::InvalidPinBlock)
        );
    }

    #[test]
    fn translate_many_matches_one_by_one() {
        let mut rng = CountingRng(11);
        let t = PinTranslator::new(cipher(Format::Iso0), cipher(Format::Iso4));
        let pans: Vec<Pan> = ["4012345678909", "5237481234567895", "123456789012"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let pins = [&b"1234"[..], b"987654321098", b"55555"];
        let mut blocks: Vec<PinBlock> = pins
            .iter()
            .zip(&pans)
            .map(|(p, pan)| {
                let pin = Pin::from_digits(p).unwrap();
                cipher(Format::Iso0)
                    .encipher(&pin, Some(pan), &mut rng)
                    .unwrap()
            })
            .collect();
        // One bad block in the middle: refused alone.
        blocks[1] = PinBlock::from_slice(&[0u8; 8]).unwrap();
        let mut out = [Err(Error::Unsupported); 3];
        t.translate_many(&blocks, &pans, &mut out, &mut rng)
            .unwrap();
        let c4 = cipher(Format::Iso4);
        for (i, (o, pan)) in out.iter().zip(&pans).enumerate() {
            if i == 1 {
                assert_eq!(*o, Err(Error::InvalidPinBlock));
                continue;
            }
            let b = o.as_ref().unwrap();
            let pin = c4.decipher(b.as_bytes(), Some(pan)).unwrap();
            assert_eq!(pin.expose_secret(), pins[i]);
        }
        let mut short = [Err(Error::Unsupported); 2];
        assert_eq!(
            t.translate_many(&blocks, &pans, &mut short, &mut rng),
            Err(Error::InvalidLength)
        );
        assert_eq!(
            t.translate_many(&blocks, &pans[..2], &mut out, &mut rng),
            Err(Error::InvalidLength)
        );
        // Without a PAN on either side, `pans` may be empty.
        let t12 = PinTranslator::new(cipher(Format::Iso1), cipher(Format::Iso2));
        let pin = Pin::from_digits(b"2468").unwrap();
        let b1 = [cipher(Format::Iso1).encipher(&pin, None, &mut rng).unwrap()];
        let mut o1 = [Err(Error::Unsupported)];
        t12.translate_many(&b1, &[], &mut o1, &mut rng).unwrap();
        let p = cipher(Format::Iso2)
            .decipher(o1[0].as_ref().unwrap().as_bytes(), None)
            .unwrap();
        assert_eq!(p.expose_secret(), b"2468");
    }

    #[test]
    fn translate_many_gives_the_published_format_0_blocks() {
        // ANSI X9.24-1:2009 Annex A.4: PIN 1234, PAN 4012345678909 under
        // the PIN keys of transactions 1 and 2 give 1B9C1845EB993A7A and
        // 10A01C8D02C69107. Format 0 has no random part, so translating the
        // first block from key 1 to key 2 must give the second, in every
        // lane of the bitsliced batches and in the block-by-block tail.
        let k1 = PinBlockCipher::new(Format::Iso0, &h("042666B49184CF5C68DE9628D0397B36")).unwrap();
        let k2 = PinBlockCipher::new(Format::Iso0, &h("C46551CEF9FD244FAA9AD834130D3B38")).unwrap();
        let t = PinTranslator::new(k1, k2);
        let pan: Pan = "4012345678909".parse().unwrap();
        let from = PinBlock::from_slice(&h("1B9C1845EB993A7A")).unwrap();
        let want = PinBlock::from_slice(&h("10A01C8D02C69107")).unwrap();
        for n in [1usize, 6, 7, 64, 65, 130] {
            let blocks = vec![from; n];
            let pans = vec![pan; n];
            let mut out = vec![Err(Error::Unsupported); n];
            t.translate_many(&blocks, &pans, &mut out, &mut CountingRng(0))
                .unwrap();
            assert!(out.iter().all(|o| *o == Ok(want)), "{n} blocks");
        }
    }

    #[test]
    #[allow(
        clippy::integer_division_remainder_used,
        clippy::arithmetic_side_effects,
        clippy::cast_possible_truncation,
        reason = "test data made from small public indices"
    )]
    fn translate_many_equals_translate_block_by_block() {
        // Every pair of a TDES and an AES format, with valid blocks, blocks
        // that fail their format's rules and blocks of the wrong size mixed
        // in: the batch gives exactly what `translate` gives one block at a
        // time with the same random source (fills are drawn in block order).
        let pans: Vec<Pan> = (0..150u64)
            .map(|i| {
                std::format!("{}", 4_000_000_000_000u64 + i * 7_919)
                    .parse()
                    .unwrap()
            })
            .collect();
        let mut rng = CountingRng(3);
        for (from, to) in [
            (Format::Iso0, Format::Iso0),
            (Format::Iso0, Format::Iso3),
            (Format::Iso3, Format::Iso1),
            (Format::Iso1, Format::Iso2),
            (Format::Iso0, Format::Iso4),
            (Format::Iso4, Format::Iso0),
            (Format::Iso4, Format::Iso4),
        ] {
            let src = cipher(from);
            let blocks: Vec<PinBlock> = pans
                .iter()
                .enumerate()
                .map(|(i, pan)| {
                    let digits = b"31415926535897932384";
                    let pin = Pin::from_digits(&digits[i % 7..i % 7 + 4 + i % 9]).unwrap();
                    match i % 11 {
                        // Noise: fails the format's rules (almost surely).
                        3 => PinBlock::from_slice(&vec![i as u8; from.block_len()]).unwrap(),
                        // The other cipher's block size.
                        5 => PinBlock::from_slice(&vec![0x5A; 24 - from.block_len()]).unwrap(),
                        _ => src.encipher(&pin, Some(pan), &mut rng).unwrap(),
                    }
                })
                .collect();
            let t = PinTranslator::new(cipher(from), cipher(to));
            let mut batch = vec![Err(Error::Unsupported); blocks.len()];
            t.translate_many(&blocks, &pans, &mut batch, &mut CountingRng(42))
                .unwrap();
            let mut one_rng = CountingRng(42);
            let mut refused = 0;
            for ((b, pan), got) in blocks.iter().zip(&pans).zip(&batch) {
                let want = t.translate(b.as_bytes(), Some(pan), &mut one_rng);
                assert_eq!(*got, want, "{from:?} -> {to:?}");
                refused += usize::from(want.is_err());
            }
            // The noise and the wrong sizes are refused; nothing else.
            assert_eq!(refused, 28, "{from:?} -> {to:?}");
        }
    }

    #[test]
    fn format_numbers() {
        for (n, f) in (0u64..).zip(Format::ALL) {
            assert_eq!(Format::from_number(n), Ok(f));
            assert_eq!(u64::from(f.number()), n);
        }
        assert_eq!(Format::from_number(5), Err(Error::Unsupported));
        assert_eq!(Format::from_number(u64::MAX), Err(Error::Unsupported));
    }

    /// The DUKPT host's TDES batch refuses as docs/vectors.md says: slices of
    /// different lengths or an AES format are `invalid-length`; a block of a
    /// PAN format without its PAN is `invalid-pan`, in its own slot.
    #[test]
    fn tdes_batch_translation_refusals() {
        let key = || crate::TdesKey::from_slice(&h(TDES)).unwrap();
        let keys = [key(), key()];
        let to = cipher(Format::Iso1);
        let block = [0u8; 8];
        let blocks: [&[u8]; 2] = [&block, &block];
        let formats = [Format::Iso0, Format::Iso0];
        let pans: [Option<&Pan>; 2] = [None, None];
        let mut out: Vec<Result<PinBlock, Error>> = vec![Err(Error::Unsupported); 2];
        let mut rng = CountingRng(7);
        for (nf, nb, np, no) in [(2, 1, 1, 1), (1, 2, 1, 1), (1, 1, 2, 1), (1, 1, 1, 2)] {
            assert_eq!(
                translate_tdes_many(
                    &keys[..1],
                    &formats[..nf],
                    &blocks[..nb],
                    &pans[..np],
                    &to,
                    &mut out[..no],
                    &mut rng
                ),
                Err(Error::InvalidLength)
            );
        }
        assert_eq!(
            translate_tdes_many(
                &keys[..1],
                &[Format::Iso4],
                &blocks[..1],
                &pans[..1],
                &to,
                &mut out[..1],
                &mut rng
            ),
            Err(Error::InvalidLength)
        );
        translate_tdes_many(
            &keys[..1],
            &formats[..1],
            &blocks[..1],
            &pans[..1],
            &to,
            &mut out[..1],
            &mut rng,
        )
        .unwrap();
        assert_eq!(out[0], Err(Error::InvalidPan));
        // A zone key whose key block allows only deciphering cannot be the
        // outgoing key.
        let mut decipher_only = cipher(Format::Iso1);
        decipher_only.restrict(Directions {
            encipher: false,
            decipher: true,
        });
        assert_eq!(
            translate_tdes_many(
                &keys[..1],
                &formats[..1],
                &blocks[..1],
                &pans[..1],
                &decipher_only,
                &mut out[..1],
                &mut rng
            ),
            Err(Error::InvalidKey)
        );

        // At most BATCH (64) blocks: 64 are taken, 65 are refused whole.
        // Each of the 64 is refused on its own: the zero block deciphers
        // under this key to C1E6E95D2166B5C4 (PyCryptodome's DES3), whose
        // control nibble C is not format 1's.
        let keys: Vec<crate::TdesKey> = (0..65).map(|_| key()).collect();
        let blocks: Vec<&[u8]> = std::vec![&block[..]; 65];
        let formats = [Format::Iso1; 65];
        let pans: [Option<&Pan>; 65] = [None; 65];
        let mut out: Vec<Result<PinBlock, Error>> = std::vec![Err(Error::Unsupported); 65];
        assert_eq!(
            translate_tdes_many(&keys, &formats, &blocks, &pans, &to, &mut out, &mut rng),
            Err(Error::InvalidLength)
        );
        translate_tdes_many(
            &keys[..64],
            &formats[..64],
            &blocks[..64],
            &pans[..64],
            &to,
            &mut out[..64],
            &mut rng,
        )
        .unwrap();
        assert!(out[..64].iter().all(|r| *r == Err(Error::InvalidPinBlock)));
    }

    #[test]
    fn a_missing_pan_is_refused_before_any_fill_is_drawn() {
        // ISO 9564-1: formats 0 and 3 need the PAN, and format 3's fill is
        // random. Translating format 1 to format 3 without a PAN is
        // refused before the outgoing block's fill is drawn from the RNG
        // (and before the incoming block is opened): the RNG is left as
        // it was.
        let from = cipher(Format::Iso1);
        let to = cipher(Format::Iso3);
        let mut rng = CountingRng(7);
        assert_eq!(
            translate_between(&from, &to, &[0u8; 8], None, &mut rng),
            Err(Error::InvalidPan)
        );
        assert_eq!(rng.0, 7);
    }

    #[test]
    fn pin_block_from_slice() {
        assert!(PinBlock::from_slice(&[0; 8]).is_ok());
        assert!(PinBlock::from_slice(&[0; 16]).is_ok());
        for n in [0usize, 7, 9, 15, 17, 32] {
            assert_eq!(
                PinBlock::from_slice(&[0u8; 32][..n]).err(),
                Some(Error::InvalidPinBlock)
            );
        }
        let b = PinBlock::from_slice(&h("1B9C1845EB993A7A")).unwrap();
        extern crate std;
        assert_eq!(std::format!("{b:?}"), "PinBlock(1B9C1845EB993A7A)");
        // A cipher prints its format, never its key.
        assert_eq!(
            std::format!("{:?}", cipher(Format::Iso4)),
            "PinBlockCipher { format: Iso4, .. }"
        );
        assert_eq!(
            std::format!("{:?}", cipher(Format::Iso0)),
            "PinBlockCipher { format: Iso0, .. }"
        );
        // So do a translator (its two formats) and the AES-only cipher.
        let t = PinTranslator::new(cipher(Format::Iso0), cipher(Format::Iso4));
        assert_eq!(
            std::format!("{t:?}"),
            "PinTranslator { from: Iso0, to: Iso4, .. }"
        );
        let aes = AesPinBlockCipher::new(&crate::AesKey::from_slice(&h(AES)).unwrap());
        assert_eq!(std::format!("{aes:?}"), "AesPinBlockCipher { .. }");
    }
}
