//! Ops on MACs: `mac.iso9797` (ISO/IEC 9797-1 algorithms 1 and 3), `cmac`
//! and `cmac.verify` (NIST SP 800-38B).
//!
//! Choices made where `docs/vectors.md` is silent:
//! - `alg` other than 1 or 3, or a `cipher` other than `des`, `tdes`,
//!   `aes`: `unsupported`.
//! - Algorithm 1: `des` takes an 8-byte key, `tdes` 8, 16 or 24 bytes
//!   (8 is single DES, as for every TDES key), `aes` 16, 24 or 32.
//! - Algorithm 3 takes K || K', two keys of the named cipher: `des` 16
//!   bytes (the retail MAC); `tdes` 16, 32 or 48 (16 is again the retail
//!   MAC); `aes` 32, 48 or 64. Any other length: `invalid-key`.
//! - `padding` other than 1, 2, 3 (or not an integer): `invalid-padding`.
//! - `len` defaults to the block size; an integer outside 1..=block
//!   (negative ones included) is `invalid-length` for the MAC ops. For
//!   `cmac.verify` a `len` under 4 is `invalid-length`, as `docs/vectors.md`
//!   says (a tag of 1 to 3 bytes is guessed too easily); one above the
//!   block size is simply not valid.

use paykernel::mac::{AesCmac, BlockCipher, Iso9797Algorithm, Iso9797Mac, Padding, TdesCmac};
use paykernel::{AesKey, Error, TdesKey};
use serde_json::Value;

use super::{Op, Output, hexv, out};
use crate::vectors::params::{Fail, Kind, Params, hex_value, uint_value};

/// The ops of this file.
pub const OPS: &[Op] = &[
    Op {
        name: "mac.iso9797",
        params: &["alg", "cipher", "key", "data", "padding", "len"],
        run: iso9797,
    },
    Op {
        name: "cmac",
        params: &["cipher", "key", "msg", "len"],
        run: cmac,
    },
    Op {
        name: "cmac.verify",
        params: &["cipher", "key", "msg", "mac", "len"],
        run: cmac_verify,
    },
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cipher {
    Des,
    Tdes,
    Aes,
}

/// `cipher`: a known name, `unsupported` for another.
fn cipher(p: &Params<'_>, allowed: &[(&str, Cipher)]) -> Result<Cipher, Fail> {
    p.choice_as("cipher", allowed, Kind::Refuse(Error::Unsupported))
}

/// `len`: the MAC length, default `block`; `invalid-length` outside
/// `1..=block`.
pub(super) fn mac_len(p: &Params<'_>, block: usize) -> Result<usize, Fail> {
    match p.opt_int("len")? {
        None => Ok(block),
        Some(n) => usize::try_from(n)
            .ok()
            .filter(|n| (1..=block).contains(n))
            .ok_or(Fail::Kernel(Error::InvalidLength)),
    }
}

/// `padding`: 1, 2 or 3; anything else is `invalid-padding`.
fn padding(p: &Params<'_>) -> Result<Padding, Fail> {
    let n = uint_value(p.get("padding")?).ok_or(Fail::Kernel(Error::InvalidPadding))?;
    Ok(Padding::from_number(n)?)
}

fn iso9797(p: &Params<'_>) -> Result<Output, Fail> {
    let alg = uint_value(p.get("alg")?)
        .ok_or_else(|| Fail::Param("parameter 'alg' must be 1 or 3".to_owned()))?;
    let alg = Iso9797Algorithm::from_number(alg)?;
    let cipher = match cipher(
        p,
        &[
            ("des", Cipher::Des),
            ("tdes", Cipher::Tdes),
            ("aes", Cipher::Aes),
        ],
    )? {
        Cipher::Des => BlockCipher::Des,
        Cipher::Tdes => BlockCipher::Tdes,
        Cipher::Aes => BlockCipher::Aes,
    };
    let m = Iso9797Mac::new(alg, cipher, &p.key("key")?)?;
    let data = p.bytes("data")?;
    let padding = padding(p)?;
    let len = mac_len(p, m.block_size())?;
    let tag = m.mac(&data, padding, len)?;
    Ok(out([("mac", hexv(tag.as_bytes()))]))
}

const CMAC_CIPHERS: &[(&str, Cipher)] = &[("aes", Cipher::Aes), ("tdes", Cipher::Tdes)];

fn cmac(p: &Params<'_>) -> Result<Output, Fail> {
    let c = cipher(p, CMAC_CIPHERS)?;
    let key = p.key("key")?;
    let msg = p.bytes("msg")?;
    let tag = match c {
        Cipher::Aes => {
            let m = AesCmac::new(&AesKey::from_slice(&key)?);
            m.mac(&msg, mac_len(p, 16)?)?
        }
        Cipher::Tdes | Cipher::Des => {
            let m = TdesCmac::new(&TdesKey::from_slice(&key)?);
            m.mac(&msg, mac_len(p, 8)?)?
        }
    };
    Ok(out([("mac", hexv(tag.as_bytes()))]))
}

/// The shortest tag `cmac.verify` checks (`docs/vectors.md`): a shorter `len`
/// is `invalid-length`.
const MIN_VERIFY_LEN: i128 = 4;

fn cmac_verify(p: &Params<'_>) -> Result<Output, Fail> {
    let c = cipher(p, CMAC_CIPHERS)?;
    let key = p.key("key")?;
    let msg = p.bytes("msg")?;
    let block = match c {
        Cipher::Aes => 16,
        Cipher::Tdes | Cipher::Des => 8,
    };
    // The key is checked first: a bad key is the one error a verify op
    // gives. After that, a malformed candidate MAC or a length outside the
    // block is simply not valid.
    enum Verifier {
        Aes(Box<AesCmac>),
        Tdes(Box<TdesCmac>),
    }
    let v = match c {
        Cipher::Aes => Verifier::Aes(Box::new(AesCmac::new(&AesKey::from_slice(&key)?))),
        Cipher::Tdes | Cipher::Des => {
            Verifier::Tdes(Box::new(TdesCmac::new(&TdesKey::from_slice(&key)?)))
        }
    };
    let len = match p.opt_int("len")? {
        None => Some(block),
        Some(n) if n < MIN_VERIFY_LEN => return Err(Fail::Kernel(Error::InvalidLength)),
        Some(n) => usize::try_from(n).ok(),
    };
    let mac = hex_value("mac", p.get("mac")?, Kind::Plain).ok();
    let valid = match (len, mac) {
        // A `len` past the block (the kernel refuses it) is not valid.
        (Some(len), Some(mac)) => match &v {
            Verifier::Aes(m) => m.verify(&msg, &mac, len),
            Verifier::Tdes(m) => m.verify(&msg, &mac, len),
        }
        .is_ok_and(bool::from),
        _ => false,
    };
    Ok(out([("valid", Value::Bool(valid))]))
}
