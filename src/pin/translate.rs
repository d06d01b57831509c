//! PIN translation: from one key and format to another, with the clear PIN
//! only ever inside the kernel's wiped buffers.

use core::fmt;

use rand_core::CryptoRng;
use subtle::Choice;

use super::field::FillParts;
use super::{Fill, Format, Pin, PinBlock, PinBlockCipher};
use crate::ct::verdict;
use crate::{Error, Pan};

/// Translates PIN blocks from one key and format (`from`) to another
/// (`to`), as a switch does between a terminal's key and the next hop's.
///
/// Both key schedules are made once. Any pair of formats is accepted,
/// TDES ↔ AES included; the PAN is needed when either format uses one, and
/// the same PAN is used on both sides. Which translations a system may
/// perform is policy (PCI PIN Security, for instance, restricts
/// translation out of PAN-bound formats into format 1): the caller decides,
/// from [`PinTranslator::from_format`] and [`PinTranslator::to_format`].
///
/// The incoming block is deciphered and checked against every rule of its
/// format, and the PIN is re-encoded and enciphered under `to` whether or
/// not it passed: the only branch on the outcome is the final conversion
/// to a `Result`. The clear PIN field and the PIN are held in buffers that
/// are wiped before the call returns, and are never returned.
pub struct PinTranslator {
    from: PinBlockCipher,
    to: PinBlockCipher,
}

impl PinTranslator {
    /// A translator from `from`'s key and format to `to`'s.
    #[must_use]
    pub fn new(from: PinBlockCipher, to: PinBlockCipher) -> PinTranslator {
        PinTranslator { from, to }
    }

    /// The incoming format.
    #[must_use]
    pub fn from_format(&self) -> Format {
        self.from.format()
    }

    /// The outgoing format.
    #[must_use]
    pub fn to_format(&self) -> Format {
        self.to.format()
    }

    /// Whether a PAN is needed: either format uses one.
    #[must_use]
    pub fn uses_pan(&self) -> bool {
        self.from.format().uses_pan() || self.to.format().uses_pan()
    }

    /// Translates one block, drawing the outgoing format's random fill from
    /// `rng`.
    ///
    /// # Errors
    /// [`Error::InvalidPinBlock`] for a block of the wrong size for the
    /// incoming format or one that breaks a rule of it;
    /// [`Error::InvalidPan`] if a PAN is needed and none is given.
    pub fn translate<R: CryptoRng + ?Sized>(
        &self,
        block: &[u8],
        pan: Option<&Pan>,
        rng: &mut R,
    ) -> Result<PinBlock, Error> {
        self.run(block, pan, |to, _| {
            (FillParts::random(to, rng), Choice::from(1))
        })
    }

    /// Translates one block with the outgoing fill given explicitly (known
    /// answers). For formats 1 and 3 the fill must have 14 − (PIN length)
    /// nibbles, where the length is that of the PIN inside the block: this
    /// is checked with the block's other rules, in constant time.
    ///
    /// # Errors
    /// As [`PinTranslator::translate`]; and [`Error::InvalidPinBlock`] for
    /// a fill that does not suit the outgoing format and the PIN.
    pub fn translate_with_fill(
        &self,
        block: &[u8],
        pan: Option<&Pan>,
        fill: &Fill,
    ) -> Result<PinBlock, Error> {
        self.run(block, pan, |to, len| FillParts::given(to, len, fill))
    }

    /// Translates `blocks[i]` (with `pans[i]`) into `out[i]` for every `i`,
    /// with no allocation: one result per block, so that one bad block does
    /// not stop the batch. `pans` is ignored (and may be empty) when neither
    /// format uses a PAN.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] if `out` (or, when a PAN is needed, `pans`)
    /// is not as long as `blocks`; then nothing is written.
    pub fn translate_many<R: CryptoRng + ?Sized>(
        &self,
        blocks: &[PinBlock],
        pans: &[Pan],
        out: &mut [Result<PinBlock, Error>],
        rng: &mut R,
    ) -> Result<(), Error> {
        if out.len() != blocks.len() {
            return Err(Error::InvalidLength);
        }
        if self.uses_pan() {
            if pans.len() != blocks.len() {
                return Err(Error::InvalidLength);
            }
            for ((o, b), p) in out.iter_mut().zip(blocks).zip(pans) {
                *o = self.translate(b.as_bytes(), Some(p), rng);
            }
        } else {
            for (o, b) in out.iter_mut().zip(blocks) {
                *o = self.translate(b.as_bytes(), None, rng);
            }
        }
        Ok(())
    }

    fn run(
        &self,
        block: &[u8],
        pan: Option<&Pan>,
        fill: impl FnOnce(Format, u8) -> (FillParts, Choice),
    ) -> Result<PinBlock, Error> {
        if block.len() != self.from.format().block_len() {
            return Err(Error::InvalidPinBlock);
        }
        if self.uses_pan() && pan.is_none() {
            return Err(Error::InvalidPan);
        }
        let mut pin = Pin::empty();
        let mut ok = self.from.open_pin(block, pan, &mut pin)?;
        let (parts, fill_ok) = fill(self.to.format(), pin.len);
        ok &= fill_ok;
        let out = self.to.seal_pin(&pin, pan, &parts)?;
        verdict(out, ok, Error::InvalidPinBlock)
    }
}

impl fmt::Debug for PinTranslator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PinTranslator")
            .field("from", &self.from.format())
            .field("to", &self.to.format())
            .finish_non_exhaustive()
    }
}
