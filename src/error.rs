//! The one error type of the kernel.

use core::fmt;

/// Why the kernel refused an input.
///
/// Every variant but [`Error::RngFailure`] and [`Error::NoState`] is one
/// error kind of the vector-suite contract (`docs/vectors.md`);
/// [`Error::kind`] gives its string. Variants carry no data:
/// an error detail built from a secret would itself be a side channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Error {
    /// A key of the wrong length, with wrong parity where parity is
    /// required, bound (in a key block) to another use, or out of range for
    /// its algorithm (a P-256 scalar outside `1..n`). (The vector format's
    /// `invalid-key` also covers weak keys, for implementations that refuse
    /// them; the kernel checks no key for weakness.)
    InvalidKey,
    /// A PIN that is not 4 to 12 decimal digits (IBM 3624 PINs: 4 to 16).
    InvalidPin,
    /// A PAN that is not 12 to 19 decimal digits, or a bad PAN sequence
    /// number.
    InvalidPan,
    /// A PIN block of the wrong size or failing a rule of its format.
    InvalidPinBlock,
    /// A key serial number of the wrong length or shape.
    InvalidKsn,
    /// A counter (DUKPT transaction counter, record counter) that has
    /// reached its end.
    CounterExhausted,
    /// A length (output, MAC, block, message) outside what the operation
    /// allows.
    InvalidLength,
    /// A padding method that cannot encode the data, or an unknown one.
    InvalidPadding,
    /// A stored-value record that is malformed.
    InvalidRecord,
    /// A MAC or record tag that does not match, or a saved DUKPT terminal
    /// state whose check value does not (a corrupt state).
    BadMac,
    /// The stored-value card is blocked.
    CardBlocked,
    /// The balance does not cover the debit.
    InsufficientFunds,
    /// The credit would take the balance past the card's limit.
    LimitExceeded,
    /// An amount outside `1..=i64::MAX`.
    InvalidAmount,
    /// A signature that is malformed.
    InvalidSignature,
    /// A public key that is malformed or not on the curve.
    InvalidPublicKey,
    /// A combination of inputs that the kernel does not support.
    Unsupported,
    /// A TR-31 / ANSI X9.143 key block or header that breaks the format.
    InvalidKeyBlock,
    /// BER-TLV that cannot be decoded, or a data object an EMV operation
    /// needs that is missing.
    InvalidTlv,
    /// A digit string (expiry, service code, PVKI, offset) without the
    /// right number of decimal digits.
    InvalidDigits,
    /// A decimalization table that is not 16 decimal digits covering every
    /// digit 0-9, or that is not among the tables a verifier approved.
    InvalidDecimalizationTable,
    /// The caller's random source failed (a fallible RNG, such as a
    /// hardware TRNG, reported an error). Not a vector-suite kind: suites
    /// give their random parts explicitly.
    RngFailure,
    /// A saved terminal state that is not there: erased flash (all `00` or
    /// all `FF`). Not a vector-suite kind.
    NoState,
}

impl Error {
    /// Every error kind: those of `docs/vectors.md` in its order, then the two
    /// the vector format has no use for ([`Error::RngFailure`],
    /// [`Error::NoState`]).
    pub const ALL: [Error; 23] = [
        Error::InvalidKey,
        Error::InvalidPin,
        Error::InvalidPan,
        Error::InvalidPinBlock,
        Error::InvalidKsn,
        Error::CounterExhausted,
        Error::InvalidLength,
        Error::InvalidPadding,
        Error::InvalidRecord,
        Error::BadMac,
        Error::CardBlocked,
        Error::InsufficientFunds,
        Error::LimitExceeded,
        Error::InvalidAmount,
        Error::InvalidSignature,
        Error::InvalidPublicKey,
        Error::Unsupported,
        Error::InvalidKeyBlock,
        Error::InvalidTlv,
        Error::InvalidDigits,
        Error::InvalidDecimalizationTable,
        Error::RngFailure,
        Error::NoState,
    ];

