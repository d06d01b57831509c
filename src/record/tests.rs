//! Tests of the record module as a whole.
//!
//! Known answers come from `vectors/tools/svr1_reference.py`, the
//! independent Python implementation of `docs/svr1.md` (KBKDF and AES-CMAC
//! from pyca/cryptography 48.0.0, ECDSA with RFC 6979 from python-ecdsa
//! 0.19.2), run with the inputs written here. Refusals are checked by kind,
//! each from its own cause.

extern crate std;
use std::vec;
use std::vec::Vec;

use super::*;
use crate::Error;
use crate::sign::{PublicKey, SigningKey};
use crate::test_util::h;

const IK16: &str = "000102030405060708090A0B0C0D0E0F";
const IK32: &str = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F";
const CARD: u64 = 0x0102_0304_0506_0708;
// The reference's outputs for the inputs of `fields()` and the updates below.
const CK16: &str = "96A88BF29A01F10737472331ED0BEC38";
const CK32: &str = "82CE89100642A0304A3A5EBB84847F00E24A6253BB77FFA6B7945BCFD1467953";
const SEAL16: &str = "53565231010203040506070803D2020000000000000004D2000000000000C35000000007FFFFFFFFFFFFFF065445524D30303031000000006553F100A5A5A5A5A5A5A5A50000000000000000000000000A1D63A57F50F040B4F5434553FBDD39";
const SEAL32: &str = "53565231010203040506070803D2020000000000000004D2000000000000C35000000007FFFFFFFFFFFFFF065445524D30303031000000006553F100A5A5A5A5A5A5A5A5000000000000000000000000F4A20132B1F94D6B9E5FB1632FCCD1AD";
// debit 234 at "SHOP 42 ", 1700000100, of SEAL16.
const DEBIT: &str = "53565231010203040506070803D2020000000000000003E8000000000000C35000000008FFFFFFFFFFFFFF1653484F5020343220000000006553F1640A1D63A57F50F040000000000000000000000000653C3634B89280B888FD7CA175F9B4DD";
// credit 48000 at "TOPUP   ", 1700000200, of DEBIT.
const CREDIT: &str = "53565231010203040506070803D20200000000000000BF68000000000000C35000000009000000000000BB80544F505550202020000000006553F1C8653C3634B89280B800000000000000000000000078E062D37EDB8712D9606938EFAACD48";
// The RFC 6979 A.2.5 key signing SEAL16, DEBIT and CREDIT.
const SIGNER: &str = "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";
const SIG_SEAL16: &str = "C036FFCBDF60DD3F8170475435C62017254E24D789D9B55E177D8E6A1DA214C68A2956707728799DDA8F309371C0FBC8EB39122370DB4CA3CE44D6AFD21F43CF";
const SIG_DEBIT: &str = "020A05CF859D773B03DE46BC9C778B38D10E37F738A8F71077B529E13F0969F33B9B0C04D5EB77F03527120C2DC4A95EFD8030C47248C8B528379BE7587B9885";
const SIG_CREDIT: &str = "BE332F45DC93FF6EB6FB084F301D2C5C258B8BC38EAF0D4D8893B54AC38779CF73F0DD053D6E909A8AADC7DDE183FD0A88FD13E8B8750F487107913B96F166D2";

fn fields() -> Fields {
    Fields {
        card_id: CARD,
        currency: 978,
        exponent: 2,
        flags: 0,
        balance: 1234,
        limit: 50_000,
        counter: 7,
        amount: -250,
        terminal_id: *b"TERM0001",
        timestamp: 1_700_000_000,
        prev_tag: [0xA5; 8],
    }
}

fn issuer16() -> IssuerKey {
    IssuerKey::from_slice(&h(IK16)).unwrap()
}

fn amount(v: u64) -> Amount {
    Amount::new(v).unwrap()
}

#[test]
fn card_keys_match_the_reference() {
    assert_eq!(issuer16().card_key(CARD).expose_secret(), &h(CK16)[..]);
    let i32 = IssuerKey::from_slice(&h(IK32)).unwrap();
    assert_eq!(i32.card_key(CARD).expose_secret(), &h(CK32)[..]);
    // The same derivation through the kernel's general KBKDF.
    let mut okm = [0u8; 32];
    crate::kdf::kbkdf_cmac_labeled(
        &crate::AesKey::from_slice(&h(IK32)).unwrap(),
        b"SVR1 card key",
        &CARD.to_be_bytes(),
        &mut okm,
    )
    .unwrap();
    assert_eq!(okm.to_vec(), h(CK32));
    assert_eq!(issuer16().card_key(CARD).card_id(), CARD);
    // A card key held by the card works as the derived one.
    let held = CardKey::from_slice(&h(CK16), CARD).unwrap();
    assert_eq!(held.verify(&h(SEAL16)).unwrap().fields(), &fields());
}

