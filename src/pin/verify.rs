//! PIN verification from the enciphered PIN block: the issuer host's call
//! (payShield DC/EC/DA/EA, AWS Payment Cryptography `VerifyPinData`).
//!
//! The block is deciphered and checked as [`PinBlockCipher::decipher`]
//! does; the PIN goes straight into the verification method (Visa PVV or
//! IBM 3624 offset) and the answer is one bit. The clear PIN lives only in
//! wiped buffers inside this call and is never returned.

use core::fmt;

use subtle::Choice;
use zeroize::Zeroizing;

use super::{Pin, PinBlock, PinBlockCipher};
use crate::card::{Ibm3624, Offset, Pvki, Pvv, VisaPvv};
use crate::ct::verdict;
use crate::{Error, Pan};

/// Blocks per batch of the `verify_many` calls: one bitsliced DES pass.
const BATCH: usize = 64;

/// Verifies PINs from enciphered PIN blocks against the issuer's
/// reference values, without the clear PIN leaving the kernel.
///
/// Built once from the PIN block key (any ISO 9564 format, TDES or AES:
/// a [`PinBlockCipher`]) and the verification method, whose key schedule
/// it holds: a [`VisaPvv`] (the PVK) or an [`Ibm3624`] (PVK, decimalization
/// table and validation data). Then:
///
/// - `PinVerifier<VisaPvv>::verify(block, pan, pvki, &pvv)`;
/// - `PinVerifier<Ibm3624>::verify(block, pan, &offset)`: the PIN must have
///   as many digits as the offset, and that offset;
/// - `verify_many` for a batch, TDES blocks bitsliced 64 at a time.
///
/// The answer is `Ok(Choice)`, computed without a branch on the PIN, the
/// reference value or any key; `bool::from` it once the `Result` is
/// matched. (Not a `bool`: in a `Result<bool, _>` the answer shares its
/// byte with the `Ok`/`Err` tag, so that matching the `Result` would read
/// it; a `Choice` has a tag byte of its own, which the format verdict
/// alone sets.) A block that breaks its format's rules
/// (which a wrong key or PAN usually causes) is
/// [`Error::InvalidPinBlock`], as [`PinBlockCipher::decipher`] refuses it:
/// that verdict is the only secret-derived branch (the kernel's one
/// declassification point). Other refusals are public: a block of the
/// wrong size, then (IBM 3624) validation data that runs past the PAN.
///
/// # Example
/// A format 0 block of PIN 4524 for PAN 1122334455667788 under a PIN key,
/// checked against the PVV psec 1.3.0 gives for that PIN (PVKI 3, 4021).
/// ```
/// use paykernel::card::{Pvki, Pvv, VisaPvv};
/// use paykernel::pin::{Fill, Format, Pin, PinBlockCipher, PinVerifier};
/// use paykernel::{Pan, TdesKey};
///
/// let pin_key = [0x11u8; 16];
/// let pvk = TdesKey::from_slice(&[
///     0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
/// ])?;
/// let pan: Pan = "1122334455667788".parse()?;
/// // The terminal's side: the cardholder types 4524.
/// let block = PinBlockCipher::new(Format::Iso0, &pin_key)?
///     .encipher_with_fill(&Pin::from_digits(b"4524")?, Some(&pan), &Fill::from_hex(b"")?)?;
///
/// // The issuer's side: built once, used for every authorisation.
/// let verifier = PinVerifier::new(
///     PinBlockCipher::new(Format::Iso0, &pin_key)?,
///     VisaPvv::new(&pvk),
/// );
/// let pvki: Pvki = "3".parse()?;
/// let ok = verifier.verify(block.as_bytes(), &pan, pvki, &Pvv::from_digits(b"4021")?)?;
/// assert!(bool::from(ok));
/// let ok = verifier.verify(block.as_bytes(), &pan, pvki, &Pvv::from_digits(b"4022")?)?;
/// assert!(!bool::from(ok));
/// # Ok::<(), paykernel::Error>(())
/// ```
pub struct PinVerifier<M> {
    pin_key: PinBlockCipher,
    method: M,
}

impl<M> PinVerifier<M> {
    /// The PIN block key and format, and the verification method.
    #[must_use]
    pub fn new(pin_key: PinBlockCipher, method: M) -> PinVerifier<M> {
        PinVerifier { pin_key, method }
    }

