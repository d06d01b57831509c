//! DUKPT: the terminal (load, next transaction, save, restore) and the
//! host's derivation, TDES (ANSI X9.24-1:2009) and AES (ANSI X9.24-3-2017).
//!
//! A terminal lives in a caller-owned struct that holds its saved state as
//! the kernel encodes it (`TdesTerminal::to_bytes`,
//! `AesTerminal::to_bytes`): every call decodes and checks it, and writes
//! it back only when the call succeeds. The struct's size follows the
//! kernel's `STATE_LEN`.

use core::fmt;

use paykernel::dukpt::aes::{self as aes_dukpt, AesTerminal, KeyType, KeyUsage};
use paykernel::dukpt::tdes::{self as tdes_dukpt, TdesTerminal, Variant};
use paykernel::dukpt::{AesKsn, TdesKsn};
use paykernel::{AesKey, Error, TdesKey};
use zeroize::Zeroize;

use crate::buf::{input, object, object_mut, output, put, set_len};
use crate::status::{Fault, PkStatus, finish};

/// The size of a TDES DUKPT terminal's saved state (the kernel's
/// `TdesTerminal::STATE_LEN`).
pub const PK_TDES_DUKPT_STATE_LEN: usize = TdesTerminal::STATE_LEN;
/// The size of an AES DUKPT terminal's saved state, the largest for any
/// initial key length (the kernel's `AesTerminal::MAX_STATE_LEN`).
pub const PK_AES_DUKPT_STATE_LEN: usize = AesTerminal::MAX_STATE_LEN;

/// A TDES DUKPT terminal (X9.24-1:2009): caller-owned, opaque. Start it
/// with `pk_tdes_dukpt_load` or `pk_tdes_dukpt_restore`; a zeroed or erased
/// (all `FF`) struct gives `PK_ERR_NO_STATE`. It holds the future keys: keep it where the
/// firmware keeps secrets, and wipe it when done.
#[repr(C)]
pub struct PkTdesDukptTerminal {
    /// The saved state; opaque.
    pub state: [u8; PK_TDES_DUKPT_STATE_LEN],
    /// How many bytes of `state` are in use; opaque.
    pub len: usize,
}

/// An AES DUKPT terminal (X9.24-3-2017): caller-owned, opaque. Start it
/// with `pk_aes_dukpt_load` or `pk_aes_dukpt_restore`; a zeroed or erased
/// (all `FF`) struct gives `PK_ERR_NO_STATE`. It holds the intermediate derivation keys: keep
/// it where the firmware keeps secrets, and wipe it when done.
#[repr(C)]
pub struct PkAesDukptTerminal {
    /// The saved state; opaque.
    pub state: [u8; PK_AES_DUKPT_STATE_LEN],
    /// How many bytes of `state` are in use; opaque.
    pub len: usize,
}

impl fmt::Debug for PkTdesDukptTerminal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PkTdesDukptTerminal")
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for PkAesDukptTerminal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PkAesDukptTerminal").finish_non_exhaustive()
    }
}

/// A struct's state bytes: `PK_ERR_NO_STATE` for a struct that holds none
/// (`len` 0: zeroed, or a load that failed; `len` all ones: a struct in
/// erased flash, every byte `FF`), `PK_ERR_INVALID_LENGTH` for another
/// `len` past the buffer. The kernel checks the bytes themselves.
fn held(state: &[u8], len: usize) -> Result<&[u8], Fault> {
    if len == 0 || len == usize::MAX {
        return Err(Error::NoState.into());
    }
    Ok(state.get(..len).ok_or(Error::InvalidLength)?)
}

/// Stores `bytes` as a struct's state (and wipes the rest of it).
fn store(state: &mut [u8], len: &mut usize, bytes: &[u8]) -> Result<(), Fault> {
    state.zeroize();
    *len = 0;
    put(state, bytes)?;
    *len = bytes.len();
    Ok(())
}

