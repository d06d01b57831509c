//! DUKPT ops: `dukpt.tdes.ipek`, `dukpt.tdes.key`, `dukpt.tdes.terminal`,
//! `dukpt.aes.initial_key`, `dukpt.aes.key`, `dukpt.aes.terminal`.
//!
//! Decisions where `docs/vectors.md` is silent:
//! - `dukpt.tdes.key` and `dukpt.aes.key` take exactly one of `bdk` and
//!   `ipek` / `initial_key`: both, or neither, is a malformed case (it
//!   fails whatever it expects).
//! - A KSN or initial key ID that is not hex, or of the wrong length, is
//!   `invalid-ksn`; a key that is not hex, or of the wrong length, is
//!   `invalid-key`. A `key_type`, `usage` or `variant` that is not one of
//!   the names is a malformed case; a key type the initial key cannot give
//!   (stronger, or HMAC outside the MAC usages) is `unsupported`.
//! - The `ksn` of a terminal op is the KSN register as loaded. With
//!   counter 0 (the usual case) the first transaction uses counter 1; with
//!   another counter the terminal starts there: its first transaction uses
//!   the smallest usable counter at or above it. When the `count`
//!   transactions run past the last usable counter, the case is
//!   `counter-exhausted`.
//! - The runner lists at most [`LIST_LIMIT`] transactions, and runs a
//!   terminal for at most [`RUN_LIMIT`] of them; beyond that it answers
//!   `counter-exhausted` from the terminal's own count of what it has left
//!   when the terminal runs out before `count`, and fails the case as too
//!   large otherwise.

use paykernel::dukpt::aes::{self, AesTerminal, KeyType, KeyUsage};
use paykernel::dukpt::tdes::{self, TdesTerminal, Variant};
use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
use paykernel::{AesKey, Error, TdesKey};
use serde_json::Value;

use super::{Op, Output, hexv, out};
use crate::vectors::params::{Fail, Kind, Params};

/// The most transactions a terminal case lists.
pub const LIST_LIMIT: u64 = 100_000;

/// The most transactions the runner makes a terminal perform for one case.
pub const RUN_LIMIT: u64 = 100_000;

/// The ops of this file.
pub const OPS: &[Op] = &[
    Op {
        name: "dukpt.tdes.ipek",
        params: &["bdk", "ksn"],
        run: tdes_ipek,
    },
    Op {
        name: "dukpt.tdes.key",
        params: &["bdk", "ipek", "ksn", "variant"],
        run: tdes_key,
    },
    Op {
        name: "dukpt.tdes.terminal",
        params: &["ipek", "ksn", "count", "variant"],
        run: tdes_terminal,
    },
    Op {
        name: "dukpt.aes.initial_key",
        params: &["bdk", "initial_key_id"],
        run: aes_initial_key,
    },
    Op {
        name: "dukpt.aes.key",
        params: &["bdk", "initial_key", "ksn", "key_type", "usage"],
        run: aes_key,
    },
    Op {
        name: "dukpt.aes.terminal",
        params: &["initial_key", "ksn", "count", "key_type", "usage"],
        run: aes_terminal,
    },
];

/// The `variant` names of `docs/vectors.md`.
const VARIANTS: [(&str, Variant); 6] = [
    (Variant::Base.name(), Variant::Base),
    (Variant::Pin.name(), Variant::Pin),
    (Variant::MacRequest.name(), Variant::MacRequest),
    (Variant::MacResponse.name(), Variant::MacResponse),
    (Variant::DataRequest.name(), Variant::DataRequest),
    (Variant::DataResponse.name(), Variant::DataResponse),
];

fn tdes_ksn(p: &Params<'_>) -> Result<TdesKsn, Fail> {
    let b = p.hex("ksn", Kind::Refuse(Error::InvalidKsn))?;
    Ok(TdesKsn::from_slice(&b)?)
}

fn aes_ksn(p: &Params<'_>) -> Result<AesKsn, Fail> {
    let b = p.hex("ksn", Kind::Refuse(Error::InvalidKsn))?;
    Ok(AesKsn::from_slice(&b)?)
}

fn tdes_key_param(p: &Params<'_>, name: &str) -> Result<TdesKey, Fail> {
    Ok(TdesKey::from_slice(&p.key(name)?)?)
}

fn aes_key_param(p: &Params<'_>, name: &str) -> Result<AesKey, Fail> {
    Ok(AesKey::from_slice(&p.key(name)?)?)
}

/// Which of the two exclusive key parameters the case gives.
enum Root {
    Bdk,
    Derived,
}

fn root(p: &Params<'_>, derived: &str) -> Result<Root, Fail> {
    match (p.has("bdk"), p.has(derived)) {
        (true, false) => Ok(Root::Bdk),
        (false, true) => Ok(Root::Derived),
        (true, true) => Err(Fail::Param(format!(
            "give one of 'bdk' and '{derived}', not both"
        ))),
        (false, false) => Err(Fail::Param(format!(
            "missing parameter: one of 'bdk' and '{derived}'"
        ))),
    }
}

fn key_type(p: &Params<'_>) -> Result<KeyType, Fail> {
    let s = p.str("key_type")?;
    KeyType::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = KeyType::ALL.iter().map(|t| t.name()).collect();
        Fail::Param(format!(
            "parameter 'key_type' must be one of {}, got {s:?}",
            names.join("|")
        ))
    })
}

