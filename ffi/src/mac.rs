//! MACs: CMAC (NIST SP 800-38B) with AES or TDES, and ISO/IEC 9797-1
//! algorithms 1 and 3 (the ANSI X9.19 retail MAC), generated and verified
//! in constant time.

use paykernel::mac::{AesCmac, BlockCipher, Iso9797Algorithm, Iso9797Mac, Padding, Tag, TdesCmac};
use paykernel::{AesKey, Error, TdesKey};
use subtle::Choice;

use crate::buf::{input, output, put};
use crate::status::{Fault, PkStatus, finish};
use crate::{PK_CIPHER_AES, PK_CIPHER_DES, PK_CIPHER_TDES, PkCipher};

/// The CMAC tag of `msg` under `cipher` (`PK_CIPHER_AES`: 16-, 24- or
/// 32-byte key; `PK_CIPHER_TDES`: 8-, 16- or 24-byte key), truncated.
fn cmac(cipher: PkCipher, key: &[u8], msg: &[u8], len: usize) -> Result<Tag, Fault> {
    match cipher {
        PK_CIPHER_AES => Ok(AesCmac::new(&AesKey::from_slice(key)?).mac(msg, len)?),
        PK_CIPHER_TDES => Ok(TdesCmac::new(&TdesKey::from_slice(key)?).mac(msg, len)?),
        _ => Err(Error::Unsupported.into()),
    }
}

/// Whether `tag` is the CMAC of `msg` (the kernel refuses a tag length
/// outside 4 to the block as `InvalidLength`).
fn cmac_check(cipher: PkCipher, key: &[u8], msg: &[u8], tag: &[u8]) -> Result<Choice, Fault> {
    match cipher {
        PK_CIPHER_AES => Ok(AesCmac::new(&AesKey::from_slice(key)?).verify(msg, tag, tag.len())?),
        PK_CIPHER_TDES => {
            Ok(TdesCmac::new(&TdesKey::from_slice(key)?).verify(msg, tag, tag.len())?)
        }
        _ => Err(Error::Unsupported.into()),
    }
}

/// The CMAC of `msg` under `key`, its leftmost `mac_len` bytes into `mac`
/// (`1..=16` for AES, `1..=8` for TDES).
///
/// Errors: `PK_ERR_UNSUPPORTED` (cipher), `PK_ERR_INVALID_KEY`,
/// `PK_ERR_INVALID_LENGTH` (`mac_len`), `PK_ERR_NULL_POINTER`.
///
/// # Safety
/// Each non-null pointer points to the length given with it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_cmac_generate(
    cipher: PkCipher,
    key: *const u8,
    key_len: usize,
    msg: *const u8,
    msg_len: usize,
    mac: *mut u8,
    mac_len: usize,
) -> PkStatus {
    finish((|| {
        // SAFETY: each pointer points to the length given with it (this
        // function's contract).
        let (out, key, msg) = unsafe {
            (
                output(mac, mac_len)?,
                input(key, key_len)?,
                input(msg, msg_len)?,
            )
        };
        put(out, cmac(cipher, key, msg, mac_len)?.as_bytes())
    })())
}

/// Checks a CMAC (`mac_len` bytes, a truncation as in `pk_cmac_generate`)
/// in constant time: `PK_OK` if it matches, `PK_ERR_BAD_MAC` if not.
///
/// Errors: `PK_ERR_BAD_MAC`, `PK_ERR_UNSUPPORTED`, `PK_ERR_INVALID_KEY`,
/// `PK_ERR_INVALID_LENGTH` (`mac_len` under 4, too short to check, or past
/// the block), `PK_ERR_NULL_POINTER`.
///
/// # Safety
/// Each non-null pointer points to the length given with it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_cmac_verify(
    cipher: PkCipher,
    key: *const u8,
    key_len: usize,
    msg: *const u8,
    msg_len: usize,
    mac: *const u8,
    mac_len: usize,
) -> PkStatus {
    finish((|| {
        // SAFETY: each pointer points to the length given with it (this
        // function's contract).
        let (key, msg, tag) = unsafe {
            (
                input(key, key_len)?,
                input(msg, msg_len)?,
                input(mac, mac_len)?,
            )
        };
        verdict(cmac_check(cipher, key, msg, tag)?)
    })())
}

