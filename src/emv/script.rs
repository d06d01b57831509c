//! Issuer scripts: EMV secure messaging (EMV 4.4 Book 2 9.2 integrity and
//! authentication, 9.3 confidentiality; MAC and encipherment of A1.1 and
//! A1.2) as each cryptogram version does it, and the PIN change command.
//!
//! - **Command MAC**: ISO/IEC 9797-1 MAC algorithm 3, padding method 2,
//!   8 bytes, under the integrity session key (SK_SMI), over the command
//!   header (CLA INS P1 P2 Lc), the ATC (`9F36`) and the ARQC (`9F26`) of
//!   the transaction, and the command data (Book 2 9.2.1.2 format 2, with
//!   transaction data in the MAC input as VIS and M/Chip do); Interac CVN
//!   133 MACs the header and the data only.
//! - **Command data encipherment** under the confidentiality session key
//!   (SK_SMC): Visa's TDES-ECB of the data preceded by its length byte and
//!   padded by ISO/IEC 9797-1 method 2, or Mastercard's TDES-CBC with a
//!   zero IV of the data, padded by method 2 only when it is not whole
//!   blocks ([`super::Encipherment`]).
//! - **PIN change** (`84 24 00 P2 Lc`, PIN CHANGE/UNBLOCK): the new PIN in
//!   the VIS PIN block (Visa CVN 10 and 18 always, CVN 22 when the current
//!   PIN is given) or an ISO 9564-1 format 2 PIN block, enciphered, then
//!   MACed as above. The VIS block is `(00 00 00 00 ‖ bytes 5–8 of the ICC
//!   master key for AC) ⊕ (PIN length ‖ PIN digits ‖ F…F)`, XORed with the
//!   current PIN (digits, then `0`s to 16) when it is given (P2 = `01`;
//!   else `02`). Sources: VIS 1.5 (the VIS PIN block), pyemv 1.5.0
//!   `pyemv.sm` and `pyemv.cvn` (HSM-checked) for the exact layouts.
//!
//! The session keys are derived from the ICC master keys for SMI and SMC
//! (the CVN's option A or B) by the CVN's method: Visa's ATC XOR for Visa
//! CVN 10 and 18, the common session key with R = the ARQC for the others.
//!
//! The clear PIN and the clear PIN block live only in wiped buffers, and
//! are built without a branch or an index on the PIN's digits or length.

use core::fmt;

use subtle::{ConditionallySelectable, ConstantTimeLess};
use zeroize::Zeroizing;

use super::cvn::{Cvn, Encipherment, ScriptKeyDerivation};
use super::objects::{ATC, CRYPTOGRAM, DataObjects, fetch_array};
use super::{Psn, common_session_key, visa_sm_session_key};
use crate::Error;
use crate::cipher::TdesCipher;
use crate::key::TdesKey;
use crate::mac::{Padding, RetailMac};
use crate::pan::Pan;
use crate::pin::Pin;

/// The longest command data that secure messaging takes (Lc is one byte).
pub const COMMAND_DATA_MAX: usize = 255;

/// The longest enciphered command data: Visa's length byte and padding
/// around 255 bytes.
pub const ENCIPHERED_MAX: usize = 264;

/// The longest PIN change command: header (5), enciphered VIS block (16),
/// MAC (8).
pub const PIN_CHANGE_MAX: usize = 29;

/// The keys of a PIN change: the issuer master keys for script integrity
/// and confidentiality, and for AC where the VIS PIN block needs the ICC
/// master key for AC (Visa CVN 10 and 18; CVN 22 with the current PIN).
#[derive(Clone, Copy)]
pub struct PinChangeKeys<'k> {
    /// IMK for secure-messaging integrity (16 bytes).
    pub imk_smi: &'k TdesKey,
    /// IMK for secure-messaging confidentiality (16 bytes).
    pub imk_smc: &'k TdesKey,
    /// IMK for application cryptograms (16 bytes), for the VIS PIN block.
    pub imk_ac: Option<&'k TdesKey>,
}

impl fmt::Debug for PinChangeKeys<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PinChangeKeys").finish_non_exhaustive()
    }
}

/// An issuer-script command (header, enciphered data, MAC), ready for the
/// issuer script template. Public: its PIN is enciphered.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScriptCommand {
    bytes: [u8; PIN_CHANGE_MAX],
    len: usize,
}

