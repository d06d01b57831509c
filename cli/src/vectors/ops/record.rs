//! Ops on stored-value records: `record.card_key`, `record.seal`,
//! `record.verify`, `record.debit`, `record.credit`, `record.successor`,
//! `record.select`, `record.sign`, `record.chain`.
//!
//! How parameters map to error kinds (beyond `docs/vectors.md`):
//! - `issuer_key`: malformed hex or a length other than 16 or 32 is
//!   `invalid-key`. `key` (`record.sign`): malformed hex, a length other
//!   than 32, 0 or a value at or above n is `invalid-key`.
//! - `record`, `card_id`, `terminal_id`, `prev_tag`: malformed hex or a
//!   wrong length (96, 8, 8, 8 bytes) is `invalid-record`: they are record
//!   fields.
//! - Integer fields (`currency`, `exponent`, `flags`, `balance`, `limit`,
//!   `counter`, `amount` of `record.seal`, `timestamp`): an integer that
//!   does not fit the field's width (a negative balance, a currency of
//!   70000) is `invalid-record`; a value that is not an integer at all
//!   fails the case. Integers are read exactly: JSON numbers (any size; one
//!   beyond 64 bits is still known to be out of range) or strings of
//!   decimal digits with an optional `-`.
//! - `amount` of `record.debit`/`record.credit`: any integer outside
//!   `1..=i64::MAX` (zero, negative, above i64::MAX, beyond 64 bits) reaches
//!   the kernel's `Amount` check: `invalid-amount`.
//! - The checks run in the kernel's order: issuer key, then the record
//!   (`invalid-record`, `bad-mac`), then the amount, the terminal and the
//!   rules of the update.
//! - The verify ops (`record.successor`, `record.chain`) answer
//!   `valid: false` for anything that does not check out, malformed hex
//!   included; only a bad `issuer_key` (`invalid-key`) or `public_key`
//!   (`invalid-public-key`) is an error. `record.chain` adds `broken_at`
//!   and `fault` (why, in words) when the chain breaks.

use paykernel::Error;
use paykernel::record::{self, Amount, CardKey, ChainVerdict, Fields, IssuerKey, VerifiedRecord};
use paykernel::sign::{PublicKey, SigningKey};
use serde_json::Value;

use super::{Op, Output, hexv, out};
use crate::vectors::params::{Fail, Kind, Params, decode_hex};

/// The ops of this file.
pub const OPS: &[Op] = &[
    Op {
        name: "record.card_key",
        params: &["issuer_key", "card_id"],
        run: card_key,
    },
    Op {
        name: "record.seal",
        params: &[
            "issuer_key",
            "card_id",
            "currency",
            "exponent",
            "flags",
            "balance",
            "limit",
            "counter",
            "amount",
            "terminal_id",
            "timestamp",
            "prev_tag",
        ],
        run: seal,
    },
    Op {
        name: "record.verify",
        params: &["issuer_key", "record"],
        run: verify,
    },
    Op {
        name: "record.debit",
        params: &["issuer_key", "record", "amount", "terminal_id", "timestamp"],
        run: debit,
    },
    Op {
        name: "record.credit",
        params: &["issuer_key", "record", "amount", "terminal_id", "timestamp"],
        run: credit,
    },
    Op {
        name: "record.successor",
        params: &["issuer_key", "previous", "next"],
        run: successor,
    },
    Op {
        name: "record.select",
        params: &["issuer_key", "slot_a", "slot_b"],
        run: select,
    },
    Op {
        name: "record.sign",
        params: &["key", "record"],
        run: sign,
    },
    Op {
        name: "record.chain",
        params: &["issuer_key", "public_key", "records", "sigs"],
        run: chain,
    },
];

const REFUSE_RECORD: Kind = Kind::Refuse(Error::InvalidRecord);

fn issuer(p: &Params<'_>) -> Result<IssuerKey, Fail> {
    Ok(IssuerKey::from_slice(&p.key("issuer_key")?)?)
}

/// Exactly `N` bytes of hex; malformed or another length is
/// `invalid-record`.
fn field_bytes<const N: usize>(p: &Params<'_>, name: &str) -> Result<[u8; N], Fail> {
    p.hex(name, REFUSE_RECORD)?
        .try_into()
        .map_err(|_| Fail::Kernel(Error::InvalidRecord))
}

/// An integer record field: one that does not fit the field is
/// `invalid-record`.
fn field_int<T: TryFrom<i128>>(p: &Params<'_>, name: &str) -> Result<T, Fail> {
    T::try_from(p.int(name)?).map_err(|_| Fail::Kernel(Error::InvalidRecord))
}

