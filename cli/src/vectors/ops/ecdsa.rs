//! Ops on ECDSA P-256 with SHA-256: `ecdsa.p256.sign` (RFC 6979) and
//! `ecdsa.p256.verify`.
//!
//! `ecdsa.p256.verify` takes exactly one of `sig` (64 bytes `r || s`) and
//! `sig_der` (strict ASN.1 DER). A signature that is malformed in any way,
//! malformed hex included, is `valid: false`; a `public_key` that is
//! malformed hex, not a SEC1 compressed or uncompressed encoding, or not a
//! point on the curve is `invalid-public-key`; `msg` that is not hex fails
//! the case. `ecdsa.p256.sign`: a `key` that is malformed hex, not 32
//! bytes, 0 or at least n is `invalid-key`.

use paykernel::sign::SigningKey;
use serde_json::Value;

use super::record::public_key;
use super::{Op, Output, hexv, out};
use crate::vectors::params::{Fail, Params, decode_hex};

/// The ops of this file.
pub const OPS: &[Op] = &[
    Op {
        name: "ecdsa.p256.sign",
        params: &["key", "msg"],
        run: sign,
    },
    Op {
        name: "ecdsa.p256.verify",
        params: &["public_key", "msg", "sig", "sig_der"],
        run: verify,
    },
];

fn sign(p: &Params<'_>) -> Result<Output, Fail> {
    let key = SigningKey::from_slice(&p.key("key")?)?;
    let msg = p.bytes("msg")?;
    Ok(out([("sig", hexv(key.sign(&msg).as_bytes()))]))
}

fn verify(p: &Params<'_>) -> Result<Output, Fail> {
    let pk = public_key(p)?;
    let msg = p.bytes("msg")?;
    let sig = |v: &Value| v.as_str().and_then(|s| decode_hex(s).ok());
    let valid = match (p.opt("sig"), p.opt("sig_der")) {
        (Some(raw), None) => sig(raw).is_some_and(|s| pk.verify(&msg, &s)),
        (None, Some(der)) => sig(der).is_some_and(|s| pk.verify_der(&msg, &s)),
        _ => {
            return Err(Fail::Param(
                "give exactly one of 'sig' (r || s) and 'sig_der'".to_owned(),
            ));
        }
    };
    Ok(out([("valid", Value::Bool(valid))]))
}
