//! Property tests of PIN blocks against a reference written here from
//! ISO 9564-1 over the RustCrypto `des` and `aes` crates (independent of
//! the kernel's ciphers and PIN field code): for every format, PIN length,
//! PAN length, key length and fill, a block made with a given fill is the
//! reference's block; every block (given or random fill) deciphers to its
//! PIN, and its clear field keeps the format's rules; a fill that does not
//! suit the format and PIN length is refused; translation gives the
//! reference's block of the target format.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::integer_division_remainder_used,
    clippy::cast_possible_truncation,
    reason = "test arithmetic on small public values"
)]

extern crate std;
use std::vec;
use std::vec::Vec;

use aes::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use proptest::prelude::*;

use super::tests::CountingRng;
use super::{Fill, Format, Pin, PinBlockCipher, PinTranslator};
use crate::{Error, Pan};

/// Single, double or triple length TDES (the `des` crate), or AES.
enum Oracle {
    Des(des::Des),
    Ede2(des::TdesEde2),
    Ede3(des::TdesEde3),
    Aes(aes::Aes128),
    Aes192(aes::Aes192),
    Aes256(aes::Aes256),
}

impl Oracle {
    fn new(format: u8, key: &[u8]) -> Oracle {
        match (format, key.len()) {
            (4, 16) => Oracle::Aes(aes::Aes128::new_from_slice(key).unwrap()),
            (4, 24) => Oracle::Aes192(aes::Aes192::new_from_slice(key).unwrap()),
            (4, 32) => Oracle::Aes256(aes::Aes256::new_from_slice(key).unwrap()),
            (_, 8) => Oracle::Des(des::Des::new_from_slice(key).unwrap()),
            (_, 16) => Oracle::Ede2(des::TdesEde2::new_from_slice(key).unwrap()),
            (_, 24) => Oracle::Ede3(des::TdesEde3::new_from_slice(key).unwrap()),
            _ => unreachable!(),
        }
    }

    fn enc(&self, b: &mut [u8]) {
        match self {
            Oracle::Des(c) => c.encrypt_block(b.try_into().unwrap()),
            Oracle::Ede2(c) => c.encrypt_block(b.try_into().unwrap()),
            Oracle::Ede3(c) => c.encrypt_block(b.try_into().unwrap()),
            Oracle::Aes(c) => c.encrypt_block(b.try_into().unwrap()),
            Oracle::Aes192(c) => c.encrypt_block(b.try_into().unwrap()),
            Oracle::Aes256(c) => c.encrypt_block(b.try_into().unwrap()),
        }
    }

    fn dec(&self, b: &mut [u8]) {
        match self {
            Oracle::Des(c) => c.decrypt_block(b.try_into().unwrap()),
            Oracle::Ede2(c) => c.decrypt_block(b.try_into().unwrap()),
            Oracle::Ede3(c) => c.decrypt_block(b.try_into().unwrap()),
            Oracle::Aes(c) => c.decrypt_block(b.try_into().unwrap()),
            Oracle::Aes192(c) => c.decrypt_block(b.try_into().unwrap()),
            Oracle::Aes256(c) => c.decrypt_block(b.try_into().unwrap()),
        }
    }
}

fn pack(nibbles: &[u8]) -> Vec<u8> {
    nibbles.chunks(2).map(|p| (p[0] << 4) | p[1]).collect()
}

/// Formats 0 and 3: `0000` and the 12 rightmost PAN digits excluding the
/// check digit (zeros on the left of a shorter PAN).
fn pan_field_tdes(pan: &[u8]) -> Vec<u8> {
    let body: Vec<u8> = pan[..pan.len() - 1].iter().map(|c| c - b'0').collect();
    let mut n = vec![0u8; 4 + 12usize.saturating_sub(body.len())];
    n.extend_from_slice(&body[body.len().saturating_sub(12)..]);
    pack(&n)
}

/// Format 4: `M` (PAN length − 12), the PAN digits, zeros to 32 nibbles.
fn pan_field_aes(pan: &[u8]) -> Vec<u8> {
    let mut n = vec![u8::try_from(pan.len() - 12).unwrap()];
    n.extend(pan.iter().map(|c| c - b'0'));
    n.resize(32, 0);
    pack(&n)
}