#[test]
fn key_lengths() {
    for n in [0usize, 8, 15, 17, 24, 31, 33] {
        assert_eq!(
            IssuerKey::from_slice(&vec![0u8; n]).err(),
            Some(Error::InvalidKey),
            "{n}"
        );
        assert_eq!(
            CardKey::from_slice(&vec![0u8; n], 1).err(),
            Some(Error::InvalidKey),
            "{n}"
        );
    }
    let aes192 = crate::AesKey::from_slice(&[0u8; 24]).unwrap();
    assert_eq!(IssuerKey::new(&aes192).err(), Some(Error::InvalidKey));
}

#[test]
fn seal_and_verify_match_the_reference() {
    let card = issuer16().card_key(CARD);
    let sealed = card.seal(&fields()).unwrap();
    assert_eq!(sealed.as_bytes().to_vec(), h(SEAL16));
    assert_eq!(sealed.tag()[..], h(SEAL16)[80..]);
    let opened = card.verify(&h(SEAL16)).unwrap();
    assert_eq!(opened.fields(), &fields());
    assert_eq!(opened.as_bytes().to_vec(), h(SEAL16));

    let i32 = IssuerKey::from_slice(&h(IK32)).unwrap();
    let card32 = i32.card_key_for(&h(SEAL32)).unwrap();
    assert_eq!(
        card32.seal(&fields()).unwrap().as_bytes().to_vec(),
        h(SEAL32)
    );
    assert_eq!(card32.verify(&h(SEAL32)).unwrap().fields(), &fields());
    // Under the other key size, each is a forgery.
    assert_eq!(card32.verify(&h(SEAL16)).err(), Some(Error::BadMac));
    assert_eq!(card.verify(&h(SEAL32)).err(), Some(Error::BadMac));
}

#[test]
fn verify_refuses_structure_before_tag() {
    let card = issuer16().card_key(CARD);
    let good = h(SEAL16);
    // Each structural rule, with the tag left as it was (now wrong too):
    // invalid-record, not bad-mac, because structure comes first.
    type Edit<'a> = (&'a str, &'a dyn Fn(&mut Vec<u8>));
    let edits: [Edit<'_>; 9] = [
        ("magic", &|b| b[0] = b'X'),
        ("reserved", &|b| b[70] = 1),
        ("flags", &|b| b[15] = 0x02),
        ("exponent", &|b| b[14] = 5),
        ("currency 0", &|b| b[12..14].copy_from_slice(&[0, 0])),
        ("currency 1000", &|b| {
            b[12..14].copy_from_slice(&1000u16.to_be_bytes())
        }),
        ("terminal 0x19", &|b| b[44] = 0x19),
        ("terminal 0x7F", &|b| b[51] = 0x7F),
        ("limit below balance", &|b| {
            b[24..32].copy_from_slice(&1233u64.to_be_bytes());
        }),
    ];
    for (what, edit) in edits {
        let mut b = good.clone();
        edit(&mut b);
        assert_eq!(card.verify(&b).err(), Some(Error::InvalidRecord), "{what}");
    }
    for len in [0usize, 1, 80, 95, 97, 192] {
        let mut b = good.clone();
        b.resize(len, 0);
        assert_eq!(card.verify(&b).err(), Some(Error::InvalidRecord), "{len}");
        assert_eq!(
            issuer16().card_key_for(&b).err(),
            Some(Error::InvalidRecord)
        );
    }
}

#[test]
fn verify_refuses_bad_tags() {
    let card = issuer16().card_key(CARD);
    let good = h(SEAL16);
    // Any bit flipped anywhere that keeps the structure is bad-mac
    // (a flip in card_id makes it another card's record: bad-mac too).
    for at in (4..12).chain(16..24).chain(32..68).chain(80..96) {
        for bit in [0x01u8, 0x80] {
            let mut b = good.clone();
            b[at] ^= bit;
            if UntrustedFields::decode(&b).unwrap().fault().is_some() {
                continue;
            }
            assert_eq!(
                card.verify(&b).err(),
                Some(Error::BadMac),
                "byte {at} bit {bit}"
            );
        }
    }
    // The right record under another issuer's card key.
    let other = IssuerKey::from_slice(&[0x42; 16]).unwrap().card_key(CARD);
    assert_eq!(other.verify(&good).err(), Some(Error::BadMac));
    // A genuine record of another card, checked with this card's key.
    let other_card = issuer16().card_key(CARD ^ 1);
    let theirs = other_card
        .seal(&Fields {
            card_id: CARD ^ 1,
            ..fields()
        })
        .unwrap();
    assert!(other_card.verify(theirs.as_bytes()).is_ok());
    assert_eq!(card.verify(theirs.as_bytes()).err(), Some(Error::BadMac));
}