    /// The PIN block cipher (its format tells which blocks it takes).
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// use paykernel::card::VisaPvv;
    /// use paykernel::pin::{Format, PinBlockCipher, PinVerifier};
    /// let pvk = TdesKey::from_slice(&[0x11; 16])?;
    /// let verifier = PinVerifier::new(PinBlockCipher::new(Format::Iso3, &[0x22; 16])?, VisaPvv::new(&pvk));
    /// assert_eq!(verifier.pin_key().format(), Format::Iso3);
    /// let _method: &VisaPvv = verifier.method();
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn pin_key(&self) -> &PinBlockCipher {
        &self.pin_key
    }

    /// The verification method.
    #[must_use]
    pub fn method(&self) -> &M {
        &self.method
    }

    /// Deciphers `block` (the PAN is given whatever the format: the
    /// methods need it) and answers `check` on its PIN, refusing a block
    /// that breaks its format's rules through the one verdict.
    fn run(
        &self,
        block: &[u8],
        pan: &Pan,
        check: impl FnOnce(&Pin) -> Result<Choice, Error>,
    ) -> Result<Choice, Error> {
        self.pin_key.may_decipher()?;
        let mut pin = Pin::empty();
        let format_ok = self.pin_key.open_pin(block, Some(pan), &mut pin)?;
        // The verdict carries the PIN itself, as `decipher`'s does: a
        // `Result` of a one-byte `Choice` comes back in registers, and the
        // compiler then computes its tag from `format_ok` on both sides of
        // the verdict's branch, handing the caller a tag that depends on
        // the secret. After the verdict only public control flow is left,
        // and the match is computed without a branch.
        let pin = verdict(pin, format_ok, Error::InvalidPinBlock)?;
        check(&pin)
    }

    /// One batch of at most [`BATCH`] blocks: each is opened (a TDES key
    /// in one bitsliced call), then `encipher_input` gives the block the
    /// method enciphers for it (or a public refusal), those are enciphered
    /// under the method's key in one bitsliced call, and `matches` says
    /// whether each PIN matches.
    fn batch(
        &self,
        blocks: &[PinBlock],
        pans: &[Pan],
        out: &mut [Result<Choice, Error>],
        method_cipher: &crate::cipher::TdesCipher,
        encipher_input: impl Fn(usize, &Pin, &Pan) -> Result<Zeroizing<[u8; 8]>, Error>,
        matches: impl Fn(usize, &[u8; 8], &Pin) -> Choice,
    ) {
        let n = blocks.len();
        let mut pins: [Pin; BATCH] = core::array::from_fn(|_| Pin::empty());
        let mut oks = [Choice::from(0); BATCH];
        let mut refused: [Option<Error>; BATCH] = [None; BATCH];
        let mut buf = Zeroizing::new([[0u8; 8]; BATCH]);
        match self.pin_key.tdes_engine() {
            Some(c) => {
                for ((slot, r), b) in buf.iter_mut().zip(refused.iter_mut()).zip(blocks) {
                    match <[u8; 8]>::try_from(b.as_bytes()) {
                        Ok(bytes) => *slot = bytes,
                        Err(_) => *r = Some(Error::InvalidPinBlock),
                    }
                }
                c.decrypt_blocks(buf.get_mut(..n).unwrap_or(&mut []));
                for ((((pin, ok), r), d), pan) in pins
                    .iter_mut()
                    .zip(oks.iter_mut())
                    .zip(refused.iter())
                    .zip(buf.iter())
                    .zip(pans)
                {
                    if r.is_none() {
                        *ok = self.pin_key.tdes_open_decrypted(d, Some(pan), pin);
                    }
                }
            }
            None => {
                for ((((pin, ok), r), b), pan) in pins
                    .iter_mut()
                    .zip(oks.iter_mut())
                    .zip(refused.iter_mut())
                    .zip(blocks)
                    .zip(pans)
                {
                    match self.pin_key.open_pin(b.as_bytes(), Some(pan), pin) {
                        Ok(c) => *ok = c,
                        Err(e) => *r = Some(e),
                    }
                }
            }
        }
        // What the method enciphers for each opened block.
        for (i, ((slot, r), (pin, pan))) in buf
            .iter_mut()
            .zip(refused.iter_mut())
            .zip(pins.iter().zip(pans))
            .enumerate()
            .take(n)
        {
            if r.is_none() {
                match encipher_input(i, pin, pan) {
                    Ok(input) => *slot = *input,
                    Err(e) => *r = Some(e),
                }
            }
        }
        method_cipher.encrypt_blocks(buf.get_mut(..n).unwrap_or(&mut []));
        for (i, (o, (((slot, pin), ok), r))) in out
            .iter_mut()
            .zip(
                buf.iter()
                    .zip(pins.iter_mut())
                    .zip(oks.iter())
                    .zip(refused.iter()),
            )
            .enumerate()
        {
            *o = match r {
                Some(e) => Err(*e),
                // The PIN through the verdict, as in `run`.
                None => verdict(
                    core::mem::replace(pin, Pin::empty()),
                    *ok,
                    Error::InvalidPinBlock,
                )
                .map(|pin| matches(i, slot, &pin)),
            };
        }
    }

