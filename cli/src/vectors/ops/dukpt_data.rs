//! Ops on DUKPT keys in use and CBC: `cbc.encrypt`, `cbc.decrypt`,
//! `dukpt.tdes.encrypt_data`, `dukpt.tdes.decrypt_data`, `dukpt.tdes.mac`,
//! `dukpt.aes.encrypt_data`, `dukpt.aes.decrypt_data`, `dukpt.aes.mac`
//! (`docs/vectors.md`, "DUKPT keys in use").
//!
//! Decisions where `docs/vectors.md` is silent:
//! - `cipher` other than `tdes` or `aes`: `unsupported`.
//! - The DUKPT ops take exactly one of `bdk` and `ipek` / `initial_key`:
//!   both, or neither, is a malformed case, as in the key ops.
//! - A `direction`, `key_type` or `usage` that is not one of the names is a
//!   malformed case. A usage of another job (`pin` for data, `data-both`
//!   for a MAC) is `unsupported`, like a key type that cannot do the job.
//! - `data` that is not hex is a malformed case; `data` of a length the op
//!   does not take (empty included) is `invalid-length`. An `iv` that is
//!   not hex is malformed; one of another size is `invalid-length`.
//! - `len` that is not an integer in range (negative ones included) is
//!   `invalid-length`.

use paykernel::dukpt::aes::{KeyType, KeyUsage};
use paykernel::dukpt::txn::aes::{self as aes_txn, Transaction as AesTransaction};
use paykernel::dukpt::txn::tdes::{self as tdes_txn, Transaction as TdesTransaction};
use paykernel::dukpt::txn::{Direction, MIN_MAC_LEN};
use paykernel::dukpt::{AesKsn, TdesKsn};
use paykernel::mode::cbc::{self, AesIv, Iv, TdesIv};
use paykernel::{AesCipher, AesKey, Error, TdesCipher, TdesKey};

use super::{Op, Output, hexv, out};
use crate::vectors::params::{Fail, Kind, Params};

/// The ops of this file.
pub const OPS: &[Op] = &[
    Op {
        name: "cbc.encrypt",
        params: &["cipher", "key", "iv", "data"],
        run: cbc_encrypt,
    },
    Op {
        name: "cbc.decrypt",
        params: &["cipher", "key", "iv", "data"],
        run: cbc_decrypt,
    },
    Op {
        name: "dukpt.tdes.encrypt_data",
        params: &["bdk", "ipek", "ksn", "direction", "data", "iv"],
        run: tdes_encrypt_data,
    },
    Op {
        name: "dukpt.tdes.decrypt_data",
        params: &["bdk", "ipek", "ksn", "direction", "data", "iv"],
        run: tdes_decrypt_data,
    },
    Op {
        name: "dukpt.tdes.mac",
        params: &["bdk", "ipek", "ksn", "direction", "data", "len"],
        run: tdes_mac,
    },
    Op {
        name: "dukpt.aes.encrypt_data",
        params: &[
            "bdk",
            "initial_key",
            "ksn",
            "key_type",
            "usage",
            "data",
            "iv",
        ],
        run: aes_encrypt_data,
    },
    Op {
        name: "dukpt.aes.decrypt_data",
        params: &[
            "bdk",
            "initial_key",
            "ksn",
            "key_type",
            "usage",
            "data",
            "iv",
        ],
        run: aes_decrypt_data,
    },
    Op {
        name: "dukpt.aes.mac",
        params: &[
            "bdk",
            "initial_key",
            "ksn",
            "key_type",
            "usage",
            "data",
            "len",
        ],
        run: aes_mac,
    },
];

#[derive(Clone, Copy)]
enum CipherName {
    Tdes,
    Aes,
}

fn iv(p: &Params<'_>) -> Result<Option<Vec<u8>>, Fail> {
    p.opt_hex("iv", Kind::Plain)
}

fn cbc_run(p: &Params<'_>, encrypt: bool) -> Result<Output, Fail> {
    let cipher = p.choice_as(
        "cipher",
        &[("tdes", CipherName::Tdes), ("aes", CipherName::Aes)],
        Kind::Refuse(Error::Unsupported),
    )?;
    let key = p.key("key")?;
    let iv = iv(p)?;
    let mut data = p.bytes("data")?;
    match cipher {
        CipherName::Tdes => {
            let c = TdesCipher::new(&TdesKey::from_slice(&key)?);
            let iv = iv.map_or(Ok(TdesIv::ZERO), |v| TdesIv::from_slice(&v))?;
            if encrypt {
                cbc::tdes_encrypt(&c, &iv, &mut data)?;
            } else {
                cbc::tdes_decrypt(&c, &iv, &mut data)?;
            }
        }
        CipherName::Aes => {
            let c = AesCipher::new(&AesKey::from_slice(&key)?);
            let iv = iv.map_or(Ok(AesIv::ZERO), |v| AesIv::from_slice(&v))?;
            if encrypt {
                cbc::aes_encrypt(&c, &iv, &mut data)?;
            } else {
                cbc::aes_decrypt(&c, &iv, &mut data)?;
            }
        }
    }
    Ok(out([("data", hexv(&data))]))
}

