//! Card and PIN verification inputs: the digit-string constructors
//! (expiry, service code, PVKI, CVV, PVV, offset, IBM 3624 PIN), the
//! decimalization table, the validation data, and the computations on
//! them, against a naive reference written here from docs/vectors.md over the
//! kernel's public TDES: CVV, Visa PVV, IBM 3624 offset and PIN; then
//! `PinVerifier::verify` on arbitrary or chosen blocks, whose answer must
//! be the one `decipher` and the clear-PIN verifiers give.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use paykernel::card::{
    Cvk, Cvv, DecimalizationTable, Expiry, Ibm3624, Ibm3624Pin, Offset, Pvki, Pvv, ServiceCode,
    ValidationData, VisaPvv,
};
use paykernel::pin::{Format, Pin, PinBlockCipher, PinVerifier};
use paykernel::{Error, Pan, TdesCipher, TdesKey};
use paykernel_fuzz::{FuzzRng, bytes, digits, key, pan_digits};

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn is_digits(s: &[u8], n: std::ops::RangeInclusive<usize>) -> bool {
    n.contains(&s.len()) && s.iter().all(u8::is_ascii_digit)
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    // --- digit strings -------------------------------------------------
    let expiry_s = digits(u, 0, 6)?;
    let sc_s = digits(u, 0, 5)?;
    let pvki_s = digits(u, 0, 2)?;
    let expiry = Expiry::from_digits(&expiry_s);
    let sc = ServiceCode::from_digits(&sc_s);
    let pvki = Pvki::from_digits(&pvki_s);
    for (ok, s, n) in [
        (expiry.is_ok(), &expiry_s, 4),
        (sc.is_ok(), &sc_s, 3),
        (pvki.is_ok(), &pvki_s, 1),
    ] {
        assert_eq!(ok, is_digits(s, n..=n), "{s:?}");
    }
    for e in [expiry.err(), sc.err(), pvki.err()].into_iter().flatten() {
        assert_eq!(e, Error::InvalidDigits);
    }
    let cvv_s = digits(u, 2, 4)?;
    let pvv_s = digits(u, 3, 5)?;
    let offset_s = digits(u, 3, 17)?;
    let long_pin_s = digits(u, 3, 17)?;
    assert_eq!(Cvv::from_digits(&cvv_s).is_ok(), is_digits(&cvv_s, 3..=3));
    assert_eq!(Pvv::from_digits(&pvv_s).is_ok(), is_digits(&pvv_s, 4..=4));
    let offset = Offset::from_digits(&offset_s);
    assert_eq!(offset.is_ok(), is_digits(&offset_s, 4..=16));
    let long_pin = Ibm3624Pin::from_digits(&long_pin_s);
    assert_eq!(long_pin.is_ok(), is_digits(&long_pin_s, 4..=16));
    if let Err(e) = &long_pin {
        assert_eq!(*e, Error::InvalidPin);
    }

    // --- decimalization table and validation data ----------------------
    let table_s: Vec<u8> = if u.ratio(7, 8)? {
        let mut t: Vec<u8> = (b'0'..=b'9').collect();
        for _ in 0..6 {
            t.push(b'0' + u.int_in_range(0..=9)?);
        }
        for i in (1..t.len()).rev() {
            let j = u.int_in_range(0..=i)?;
            t.swap(i, j);
        }
        t
    } else {
        digits(u, 14, 18)?
    };
    let table = DecimalizationTable::from_digits(&table_s);
    let covers = (b'0'..=b'9').all(|d| table_s.contains(&d));
    assert_eq!(table.is_ok(), is_digits(&table_s, 16..=16) && covers, "{table_s:?}");
    let start: usize = u.int_in_range(0..=20)?;
    let length: usize = u.int_in_range(0..=18)?;
    let pad: u8 = if u.ratio(7, 8)? { *u.choose(b"0123456789ABCDEFabcdef")? } else { u.arbitrary()? };
    let vd = ValidationData::new(start, length, pad);
    let vd_ok = (1..=16).contains(&length) && start + length <= 19 && pad.is_ascii_hexdigit();
    assert_eq!(vd.is_ok(), vd_ok, "{start} {length} {pad}");

    let pan_s = pan_digits(u)?;
    let Ok(pan) = Pan::from_digits(&pan_s) else {
        return Ok(());
    };

    // --- CVV -------------------------------------------------------------
    let cvk_bytes = key(u, &[16])?;
    let cvk_key = TdesKey::from_slice(&cvk_bytes);
    if let (Ok(k), Ok(e), Ok(s)) = (&cvk_key, &expiry, &sc) {
        match Cvk::new(k) {
            Ok(cvk) => {
                let got = cvk.generate(&pan, e, s);
                let want = reference_cvv(&cvk_bytes, &pan_s, &expiry_s, &sc_s);
                assert_eq!(got.expose_secret(), want.as_bytes());
                assert!(cvk.verify(&pan, e, s, &got));
                if let Ok(c) = Cvv::from_digits(&cvv_s) {
                    assert_eq!(cvk.verify(&pan, e, s, &c), cvv_s == want.as_bytes());
                }
            }
            Err(err) => {
                assert_eq!(err, Error::InvalidKey);
                assert_ne!(cvk_bytes.len(), 16);
            }
        }
    }

    // --- Visa PVV and IBM 3624 ------------------------------------------
    let pvk_bytes = key(u, &[8, 16, 24])?;
    let Ok(pvk) = TdesKey::from_slice(&pvk_bytes) else {
        return Ok(());
    };
    let pin_s = digits(u, 4, 12)?;
    let Ok(pin) = Pin::from_digits(&pin_s) else {
        return Ok(());
    };
    let pvv_method = VisaPvv::new(&pvk);
    if let Ok(pvki) = pvki {
        let got = pvv_method.generate(pvki, &pin, &pan);
        let want = reference_pvv(&pvk, &pan_s, pvki_s[0], &pin_s);
        assert_eq!(got.expose_secret(), want.as_bytes());
    }
    let ibm = match (&table, &vd) {
        (Ok(t), Ok(v)) => Some((Ibm3624::new(&pvk, *t, *v), *t, *v)),
        _ => None,
    };
    if let Some((m, t, v)) = &ibm {
        let fits = v.pan_offset() + v.length() <= pan_s.len();
        let natural = reference_natural(&pvk, t, &pan_s, v);
        if let Ok(lp) = &long_pin {
            match m.offset(lp, &pan) {
                Ok(off) => {
                    assert!(fits);
                    let want: Vec<u8> = long_pin_s
                        .iter()
                        .zip(natural.iter())
                        .map(|(p, n)| b'0' + (p - b'0' + 10 - n) % 10)
                        .collect();
                    assert_eq!(off.expose_secret(), &want[..]);
                    let back = m.pin(&off, &pan).expect("the PAN fits");
                    assert_eq!(back.expose_secret(), &long_pin_s[..]);
                }
                Err(e) => {
                    assert_eq!(e, Error::InvalidLength);
                    assert!(!fits);
                }
            }
        }
        if let Ok(o) = &offset {
            if let Ok(p) = m.pin(o, &pan) {
                let want: Vec<u8> = offset_s
                    .iter()
                    .zip(natural.iter())
                    .map(|(d, n)| b'0' + (d - b'0' + n) % 10)
                    .collect();
                assert_eq!(p.expose_secret(), &want[..]);
            }
        }
    }

    // --- pin.verify ------------------------------------------------------
    let format = *u.choose(&Format::ALL)?;
    let pin_key_bytes = if format == Format::Iso4 {
        key(u, &[16, 24, 32])?
    } else {
        key(u, &[8, 16, 24])?
    };
    let Ok(maker) = PinBlockCipher::new(format, &pin_key_bytes) else {
        return Ok(());
    };
    let block = if u.ratio(3, 4)? {
        let seed: u64 = u.arbitrary()?;
        maker
            .encipher(&pin, Some(&pan), &mut FuzzRng::new(seed))
            .expect("a PIN and a PAN encipher")
            .as_bytes()
            .to_vec()
    } else {
        let n = if u.ratio(7, 8)? { format.block_len() } else { u.int_in_range(0..=24)? };
        bytes(u, n)?
    };
    let deciphered = maker.decipher(&block, Some(&pan));
    let cipher = || PinBlockCipher::new(format, &pin_key_bytes).expect("made once already");
    if let Ok(pvki) = pvki {
        let v = PinVerifier::new(cipher(), VisaPvv::new(&pvk));
        let reference = Pvv::from_digits(&pvv_s)
            .unwrap_or_else(|_| pvv_method.generate(pvki, &pin, &pan));
        let got = v.verify(&block, &pan, pvki, &reference).map(bool::from);
        let want = deciphered
            .as_ref()
            .map(|p| pvv_method.verify(pvki, p, &pan, &reference))
            .map_err(|e| *e);
        assert_eq!(got, want);
    }
    if let (Some((m, _, _)), Ok(o)) = (&ibm, &offset) {
        let v = PinVerifier::new(cipher(), Ibm3624::new(&pvk, *m.table(), *m.validation()));
        let got = v.verify(&block, &pan, o).map(bool::from);
        let fits = m.validation().pan_offset() + m.validation().length() <= pan_s.len();
        if block.len() != format.block_len() {
            assert_eq!(got, Err(Error::InvalidPinBlock));
        } else if !fits {
            assert_eq!(got, Err(Error::InvalidLength));
        } else {
            let want = deciphered
                .as_ref()
                .map(|p| bool::from(m.verify(p, &pan, o).expect("the PAN fits")))
                .map_err(|e| *e);
            assert_eq!(got, want);
        }
    }
    Ok(())
}