    /// Checks the lengths of a batch and runs it in chunks of [`BATCH`].
    fn many(
        &self,
        blocks: &[PinBlock],
        pans: &[Pan],
        refs: usize,
        out: &mut [Result<Choice, Error>],
        mut chunk: impl FnMut(&[PinBlock], &[Pan], &mut [Result<Choice, Error>], usize),
    ) -> Result<(), Error> {
        self.pin_key.may_decipher()?;
        let n = blocks.len();
        if pans.len() != n || refs != n || out.len() != n {
            return Err(Error::InvalidLength);
        }
        for (((b, p), o), start) in blocks
            .chunks(BATCH)
            .zip(pans.chunks(BATCH))
            .zip(out.chunks_mut(BATCH))
            .zip((0usize..).step_by(BATCH))
        {
            chunk(b, p, o, start);
        }
        Ok(())
    }
}

impl PinVerifier<VisaPvv> {
    /// Whether the PIN in `block` has the PVV `pvv` (with key index
    /// `pvki`) for this card.
    ///
    /// ```
    /// use paykernel::card::{Pvv, VisaPvv};
    /// use paykernel::pin::{Format, PinBlockCipher, PinVerifier};
    /// use paykernel::{Error, TdesKey};
    ///
    /// // vectors/card-verification-independent.json `verify-f0-pvv-01`
    /// // (the block by psec 1.3.0, the PVV by psec's generate_visa_pvv).
    /// let verifier = PinVerifier::new(
    ///     PinBlockCipher::new(Format::Iso0, &[0x10, 0xCF, 0x62, 0x4D, 0x3B, 0x24, 0xFD, 0x09])?,
    ///     VisaPvv::new(&TdesKey::from_slice(&[
    ///         0x70, 0x21, 0x5F, 0x10, 0x8D, 0x10, 0x36, 0xE7,
    ///         0xC5, 0xE5, 0x87, 0x75, 0xB3, 0xF3, 0x1F, 0x50,
    ///     ])?),
    /// );
    /// let pan = "972357482376".parse()?;
    /// let block = [0x01, 0xF3, 0xC7, 0x05, 0x53, 0x1A, 0x22, 0x9A];
    /// let ok = verifier.verify(&block, &pan, "0".parse()?, &Pvv::from_digits(b"7583")?)?;
    /// assert!(bool::from(ok));
    /// let ok = verifier.verify(&block, &pan, "0".parse()?, &Pvv::from_digits(b"7584")?)?;
    /// assert!(!bool::from(ok));
    /// // A block of the wrong size is refused.
    /// let r = verifier.verify(&block[..7], &pan, "0".parse()?, &Pvv::from_digits(b"7583")?);
    /// assert_eq!(r.err(), Some(Error::InvalidPinBlock));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidPinBlock`] for a block of the wrong size for the
    /// format or one that breaks a rule of it; [`Error::InvalidKey`] when the PIN key's key block
    /// allows only enciphering (mode `E`: [`crate::keyblock::PinKey`]).
    pub fn verify(&self, block: &[u8], pan: &Pan, pvki: Pvki, pvv: &Pvv) -> Result<Choice, Error> {
        self.run(block, pan, |pin| Ok(self.method.check(pvki, pin, pan, pvv)))
    }