impl ScriptCommand {
    /// The command's bytes: header, then enciphered PIN data, then MAC.
    ///
    /// ```
    /// use paykernel::emv::{Cvn, PinChangeKeys, Psn};
    /// use paykernel::pin::Pin;
    /// use paykernel::{Pan, TdesKey};
    /// // pyemv 1.5.0 tests/test_cvn_hsm.py (HSM-checked): Mastercard CVN
    /// // 16, new PIN 9999 (as Cvn::pin_change shows).
    /// let smi = TdesKey::from_slice(&hex::decode("FEDCBA98765432100123456789ABCDEF").unwrap())?;
    /// let smc = TdesKey::from_slice(&hex::decode("89ABCDEF0123456776543210FEDCBA98").unwrap())?;
    /// let keys = PinChangeKeys { imk_smi: &smi, imk_smc: &smc, imk_ac: None };
    /// let pan: Pan = "1234567890123456".parse()?;
    /// let tags: &[(&[u8], &[u8])] = &[
    ///     (&[0x9F, 0x26], &[0x24, 0xCC, 0xF3, 0xDE, 0xE3, 0x15, 0x8C, 0x70]),
    ///     (&[0x9F, 0x36], &[0x00, 0x1C]),
    /// ];
    /// let command = Cvn::Mastercard16.pin_change(&keys, &pan, Psn::ABSENT, tags, &Pin::from_digits(b"9999")?, None)?;
    /// assert_eq!(&command.as_bytes()[..5], [0x84, 0x24, 0x00, 0x02, 0x10]);
    /// assert_eq!(command.as_bytes().len(), 5 + 8 + 8);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

impl fmt::Debug for ScriptCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ScriptCommand(")?;
        for b in self.as_bytes() {
            write!(f, "{b:02X}")?;
        }
        f.write_str(")")
    }
}

impl Cvn {
    /// Whether a PIN change may carry the current PIN (the VIS PIN block
    /// with the current PIN): the Visa CVNs.
    #[must_use]
    pub const fn takes_current_pin(self) -> bool {
        matches!(self, Cvn::Visa10 | Cvn::Visa18 | Cvn::Visa22)
    }

    /// Whether the command MAC covers the ATC and ARQC (all but Interac
    /// CVN 133).
    const fn mac_covers_transaction(self) -> bool {
        !matches!(self, Cvn::Interac133)
    }

    /// The secure-messaging session key from the ICC master key `mk`.
    fn script_session_key<D: DataObjects + ?Sized>(
        self,
        mk: &TdesKey,
        data: &D,
    ) -> Result<TdesKey, Error> {
        match self.script_key() {
            ScriptKeyDerivation::VisaAtc => {
                visa_sm_session_key(mk, u16::from_be_bytes(fetch_array(data, ATC)?))
            }
            ScriptKeyDerivation::CommonArqc => {
                common_session_key(mk, &fetch_array(data, CRYPTOGRAM)?)
            }
        }
    }

    /// The session key for SMI or SMC from its IMK.
    fn script_key_from_imk<D: DataObjects + ?Sized>(
        self,
        imk: &TdesKey,
        pan: &Pan,
        psn: Psn,
        data: &D,
    ) -> Result<TdesKey, Error> {
        let mk = self.icc_master_key(imk, pan, psn)?;
        self.script_session_key(&mk, data)
    }

    /// The command MAC under the SMI session key `mac`.
    fn mac_command<D: DataObjects + ?Sized>(
        self,
        mac: &RetailMac,
        data: &D,
        header: &[u8; 5],
        command_data: &[u8],
    ) -> Result<[u8; 8], Error> {
        if command_data.len() > COMMAND_DATA_MAX {
            return Err(Error::InvalidLength);
        }
        let arqc: [u8; 8] = fetch_array(data, CRYPTOGRAM)?;
        if self.mac_covers_transaction() {
            let atc: [u8; 2] = fetch_array(data, ATC)?;
            mac.compute_parts(&[header, &atc, &arqc, command_data], Padding::Method2)
        } else {
            mac.compute_parts(&[header, command_data], Padding::Method2)
        }
    }

