//! Key injection in one step: a terminal's DUKPT initial key, and a host's
//! BDK, straight from the key block they travel in.
//!
//! - Terminal side: a `B1` block (initial DUKPT key) loads a
//!   [`TdesTerminal`] when its algorithm is `T` and it carries a `KS`
//!   optional block (the initial KSN, 20 hex digits; X9.143-2022 6.3.6.9),
//!   or an [`AesTerminal`] when its algorithm is `A` and it carries an `IK`
//!   optional block (the initial key ID, 16 hex digits; X9.143-2022
//!   6.3.6.6, X9.24-3-2017 4.17). The IPEK or initial key never leaves the
//!   kernel: it goes from the block's wiped work buffer into the terminal's
//!   registers.
//! - Host side: a `B0` block gives the BDK as a [`TdesBdk`] or an
//!   [`AesBdk`], which derive DUKPT keys and nothing else.
//!
//! Every check of the header happens after the block's MAC checked out:
//! only then is the header known to be the one the sender bound to the
//! key. The usage must be `B1` (`B0` for the host), the mode of use `X`
//! (derive keys) or `N`, and the algorithm the terminal's: otherwise
//! [`Error::InvalidKey`] (the key is not valid for this use). A missing or
//! malformed `KS` / `IK` block is [`Error::InvalidKsn`].

use super::bound::{AesBdk, BoundKey, KeyAttributes, TdesBdk};
use super::fields::{Algorithm, KeyUsage, ModeOfUse};
use super::header::{BlockId, KeyBlock};
use super::kbpk::{Kbpk, Unwrapped};
use crate::Error;
use crate::dukpt::aes::AesTerminal;
use crate::dukpt::tdes::TdesTerminal;
use crate::dukpt::{InitialKeyId, TdesKsn};

/// The work buffer of the one-step paths: more than any DUKPT initial key
/// needs, masked key length included (2 + 32 + padding).
const WORK_LEN: usize = 128;

/// Whether an unwrapped key is an initial DUKPT key for `algorithm`.
fn check_initial_key(u: &Unwrapped<'_, '_>, algorithm: Algorithm) -> Result<(), Error> {
    let a = KeyAttributes::of(u.header());
    if a.key_usage == KeyUsage::DukptInitialKey
        && a.algorithm == algorithm
        && matches!(
            a.mode_of_use,
            ModeOfUse::DeriveKeys | ModeOfUse::NoRestrictions
        )
    {
        Ok(())
    } else {
        Err(Error::InvalidKey)
    }
}

/// Loads a TDES DUKPT terminal (X9.24-1:2009 "Load Initial Key") from a
/// `B1` key block of algorithm `T` with a `KS` optional block: the IPEK
/// and the initial KSN in one step. Terminal side.
///
/// # Errors
/// - as [`KeyBlock::parse`] and [`Kbpk::unwrap`] (a malformed block, a
///   KBPK of another version, a MAC that does not check out);
/// - [`Error::InvalidKey`]: not a `B1` TDES key of mode `X` or `N`, or not
///   a 16-byte IPEK;
/// - [`Error::InvalidKsn`]: no `KS` block, or one that is not 20 hex
///   digits;
/// - [`Error::InvalidLength`]: key data longer than 128 bytes.
///
/// ```
/// use paykernel::dukpt::tdes::Variant;
/// use paykernel::keyblock::{Kbpk, Version, load_tdes_terminal};
///
/// // psec 1.3.0 wrapped the IPEK of ANSI X9.24-1:2009 A.4
/// // (6AC292FAA1315B4D858AB3A3D7D5933A, initial KSN FFFF9876543210E00000)
/// // in this version B block (vectors/tools/tr31_psec.py).
/// let kbpk = Kbpk::from_slice(&hex::decode("B8ED59E0A279A295E9F5ED7944FD06B9").unwrap(), Version::B)?;
/// let block = "B0120B1TX00N0100KS18FFFF9876543210E00000C88E27C8C1F2B49A1864A4BA9591EAB367EE5BDF0C6310DD914BC4404EF5BC13E536D8BE126D529D";
/// let mut terminal = load_tdes_terminal(&kbpk, block.as_bytes())?;
/// let (ksn, pin_key) = terminal.next_transaction(Variant::Pin)?;
/// // X9.24-1:2009 A.4, the first transaction.
/// assert_eq!(ksn.to_string(), "FFFF9876543210E00001");
/// assert_eq!(hex::encode_upper(pin_key.expose_secret()), "042666B49184CF5C68DE9628D0397B36");
/// # Ok::<(), paykernel::Error>(())
/// ```
pub fn load_tdes_terminal(kbpk: &Kbpk, block: &[u8]) -> Result<TdesTerminal, Error> {
    let mut terminal = TdesTerminal::new();
    load_tdes_terminal_into(kbpk, block, &mut terminal)?;
    Ok(terminal)
}

