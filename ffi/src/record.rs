//! Stored-value balance records (SVR1, `docs/svr1.md`): verify, debit, credit
//! and seal under the card key derived from the issuer key.

use paykernel::Error;
use paykernel::record::{Amount, Fields, IssuerKey, RECORD_LEN};

use crate::PK_TERMINAL_ID_LEN;
use crate::buf::{input, object, output, put};
use crate::status::{Fault, PkStatus, finish};

/// The fields of an SVR1 record (`docs/svr1.md`), as plain data: what
/// `pk_record_verify` reports after the tag checked out, or what
/// `pk_record_seal` is asked to seal.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PkRecordFields {
    /// The card, as a 64-bit number.
    pub card_id: u64,
    /// ISO 4217 numeric currency code, 1 to 999.
    pub currency: u16,
    /// Minor-unit exponent, 0 to 4.
    pub exponent: u8,
    /// Bit 0: blocked; other bits 0.
    pub flags: u8,
    /// Balance in minor units; at most `limit`.
    pub balance: u64,
    /// The most the card may hold, in minor units.
    pub limit: u64,
    /// Number of updates since issuance.
    pub counter: u32,
    /// The signed amount of the update that made the record (negative: a
    /// debit), 0 at issuance.
    pub amount: i64,
    /// The terminal that wrote the record: printable ASCII, space padded.
    pub terminal_id: [u8; PK_TERMINAL_ID_LEN],
    /// Unix seconds.
    pub timestamp: u64,
    /// The first 8 bytes of the previous record's tag; zero at issuance.
    pub prev_tag: [u8; 8],
}

impl From<&Fields> for PkRecordFields {
    fn from(f: &Fields) -> Self {
        PkRecordFields {
            card_id: f.card_id,
            currency: f.currency,
            exponent: f.exponent,
            flags: f.flags,
            balance: f.balance,
            limit: f.limit,
            counter: f.counter,
            amount: f.amount,
            terminal_id: f.terminal_id,
            timestamp: f.timestamp,
            prev_tag: f.prev_tag,
        }
    }
}

impl From<&PkRecordFields> for Fields {
    fn from(f: &PkRecordFields) -> Self {
        Fields {
            card_id: f.card_id,
            currency: f.currency,
            exponent: f.exponent,
            flags: f.flags,
            balance: f.balance,
            limit: f.limit,
            counter: f.counter,
            amount: f.amount,
            terminal_id: f.terminal_id,
            timestamp: f.timestamp,
            prev_tag: f.prev_tag,
        }
    }
}

/// Verifies a record (`PK_RECORD_LEN` bytes) under the card key that the
/// issuer key (16 or 32 bytes) gives for the record's card: its layout,
/// every field rule, and its tag in constant time. On success `*fields`
/// (may be null) gets the record's fields.
///
/// Errors: `PK_ERR_INVALID_RECORD` (size, layout, a field rule),
/// `PK_ERR_BAD_MAC` (the tag), `PK_ERR_INVALID_KEY`, `PK_ERR_NULL_POINTER`.
///
/// # Safety
/// Each non-null pointer points to the length given with it (`fields` to a
/// `pk_record_fields`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_record_verify(
    issuer_key: *const u8,
    issuer_key_len: usize,
    record: *const u8,
    record_len: usize,
    fields: *mut PkRecordFields,
) -> PkStatus {
    finish((|| {
        // SAFETY: `fields` is null or a `pk_record_fields` (this
        // function's contract).
        let fields = unsafe { fields.as_mut() };
        let mut none = PkRecordFields::default();
        let fields = fields.unwrap_or(&mut none);
        *fields = PkRecordFields::default();
        // SAFETY: each pointer points to the length given with it (this
        // function's contract).
        let (key, rec) = unsafe {
            (
                input(issuer_key, issuer_key_len)?,
                input(record, record_len)?,
            )
        };
        let card = IssuerKey::from_slice(key)?.card_key_for(rec)?;
        let v = card.verify(rec)?;
        *fields = v.fields().into();
        Ok(())
    })())
}

/// Which way an update goes.
#[derive(Clone, Copy)]
enum Update {
    Debit,
    Credit,
}