    /// Issuer side: the MAC of an issuer-script command (8 bytes), under
    /// the SMI session key derived from `imk_smi`, over `header` (CLA INS
    /// P1 P2 Lc), `9F36` and `9F26` (not for Interac 133), and
    /// `command_data` (0 to 255 bytes, e.g. enciphered data).
    ///
    /// ```
    /// use paykernel::emv::{Cvn, Psn};
    /// use paykernel::{Pan, TdesKey};
    /// // pyemv 1.5.0 tests/test_cvn_hsm.py (HSM-checked): Visa CVN 10,
    /// // APPLICATION UNBLOCK 84 18 00 00 08, ARQC 29CCA15AE665FA2E, ATC 001C.
    /// let imk_smi = TdesKey::from_slice(&[
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10, 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
    /// ])?;
    /// let pan: Pan = "1234567890123456".parse()?;
    /// let tags: &[(&[u8], &[u8])] = &[
    ///     (&[0x9F, 0x26], &[0x29, 0xCC, 0xA1, 0x5A, 0xE6, 0x65, 0xFA, 0x2E]),
    ///     (&[0x9F, 0x36], &[0x00, 0x1C]),
    /// ];
    /// let mac = Cvn::Visa10.command_mac(&imk_smi, &pan, Psn::ABSENT, tags, &[0x84, 0x18, 0x00, 0x00, 0x08], &[])?;
    /// assert_eq!(mac, [0xDB, 0x56, 0xBA, 0x60, 0x08, 0x7C, 0xEF, 0xD3]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidKey`] unless `imk_smi` is 16 bytes;
    /// [`Error::InvalidTlv`] without `9F26` or (but for Interac 133)
    /// `9F36`; [`Error::InvalidLength`] for one of another length, or more
    /// than 255 bytes of command data.
    pub fn command_mac<D: DataObjects + ?Sized>(
        self,
        imk_smi: &TdesKey,
        pan: &Pan,
        psn: Psn,
        data: &D,
        header: &[u8; 5],
        command_data: &[u8],
    ) -> Result<[u8; 8], Error> {
        let sk = self.script_key_from_imk(imk_smi, pan, psn, data)?;
        self.mac_command(&RetailMac::new(&sk)?, data, header, command_data)
    }

    /// The length of `n` bytes of command data once enciphered by this
    /// CVN.
    #[must_use]
    pub const fn enciphered_len(self, n: usize) -> usize {
        match self.encipherment() {
            // Length byte, data, then 80 and zeros to a whole block.
            Encipherment::Visa => n.saturating_add(9) & !7,
            Encipherment::Mastercard if n & 7 == 0 => n,
            Encipherment::Mastercard => n.saturating_add(8) & !7,
        }
    }