/// The plain-text PIN field: control nibble, length, digits, fill.
fn clear_field(format: u8, pin: &[u8], fill: &[u8]) -> Vec<u8> {
    let mut n = vec![format, u8::try_from(pin.len()).unwrap()];
    n.extend(pin.iter().map(|c| c - b'0'));
    match format {
        0 | 2 => n.resize(16, 0xF),
        4 => n.resize(16, 0xA),
        _ => n.extend_from_slice(fill),
    }
    let mut field = pack(&n);
    if format == 4 {
        field.extend(pack(fill));
    }
    field
}

/// ISO 9564-1: the block of `pin` in `format`.
fn reference_block(format: u8, key: &[u8], pin: &[u8], pan: &[u8], fill: &[u8]) -> Vec<u8> {
    let c = Oracle::new(format, key);
    let mut b = clear_field(format, pin, fill);
    match format {
        0 | 3 => {
            for (x, p) in b.iter_mut().zip(pan_field_tdes(pan)) {
                *x ^= p;
            }
            c.enc(&mut b);
        }
        4 => {
            c.enc(&mut b);
            for (x, p) in b.iter_mut().zip(pan_field_aes(pan)) {
                *x ^= p;
            }
            c.enc(&mut b);
        }
        _ => c.enc(&mut b),
    }
    b
}

/// The clear PIN field inside `block`, as 16 (format 4: 32) nibbles.
fn reference_open(format: u8, key: &[u8], block: &[u8], pan: &[u8]) -> Vec<u8> {
    let c = Oracle::new(format, key);
    let mut b = block.to_vec();
    match format {
        0 | 3 => {
            c.dec(&mut b);
            for (x, p) in b.iter_mut().zip(pan_field_tdes(pan)) {
                *x ^= p;
            }
        }
        4 => {
            c.dec(&mut b);
            for (x, p) in b.iter_mut().zip(pan_field_aes(pan)) {
                *x ^= p;
            }
            c.dec(&mut b);
        }
        _ => c.dec(&mut b),
    }
    b.iter().flat_map(|x| [x >> 4, x & 0x0F]).collect()
}

fn format_of(n: u8) -> Format {
    Format::ALL[usize::from(n)]
}

