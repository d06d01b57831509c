//! ECDSA P-256 with SHA-256: deterministic signing (RFC 6979) and
//! verification.

use paykernel::Error;
use paykernel::sign::{PublicKey, SIGNATURE_LEN, SigningKey, UNCOMPRESSED_LEN};

use crate::buf::{input, output, put, set_len};
use crate::status::{PkStatus, finish};

/// Signs `msg` (hashed with SHA-256) with the private key (a 32-byte
/// big-endian scalar in `1..n`): r || s (`PK_ECDSA_SIGNATURE_LEN` bytes)
/// into `sig`, deterministic (RFC 6979): no random source is needed.
///
/// Errors: `PK_ERR_INVALID_KEY`, `PK_ERR_INVALID_LENGTH` (`sig_cap`),
/// `PK_ERR_NULL_POINTER`.
///
/// # Safety
/// Each non-null pointer points to the length given with it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_ecdsa_sign(
    private_key: *const u8,
    private_key_len: usize,
    msg: *const u8,
    msg_len: usize,
    sig: *mut u8,
    sig_cap: usize,
) -> PkStatus {
    finish((|| {
        // SAFETY: each pointer points to the length given with it (this
        // function's contract).
        let (out, key, msg) = unsafe {
            (
                output(sig, sig_cap)?,
                input(private_key, private_key_len)?,
                input(msg, msg_len)?,
            )
        };
        if out.len() < SIGNATURE_LEN {
            return Err(Error::InvalidLength.into());
        }
        let k = SigningKey::from_slice(key)?;
        put(out, k.sign(msg).as_bytes())
    })())
}

/// Verifies an ECDSA P-256 / SHA-256 signature r || s
/// (`PK_ECDSA_SIGNATURE_LEN` bytes) of `msg` under a SEC1 public key
/// (33 bytes compressed or 65 uncompressed): `PK_OK` if it verifies,
/// `PK_ERR_INVALID_SIGNATURE` if it does not (or is malformed).
///
/// Errors: `PK_ERR_INVALID_SIGNATURE`, `PK_ERR_INVALID_PUBLIC_KEY`,
/// `PK_ERR_NULL_POINTER`.
///
/// # Safety
/// Each non-null pointer points to the length given with it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_ecdsa_verify(
    public_key: *const u8,
    public_key_len: usize,
    msg: *const u8,
    msg_len: usize,
    sig: *const u8,
    sig_len: usize,
) -> PkStatus {
    finish((|| {
        // SAFETY: each pointer points to the length given with it (this
        // function's contract).
        let (key, msg, sig) = unsafe {
            (
                input(public_key, public_key_len)?,
                input(msg, msg_len)?,
                input(sig, sig_len)?,
            )
        };
        let pk = PublicKey::from_sec1(key)?;
        if pk.verify(msg, sig) {
            Ok(())
        } else {
            Err(Error::InvalidSignature.into())
        }
    })())
}

/// The public key of a private key, uncompressed SEC1
/// (`PK_ECDSA_PUBLIC_KEY_LEN` bytes into `out`; `*out_len` may be null).
///
/// Errors: `PK_ERR_INVALID_KEY`, `PK_ERR_INVALID_LENGTH`,
/// `PK_ERR_NULL_POINTER`.
///
/// # Safety
/// Each non-null pointer points to the length given with it (`out_len` to
/// a `size_t`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_ecdsa_public_key(
    private_key: *const u8,
    private_key_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> PkStatus {
    finish((|| {
        // SAFETY: each pointer points to the length given with it (this
        // function's contract).
        let (buf, key) = unsafe {
            set_len(out_len, 0);
            (output(out, out_cap)?, input(private_key, private_key_len)?)
        };
        if buf.len() < UNCOMPRESSED_LEN {
            return Err(Error::InvalidLength.into());
        }
        let pk = SigningKey::from_slice(key)?.public_key();
        put(buf, &pk.to_uncompressed())?;
        // SAFETY: `out_len` is null or a `size_t` (this function's
        // contract).
        unsafe { set_len(out_len, UNCOMPRESSED_LEN) };
        Ok(())
    })())
}
