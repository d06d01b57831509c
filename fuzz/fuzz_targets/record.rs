//! SVR1 records: decode and structural checks of arbitrary bytes
//! (`UntrustedFields`), verify under arbitrary keys, and debit, credit,
//! select and signing on records that verify.
//!
//! Records that verify come from sealing fuzzer-chosen fields (arbitrary
//! bytes almost never carry a good tag). Invariants: a record verifies
//! iff its structure is sound and its tag matches; one that verifies
//! re-serializes to the same bytes and decodes to the same fields; a debit
//! or credit is refused by the first rule of docs/svr1.md it breaks, and
//! otherwise makes the successor, which verifies; a changed byte makes a
//! record fail.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use paykernel::Error;
use paykernel::record::{
    self, Amount, CardKey, Fields, IssuerKey, RECORD_LEN, Slot, StructureFault, UntrustedFields,
};
use paykernel::sign::SigningKey;
use paykernel_fuzz::{bytes, key};

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn printable(b: &[u8]) -> bool {
    b.iter().all(|c| (0x20..=0x7E).contains(c))
}

/// docs/svr1.md's structural rules, in its order.
fn reference_fault(u: &UntrustedFields) -> Option<StructureFault> {
    let f = &u.claimed;
    if u.magic != *b"SVR1" {
        Some(StructureFault::Magic)
    } else if u.reserved != [0; 12] {
        Some(StructureFault::Reserved)
    } else if f.flags & !1 != 0 {
        Some(StructureFault::Flags)
    } else if f.exponent > 4 {
        Some(StructureFault::Exponent)
    } else if !(1..=999).contains(&f.currency) {
        Some(StructureFault::Currency)
    } else if !printable(&f.terminal_id) {
        Some(StructureFault::TerminalId)
    } else if f.balance > f.limit {
        Some(StructureFault::BalanceOverLimit)
    } else {
        None
    }
}