/// Format, key, PIN, PAN and a fill that suits them.
fn case() -> impl Strategy<Value = (u8, Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>)> {
    (0u8..=4, 4usize..=12, 12usize..=19, 0usize..3).prop_flat_map(|(f, n, m, k)| {
        let key_len = if f == 4 {
            [16, 24, 32][k]
        } else {
            [8, 16, 24][k]
        };
        let fill = match f {
            1 => prop::collection::vec(0u8..=15, 14 - n).boxed(),
            3 => prop::collection::vec(0xAu8..=0xF, 14 - n).boxed(),
            4 => prop::collection::vec(0u8..=15, 16).boxed(),
            // Formats 0 and 2 have no random part; a fill is ignored.
            _ => prop::collection::vec(0u8..=15, 0..=16).boxed(),
        };
        (
            Just(f),
            prop::collection::vec(any::<u8>(), key_len),
            prop::collection::vec(b'0'..=b'9', n),
            prop::collection::vec(b'0'..=b'9', m),
            fill,
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn given_fill_is_the_reference_block_and_deciphers((f, key, pin, pan, fill) in case()) {
        let cipher = PinBlockCipher::new(format_of(f), &key).unwrap();
        let p = Pin::from_digits(&pin).unwrap();
        let pn = Pan::from_digits(&pan).unwrap();
        let block = cipher
            .encipher_with_fill(&p, Some(&pn), &Fill::from_nibbles(&fill).unwrap())
            .unwrap();
        prop_assert_eq!(block.as_bytes(), &reference_block(f, &key, &pin, &pan, &fill)[..]);
        let back = cipher.decipher(block.as_bytes(), Some(&pn)).unwrap();
        prop_assert_eq!(back.expose_secret(), &pin[..]);
        // Formats 1 and 2 are not bound to the PAN: no PAN is needed.
        if matches!(f, 1 | 2) {
            let back = cipher.decipher(block.as_bytes(), None).unwrap();
            prop_assert_eq!(back.expose_secret(), &pin[..]);
        } else {
            prop_assert_eq!(cipher.decipher(block.as_bytes(), None).err(), Some(Error::InvalidPan));
        }
    }

    #[test]
    fn random_fill_keeps_the_format_rules((f, key, pin, pan, _) in case(), seed in any::<u8>()) {
        let cipher = PinBlockCipher::new(format_of(f), &key).unwrap();
        let p = Pin::from_digits(&pin).unwrap();
        let pn = Pan::from_digits(&pan).unwrap();
        let block = cipher.encipher(&p, Some(&pn), &mut CountingRng(seed)).unwrap();
        prop_assert_eq!(block.as_bytes().len(), if f == 4 { 16 } else { 8 });
        let back = cipher.decipher(block.as_bytes(), Some(&pn)).unwrap();
        prop_assert_eq!(back.expose_secret(), &pin[..]);
        let n = reference_open(f, &key, block.as_bytes(), &pan);
        prop_assert_eq!(n[0], f);
        prop_assert_eq!(usize::from(n[1]), pin.len());
        let digits: Vec<u8> = n[2..2 + pin.len()].iter().map(|d| d + b'0').collect();
        prop_assert_eq!(&digits, &pin);
        for &x in &n[2 + pin.len()..16] {
            match f {
                0 | 2 => prop_assert_eq!(x, 0xF),
                3 => prop_assert!(x >= 0xA),
                4 => prop_assert_eq!(x, 0xA),
                _ => {}
            }
        }
    }

    #[test]
    fn a_fill_that_does_not_suit_is_refused(
        (f, key, pin, pan, fill) in case(),
        extra in 1usize..=2,
        shorter in any::<bool>(),
        at in any::<prop::sample::Index>(),
        low in 0u8..0xA,
    ) {
        let cipher = PinBlockCipher::new(format_of(f), &key).unwrap();
        let p = Pin::from_digits(&pin).unwrap();
        let pn = Pan::from_digits(&pan).unwrap();
        // One or two nibbles too few or too many (at most 16 in all).
        let mut wrong = fill.clone();
        if (shorter || wrong.len() + extra > 16) && wrong.len() >= extra {
            wrong.truncate(wrong.len() - extra);
        } else {
            wrong.extend(core::iter::repeat_n(0xC, extra));
        }
        let r = cipher.encipher_with_fill(&p, Some(&pn), &Fill::from_nibbles(&wrong).unwrap());
        if matches!(f, 0 | 2) {
            prop_assert!(r.is_ok());
        } else {
            prop_assert_eq!(r.err(), Some(Error::InvalidPinBlock));
        }
        // Format 3: a nibble below A.
        if f == 3 && !fill.is_empty() {
            let mut bad = fill.clone();
            let i = at.index(bad.len());
            bad[i] = low;
            let r = cipher.encipher_with_fill(&p, Some(&pn), &Fill::from_nibbles(&bad).unwrap());
            prop_assert_eq!(r.err(), Some(Error::InvalidPinBlock));
        }
    }

    #[test]
    fn translation_gives_the_reference_block(
        (f, key, pin, pan, _) in case(),
        (g, key2, _, _, _) in case(),
        raw in prop::collection::vec(0u8..=15, 16),
        seed in any::<u8>(),
    ) {
        // A fill for the target format and this PIN's length.
        let fill2: Vec<u8> = match g {
            1 => raw[..14 - pin.len()].to_vec(),
            3 => raw[..14 - pin.len()].iter().map(|x| 0xA + x % 6).collect(),
            4 => raw.clone(),
            _ => Vec::new(),
        };
        let from = PinBlockCipher::new(format_of(f), &key).unwrap();
        let to = PinBlockCipher::new(format_of(g), &key2).unwrap();
        let p = Pin::from_digits(&pin).unwrap();
        let pn = Pan::from_digits(&pan).unwrap();
        let src = from.encipher(&p, Some(&pn), &mut CountingRng(seed)).unwrap();
        let t = PinTranslator::new(from, to);
        let out = t
            .translate_with_fill(src.as_bytes(), Some(&pn), &Fill::from_nibbles(&fill2).unwrap())
            .unwrap();
        prop_assert_eq!(out.as_bytes(), &reference_block(g, &key2, &pin, &pan, &fill2)[..]);
        // With a random fill: the target format's field holds the PIN.
        let out = t.translate(src.as_bytes(), Some(&pn), &mut CountingRng(seed)).unwrap();
        let n = reference_open(g, &key2, out.as_bytes(), &pan);
        let digits: Vec<u8> = n[2..2 + pin.len()].iter().map(|d| d + b'0').collect();
        prop_assert_eq!((n[0], usize::from(n[1]), digits), (g, pin.len(), pin.clone()));
    }
}
