//! Property tests of SVR1 records against a reference written here from
//! `docs/svr1.md` (byte layout, SP 800-108 card key, AES-CMAC tag) over the
//! RustCrypto `cmac` and `aes` crates, independent of the kernel's layout,
//! KBKDF and CMAC code: for any sound fields, card and issuer key, a sealed
//! record is the reference's 96 bytes and verifies to its fields; any
//! changed byte is refused; a debit or credit is refused by the first rule
//! of the specification it breaks, in its order, and otherwise is the
//! reference's successor, which verifies, passes the successor check and
//! wins the two-slot select.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::integer_division_remainder_used,
    clippy::cast_possible_truncation,
    reason = "test arithmetic on small public values"
)]

extern crate std;
use std::vec::Vec;

use cmac::{Cmac, KeyInit, Mac};
use proptest::prelude::*;

use super::*;
use crate::Error;

fn cmac(key: &[u8], data: &[u8]) -> [u8; 16] {
    let tag = match key.len() {
        16 => {
            let mut m = <Cmac<aes::Aes128> as KeyInit>::new_from_slice(key).unwrap();
            m.update(data);
            m.finalize().into_bytes()
        }
        32 => {
            let mut m = <Cmac<aes::Aes256> as KeyInit>::new_from_slice(key).unwrap();
            m.update(data);
            m.finalize().into_bytes()
        }
        _ => unreachable!(),
    };
    tag.into()
}

/// "The card key": KBKDF in counter mode, AES-CMAC, 4-byte counter before
/// `"SVR1 card key" ‖ 00 ‖ card_id ‖ L`, as long as the issuer key.
fn reference_card_key(issuer: &[u8], card_id: u64) -> Vec<u8> {
    let bits = u32::try_from(issuer.len() * 8).unwrap();
    let mut out = Vec::new();
    for i in 1u32..=u32::try_from(issuer.len() / 16).unwrap() {
        let mut input = i.to_be_bytes().to_vec();
        input.extend_from_slice(b"SVR1 card key\0");
        input.extend_from_slice(&card_id.to_be_bytes());
        input.extend_from_slice(&bits.to_be_bytes());
        out.extend_from_slice(&cmac(issuer, &input));
    }
    out
}

/// "The record: 96 bytes", big-endian, then the tag over bytes 0..80.
fn reference_record(card_key: &[u8], f: &Fields) -> [u8; 96] {
    let mut r = Vec::with_capacity(96);
    r.extend_from_slice(b"SVR1");
    r.extend_from_slice(&f.card_id.to_be_bytes());
    r.extend_from_slice(&f.currency.to_be_bytes());
    r.push(f.exponent);
    r.push(f.flags);
    r.extend_from_slice(&f.balance.to_be_bytes());
    r.extend_from_slice(&f.limit.to_be_bytes());
    r.extend_from_slice(&f.counter.to_be_bytes());
    r.extend_from_slice(&f.amount.to_be_bytes());
    r.extend_from_slice(&f.terminal_id);
    r.extend_from_slice(&f.timestamp.to_be_bytes());
    r.extend_from_slice(&f.prev_tag);
    r.extend_from_slice(&[0; 12]);
    let tag = cmac(card_key, &r);
    r.extend_from_slice(&tag);
    r.try_into().unwrap()
}

fn printable() -> impl Strategy<Value = [u8; 8]> {
    prop::array::uniform8(0x20u8..=0x7E)
}

/// Fields that keep every structural rule (balance ≤ limit), with the
/// edges of each range drawn often.
fn sound_fields() -> impl Strategy<Value = Fields> {
    let limit = prop_oneof![
        Just(0u64),
        Just(u64::MAX),
        Just(i64::MAX as u64),
        any::<u64>()
    ];
    (
        any::<u64>(),
        prop_oneof![Just(1u16), Just(999u16), 1u16..=999],
        0u8..=4,
        0u8..=1,
        limit,
        any::<u64>(),
        prop_oneof![Just(u32::MAX), Just(u32::MAX - 1), Just(0u32), any::<u32>()],
        any::<i64>(),
        printable(),
        any::<u64>(),
        any::<[u8; 8]>(),
    )
        .prop_map(
            |(
                card_id,
                currency,
                exponent,
                flags,
                limit,
                b,
                counter,
                amount,
                terminal_id,
                timestamp,
                prev_tag,
            )| Fields {
                card_id,
                currency,
                exponent,
                flags,
                // A balance up to the limit, often at it or at zero.
                balance: match b % 4 {
                    0 => 0,
                    1 => limit,
                    _ => b.checked_rem(limit.saturating_add(1)).unwrap_or(b),
                },
                limit,
                counter,
                amount,
                terminal_id,
                timestamp,
                prev_tag,
            },
        )
}