    /// Issuer side: `command_data` (0 to 255 bytes) enciphered for an
    /// issuer script under the SMC session key derived from `imk_smc`,
    /// written to the start of `out` (at least
    /// [`Cvn::enciphered_len`] bytes; [`ENCIPHERED_MAX`] always suffices).
    /// The command data may be secret (a clear PIN block): it is copied
    /// into `out` and enciphered there, without a branch on it.
    ///
    /// ```
    /// use paykernel::emv::{Cvn, ENCIPHERED_MAX, Psn};
    /// use paykernel::{Pan, TdesKey};
    /// // Values from pyemv 1.5.0 (MasterCardCVN16.encrypt_command_data):
    /// // 9 bytes, padded to two blocks, CBC under the SMC session key.
    /// let imk_smc = TdesKey::from_slice(&[
    ///     0x89, 0xAB, 0xCD, 0xEF, 0x01, 0x23, 0x45, 0x67, 0x76, 0x54, 0x32, 0x10, 0xFE, 0xDC, 0xBA, 0x98,
    /// ])?;
    /// let pan: Pan = "1234567890123456".parse()?;
    /// let tags: &[(&[u8], &[u8])] =
    ///     &[(&[0x9F, 0x26], &[0x24, 0xCC, 0xF3, 0xDE, 0xE3, 0x15, 0x8C, 0x70])];
    /// let data = [0x03, 0x0A, 0x11, 0x18, 0x1F, 0x26, 0x2D, 0x34, 0x3B];
    /// let mut out = [0u8; ENCIPHERED_MAX];
    /// let enc = Cvn::Mastercard16.encrypt_command_data(&imk_smc, &pan, Psn::ABSENT, tags, &data, &mut out)?;
    /// assert_eq!(enc, [
    ///     0x67, 0xF2, 0x50, 0x27, 0xF4, 0x64, 0x42, 0x8A, 0x54, 0xB4, 0xA5, 0x28, 0x5A, 0xAB, 0xF9, 0x67,
    /// ]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidKey`] unless `imk_smc` is 16 bytes;
    /// [`Error::InvalidTlv`] without `9F36` (Visa CVN 10, 18) or `9F26`
    /// (the others); [`Error::InvalidLength`] for one of another length,
    /// more than 255 bytes of data, or an `out` too small.
    pub fn encrypt_command_data<'o, D: DataObjects + ?Sized>(
        self,
        imk_smc: &TdesKey,
        pan: &Pan,
        psn: Psn,
        data: &D,
        command_data: &[u8],
        out: &'o mut [u8],
    ) -> Result<&'o [u8], Error> {
        if command_data.len() > COMMAND_DATA_MAX {
            return Err(Error::InvalidLength);
        }
        let sk = self.script_key_from_imk(imk_smc, pan, psn, data)?;
        let n = encipher(
            self.encipherment(),
            &TdesCipher::new(&sk),
            command_data,
            out,
        )?;
        let out: &'o [u8] = out;
        out.get(..n).ok_or(Error::InvalidLength)
    }

    /// Issuer side: the PIN change command (PIN CHANGE/UNBLOCK, `84 24 00
    /// P2 Lc`) that sets `pin` on the card: the new PIN in this CVN's PIN
    /// block, enciphered under the SMC session key, then the command MAC
    /// under the SMI session key. `current_pin` (Visa CVNs only) binds the
    /// block to the PIN the card holds (P2 = `01`).
    ///
    /// ```
    /// use paykernel::emv::{Cvn, PinChangeKeys, Psn};
    /// use paykernel::pin::Pin;
    /// use paykernel::{Pan, TdesKey};
    /// // pyemv 1.5.0 tests/test_cvn_hsm.py (HSM-checked): Mastercard CVN
    /// // 16, new PIN 9999, ARQC 24CCF3DEE3158C70, ATC 001C.
    /// let smi = TdesKey::from_slice(&[
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10, 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
    /// ])?;
    /// let smc = TdesKey::from_slice(&[
    ///     0x89, 0xAB, 0xCD, 0xEF, 0x01, 0x23, 0x45, 0x67, 0x76, 0x54, 0x32, 0x10, 0xFE, 0xDC, 0xBA, 0x98,
    /// ])?;
    /// let keys = PinChangeKeys { imk_smi: &smi, imk_smc: &smc, imk_ac: None };
    /// let pan: Pan = "1234567890123456".parse()?;
    /// let tags: &[(&[u8], &[u8])] = &[
    ///     (&[0x9F, 0x26], &[0x24, 0xCC, 0xF3, 0xDE, 0xE3, 0x15, 0x8C, 0x70]),
    ///     (&[0x9F, 0x36], &[0x00, 0x1C]),
    /// ];
    /// let pin = Pin::from_digits(b"9999")?;
    /// let command = Cvn::Mastercard16.pin_change(&keys, &pan, Psn::ABSENT, tags, &pin, None)?;
    /// assert_eq!(command.as_bytes(), [
    ///     0x84, 0x24, 0x00, 0x02, 0x10, 0x00, 0x85, 0x9B, 0x8F, 0xE5, 0x3F, 0x31, 0x6D,
    ///     0xEB, 0x4B, 0x64, 0xC3, 0x6B, 0xF8, 0x8E, 0x39,
    /// ]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a `current_pin` with a CVN that does not
    /// take one; [`Error::InvalidKey`] for an IMK that is not 16 bytes or
    /// a missing `imk_ac` where the VIS PIN block needs it;
    /// [`Error::InvalidTlv`] without `9F26` or (but for Interac 133)
    /// `9F36`; [`Error::InvalidLength`] for one of another length.
    pub fn pin_change<D: DataObjects + ?Sized>(
        self,
        keys: &PinChangeKeys<'_>,
        pan: &Pan,
        psn: Psn,
        data: &D,
        pin: &Pin,
        current_pin: Option<&Pin>,
    ) -> Result<ScriptCommand, Error> {
        if current_pin.is_some() && !self.takes_current_pin() {
            return Err(Error::Unsupported);
        }
        Cvn::require_imk(keys.imk_smi)?;
        Cvn::require_imk(keys.imk_smc)?;
        let vis = match self {
            Cvn::Visa10 | Cvn::Visa18 => true,
            Cvn::Visa22 => current_pin.is_some(),
            _ => false,
        };
        let block = if vis {
            let imk_ac = keys.imk_ac.ok_or(Error::InvalidKey)?;
            let mk_ac = self.icc_master_key(imk_ac, pan, psn)?;
            vis_pin_block(&mk_ac, pin, current_pin)
        } else {
            iso2_pin_block(pin)
        };
        let smc = self.script_key_from_imk(keys.imk_smc, pan, psn, data)?;
        let smi = RetailMac::new(&self.script_key_from_imk(keys.imk_smi, pan, psn, data)?)?;
        let mut enciphered = Zeroizing::new([0u8; 16]);
        let n = encipher(
            self.encipherment(),
            &TdesCipher::new(&smc),
            block.as_slice(),
            enciphered.as_mut_slice(),
        )?;
        let enciphered = enciphered.get(..n).ok_or(Error::InvalidLength)?;
        let p2 = if current_pin.is_some() { 0x01 } else { 0x02 };
        let lc = u8::try_from(n.saturating_add(8)).map_err(|_| Error::InvalidLength)?;
        let header = [0x84, 0x24, 0x00, p2, lc];
        let mac = self.mac_command(&smi, data, &header, enciphered)?;
        let mut bytes = [0u8; PIN_CHANGE_MAX];
        let mut len = 0usize;
        for part in [&header[..], enciphered, &mac[..]] {
            let end = len.saturating_add(part.len());
            bytes
                .get_mut(len..end)
                .ok_or(Error::InvalidLength)?
                .copy_from_slice(part);
            len = end;
        }
        Ok(ScriptCommand { bytes, len })
    }
}