/// TDES variant codes (X9.24-1:2009 A.4.1), in the order of
/// `Variant::ALL`.
pub type PkTdesVariant = u32;
/// The transaction key itself.
pub const PK_TDES_VARIANT_BASE: PkTdesVariant = 0;
/// PIN encryption.
pub const PK_TDES_VARIANT_PIN: PkTdesVariant = 1;
/// MAC, request or both ways.
pub const PK_TDES_VARIANT_MAC_REQUEST: PkTdesVariant = 2;
/// MAC, response.
pub const PK_TDES_VARIANT_MAC_RESPONSE: PkTdesVariant = 3;
/// Data encryption, request or both ways.
pub const PK_TDES_VARIANT_DATA_REQUEST: PkTdesVariant = 4;
/// Data encryption, response.
pub const PK_TDES_VARIANT_DATA_RESPONSE: PkTdesVariant = 5;

/// AES DUKPT working key types (X9.24-3-2017 6.2.1), in the order of
/// `KeyType::ALL`.
pub type PkAesKeyType = u32;
/// Double-length TDEA (16 bytes).
pub const PK_AES_KEY_TYPE_2TDEA: PkAesKeyType = 0;
/// Triple-length TDEA (24 bytes).
pub const PK_AES_KEY_TYPE_3TDEA: PkAesKeyType = 1;
/// AES-128.
pub const PK_AES_KEY_TYPE_AES128: PkAesKeyType = 2;
/// AES-192.
pub const PK_AES_KEY_TYPE_AES192: PkAesKeyType = 3;
/// AES-256.
pub const PK_AES_KEY_TYPE_AES256: PkAesKeyType = 4;
/// HMAC, 128 bits (MAC usages only).
pub const PK_AES_KEY_TYPE_HMAC128: PkAesKeyType = 5;
/// HMAC, 192 bits (MAC usages only).
pub const PK_AES_KEY_TYPE_HMAC192: PkAesKeyType = 6;
/// HMAC, 256 bits (MAC usages only).
pub const PK_AES_KEY_TYPE_HMAC256: PkAesKeyType = 7;

/// AES DUKPT key usages (X9.24-3-2017 6.3.2, Table 2), in the order of
/// `KeyUsage::ALL`.
pub type PkAesKeyUsage = u32;
/// Key encryption key (`0002`).
pub const PK_AES_USAGE_KEK: PkAesKeyUsage = 0;
/// PIN encryption (`1000`).
pub const PK_AES_USAGE_PIN: PkAesKeyUsage = 1;
/// MAC generation (`2000`).
pub const PK_AES_USAGE_MAC_GENERATE: PkAesKeyUsage = 2;
/// MAC verification (`2001`).
pub const PK_AES_USAGE_MAC_VERIFY: PkAesKeyUsage = 3;
/// MAC, both ways (`2002`).
pub const PK_AES_USAGE_MAC_BOTH: PkAesKeyUsage = 4;
/// Data encryption, encrypt (`3000`).
pub const PK_AES_USAGE_DATA_ENCRYPT: PkAesKeyUsage = 5;
/// Data encryption, decrypt (`3001`).
pub const PK_AES_USAGE_DATA_DECRYPT: PkAesKeyUsage = 6;
/// Data encryption, both ways (`3002`).
pub const PK_AES_USAGE_DATA_BOTH: PkAesKeyUsage = 7;

fn from_table<T: Copy>(table: &[T], code: u32) -> Result<T, Fault> {
    let i = usize::try_from(code).map_err(|_| Error::Unsupported)?;
    Ok(*table.get(i).ok_or(Error::Unsupported)?)
}

fn variant(code: PkTdesVariant) -> Result<Variant, Fault> {
    from_table(&Variant::ALL, code)
}

fn key_type(code: PkAesKeyType) -> Result<KeyType, Fault> {
    from_table(&KeyType::ALL, code)
}

fn usage(code: PkAesKeyUsage) -> Result<KeyUsage, Fault> {
    from_table(&KeyUsage::ALL, code)
}