    /// The error kind as `docs/vectors.md` spells it, e.g. `"invalid-key"`.
    ///
    /// ```
    /// use paykernel::{Error, TdesKey};
    /// let e = TdesKey::from_slice(&[0; 15]).unwrap_err();
    /// assert_eq!(e, Error::InvalidKey);
    /// assert_eq!(e.kind(), "invalid-key");
    /// // Display: the kind, then what it means.
    /// assert!(e.to_string().starts_with("invalid-key: "));
    /// ```
    #[must_use]
    pub const fn kind(self) -> &'static str {
        match self {
            Error::InvalidKey => "invalid-key",
            Error::InvalidPin => "invalid-pin",
            Error::InvalidPan => "invalid-pan",
            Error::InvalidPinBlock => "invalid-pin-block",
            Error::InvalidKsn => "invalid-ksn",
            Error::CounterExhausted => "counter-exhausted",
            Error::InvalidLength => "invalid-length",
            Error::InvalidPadding => "invalid-padding",
            Error::InvalidRecord => "invalid-record",
            Error::BadMac => "bad-mac",
            Error::CardBlocked => "card-blocked",
            Error::InsufficientFunds => "insufficient-funds",
            Error::LimitExceeded => "limit-exceeded",
            Error::InvalidAmount => "invalid-amount",
            Error::InvalidSignature => "invalid-signature",
            Error::InvalidPublicKey => "invalid-public-key",
            Error::Unsupported => "unsupported",
            Error::InvalidKeyBlock => "invalid-key-block",
            Error::InvalidTlv => "invalid-tlv",
            Error::InvalidDigits => "invalid-digits",
            Error::InvalidDecimalizationTable => "invalid-decimalization-table",
            Error::RngFailure => "rng-failure",
            Error::NoState => "no-state",
        }
    }

    /// The error kind named by `kind`, if there is one.
    ///
    /// ```
    /// use paykernel::Error;
    /// assert_eq!(Error::from_kind("bad-mac"), Some(Error::BadMac));
    /// assert_eq!(Error::from_kind("no-such-kind"), None);
    /// // Every kind round-trips through its name.
    /// for e in Error::ALL {
    ///     assert_eq!(Error::from_kind(e.kind()), Some(e));
    /// }
    /// ```
    #[must_use]
    pub fn from_kind(kind: &str) -> Option<Error> {
        Error::ALL.into_iter().find(|e| e.kind() == kind)
    }

    fn description(self) -> &'static str {
        match self {
            Error::InvalidKey => "key of the wrong length or parity, or not for this use",
            Error::InvalidPin => "PIN must be 4 to 12 decimal digits (IBM 3624: 4 to 16)",
            Error::InvalidPan => "PAN must be 12 to 19 decimal digits (PSN: 2 digits)",
            Error::InvalidPinBlock => {
                "PIN block of the wrong size or breaking a rule of its format"
            }
            Error::InvalidKsn => "key serial number of the wrong length or shape",
            Error::CounterExhausted => "counter exhausted",
            Error::InvalidLength => "length out of range for the operation",
            Error::InvalidPadding => "padding method cannot encode the data",
            Error::InvalidRecord => "malformed stored-value record",
            Error::BadMac => "MAC does not match",
            Error::CardBlocked => "card is blocked",
            Error::InsufficientFunds => "insufficient funds",
            Error::LimitExceeded => "credit would pass the card's limit",
            Error::InvalidAmount => "amount must be in 1..=i64::MAX",
            Error::InvalidSignature => "malformed signature",
            Error::InvalidPublicKey => "malformed public key or point not on the curve",
            Error::Unsupported => "unsupported combination of inputs",
            Error::InvalidKeyBlock => "malformed TR-31 / X9.143 key block",
            Error::InvalidTlv => "malformed BER-TLV, or a required data object missing",
            Error::InvalidDigits => {
                "digit string of the wrong length, or with a character that is not one of its digits"
            }
            Error::InvalidDecimalizationTable => {
                "decimalization table must be 16 decimal digits using every digit 0-9"
            }
            Error::RngFailure => "the random source failed",
            Error::NoState => "no saved state (erased storage)",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind(), self.description())
    }
}

impl core::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::Error;

    #[test]
    fn kinds_are_the_contract_strings() {
        // The list of docs/vectors.md, "Error kinds", in its order.
        let contract = [
            "invalid-key",
            "invalid-pin",
            "invalid-pan",
            "invalid-pin-block",
            "invalid-ksn",
            "counter-exhausted",
            "invalid-length",
            "invalid-padding",
            "invalid-record",
            "bad-mac",
            "card-blocked",
            "insufficient-funds",
            "limit-exceeded",
            "invalid-amount",
            "invalid-signature",
            "invalid-public-key",
            "unsupported",
            "invalid-key-block",
            "invalid-tlv",
            "invalid-digits",
            "invalid-decimalization-table",
        ];
        let kinds = Error::ALL.map(Error::kind);
        assert_eq!(kinds[..contract.len()], contract);
        assert_eq!(kinds[contract.len()..], ["rng-failure", "no-state"]);
        for k in contract {
            assert_eq!(Error::from_kind(k).map(Error::kind), Some(k));
        }
        assert_eq!(Error::from_kind("invalid"), None);
    }

    #[test]
    fn display_starts_with_the_kind() {
        extern crate std;
        use std::string::ToString;
        assert_eq!(Error::BadMac.to_string(), "bad-mac: MAC does not match");
    }
}