    /// [`PinVerifier::verify`] for every `i`: `blocks[i]`, `pans[i]`,
    /// `pvkis[i]` and `pvvs[i]`, answer into `out[i]`; one bad block does
    /// not stop the batch. No allocation; TDES blocks and the PVV
    /// encipherments go through the bitsliced DES 64 at a time.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] when the slices differ in length;
    /// [`Error::InvalidKey`] when the PIN key's key block allows only
    /// enciphering; in either case nothing is written.
    ///
    /// # Example
    /// Two cards with PIN 4524, one block of PIN 4525, one block of the
    /// wrong size; the PVVs psec 1.3.0 gives for PIN 4524 under this PVK
    /// (PVKI 3 and 1).
    /// ```
    /// use paykernel::card::{Pvki, Pvv, VisaPvv};
    /// use paykernel::pin::{Fill, Format, Pin, PinBlock, PinBlockCipher, PinVerifier};
    /// use paykernel::{Error, Pan, TdesKey};
    ///
    /// let pin_key = [0x11u8; 16];
    /// let pvk = TdesKey::from_slice(&[
    ///     0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    /// ])?;
    /// let pan: Pan = "1122334455667788".parse()?;
    /// let terminal = PinBlockCipher::new(Format::Iso0, &pin_key)?;
    /// let block = |pin: &[u8]| -> Result<PinBlock, Error> {
    ///     terminal.encipher_with_fill(&Pin::from_digits(pin)?, Some(&pan), &Fill::from_hex(b"")?)
    /// };
    /// let blocks = [block(b"4524")?, block(b"4524")?, block(b"4525")?, PinBlock::from_slice(&[0; 16])?];
    /// let pans = [pan; 4];
    /// let pvkis: [Pvki; 4] = ["3".parse()?, "1".parse()?, "3".parse()?, "3".parse()?];
    /// let pvvs = [
    ///     Pvv::from_digits(b"4021")?,
    ///     Pvv::from_digits(b"8523")?,
    ///     Pvv::from_digits(b"4021")?,
    ///     Pvv::from_digits(b"4021")?,
    /// ];
    /// let verifier = PinVerifier::new(
    ///     PinBlockCipher::new(Format::Iso0, &pin_key)?,
    ///     VisaPvv::new(&pvk),
    /// );
    /// let mut out = [Err(Error::Unsupported); 4];
    /// verifier.verify_many(&blocks, &pans, &pvkis, &pvvs, &mut out)?;
    /// assert_eq!(
    ///     out.map(|r| r.map(bool::from)),
    ///     [Ok(true), Ok(true), Ok(false), Err(Error::InvalidPinBlock)]
    /// );
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    pub fn verify_many(
        &self,
        blocks: &[PinBlock],
        pans: &[Pan],
        pvkis: &[Pvki],
        pvvs: &[Pvv],
        out: &mut [Result<Choice, Error>],
    ) -> Result<(), Error> {
        if pvkis.len() != blocks.len() {
            return Err(Error::InvalidLength);
        }
        self.many(blocks, pans, pvvs.len(), out, |b, p, o, start| {
            let pvkis = pvkis.get(start..).unwrap_or(&[]);
            let pvvs = pvvs.get(start..).unwrap_or(&[]);
            self.batch(
                b,
                p,
                o,
                self.method.cipher(),
                |i, pin, pan| {
                    let pvki = pvkis.get(i).ok_or(Error::InvalidLength)?;
                    Ok(crate::card::pvv_tsp(*pvki, pin, pan))
                },
                |i, enciphered, _| {
                    pvvs.get(i).map_or(Choice::from(0), |pvv| {
                        crate::card::pvv_matches_enciphered(enciphered, pvv)
                    })
                },
            );
        })
    }
}

