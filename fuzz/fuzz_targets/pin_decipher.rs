//! PIN block decipher and translate, every format, arbitrary key, block and
//! PAN bytes.
//!
//! Two kinds of block: arbitrary bytes (mostly the format's size), and a
//! chosen clear PIN field enciphered here with the bare cipher. For the
//! second, the kernel's verdict is compared with a reference reading of
//! the ISO 9564-1 rules written below. Then: a block that deciphers
//! re-enciphers to a block that deciphers to the same PIN (formats 0 and 2:
//! to the same block); translation to another format agrees with
//! decipher, random or given fill.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use paykernel::pin::{Fill, Format, PinBlockCipher, PinTranslator};
use paykernel::{AesCipher, AesKey, Error, Pan, TdesCipher, TdesKey};
use paykernel_fuzz::{FuzzRng, bytes, key, length, pan_digits};

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn key_for(u: &mut Unstructured<'_>, format: Format) -> Result<Vec<u8>> {
    if format == Format::Iso4 {
        key(u, &[16, 24, 32])
    } else {
        key(u, &[8, 16, 24])
    }
}

fn key_len_ok(format: Format, n: usize) -> bool {
    if format == Format::Iso4 {
        matches!(n, 16 | 24 | 32)
    } else {
        matches!(n, 8 | 16 | 24)
    }
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let format = *u.choose(&Format::ALL)?;
    let k = key_for(u, format)?;
    let pan_raw = pan_digits(u)?;
    let pan = Pan::from_digits(&pan_raw).ok();
    assert_eq!(
        pan.is_some(),
        (12..=19).contains(&pan_raw.len()) && pan_raw.iter().all(u8::is_ascii_digit)
    );
    let cipher = match PinBlockCipher::new(format, &k) {
        Ok(c) => c,
        Err(e) => {
            assert_eq!(e, Error::InvalidKey);
            assert!(!key_len_ok(format, k.len()));
            return Ok(());
        }
    };
    assert!(key_len_ok(format, k.len()));

    // The block, and what the reference says about it when it was made
    // from a chosen clear field.
    let (block, expected) = if u.arbitrary::<bool>()? {
        let n = length(u, &[format.block_len()], 40)?;
        (bytes(u, n)?, None)
    } else {
        let field = clear_field(u, format)?;
        match raw_encipher(format, &k, pan.as_ref(), &field) {
            Some(block) => (block, Some(reference_decode(format, &field))),
            None => return Ok(()),
        }
    };

    let got = cipher.decipher(&block, pan.as_ref());
    match &got {
        Ok(pin) => {
            let d = pin.expose_secret();
            assert!((4..=12).contains(&d.len()) && d.iter().all(u8::is_ascii_digit));
        }
        Err(Error::InvalidPan) => assert!(format.uses_pan() && pan.is_none()),
        Err(Error::InvalidPinBlock) => {
            assert!(!(format.uses_pan() && pan.is_none()));
        }
        Err(e) => panic!("decipher: unexpected error {e:?}"),
    }
    if block.len() != format.block_len() && !(format.uses_pan() && pan.is_none()) {
        assert_eq!(got.as_ref().err(), Some(&Error::InvalidPinBlock));
    }
    // (A block made from a clear field always had the PAN it needed.)
    if let Some(expected) = &expected {
        let got_digits = got.as_ref().ok().map(|p| p.expose_secret().to_vec());
        assert_eq!(&got_digits, expected, "kernel and reference disagree");
    }

    let seed: u64 = u.arbitrary()?;
    let mut rng = FuzzRng::new(seed);

    // Re-encipher what deciphered.
    if let Ok(pin) = &got {
        let again = cipher
            .encipher(pin, pan.as_ref(), &mut rng)
            .expect("a PIN that deciphered enciphers");
        let back = cipher
            .decipher(again.as_bytes(), pan.as_ref())
            .expect("a block just made deciphers");
        assert_eq!(back.expose_secret(), pin.expose_secret());
        if matches!(format, Format::Iso0 | Format::Iso2) {
            assert_eq!(again.as_bytes(), &block[..]);
        }
    }

    // Translate to another format and key.
    let to_format = *u.choose(&Format::ALL)?;
    let to_len = if to_format == Format::Iso4 {
        *u.choose(&[16usize, 24, 32])?
    } else {
        *u.choose(&[8usize, 16, 24])?
    };
    let to_key = bytes(u, to_len)?;
    let to = || PinBlockCipher::new(to_format, &to_key).expect("a key of a valid length");
    let from = PinBlockCipher::new(format, &k).expect("made once already");
    let t = PinTranslator::new(from, to());
    let needs_pan = format.uses_pan() || to_format.uses_pan();
    let out = t.translate(&block, pan.as_ref(), &mut rng);
    if block.len() != format.block_len() {
        assert_eq!(out.err(), Some(Error::InvalidPinBlock));
    } else if needs_pan && pan.is_none() {
        assert_eq!(out.err(), Some(Error::InvalidPan));
    } else {
        match (&got, &out) {
            (Ok(pin), Ok(b)) => {
                assert_eq!(b.as_bytes().len(), to_format.block_len());
                let back = to()
                    .decipher(b.as_bytes(), pan.as_ref())
                    .expect("a translated block deciphers");
                assert_eq!(back.expose_secret(), pin.expose_secret());
            }
            (Err(Error::InvalidPinBlock), Err(Error::InvalidPinBlock)) => {}
            (g, o) => panic!("decipher {g:?} but translate {o:?}"),
        }
        // With a given fill: accepted exactly when the fill suits the
        // target format and the PIN's length.
        let fill_n = u.int_in_range(0..=18)?;
        let fill_src = bytes(u, fill_n)?;
        let nibbles: Vec<u8> = fill_src.iter().map(|b| b & 0x0F).collect();
        let fill = Fill::from_nibbles(&nibbles);
        assert_eq!(fill.is_ok(), nibbles.len() <= 16);
        if let Ok(fill) = fill {
            let out = t.translate_with_fill(&block, pan.as_ref(), &fill);
            match &got {
                Ok(pin) => {
                    let suits = fill_suits(to_format, pin.expose_secret().len(), &nibbles);
                    assert_eq!(out.is_ok(), suits, "fill {nibbles:?} for {to_format:?}");
                    if let Ok(b) = out {
                        let back = to()
                            .decipher(b.as_bytes(), pan.as_ref())
                            .expect("deciphers");
                        assert_eq!(back.expose_secret(), pin.expose_secret());
                    }
                    let direct = to().encipher_with_fill(pin, pan.as_ref(), &fill);
                    assert_eq!(direct.is_ok(), suits);
                }
                Err(_) => assert_eq!(out.err(), Some(Error::InvalidPinBlock)),
            }
        }
    }
    Ok(())
}