fn card_id(p: &Params<'_>) -> Result<u64, Fail> {
    Ok(u64::from_be_bytes(field_bytes::<8>(p, "card_id")?))
}

fn card_key(p: &Params<'_>) -> Result<Output, Fail> {
    let issuer = issuer(p)?;
    let key = issuer.card_key(card_id(p)?);
    Ok(out([("key", hexv(key.expose_secret()))]))
}

fn seal(p: &Params<'_>) -> Result<Output, Fail> {
    let issuer = issuer(p)?;
    // `flags`, `amount` and `prev_tag` may be left out: an issuance record
    // (not blocked, amount 0, no previous tag).
    let fields = Fields {
        card_id: card_id(p)?,
        currency: field_int(p, "currency")?,
        exponent: field_int(p, "exponent")?,
        flags: if p.has("flags") {
            field_int(p, "flags")?
        } else {
            0
        },
        balance: field_int(p, "balance")?,
        limit: field_int(p, "limit")?,
        counter: field_int(p, "counter")?,
        amount: if p.has("amount") {
            field_int(p, "amount")?
        } else {
            0
        },
        terminal_id: field_bytes::<8>(p, "terminal_id")?,
        timestamp: field_int(p, "timestamp")?,
        prev_tag: if p.has("prev_tag") {
            field_bytes::<8>(p, "prev_tag")?
        } else {
            [0u8; 8]
        },
    };
    let card = issuer.card_key(fields.card_id);
    let sealed = card.seal(&fields)?;
    Ok(out([("record", hexv(sealed.as_bytes()))]))
}

/// The record fields as `docs/vectors.md` reports them.
pub fn fields_output(f: &Fields) -> Output {
    out([
        ("card_id", hexv(&f.card_id.to_be_bytes())),
        ("currency", Value::from(f.currency)),
        ("exponent", Value::from(f.exponent)),
        ("flags", Value::from(f.flags)),
        ("balance", Value::from(f.balance)),
        ("limit", Value::from(f.limit)),
        ("counter", Value::from(f.counter)),
        ("amount", Value::from(f.amount)),
        ("terminal_id", hexv(&f.terminal_id)),
        ("timestamp", Value::from(f.timestamp)),
        ("prev_tag", hexv(&f.prev_tag)),
    ])
}

/// The card key for the card `bytes` claims, and the verdict on `bytes`
/// under it.
fn open<'k>(key: &'k Option<CardKey>, bytes: &[u8]) -> Result<VerifiedRecord<'k>, Error> {
    match key {
        Some(k) => k.verify(bytes),
        None => Err(Error::InvalidRecord),
    }
}

fn verify(p: &Params<'_>) -> Result<Output, Fail> {
    let issuer = issuer(p)?;
    let bytes = p.hex("record", REFUSE_RECORD)?;
    let card = issuer.card_key_for(&bytes)?;
    let rec = card.verify(&bytes)?;
    let mut o = out([("valid", Value::Bool(true))]);
    o.extend(fields_output(rec.fields()));
    Ok(o)
}

fn update(p: &Params<'_>, credit: bool) -> Result<Output, Fail> {
    let issuer = issuer(p)?;
    let bytes = p.hex("record", REFUSE_RECORD)?;
    let card = issuer.card_key_for(&bytes)?;
    let current = card.verify(&bytes)?;
    let amount = Amount::try_from(p.int("amount")?)?;
    let terminal = field_bytes::<8>(p, "terminal_id")?;
    let timestamp = field_int(p, "timestamp")?;
    let next = if credit {
        current.credit(amount, &terminal, timestamp)?
    } else {
        current.debit(amount, &terminal, timestamp)?
    };
    Ok(out([("record", hexv(next.as_bytes()))]))
}

fn debit(p: &Params<'_>) -> Result<Output, Fail> {
    update(p, false)
}

fn credit(p: &Params<'_>) -> Result<Output, Fail> {
    update(p, true)
}

/// Hex of a verify op's input: anything malformed is an empty byte
/// string, which checks out as nothing.
fn lenient_hex(v: &Value) -> Vec<u8> {
    v.as_str()
        .and_then(|s| decode_hex(s).ok())
        .unwrap_or_default()
}

fn lenient(p: &Params<'_>, name: &str) -> Result<Vec<u8>, Fail> {
    Ok(lenient_hex(p.get(name)?))
}