/// Loads a TDES DUKPT terminal with its initial key (IPEK, 16 bytes) and
/// initial KSN (10 bytes, counter 0): the first `pk_tdes_dukpt_next` gives
/// counter 1. On error the terminal holds nothing (`PK_ERR_NO_STATE`).
///
/// Errors: `PK_ERR_INVALID_KEY`, `PK_ERR_INVALID_KSN`, `PK_ERR_NULL_POINTER`.
///
/// # Safety
/// `t` points to a `pk_tdes_dukpt_terminal`; each other non-null pointer
/// to the length given with it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_tdes_dukpt_load(
    t: *mut PkTdesDukptTerminal,
    ipek: *const u8,
    ipek_len: usize,
    ksn: *const u8,
    ksn_len: usize,
) -> PkStatus {
    // SAFETY: `t` is a terminal and the other pointers point to their
    // lengths (this function's contract).
    finish(unsafe { tdes_load(t, (ipek, ipek_len), (ksn, ksn_len)) })
}

/// # Safety
/// As `pk_tdes_dukpt_load`.
unsafe fn tdes_load(
    t: *mut PkTdesDukptTerminal,
    ipek: (*const u8, usize),
    ksn: (*const u8, usize),
) -> Result<(), Fault> {
    // SAFETY: the caller's contract.
    let t = unsafe { object_mut(t) }?;
    t.state.zeroize();
    t.len = 0;
    // SAFETY: the caller's contract.
    let (ipek, ksn) = unsafe { (input(ipek.0, ipek.1)?, input(ksn.0, ksn.1)?) };
    let term =
        TdesTerminal::load_initial_key(&TdesKey::from_slice(ipek)?, &TdesKsn::from_slice(ksn)?)?;
    store(&mut t.state, &mut t.len, &term.to_bytes())
}

/// The next transaction of a TDES DUKPT terminal: writes its KSN (10
/// bytes) and the transaction key of `variant` (16 bytes), then advances
/// the terminal (save it before using the key, so that a power loss cannot
/// reuse a counter). On error the terminal is unchanged.
///
/// Errors: `PK_ERR_NO_STATE`, `PK_ERR_UNSUPPORTED` (a variant, or a state
/// of another version), `PK_ERR_INVALID_LENGTH` (buffers, state),
/// `PK_ERR_BAD_MAC` and `PK_ERR_INVALID_KEY` (a corrupt state: see
/// `pk_tdes_dukpt_restore`), `PK_ERR_COUNTER_EXHAUSTED`,
/// `PK_ERR_NULL_POINTER`.
///
/// # Safety
/// `t` points to a `pk_tdes_dukpt_terminal`; `ksn` to `ksn_cap` bytes and
/// `key` to `key_cap` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_tdes_dukpt_next(
    t: *mut PkTdesDukptTerminal,
    variant: PkTdesVariant,
    ksn: *mut u8,
    ksn_cap: usize,
    key: *mut u8,
    key_cap: usize,
) -> PkStatus {
    // SAFETY: the caller's contract.
    finish(unsafe { tdes_next(t, variant, (ksn, ksn_cap), (key, key_cap)) })
}

/// # Safety
/// As `pk_tdes_dukpt_next`.
unsafe fn tdes_next(
    t: *mut PkTdesDukptTerminal,
    variant_code: PkTdesVariant,
    ksn: (*mut u8, usize),
    key: (*mut u8, usize),
) -> Result<(), Fault> {
    // SAFETY: the caller's contract.
    // Both outputs are zeroed before any check can fail.
    let (ksn_out, key_out) = unsafe { (output(ksn.0, ksn.1), output(key.0, key.1)) };
    let (ksn_out, key_out) = (ksn_out?, key_out?);
    // SAFETY: the caller's contract.
    let t = unsafe { object_mut(t) }?;
    let v = variant(variant_code)?;
    if ksn_out.len() < TdesKsn::LEN || key_out.len() < 16 {
        return Err(Error::InvalidLength.into());
    }
    let mut term = TdesTerminal::from_bytes(held(&t.state, t.len)?)?;
    let (k, tk) = term.next_transaction(v)?;
    put(ksn_out, k.as_bytes())?;
    put(key_out, tk.expose_secret())?;
    store(&mut t.state, &mut t.len, &term.to_bytes())
}

