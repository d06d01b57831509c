//! Ops on EMV: `emv.icc_mk`, `emv.session_key`, `emv.ac`, `emv.arpc`.
//!
//! Choices made where `docs/vectors.md` is silent:
//! - Every key (`imk`, `mk`, `sk`) is a 16-byte TDES key; another length is
//!   `invalid-key`.
//! - `psn` may be absent (it is then `00`); a PAN or PSN that is not a
//!   string of the right digits is `invalid-pan`.
//! - A `method`, `option` or ARPC method the kernel does not have:
//!   `unsupported`.
//! - Fixed-size inputs of the wrong size (`r` 8 bytes, `atc` 2, `iv` 16,
//!   `arqc` 8, `arc` 2, `csu` 4, `prop` at most 8): `invalid-length`; hex
//!   that does not parse fails the case.
//! - `atc` is 2 bytes of hex, or a JSON integer 0 to 65535.
//! - `common` takes `r`; without `r` but with `atc` it uses R = ATC || 00
//!   00 00 00 00 00 (Book 2's R for application cryptograms).
//! - `emv2000-tree` defaults to Book 2's recommendation: `height` 8,
//!   `branch_factor` 4, `iv` all zero. A tree with fewer than 2^16 leaves,
//!   a height above 64 or a branch factor below 2: `unsupported`.
//! - Parameters that do not apply to the chosen method are ignored.
//! - `emv.ac` `padding` 1 or 2 (anything else `invalid-padding`); `len` 1
//!   to 8, default 8 (else `invalid-length`).

use paykernel::emv::{self, AcPadding, AcSessionKey, Emv2000Tree, MasterKeyOption, Psn};
use paykernel::{Error, Pan, TdesKey};
use serde_json::Value;

use super::mac::mac_len;
use super::{Op, Output, hexv, out};
use crate::vectors::params::{Fail, Kind, Params, uint_value};

/// The ops of this file.
pub const OPS: &[Op] = &[
    Op {
        name: "emv.icc_mk",
        params: &["option", "imk", "pan", "psn"],
        run: icc_mk,
    },
    Op {
        name: "emv.session_key",
        params: &["method", "mk", "r", "atc", "height", "branch_factor", "iv"],
        run: session_key,
    },
    Op {
        name: "emv.ac",
        params: &["sk", "data", "padding", "len"],
        run: ac,
    },
    Op {
        name: "emv.arpc",
        params: &["method", "sk", "arqc", "arc", "csu", "prop"],
        run: arpc,
    },
];

/// A string or number parameter matched against `choices`; another value
/// is `unsupported`.
fn pick<T: Copy>(p: &Params<'_>, name: &str, choices: &[(&str, T)]) -> Result<T, Fail> {
    p.choice_as(name, choices, Kind::Refuse(Error::Unsupported))
}

/// Exactly `N` bytes of hex; another size is `invalid-length`.
fn fixed<const N: usize>(p: &Params<'_>, name: &str) -> Result<[u8; N], Fail> {
    p.bytes(name)?
        .try_into()
        .map_err(|_| Fail::Kernel(Error::InvalidLength))
}

/// A 16-byte EMV key.
fn key16(p: &Params<'_>, name: &str) -> Result<TdesKey, Fail> {
    let k = TdesKey::from_slice(&p.key(name)?)?;
    if k.expose_secret().len() == 16 {
        Ok(k)
    } else {
        Err(Fail::Kernel(Error::InvalidKey))
    }
}

fn icc_mk(p: &Params<'_>) -> Result<Output, Fail> {
    let option = pick(
        p,
        "option",
        &[("A", MasterKeyOption::A), ("B", MasterKeyOption::B)],
    )?;
    let imk = key16(p, "imk")?;
    let pan: Pan = p.str_as("pan", Kind::Refuse(Error::InvalidPan))?.parse()?;
    let psn = match p.opt("psn") {
        None => Psn::ABSENT,
        Some(_) => p.str_as("psn", Kind::Refuse(Error::InvalidPan))?.parse()?,
    };
    let mk = emv::derive_icc_master_key(&imk, &pan, psn, option)?;
    Ok(out([("mk", hexv(mk.expose_secret()))]))
}

