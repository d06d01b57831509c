//! ISO 9564-1 PIN blocks: encipher, decipher, translate.

use core::ffi::c_void;

use paykernel::pin::{Fill, Format, Pin, PinBlockCipher, PinTranslator};
use paykernel::{Error, Pan};

use crate::PK_PIN_MAX_DIGITS;
use crate::buf::{input, output, put, set_len};
use crate::rng::{CallbackRng, PkRngFn};
use crate::status::{Fault, PkStatus, finish};

fn format(n: u32) -> Result<Format, Fault> {
    Ok(Format::from_number(u64::from(n))?)
}

/// A PAN from ASCII digits; none when `digits` is empty.
fn pan(digits: &[u8]) -> Result<Option<Pan>, Fault> {
    if digits.is_empty() {
        Ok(None)
    } else {
        Ok(Some(Pan::from_digits(digits)?))
    }
}

/// Enciphers a PIN into an ISO 9564-1 PIN block, drawing the format's
/// random fill from `rng`.
///
/// - `format`: 0 to 4; formats 0 to 3 take a TDES key (8, 16 or 24
///   bytes), format 4 an AES key (16, 24 or 32 bytes).
/// - `pin`: 4 to 12 ASCII digits.
/// - `pan`: ASCII digits (12 to 19); formats 0, 3 and 4 need it, the
///   others ignore it (`pan_len` 0: none).
/// - `block`: at least the format's block size (8 bytes, 16 for format 4;
///   `PK_PIN_BLOCK_MAX_LEN` always fits); `*block_len` gets the size.
///
/// Errors: `PK_ERR_INVALID_KEY`, `PK_ERR_INVALID_PIN`, `PK_ERR_INVALID_PAN`,
/// `PK_ERR_UNSUPPORTED` (format), `PK_ERR_INVALID_LENGTH` (`block_cap`),
/// `PK_ERR_RNG_FAILURE`, `PK_ERR_NULL_POINTER`.
///
/// # Safety
/// Each non-null pointer points to the length given with it (`block_len`
/// to a `size_t`); `rng` follows `pk_rng_fn`'s contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_pin_encipher(
    format: u32,
    key: *const u8,
    key_len: usize,
    pin: *const u8,
    pin_len: usize,
    pan: *const u8,
    pan_len: usize,
    rng: PkRngFn,
    rng_ctx: *mut c_void,
    block: *mut u8,
    block_cap: usize,
    block_len: *mut usize,
) -> PkStatus {
    // SAFETY: the pointers and lengths are this function's arguments, under
    // its contract.
    finish(unsafe {
        encipher(
            format,
            (key, key_len),
            (pin, pin_len),
            (pan, pan_len),
            Source::Rng(rng, rng_ctx),
            (block, block_cap, block_len),
        )
    })
}

/// As `pk_pin_encipher`, with the fill given instead of drawn: `fill` is
/// hex digits (ASCII), as many as the format takes (format 0: none; 1 and
/// 3: 14 minus the PIN's length; 2: none; 4: 16; a random fill is
/// `pk_pin_encipher`'s). For known answers and format 1 with a
/// transaction-unique fill.
///
/// Errors: as `pk_pin_encipher`, and `PK_ERR_INVALID_PIN_BLOCK` for a fill
/// that does not suit the format.
///
/// # Safety
/// As `pk_pin_encipher`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_pin_encipher_with_fill(
    format: u32,
    key: *const u8,
    key_len: usize,
    pin: *const u8,
    pin_len: usize,
    pan: *const u8,
    pan_len: usize,
    fill: *const u8,
    fill_len: usize,
    block: *mut u8,
    block_cap: usize,
    block_len: *mut usize,
) -> PkStatus {
    // SAFETY: the pointers and lengths are this function's arguments, under
    // its contract.
    finish(unsafe {
        encipher(
            format,
            (key, key_len),
            (pin, pin_len),
            (pan, pan_len),
            Source::Fill(fill, fill_len),
            (block, block_cap, block_len),
        )
    })
}

/// Where the random part of a block comes from.
enum Source {
    Rng(PkRngFn, *mut c_void),
    Fill(*const u8, usize),
}

/// # Safety
/// As `pk_pin_encipher`.
unsafe fn encipher(
    format_n: u32,
    key: (*const u8, usize),
    pin: (*const u8, usize),
    pan_digits: (*const u8, usize),
    source: Source,
    out: (*mut u8, usize, *mut usize),
) -> Result<(), Fault> {
    // SAFETY: each pointer points to the length given with it (the
    // caller's contract).
    let (out_buf, key, pin, pan_digits) = unsafe {
        set_len(out.2, 0);
        (
            output(out.0, out.1)?,
            input(key.0, key.1)?,
            input(pin.0, pin.1)?,
            input(pan_digits.0, pan_digits.1)?,
        )
    };
    let format = format(format_n)?;
    if out_buf.len() < format.block_len() {
        return Err(Error::InvalidLength.into());
    }
    let cipher = PinBlockCipher::new(format, key)?;
    let pin = Pin::from_digits(pin)?;
    let pan = pan(pan_digits)?;
    let block = match source {
        Source::Rng(f, ctx) => {
            let mut rng = CallbackRng::new(f, ctx)?;
            let block = cipher.encipher(&pin, pan.as_ref(), &mut rng)?;
            rng.finish()?;
            block
        }
        Source::Fill(fill, fill_len) => {
            // SAFETY: `fill` points to `fill_len` bytes (the caller's
            // contract).
            let fill = unsafe { input(fill, fill_len) }?;
            cipher.encipher_with_fill(&pin, pan.as_ref(), &Fill::from_hex(fill)?)?
        }
    };
    put(out_buf, block.as_bytes())?;
    // SAFETY: `out.2` is null or a writable `size_t` (the caller's
    // contract).
    unsafe { set_len(out.2, block.as_bytes().len()) };
    Ok(())
}