/// # Safety
/// As `pk_record_debit`.
unsafe fn update(
    way: Update,
    key: (*const u8, usize),
    record: (*const u8, usize),
    amount: u64,
    terminal_id: (*const u8, usize),
    timestamp: u64,
    out: (*mut u8, usize),
) -> Result<(), Fault> {
    // SAFETY: each pointer points to the length given with it (the
    // caller's contract).
    let (out, key, rec, tid) = unsafe {
        (
            output(out.0, out.1)?,
            input(key.0, key.1)?,
            input(record.0, record.1)?,
            input(terminal_id.0, terminal_id.1)?,
        )
    };
    if out.len() < RECORD_LEN {
        return Err(Error::InvalidLength.into());
    }
    let tid: &[u8; PK_TERMINAL_ID_LEN] = tid.try_into().map_err(|_| Error::InvalidRecord)?;
    let card = IssuerKey::from_slice(key)?.card_key_for(rec)?;
    let v = card.verify(rec)?;
    let amount = Amount::new(amount)?;
    let next = match way {
        Update::Debit => v.debit(amount, tid, timestamp)?,
        Update::Credit => v.credit(amount, tid, timestamp)?,
    };
    put(out, next.as_bytes())
}

/// Debits `amount` (1 to `INT64_MAX` minor units) from a record: verifies
/// it as `pk_record_verify` does, then writes its successor (counter + 1,
/// chained to its tag, sealed) to `out` (`PK_RECORD_LEN` bytes).
/// `terminal_id` is `PK_TERMINAL_ID_LEN` printable ASCII bytes.
///
/// Errors: as `pk_record_verify`, and `PK_ERR_INVALID_AMOUNT`,
/// `PK_ERR_CARD_BLOCKED`, `PK_ERR_INSUFFICIENT_FUNDS`,
/// `PK_ERR_COUNTER_EXHAUSTED`, `PK_ERR_INVALID_RECORD` (terminal ID),
/// `PK_ERR_INVALID_LENGTH` (`out_cap`).
///
/// # Safety
/// Each non-null pointer points to the length given with it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_record_debit(
    issuer_key: *const u8,
    issuer_key_len: usize,
    record: *const u8,
    record_len: usize,
    amount: u64,
    terminal_id: *const u8,
    terminal_id_len: usize,
    timestamp: u64,
    out: *mut u8,
    out_cap: usize,
) -> PkStatus {
    // SAFETY: the arguments under this function's contract.
    finish(unsafe {
        update(
            Update::Debit,
            (issuer_key, issuer_key_len),
            (record, record_len),
            amount,
            (terminal_id, terminal_id_len),
            timestamp,
            (out, out_cap),
        )
    })
}

/// Credits `amount` to a record (a top-up): as `pk_record_debit`, with
/// `PK_ERR_LIMIT_EXCEEDED` where the new balance would pass the limit.
///
/// # Safety
/// Each non-null pointer points to the length given with it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_record_credit(
    issuer_key: *const u8,
    issuer_key_len: usize,
    record: *const u8,
    record_len: usize,
    amount: u64,
    terminal_id: *const u8,
    terminal_id_len: usize,
    timestamp: u64,
    out: *mut u8,
    out_cap: usize,
) -> PkStatus {
    // SAFETY: the arguments under this function's contract.
    finish(unsafe {
        update(
            Update::Credit,
            (issuer_key, issuer_key_len),
            (record, record_len),
            amount,
            (terminal_id, terminal_id_len),
            timestamp,
            (out, out_cap),
        )
    })
}

/// Seals `fields` into a record (`PK_RECORD_LEN` bytes into `out`) under
/// the card key the issuer key gives for `fields->card_id`: issuance, or a
/// host's rewrite. Every field rule is checked first.
///
/// Errors: `PK_ERR_INVALID_RECORD` (a field rule), `PK_ERR_INVALID_KEY`,
/// `PK_ERR_INVALID_LENGTH` (`out_cap`), `PK_ERR_NULL_POINTER`.
///
/// # Safety
/// Each non-null pointer points to the length given with it (`fields` to a
/// `pk_record_fields`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pk_record_seal(
    issuer_key: *const u8,
    issuer_key_len: usize,
    fields: *const PkRecordFields,
    out: *mut u8,
    out_cap: usize,
) -> PkStatus {
    finish((|| {
        // SAFETY: each pointer points to the length given with it (this
        // function's contract); `fields` is a `pk_record_fields`.
        let (out, key, fields) = unsafe {
            (
                output(out, out_cap)?,
                input(issuer_key, issuer_key_len)?,
                object(fields)?,
            )
        };
        if out.len() < RECORD_LEN {
            return Err(Error::InvalidLength.into());
        }
        let fields = Fields::from(fields);
        let card = IssuerKey::from_slice(key)?.card_key(fields.card_id);
        let sealed = card.seal(&fields)?;
        put(out, sealed.as_bytes())
    })())
}
