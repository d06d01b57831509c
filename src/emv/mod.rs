//! EMV (Book 2 Annex A): ICC master keys, session keys, application
//! cryptograms and ARPC.
//!
//! The issuer derives the card's ICC master key from its issuer master
//! key, the PAN and the PAN sequence number ([`derive_icc_master_key`],
//! options A and B). For each transaction both the card and the issuer
//! derive a session key from it ([`common_session_key`],
//! [`visa_sm_session_key`], [`emv2000_tree_session_key`]). The card
//! proves itself with an application cryptogram over the transaction data
//! ([`AcSessionKey::generate_ac`]); the issuer recomputes and checks it in
//! constant time ([`AcSessionKey::verify_ac`]) and answers with an ARPC
//! ([`AcSessionKey::arpc_method1`], [`AcSessionKey::arpc_method2`]).
//!
//! Keys are double-length TDES keys throughout (16 bytes; any other
//! length is [`crate::Error::InvalidKey`]); derived keys have odd parity.
//! The PAN, PSN, ATC and the other diversification data are public and may
//! steer control flow; keys never do.
//!
//! On top of these, the card schemes' cryptogram versions ([`Cvn`]: Visa
//! CVN 10, 18, 22, Mastercard CVN 16, 17, 20, 21, Interac CVN 133) turn DE
//! 55's data objects ([`DataObjects`], e.g. a parsed
//! [`Tlv`](crate::tlv::Tlv)) into a verified ARQC and an ARPC in one call
//! ([`Cvn::authorise`]), and build issuer scripts with EMV secure messaging
//! ([`Cvn::command_mac`], [`Cvn::encrypt_command_data`],
//! [`Cvn::pin_change`]).

mod cryptogram;
mod cvn;
mod keys;
mod objects;
mod script;

use core::fmt;
use core::str::FromStr;

use crate::Error;

pub use self::cryptogram::{AcPadding, AcSessionKey, MIN_AC_LEN};
pub use self::cvn::{
    AcKeyDerivation, AcTail, Arpc, ArpcKey, ArpcMethod, Authorisation, AuthorisationResponse, Cvn,
    CvrSource, Encipherment, ScriptKeyDerivation,
};
pub use self::keys::{
    Emv2000Tree, MasterKeyOption, common_session_key, derive_icc_master_key,
    emv2000_tree_session_key, visa_sm_session_key,
};
pub use self::objects::{AC_DATA, DataObjects, ObjectSpec};
pub use self::script::{
    COMMAND_DATA_MAX, ENCIPHERED_MAX, PIN_CHANGE_MAX, PinChangeKeys, ScriptCommand,
};

/// A PAN sequence number (EMV tag 5F34): two decimal digits, `00` when the
/// card has none.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Psn {
    digits: [u8; 2],
}

impl Psn {
    /// The PSN used when the card carries none: `00`.
    pub const ABSENT: Psn = Psn { digits: [0, 0] };

    /// Parses a PSN from exactly two ASCII digits.
    ///
    /// ```
    /// use paykernel::Error;
    /// use paykernel::emv::Psn;
    /// let psn = Psn::from_digits(b"01")?;
    /// assert_eq!(psn.digits(), &[0, 1]);
    /// assert_eq!(format!("{psn:?}"), "Psn(01)");
    /// assert_eq!(Psn::ABSENT.digits(), &[0, 0]);
    /// assert_eq!(Psn::from_digits(b"1"), Err(Error::InvalidPan));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidPan`] for anything else (the error kind of a bad PAN
    /// or PSN).
    pub fn from_digits(psn: &[u8]) -> Result<Self, Error> {
        match psn {
            [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => Ok(Psn {
                digits: [a.wrapping_sub(b'0'), b.wrapping_sub(b'0')],
            }),
            _ => Err(Error::InvalidPan),
        }
    }

    /// The two digits as values 0 to 9.
    #[must_use]
    pub fn digits(&self) -> &[u8; 2] {
        &self.digits
    }
}

impl fmt::Debug for Psn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b] = self.digits;
        write!(f, "Psn({a}{b})")
    }
}

impl FromStr for Psn {
    type Err = Error;
    /// As [`Psn::from_digits`].
    ///
    /// ```
    /// use paykernel::emv::Psn;
    /// let psn: Psn = "01".parse()?;
    /// assert_eq!(psn.digits(), &[0, 1]);
    /// assert!("1".parse::<Psn>().is_err());
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Self, Error> {
        Psn::from_digits(s.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psn_parsing() {
        assert_eq!("00".parse::<Psn>(), Ok(Psn::ABSENT));
        assert_eq!("45".parse::<Psn>().unwrap().digits(), &[4, 5]);
        for bad in ["", "1", "001", "4A", " 1", "+1", "١٢"] {
            assert_eq!(bad.parse::<Psn>(), Err(Error::InvalidPan), "{bad:?}");
        }
        extern crate std;
        assert_eq!(
            std::format!("{:?}", Psn::from_digits(b"07").unwrap()),
            "Psn(07)"
        );
    }
}