/// Copies a TDES DUKPT terminal's saved state to `out` (at least
/// `PK_TDES_DUKPT_STATE_LEN` bytes), to keep in non-volatile memory;
/// `*out_len` gets its size. The state is checked first.
///
/// Errors: `PK_ERR_NO_STATE`, `PK_ERR_UNSUPPORTED`, `PK_ERR_INVALID_LENGTH`,
/// `PK_ERR_BAD_MAC` and `PK_ERR_INVALID_KEY` (a corrupt state),
/// `PK_ERR_NULL_POINTER`.
///
/// # Safety
/// `t` points to a `pk_tdes_dukpt_terminal`, `out` to `out_cap` bytes,
/// `out_len` (may be null) to a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_tdes_dukpt_save(
    t: *const PkTdesDukptTerminal,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> PkStatus {
    // SAFETY: the caller's contract.
    finish(unsafe {
        set_len(out_len, 0);
        save(
            t,
            |t| (t.state.as_slice(), t.len),
            |s| TdesTerminal::from_bytes(s).map(drop),
            out,
            out_cap,
            out_len,
        )
    })
}

/// Restores a TDES DUKPT terminal from a saved state (`state_len` bytes, as
/// `pk_tdes_dukpt_save` wrote them). The state is checked; on error the
/// terminal is unchanged.
///
/// Errors: `PK_ERR_NO_STATE` (erased storage: all `00` or all `FF`),
/// `PK_ERR_UNSUPPORTED` (another version or kind), `PK_ERR_INVALID_LENGTH`,
/// `PK_ERR_BAD_MAC` (the check value does not match: a corrupt state),
/// `PK_ERR_INVALID_KSN`, `PK_ERR_INVALID_KEY` (a key register that should
/// be empty is not), `PK_ERR_NULL_POINTER`.
///
/// # Safety
/// `t` points to a `pk_tdes_dukpt_terminal`, `state` to `state_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_tdes_dukpt_restore(
    t: *mut PkTdesDukptTerminal,
    state: *const u8,
    state_len: usize,
) -> PkStatus {
    // SAFETY: the caller's contract.
    finish(unsafe { tdes_restore(t, state, state_len) })
}

/// # Safety
/// As `pk_tdes_dukpt_restore`.
unsafe fn tdes_restore(
    t: *mut PkTdesDukptTerminal,
    state: *const u8,
    len: usize,
) -> Result<(), Fault> {
    // SAFETY: the caller's contract.
    let (t, state) = unsafe { (object_mut(t)?, input(state, len)?) };
    let term = TdesTerminal::from_bytes(state)?;
    store(&mut t.state, &mut t.len, &term.to_bytes())
}

/// # Safety
/// `t` points to a `T` (or is null), `out` to `out_cap` bytes, `out_len`
/// to a `size_t` (or is null).
unsafe fn save<T>(
    t: *const T,
    bytes: impl Fn(&T) -> (&[u8], usize),
    check: impl Fn(&[u8]) -> Result<(), Error>,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> Result<(), Fault> {
    // SAFETY: the caller's contract.
    let (out, t) = unsafe { (output(out, out_cap)?, object(t)?) };
    let (state, len) = bytes(t);
    let state = held(state, len)?;
    check(state)?;
    put(out, state)?;
    // SAFETY: the caller's contract.
    unsafe { set_len(out_len, state.len()) };
    Ok(())
}

/// The host's TDES DUKPT: the key of `variant` for `ksn` (10 bytes),
/// straight from the BDK (16 bytes: X9.24-1's BDK is double-length), into
/// `key` (16 bytes).
///
/// Errors: `PK_ERR_INVALID_KEY` (a BDK of another length), `PK_ERR_INVALID_KSN`, `PK_ERR_UNSUPPORTED`,
/// `PK_ERR_INVALID_LENGTH`, `PK_ERR_NULL_POINTER`.
///
/// # Safety
/// Each pointer points to the length given with it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_tdes_dukpt_derive(
    bdk: *const u8,
    bdk_len: usize,
    ksn: *const u8,
    ksn_len: usize,
    variant: PkTdesVariant,
    key: *mut u8,
    key_cap: usize,
) -> PkStatus {
    // SAFETY: the caller's contract.
    finish(unsafe { tdes_derive((bdk, bdk_len), (ksn, ksn_len), variant, (key, key_cap)) })
}