impl PinVerifier<Ibm3624> {
    /// Whether the PIN in `block` has as many digits as `offset` and
    /// `offset` is its IBM 3624 offset for this card.
    ///
    /// ```
    /// use paykernel::card::{Ibm3624, Offset, ValidationData};
    /// use paykernel::pin::{Format, PinBlockCipher, PinVerifier};
    /// use paykernel::TdesKey;
    ///
    /// // vectors/card-verification-independent.json `verify-f0-ibm-01`
    /// // (the block by psec 1.3.0, the offset by psec's
    /// // generate_ibm3624_offset): 9 PAN digits from the fourth, padded
    /// // with 3.
    /// let method = Ibm3624::new(
    ///     &TdesKey::from_slice(&[0xBD, 0x44, 0xAB, 0xB5, 0x7A, 0xCF, 0x1A, 0xD5])?,
    ///     "6170982740536528".parse()?,
    ///     ValidationData::new(3, 9, b'3')?,
    /// );
    /// let verifier = PinVerifier::new(
    ///     PinBlockCipher::new(Format::Iso0, &[0x10, 0xCF, 0x62, 0x4D, 0x3B, 0x24, 0xFD, 0x09])?,
    ///     method,
    /// );
    /// let pan = "972357482376".parse()?;
    /// let block = [0x01, 0xF3, 0xC7, 0x05, 0x53, 0x1A, 0x22, 0x9A];
    /// assert!(bool::from(verifier.verify(&block, &pan, &Offset::from_digits(b"5671")?)?));
    /// assert!(!bool::from(verifier.verify(&block, &pan, &Offset::from_digits(b"5672")?)?));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidPinBlock`] for a block of the wrong size for the
    /// format or one that breaks a rule of it; [`Error::InvalidLength`]
    /// when the method's validation data runs past the end of `pan`; [`Error::InvalidKey`] when the PIN key's key block
    /// allows only enciphering (mode `E`: [`crate::keyblock::PinKey`]).
    pub fn verify(&self, block: &[u8], pan: &Pan, offset: &Offset) -> Result<Choice, Error> {
        // Public refusals first, in the batch's order: the block's size,
        // then the validation data against the PAN.
        if block.len() != self.pin_key.format().block_len() {
            return Err(Error::InvalidPinBlock);
        }
        self.method.validation().block(pan)?;
        self.run(block, pan, |pin| self.method.verify(pin, pan, offset))
    }

    /// [`PinVerifier::verify`] for every `i`: `blocks[i]`, `pans[i]` and
    /// `offsets[i]`, answer into `out[i]`; as the PVV batch.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] when the slices differ in length;
    /// [`Error::InvalidKey`] when the PIN key's key block allows only
    /// enciphering; in either case nothing is written.
    ///
    /// # Example
    /// psec 1.3.0: with table `1234567890123456` and the whole PAN padded
    /// with F, PIN 1234 has offset 7710 and the natural PIN 4524 offset
    /// 0000 under this PVK.
    /// ```
    /// use paykernel::card::{DecimalizationTable, Ibm3624, Offset, ValidationData};
    /// use paykernel::pin::{Fill, Format, Pin, PinBlock, PinBlockCipher, PinVerifier};
    /// use paykernel::{Error, Pan, TdesKey};
    ///
    /// let pin_key = [0x22u8; 32];
    /// let pvk = TdesKey::from_slice(&[
    ///     0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
    ///     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    /// ])?;
    /// let pan: Pan = "1122334455667788".parse()?;
    /// let terminal = PinBlockCipher::new(Format::Iso4, &pin_key)?;
    /// let fill = Fill::from_hex(b"0123456789ABCDEF")?;
    /// let block = |pin: &[u8]| terminal.encipher_with_fill(&Pin::from_digits(pin)?, Some(&pan), &fill);
    /// let blocks = [block(b"1234")?, block(b"4524")?, block(b"45240")?];
    /// let offsets = [
    ///     Offset::from_digits(b"7710")?,
    ///     Offset::from_digits(b"0000")?,
    ///     Offset::from_digits(b"0000")?,
    /// ];
    /// let method = Ibm3624::new(
    ///     &pvk,
    ///     DecimalizationTable::from_digits(b"1234567890123456")?,
    ///     ValidationData::new(0, 16, b'F')?,
    /// );
    /// let verifier = PinVerifier::new(PinBlockCipher::new(Format::Iso4, &pin_key)?, method);
    /// let mut out = [Err(Error::Unsupported); 3];
    /// verifier.verify_many(&blocks, &[pan; 3], &offsets, &mut out)?;
    /// // The third PIN has five digits, the offset four.
    /// assert_eq!(out.map(|r| r.map(bool::from)), [Ok(true), Ok(true), Ok(false)]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    pub fn verify_many(
        &self,
        blocks: &[PinBlock],
        pans: &[Pan],
        offsets: &[Offset],
        out: &mut [Result<Choice, Error>],
    ) -> Result<(), Error> {
        self.many(blocks, pans, offsets.len(), out, |b, p, o, start| {
            let offsets = offsets.get(start..).unwrap_or(&[]);
            self.batch(
                b,
                p,
                o,
                self.method.cipher(),
                |_, _, pan| Ok(Zeroizing::new(self.method.validation().block(pan)?)),
                |i, enciphered, pin| {
                    offsets.get(i).map_or(Choice::from(0), |offset| {
                        self.method.matches_enciphered(enciphered, pin, offset)
                    })
                },
            );
        })
    }
}