/// [`load_tdes_terminal`] in place: loads the block's IPEK and initial
/// KSN into `terminal` ([`TdesTerminal::update_initial_key`]), for
/// firmware that keeps its terminal in one place. Nothing is moved: no
/// copy of the registers is left on the stack, and the call needs a few
/// hundred bytes less of it.
///
/// # Errors
/// As [`load_tdes_terminal`]; `terminal` is then unchanged.
///
/// ```
/// use paykernel::dukpt::tdes::{TdesTerminal, Variant};
/// use paykernel::keyblock::{Kbpk, Version, load_tdes_terminal_into};
/// use paykernel::Error;
///
/// // The block of `load_tdes_terminal`'s example (X9.24-1:2009 A.4's IPEK).
/// let kbpk = Kbpk::from_slice(&hex::decode("B8ED59E0A279A295E9F5ED7944FD06B9").unwrap(), Version::B)?;
/// let block = "B0120B1TX00N0100KS18FFFF9876543210E00000C88E27C8C1F2B49A1864A4BA9591EAB367EE5BDF0C6310DD914BC4404EF5BC13E536D8BE126D529D";
/// let mut terminal = TdesTerminal::new();
/// load_tdes_terminal_into(&kbpk, block.as_bytes(), &mut terminal)?;
/// // A block whose MAC does not check out leaves the terminal as it was.
/// let bad = block.replace("B1TX00N", "B1TX00E");
/// assert_eq!(load_tdes_terminal_into(&kbpk, bad.as_bytes(), &mut terminal), Err(Error::BadMac));
/// let (_, pin_key) = terminal.next_transaction(Variant::Pin)?;
/// assert_eq!(hex::encode_upper(pin_key.expose_secret()), "042666B49184CF5C68DE9628D0397B36");
/// # Ok::<(), paykernel::Error>(())
/// ```
pub fn load_tdes_terminal_into(
    kbpk: &Kbpk,
    block: &[u8],
    terminal: &mut TdesTerminal,
) -> Result<(), Error> {
    let block = KeyBlock::parse(block)?;
    let mut work = [0u8; WORK_LEN];
    let unwrapped = kbpk.unwrap(&block, &mut work)?;
    check_initial_key(&unwrapped, Algorithm::Tdes)?;
    let ksn = unwrapped
        .header()
        .find(BlockId::KS)
        .ok_or(Error::InvalidKsn)
        .and_then(|ks| TdesKsn::from_hex(ks.data()))?;
    let ipek = unwrapped.tdes_key()?;
    terminal.update_initial_key(&ipek, &ksn)
}