/// # Safety
/// As `pk_tdes_dukpt_derive`.
unsafe fn tdes_derive(
    bdk: (*const u8, usize),
    ksn: (*const u8, usize),
    variant_code: PkTdesVariant,
    key: (*mut u8, usize),
) -> Result<(), Fault> {
    // SAFETY: the caller's contract.
    let (out, bdk, ksn) = unsafe {
        (
            output(key.0, key.1)?,
            input(bdk.0, bdk.1)?,
            input(ksn.0, ksn.1)?,
        )
    };
    let v = variant(variant_code)?;
    if out.len() < 16 {
        return Err(Error::InvalidLength.into());
    }
    let k = tdes_dukpt::derive_working_key_from_bdk(
        &TdesKey::from_slice(bdk)?,
        &TdesKsn::from_slice(ksn)?,
        v,
    )?;
    put(out, k.expose_secret())
}

/// Loads an AES DUKPT terminal with its initial key (16, 24 or 32 bytes)
/// and initial KSN (12 bytes: initial key ID and counter 0). On error the
/// terminal holds nothing (`PK_ERR_NO_STATE`).
///
/// Errors: `PK_ERR_INVALID_KEY`, `PK_ERR_INVALID_KSN`, `PK_ERR_NULL_POINTER`.
///
/// # Safety
/// `t` points to a `pk_aes_dukpt_terminal`; each other non-null pointer to
/// the length given with it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_aes_dukpt_load(
    t: *mut PkAesDukptTerminal,
    initial_key: *const u8,
    initial_key_len: usize,
    ksn: *const u8,
    ksn_len: usize,
) -> PkStatus {
    // SAFETY: the caller's contract.
    finish(unsafe { aes_load(t, (initial_key, initial_key_len), (ksn, ksn_len)) })
}

/// # Safety
/// As `pk_aes_dukpt_load`.
unsafe fn aes_load(
    t: *mut PkAesDukptTerminal,
    ik: (*const u8, usize),
    ksn: (*const u8, usize),
) -> Result<(), Fault> {
    // SAFETY: the caller's contract.
    let t = unsafe { object_mut(t) }?;
    t.state.zeroize();
    t.len = 0;
    // SAFETY: the caller's contract.
    let (ik, ksn) = unsafe { (input(ik.0, ik.1)?, input(ksn.0, ksn.1)?) };
    let term = AesTerminal::load_initial_key(&AesKey::from_slice(ik)?, &AesKsn::from_slice(ksn)?)?;
    store(&mut t.state, &mut t.len, &term.to_bytes())
}

/// The next transaction of an AES DUKPT terminal: writes its KSN (12
/// bytes) and the working key of `key_type` for `usage` (`*key_len`
/// bytes: 16 to 32; `PK_AES_DUKPT_KEY_MAX_LEN` always fits), then
/// advances the terminal. On error the terminal is unchanged.
///
/// Errors: `PK_ERR_NO_STATE`, `PK_ERR_UNSUPPORTED` (a key type stronger
/// than the initial key, an HMAC type for a non-MAC usage, an unknown code,
/// a state of another version), `PK_ERR_INVALID_LENGTH`, `PK_ERR_BAD_MAC`
/// and `PK_ERR_INVALID_KEY` (a corrupt state: see `pk_aes_dukpt_restore`),
/// `PK_ERR_COUNTER_EXHAUSTED`, `PK_ERR_NULL_POINTER`.
///
/// # Safety
/// `t` points to a `pk_aes_dukpt_terminal`; `ksn` to `ksn_cap` bytes, `key`
/// to `key_cap` bytes, `key_len` (may be null) to a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_aes_dukpt_next(
    t: *mut PkAesDukptTerminal,
    key_type: PkAesKeyType,
    usage: PkAesKeyUsage,
    ksn: *mut u8,
    ksn_cap: usize,
    key: *mut u8,
    key_cap: usize,
    key_len: *mut usize,
) -> PkStatus {
    // SAFETY: the caller's contract.
    finish(unsafe {
        aes_next(
            t,
            (key_type, usage),
            (ksn, ksn_cap),
            (key, key_cap, key_len),
        )
    })
}