fn cbc_encrypt(p: &Params<'_>) -> Result<Output, Fail> {
    cbc_run(p, true)
}

fn cbc_decrypt(p: &Params<'_>) -> Result<Output, Fail> {
    cbc_run(p, false)
}

/// Which of the two exclusive key parameters the case gives: `true` for
/// `bdk`.
fn from_bdk(p: &Params<'_>, derived: &str) -> Result<bool, Fail> {
    match (p.has("bdk"), p.has(derived)) {
        (true, false) => Ok(true),
        (false, true) => Ok(false),
        (true, true) => Err(Fail::Param(format!(
            "give one of 'bdk' and '{derived}', not both"
        ))),
        (false, false) => Err(Fail::Param(format!(
            "missing parameter: one of 'bdk' and '{derived}'"
        ))),
    }
}

fn direction(p: &Params<'_>) -> Result<Direction, Fail> {
    p.choice(
        "direction",
        &[
            ("request", Direction::Request),
            ("response", Direction::Response),
        ],
    )
}

/// `len` in `min..=max`, default `default`; anything else `invalid-length`.
fn mac_len(p: &Params<'_>, max: usize, default: usize) -> Result<usize, Fail> {
    match p.opt_int("len")? {
        None => Ok(default),
        Some(n) => usize::try_from(n)
            .ok()
            .filter(|n| (MIN_MAC_LEN..=max).contains(n))
            .ok_or(Fail::Kernel(Error::InvalidLength)),
    }
}

fn tdes_transaction(p: &Params<'_>) -> Result<TdesTransaction, Fail> {
    let bdk = from_bdk(p, "ipek")?;
    let key = TdesKey::from_slice(&p.key(if bdk { "bdk" } else { "ipek" })?)?;
    let ksn = TdesKsn::from_slice(&p.hex("ksn", Kind::Refuse(Error::InvalidKsn))?)?;
    Ok(if bdk {
        TdesTransaction::from_bdk(&key, &ksn)?
    } else {
        TdesTransaction::from_ipek(&key, &ksn)?
    })
}

fn tdes_data(p: &Params<'_>, encrypt: bool) -> Result<Output, Fail> {
    let dir = direction(p)?;
    let mut data = p.bytes("data")?;
    let iv = iv(p)?
        .map_or(Ok(TdesIv::ZERO), |v| TdesIv::from_slice(&v))
        .map_err(Fail::Kernel)?;
    let t = tdes_transaction(p)?;
    if encrypt {
        t.encrypt_data(dir, &iv, &mut data)?;
    } else {
        t.decrypt_data(dir, &iv, &mut data)?;
    }
    Ok(out([("data", hexv(&data))]))
}

fn tdes_encrypt_data(p: &Params<'_>) -> Result<Output, Fail> {
    tdes_data(p, true)
}

fn tdes_decrypt_data(p: &Params<'_>) -> Result<Output, Fail> {
    tdes_data(p, false)
}

fn tdes_mac(p: &Params<'_>) -> Result<Output, Fail> {
    let dir = direction(p)?;
    let data = p.bytes("data")?;
    let len = mac_len(p, tdes_txn::MAC_LEN, MIN_MAC_LEN)?;
    let t = tdes_transaction(p)?;
    let mac = t.mac(dir, &data, len)?;
    Ok(out([("mac", hexv(mac.as_bytes()))]))
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

fn aes_transaction(p: &Params<'_>) -> Result<AesTransaction, Fail> {
    let bdk = from_bdk(p, "initial_key")?;
    let key = AesKey::from_slice(&p.key(if bdk { "bdk" } else { "initial_key" })?)?;
    let ksn = AesKsn::from_slice(&p.hex("ksn", Kind::Refuse(Error::InvalidKsn))?)?;
    Ok(if bdk {
        AesTransaction::from_bdk(&key, &ksn)?
    } else {
        AesTransaction::from_initial_key(&key, &ksn)?
    })
}

fn aes_data(p: &Params<'_>, encrypt: bool) -> Result<Output, Fail> {
    let kt = key_type(p)?;
    let u = usage(p)?;
    let mut data = p.bytes("data")?;
    let iv = match iv(p)? {
        None => None,
        Some(v) => Some(Iv::from_slice(&v)?),
    };
    let t = aes_transaction(p)?;
    if encrypt {
        t.encrypt_data(kt, u, iv.as_ref(), &mut data)?;
    } else {
        t.decrypt_data(kt, u, iv.as_ref(), &mut data)?;
    }
    Ok(out([("data", hexv(&data))]))
}

fn aes_encrypt_data(p: &Params<'_>) -> Result<Output, Fail> {
    aes_data(p, true)
}

fn aes_decrypt_data(p: &Params<'_>) -> Result<Output, Fail> {
    aes_data(p, false)
}

fn aes_mac(p: &Params<'_>) -> Result<Output, Fail> {
    let kt = key_type(p)?;
    let u = usage(p)?;
    let data = p.bytes("data")?;
    let t = aes_transaction(p)?;
    let full = aes_txn::full_mac_len(kt)?;
    let len = mac_len(p, full, full)?;
    let mac = t.mac(kt, u, &data, len)?;
    Ok(out([("mac", hexv(mac.as_bytes()))]))
}