/// A verifier's answer as a status (the kernel checked the length first,
/// public): the verdict becomes `PK_OK` or `PK_ERR_BAD_MAC`, the caller's
/// answer.
fn verdict(ok: Choice) -> Result<(), Fault> {
    if bool::from(ok) {
        Ok(())
    } else {
        Err(Error::BadMac.into())
    }
}

fn iso9797(algorithm: u32, cipher: PkCipher, key: &[u8]) -> Result<Iso9797Mac, Fault> {
    let alg = Iso9797Algorithm::from_number(u64::from(algorithm))?;
    let cipher = match cipher {
        PK_CIPHER_DES => BlockCipher::Des,
        PK_CIPHER_TDES => BlockCipher::Tdes,
        PK_CIPHER_AES => BlockCipher::Aes,
        _ => return Err(Error::Unsupported.into()),
    };
    Ok(Iso9797Mac::new(alg, cipher, key)?)
}

/// An ISO/IEC 9797-1 MAC: `algorithm` 1 (CBC-MAC) or 3 (with DES: the
/// retail MAC), `padding` method 1, 2 or 3, `cipher` DES, TDES or AES.
/// Keys: algorithm 1 takes one key of the cipher; algorithm 3 takes K || K'
/// (DES: 16 bytes, the retail MAC). The leftmost `mac_len` bytes (1 to the
/// block size) go to `mac`.
///
/// Errors: `PK_ERR_UNSUPPORTED` (algorithm, cipher), `PK_ERR_INVALID_PADDING`,
/// `PK_ERR_INVALID_KEY`, `PK_ERR_INVALID_LENGTH`, `PK_ERR_NULL_POINTER`.
///
/// # Safety
/// Each non-null pointer points to the length given with it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_iso9797_generate(
    algorithm: u32,
    cipher: PkCipher,
    padding: u32,
    key: *const u8,
    key_len: usize,
    msg: *const u8,
    msg_len: usize,
    mac: *mut u8,
    mac_len: usize,
) -> PkStatus {
    finish((|| {
        // SAFETY: each pointer points to the length given with it (this
        // function's contract).
        let (out, key, msg) = unsafe {
            (
                output(mac, mac_len)?,
                input(key, key_len)?,
                input(msg, msg_len)?,
            )
        };
        let m = iso9797(algorithm, cipher, key)?;
        let tag = m.mac(msg, Padding::from_number(u64::from(padding))?, mac_len)?;
        put(out, tag.as_bytes())
    })())
}

/// Checks an ISO/IEC 9797-1 MAC in constant time (parameters as in
/// `pk_iso9797_generate`): `PK_OK` if it matches, `PK_ERR_BAD_MAC` if not.
///
/// Errors: `PK_ERR_BAD_MAC`, `PK_ERR_INVALID_LENGTH` also for a `mac_len`
/// under 4 (too short to check), and as `pk_iso9797_generate`.
///
/// # Safety
/// Each non-null pointer points to the length given with it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_iso9797_verify(
    algorithm: u32,
    cipher: PkCipher,
    padding: u32,
    key: *const u8,
    key_len: usize,
    msg: *const u8,
    msg_len: usize,
    mac: *const u8,
    mac_len: usize,
) -> PkStatus {
    finish((|| {
        // SAFETY: each pointer points to the length given with it (this
        // function's contract).
        let (key, msg, tag) = unsafe {
            (
                input(key, key_len)?,
                input(msg, msg_len)?,
                input(mac, mac_len)?,
            )
        };
        let m = iso9797(algorithm, cipher, key)?;
        let padding = Padding::from_number(u64::from(padding))?;
        // Padding that cannot encode the data is an error, not a
        // mismatch: ask the generator (public: lengths only).
        padding.padded_len(msg.len(), m.block_size())?;
        verdict(m.verify(msg, padding, tag, mac_len)?)
    })())
}
