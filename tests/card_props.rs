//! Properties of PIN verification (proptest): for random keys, formats,
//! PANs, PINs, tables and validation data, the PVV or IBM 3624 offset the
//! issuer generates from the clear PIN makes `PinVerifier::verify` true on
//! the PIN block of that PIN, and false on the block of every other PIN of
//! the same length in a sample (for a PVV: unless that PIN has the same
//! PVV, which only its 4 leftmost digits decide; an IBM 3624 offset is a
//! one-to-one function of the PIN, so there it is false without
//! exception). The values themselves are checked against psec and pyemv in
//! `vectors/card-verification-independent.json`.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::integer_division_remainder_used,
    clippy::cast_possible_truncation,
    reason = "test code"
)]

use paykernel::card::{DecimalizationTable, Ibm3624, Ibm3624Pin, Pvki, ValidationData, VisaPvv};
use paykernel::pin::{Fill, Format, Pin, PinBlock, PinBlockCipher, PinVerifier};
use paykernel::{Pan, TdesKey};
use proptest::prelude::*;
use subtle::ConstantTimeEq;

fn digits(v: &[u8]) -> String {
    v.iter().map(|d| char::from(b'0' + d % 10)).collect()
}

fn format_of(n: u8) -> Format {
    Format::ALL[usize::from(n % 5)]
}

fn block(f: Format, key: &[u8], pin: &str, pan: &Pan, fill_bytes: &[u8; 8]) -> PinBlock {
    let nibbles: Vec<u8> = fill_bytes.iter().flat_map(|b| [b >> 4, b & 15]).collect();
    let fill: Vec<u8> = match f {
        Format::Iso1 => nibbles[..14 - pin.len()].to_vec(),
        Format::Iso3 => nibbles[..14 - pin.len()]
            .iter()
            .map(|n| 10 + n % 6)
            .collect(),
        Format::Iso4 => nibbles,
        _ => Vec::new(),
    };
    PinBlockCipher::new(f, key)
        .unwrap()
        .encipher_with_fill(
            &Pin::from_digits(pin.as_bytes()).unwrap(),
            Some(pan),
            &Fill::from_nibbles(&fill).unwrap(),
        )
        .unwrap()
}

/// A covering table: 0-9 in an order given by `perm`, then 6 repeats.
fn table(perm: &[u8; 16]) -> DecimalizationTable {
    let mut d: Vec<u8> = (0..10).collect();
    for (i, p) in perm.iter().enumerate().take(10) {
        d.swap(i, usize::from(*p) % 10);
    }
    d.extend(perm[10..].iter().map(|p| p % 10));
    let text: String = d.iter().map(|x| char::from(b'0' + x)).collect();
    text.parse().unwrap()
}

fn key_for(f: Format, raw: &[u8; 32], len_choice: u8) -> Vec<u8> {
    let lens: [usize; 3] = if f == Format::Iso4 {
        [16, 24, 32]
    } else {
        [8, 16, 24]
    };
    raw[..lens[usize::from(len_choice % 3)]].to_vec()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn pvv_verifies_its_pin_and_not_others(
        fmt in 0u8..5,
        raw_key in any::<[u8; 32]>(),
        len_choice in any::<u8>(),
        pvk in any::<[u8; 16]>(),
        pvki in 0u8..10,
        pan in prop::collection::vec(0u8..10, 12..=19),
        pin in prop::collection::vec(0u8..10, 4..=12),
        others in prop::collection::vec(prop::collection::vec(0u8..10, 12), 12),
        fill in any::<[u8; 8]>(),
    ) {
        let f = format_of(fmt);
        let key = key_for(f, &raw_key, len_choice);
        let pan: Pan = digits(&pan).parse().unwrap();
        let pin_s = digits(&pin);
        let pvk = TdesKey::from_slice(&pvk).unwrap();
        let pvki = Pvki::from_digits(&[b'0' + pvki]).unwrap();
        let method = VisaPvv::new(&pvk);
        let pvv = method.generate(pvki, &Pin::from_digits(pin_s.as_bytes()).unwrap(), &pan);
        let v = PinVerifier::new(PinBlockCipher::new(f, &key).unwrap(), VisaPvv::new(&pvk));
        let b = block(f, &key, &pin_s, &pan, &fill);
        prop_assert!(bool::from(v.verify(b.as_bytes(), &pan, pvki, &pvv).unwrap()));
        for other in &others {
            let o = digits(&other[..pin.len()]);
            if o == pin_s {
                continue;
            }
            let op = Pin::from_digits(o.as_bytes()).unwrap();
            let same_pvv = bool::from(method.generate(pvki, &op, &pan).ct_eq(&pvv));
            // Only the 4 leftmost digits enter a PVV.
            if o[..4] == pin_s[..4] {
                prop_assert!(same_pvv);
            }
            let b = block(f, &key, &o, &pan, &fill);
            let got = bool::from(v.verify(b.as_bytes(), &pan, pvki, &pvv).unwrap());
            prop_assert_eq!(got, same_pvv, "{} vs {}", o, pin_s);
        }
    }

    #[test]
    fn offset_verifies_its_pin_and_no_other(
        fmt in 0u8..5,
        raw_key in any::<[u8; 32]>(),
        len_choice in any::<u8>(),
        pvk in any::<[u8; 24]>(),
        pvk_len in 0u8..3,
        perm in any::<[u8; 16]>(),
        pan in prop::collection::vec(0u8..10, 12..=19),
        start in 0usize..19,
        length in 1usize..=16,
        pad in 0u8..16,
        pin in prop::collection::vec(0u8..10, 4..=12),
        others in prop::collection::vec(prop::collection::vec(0u8..10, 13), 12),
        fill in any::<[u8; 8]>(),
    ) {
        let f = format_of(fmt);
        let key = key_for(f, &raw_key, len_choice);
        let pan: Pan = digits(&pan).parse().unwrap();
        // Validation data inside this PAN.
        let length = length.min(pan.len());
        let start = start % (pan.len() - length + 1);
        let pad = b"0123456789ABCDEF"[usize::from(pad)];
        let pvk = TdesKey::from_slice(&pvk[..[8, 16, 24][usize::from(pvk_len)]]).unwrap();
        let method = || Ibm3624::new(&pvk, table(&perm), ValidationData::new(start, length, pad).unwrap());
        let pin_s = digits(&pin);
        let offset = method()
            .offset(&Ibm3624Pin::from_digits(pin_s.as_bytes()).unwrap(), &pan)
            .unwrap();
        let v = PinVerifier::new(PinBlockCipher::new(f, &key).unwrap(), method());
        let b = block(f, &key, &pin_s, &pan, &fill);
        prop_assert!(bool::from(v.verify(b.as_bytes(), &pan, &offset).unwrap()));
        for other in &others {
            // Same length, other digits: false, always.
            let o = digits(&other[..pin.len()]);
            if o != pin_s {
                let b = block(f, &key, &o, &pan, &fill);
                prop_assert!(!bool::from(v.verify(b.as_bytes(), &pan, &offset).unwrap()), "{} vs {}", o, pin_s);
            }
            // Another length, the same leading digits: false.
            let n = 4 + usize::from(other[12]) % 9;
            if n != pin.len() {
                let mut o = pin_s.clone();
                o.truncate(n);
                o.push_str(&digits(&other[..n.saturating_sub(o.len())]));
                let b = block(f, &key, &o, &pan, &fill);
                prop_assert!(!bool::from(v.verify(b.as_bytes(), &pan, &offset).unwrap()), "{} vs {}", o, pin_s);
            }
        }
    }
}