/// Whether a given fill suits `format` for a PIN of `len` digits
/// (ISO 9564-1 as `Fill` documents it).
fn fill_suits(format: Format, len: usize, nibbles: &[u8]) -> bool {
    match format {
        Format::Iso0 | Format::Iso2 => true,
        Format::Iso1 => nibbles.len() + len == 14,
        Format::Iso3 => nibbles.len() + len == 14 && nibbles.iter().all(|n| *n >= 0xA),
        Format::Iso4 => nibbles.len() == 16,
    }
}

/// A clear PIN field: 8 bytes (16 for format 4), mostly close to a good
/// one, so that both verdicts are common.
fn clear_field(u: &mut Unstructured<'_>, format: Format) -> Result<Vec<u8>> {
    let mut nibbles = [0u8; 16];
    let len: u8 = if u.ratio(7, 8)? {
        u.int_in_range(4..=12)?
    } else {
        u.int_in_range(0..=15)?
    };
    nibbles[0] = if u.ratio(15, 16)? {
        format.number()
    } else {
        u.int_in_range(0..=15)?
    };
    nibbles[1] = len;
    for (i, n) in nibbles.iter_mut().enumerate().skip(2) {
        let is_pin = i - 2 < usize::from(len);
        let good = if is_pin {
            u.int_in_range(0..=9)?
        } else {
            match format {
                Format::Iso0 | Format::Iso2 => 0xF,
                Format::Iso1 => u.int_in_range(0..=15)?,
                Format::Iso3 => u.int_in_range(0xA..=0xF)?,
                Format::Iso4 => 0xA,
            }
        };
        *n = if u.ratio(31, 32)? {
            good
        } else {
            u.int_in_range(0..=15)?
        };
    }
    let mut field: Vec<u8> = nibbles.chunks(2).map(|p| (p[0] << 4) | p[1]).collect();
    if format == Format::Iso4 {
        field.extend(bytes(u, 8)?);
    }
    Ok(field)
}

/// The PIN a clear field carries, if it keeps every rule: control field =
/// format number; length 4 to 12; digits 0 to 9; fill F (formats 0 and
/// 2), anything (1), A to F (3), A (4, first half); format 4's second half
/// is not checked.
fn reference_decode(format: Format, field: &[u8]) -> Option<Vec<u8>> {
    let nibbles: Vec<u8> = field[..8].iter().flat_map(|b| [b >> 4, b & 0x0F]).collect();
    if nibbles[0] != format.number() {
        return None;
    }
    let len = usize::from(nibbles[1]);
    if !(4..=12).contains(&len) {
        return None;
    }
    let mut pin = Vec::new();
    for (i, n) in nibbles[2..].iter().copied().enumerate() {
        if i < len {
            if n > 9 {
                return None;
            }
            pin.push(b'0' + n);
        } else {
            let ok = match format {
                Format::Iso0 | Format::Iso2 => n == 0xF,
                Format::Iso1 => true,
                Format::Iso3 => n >= 0xA,
                Format::Iso4 => n == 0xA,
            };
            if !ok {
                return None;
            }
        }
    }
    Some(pin)
}

/// Enciphers a clear field as the format does, with the bare cipher; `None`
/// when the format needs a PAN and there is none.
fn raw_encipher(format: Format, key: &[u8], pan: Option<&Pan>, field: &[u8]) -> Option<Vec<u8>> {
    match format {
        Format::Iso4 => {
            let pan = pan?;
            let c = AesCipher::new(&AesKey::from_slice(key).ok()?);
            // PAN field: M = length - 12, the digits, zeros.
            let mut nib = vec![(pan.len() - 12) as u8];
            nib.extend_from_slice(pan.digits());
            nib.resize(32, 0);
            let pan_field: Vec<u8> = nib.chunks(2).map(|p| (p[0] << 4) | p[1]).collect();
            let mut a: [u8; 16] = field.try_into().ok()?;
            c.encrypt_block(&mut a);
            for (x, p) in a.iter_mut().zip(&pan_field) {
                *x ^= p;
            }
            c.encrypt_block(&mut a);
            Some(a.to_vec())
        }
        _ => {
            let c = TdesCipher::new(&TdesKey::from_slice(key).ok()?);
            let mut b: [u8; 8] = field.try_into().ok()?;
            if format.uses_pan() {
                let d = pan?.rightmost_12_excluding_check();
                let mut nib = vec![0u8; 4];
                nib.extend_from_slice(&d);
                for (x, p) in b.iter_mut().zip(nib.chunks(2)) {
                    *x ^= (p[0] << 4) | p[1];
                }
            }
            c.encrypt_block(&mut b);
            Some(b.to_vec())
        }
    }
}
