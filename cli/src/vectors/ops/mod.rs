//! The table from op name to handler. Each concern keeps its ops in its own
//! file and lists them in one `OPS` array; adding an op is one entry there.

use serde_json::{Map, Value};

use super::params::{Fail, Params};

mod card;
mod cvn;
mod dukpt;
mod dukpt_data;
mod ecdsa;
mod emv;
mod mac;
mod pin;
mod primitives;
mod record;
mod tlv;
mod tr31;

/// The fields an op answers with.
pub type Output = Map<String, Value>;

/// An op's handler.
pub type Handler = fn(&Params<'_>) -> Result<Output, Fail>;

/// One op of `docs/vectors.md`.
#[derive(Debug)]
pub struct Op {
    /// Its name, e.g. `tdes.encrypt`.
    pub name: &'static str,
    /// Every parameter it accepts; any other name fails the case.
    pub params: &'static [&'static str],
    /// What it does.
    pub run: Handler,
}

const TABLES: &[&[Op]] = &[
    primitives::OPS,
    pin::OPS,
    dukpt::OPS,
    dukpt_data::OPS,
    mac::OPS,
    emv::OPS,
    record::OPS,
    ecdsa::OPS,
    cvn::OPS,
    tlv::OPS,
    card::OPS,
    tr31::OPS,
];

/// The op named `name`, if the runner implements it.
pub fn find(name: &str) -> Option<&'static Op> {
    TABLES
        .iter()
        .flat_map(|t| t.iter())
        .find(|op| op.name == name)
}

/// Every implemented op name, for `paykernel vectors ops`.
pub fn names() -> impl Iterator<Item = &'static str> {
    TABLES.iter().flat_map(|t| t.iter()).map(|op| op.name)
}

/// Builds an output object from `(field, value)` pairs.
pub fn out<const N: usize>(fields: [(&str, Value); N]) -> Output {
    fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// Upper-case hex of `bytes`, as a JSON string.
pub fn hexv(bytes: &[u8]) -> Value {
    Value::String(hex::encode_upper(bytes))
}