#[test]
fn seal_refuses_what_verify_refuses() {
    let card = issuer16().card_key(CARD);
    let f = fields();
    for bad in [
        Fields { flags: 2, ..f },
        Fields { flags: 0xFF, ..f },
        Fields { exponent: 5, ..f },
        Fields { currency: 0, ..f },
        Fields {
            currency: 1000,
            ..f
        },
        Fields {
            terminal_id: *b"TERM\x00001",
            ..f
        },
        Fields {
            terminal_id: *b"TERM\xC3\xA901",
            ..f
        },
        Fields {
            balance: 50_001,
            ..f
        },
    ] {
        assert_eq!(card.seal(&bad).err(), Some(Error::InvalidRecord), "{bad:?}");
    }
    // Edges that are fine.
    for ok in [
        Fields { flags: 1, ..f },
        Fields { exponent: 0, ..f },
        Fields { exponent: 4, ..f },
        Fields { currency: 1, ..f },
        Fields { currency: 999, ..f },
        Fields {
            balance: 50_000,
            ..f
        },
        Fields {
            balance: u64::MAX,
            limit: u64::MAX,
            ..f
        },
        Fields {
            terminal_id: *b" ~      ",
            ..f
        },
    ] {
        let r = card.seal(&ok).unwrap();
        assert_eq!(card.verify(r.as_bytes()).unwrap().fields(), &ok);
    }
    // Fields of another card.
    assert_eq!(
        card.seal(&Fields { card_id: 9, ..f }).err(),
        Some(Error::InvalidKey)
    );
}

#[test]
fn debit_and_credit_match_the_reference() {
    let card = issuer16().card_key(CARD);
    let r = card.verify(&h(SEAL16)).unwrap();
    let d = r.debit(amount(234), b"SHOP 42 ", 1_700_000_100).unwrap();
    assert_eq!(d.as_bytes().to_vec(), h(DEBIT));
    let f = d.fields();
    assert_eq!(
        (f.balance, f.counter, f.amount),
        (1000, 8, -234),
        "balance - amount, counter + 1, -amount"
    );
    assert_eq!(f.prev_tag[..], h(SEAL16)[80..88]);
    let c = d
        .credit(amount(48_000), b"TOPUP   ", 1_700_000_200)
        .unwrap();
    assert_eq!(c.as_bytes().to_vec(), h(CREDIT));
    assert_eq!(c.fields().balance, 49_000);
    assert_eq!(c.fields().amount, 48_000);
    // The new records open under the key, and each is the successor of the
    // one before it.
    let d2 = card.verify(&h(DEBIT)).unwrap();
    let c2 = card.verify(&h(CREDIT)).unwrap();
    assert!(d2.is_successor_of(&r));
    assert!(c2.is_successor_of(&d2));
    assert!(!c2.is_successor_of(&r));
}

#[test]
fn update_edges() {
    let card = issuer16().card_key(CARD);
    let f = fields();
    let r = card.seal(&f).unwrap();
    // Debit the whole balance, credit up to the limit exactly.
    assert_eq!(
        r.debit(amount(1234), b"T       ", 0)
            .unwrap()
            .fields()
            .balance,
        0
    );
    assert_eq!(
        r.credit(amount(50_000 - 1234), b"T       ", 0)
            .unwrap()
            .fields()
            .balance,
        50_000
    );
    // The counter may reach u32::MAX, and not pass it.
    let near = card
        .seal(&Fields {
            counter: u32::MAX - 1,
            ..f
        })
        .unwrap();
    let top = near.debit(amount(1), b"T       ", 0).unwrap();
    assert_eq!(top.fields().counter, u32::MAX);
    assert_eq!(
        top.debit(amount(1), b"T       ", 0).err(),
        Some(Error::CounterExhausted)
    );
    // i64::MAX both ways on a card that can hold it.
    let full = card
        .seal(&Fields {
            balance: u64::MAX,
            limit: u64::MAX,
            ..f
        })
        .unwrap();
    let d = full.debit(amount(Amount::MAX), b"T       ", 0).unwrap();
    assert_eq!(d.fields().amount, -i64::MAX);
    assert_eq!(d.fields().balance, 1u64 << 63);
    assert_eq!(
        full.credit(amount(1), b"T       ", 0).err(),
        Some(Error::LimitExceeded)
    );
    let empty = card
        .seal(&Fields {
            balance: 0,
            limit: u64::MAX,
            ..f
        })
        .unwrap();
    assert_eq!(
        empty
            .credit(amount(Amount::MAX), b"T       ", 0)
            .unwrap()
            .fields()
            .amount,
        i64::MAX
    );
}