fn usage(p: &Params<'_>) -> Result<KeyUsage, Fail> {
    let s = p.str("usage")?;
    KeyUsage::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = KeyUsage::ALL.iter().map(|u| u.name()).collect();
        Fail::Param(format!(
            "parameter 'usage' must be one of {}, got {s:?}",
            names.join("|")
        ))
    })
}

fn tdes_ipek(p: &Params<'_>) -> Result<Output, Fail> {
    let bdk = tdes_key_param(p, "bdk")?;
    let ksn = tdes_ksn(p)?;
    let ipek = tdes::derive_initial_key(&bdk, &ksn)?;
    Ok(out([("ipek", hexv(ipek.expose_secret()))]))
}

fn tdes_key(p: &Params<'_>) -> Result<Output, Fail> {
    let root = root(p, "ipek")?;
    let variant = p.choice("variant", &VARIANTS)?;
    let key = match root {
        Root::Bdk => tdes_key_param(p, "bdk")?,
        Root::Derived => tdes_key_param(p, "ipek")?,
    };
    let ksn = tdes_ksn(p)?;
    let k = match root {
        Root::Bdk => tdes::derive_working_key_from_bdk(&key, &ksn, variant)?,
        Root::Derived => tdes::derive_working_key(&key, &ksn, variant)?,
    };
    Ok(out([("key", hexv(k.expose_secret()))]))
}

/// How many of the `count` transactions to run, or the answer without
/// running them.
fn plan(count: u64, remaining: u64) -> Result<u64, Fail> {
    if count > remaining {
        // The terminal runs out first: let it do so when that is quick,
        // and answer from its own count otherwise.
        if remaining < RUN_LIMIT {
            return Ok(remaining.saturating_add(1));
        }
        return Err(Fail::Kernel(Error::CounterExhausted));
    }
    if count > LIST_LIMIT {
        return Err(Fail::Param(format!(
            "count {count} is beyond the runner's limit of {LIST_LIMIT} listed transactions"
        )));
    }
    Ok(count)
}

fn terminal_output(ksns: Vec<Value>, keys: Vec<Value>) -> Output {
    out([("ksn", Value::Array(ksns)), ("key", Value::Array(keys))])
}

fn tdes_terminal(p: &Params<'_>) -> Result<Output, Fail> {
    let ipek = tdes_key_param(p, "ipek")?;
    let ksn = tdes_ksn(p)?;
    let count = p.u64("count")?;
    let variant = p.choice("variant", &VARIANTS)?;
    let mut terminal = TdesTerminal::load_initial_key(&ipek, &ksn)?;
    let steps = plan(count, terminal.remaining())?;
    let listed = usize::try_from(steps.min(LIST_LIMIT)).unwrap_or(0);
    let mut ksns = Vec::with_capacity(listed);
    let mut keys = Vec::with_capacity(listed);
    for i in 0..steps {
        let (k_ksn, key) = terminal.next_transaction(variant)?;
        if i < LIST_LIMIT {
            ksns.push(hexv(k_ksn.as_bytes()));
            keys.push(hexv(key.expose_secret()));
        }
    }
    Ok(terminal_output(ksns, keys))
}

fn aes_initial_key(p: &Params<'_>) -> Result<Output, Fail> {
    let bdk = aes_key_param(p, "bdk")?;
    let id = p.hex("initial_key_id", Kind::Refuse(Error::InvalidKsn))?;
    let id = InitialKeyId::from_slice(&id)?;
    let ik = aes::derive_initial_key(&bdk, &id)?;
    Ok(out([("key", hexv(ik.expose_secret()))]))
}

fn aes_key(p: &Params<'_>) -> Result<Output, Fail> {
    let root = root(p, "initial_key")?;
    let key_type = key_type(p)?;
    let usage = usage(p)?;
    let key = match root {
        Root::Bdk => aes_key_param(p, "bdk")?,
        Root::Derived => aes_key_param(p, "initial_key")?,
    };
    let ksn = aes_ksn(p)?;
    let k = match root {
        Root::Bdk => aes::derive_working_key_from_bdk(&key, &ksn, key_type, usage)?,
        Root::Derived => aes::derive_working_key(&key, &ksn, key_type, usage)?,
    };
    Ok(out([("key", hexv(k.expose_secret()))]))
}

fn aes_terminal(p: &Params<'_>) -> Result<Output, Fail> {
    let ik = aes_key_param(p, "initial_key")?;
    let ksn = aes_ksn(p)?;
    let count = p.u64("count")?;
    let key_type = key_type(p)?;
    let usage = usage(p)?;
    aes::check_working_key(ik.length(), key_type, usage)?;
    let mut terminal = AesTerminal::load_initial_key(&ik, &ksn)?;
    let steps = plan(count, terminal.remaining())?;
    let listed = usize::try_from(steps.min(LIST_LIMIT)).unwrap_or(0);
    let mut ksns = Vec::with_capacity(listed);
    let mut keys = Vec::with_capacity(listed);
    for i in 0..steps {
        let (k_ksn, key) = terminal.next_transaction(key_type, usage)?;
        if i < LIST_LIMIT {
            ksns.push(hexv(k_ksn.as_bytes()));
            keys.push(hexv(key.expose_secret()));
        }
    }
    Ok(terminal_output(ksns, keys))
}