/// The first `n` decimalized digits of a block, by docs/vectors.md's rule read
/// naively.
fn decimalize(block: &[u8; 8], n: usize) -> String {
    let nib: Vec<u8> = block.iter().flat_map(|b| [b >> 4, b & 15]).collect();
    let mut d: Vec<u8> = nib.iter().copied().filter(|x| *x < 10).collect();
    d.extend(nib.iter().filter(|x| **x >= 10).map(|x| x - 10));
    d.iter().take(n).map(|x| char::from(b'0' + x)).collect()
}

fn pack(hex_digits: &str) -> [u8; 8] {
    let v: Vec<u8> = hex_digits
        .as_bytes()
        .chunks(2)
        .map(|p| {
            let h = |c: u8| (c as char).to_digit(16).expect("hex") as u8;
            (h(p[0]) << 4) | h(p[1])
        })
        .collect();
    v.try_into().expect("8 bytes")
}

fn tdes(key: &TdesKey, block: [u8; 8]) -> [u8; 8] {
    let mut b = block;
    TdesCipher::new(key).encrypt_block(&mut b);
    b
}

fn reference_cvv(cvk: &[u8], pan: &[u8], expiry: &[u8], sc: &[u8]) -> String {
    let mut d = String::new();
    for c in pan.iter().chain(expiry).chain(sc) {
        d.push(char::from(*c));
    }
    while d.len() < 32 {
        d.push('0');
    }
    let k1 = TdesKey::from_slice(&cvk[..8]).expect("8 bytes");
    let k = TdesKey::from_slice(cvk).expect("16 bytes");
    let mut x = tdes(&k1, pack(&d[..16]));
    for (a, b) in x.iter_mut().zip(pack(&d[16..])) {
        *a ^= b;
    }
    decimalize(&tdes(&k, x), 3)
}

fn reference_pvv(pvk: &TdesKey, pan: &[u8], pvki: u8, pin: &[u8]) -> String {
    let body = &pan[pan.len() - 12..pan.len() - 1];
    let mut tsp = String::new();
    for c in body.iter().chain([pvki].iter()).chain(&pin[..4]) {
        tsp.push(char::from(*c));
    }
    decimalize(&tdes(pvk, pack(&tsp)), 4)
}

/// The 16 natural-PIN digits (values), or zeros when the validation data
/// runs past the PAN.
fn reference_natural(pvk: &TdesKey, t: &DecimalizationTable, pan: &[u8], v: &ValidationData) -> Vec<u8> {
    let Some(taken) = pan.get(v.pan_offset()..v.pan_offset() + v.length()) else {
        return vec![0; 16];
    };
    let pad = char::from_digit(u32::from(v.pad()), 16).expect("a nibble");
    let mut vd: String = taken.iter().map(|c| char::from(*c)).collect();
    while vd.len() < 16 {
        vd.push(pad);
    }
    let e = tdes(pvk, pack(&vd));
    e.iter()
        .flat_map(|b| [b >> 4, b & 15])
        .map(|n| t.digits()[usize::from(n)])
        .collect()
}