#[test]
fn update_refusals_each_from_its_own_cause_in_order() {
    let card = issuer16().card_key(CARD);
    let f = fields();
    let r = card.seal(&f).unwrap();
    let t = b"TERM0002";
    // invalid-amount.
    for bad in [0u64, Amount::MAX + 1, u64::MAX] {
        assert_eq!(Amount::new(bad), Err(Error::InvalidAmount), "{bad}");
        assert_eq!(Amount::try_from(bad), Err(Error::InvalidAmount));
    }
    for bad in [0i64, -1, i64::MIN] {
        assert_eq!(Amount::try_from(bad), Err(Error::InvalidAmount), "{bad}");
    }
    for bad in [0i128, -1, i128::from(i64::MAX) + 1, 1 << 64, i128::MIN] {
        assert_eq!(Amount::try_from(bad), Err(Error::InvalidAmount), "{bad}");
    }
    assert_eq!(Amount::try_from(i64::MAX).map(Amount::get), Ok(Amount::MAX));
    assert_eq!(Amount::try_from(1i128).map(Amount::get), Ok(1));
    // invalid-record: a terminal that is not printable.
    for bad in [*b"TERM\x00002", *b"TERM002\x7F", *b"\x80TERM002"] {
        assert_eq!(
            r.debit(amount(1), &bad, 0).err(),
            Some(Error::InvalidRecord)
        );
        assert_eq!(
            r.credit(amount(1), &bad, 0).err(),
            Some(Error::InvalidRecord)
        );
    }
    // card-blocked.
    let blocked = card.seal(&Fields { flags: 1, ..f }).unwrap();
    assert_eq!(
        blocked.debit(amount(1), t, 0).err(),
        Some(Error::CardBlocked)
    );
    assert_eq!(
        blocked.credit(amount(1), t, 0).err(),
        Some(Error::CardBlocked)
    );
    // counter-exhausted.
    let spent = card
        .seal(&Fields {
            counter: u32::MAX,
            ..f
        })
        .unwrap();
    assert_eq!(
        spent.debit(amount(1), t, 0).err(),
        Some(Error::CounterExhausted)
    );
    assert_eq!(
        spent.credit(amount(1), t, 0).err(),
        Some(Error::CounterExhausted)
    );
    // insufficient-funds, limit-exceeded.
    assert_eq!(
        r.debit(amount(1235), t, 0).err(),
        Some(Error::InsufficientFunds)
    );
    assert_eq!(
        r.credit(amount(50_000 - 1233), t, 0).err(),
        Some(Error::LimitExceeded)
    );
    // The order: terminal before blocked before counter before funds.
    let everything = card
        .seal(&Fields {
            flags: 1,
            counter: u32::MAX,
            balance: 0,
            limit: 0,
            ..f
        })
        .unwrap();
    let nul = [0u8; 8];
    assert_eq!(
        everything.debit(amount(1), &nul, 0).err(),
        Some(Error::InvalidRecord)
    );
    assert_eq!(
        everything.debit(amount(1), t, 0).err(),
        Some(Error::CardBlocked)
    );
    assert_eq!(
        everything.credit(amount(1), t, 0).err(),
        Some(Error::CardBlocked)
    );
    let spent_empty = card
        .seal(&Fields {
            counter: u32::MAX,
            balance: 0,
            limit: 0,
            ..f
        })
        .unwrap();
    assert_eq!(
        spent_empty.debit(amount(1), t, 0).err(),
        Some(Error::CounterExhausted)
    );
    assert_eq!(
        spent_empty.credit(amount(1), t, 0).err(),
        Some(Error::CounterExhausted)
    );
}