impl<M: fmt::Debug> fmt::Debug for PinVerifier<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PinVerifier")
            .field("format", &self.pin_key.format())
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
#[allow(
    clippy::arithmetic_side_effects,
    clippy::integer_division_remainder_used,
    clippy::cast_possible_truncation,
    reason = "test inputs laid out by index arithmetic"
)]
mod tests {
    use super::*;
    use crate::card::{DecimalizationTable, ValidationData};
    use crate::pin::{Fill, Format};
    use crate::test_util::h;
    use crate::{Error, TdesKey};

    extern crate std;
    use std::vec::Vec;

    // psec 1.3.0 (card-verification-examples.json): under this PVK, PAN
    // 1122334455667788, PIN 4524 has PVV 4021 with PVKI 3; with table
    // 1234567890123456 and all 16 PAN digits padded with F, PIN 1234 has
    // offset 7710 and PIN 5635 offset 1111.
    const PVK: &str = "0123456789ABCDEFFEDCBA9876543210";
    const PAN: &str = "1122334455667788";
    const TDES_KEY: &str = "D97DD13736F249E24E8627DC38C1C45C";
    const AES_KEY: &str = "62CB437131C129DF001D42676011975150506E2A382145FD9BDEA7EC5A339F63";

    fn key_for(f: Format) -> Vec<u8> {
        h(if f == Format::Iso4 { AES_KEY } else { TDES_KEY })
    }

    fn block(f: Format, pin: &str, pan: &Pan) -> PinBlock {
        let fill = match f {
            Format::Iso1 => &"0123456789AB"[..14 - pin.len()],
            Format::Iso3 => &"ABCDEFABCDEFAB"[..14 - pin.len()],
            Format::Iso4 => "0123456789ABCDEF",
            _ => "",
        };
        PinBlockCipher::new(f, &key_for(f))
            .unwrap()
            .encipher_with_fill(
                &Pin::from_digits(pin.as_bytes()).unwrap(),
                Some(pan),
                &Fill::from_hex(fill.as_bytes()).unwrap(),
            )
            .unwrap()
    }

    fn pvv_verifier(f: Format) -> PinVerifier<VisaPvv> {
        PinVerifier::new(
            PinBlockCipher::new(f, &key_for(f)).unwrap(),
            VisaPvv::new(&TdesKey::from_slice(&h(PVK)).unwrap()),
        )
    }

    fn ibm_verifier(f: Format) -> PinVerifier<Ibm3624> {
        ibm_verifier_with(f, ValidationData::new(0, 16, b'F').unwrap())
    }

    fn ibm_verifier_with(f: Format, validation: ValidationData) -> PinVerifier<Ibm3624> {
        PinVerifier::new(
            PinBlockCipher::new(f, &key_for(f)).unwrap(),
            Ibm3624::new(
                &TdesKey::from_slice(&h(PVK)).unwrap(),
                DecimalizationTable::from_digits(b"1234567890123456").unwrap(),
                validation,
            ),
        )
    }