/// Loads an AES DUKPT terminal (X9.24-3-2017 "Load Initial Key") from a
/// `B1` key block of algorithm `A` with an `IK` optional block: the initial
/// key and its initial key ID in one step; the first transaction uses
/// counter 1. Terminal side.
///
/// # Errors
/// As [`load_tdes_terminal`], for an AES key and an `IK` block of 16 hex
/// digits.
///
/// ```
/// use paykernel::dukpt::aes::{KeyType, KeyUsage};
/// use paykernel::keyblock::{Kbpk, Version, load_aes_terminal};
///
/// // psec 1.3.0 wrapped the AES-128 initial key of the X9.24-3-2017 test
/// // vectors (1273671EA26AC29AFA4D1084127652A1, initial key ID
/// // 1234567890123456) in this version D block.
/// let kbpk = Kbpk::from_slice(&hex::decode("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6").unwrap(), Version::D)?;
/// let block = "D0176B1AX00N0200IK141234567890123456PB0C0000000093DCD1147C2D9B29F29516146BD50C7FADB07AA049AFD9A2505497DE18D7AE35DF599BD73C3950751B7182FE68234FF5E7CAC62BAEE7F547D3E54475C5667D54";
/// let mut terminal = load_aes_terminal(&kbpk, block.as_bytes())?;
/// let (ksn, key) = terminal.next_transaction(KeyType::Aes128, KeyUsage::PinEncryption)?;
/// assert_eq!(ksn.to_string(), "123456789012345600000001");
/// assert_eq!(hex::encode_upper(key.expose_secret()), "AF8CB133A78F8DC2D1359F18527593FB");
/// # Ok::<(), paykernel::Error>(())
/// ```
pub fn load_aes_terminal(kbpk: &Kbpk, block: &[u8]) -> Result<AesTerminal, Error> {
    let mut terminal = AesTerminal::new();
    load_aes_terminal_into(kbpk, block, &mut terminal)?;
    Ok(terminal)
}

/// [`load_aes_terminal`] in place: loads the block's initial key and
/// initial key ID into `terminal` ([`AesTerminal::update_initial_key`]),
/// for firmware that keeps its terminal in one place. Nothing is moved:
/// no copy of the 1 KiB of registers is left on the stack, and the call
/// needs KiBs less of it.
///
/// # Errors
/// As [`load_aes_terminal`]; `terminal` is then unchanged, except after
/// an error of [`AesTerminal::update_initial_key`] itself (none in
/// practice), which leaves it exhausted.
///
/// ```
/// use paykernel::dukpt::aes::{AesTerminal, KeyType, KeyUsage};
/// use paykernel::keyblock::{Kbpk, Version, load_aes_terminal_into};
/// use paykernel::Error;
///
/// // The block of `load_aes_terminal`'s example (the X9.24-3-2017
/// // AES-128 initial key).
/// let kbpk = Kbpk::from_slice(&hex::decode("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6").unwrap(), Version::D)?;
/// let block = "D0176B1AX00N0200IK141234567890123456PB0C0000000093DCD1147C2D9B29F29516146BD50C7FADB07AA049AFD9A2505497DE18D7AE35DF599BD73C3950751B7182FE68234FF5E7CAC62BAEE7F547D3E54475C5667D54";
/// let mut terminal = AesTerminal::new();
/// load_aes_terminal_into(&kbpk, block.as_bytes(), &mut terminal)?;
/// // A block whose MAC does not check out leaves the terminal as it was.
/// let bad = block.replace("B1AX00N", "B1AX00E");
/// assert_eq!(load_aes_terminal_into(&kbpk, bad.as_bytes(), &mut terminal), Err(Error::BadMac));
/// let (_, key) = terminal.next_transaction(KeyType::Aes128, KeyUsage::PinEncryption)?;
/// assert_eq!(hex::encode_upper(key.expose_secret()), "AF8CB133A78F8DC2D1359F18527593FB");
/// # Ok::<(), paykernel::Error>(())
/// ```
pub fn load_aes_terminal_into(
    kbpk: &Kbpk,
    block: &[u8],
    terminal: &mut AesTerminal,
) -> Result<(), Error> {
    let block = KeyBlock::parse(block)?;
    let mut work = [0u8; WORK_LEN];
    let unwrapped = kbpk.unwrap(&block, &mut work)?;
    check_initial_key(&unwrapped, Algorithm::Aes)?;
    let id = unwrapped
        .header()
        .find(BlockId::IK)
        .ok_or(Error::InvalidKsn)
        .and_then(|ik| InitialKeyId::from_hex(ik.data()))?;
    let initial_key = unwrapped.aes_key()?;
    terminal.update_initial_key(&initial_key, &id.ksn(0))
}