fn successor(p: &Params<'_>) -> Result<Output, Fail> {
    let issuer = issuer(p)?;
    let prev_bytes = lenient(p, "previous")?;
    let next_bytes = lenient(p, "next")?;
    let prev_key = issuer.card_key_for(&prev_bytes).ok();
    let next_key = issuer.card_key_for(&next_bytes).ok();
    let valid = match (open(&prev_key, &prev_bytes), open(&next_key, &next_bytes)) {
        (Ok(prev), Ok(next)) => next.is_successor_of(&prev),
        _ => false,
    };
    Ok(out([("valid", Value::Bool(valid))]))
}

fn select(p: &Params<'_>) -> Result<Output, Fail> {
    let issuer = issuer(p)?;
    // A slot is whatever the card holds: bytes that are not hex, or not 96
    // of them, are a slot that fails its structure.
    let a = lenient(p, "slot_a")?;
    let b = lenient(p, "slot_b")?;
    let key_a = issuer.card_key_for(&a).ok();
    let key_b = issuer.card_key_for(&b).ok();
    let (_, chosen) = record::select(open(&key_a, &a), open(&key_b, &b))?;
    Ok(out([("record", hexv(chosen.as_bytes()))]))
}

fn sign(p: &Params<'_>) -> Result<Output, Fail> {
    let key = SigningKey::from_slice(&p.key("key")?)?;
    let bytes = p.hex("record", REFUSE_RECORD)?;
    let sig = record::sign_record(&key, &bytes)?;
    Ok(out([("sig", hexv(sig.as_bytes()))]))
}

/// A public key in hex: malformed hex is `invalid-public-key`.
pub fn public_key(p: &Params<'_>) -> Result<PublicKey, Fail> {
    let bytes = p.hex("public_key", Kind::Refuse(Error::InvalidPublicKey))?;
    Ok(PublicKey::from_sec1(&bytes)?)
}

fn chain(p: &Params<'_>) -> Result<Output, Fail> {
    let issuer = issuer(p)?;
    let pk = public_key(p)?;
    let records: Vec<Vec<u8>> = p.array("records")?.iter().map(lenient_hex).collect();
    let sigs: Vec<Vec<u8>> = p.array("sigs")?.iter().map(lenient_hex).collect();
    // The first index missing its partner is a broken link: pair it with
    // nothing, which checks out as nothing.
    let len = records.len().max(sigs.len());
    let links = (0..len).map(|i| {
        (
            records.get(i).map_or(&[][..], Vec::as_slice),
            sigs.get(i).map_or(&[][..], Vec::as_slice),
        )
    });
    Ok(match issuer.verify_chain(&pk, links) {
        ChainVerdict::Intact { .. } => out([("valid", Value::Bool(true))]),
        ChainVerdict::Broken { at, fault } => out([
            ("valid", Value::Bool(false)),
            ("broken_at", Value::from(at)),
            ("fault", Value::String(fault.to_string())),
        ]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vectors::params::int_value;
    use crate::vectors::{load, run_case};

    #[test]
    fn integers_are_read_exactly() {
        let v = |s: &str| int_value(&serde_json::from_str::<Value>(s).unwrap());
        assert_eq!(v("18446744073709551615"), Some(i128::from(u64::MAX)));
        assert_eq!(v("9223372036854775808"), Some(1i128 << 63));
        assert_eq!(v("-9223372036854775808"), Some(i128::from(i64::MIN)));
        assert_eq!(v("18446744073709551616"), Some(1i128 << 64));
        assert_eq!(v("1e3"), Some(1000));
        assert_eq!(v("1.5"), None);
        assert_eq!(v("\"-17\""), Some(-17));
        assert_eq!(
            v("\"340282366920938463463374607431768211456\""),
            Some(i128::MAX)
        );
        assert_eq!(v("\"12a\""), None);
        assert_eq!(v("\"-\""), None);
        assert_eq!(v("true"), None);
        assert_eq!(v("null"), None);
    }

    /// Every case of the project's SVR1 and ECDSA suites passes through the
    /// runner (the suites' values come from `vectors/tools/svr1_reference.py`
    /// and RFC 6979).
    #[test]
    fn svr1_suites_pass() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name.starts_with("svr1-") || name == "rfc6979-p256.json")
                    && name.ends_with(".json")
            })
            .collect();
        files.sort();
        assert_eq!(files.len(), 8, "{files:?}");
        let mut total = 0;
        for f in files {
            let suite = load(&f).unwrap();
            for (i, case) in suite.cases.iter().enumerate() {
                let r = run_case(i, case);
                assert!(
                    r.failure.is_none(),
                    "{} {}: {:?}",
                    suite.name,
                    r.id,
                    r.failure
                );
                total += 1;
            }
        }
        assert!(total > 500, "{total}");
    }
}