/// `atc`: 2 bytes of hex or an integer up to 65535.
fn atc(p: &Params<'_>) -> Result<u16, Fail> {
    match p.get("atc")? {
        Value::Number(_) => {
            let n = uint_value(p.get("atc")?)
                .ok_or_else(|| Fail::Param("parameter 'atc' must be 0 to 65535".to_owned()))?;
            u16::try_from(n).map_err(|_| Fail::Kernel(Error::InvalidLength))
        }
        _ => Ok(u16::from_be_bytes(fixed::<2>(p, "atc")?)),
    }
}

#[derive(Clone, Copy)]
enum SkMethod {
    Common,
    VisaSm,
    Tree,
}

/// A tree parameter: a non-negative integer that fits `u32`; a larger one
/// is a tree the kernel does not support.
fn tree_param(p: &Params<'_>, name: &str, default: u32) -> Result<u32, Fail> {
    match p.opt_int(name)? {
        None => Ok(default),
        Some(n) if n < 0 => Err(Fail::Kernel(Error::Unsupported)),
        Some(n) => u32::try_from(n).map_err(|_| Fail::Kernel(Error::Unsupported)),
    }
}

fn session_key(p: &Params<'_>) -> Result<Output, Fail> {
    let method = pick(
        p,
        "method",
        &[
            ("common", SkMethod::Common),
            ("visa-sm", SkMethod::VisaSm),
            ("emv2000-tree", SkMethod::Tree),
        ],
    )?;
    let mk = key16(p, "mk")?;
    let sk = match method {
        SkMethod::Common => {
            let r = if p.has("r") || !p.has("atc") {
                fixed::<8>(p, "r")?
            } else {
                let [a, b] = atc(p)?.to_be_bytes();
                [a, b, 0, 0, 0, 0, 0, 0]
            };
            emv::common_session_key(&mk, &r)?
        }
        SkMethod::VisaSm => emv::visa_sm_session_key(&mk, atc(p)?)?,
        SkMethod::Tree => {
            let atc = atc(p)?;
            let height = tree_param(p, "height", 8)?;
            let branch = tree_param(p, "branch_factor", 4)?;
            let iv = if p.has("iv") {
                fixed::<16>(p, "iv")?
            } else {
                [0u8; 16]
            };
            let tree = Emv2000Tree::new(height, branch, &iv)?;
            emv::emv2000_tree_session_key(&mk, atc, &tree)?
        }
    };
    Ok(out([("sk", hexv(sk.expose_secret()))]))
}

/// `padding` of a cryptogram: 1 or 2, anything else `invalid-padding`.
fn ac_padding(p: &Params<'_>) -> Result<AcPadding, Fail> {
    let n = uint_value(p.get("padding")?).ok_or(Fail::Kernel(Error::InvalidPadding))?;
    Ok(AcPadding::from_number(n)?)
}

fn ac(p: &Params<'_>) -> Result<Output, Fail> {
    let sk = AcSessionKey::new(&key16(p, "sk")?)?;
    let data = p.bytes("data")?;
    let padding = ac_padding(p)?;
    let len = mac_len(p, 8)?;
    let ac = sk.generate_ac(&data, padding, len)?;
    Ok(out([("ac", hexv(ac.as_bytes()))]))
}

fn arpc(p: &Params<'_>) -> Result<Output, Fail> {
    let method = pick(p, "method", &[("1", 1u8), ("2", 2u8)])?;
    let sk = AcSessionKey::new(&key16(p, "sk")?)?;
    let arqc = fixed::<8>(p, "arqc")?;
    let arpc = if method == 1 {
        sk.arpc_method1(&arqc, &fixed::<2>(p, "arc")?).to_vec()
    } else {
        let csu = fixed::<4>(p, "csu")?;
        let prop = match p.opt("prop") {
            None => Vec::new(),
            Some(_) => p.bytes("prop")?,
        };
        sk.arpc_method2(&arqc, &csu, &prop)?.to_vec()
    };
    Ok(out([("arpc", hexv(&arpc))]))
}