/// Deciphers an ISO 9564-1 PIN block and checks every rule of its format;
/// writes the PIN's ASCII digits to `pin` (at least
/// `PK_PIN_MAX_DIGITS` bytes) and their number to `*pin_len`.
///
/// Errors: `PK_ERR_INVALID_PIN_BLOCK` (wrong size, or a rule broken: a
/// wrong key or PAN usually gives this), `PK_ERR_INVALID_KEY`,
/// `PK_ERR_INVALID_PAN`, `PK_ERR_UNSUPPORTED`, `PK_ERR_INVALID_LENGTH`
/// (`pin_cap`), `PK_ERR_NULL_POINTER` (`pin_len` is required).
///
/// # Safety
/// Each non-null pointer points to the length given with it (`pin_len` to
/// a `size_t`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_pin_decipher(
    format: u32,
    key: *const u8,
    key_len: usize,
    block: *const u8,
    block_len: usize,
    pan: *const u8,
    pan_len: usize,
    pin: *mut u8,
    pin_cap: usize,
    pin_len: *mut usize,
) -> PkStatus {
    // SAFETY: the pointers and lengths are this function's arguments, under
    // its contract.
    finish(unsafe {
        decipher(
            format,
            (key, key_len),
            (block, block_len),
            (pan, pan_len),
            (pin, pin_cap, pin_len),
        )
    })
}

/// # Safety
/// As `pk_pin_decipher`.
unsafe fn decipher(
    format_n: u32,
    key: (*const u8, usize),
    block: (*const u8, usize),
    pan_digits: (*const u8, usize),
    out: (*mut u8, usize, *mut usize),
) -> Result<(), Fault> {
    // SAFETY: `out.0` points to `out.1` bytes (the caller's contract):
    // zeroed before any check can fail.
    let pin_out = unsafe { output(out.0, out.1) };
    if out.2.is_null() {
        return Err(Fault::Null);
    }
    let pin_out = pin_out?;
    // SAFETY: each pointer points to the length given with it (the
    // caller's contract); `out.2` is a `size_t`, checked non-null above.
    let (key, block, pan_digits) = unsafe {
        set_len(out.2, 0);
        (
            input(key.0, key.1)?,
            input(block.0, block.1)?,
            input(pan_digits.0, pan_digits.1)?,
        )
    };
    if pin_out.len() < PK_PIN_MAX_DIGITS {
        return Err(Error::InvalidLength.into());
    }
    let cipher = PinBlockCipher::new(format(format_n)?, key)?;
    let pan = pan(pan_digits)?;
    let pin = cipher.decipher(block, pan.as_ref())?;
    let digits = pin.expose_secret();
    put(pin_out, digits)?;
    // SAFETY: `out.2` is a non-null `size_t` (checked above).
    unsafe { set_len(out.2, digits.len()) };
    Ok(())
}

/// Translates a PIN block from one key and format to another (a switch's
/// hop) without the PIN leaving the kernel's wiped buffers; the outgoing
/// format's random fill comes from `rng`. Keys and formats as in
/// `pk_pin_encipher`; `pan` is needed when either format uses it.
///
/// Errors: as `pk_pin_decipher` for the incoming block, as
/// `pk_pin_encipher` for the outgoing one.
///
/// # Safety
/// As `pk_pin_encipher`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_pin_translate(
    from_format: u32,
    from_key: *const u8,
    from_key_len: usize,
    to_format: u32,
    to_key: *const u8,
    to_key_len: usize,
    block: *const u8,
    block_len: usize,
    pan: *const u8,
    pan_len: usize,
    rng: PkRngFn,
    rng_ctx: *mut c_void,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> PkStatus {
    // SAFETY: the pointers and lengths are this function's arguments, under
    // its contract.
    finish(unsafe {
        translate(
            (from_format, from_key, from_key_len),
            (to_format, to_key, to_key_len),
            (block, block_len),
            (pan, pan_len),
            (rng, rng_ctx),
            (out, out_cap, out_len),
        )
    })
}

/// # Safety
/// As `pk_pin_translate`.
unsafe fn translate(
    from: (u32, *const u8, usize),
    to: (u32, *const u8, usize),
    block: (*const u8, usize),
    pan_digits: (*const u8, usize),
    rng: (PkRngFn, *mut c_void),
    out: (*mut u8, usize, *mut usize),
) -> Result<(), Fault> {
    // SAFETY: each pointer points to the length given with it (the
    // caller's contract).
    let (out_buf, from_key, to_key, block, pan_digits) = unsafe {
        set_len(out.2, 0);
        (
            output(out.0, out.1)?,
            input(from.1, from.2)?,
            input(to.1, to.2)?,
            input(block.0, block.1)?,
            input(pan_digits.0, pan_digits.1)?,
        )
    };
    let to_format = format(to.0)?;
    if out_buf.len() < to_format.block_len() {
        return Err(Error::InvalidLength.into());
    }
    let t = PinTranslator::new(
        PinBlockCipher::new(format(from.0)?, from_key)?,
        PinBlockCipher::new(to_format, to_key)?,
    );
    let pan = pan(pan_digits)?;
    let mut rng = CallbackRng::new(rng.0, rng.1)?;
    let translated = t.translate(block, pan.as_ref(), &mut rng)?;
    rng.finish()?;
    put(out_buf, translated.as_bytes())?;
    // SAFETY: `out.2` is null or a writable `size_t` (the caller's
    // contract).
    unsafe { set_len(out.2, translated.as_bytes().len()) };
    Ok(())
}
