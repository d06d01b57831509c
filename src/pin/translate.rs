//! PIN translation: from one key and format to another, with the clear PIN
//! only ever inside the kernel's wiped buffers.

use core::fmt;

use rand_core::TryCryptoRng;
use subtle::Choice;
use zeroize::Zeroizing;

use super::field::FillParts;
use super::{Fill, Format, Pin, PinBlock, PinBlockCipher};
use crate::ct::verdict;
use crate::{Error, Pan};

/// Blocks per batch of [`PinTranslator::translate_many`]: one bitsliced
/// DES pass.
const BATCH: usize = 64;

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
///
/// ```
/// use paykernel::Pan;
/// use paykernel::pin::{Format, PinBlockCipher, PinTranslator};
///
/// // A switch receives a format 0 block under the terminal's PIN key (ANSI
/// // X9.24-1:2009 Annex A.4, first transaction) and passes it on in format
/// // 4 under its AES zone PIN key.
/// let from = PinBlockCipher::new(
///     Format::Iso0,
///     &hex::decode("042666B49184CF5C68DE9628D0397B36").unwrap(),
/// )?;
/// let zone_key = hex::decode("00112233445566778899AABBCCDDEEFF").unwrap();
/// let to = PinBlockCipher::new(Format::Iso4, &zone_key)?;
/// let translator = PinTranslator::new(from, to);
///
/// let pan: Pan = "4012345678909".parse()?;
/// let incoming = hex::decode("1B9C1845EB993A7A").unwrap();
/// let outgoing = translator.translate(&incoming, Some(&pan), &mut getrandom::SysRng)?;
///
/// // The next hop opens it with the zone key.
/// let pin = PinBlockCipher::new(Format::Iso4, &zone_key)?
///     .decipher(outgoing.as_bytes(), Some(&pan))?;
/// assert_eq!(pin.expose_secret(), b"1234");
///
/// // A block that does not open under the terminal's key (a wrong PAN
/// // here) is refused, and nothing of it leaves the kernel.
/// let other: Pan = "4012345678919".parse()?;
/// assert!(translator.translate(&incoming, Some(&other), &mut getrandom::SysRng).is_err());
/// # Ok::<(), paykernel::Error>(())
/// ```
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
    /// [`Error::InvalidPan`] if a PAN is needed and none is given;
    /// [`Error::RngFailure`] if `rng` (a `rand_core` 0.10
    /// [`TryCryptoRng`]) fails; [`Error::InvalidKey`] when a key's key block forbids its side (an
    /// incoming key of mode `E`, an outgoing one of mode `D`:
    /// [`crate::keyblock::PinKey`]).
    pub fn translate<R: TryCryptoRng + ?Sized>(
        &self,
        block: &[u8],
        pan: Option<&Pan>,
        rng: &mut R,
    ) -> Result<PinBlock, Error> {
        self.run(block, pan, |to, _| {
            Ok((FillParts::random(to, rng)?, Choice::from(1)))
        })
    }

    /// Translates one block with the outgoing fill given explicitly (known
    /// answers). For formats 1 and 3 the fill must have 14 − (PIN length)
    /// nibbles, where the length is that of the PIN inside the block: this
    /// is checked with the block's other rules, in constant time.
    ///
    /// ```
    /// use paykernel::{Error, Pan};
    /// use paykernel::pin::{Fill, Format, PinBlockCipher, PinTranslator};
    /// // ANSI X9.24-1:2009 A.4: counter 1's format-0 block (PIN 1234, PAN
    /// // 4012345678909) from counter 1's PIN key to counter 2's: the annex's
    /// // counter-2 block (format 0 has no fill).
    /// let t = PinTranslator::new(
    ///     PinBlockCipher::new(Format::Iso0, &hex::decode("042666B49184CF5C68DE9628D0397B36").unwrap())?,
    ///     PinBlockCipher::new(Format::Iso0, &hex::decode("C46551CEF9FD244FAA9AD834130D3B38").unwrap())?,
    /// );
    /// assert_eq!((t.from_format(), t.to_format()), (Format::Iso0, Format::Iso0));
    /// assert!(t.uses_pan());
    /// let pan: Pan = "4012345678909".parse()?;
    /// let block = hex::decode("1B9C1845EB993A7A").unwrap();
    /// let out = t.translate_with_fill(&block, Some(&pan), &Fill::from_hex(b"")?)?;
    /// assert_eq!(hex::encode_upper(out.as_bytes()), "10A01C8D02C69107");
    ///
    /// // To format 3: the fill is 14 - 4 = 10 nibbles A to F; another
    /// // length is refused.
    /// let zone = hex::decode("C46551CEF9FD244FAA9AD834130D3B38").unwrap();
    /// let to3 = PinTranslator::new(
    ///     PinBlockCipher::new(Format::Iso0, &hex::decode("042666B49184CF5C68DE9628D0397B36").unwrap())?,
    ///     PinBlockCipher::new(Format::Iso3, &zone)?,
    /// );
    /// let out = to3.translate_with_fill(&block, Some(&pan), &Fill::from_hex(b"ABCDEFABCD")?)?;
    /// let pin = PinBlockCipher::new(Format::Iso3, &zone)?.decipher(out.as_bytes(), Some(&pan))?;
    /// assert_eq!(pin.expose_secret(), b"1234");
    /// assert_eq!(
    ///     to3.translate_with_fill(&block, Some(&pan), &Fill::from_hex(b"ABC")?).err(),
    ///     Some(Error::InvalidPinBlock)
    /// );
    /// # Ok::<(), paykernel::Error>(())
    /// ```
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
        self.run(block, pan, |to, len| Ok(FillParts::given(to, len, fill)))
    }

    /// Translates `blocks[i]` (with `pans[i]`) into `out[i]` for every `i`,
    /// with no allocation: one result per block, so that one bad block does
    /// not stop the batch. `pans` is ignored (and may be empty) when neither
    /// format uses a PAN.
    ///
    /// The answers are those of [`PinTranslator::translate`] on each block
    /// in turn (the fills are drawn from `rng` in the same order), but a
    /// TDES side deciphers or enciphers the whole batch at once, bitsliced
    /// 64 blocks at a time: the switch's hot path at a fraction of the
    /// per-block cost.
    ///
    /// ```
    /// use paykernel::pin::{Format, PinBlock, PinBlockCipher, PinTranslator};
    ///
    /// // A batch under one terminal key (ANSI X9.24-1:2009 Annex A.4,
    /// // transaction 1) to a zone key: one good block and one that does
    /// // not open; each gets its own result.
    /// let zone = hex::decode("0123456789ABCDEFFEDCBA9876543210").unwrap();
    /// let t = PinTranslator::new(
    ///     PinBlockCipher::new(Format::Iso0, &hex::decode("042666B49184CF5C68DE9628D0397B36").unwrap())?,
    ///     PinBlockCipher::new(Format::Iso0, &zone)?,
    /// );
    /// let blocks = [
    ///     PinBlock::from_slice(&hex::decode("1B9C1845EB993A7A").unwrap())?,
    ///     PinBlock::from_slice(&[0u8; 8])?, // does not open: refused alone
    /// ];
    /// let pans = ["4012345678909".parse()?, "4012345678909".parse()?];
    /// let mut out = [Err(paykernel::Error::Unsupported), Err(paykernel::Error::Unsupported)];
    /// t.translate_many(&blocks, &pans, &mut out, &mut getrandom::SysRng)?;
    /// assert!(out[0].is_ok());
    /// assert_eq!(out[1].as_ref().err(), Some(&paykernel::Error::InvalidPinBlock));
    /// let pin = PinBlockCipher::new(Format::Iso0, &zone)?
    ///     .decipher(out[0].as_ref().unwrap().as_bytes(), Some(&pans[0]))?;
    /// assert_eq!(pin.expose_secret(), b"1234");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidLength`] if `out` (or, when a PAN is needed, `pans`)
    /// is not as long as `blocks`; [`Error::InvalidKey`] when a key's key block forbids its side (an
    /// incoming key of mode `E`, an outgoing one of mode `D`:
    /// [`crate::keyblock::PinKey`]); in
    /// either case nothing is written.
    pub fn translate_many<R: TryCryptoRng + ?Sized>(
        &self,
        blocks: &[PinBlock],
        pans: &[Pan],
        out: &mut [Result<PinBlock, Error>],
        rng: &mut R,
    ) -> Result<(), Error> {
        self.from.may_decipher()?;
        self.to.may_encipher()?;
        if out.len() != blocks.len() {
            return Err(Error::InvalidLength);
        }
        let pans: &[Pan] = if self.uses_pan() {
            if pans.len() != blocks.len() {
                return Err(Error::InvalidLength);
            }
            pans
        } else {
            &[]
        };
        for ((b, o), start) in blocks
            .chunks(BATCH)
            .zip(out.chunks_mut(BATCH))
            .zip((0usize..).step_by(BATCH))
        {
            let p = pans.get(start..).unwrap_or(&[]);
            self.translate_batch(b, p, o, rng);
        }
        Ok(())
    }

    /// One batch of at most [`BATCH`] blocks: open them all (a TDES side
    /// in one bitsliced call), re-encode each with its fill, seal them all.
    /// `pans` is empty when no format uses a PAN.
    fn translate_batch<R: TryCryptoRng + ?Sized>(
        &self,
        blocks: &[PinBlock],
        pans: &[Pan],
        out: &mut [Result<PinBlock, Error>],
        rng: &mut R,
    ) {
        let pan_at = |i: usize| pans.get(i);
        let to = self.to.format();
        // What each block became: its PIN and verdict, or a refusal that
        // does not depend on a secret (a block of the wrong size).
        let mut pins: [Pin; BATCH] = core::array::from_fn(|_| Pin::empty());
        let mut oks = [Choice::from(0); BATCH];
        let mut refused: [Option<Error>; BATCH] = [None; BATCH];
        let mut buf = Zeroizing::new([[0u8; 8]; BATCH]);
        let n = blocks.len();
        match self.from.tdes_engine() {
            Some(c) => {
                for ((slot, r), b) in buf.iter_mut().zip(refused.iter_mut()).zip(blocks) {
                    match <[u8; 8]>::try_from(b.as_bytes()) {
                        Ok(bytes) => *slot = bytes,
                        Err(_) => *r = Some(Error::InvalidPinBlock),
                    }
                }
                c.decrypt_blocks(buf.get_mut(..n).unwrap_or(&mut []));
                for (i, (((pin, ok), r), d)) in pins
                    .iter_mut()
                    .zip(oks.iter_mut())
                    .zip(refused.iter())
                    .zip(buf.iter())
                    .take(n)
                    .enumerate()
                {
                    if r.is_none() {
                        *ok = self.from.tdes_open_decrypted(d, pan_at(i), pin);
                    }
                }
            }
            None => {
                for (i, (((pin, ok), r), b)) in pins
                    .iter_mut()
                    .zip(oks.iter_mut())
                    .zip(refused.iter_mut())
                    .zip(blocks)
                    .enumerate()
                {
                    match self.from.open_pin(b.as_bytes(), pan_at(i), pin) {
                        Ok(c) => *ok = c,
                        Err(e) => *r = Some(e),
                    }
                }
            }
        }
        // Seal every block that opened, drawing its fill in block order,
        // as `translate` would.
        match self.to.tdes_engine() {
            Some(c) => {
                for (i, ((slot, pin), r)) in buf
                    .iter_mut()
                    .zip(pins.iter())
                    .zip(refused.iter_mut())
                    .take(n)
                    .enumerate()
                {
                    if r.is_none() {
                        match FillParts::random(to, rng) {
                            Ok(parts) => *slot = *self.to.tdes_plain(pin, &parts, pan_at(i)),
                            Err(e) => *r = Some(e),
                        }
                    }
                }
                c.encrypt_blocks(buf.get_mut(..n).unwrap_or(&mut []));
                for ((o, (slot, ok)), r) in out
                    .iter_mut()
                    .zip(buf.iter().zip(oks.iter()))
                    .zip(refused.iter())
                {
                    *o = match r {
                        Some(e) => Err(*e),
                        None => verdict(PinBlock::tdes(*slot), *ok, Error::InvalidPinBlock),
                    };
                }
            }
            None => {
                for (i, ((o, (pin, ok)), r)) in out
                    .iter_mut()
                    .zip(pins.iter().zip(oks.iter()))
                    .zip(refused.iter())
                    .enumerate()
                {
                    *o = match r {
                        Some(e) => Err(*e),
                        None => FillParts::random(to, rng).and_then(|parts| {
                            self.to
                                .seal_pin(pin, pan_at(i), &parts)
                                .and_then(|b| verdict(b, *ok, Error::InvalidPinBlock))
                        }),
                    };
                }
            }
        }
    }

    fn run(
        &self,
        block: &[u8],
        pan: Option<&Pan>,
        fill: impl FnOnce(Format, u8) -> Result<(FillParts, Choice), Error>,
    ) -> Result<PinBlock, Error> {
        run(&self.from, &self.to, block, pan, fill)
    }
}

