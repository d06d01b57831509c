//! Card and PIN verification: the values an issuer checks on every
//! authorisation.
//!
//! | what | type | standard / source |
//! |---|---|---|
//! | CVV / CVC, CVV2 / CVC2, iCVV / chip CVC | [`Cvk`] → [`Cvv`] | Visa and Mastercard card verification value (one algorithm; service code as on the stripe, `000`, `999`) |
//! | dynamic CVC3 (contactless magstripe mode) | [`Cvc3Key`] → [`Cvc3`] | Mastercard CVC3 over ISO/IEC 9797-1 MAC algorithm 3, as pyemv 1.5.0 computes it |
//! | Visa PVV | [`VisaPvv`] → [`Pvv`] | Visa PIN verification value (TSP, PVKI) |
//! | IBM 3624 natural PIN and offset | [`Ibm3624`] → [`Offset`], [`Ibm3624Pin`] | IBM 3624 PIN generation / verification algorithm (IBM CCA) |
//! | PIN verification from a PIN block | [`PinVerifier`](crate::pin::PinVerifier) | ISO 9564-1 formats 0–4, then one of the two methods above |
//!
//! `docs/vectors.md` ("Card and PIN verification") fixes the exact algorithms;
//! the module of each type describes its own.
//!
//! Public inputs are typed and made only by checked constructors: the
//! [`Pan`](crate::Pan), [`Expiry`], [`ServiceCode`], [`Pvki`],
//! [`DecimalizationTable`] and [`ValidationData`]. The values checked or
//! kept secret ([`Cvv`], [`Cvc3`], [`Pvv`], [`Offset`], [`Ibm3624Pin`],
//! [`Pin`](crate::pin::Pin)) are wiped on drop, print redacted and compare
//! in constant time.
//!
//! ## Decimalization
//!
//! Both schemes turn an enciphered block's 16 hexadecimal digits into
//! decimal ones, in one place (`decimal.rs`):
//!
//! - CVV and Visa PVV: the block's digits 0–9 left to right, then, if too
//!   few, its digits A–F minus 10, left to right;
//! - IBM 3624: every digit through the caller's [`DecimalizationTable`].
//!
//! ## Decimalization-table attacks, and the rule the kernel keeps
//!
//! Bond and Zieliński ("Decimalisation table attacks for PIN cracking",
//! University of Cambridge Computer Laboratory technical report
//! UCAM-CL-TR-560, 2003) showed that a caller who may choose the IBM 3624
//! table learns a PIN in about 15 verification calls instead of 5000: a
//! table that maps every hex digit to 0 except those that map to 1 turns
//! each call into "does the natural PIN contain these digits?", and
//! adjusting the offset then places them. Their own prevention section
//! notes that checking a table's shape stops the first two forms of the
//! attack but not a third, which uses small changes to the genuine table
//! (changing the entry of hex A from 0 to 1 still gives a table that uses
//! every digit) together with the offset; only tables the issuer
//! authorised should reach the HSM.
//!
//! What the vendors do:
//!
//! - IBM CCA (z/OS ICSF, CCA for Linux on IBM Z): access control point
//!   X'0356', "ANSI X9.8 PIN – Use stored decimalization tables only". With
//!   it on, Clear PIN Generate, Encrypted PIN Generate and Encrypted PIN
//!   Verify refuse any table that does not match one of the tables
//!   security officers loaded and activated in the coprocessor from a TKE
//!   workstation (IBM Docs, "Decimalization tables" and "Use stored
//!   decimalization tables only").
//! - Thales payShield: the security settings "Decimalization table
//!   Encrypted/Plaintext" (tables then travel encrypted under the LMK, so
//!   the host can only present tables made by the security officers) and
//!   "Enable decimalization table checks" (console `CS`, shown by `QS`).
//!   The exact checks are specified in Thales's host command manuals,
//!   which are not public; this project could not confirm them.
//! - AWS Payment Cryptography: the `DecimalizationTable` of its IBM 3624
//!   parameters is 16 characters of `[0-9]`; no further rule is
//!   documented. psec 1.3.0 checks the same.
//!
//! The rule chosen here has three parts:
//!
//! 1. [`DecimalizationTable::from_digits`] refuses a table that is not 16
//!    decimal digits in which every digit 0–9 occurs
//!    ([`Error::InvalidDecimalizationTable`](crate::Error::InvalidDecimalizationTable)).
//!    This is the contract of `docs/vectors.md`, and it stops the attack's
//!    basic form (a table missing a digit). Nothing stricter is refused
//!    by default: a covering table with repeats (`0123456789000000`) is a
//!    legal issuer table, and a count rule would not stop the third form
//!    anyway.
//! 2. The table is configuration, bound to the PVK once in an [`Ibm3624`];
//!    the calls that generate offsets and verify PINs
//!    ([`Ibm3624::offset`], [`PinVerifier::verify`](crate::pin::PinVerifier))
//!    take no table. An issuer host builds its `Ibm3624` from its own
//!    configuration, never from a request, which is IBM's "stored tables
//!    only" and payShield's "encrypted tables" in API form. (The vector
//!    runner and the CLI take the table per call because the vector
//!    format does: they are test and operator tools.)
//! 3. Where tables do arrive with requests, [`DecimalizationTable::require_approved`]
//!    refuses any table outside the issuer's approved list, as IBM's
//!    ACP X'0356' does.
//!
//! (Visa PVV has no table: its decimalization is fixed, which is one
//! reason it is preferred.)
//!
//! ## Constant time
//!
//! Keys, the enciphered blocks, PINs, CVVs, CVC3s, PVVs, offsets and the
//! natural PIN are secret. Decimalization maps a secret nibble through a
//! table by scanning all 16 entries with a mask, never by indexing; "the
//! first N decimal digits, then A–F minus 10" gives every nibble its rank
//! with mask arithmetic and selects by comparing ranks, never branching
//! on a nibble; digit arithmetic modulo 10 subtracts 10 by mask, never
//! divides (CVC3's binary-to-decimal divides by 10 with a multiplication
//! and a shift). Comparisons go through `subtle`. The PAN, expiry, service
//! code, PVKI, table, validation-data parameters and every length but a
//! deciphered PIN's are public; the IBM 3624 rule "the PIN has as many
//! digits as the offset" compares the deciphered PIN's secret length with
//! the offset's by mask. `ct-check` runs every operation here under
//! valgrind with those secrets marked.

mod cvc3;
mod cvv;
mod decimal;
mod digits;
mod ibm3624;
mod pvv;

pub use self::cvc3::Cvc3Key;
pub use self::cvv::Cvk;
pub use self::decimal::DecimalizationTable;
pub use self::digits::{Cvc3, Cvv, Expiry, Ibm3624Pin, Offset, Pvki, Pvv, ServiceCode};
pub use self::ibm3624::{Ibm3624, ValidationData};
pub use self::pvv::VisaPvv;

pub(crate) use self::pvv::{matches_enciphered as pvv_matches_enciphered, tsp as pvv_tsp};
