//! ECDSA P-256: SEC1 public keys, DER and `r || s` signatures, private
//! scalars; verify on whatever parses.
//!
//! Invariants: a key or signature that parses re-encodes to the same bytes
//! (DER is strict: one encoding per signature); `verify_der` agrees with
//! `from_der` then `verify`; a signature made with a fuzzer-chosen key
//! verifies, as does its `n - s` twin, and fails for another message.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use paykernel::Error;
use paykernel::sign::{PublicKey, Signature, SigningKey};
use paykernel_fuzz::bytes;

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

/// The order of the P-256 group, big-endian.
const N: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
];

/// `a - b` on 32-byte big-endian numbers, `a >= b`.
fn sub(a: &[u8; 32], b: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut d = i16::from(a[i]) - i16::from(b[i]) - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        out[i] = d as u8;
    }
    out
}

fn in_range(x: &[u8]) -> bool {
    x.iter().any(|b| *b != 0) && x < &N[..]
}

/// A DER `SEQUENCE { INTEGER r, INTEGER s }` built from parts the fuzzer
/// chooses, sometimes canonical, sometimes not.
fn der_from_parts(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    let mut body = Vec::new();
    for _ in 0..2 {
        let n = u.int_in_range(0..=34)?;
        let mut int = bytes(u, n)?;
        if u.ratio(3, 4)? {
            // Minimal: strip leading zeros, add one if the top bit is set.
            while int.len() > 1 && int[0] == 0 && int[1] & 0x80 == 0 {
                int.remove(0);
            }
            if int.first().is_some_and(|b| b & 0x80 != 0) {
                int.insert(0, 0);
            }
        }
        body.push(0x02);
        if u.ratio(1, 16)? {
            body.extend([0x81, int.len() as u8]);
        } else {
            body.push(int.len() as u8);
        }
        body.extend(int);
    }
    let mut der = vec![0x30];
    if u.ratio(1, 16)? {
        der.extend([0x81, body.len() as u8]);
    } else {
        der.push(body.len() as u8);
    }
    der.extend(body);
    if u.ratio(1, 16)? {
        der.push(u.arbitrary()?);
    }
    Ok(der)
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let msg_len = u.int_in_range(0..=64)?;
    let msg = bytes(u, msg_len)?;

    // A public key: arbitrary bytes of a SEC1 shape, or a real one.
    let sec1 = match u.int_in_range(0..=2)? {
        0 => {
            let tag = *u.choose(&[0x02u8, 0x03, 0x04, 0x00, 0x06])?;
            let n = if tag == 0x04 || tag == 0x06 { 65 } else { 33 };
            let mut b = bytes(u, n)?;
            b[0] = tag;
            b
        }
        1 => {
            let n = u.int_in_range(0..=70)?;
            bytes(u, n)?
        }
        _ => {
            let d = bytes(u, 32)?;
            match SigningKey::from_slice(&d) {
                Ok(k) => {
                    let pk = k.public_key();
                    if u.arbitrary()? {
                        pk.to_compressed().to_vec()
                    } else {
                        pk.to_uncompressed().to_vec()
                    }
                }
                Err(_) => return Ok(()),
            }
        }
    };
    let pk = PublicKey::from_sec1(&sec1);
    match &pk {
        Ok(pk) => {
            match sec1.len() {
                33 => assert_eq!(&pk.to_compressed()[..], &sec1[..]),
                65 => assert_eq!(&pk.to_uncompressed()[..], &sec1[..]),
                n => panic!("a {n}-byte key parsed"),
            }
            assert_eq!(PublicKey::from_sec1(&pk.to_compressed()).ok(), Some(*pk));
            assert_eq!(PublicKey::from_sec1(&pk.to_uncompressed()).ok(), Some(*pk));
        }
        Err(e) => assert_eq!(*e, Error::InvalidPublicKey),
    }

    // A fixed-size signature.
    let raw = if u.ratio(7, 8)? {
        bytes(u, 64)?
    } else {
        let n = u.int_in_range(0..=70)?;
        bytes(u, n)?
    };
    let sig = Signature::from_slice(&raw);
    let raw_ok = raw.len() == 64 && in_range(&raw[..32]) && in_range(&raw[32..]);
    assert_eq!(sig.is_ok(), raw_ok);
    if let Ok(sig) = &sig {
        assert_eq!(&sig.as_bytes()[..], &raw[..]);
        assert_eq!(
            Signature::from_der(sig.to_der().as_bytes()).ok(),
            Some(*sig)
        );
    } else {
        assert_eq!(sig.err(), Some(Error::InvalidSignature));
    }
    if let Ok(pk) = &pk {
        let ok = pk.verify(&msg, &raw);
        assert!(!ok || raw_ok);
    }

    // A DER signature: arbitrary, built from parts, or a real one changed.
    let der = match u.int_in_range(0..=2)? {
        0 => {
            let n = u.int_in_range(0..=80)?;
            bytes(u, n)?
        }
        1 => der_from_parts(u)?,
        _ => match &sig {
            Ok(s) => {
                let mut d = s.to_der().as_bytes().to_vec();
                if !d.is_empty() && u.arbitrary()? {
                    let i = u.choose_index(d.len())?;
                    d[i] ^= u.arbitrary::<u8>()?;
                }
                d
            }
            Err(_) => der_from_parts(u)?,
        },
    };
    let parsed = Signature::from_der(&der);
    match &parsed {
        Ok(s) => {
            assert_eq!(s.to_der().as_bytes(), &der[..], "DER is strict");
            assert!(der.len() <= paykernel::sign::DER_MAX_LEN);
            assert_eq!(Signature::from_slice(s.as_bytes()).ok(), Some(*s));
        }
        Err(e) => assert_eq!(*e, Error::InvalidSignature),
    }
    if let Ok(pk) = &pk {
        let by_der = pk.verify_der(&msg, &der);
        let by_raw = parsed.as_ref().is_ok_and(|s| pk.verify(&msg, s.as_bytes()));
        assert_eq!(by_der, by_raw);
    }

    // Sign with a chosen key, now and then (signing is the slow part).
    if u.ratio(1, 4)? {
        let d = if u.ratio(7, 8)? {
            bytes(u, 32)?
        } else {
            let n = u.int_in_range(0..=40)?;
            bytes(u, n)?
        };
        let key = SigningKey::from_slice(&d);
        assert_eq!(key.is_ok(), d.len() == 32 && in_range(&d));
        if let Ok(key) = key {
            let pk = key.public_key();
            let s = key.sign(&msg);
            assert!(pk.verify(&msg, s.as_bytes()));
            assert!(pk.verify_der(&msg, s.to_der().as_bytes()));
            // RFC 6979: the same message gives the same signature.
            assert_eq!(key.sign(&msg), s);
            // P-256 ECDSA has no low-S rule: (r, n - s) verifies too.
            let mut twin = *s.as_bytes();
            let high = sub(&N, &twin[32..]);
            twin[32..].copy_from_slice(&high);
            assert!(pk.verify(&msg, &twin));
            let mut other = msg.clone();
            other.push(0);
            assert!(!pk.verify(&other, s.as_bytes()));
        }
    }
    Ok(())
}