/// The host's TDES DUKPT BDK from a `B0` block (algorithm `T`, 16 bytes,
/// mode `X` or `N`). Host side.
///
/// ```
/// use paykernel::keyblock::{Kbpk, Version, host_tdes_bdk};
/// use paykernel::Error;
///
/// // psec 1.3.0 wrapped ANSI X9.24-1:2009 A.4's BDK in this B0 block; the
/// // annex's IPEK comes out.
/// let kbpk = Kbpk::from_slice(&hex::decode("B8ED59E0A279A295E9F5ED7944FD06B9").unwrap(), Version::B)?;
/// let bdk = host_tdes_bdk(&kbpk, b"B0096B0TX00N00009CF53B185C36D7D36EF048E7B8825E8F434CE6C2D15AEC3A9495A37DC82050D349638DAB89CD3533")?;
/// let ipek = bdk.derive_initial_key(&"FFFF9876543210E00000".parse()?)?;
/// assert_eq!(hex::encode_upper(ipek.expose_secret()), "6AC292FAA1315B4D858AB3A3D7D5933A");
/// // The same key as a PIN key (P0) is no BDK.
/// let p0 = b"B0096P0TE00N00000D6A463E73F3D1BDA9A9A4B2BA2F876D78B7EBEADB8BA6F3E2A172EB4DE1D1DFB9D8932165DB3C09";
/// assert_eq!(host_tdes_bdk(&kbpk, p0).err(), Some(Error::InvalidKey));
/// # Ok::<(), paykernel::Error>(())
/// ```
///
/// # Errors
/// As [`BoundKey::unwrap`] and [`TdesBdk::try_from`].
pub fn host_tdes_bdk(kbpk: &Kbpk, block: &[u8]) -> Result<TdesBdk, Error> {
    TdesBdk::try_from(BoundKey::unwrap(kbpk, block)?)
}

/// The host's AES DUKPT BDK from a `B0` block (algorithm `A`, mode `X` or
/// `N`). Host side.
///
/// ```
/// use paykernel::keyblock::{Kbpk, Version, host_aes_bdk};
///
/// // psec 1.3.0 wrapped the X9.24-3-2017 supplement's AES-128 BDK in this
/// // block; the supplement's initial key for ID 1234567890123456 comes
/// // out.
/// let kbpk = Kbpk::from_slice(&hex::decode("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6").unwrap(), Version::D)?;
/// let bdk = host_aes_bdk(&kbpk, b"D0144B0AX00N00000E72F5A261A5BEC8ADC1A0ADC53158F5B3C458743613BD47FE4561D8D2ACB3361C12AB6B2C3435EA1EEC8756246B04B453C92A34574725548A0BC597379DBAC8")?;
/// let ik = bdk.derive_initial_key(&"1234567890123456".parse()?)?;
/// assert_eq!(hex::encode_upper(ik.expose_secret()), "1273671EA26AC29AFA4D1084127652A1");
/// # Ok::<(), paykernel::Error>(())
/// ```
///
/// # Errors
/// As [`BoundKey::unwrap`] and [`AesBdk::try_from`].
pub fn host_aes_bdk(kbpk: &Kbpk, block: &[u8]) -> Result<AesBdk, Error> {
    AesBdk::try_from(BoundKey::unwrap(kbpk, block)?)
}