/// A record sealed from `f` under `card`, as bytes.
fn sealed(card: &CardKey, f: &Fields) -> [u8; RECORD_LEN] {
    *card.seal(f).unwrap().as_bytes()
}

#[test]
fn successor_faults() {
    let card = issuer16().card_key(CARD);
    let f = fields();
    let prev = card.seal(&f).unwrap();
    let ok = Fields {
        counter: 8,
        amount: -100,
        balance: 1134,
        prev_tag: prev.tag()[..8].try_into().unwrap(),
        ..f
    };
    let check = |next: Fields| {
        let other = issuer16().card_key(next.card_id);
        let n = other.seal(&next).unwrap();
        n.successor_fault(&prev)
    };
    assert_eq!(check(ok), None);
    assert_eq!(
        check(Fields {
            card_id: CARD + 1,
            ..ok
        }),
        Some(SuccessorFault::CardId)
    );
    assert_eq!(
        check(Fields {
            currency: 840,
            ..ok
        }),
        Some(SuccessorFault::Currency)
    );
    assert_eq!(
        check(Fields { exponent: 3, ..ok }),
        Some(SuccessorFault::Exponent)
    );
    assert_eq!(
        check(Fields {
            limit: 50_001,
            ..ok
        }),
        Some(SuccessorFault::Limit)
    );
    for counter in [7, 9, 0, u32::MAX] {
        assert_eq!(
            check(Fields { counter, ..ok }),
            Some(SuccessorFault::Counter)
        );
    }
    assert_eq!(
        check(Fields {
            prev_tag: [0; 8],
            ..ok
        }),
        Some(SuccessorFault::PrevTag)
    );
    assert_eq!(
        check(Fields {
            balance: 1133,
            ..ok
        }),
        Some(SuccessorFault::Balance)
    );
    assert_eq!(
        check(Fields { amount: 100, ..ok }),
        Some(SuccessorFault::Balance)
    );
    // Balance arithmetic that would leave u64: a debit below zero.
    let low = card.seal(&Fields { balance: 5, ..f }).unwrap();
    let below = card
        .seal(&Fields {
            balance: 0,
            amount: -6,
            prev_tag: low.tag()[..8].try_into().unwrap(),
            ..ok
        })
        .unwrap();
    assert_eq!(below.successor_fault(&low), Some(SuccessorFault::Balance));
    // A counter at u32::MAX has no successor.
    let top = card
        .seal(&Fields {
            counter: u32::MAX,
            ..f
        })
        .unwrap();
    let wrapped = card
        .seal(&Fields {
            counter: 0,
            prev_tag: top.tag()[..8].try_into().unwrap(),
            ..ok
        })
        .unwrap();
    assert_eq!(wrapped.successor_fault(&top), Some(SuccessorFault::Counter));
    // A record is not its own successor (a replay).
    assert_eq!(prev.successor_fault(&prev), Some(SuccessorFault::Counter));
}

#[test]
fn select_slots() {
    let card = issuer16().card_key(CARD);
    let r0 = card.verify(&h(SEAL16)).unwrap();
    let r1 = card.verify(&h(DEBIT)).unwrap();
    let (b0, b1) = (h(SEAL16), h(DEBIT));
    // Both good: the higher counter, wherever it is.
    let (slot, r) = card.select(&b0, &b1).unwrap();
    assert_eq!((slot, r.as_bytes().to_vec()), (Slot::B, b1.clone()));
    let (slot, r) = card.select(&b1, &b0).unwrap();
    assert_eq!((slot, r.as_bytes().to_vec()), (Slot::A, b1.clone()));
    assert_eq!(Slot::A.other(), Slot::B);
    // A write of DEBIT over SEAL16 torn after `cut` bytes: the other slot.
    for cut in 1..96 {
        let mut t = b0[..cut].to_vec();
        t.extend_from_slice(&b1[cut..]);
        if t == b0 || t == b1 {
            continue;
        }
        let (slot, r) = card.select(&b0, &t).unwrap();
        assert_eq!((slot, r.fields()), (Slot::A, r0.fields()), "cut {cut}");
        let (slot, r) = card.select(&t, &b1).unwrap();
        assert_eq!((slot, r.fields()), (Slot::B, r1.fields()), "cut {cut}");
    }
    // Neither: bad-mac if either failed only its tag.
    let mut tag_only = b0.clone();
    tag_only[90] ^= 1;
    let mut structure = b0.clone();
    structure[0] = 0;
    assert_eq!(card.select(&tag_only, &tag_only).err(), Some(Error::BadMac));
    assert_eq!(
        card.select(&tag_only, &structure).err(),
        Some(Error::BadMac)
    );
    assert_eq!(card.select(&[], &tag_only).err(), Some(Error::BadMac));
    assert_eq!(
        card.select(&structure, &structure).err(),
        Some(Error::InvalidRecord)
    );
    assert_eq!(
        card.select(&structure, &b0[..95]).err(),
        Some(Error::InvalidRecord)
    );
    assert_eq!(card.select(&[], &[]).err(), Some(Error::InvalidRecord));
    // Equal counters (a fork): the lower balance, then slot A.
    let f = fields();
    let lo = sealed(&card, &Fields { balance: 400, ..f });
    let hi = sealed(&card, &Fields { balance: 600, ..f });
    assert_eq!(card.select(&hi, &lo).unwrap().0, Slot::B);
    assert_eq!(card.select(&lo, &hi).unwrap().0, Slot::A);
    let later = sealed(
        &card,
        &Fields {
            timestamp: f.timestamp + 1,
            ..f
        },
    );
    assert_eq!(card.select(&later, &b0).unwrap().0, Slot::A);
    assert_eq!(card.select(&b0, &later).unwrap().0, Slot::A);
    // The free function over verification outcomes under different keys.
    let other = issuer16().card_key(7);
    let (slot, _) = select(other.verify(&b0), card.verify(&b0)).unwrap();
    assert_eq!(slot, Slot::B);
}

