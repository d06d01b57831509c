//! Status codes: one per [`Error`] kind, and the boundary's own.

use core::ffi::c_char;

use paykernel::Error;

/// What a call answers: `PK_OK`, a negative `PK_ERR_*` code naming one
/// kernel error kind, or `PK_ERR_NULL_POINTER`.
pub type PkStatus = i32;

/// Success (for a verification: the MAC or signature matches).
pub const PK_OK: PkStatus = 0;
/// `invalid-key`: a key of the wrong length or parity, or not for this use.
pub const PK_ERR_INVALID_KEY: PkStatus = -1;
/// `invalid-pin`: a PIN that is not 4 to 12 decimal digits.
pub const PK_ERR_INVALID_PIN: PkStatus = -2;
/// `invalid-pan`: a PAN that is not 12 to 19 decimal digits, or missing
/// where the PIN block format needs one.
pub const PK_ERR_INVALID_PAN: PkStatus = -3;
/// `invalid-pin-block`: a PIN block of the wrong size or breaking a rule
/// of its format.
pub const PK_ERR_INVALID_PIN_BLOCK: PkStatus = -4;
/// `invalid-ksn`: a key serial number of the wrong length or shape.
pub const PK_ERR_INVALID_KSN: PkStatus = -5;
/// `counter-exhausted`: a DUKPT or record counter at its end.
pub const PK_ERR_COUNTER_EXHAUSTED: PkStatus = -6;
/// `invalid-length`: a buffer or length that the operation does not take
/// (too short an output buffer, a MAC length out of range, a saved state
/// of the wrong size).
pub const PK_ERR_INVALID_LENGTH: PkStatus = -7;
/// `invalid-padding`: a padding method that is unknown or cannot encode
/// the data.
pub const PK_ERR_INVALID_PADDING: PkStatus = -8;
/// `invalid-record`: a malformed stored-value record.
pub const PK_ERR_INVALID_RECORD: PkStatus = -9;
/// `bad-mac`: a MAC or record tag that does not match.
pub const PK_ERR_BAD_MAC: PkStatus = -10;
/// `card-blocked`: the stored-value card is blocked.
pub const PK_ERR_CARD_BLOCKED: PkStatus = -11;
/// `insufficient-funds`: the balance does not cover the debit.
pub const PK_ERR_INSUFFICIENT_FUNDS: PkStatus = -12;
/// `limit-exceeded`: the credit would pass the card's limit.
pub const PK_ERR_LIMIT_EXCEEDED: PkStatus = -13;
/// `invalid-amount`: an amount outside `1..=INT64_MAX`.
pub const PK_ERR_INVALID_AMOUNT: PkStatus = -14;
/// `invalid-signature`: a malformed signature, or (from `pk_ecdsa_verify`)
/// one that does not verify.
pub const PK_ERR_INVALID_SIGNATURE: PkStatus = -15;
/// `invalid-public-key`: a malformed public key or a point not on the
/// curve.
pub const PK_ERR_INVALID_PUBLIC_KEY: PkStatus = -16;
/// `unsupported`: a combination of inputs the kernel does not support (an
/// unknown format, cipher, variant, key type or usage; a saved state of
/// another version).
pub const PK_ERR_UNSUPPORTED: PkStatus = -17;
/// `invalid-key-block`: a malformed TR-31 / X9.143 key block.
pub const PK_ERR_INVALID_KEY_BLOCK: PkStatus = -18;
/// `invalid-tlv`: malformed BER-TLV, or a required data object missing.
pub const PK_ERR_INVALID_TLV: PkStatus = -19;
/// `invalid-digits`: a digit string of the wrong length or not decimal.
pub const PK_ERR_INVALID_DIGITS: PkStatus = -20;
/// `invalid-decimalization-table`: not 16 decimal digits covering 0-9.
pub const PK_ERR_INVALID_DECIMALIZATION_TABLE: PkStatus = -21;
/// `rng-failure`: the caller's random source (`pk_rng_fn`) failed.
pub const PK_ERR_RNG_FAILURE: PkStatus = -22;
/// `no-state`: a DUKPT terminal struct or saved state that is erased (all
/// `00` or all `FF`), or a struct whose load failed.
pub const PK_ERR_NO_STATE: PkStatus = -23;
/// A required pointer was null (an input with a non-zero length, an
/// output, a terminal, a callback). Not a kernel error: the boundary's own.
pub const PK_ERR_NULL_POINTER: PkStatus = -100;