/// Enciphers `data` into `out` by `kind`; returns the length written.
fn encipher(
    kind: Encipherment,
    cipher: &TdesCipher,
    data: &[u8],
    out: &mut [u8],
) -> Result<usize, Error> {
    let n = data.len();
    let (start, total, pad) = match kind {
        Encipherment::Visa => (1usize, n.saturating_add(9) & !7, true),
        Encipherment::Mastercard if n & 7 == 0 => (0, n, false),
        Encipherment::Mastercard => (0, n.saturating_add(8) & !7, true),
    };
    let out = out.get_mut(..total).ok_or(Error::InvalidLength)?;
    out.fill(0);
    if kind == Encipherment::Visa {
        let len = u8::try_from(n).map_err(|_| Error::InvalidLength)?;
        if let Some(first) = out.first_mut() {
            *first = len;
        }
    }
    let end = start.saturating_add(n);
    out.get_mut(start..end)
        .ok_or(Error::InvalidLength)?
        .copy_from_slice(data);
    if pad && let Some(p) = out.get_mut(end) {
        *p = 0x80;
    }
    let mut chain = [0u8; 8];
    for chunk in out.chunks_exact_mut(8) {
        let block: &mut [u8; 8] = chunk.try_into().map_err(|_| Error::InvalidLength)?;
        if kind == Encipherment::Mastercard {
            for (b, c) in block.iter_mut().zip(chain) {
                *b ^= c;
            }
        }
        cipher.encrypt_block(block);
        chain = *block;
    }
    Ok(total)
}

/// The PIN's 14 digit nibbles after the first byte, right-padded with
/// `F`, packed into bytes 1 to 7 of `block`; constant time in the PIN's
/// digits and length.
fn pack_pin_f(pin: &Pin, block: &mut [u8; 8]) {
    let len = pin.len;
    for (i, b) in (0u8..).zip(block.iter_mut().skip(1)) {
        let hi = i.wrapping_mul(2);
        let lo = hi.wrapping_add(1);
        let nib = |p: u8| {
            let digit = pin.digit(usize::from(p));
            u8::conditional_select(&0x0F, &digit, p.ct_lt(&len))
        };
        *b = (nib(hi) << 4) | nib(lo);
    }
}

/// ISO 9564-1 format 2: `2N` then the PIN, `F`-padded.
fn iso2_pin_block(pin: &Pin) -> Zeroizing<[u8; 8]> {
    let mut block = Zeroizing::new([0u8; 8]);
    pack_pin_f(pin, &mut block);
    if let Some(first) = block.first_mut() {
        *first = 0x20 | (pin.len & 0x0F);
    }
    block
}

/// The VIS PIN block: `(00000000 ‖ MK_AC[4..8]) ⊕ (N ‖ PIN ‖ F…F)`, then ⊕
/// the current PIN's digits `0`-padded to 16 when it is given.
fn vis_pin_block(mk_ac: &TdesKey, pin: &Pin, current: Option<&Pin>) -> Zeroizing<[u8; 8]> {
    let mut block = Zeroizing::new([0u8; 8]);
    pack_pin_f(pin, &mut block);
    if let Some(first) = block.first_mut() {
        *first = pin.len;
    }
    let key = mk_ac.expose_secret();
    for (b, k) in block.iter_mut().skip(4).zip(key.iter().skip(4).take(4)) {
        *b ^= k;
    }
    if let Some(current) = current {
        // Past its length a PIN's digits read as 0: the `0` padding.
        for (i, b) in (0usize..).step_by(2).zip(block.iter_mut()) {
            *b ^= (current.digit(i) << 4) | current.digit(i.saturating_add(1));
        }
    }
    block
}

#[cfg(test)]
mod tests;