struct Chain {
    records: Vec<Vec<u8>>,
    sigs: Vec<Vec<u8>>,
}

impl Chain {
    fn known() -> Chain {
        Chain {
            records: vec![h(SEAL16), h(DEBIT), h(CREDIT)],
            sigs: vec![h(SIG_SEAL16), h(SIG_DEBIT), h(SIG_CREDIT)],
        }
    }

    fn links(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        let n = self.records.len().max(self.sigs.len());
        (0..n).map(|i| {
            (
                self.records.get(i).map_or(&[][..], Vec::as_slice),
                self.sigs.get(i).map_or(&[][..], Vec::as_slice),
            )
        })
    }

    fn verdict(&self) -> ChainVerdict {
        let signer = SigningKey::from_slice(&h(SIGNER)).unwrap();
        issuer16().verify_chain(&signer.public_key(), self.links())
    }
}

#[test]
fn record_signatures_match_the_reference() {
    let signer = SigningKey::from_slice(&h(SIGNER)).unwrap();
    let card = issuer16().card_key(CARD);
    let r = card.verify(&h(SEAL16)).unwrap();
    assert_eq!(r.sign(&signer).as_bytes().to_vec(), h(SIG_SEAL16));
    assert_eq!(
        sign_record(&signer, &h(DEBIT)).unwrap().as_bytes().to_vec(),
        h(SIG_DEBIT)
    );
    assert_eq!(
        sign_record(&signer, &h(DEBIT)[..95]).err(),
        Some(Error::InvalidRecord)
    );
    let pk = signer.public_key();
    assert!(verify_record_signature(&pk, &h(CREDIT), &h(SIG_CREDIT)));
    assert!(!verify_record_signature(&pk, &h(CREDIT), &h(SIG_DEBIT)));
    assert!(!verify_record_signature(
        &pk,
        &h(CREDIT)[..95],
        &h(SIG_CREDIT)
    ));
}

#[test]
fn chain_intact() {
    let c = Chain::known();
    assert_eq!(c.verdict(), ChainVerdict::Intact { links: 3 });
    assert!(c.verdict().is_intact());
    assert_eq!(c.verdict().broken_at(), None);
    // Through the card key, and with the compressed public key.
    let signer = SigningKey::from_slice(&h(SIGNER)).unwrap();
    let pk = PublicKey::from_sec1(&signer.public_key().to_compressed()).unwrap();
    let card = issuer16().card_key(CARD);
    assert!(card.verify_chain(&pk, c.links()).is_intact());
    // Empty: nothing breaks.
    let empty: [(&[u8], &[u8]); 0] = [];
    assert_eq!(
        issuer16().verify_chain(&pk, empty),
        ChainVerdict::Intact { links: 0 }
    );
    // A chain may start mid-way.
    let tail = Chain {
        records: c.records[1..].to_vec(),
        sigs: c.sigs[1..].to_vec(),
    };
    assert!(tail.verdict().is_intact());
}

fn broken(at: usize, fault: LinkFault) -> ChainVerdict {
    ChainVerdict::Broken { at, fault }
}

