//! Ops on the primitives: `tdes.*`, `aes.*`, `kcv`, `kdf.kbkdf_cmac`
//! (`cmac` and `cmac.verify` are in `mac.rs`).

use paykernel::kdf::{self, CounterLocation, CounterWidth};
use paykernel::{AesCipher, AesKey, Error, KcvMethod, TdesCipher, TdesKey};

use super::{Op, Output, hexv, out};
use crate::vectors::params::{Fail, Kind, Params};

/// The ops of this file.
pub const OPS: &[Op] = &[
    Op {
        name: "tdes.encrypt",
        params: &["key", "block"],
        run: tdes_encrypt,
    },
    Op {
        name: "tdes.decrypt",
        params: &["key", "block"],
        run: tdes_decrypt,
    },
    Op {
        name: "aes.encrypt",
        params: &["key", "block"],
        run: aes_encrypt,
    },
    Op {
        name: "aes.decrypt",
        params: &["key", "block"],
        run: aes_decrypt,
    },
    Op {
        name: "kcv",
        params: &["alg", "key", "method", "len"],
        run: kcv,
    },
    Op {
        name: "kdf.kbkdf_cmac",
        params: &[
            "key",
            "fixed_input",
            "counter_bits",
            "counter_location",
            "len",
        ],
        run: kbkdf_cmac,
    },
];

/// A block of exactly `N` bytes; another size is `invalid-length`.
fn block<const N: usize>(p: &Params<'_>) -> Result<[u8; N], Fail> {
    let b = p.hex("block", Kind::Refuse(Error::InvalidLength))?;
    b.try_into().map_err(|_| Fail::Kernel(Error::InvalidLength))
}

fn tdes(p: &Params<'_>, encrypt: bool) -> Result<Output, Fail> {
    let key = TdesKey::from_slice(&p.key("key")?)?;
    let mut b = block::<8>(p)?;
    let c = TdesCipher::new(&key);
    if encrypt {
        c.encrypt_block(&mut b);
    } else {
        c.decrypt_block(&mut b);
    }
    Ok(out([("block", hexv(&b))]))
}

fn tdes_encrypt(p: &Params<'_>) -> Result<Output, Fail> {
    tdes(p, true)
}

fn tdes_decrypt(p: &Params<'_>) -> Result<Output, Fail> {
    tdes(p, false)
}

fn aes(p: &Params<'_>, encrypt: bool) -> Result<Output, Fail> {
    let key = AesKey::from_slice(&p.key("key")?)?;
    let mut b = block::<16>(p)?;
    let c = AesCipher::new(&key);
    if encrypt {
        c.encrypt_block(&mut b);
    } else {
        c.decrypt_block(&mut b);
    }
    Ok(out([("block", hexv(&b))]))
}

fn aes_encrypt(p: &Params<'_>) -> Result<Output, Fail> {
    aes(p, true)
}

fn aes_decrypt(p: &Params<'_>) -> Result<Output, Fail> {
    aes(p, false)
}

#[derive(Clone, Copy)]
enum Alg {
    Tdes,
    Aes,
}

const ALGS: &[(&str, Alg)] = &[("tdes", Alg::Tdes), ("aes", Alg::Aes)];

fn kcv(p: &Params<'_>) -> Result<Output, Fail> {
    let alg = p.choice("alg", ALGS)?;
    let method = p.choice(
        "method",
        &[
            ("encrypt-zeros", KcvMethod::EncryptZeros),
            ("cmac-zeros", KcvMethod::CmacZeros),
        ],
    )?;
    let key = p.key("key")?;
    let len = p.usize("len")?;
    let kcv = match alg {
        Alg::Tdes => TdesKey::from_slice(&key)?.kcv(method, len)?,
        Alg::Aes => AesKey::from_slice(&key)?.kcv(method, len)?,
    };
    Ok(out([("kcv", hexv(kcv.as_bytes()))]))
}

/// The most KBKDF output the runner computes for one case.
const RUNNER_MAX_OKM: usize = 1 << 20;

fn kbkdf_cmac(p: &Params<'_>) -> Result<Output, Fail> {
    let key = AesKey::from_slice(&p.key("key")?)?;
    let fixed = p.bytes("fixed_input")?;
    let bits = p.u64("counter_bits")?;
    let width = u32::try_from(bits)
        .map_err(|_| Error::Unsupported)
        .and_then(CounterWidth::from_bits)?;
    let location = p.choice(
        "counter_location",
        &[
            ("before", CounterLocation::Before),
            ("after", CounterLocation::After),
        ],
    )?;
    let len = p.usize("len")?;
    // The runner computes at most 1 MiB of output. Beyond that an 8- or
    // 16-bit counter cannot number the blocks (the kernel's refusal); a
    // wider one could, and the case is beyond what the runner does.
    if len > RUNNER_MAX_OKM {
        return Err(match width {
            CounterWidth::Bits8 | CounterWidth::Bits16 => Fail::Kernel(Error::InvalidLength),
            CounterWidth::Bits24 | CounterWidth::Bits32 => Fail::Param(format!(
                "len {len} is beyond the runner's limit of {RUNNER_MAX_OKM} bytes"
            )),
        });
    }
    let mut okm = vec![0u8; len];
    kdf::kbkdf_cmac(&key, &fixed, width, location, &mut okm)?;
    Ok(out([("key", hexv(&okm))]))
}