/// The code of each kernel error, in the order of [`Error::ALL`].
const CODES: [(Error, PkStatus); 23] = [
    (Error::InvalidKey, PK_ERR_INVALID_KEY),
    (Error::InvalidPin, PK_ERR_INVALID_PIN),
    (Error::InvalidPan, PK_ERR_INVALID_PAN),
    (Error::InvalidPinBlock, PK_ERR_INVALID_PIN_BLOCK),
    (Error::InvalidKsn, PK_ERR_INVALID_KSN),
    (Error::CounterExhausted, PK_ERR_COUNTER_EXHAUSTED),
    (Error::InvalidLength, PK_ERR_INVALID_LENGTH),
    (Error::InvalidPadding, PK_ERR_INVALID_PADDING),
    (Error::InvalidRecord, PK_ERR_INVALID_RECORD),
    (Error::BadMac, PK_ERR_BAD_MAC),
    (Error::CardBlocked, PK_ERR_CARD_BLOCKED),
    (Error::InsufficientFunds, PK_ERR_INSUFFICIENT_FUNDS),
    (Error::LimitExceeded, PK_ERR_LIMIT_EXCEEDED),
    (Error::InvalidAmount, PK_ERR_INVALID_AMOUNT),
    (Error::InvalidSignature, PK_ERR_INVALID_SIGNATURE),
    (Error::InvalidPublicKey, PK_ERR_INVALID_PUBLIC_KEY),
    (Error::Unsupported, PK_ERR_UNSUPPORTED),
    (Error::InvalidKeyBlock, PK_ERR_INVALID_KEY_BLOCK),
    (Error::InvalidTlv, PK_ERR_INVALID_TLV),
    (Error::InvalidDigits, PK_ERR_INVALID_DIGITS),
    (
        Error::InvalidDecimalizationTable,
        PK_ERR_INVALID_DECIMALIZATION_TABLE,
    ),
    (Error::RngFailure, PK_ERR_RNG_FAILURE),
    (Error::NoState, PK_ERR_NO_STATE),
];

/// Why a call failed: a kernel error, or a null pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fault {
    Kernel(Error),
    Null,
}

impl From<Error> for Fault {
    fn from(e: Error) -> Self {
        Fault::Kernel(e)
    }
}

/// The code of a kernel error (exhaustive: a new kind does not compile
/// until it has a code).
#[must_use]
pub fn status_of(e: Error) -> PkStatus {
    match e {
        Error::InvalidKey => PK_ERR_INVALID_KEY,
        Error::InvalidPin => PK_ERR_INVALID_PIN,
        Error::InvalidPan => PK_ERR_INVALID_PAN,
        Error::InvalidPinBlock => PK_ERR_INVALID_PIN_BLOCK,
        Error::InvalidKsn => PK_ERR_INVALID_KSN,
        Error::CounterExhausted => PK_ERR_COUNTER_EXHAUSTED,
        Error::InvalidLength => PK_ERR_INVALID_LENGTH,
        Error::InvalidPadding => PK_ERR_INVALID_PADDING,
        Error::InvalidRecord => PK_ERR_INVALID_RECORD,
        Error::BadMac => PK_ERR_BAD_MAC,
        Error::CardBlocked => PK_ERR_CARD_BLOCKED,
        Error::InsufficientFunds => PK_ERR_INSUFFICIENT_FUNDS,
        Error::LimitExceeded => PK_ERR_LIMIT_EXCEEDED,
        Error::InvalidAmount => PK_ERR_INVALID_AMOUNT,
        Error::InvalidSignature => PK_ERR_INVALID_SIGNATURE,
        Error::InvalidPublicKey => PK_ERR_INVALID_PUBLIC_KEY,
        Error::Unsupported => PK_ERR_UNSUPPORTED,
        Error::InvalidKeyBlock => PK_ERR_INVALID_KEY_BLOCK,
        Error::InvalidTlv => PK_ERR_INVALID_TLV,
        Error::InvalidDigits => PK_ERR_INVALID_DIGITS,
        Error::InvalidDecimalizationTable => PK_ERR_INVALID_DECIMALIZATION_TABLE,
        Error::RngFailure => PK_ERR_RNG_FAILURE,
        Error::NoState => PK_ERR_NO_STATE,
    }
}