/// # Safety
/// As `pk_aes_dukpt_next`.
unsafe fn aes_next(
    t: *mut PkAesDukptTerminal,
    kind: (PkAesKeyType, PkAesKeyUsage),
    ksn: (*mut u8, usize),
    key: (*mut u8, usize, *mut usize),
) -> Result<(), Fault> {
    // SAFETY: the caller's contract.
    // Both outputs are zeroed before any check can fail.
    let (ksn_out, key_out) = unsafe {
        set_len(key.2, 0);
        (output(ksn.0, ksn.1), output(key.0, key.1))
    };
    let (ksn_out, key_out) = (ksn_out?, key_out?);
    // SAFETY: the caller's contract.
    let t = unsafe { object_mut(t) }?;
    let (kt, ku) = (key_type(kind.0)?, usage(kind.1)?);
    if ksn_out.len() < AesKsn::LEN || key_out.len() < kt.key_len() {
        return Err(Error::InvalidLength.into());
    }
    let mut term = AesTerminal::from_bytes(held(&t.state, t.len)?)?;
    let (k, wk) = term.next_transaction(kt, ku)?;
    put(ksn_out, k.as_bytes())?;
    put(key_out, wk.expose_secret())?;
    store(&mut t.state, &mut t.len, &term.to_bytes())?;
    // SAFETY: the caller's contract.
    unsafe { set_len(key.2, wk.expose_secret().len()) };
    Ok(())
}

/// Copies an AES DUKPT terminal's saved state to `out` (at least
/// `PK_AES_DUKPT_STATE_LEN` bytes); `*out_len` gets its size. The state is
/// checked first.
///
/// Errors: `PK_ERR_NO_STATE`, `PK_ERR_UNSUPPORTED`, `PK_ERR_INVALID_LENGTH`,
/// `PK_ERR_BAD_MAC` and `PK_ERR_INVALID_KEY` (a corrupt state),
/// `PK_ERR_NULL_POINTER`.
///
/// # Safety
/// `t` points to a `pk_aes_dukpt_terminal`, `out` to `out_cap` bytes,
/// `out_len` (may be null) to a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_aes_dukpt_save(
    t: *const PkAesDukptTerminal,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> PkStatus {
    // SAFETY: the caller's contract.
    finish(unsafe {
        set_len(out_len, 0);
        save(
            t,
            |t| (t.state.as_slice(), t.len),
            |s| AesTerminal::from_bytes(s).map(drop),
            out,
            out_cap,
            out_len,
        )
    })
}

/// Restores an AES DUKPT terminal from a saved state (`state_len` bytes,
/// as `pk_aes_dukpt_save` wrote them). The state is checked; on error the
/// terminal is unchanged.
///
/// Errors: `PK_ERR_NO_STATE` (erased storage), `PK_ERR_UNSUPPORTED`,
/// `PK_ERR_INVALID_LENGTH`, `PK_ERR_BAD_MAC` (the check value does not
/// match: a corrupt state), `PK_ERR_INVALID_KSN`, `PK_ERR_INVALID_KEY` (a
/// key register that should be empty is not), `PK_ERR_NULL_POINTER`.
///
/// # Safety
/// `t` points to a `pk_aes_dukpt_terminal`, `state` to `state_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_aes_dukpt_restore(
    t: *mut PkAesDukptTerminal,
    state: *const u8,
    state_len: usize,
) -> PkStatus {
    // SAFETY: the caller's contract.
    finish(unsafe { aes_restore(t, state, state_len) })
}