fn issuer_key() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 16),
        prop::collection::vec(any::<u8>(), 32)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn seal_is_the_reference_and_verifies(
        ik in issuer_key(),
        f in sound_fields(),
        at in 0usize..96,
        x in 1u8..=255,
    ) {
        let issuer = IssuerKey::from_slice(&ik).unwrap();
        let card = issuer.card_key(f.card_id);
        let ck = reference_card_key(&ik, f.card_id);
        prop_assert_eq!(card.expose_secret(), &ck[..]);
        let want = reference_record(&ck, &f);
        let sealed = card.seal(&f).unwrap();
        prop_assert_eq!(sealed.as_bytes(), &want);
        prop_assert_eq!(&sealed.tag()[..], &want[80..]);
        let v = card.verify(&want).unwrap();
        prop_assert_eq!(v.fields(), &f);
        let from_record = issuer.card_key_for(&want).unwrap();
        prop_assert_eq!(from_record.expose_secret(), &ck[..]);
        let d = UntrustedFields::decode(&want).unwrap();
        prop_assert_eq!(&d.claimed, &f);
        prop_assert_eq!(d.fault(), None);
        // Any byte changed: refused, for its structure or its tag.
        let mut bad = want;
        bad[at] ^= x;
        let r = card.verify(&bad);
        prop_assert!(matches!(r, Err(Error::BadMac | Error::InvalidRecord)), "{:?}", r.err());
        // Under another card's key: the tag fails.
        let other = issuer.card_key(f.card_id ^ 1);
        prop_assert_eq!(other.verify(&want).err(), Some(Error::BadMac));
    }

    #[test]
    fn updates_follow_the_rules_in_order(
        ik in issuer_key(),
        f in sound_fields(),
        amount in prop_oneof![Just(0u64), Just(1u64), Just(i64::MAX as u64), Just(i64::MAX as u64 + 1), any::<u64>(), 1u64..1000],
        near in any::<bool>(),
        debit in any::<bool>(),
        terminal in prop_oneof![3 => printable(), 1 => any::<[u8; 8]>()],
        timestamp in any::<u64>(),
    ) {
        // An amount near the balance (or the room under the limit) half
        // the time, so that both sides of rule 5 come up.
        let amount = if near && amount < 4 {
            if debit {
                f.balance.saturating_add(amount).saturating_sub(1)
            } else {
                f.limit.saturating_sub(f.balance).saturating_add(amount).saturating_sub(1)
            }
        } else {
            amount
        };
        let issuer = IssuerKey::from_slice(&ik).unwrap();
        let card = issuer.card_key(f.card_id);
        let ck = reference_card_key(&ik, f.card_id);
        let prev = reference_record(&ck, &f);
        let v = card.verify(&prev).unwrap();
        let a = Amount::new(amount);
        let amount_ok = (1..=i64::MAX as u64).contains(&amount);
        prop_assert_eq!(a.is_ok(), amount_ok);
        if !amount_ok {
            prop_assert_eq!(a.err(), Some(Error::InvalidAmount));
            return Ok(());
        }
        let a = a.unwrap();
        let got = if debit {
            v.debit(a, &terminal, timestamp)
        } else {
            v.credit(a, &terminal, timestamp)
        };
        let want_err = if !terminal.iter().all(|c| (0x20..=0x7E).contains(c)) {
            Some(Error::InvalidRecord)
        } else if f.flags & 1 == 1 {
            Some(Error::CardBlocked)
        } else if f.counter == u32::MAX {
            Some(Error::CounterExhausted)
        } else if debit && amount > f.balance {
            Some(Error::InsufficientFunds)
        } else if !debit && f.balance.checked_add(amount).is_none_or(|b| b > f.limit) {
            Some(Error::LimitExceeded)
        } else {
            None
        };
        prop_assert_eq!(got.as_ref().err().copied(), want_err);
        let Ok(next) = got else { return Ok(()) };
        let signed = i64::try_from(amount).unwrap();
        let nf = Fields {
            balance: if debit { f.balance - amount } else { f.balance + amount },
            counter: f.counter + 1,
            amount: if debit { -signed } else { signed },
            terminal_id: terminal,
            timestamp,
            prev_tag: prev[80..88].try_into().unwrap(),
            ..f
        };
        prop_assert_eq!(next.as_bytes(), &reference_record(&ck, &nf));
        prop_assert_eq!(next.fields(), &nf);
        prop_assert!(next.is_successor_of(&v));
        prop_assert!(!v.is_successor_of(&next));
        prop_assert_eq!(next.successor_fault(&v), None);
        let again = card.verify(next.as_bytes()).unwrap();
        prop_assert!(again.is_successor_of(&v));
        // The newer record wins in either slot; the old one stays good.
        let (slot, cur) = card.select(&prev, next.as_bytes()).unwrap();
        prop_assert_eq!((slot, cur.as_bytes()), (Slot::B, next.as_bytes()));
        let (slot, cur) = card.select(next.as_bytes(), &prev).unwrap();
        prop_assert_eq!((slot, cur.as_bytes()), (Slot::A, next.as_bytes()));
    }
}