#[test]
fn chain_breaks() {
    // A tag bit at each index.
    for i in 0..3 {
        let mut c = Chain::known();
        c.records[i][85] ^= 1;
        assert_eq!(c.verdict(), broken(i, LinkFault::Record(Error::BadMac)));
        let mut c = Chain::known();
        c.records[i][14] = 9;
        assert_eq!(
            c.verdict(),
            broken(i, LinkFault::Record(Error::InvalidRecord))
        );
        let mut c = Chain::known();
        c.sigs[i][40] ^= 1;
        assert_eq!(c.verdict(), broken(i, LinkFault::Signature));
    }
    // A signature of the right record by another terminal.
    let mut c = Chain::known();
    let other = SigningKey::from_slice(&[7u8; 32]).unwrap();
    c.sigs[1] = other.sign(&c.records[1]).as_bytes().to_vec();
    assert_eq!(c.verdict(), broken(1, LinkFault::Signature));
    // Replay, skip, rollback.
    let k = Chain::known();
    let c = Chain {
        records: vec![k.records[0].clone(), k.records[0].clone()],
        sigs: vec![k.sigs[0].clone(), k.sigs[0].clone()],
    };
    assert_eq!(
        c.verdict(),
        broken(1, LinkFault::Successor(SuccessorFault::Counter))
    );
    let c = Chain {
        records: vec![k.records[0].clone(), k.records[2].clone()],
        sigs: vec![k.sigs[0].clone(), k.sigs[2].clone()],
    };
    assert_eq!(
        c.verdict(),
        broken(1, LinkFault::Successor(SuccessorFault::Counter))
    );
    let c = Chain {
        records: vec![k.records[1].clone(), k.records[0].clone()],
        sigs: vec![k.sigs[1].clone(), k.sigs[0].clone()],
    };
    assert_eq!(
        c.verdict(),
        broken(1, LinkFault::Successor(SuccessorFault::Counter))
    );
    // Lengths that differ: the first index missing its partner.
    let mut c = Chain::known();
    c.sigs.pop();
    assert_eq!(c.verdict(), broken(2, LinkFault::Signature));
    let mut c = Chain::known();
    c.records.pop();
    assert_eq!(
        c.verdict(),
        broken(2, LinkFault::Record(Error::InvalidRecord))
    );
}

#[test]
fn chain_with_another_card() {
    // An authentic record of another card in the chain: the issuer sees a
    // successor fault (card_id); the first card's key sees a forgery.
    let signer = SigningKey::from_slice(&h(SIGNER)).unwrap();
    let issuer = issuer16();
    let theirs = issuer.card_key(CARD + 1);
    let mut foreign = Chain::known();
    let f = Fields {
        card_id: CARD + 1,
        counter: 8,
        amount: -234,
        balance: 1000,
        terminal_id: *b"SHOP 42 ",
        prev_tag: h(SEAL16)[80..88].try_into().unwrap(),
        ..fields()
    };
    let rec = sealed(&theirs, &f);
    foreign.records[1] = rec.to_vec();
    foreign.sigs[1] = signer.sign(&rec).as_bytes().to_vec();
    assert_eq!(
        foreign.verdict(),
        broken(1, LinkFault::Successor(SuccessorFault::CardId))
    );
    let card = issuer.card_key(CARD);
    assert_eq!(
        card.verify_chain(&signer.public_key(), foreign.links()),
        broken(1, LinkFault::Record(Error::BadMac))
    );
}

#[test]
fn untrusted_fields_say_what_is_wrong() {
    let u = UntrustedFields::decode(&h(SEAL16)).unwrap();
    assert_eq!(u.claimed, fields());
    assert_eq!(u.magic, MAGIC);
    assert_eq!(u.tag[..], h(SEAL16)[80..]);
    assert_eq!(u.fault(), None);
    let mut b = h(SEAL16);
    b[15] = 4;
    assert_eq!(
        UntrustedFields::decode(&b).unwrap().fault(),
        Some(StructureFault::Flags)
    );
}