/// The kernel error of a code, if it names one (not `PK_OK`, not
/// `PK_ERR_NULL_POINTER`).
#[must_use]
pub fn error_of(status: PkStatus) -> Option<Error> {
    CODES.iter().find(|(_, s)| *s == status).map(|(e, _)| *e)
}

/// The status of an internal result.
pub(crate) fn finish(r: Result<(), Fault>) -> PkStatus {
    match r {
        Ok(()) => PK_OK,
        Err(Fault::Kernel(e)) => status_of(e),
        Err(Fault::Null) => PK_ERR_NULL_POINTER,
    }
}

/// The kind strings of `docs/vectors.md`, NUL-terminated for C, by code.
const KINDS: [&core::ffi::CStr; 23] = [
    c"invalid-key",
    c"invalid-pin",
    c"invalid-pan",
    c"invalid-pin-block",
    c"invalid-ksn",
    c"counter-exhausted",
    c"invalid-length",
    c"invalid-padding",
    c"invalid-record",
    c"bad-mac",
    c"card-blocked",
    c"insufficient-funds",
    c"limit-exceeded",
    c"invalid-amount",
    c"invalid-signature",
    c"invalid-public-key",
    c"unsupported",
    c"invalid-key-block",
    c"invalid-tlv",
    c"invalid-digits",
    c"invalid-decimalization-table",
    c"rng-failure",
    c"no-state",
];

/// The name of a status as a static NUL-terminated string: `"ok"`, the
/// error kind of `docs/vectors.md` (`"invalid-key"`, ...), `"null-pointer"`, or
/// `"unknown"` for a code that is none of these. Never null.
#[unsafe(no_mangle)]
pub extern "C" fn pk_status_kind(status: PkStatus) -> *const c_char {
    let s: &'static core::ffi::CStr = match status {
        PK_OK => c"ok",
        PK_ERR_NULL_POINTER => c"null-pointer",
        _ => status
            .checked_neg()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| KINDS.get(i).copied())
            .unwrap_or(c"unknown"),
    };
    s.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One code per kind, in the order of `Error::ALL`, both ways, and the
    /// kind strings are the kernel's.
    #[test]
    fn codes_map_one_to_one() {
        assert_eq!(CODES.len(), Error::ALL.len());
        for (i, e) in Error::ALL.into_iter().enumerate() {
            let code = status_of(e);
            assert_eq!(code, -i32::try_from(i).unwrap() - 1, "{e:?}");
            assert_eq!(CODES[i], (e, code));
            assert_eq!(error_of(code), Some(e));
            // SAFETY: pk_status_kind returns a static NUL-terminated string.
            let kind = unsafe { core::ffi::CStr::from_ptr(pk_status_kind(code)) };
            assert_eq!(kind.to_str().unwrap(), e.kind());
        }
        assert_eq!(error_of(PK_OK), None);
        assert_eq!(error_of(PK_ERR_NULL_POINTER), None);
        for (code, name) in [
            (PK_OK, "ok"),
            (PK_ERR_NULL_POINTER, "null-pointer"),
            (-24, "unknown"),
            (1, "unknown"),
            (i32::MIN, "unknown"),
        ] {
            // SAFETY: as above.
            let kind = unsafe { core::ffi::CStr::from_ptr(pk_status_kind(code)) };
            assert_eq!(kind.to_str().unwrap(), name);
        }
        assert_eq!(finish(Err(Fault::Null)), PK_ERR_NULL_POINTER);
        assert_eq!(finish(Ok(())), PK_OK);
    }
}
