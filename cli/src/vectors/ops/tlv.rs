//! `tlv.decode`: BER-TLV as in DE 55 (EMV Book 3 Annex B; `docs/vectors.md`,
//! "EMV cryptogram versions and TLV").
//!
//! `data` that is not hex fails the case; BER-TLV that the kernel refuses
//! is `invalid-tlv`. The answer is `tags`: every primitive object at any
//! depth, keyed by its tag in upper-case hex.

use paykernel::tlv::Tlv;
use serde_json::{Map, Value};

use super::{Op, Output, hexv, out};
use crate::vectors::params::{Fail, Params};

/// The ops of this file.
pub const OPS: &[Op] = &[Op {
    name: "tlv.decode",
    params: &["data"],
    run: decode,
}];

fn decode(p: &Params<'_>) -> Result<Output, Fail> {
    let data = p.bytes("data")?;
    let tlv = Tlv::parse(&data)?;
    let tags: Map<String, Value> = tlv
        .primitives()
        .map(|o| (o.tag().to_string(), hexv(o.value())))
        .collect();
    Ok(out([("tags", Value::Object(tags))]))
}