/// Mostly sound fields (each rule kept 15 times in 16), for `card_id`.
fn fields(u: &mut Unstructured<'_>, card_id: u64) -> Result<Fields> {
    let sound = |u: &mut Unstructured<'_>| u.ratio(15, 16);
    let limit: u64 = if u.ratio(1, 4)? {
        *u.choose(&[0, 1, u64::MAX, i64::MAX as u64])?
    } else {
        u.arbitrary()?
    };
    let balance = if sound(u)? {
        u.int_in_range(0..=limit)?
    } else {
        u.arbitrary()?
    };
    let mut terminal_id = [b' '; 8];
    for t in &mut terminal_id {
        *t = if sound(u)? {
            u.int_in_range(0x20..=0x7E)?
        } else {
            u.arbitrary()?
        };
    }
    Ok(Fields {
        card_id,
        currency: if sound(u)? {
            u.int_in_range(1..=999)?
        } else {
            u.arbitrary()?
        },
        exponent: if sound(u)? {
            u.int_in_range(0..=4)?
        } else {
            u.arbitrary()?
        },
        flags: if sound(u)? {
            u.int_in_range(0..=1)?
        } else {
            u.arbitrary()?
        },
        balance,
        limit,
        counter: if u.ratio(1, 8)? {
            u32::MAX - u.int_in_range(0..=1)?
        } else {
            u.arbitrary()?
        },
        amount: u.arbitrary()?,
        terminal_id,
        timestamp: u.arbitrary()?,
        prev_tag: u.arbitrary()?,
    })
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    // Arbitrary bytes: decode, structure, and verify under some key.
    let n = if u.ratio(3, 4)? {
        RECORD_LEN
    } else {
        u.int_in_range(0..=120)?
    };
    let raw = bytes(u, n)?;
    let decoded = UntrustedFields::decode(&raw);
    assert_eq!(decoded.is_ok(), raw.len() == RECORD_LEN);
    let issuer_key = key(u, &[16, 32])?;
    let issuer = match IssuerKey::from_slice(&issuer_key) {
        Ok(k) => k,
        Err(e) => {
            assert_eq!(e, Error::InvalidKey);
            assert!(!matches!(issuer_key.len(), 16 | 32));
            return Ok(());
        }
    };
    match &decoded {
        Ok(d) => {
            assert_eq!(d.fault(), reference_fault(d));
            let card = issuer.card_key_for(&raw).expect("96 bytes");
            assert_eq!(card.card_id(), d.claimed.card_id);
            match card.verify(&raw) {
                Err(Error::InvalidRecord) => assert!(d.fault().is_some()),
                Err(Error::BadMac) => assert!(d.fault().is_none()),
                Err(e) => panic!("verify: unexpected {e:?}"),
                Ok(v) => {
                    assert!(d.fault().is_none());
                    assert_eq!(&v.as_bytes()[..], &raw[..]);
                }
            }
        }
        Err(e) => {
            assert_eq!(*e, Error::InvalidRecord);
            assert_eq!(issuer.card_key_for(&raw).err(), Some(Error::InvalidRecord));
        }
    }

    // Sealed fields: verify, re-serialize, tamper, update, select, sign.
    let card_id: u64 = u.arbitrary()?;
    let card = if u.ratio(1, 2)? {
        issuer.card_key(card_id)
    } else {
        let k = key(u, &[16, 32])?;
        match CardKey::from_slice(&k, card_id) {
            Ok(c) => c,
            Err(e) => {
                assert_eq!(e, Error::InvalidKey);
                assert!(!matches!(k.len(), 16 | 32));
                return Ok(());
            }
        }
    };
    let f = fields(u, card_id)?;
    let sealed = match card.seal(&f) {
        Ok(s) => s,
        Err(e) => {
            assert_eq!(e, Error::InvalidRecord);
            assert!(f.fault().is_some());
            return Ok(());
        }
    };
    assert!(f.fault().is_none());
    let bytes96 = *sealed.as_bytes();
    let v = card.verify(&bytes96).expect("a sealed record verifies");
    assert_eq!(*v.fields(), f);
    assert_eq!(v.as_bytes(), &bytes96);
    let d = UntrustedFields::decode(&bytes96).expect("96 bytes");
    assert_eq!(d.claimed, f);
    assert_eq!(&d.tag, v.tag());

    // One byte changed: refused.
    let i = u.choose_index(RECORD_LEN)?;
    let x: u8 = u.int_in_range(1..=255)?;
    let mut bad = bytes96;
    bad[i] ^= x;
    let r = card.verify(&bad);
    assert!(
        matches!(r, Err(Error::BadMac | Error::InvalidRecord)),
        "byte {i} ^ {x:#x}: {r:?}"
    );

    // Debit or credit, checked in docs/svr1.md's order.
    let amount_raw: u64 = if u.ratio(1, 2)? {
        u.int_in_range(0..=f.balance.saturating_add(2))?
    } else {
        u.arbitrary()?
    };
    let mut terminal = [b'T'; 8];
    for t in &mut terminal {
        if u.ratio(1, 16)? {
            *t = u.arbitrary()?;
        }
    }
    let timestamp: u64 = u.arbitrary()?;
    let debit = u.arbitrary::<bool>()?;
    let amount = Amount::new(amount_raw);
    assert_eq!(
        amount.is_ok(),
        amount_raw != 0 && amount_raw <= i64::MAX as u64
    );
    let Ok(amount) = amount else {
        return Ok(());
    };
    let next = if debit {
        v.debit(amount, &terminal, timestamp)
    } else {
        v.credit(amount, &terminal, timestamp)
    };
    let expected_err = if !printable(&terminal) {
        Some(Error::InvalidRecord)
    } else if f.flags & 1 != 0 {
        Some(Error::CardBlocked)
    } else if f.counter == u32::MAX {
        Some(Error::CounterExhausted)
    } else if debit && amount_raw > f.balance {
        Some(Error::InsufficientFunds)
    } else if !debit
        && f.balance
            .checked_add(amount_raw)
            .is_none_or(|b| b > f.limit)
    {
        Some(Error::LimitExceeded)
    } else {
        None
    };
    assert_eq!(next.as_ref().err().copied(), expected_err);
    let Ok(next) = next else {
        return Ok(());
    };
    let nf = next.fields();
    let want_balance = if debit {
        f.balance - amount_raw
    } else {
        f.balance + amount_raw
    };
    assert_eq!(nf.balance, want_balance);
    assert_eq!(nf.counter, f.counter + 1);
    assert_eq!(nf.amount.unsigned_abs(), amount_raw);
    assert_eq!(nf.amount < 0, debit);
    assert_eq!(nf.terminal_id, terminal);
    assert_eq!(nf.timestamp, timestamp);
    assert_eq!(nf.prev_tag[..], v.tag()[..8]);
    assert!(next.is_successor_of(&v));
    assert!(v.successor_fault(&next).is_some());
    let reread = card
        .verify(next.as_bytes())
        .expect("the successor verifies");
    assert_eq!(reread.fields(), nf);

    // Two slots: the successor wins in either slot; a torn slot loses.
    let (s, cur) = card.select(&bytes96, next.as_bytes()).expect("both verify");
    assert_eq!((s, cur.as_bytes()), (Slot::B, next.as_bytes()));
    let (s, cur) = card.select(next.as_bytes(), &bytes96).expect("both verify");
    assert_eq!((s, cur.as_bytes()), (Slot::A, next.as_bytes()));
    let cut = u.int_in_range(0..=RECORD_LEN)?;
    let mut torn = *next.as_bytes();
    torn[cut..].copy_from_slice(&bytes96[cut..]);
    let (s, cur) = card.select(&bytes96, &torn).expect("slot A verifies");
    if torn == *next.as_bytes() {
        assert_eq!(s, Slot::B);
    } else if torn != bytes96 {
        assert_eq!((s, cur.as_bytes()), (Slot::A, &bytes96));
    }

    // Sign and check the signature over the record (a cheap fixed key).
    if u.ratio(1, 8)? {
        let sk = SigningKey::from_slice(&[0x42; 32]).expect("valid scalar");
        let sig = next.sign(&sk);
        let pk = sk.public_key();
        assert!(record::verify_record_signature(
            &pk,
            next.as_bytes(),
            sig.as_bytes()
        ));
        assert!(!record::verify_record_signature(
            &pk,
            &bytes96,
            sig.as_bytes()
        ));
        let sig2 = record::sign_record(&sk, &raw);
        assert_eq!(sig2.is_ok(), raw.len() == RECORD_LEN);
    }
    Ok(())
}