    #[test]
    fn every_format_against_psec_values() {
        let pan: Pan = PAN.parse().unwrap();
        let pvki: Pvki = "3".parse().unwrap();
        let pvv = Pvv::from_digits(b"4021").unwrap();
        let off = |s: &str| Offset::from_digits(s.as_bytes()).unwrap();
        for f in Format::ALL {
            let v = pvv_verifier(f);
            assert_eq!(
                bits(v.verify(block(f, "4524", &pan).as_bytes(), &pan, pvki, &pvv)),
                Ok(true)
            );
            // Only the 4 leftmost digits enter a PVV.
            assert_eq!(
                bits(v.verify(block(f, "452471", &pan).as_bytes(), &pan, pvki, &pvv)),
                Ok(true)
            );
            assert_eq!(
                bits(v.verify(block(f, "4525", &pan).as_bytes(), &pan, pvki, &pvv)),
                Ok(false)
            );
            let other_pvki: Pvki = "1".parse().unwrap();
            let b = block(f, "4524", &pan);
            assert_eq!(
                bits(v.verify(b.as_bytes(), &pan, other_pvki, &pvv)),
                Ok(false)
            );

            let v = ibm_verifier(f);
            assert_eq!(
                bits(v.verify(block(f, "1234", &pan).as_bytes(), &pan, &off("7710"))),
                Ok(true)
            );
            assert_eq!(
                bits(v.verify(block(f, "5635", &pan).as_bytes(), &pan, &off("1111"))),
                Ok(true)
            );
            assert_eq!(
                bits(v.verify(block(f, "1234", &pan).as_bytes(), &pan, &off("1111"))),
                Ok(false)
            );
            // Same leading digits, another length: not the PIN.
            assert_eq!(
                bits(v.verify(block(f, "12345", &pan).as_bytes(), &pan, &off("7710"))),
                Ok(false)
            );
            assert_eq!(
                bits(v.verify(block(f, "1234", &pan).as_bytes(), &pan, &off("77100"))),
                Ok(false)
            );
        }
    }

    #[test]
    fn debug_shows_format_and_method_not_keys() {
        extern crate std;
        let shown = std::format!("{:?}", pvv_verifier(Format::Iso3));
        assert_eq!(
            shown,
            "PinVerifier { format: Iso3, method: VisaPvv { .. }, .. }"
        );
        assert!(!shown.contains(&TDES_KEY[..8]) && !shown.contains(&PVK[..8]));
    }

    #[test]
    fn refusals() {
        let pan: Pan = PAN.parse().unwrap();
        let other: Pan = "4012345678909".parse().unwrap();
        let pvki: Pvki = "3".parse().unwrap();
        let pvv = Pvv::from_digits(b"4021").unwrap();
        for f in Format::ALL {
            let v = pvv_verifier(f);
            // Wrong size for the format.
            let wrong = vec_of(24 - f.block_len());
            assert_eq!(
                bits(v.verify(&wrong, &pan, pvki, &pvv)),
                Err(Error::InvalidPinBlock)
            );
            // A block of another PAN breaks the PAN-bound formats' rules;
            // formats 1 and 2 carry no PAN, and their PIN matches.
            let b = block(f, "4524", &other);
            let got = bits(v.verify(b.as_bytes(), &pan, pvki, &pvv));
            if f.uses_pan() {
                assert_eq!(got, Err(Error::InvalidPinBlock), "{f:?}");
            } else {
                assert_eq!(got, Ok(true), "{f:?}");
            }
        }
        // Validation data past the PAN's end.
        let v = PinVerifier::new(
            PinBlockCipher::new(Format::Iso0, &h(TDES_KEY)).unwrap(),
            Ibm3624::new(
                &TdesKey::from_slice(&h(PVK)).unwrap(),
                DecimalizationTable::IBM_DEFAULT,
                ValidationData::new(4, 14, b'F').unwrap(),
            ),
        );
        let b = block(Format::Iso0, "1234", &pan);
        let off = Offset::from_digits(b"0000").unwrap();
        assert_eq!(
            bits(v.verify(b.as_bytes(), &pan, &off)),
            Err(Error::InvalidLength)
        );
        let long: Pan = "1122334455667788990".parse().unwrap();
        let b = block(Format::Iso0, "1234", &long);
        assert!(bits(v.verify(b.as_bytes(), &long, &off)).is_ok());
    }

    /// The answer as a `bool`, to compare.
    fn bits(r: Result<Choice, Error>) -> Result<bool, Error> {
        r.map(bool::from)
    }

    fn vec_of(n: usize) -> Vec<u8> {
        std::vec![0x5A; n]
    }