/// # Safety
/// As `pk_aes_dukpt_restore`.
unsafe fn aes_restore(
    t: *mut PkAesDukptTerminal,
    state: *const u8,
    len: usize,
) -> Result<(), Fault> {
    // SAFETY: the caller's contract.
    let (t, state) = unsafe { (object_mut(t)?, input(state, len)?) };
    let term = AesTerminal::from_bytes(state)?;
    store(&mut t.state, &mut t.len, &term.to_bytes())
}

/// The host's AES DUKPT: the working key of `key_type` for `usage` and
/// `ksn` (12 bytes), straight from the BDK (16, 24 or 32 bytes), into `key`
/// (`*key_len` bytes).
///
/// Errors: `PK_ERR_INVALID_KEY`, `PK_ERR_INVALID_KSN`, `PK_ERR_UNSUPPORTED`,
/// `PK_ERR_INVALID_LENGTH`, `PK_ERR_NULL_POINTER`.
///
/// # Safety
/// Each pointer points to the length given with it; `key_len` (may be
/// null) to a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_aes_dukpt_derive(
    bdk: *const u8,
    bdk_len: usize,
    ksn: *const u8,
    ksn_len: usize,
    key_type: PkAesKeyType,
    usage: PkAesKeyUsage,
    key: *mut u8,
    key_cap: usize,
    key_len: *mut usize,
) -> PkStatus {
    // SAFETY: the caller's contract.
    finish(unsafe {
        aes_derive(
            (bdk, bdk_len),
            (ksn, ksn_len),
            (key_type, usage),
            (key, key_cap, key_len),
        )
    })
}

/// # Safety
/// As `pk_aes_dukpt_derive`.
unsafe fn aes_derive(
    bdk: (*const u8, usize),
    ksn: (*const u8, usize),
    kind: (PkAesKeyType, PkAesKeyUsage),
    key: (*mut u8, usize, *mut usize),
) -> Result<(), Fault> {
    // SAFETY: the caller's contract.
    let (out, bdk, ksn) = unsafe {
        set_len(key.2, 0);
        (
            output(key.0, key.1)?,
            input(bdk.0, bdk.1)?,
            input(ksn.0, ksn.1)?,
        )
    };
    let (kt, ku) = (key_type(kind.0)?, usage(kind.1)?);
    if out.len() < kt.key_len() {
        return Err(Error::InvalidLength.into());
    }
    let wk = aes_dukpt::derive_working_key_from_bdk(
        &AesKey::from_slice(bdk)?,
        &AesKsn::from_slice(ksn)?,
        kt,
        ku,
    )?;
    put(out, wk.expose_secret())?;
    // SAFETY: the caller's contract.
    unsafe { set_len(key.2, wk.expose_secret().len()) };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_kernel_order() {
        assert_eq!(variant(PK_TDES_VARIANT_PIN).unwrap(), Variant::Pin);
        assert_eq!(
            variant(PK_TDES_VARIANT_DATA_RESPONSE).unwrap(),
            Variant::DataResponse
        );
        assert_eq!(variant(6), Err(Fault::Kernel(Error::Unsupported)));
        assert_eq!(key_type(PK_AES_KEY_TYPE_AES128).unwrap(), KeyType::Aes128);
        assert_eq!(key_type(PK_AES_KEY_TYPE_HMAC256).unwrap(), KeyType::Hmac256);
        assert_eq!(key_type(8), Err(Fault::Kernel(Error::Unsupported)));
        assert_eq!(usage(PK_AES_USAGE_PIN).unwrap(), KeyUsage::PinEncryption);
        assert_eq!(usage(PK_AES_USAGE_DATA_BOTH).unwrap(), KeyUsage::DataBoth);
        assert_eq!(usage(u32::MAX), Err(Fault::Kernel(Error::Unsupported)));
    }
}