#[test]
fn secrets_print_redacted() {
    let s = std::format!("{:?}", issuer16());
    assert_eq!(s, "IssuerKey { length: Aes128, .. }");
    let s = std::format!("{:?}", issuer16().card_key(CARD));
    assert!(!s.contains("96A8") && !s.contains("150"), "{s}");
    assert!(s.ends_with(".. }"), "{s}");
    // A verified record is public: Debug shows the reference's fields and
    // tag (bytes 80..96 of SEAL16), not the card key.
    let card = issuer16().card_key(CARD);
    let opened = card.verify(&h(SEAL16)).unwrap();
    let tag: [u8; 16] = h(SEAL16)[80..].try_into().unwrap();
    assert_eq!(
        std::format!("{opened:?}"),
        std::format!(
            "VerifiedRecord {{ fields: {:?}, tag: {tag:?}, .. }}",
            fields()
        )
    );
}

/// A small xorshift generator: fixed inputs that look random.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn fill(&mut self, b: &mut [u8]) {
        for x in b {
            *x = self.next().to_le_bytes()[0];
        }
    }
}

#[test]
fn arbitrary_bytes_never_panic_and_never_verify() {
    let issuer = issuer16();
    let card = issuer.card_key(CARD);
    let signer = SigningKey::from_slice(&h(SIGNER)).unwrap();
    let pk = signer.public_key();
    let mut n = Noise(0x9E37_79B9_7F4A_7C15);
    for round in 0..2000 {
        let len = if round & 3 == 0 {
            usize::from(n.next().to_le_bytes()[0])
        } else {
            RECORD_LEN
        };
        let mut b = vec![0u8; len];
        n.fill(&mut b);
        if round & 1 == 0 && len == RECORD_LEN {
            // Past the structure checks, so that the tag is what fails.
            let f = Fields {
                flags: b[15] & 1,
                exponent: b[14] & 3,
                currency: 1 + u16::from(b[13]),
                limit: u64::MAX,
                terminal_id: *b"FUZZ    ",
                card_id: CARD,
                ..fields()
            };
            let mut body = f.encode().to_vec();
            body[80..].copy_from_slice(&b[80..]);
            b = body;
        }
        let want = if len != RECORD_LEN || UntrustedFields::decode(&b).unwrap().fault().is_some() {
            Error::InvalidRecord
        } else {
            Error::BadMac
        };
        assert_eq!(card.verify(&b).err(), Some(want), "round {round}");
        if let Ok(k) = issuer.card_key_for(&b) {
            assert_eq!(k.verify(&b).err(), Some(want));
        }
        assert!(card.select(&b, &b).is_err());
        let v = issuer.verify_chain(
            &pk,
            [(&h(SEAL16)[..], &h(SIG_SEAL16)[..]), (&b[..], &b[..])],
        );
        assert_eq!(v.broken_at(), Some(1));
        assert!(!verify_record_signature(&pk, &b, &b));
    }
}

#[test]
fn faults_say_which_rule_in_words() {
    extern crate std;
    use std::string::ToString;
    // Each structural rule and successor condition of `docs/svr1.md` named by
    // its own field (or value), and printed as described.
    let structure = [
        (StructureFault::Length, "96"),
        (StructureFault::Magic, "SVR1"),
        (StructureFault::Reserved, "reserved"),
        (StructureFault::Flags, "flag"),
        (StructureFault::Exponent, "exponent"),
        (StructureFault::Currency, "currency"),
        (StructureFault::TerminalId, "terminal_id"),
        (StructureFault::BalanceOverLimit, "limit"),
    ];
    for (f, word) in structure {
        assert!(f.describe().contains(word), "{f:?}: {}", f.describe());
        assert_eq!(f.to_string(), f.describe());
    }
    let successor = [
        (SuccessorFault::CardId, "card_id"),
        (SuccessorFault::Currency, "currency"),
        (SuccessorFault::Exponent, "exponent"),
        (SuccessorFault::Limit, "limit"),
        (SuccessorFault::Counter, "counter"),
        (SuccessorFault::PrevTag, "prev_tag"),
        (SuccessorFault::Balance, "balance"),
    ];
    for (f, word) in successor {
        assert!(f.describe().contains(word), "{f:?}: {}", f.describe());
        assert_eq!(f.to_string(), f.describe());
        // A broken link names the condition it breaks.
        assert!(LinkFault::Successor(f).to_string().contains(f.describe()));
    }
    // A record that does not verify names the error kind (`docs/vectors.md`).
    let s = LinkFault::Record(Error::BadMac).to_string();
    assert!(s.contains("bad-mac") && s.contains("record"), "{s}");
    let s = LinkFault::Signature.to_string();
    assert!(s.contains("signature"), "{s}");
    // A broken chain is not intact.
    let v = broken(1, LinkFault::Signature);
    assert!(!v.is_intact());
    assert_eq!(v.broken_at(), Some(1));
}