/// One translation from `from` to `to`, both borrowed: for callers that
/// make the incoming key per message (a DUKPT host's PIN key) and keep the
/// outgoing one (the zone key) for every message. The same checks and the
/// same single verdict as [`PinTranslator::translate`].
pub(crate) fn translate_between<R: TryCryptoRng + ?Sized>(
    from: &PinBlockCipher,
    to: &PinBlockCipher,
    block: &[u8],
    pan: Option<&Pan>,
    rng: &mut R,
) -> Result<PinBlock, Error> {
    run(from, to, block, pan, |to, _| {
        Ok((FillParts::random(to, rng)?, Choice::from(1)))
    })
}

/// Translates TDES PIN blocks (formats 0 to 3) each enciphered under its
/// own key (`keys[i]`, format `formats[i]`, PAN `pans[i]`) to `to`, into
/// `out[i]`: every block decrypted in one bitsliced pass, decoded and
/// re-encoded one by one (the outgoing fills drawn in order), and, when
/// `to` is TDES, every outgoing block enciphered in one pass. The same
/// checks and verdicts as [`translate_between`] on each block; a DUKPT
/// host's batch, whose PIN keys differ per message. At most [`BATCH`]
/// blocks; the slices must have one length.
pub(crate) fn translate_tdes_many<R: TryCryptoRng + ?Sized>(
    keys: &[crate::TdesKey],
    formats: &[Format],
    blocks: &[&[u8]],
    pans: &[Option<&Pan>],
    to: &PinBlockCipher,
    out: &mut [Result<PinBlock, Error>],
    rng: &mut R,
) -> Result<(), Error> {
    to.may_encipher()?;
    let n = keys.len();
    if n > BATCH
        || formats.len() != n
        || blocks.len() != n
        || pans.len() != n
        || out.len() != n
        || formats.contains(&Format::Iso4)
    {
        return Err(Error::InvalidLength);
    }
    let mut refused: [Option<Error>; BATCH] = [None; BATCH];
    let mut buf = Zeroizing::new([[0u8; 8]; BATCH]);
    for (i, ((slot, r), b)) in buf
        .iter_mut()
        .zip(refused.iter_mut())
        .zip(blocks)
        .enumerate()
    {
        let from_pan = formats.get(i).is_some_and(|f| f.uses_pan());
        let pan = pans.get(i).copied().flatten();
        match <[u8; 8]>::try_from(*b) {
            Err(_) => *r = Some(Error::InvalidPinBlock),
            Ok(_) if (from_pan || to.format().uses_pan()) && pan.is_none() => {
                *r = Some(Error::InvalidPan);
            }
            Ok(bytes) => *slot = bytes,
        }
    }
    let result = crate::tdes_decrypt_many(keys, buf.get_mut(..n).unwrap_or(&mut []));
    let mut pins: [Pin; BATCH] = core::array::from_fn(|_| Pin::empty());
    let mut oks = [Choice::from(0); BATCH];
    for (i, ((pin, ok), d)) in pins
        .iter_mut()
        .zip(oks.iter_mut())
        .zip(buf.iter())
        .take(n)
        .enumerate()
    {
        if let (Some(None), Some(f)) = (refused.get(i), formats.get(i)) {
            *ok = super::block::open_tdes_decrypted(*f, d, pans.get(i).copied().flatten(), pin);
        }
    }
    let fmt = to.format();
    match to.tdes_engine() {
        Some(c) => {
            for (i, ((slot, pin), r)) in buf
                .iter_mut()
                .zip(pins.iter())
                .zip(refused.iter_mut())
                .take(n)
                .enumerate()
            {
                if r.is_none() {
                    match FillParts::random(fmt, rng) {
                        Ok(parts) => {
                            *slot = *to.tdes_plain(pin, &parts, pans.get(i).copied().flatten());
                        }
                        Err(e) => *r = Some(e),
                    }
                }
            }
            c.encrypt_blocks(buf.get_mut(..n).unwrap_or(&mut []));
            for ((o, (slot, ok)), r) in out
                .iter_mut()
                .zip(buf.iter().zip(oks.iter()))
                .zip(refused.iter())
            {
                *o = match r {
                    Some(e) => Err(*e),
                    None => verdict(PinBlock::tdes(*slot), *ok, Error::InvalidPinBlock),
                };
            }
        }
        None => {
            for (i, ((o, (pin, ok)), r)) in out
                .iter_mut()
                .zip(pins.iter().zip(oks.iter()))
                .zip(refused.iter())
                .enumerate()
            {
                *o = match r {
                    Some(e) => Err(*e),
                    None => FillParts::random(fmt, rng).and_then(|parts| {
                        to.seal_pin(pin, pans.get(i).copied().flatten(), &parts)
                            .and_then(|b| verdict(b, *ok, Error::InvalidPinBlock))
                    }),
                };
            }
        }
    }
    result
}

fn run(
    from: &PinBlockCipher,
    to: &PinBlockCipher,
    block: &[u8],
    pan: Option<&Pan>,
    fill: impl FnOnce(Format, u8) -> Result<(FillParts, Choice), Error>,
) -> Result<PinBlock, Error> {
    from.may_decipher()?;
    to.may_encipher()?;
    if block.len() != from.format().block_len() {
        return Err(Error::InvalidPinBlock);
    }
    if (from.format().uses_pan() || to.format().uses_pan()) && pan.is_none() {
        return Err(Error::InvalidPan);
    }
    let mut pin = Pin::empty();
    let mut ok = from.open_pin(block, pan, &mut pin)?;
    let (parts, fill_ok) = fill(to.format(), pin.len)?;
    ok &= fill_ok;
    let out = to.seal_pin(&pin, pan, &parts)?;
    verdict(out, ok, Error::InvalidPinBlock)
}

impl fmt::Debug for PinTranslator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PinTranslator")
            .field("from", &self.from.format())
            .field("to", &self.to.format())
            .finish_non_exhaustive()
    }
}
