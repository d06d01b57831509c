//! The one place where a secret verdict becomes control flow.
//!
//! Checks on secrets (a key's parity, a PIN block's format rules, a tag
//! compared with the one a key gives, a scalar's range) are computed without
//! a branch, into a [`Choice`]. Their answer, accepted or refused, is what
//! the caller asked for: it goes back as a `Result`, and a `Result` cannot
//! be made from a secret without a branch in safe Rust. (A branch-free
//! select of the two `Result`s compiles to a load at a secret-chosen
//! address, which is worse.)
//!
//! A few verdicts the kernel acts on itself instead of handing them back,
//! each with an outcome that is public or negligible: RFC 6979's check of a
//! nonce candidate (a second candidate is drawn with probability about
//! 2^-32), the key length a key block's masked length turns out to name
//! (the unwrapped key shows it), and a chain link's `prev_tag` match
//! (reported as the chain's verdict).
//!
//! So every such conversion in the kernel goes through [`verdict`], and
//! nowhere else does a secret-derived value steer control flow. Branching
//! on the verdict reveals the verdict, which the caller learns anyway;
//! everything before it is branch-free, and everything after it depends on
//! the verdict alone (the branch's outcome is public). The secret-taint
//! check (`ct-check`, valgrind memcheck) reports exactly this frame for
//! every refusable operation; its suppression names it and nothing else.
//!
//! Verifiers whose answer needs no `Result` built from a secret (CMAC,
//! ISO/IEC 9797-1 and EMV cryptograms, which answer `Result<Choice, Error>`
//! with an `Err` only for a public length; ECDSA, CVV and PVV, which answer
//! `bool`) do not come here: the answer goes back to the caller as
//! computed, without a branch.

use subtle::Choice;

use crate::Error;

/// `Ok(value)` when `ok` is set, `Err(err)` otherwise (then `value` is
/// dropped, and wiped if it is a secret type).
///
/// The branch on `ok` is deliberate and the only one of its kind: see the
/// module documentation. Kept out of line so that the check names this
/// frame and no other.
#[inline(never)]
pub(crate) fn verdict<T>(value: T, ok: Choice, err: Error) -> Result<T, Error> {
    // Each side returns its `Result` through an opaque step. Otherwise the
    // compiler may merge the two constant discriminants into one computed
    // from `ok` after the branch (seen for one-byte values: `sete` on the
    // secret), and the caller's `match` would then branch on the secret
    // itself, outside this frame.
    if bool::from(ok) {
        core::hint::black_box(Ok(value))
    } else {
        drop(value);
        core::hint::black_box(Err(err))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_is_the_choice() {
        assert_eq!(verdict(7u8, Choice::from(1), Error::BadMac), Ok(7));
        assert_eq!(
            verdict(7u8, Choice::from(0), Error::BadMac),
            Err(Error::BadMac)
        );
        assert_eq!(
            verdict((), Choice::from(0), Error::InvalidPin),
            Err(Error::InvalidPin)
        );
    }
}
