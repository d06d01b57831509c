//! Ops on key blocks (ANSI X9.143 / TR-31): `tr31.unwrap` and `tr31.wrap`,
//! as `docs/vectors.md` ("Key blocks") defines them.
//!
//! Choices made where `docs/vectors.md` is silent:
//! - `kbpk` and `key` that are not hex are `invalid-key` (as every key
//!   parameter); `pad` that is not hex fails the case (it is data).
//! - `key_block` and `header` must be JSON strings (anything else fails the
//!   case); their text is checked by the kernel (`invalid-key-block`).
//! - `masked_key_len` is a non-negative integer; a negative one, or one
//!   shorter than the key, is `invalid-length`.
//! - `tr31.wrap`'s header must still have four digits where the length
//!   goes (whatever they say: they are filled in); anything else there is
//!   `invalid-key-block` ("a length ... that is not digits").
//! - The block is parsed before the KBPK's length is checked against its
//!   version (a case has one fault, so the order does not show).

use paykernel::Error;
use paykernel::keyblock::{Header, Kbpk, KeyBlock, MAX_BLOCK_LEN, padding_len};
use serde_json::{Map, Value};

use super::{Op, Output, hexv, out};
use crate::vectors::params::{Fail, Kind, Params};

/// The ops of this file.
pub const OPS: &[Op] = &[
    Op {
        name: "tr31.unwrap",
        params: &["kbpk", "key_block"],
        run: unwrap,
    },
    Op {
        name: "tr31.wrap",
        params: &["kbpk", "header", "key", "pad", "masked_key_len"],
        run: wrap,
    },
];

/// Text of a key block (printable ASCII) as a JSON string.
fn text(bytes: &[u8]) -> Value {
    Value::String(String::from_utf8_lossy(bytes).into_owned())
}

fn unwrap(p: &Params<'_>) -> Result<Output, Fail> {
    let kbpk = p.key("kbpk")?;
    let text_in = p.str("key_block")?;
    let block = KeyBlock::parse(text_in.as_bytes())?;
    let header = block.header();
    let kbpk = Kbpk::from_slice(&kbpk, header.version())?;
    // Wiped by `Unwrapped` when it is dropped.
    let mut work = vec![0u8; block.key_data_len()];
    let key = kbpk.unwrap(&block, &mut work)?;
    let mut blocks = Map::new();
    for b in header.optional_blocks() {
        if b.id().as_str() != "PB" {
            blocks.insert(
                b.id().as_str().to_owned(),
                Value::String(b.data().to_owned()),
            );
        }
    }
    let [u0, u1] = header.key_usage().code();
    let [v0, v1] = header.key_version().chars();
    Ok(out([
        ("key", hexv(key.expose_secret())),
        ("version_id", text(&[header.version().id()])),
        ("key_usage", text(&[u0, u1])),
        ("algorithm", text(&[header.algorithm().code()])),
        ("mode_of_use", text(&[header.mode_of_use().code()])),
        ("version_num", text(&[v0, v1])),
        ("exportability", text(&[header.exportability().code()])),
        ("blocks", Value::Object(blocks)),
    ]))
}

fn wrap(p: &Params<'_>) -> Result<Output, Fail> {
    let kbpk = p.key("kbpk")?;
    let header_text = p.str("header")?;
    let header = Header::parse(header_text.as_bytes())?;
    let key = p.key("key")?;
    let pad = p.hex("pad", Kind::Plain)?;
    if let Some(masked) = p.opt_int("masked_key_len")? {
        let masked = usize::try_from(masked).map_err(|_| Fail::Kernel(Error::InvalidLength))?;
        if padding_len(header.version(), key.len(), masked)? != pad.len() {
            return Err(Fail::Kernel(Error::InvalidLength));
        }
    }
    let kbpk = Kbpk::from_slice(&kbpk, header.version())?;
    let mut buf = vec![0u8; MAX_BLOCK_LEN];
    let block = kbpk.wrap(header_text.as_bytes(), &key, &pad, &mut buf)?;
    Ok(out([("key_block", text(block))]))
}