    #[test]
    fn batches_agree_with_one_by_one() {
        // 150 items: two full bitsliced passes and a short tail, with a
        // block of the wrong size, a block under another key and wrong
        // PINs mixed in.
        let pans: Vec<Pan> = ["1122334455667788", "4012345678909", "5237481234567895"]
            .iter()
            .cycle()
            .take(150)
            .map(|p| p.parse().unwrap())
            .collect();
        let pins = ["4524", "0000", "987654321098", "4525", "1234"];
        for f in [Format::Iso0, Format::Iso1, Format::Iso3, Format::Iso4] {
            let blocks: Vec<PinBlock> = (0..150)
                .map(|i| match i % 37 {
                    5 => PinBlock::from_slice(&vec_of(24 - f.block_len())).unwrap(),
                    9 => PinBlock::from_slice(&vec_of(f.block_len())).unwrap(),
                    _ => block(f, pins[i % pins.len()], &pans[i]),
                })
                .collect();

            let v = pvv_verifier(f);
            let pvkis: Vec<Pvki> = (0..150)
                .map(|i| Pvki::from_digits(&[b'0' + (i % 10) as u8]).unwrap())
                .collect();
            // The PVV of PIN 4524 for each card, by the clear-PIN path.
            let pvvs: Vec<Pvv> = (0..150)
                .map(|i| {
                    v.method()
                        .generate(pvkis[i], &Pin::from_digits(b"4524").unwrap(), &pans[i])
                })
                .collect();
            let mut out = std::vec![Err(Error::Unsupported); 150];
            v.verify_many(&blocks, &pans, &pvkis, &pvvs, &mut out)
                .unwrap();
            let mut trues = 0;
            for i in 0..150 {
                let one = bits(v.verify(blocks[i].as_bytes(), &pans[i], pvkis[i], &pvvs[i]));
                assert_eq!(out[i].map(bool::from), one, "{f:?} {i}");
                trues += usize::from(one == Ok(true));
            }
            assert!(trues >= 25, "{trues}");
            assert_eq!(
                v.verify_many(&blocks, &pans, &pvkis[1..], &pvvs, &mut out),
                Err(Error::InvalidLength)
            );
            // Each slice's length is checked on its own: a short PAN list
            // or output, the others right, is refused too.
            assert_eq!(
                v.verify_many(&blocks, &pans[1..], &pvkis, &pvvs, &mut out),
                Err(Error::InvalidLength)
            );
            assert_eq!(
                v.verify_many(&blocks, &pans, &pvkis, &pvvs, &mut out[1..]),
                Err(Error::InvalidLength)
            );

            let v = ibm_verifier_with(f, ValidationData::new(1, 12, b'D').unwrap());
            let offsets: Vec<Offset> = (0..150)
                .map(|i| {
                    let p = crate::card::Ibm3624Pin::from_digits(
                        pins[(i + i / 50) % pins.len()].as_bytes(),
                    )
                    .unwrap();
                    v.method().offset(&p, &pans[i]).unwrap()
                })
                .collect();
            v.verify_many(&blocks, &pans, &offsets, &mut out).unwrap();
            let mut trues = 0;
            for i in 0..150 {
                let one = bits(v.verify(blocks[i].as_bytes(), &pans[i], &offsets[i]));
                assert_eq!(out[i].map(bool::from), one, "{f:?} {i}");
                trues += usize::from(one == Ok(true));
            }
            assert!(trues >= 25, "{trues}");
            // Validation data past some PANs' end: those items alone fail.
            let v = ibm_verifier_with(f, ValidationData::new(2, 12, b'D').unwrap());
            v.verify_many(&blocks, &pans, &offsets, &mut out).unwrap();
            for i in 0..150 {
                let one = bits(v.verify(blocks[i].as_bytes(), &pans[i], &offsets[i]));
                assert_eq!(out[i].map(bool::from), one, "{f:?} {i}");
                if pans[i].len() == 13 && i % 37 != 5 {
                    assert_eq!(one, Err(Error::InvalidLength));
                }
            }
            let mut short = std::vec![Err(Error::Unsupported); 149];
            assert_eq!(
                v.verify_many(&blocks, &pans, &offsets, &mut short),
                Err(Error::InvalidLength)
            );
        }
    }
}
