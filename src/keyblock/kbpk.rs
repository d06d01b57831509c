//! Wrapping and unwrapping: the key block protection key (KBPK), the keys
//! it gives (KBEK for encryption, KBAK for authentication), and the
//! binding methods of ANSI X9.143-2022 (ASC X9 TR-31-2018 before it):
//!
//! - **A, C** (key variant binding): KBEK = KBPK ⊕ `45`.., KBAK = KBPK ⊕
//!   `4D`..; the key data is TDES-CBC enciphered under the KBEK with the
//!   first 8 header characters as IV; the MAC is the TDES CBC-MAC (ISO
//!   9797-1 algorithm 1) under the KBAK of header ‖ enciphered key data,
//!   its leftmost 4 bytes.
//! - **B** (TDES key derivation binding): KBEK and KBAK are TDES-CMACs of
//!   the KBPK over 8-byte derivation data (counter, usage `0000` / `0001`,
//!   separator, algorithm, bits); the MAC is the CMAC under the KBAK of
//!   header ‖ clear key data; the key data is TDES-CBC enciphered under the
//!   KBEK with the MAC as IV.
//! - **D** (AES key derivation binding): as B with AES-CMAC and AES-CBC,
//!   KBEK and KBAK cut to the KBPK's length, a 16-byte MAC.
//!
//! The clear key data is the key's length in bits (2 bytes, big-endian),
//! the key, and padding to whole cipher blocks.

use core::fmt;

use rand_core::TryCryptoRng;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, ConstantTimeGreater};
use zeroize::{Zeroize, Zeroizing};

use super::fields::{Algorithm, Version};
use super::header::{Header, KeyBlock, MAX_BLOCK_LEN};
use crate::ct::verdict;
use crate::mac::{AesCmac, TdesCmac};
use crate::{AesCipher, AesKey, AesKeyLength, Error, HmacKey, TdesCipher, TdesKey, TdesKeyLength};

/// The keys a KBPK gives for one version, schedules made once.
#[allow(
    clippy::large_enum_variant,
    reason = "no heap in the kernel to box into; one per KBPK, made once and reused"
)]
enum Keys {
    /// Versions A and C.
    Variant { kbek: TdesCipher, kbak: TdesCipher },
    /// Version B.
    TdesDerived { kbek: TdesCipher, kbak: TdesCmac },
    /// Version D.
    AesDerived { kbek: AesCipher, kbak: AesCmac },
}

impl Keys {
    // Not inlined, and each a single expression: the schedules are built
    // straight into the caller's place, with no temporary `Keys` and copy
    // (firmware stack: a `Kbpk` is 792 bytes on 32-bit Arm).

    /// Versions A and C.
    #[inline(never)]
    fn variant(kbek: &TdesKey, kbak: &TdesKey) -> Keys {
        Keys::Variant {
            kbek: TdesCipher::new(kbek),
            kbak: TdesCipher::new(kbak),
        }
    }

    /// Version B.
    #[inline(never)]
    fn tdes_derived(kbek: &TdesKey, kbak: &TdesKey) -> Keys {
        Keys::TdesDerived {
            kbek: TdesCipher::new(kbek),
            kbak: TdesCmac::new(kbak),
        }
    }

    /// Version D.
    #[inline(never)]
    fn aes_derived(kbek: &AesKey, kbak: &AesKey) -> Keys {
        Keys::AesDerived {
            kbek: AesCipher::new(kbek),
            kbak: AesCmac::new(kbak),
        }
    }
}

/// A key block protection key, ready for one version: its KBEK and KBAK
/// derived and their schedules made once, to wrap or unwrap any number of
/// blocks of that version.
///
/// Versions A, B and C take a TDES KBPK of 16 or 24 bytes, version D an
/// AES KBPK of 16, 24 or 32 bytes. Parity and weak keys are not checked
/// (X9.143 leaves them to key management).
pub struct Kbpk {
    version: Version,
    keys: Keys,
}

impl Kbpk {
    /// A TDES KBPK for version A, B or C.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for version D or a single-length (8-byte) key.
    ///
    /// ```
    /// use paykernel::TdesKey;
    /// use paykernel::keyblock::{Kbpk, Version};
    ///
    /// let key = TdesKey::from_slice(&[0x11; 16])?;
    /// assert!(Kbpk::tdes(&key, Version::B).is_ok());
    /// assert!(Kbpk::tdes(&key, Version::D).is_err());
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[inline(never)]
    pub fn tdes(kbpk: &TdesKey, version: Version) -> Result<Kbpk, Error> {
        let triple = match kbpk.length() {
            TdesKeyLength::Single => return Err(Error::InvalidKey),
            TdesKeyLength::Double => false,
            TdesKeyLength::Triple => true,
        };
        match version {
            Version::D => Err(Error::InvalidKey),
            Version::A | Version::C => {
                let (kbek, kbak) = variant_keys(kbpk)?;
                Ok(Kbpk {
                    version,
                    keys: Keys::variant(&kbek, &kbak),
                })
            }
            Version::B => {
                let (kbek, kbak) = tdes_derived_keys(kbpk, triple)?;
                Ok(Kbpk {
                    version,
                    keys: Keys::tdes_derived(&kbek, &kbak),
                })
            }
        }
    }

    /// An AES KBPK (version D).
    ///
    /// ```
    /// use paykernel::AesKey;
    /// use paykernel::keyblock::{Kbpk, Version};
    ///
    /// let kbpk = Kbpk::aes(&AesKey::from_slice(&[0x22; 32])?);
    /// assert_eq!(kbpk.version(), Version::D);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    #[inline(never)]
    pub fn aes(kbpk: &AesKey) -> Kbpk {
        let (kbek, kbak) = aes_derived_keys(kbpk);
        Kbpk {
            version: Version::D,
            keys: Keys::aes_derived(&kbek, &kbak),
        }
    }

    /// A KBPK from its bytes, for `version`.
    ///
    /// ```
    /// use paykernel::Error;
    /// use paykernel::keyblock::{Kbpk, Version};
    /// // ASC X9 TR-31:2018 A.7.2.2's KBPK, for version B blocks.
    /// let kbpk = Kbpk::from_slice(&hex::decode("DD7515F2BFC17F85CE48F3CA25CB21F6").unwrap(), Version::B)?;
    /// assert_eq!(kbpk.version(), Version::B);
    /// assert_eq!(Kbpk::from_slice(&[0x11; 32], Version::D)?.version(), Version::D);
    /// // TDES versions take 16 or 24 bytes.
    /// assert_eq!(Kbpk::from_slice(&[0x11; 8], Version::B).err(), Some(Error::InvalidKey));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for a length the version does not take (A, B,
    /// C: 16 or 24; D: 16, 24 or 32).
    #[inline]
    pub fn from_slice(kbpk: &[u8], version: Version) -> Result<Kbpk, Error> {
        if version.uses_tdes() {
            Kbpk::tdes(&TdesKey::from_slice(kbpk)?, version)
        } else {
            Ok(Kbpk::aes(&AesKey::from_slice(kbpk)?))
        }
    }

    /// The version this KBPK wraps and unwraps.
    #[must_use]
    pub fn version(&self) -> Version {
        self.version
    }

    fn check_version(&self, v: Version) -> Result<(), Error> {
        if v == self.version {
            Ok(())
        } else {
            Err(Error::InvalidKey)
        }
    }

    /// Wraps `key` under `header` with the padding `pad` given (for known
    /// answers; [`Kbpk::wrap_random`] draws it). The header is taken as
    /// given, except its four length characters, which are filled in; no
    /// `PB` block is added. The block is written at the start of `out`
    /// ([`MAX_BLOCK_LEN`] bytes always suffice) and its text returned
    /// (printable ASCII; `core::str::from_utf8` makes it a `&str` — the
    /// kernel does not, since checking it would branch on cipher text).
    ///
    /// # Errors
    /// - [`Error::InvalidKeyBlock`]: a header that breaks the format, or
    ///   text after its optional blocks;
    /// - [`Error::InvalidKey`]: a header of another version than this
    ///   KBPK's;
    /// - [`Error::InvalidLength`]: an empty key; 2 + key + pad not whole
    ///   cipher blocks; a block longer than 9999 characters; `out` too
    ///   short.
    ///
    /// ```
    /// use paykernel::keyblock::{Kbpk, MAX_BLOCK_LEN, Version};
    /// use paykernel::TdesKey;
    ///
    /// // ASC X9 TR-31:2018 A.7.2.2 (version B), with its padding.
    /// let kbpk = Kbpk::tdes(
    ///     &TdesKey::from_slice(&hex::decode("DD7515F2BFC17F85CE48F3CA25CB21F6").unwrap())?,
    ///     Version::B,
    /// )?;
    /// let key = hex::decode("3F419E1CB7079442AA37474C2EFBF8B8").unwrap();
    /// let pad = hex::decode("1C2965473CE2").unwrap();
    /// let mut out = [0u8; MAX_BLOCK_LEN];
    /// let block = kbpk.wrap(b"B0000P0TE00E0000", &key, &pad, &mut out)?;
    /// assert_eq!(
    ///     block,
    ///     b"B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E"
    /// );
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    pub fn wrap<'o>(
        &self,
        header: &[u8],
        key: &[u8],
        pad: &[u8],
        out: &'o mut [u8],
    ) -> Result<&'o [u8], Error> {
        let h = Header::parse(header)?;
        self.check_version(h.version())?;
        self.seal(&h, key, pad.len(), out, |dst| {
            dst.copy_from_slice(pad);
            Ok(())
        })
    }

    /// Wraps `key` under `header` with random padding from `rng`, its
    /// length hidden as X9.143 recommends: the padding makes the key look
    /// `masked_key_len` bytes long, or, with `None`, as long as the longest
    /// key of the header's algorithm (24 bytes for TDES and DES, 32 for
    /// AES; no masking for other algorithms).
    ///
    /// # Errors
    /// As [`Kbpk::wrap`]; [`Error::InvalidLength`] also for a
    /// `masked_key_len` shorter than the key; [`Error::RngFailure`] when the
    /// random source fails (nothing of the key is left in `out` then).
    ///
    /// ```
    /// use paykernel::keyblock::{Kbpk, KeyBlock, MAX_BLOCK_LEN};
    /// use paykernel::AesKey;
    /// # struct Rng(u64);
    /// # impl rand_core::TryRng for Rng {
    /// #     type Error = core::convert::Infallible;
    /// #     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(self.try_next_u64()? as u32) }
    /// #     fn try_next_u64(&mut self) -> Result<u64, Self::Error> { self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1); Ok(self.0) }
    /// #     fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), Self::Error> { for b in d { *b = self.try_next_u64()? as u8; } Ok(()) }
    /// # }
    /// # impl rand_core::TryCryptoRng for Rng {}
    /// # let mut rng = Rng(1);
    ///
    /// let kbpk = Kbpk::aes(&AesKey::from_slice(&[0x42; 32])?);
    /// let mut out = [0u8; MAX_BLOCK_LEN];
    /// let block = kbpk.wrap_random(b"D0000P0AE00N0000", &[0x17; 16], None, &mut rng, &mut out)?;
    /// // Masked to 32 bytes: 2 + 32 + 14 bytes of padding = 3 AES blocks.
    /// assert_eq!(block.len(), 16 + 96 + 32);
    /// let mut work = [0u8; 48];
    /// let k = kbpk.unwrap(&KeyBlock::parse(block)?, &mut work)?;
    /// assert_eq!(k.expose_secret(), &[0x17; 16]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    pub fn wrap_random<'o, R: TryCryptoRng + ?Sized>(
        &self,
        header: &[u8],
        key: &[u8],
        masked_key_len: Option<usize>,
        rng: &mut R,
        out: &'o mut [u8],
    ) -> Result<&'o [u8], Error> {
        let h = Header::parse(header)?;
        self.check_version(h.version())?;
        let masked = match masked_key_len {
            Some(n) => n,
            None => default_masked_len(h.algorithm(), key.len()),
        };
        let pad_len = padding_len(h.version(), key.len(), masked)?;
        self.seal(&h, key, pad_len, out, |dst| {
            rng.try_fill_bytes(dst).map_err(|_| Error::RngFailure)
        })
    }

    /// Writes the block: checks the lengths, lays out the clear key data
    /// in the second half of the key data's hex area of `out` (each
    /// cipher block is read from there before its hex overwrites it), MACs
    /// and enciphers.
    fn seal<'o>(
        &self,
        h: &Header<'_>,
        key: &[u8],
        pad_len: usize,
        out: &'o mut [u8],
        fill_pad: impl FnOnce(&mut [u8]) -> Result<(), Error>,
    ) -> Result<&'o [u8], Error> {
        let v = h.version();
        let clear_len = clear_len(v, key.len(), pad_len)?;
        let total = wrapped_len_of(h.len(), v, clear_len)?;
        let bits = key
            .len()
            .checked_mul(8)
            .and_then(|b| u16::try_from(b).ok())
            .ok_or(Error::InvalidLength)?;
        let out = out.get_mut(..total).ok_or(Error::InvalidLength)?;
        let (head, body) = out.split_at_mut(h.len());
        head.copy_from_slice(h.as_bytes());
        write_decimal4(head, total)?;
        let hex_len = clear_len.checked_mul(2).ok_or(Error::InvalidLength)?;
        let (ct_hex, mac_hex) = body.split_at_mut(hex_len);
        {
            let clear = ct_hex.get_mut(clear_len..).ok_or(Error::InvalidLength)?;
            let (len_field, rest) = clear.split_at_mut(2);
            len_field.copy_from_slice(&bits.to_be_bytes());
            let (key_dst, pad_dst) = rest.split_at_mut(key.len());
            // The padding first: if the random source fails, no key byte
            // has been written.
            if let Err(e) = fill_pad(pad_dst) {
                clear.zeroize();
                return Err(e);
            }
            key_dst.copy_from_slice(key);
        }
        let mut mac = [0u8; 16];
        match &self.keys {
            Keys::Variant { kbek, kbak } => {
                let mut state = [0u8; 8];
                for chunk in head.chunks_exact(8) {
                    cbc_mac_step(kbak, &mut state, chunk);
                }
                let iv = first_block::<8>(head);
                cbc_encrypt_in_place::<8>(
                    ct_hex,
                    clear_len,
                    iv,
                    |b| kbek.encrypt_block(b),
                    |ct| cbc_mac_step(kbak, &mut state, ct),
                );
                copy_into(&mut mac, &state);
                state.zeroize();
            }
            Keys::TdesDerived { kbek, kbak } => {
                let clear = ct_hex.get(clear_len..).unwrap_or(&[]);
                let m = kbak.compute_parts(&[head, clear]);
                copy_into(&mut mac, &m);
                cbc_encrypt_in_place::<8>(ct_hex, clear_len, m, |b| kbek.encrypt_block(b), |_| {});
            }
            Keys::AesDerived { kbek, kbak } => {
                let clear = ct_hex.get(clear_len..).unwrap_or(&[]);
                let m = kbak.compute_parts(&[head, clear]);
                mac = m;
                cbc_encrypt_in_place::<16>(ct_hex, clear_len, m, |b| kbek.encrypt_block(b), |_| {});
            }
        }
        hex_encode(mac.get(..v.mac_len()).unwrap_or(&[]), mac_hex);
        // Not `str::from_utf8`: checking that the text is ASCII would branch
        // on cipher text and MAC, which depend on the KBPK and the key.
        Ok(out)
    }

    /// Unwraps a checked key block: verifies its MAC in constant time
    /// before anything of the key data is read, then checks the key length
    /// field (a non-zero multiple of 8 bits that fits). The clear key data
    /// goes into `work` (at least [`KeyBlock::key_data_len`] bytes), which
    /// the returned [`Unwrapped`] wipes when dropped; on any error nothing
    /// of it is left there.
    ///
    /// # Errors
    /// - [`Error::InvalidKey`]: a block of another version than this
    ///   KBPK's;
    /// - [`Error::InvalidLength`]: `work` too short;
    /// - [`Error::BadMac`]: the MAC does not check out (a wrong KBPK, or
    ///   any change to the block);
    /// - [`Error::InvalidKeyBlock`]: a key length field that is zero, not
    ///   whole bytes, or longer than the key data.
    ///
    /// ```
    /// use paykernel::keyblock::{Kbpk, KeyBlock, KeyUsage};
    /// use paykernel::{AesKey, Error};
    ///
    /// // ASC X9 TR-31:2018 A.7.4 (version D, AES-256 KBPK).
    /// let kbpk = Kbpk::aes(&AesKey::from_slice(&hex::decode(
    ///     "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6",
    /// ).unwrap())?);
    /// let text = "D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34";
    /// let block = KeyBlock::parse(text.as_bytes())?;
    /// let mut work = [0u8; 64];
    /// let key = kbpk.unwrap(&block, &mut work)?;
    /// assert_eq!(key.header().key_usage(), KeyUsage::PinEncryption);
    /// assert_eq!(hex::encode_upper(key.expose_secret()), "3F419E1CB7079442AA37474C2EFBF8B8");
    /// drop(key);
    ///
    /// // One character changed: the MAC no longer checks out.
    /// let bad = text.replace("D0112P0AE00E", "D0112P0AE00N");
    /// let block = KeyBlock::parse(bad.as_bytes())?;
    /// assert_eq!(kbpk.unwrap(&block, &mut work).err(), Some(Error::BadMac));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    pub fn unwrap<'t, 'w>(
        &self,
        block: &KeyBlock<'t>,
        work: &'w mut [u8],
    ) -> Result<Unwrapped<'t, 'w>, Error> {
        let header = *block.header();
        let v = header.version();
        self.check_version(v)?;
        let n = block.key_data_len();
        let data = work.get_mut(..n).ok_or(Error::InvalidLength)?;
        let ct_hex = block.key_data_hex();
        hex_decode(ct_hex, data)?;
        let mut received = [0u8; 16];
        let received = received
            .get_mut(..v.mac_len())
            .ok_or(Error::InvalidKeyBlock)?;
        hex_decode(block.mac_hex(), received)?;
        let head = header.as_bytes();
        let mut out = Unwrapped {
            header,
            data,
            key_len: 0,
        };
        let ok = match &self.keys {
            Keys::Variant { kbek, kbak } => {
                let mut state = [0u8; 8];
                for chunk in head.chunks_exact(8).chain(out.data.chunks_exact(8)) {
                    cbc_mac_step(kbak, &mut state, chunk);
                }
                let ok = state.get(..4).unwrap_or(&[]).ct_eq(received);
                state.zeroize();
                out = verdict(out, ok, Error::BadMac)?;
                // Only now is the key data deciphered.
                cbc_decrypt_tdes(kbek, out.data, ct_hex, first_block::<8>(head));
                Choice::from(1)
            }
            Keys::TdesDerived { kbek, kbak } => {
                cbc_decrypt_tdes(kbek, out.data, ct_hex, first_block::<8>(received));
                let mut mac = kbak.compute_parts(&[head, &*out.data]);
                let ok = mac.ct_eq(&first_block::<8>(received));
                mac.zeroize();
                ok
            }
            Keys::AesDerived { kbek, kbak } => {
                cbc_decrypt_aes(kbek, out.data, ct_hex, first_block::<16>(received));
                let mut mac = kbak.compute_parts(&[head, &*out.data]);
                let ok = mac.ct_eq(&first_block::<16>(received));
                mac.zeroize();
                ok
            }
        };
        let mut out = verdict(out, ok, Error::BadMac)?;
        // The key length field, read only after the MAC checked out.
        let bits = u16::from_be_bytes(first_block::<2>(&*out.data));
        let key_len = bits >> 3;
        let room = u64::try_from(n.saturating_sub(2)).unwrap_or(0);
        let fits = !u64::from(key_len).ct_gt(&room);
        let ok = !bits.ct_eq(&0) & (bits & 7).ct_eq(&0) & fits;
        out.key_len = key_len;
        verdict(out, ok, Error::InvalidKeyBlock)
    }
}

impl fmt::Debug for Kbpk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Kbpk")
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// A key taken out of a key block whose MAC checked out: the block's
/// header, and the key in the caller's work buffer, which is wiped when
/// this is dropped. The key is only handed out through
/// [`Unwrapped::expose_secret`] or a checked conversion into a key type
/// that its header allows (see [`BoundKey`](super::BoundKey)).
///
/// ```
/// use paykernel::keyblock::{Kbpk, KeyBlock, Version};
/// use paykernel::{AesKey, AesKeyLength, Error};
///
/// // ASC X9 TR-31:2018 A.7.4: a 16-byte AES key (algorithm A) in a
/// // version D block.
/// let kbpk = Kbpk::aes(&AesKey::from_slice(&hex::decode(
///     "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6",
/// ).unwrap())?);
/// assert_eq!(kbpk.version(), Version::D);
/// let block = KeyBlock::parse(b"D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34")?;
/// let mut work = [0u8; 64];
/// let key = kbpk.unwrap(&block, &mut work)?;
/// assert_eq!(key.header().as_str(), "D0112P0AE00E0000");
/// assert_eq!(key.key_len(), 16);
/// assert_eq!(hex::encode_upper(key.expose_secret()), "3F419E1CB7079442AA37474C2EFBF8B8");
/// assert_eq!(key.aes_key()?.length(), AesKeyLength::Aes128);
/// // Only as the type its header names.
/// assert_eq!(key.tdes_key().err(), Some(Error::InvalidKey));
/// assert_eq!(key.hmac_key().err(), Some(Error::InvalidKey));
/// # Ok::<(), paykernel::Error>(())
/// ```
pub struct Unwrapped<'t, 'w> {
    header: Header<'t>,
    data: &'w mut [u8],
    /// The key length field over 8: secret-derived until a conversion to
    /// a key type of a known length makes it that type's public length.
    key_len: u16,
}

impl<'t> Unwrapped<'t, '_> {
    /// The block's header (with its optional blocks).
    #[must_use]
    pub fn header(&self) -> &Header<'t> {
        &self.header
    }

    /// The key's length in bytes. X9.143 lets a sender hide it (masked key
    /// length): it comes from the deciphered key data, and whoever branches
    /// on it, or on the length of [`Unwrapped::expose_secret`], reveals it.
    /// The typed conversions ([`Unwrapped::tdes_key`] and the others) find
    /// it by the kernel's verdict instead.
    #[must_use]
    pub fn key_len(&self) -> usize {
        usize::from(self.key_len)
    }

    /// The key's bytes. Handle with care: this is the secret.
    #[must_use]
    pub fn expose_secret(&self) -> &[u8] {
        self.data
            .get(2..usize::from(self.key_len).saturating_add(2))
            .unwrap_or(&[])
    }

    /// The key, if its length is one of `allowed`: each candidate is
    /// checked in constant time and the answer (is it this length?) goes
    /// through the kernel's one verdict, so that the length the caller
    /// gets is the public length of the key type it asked for, and no
    /// other branch or index depends on the key length field.
    fn key_of_len(&self, allowed: impl IntoIterator<Item = u16>) -> Result<&[u8], Error> {
        for n in allowed {
            if verdict((), self.key_len.ct_eq(&n), Error::InvalidKey).is_ok() {
                return self
                    .data
                    .get(2..usize::from(n).saturating_add(2))
                    .ok_or(Error::InvalidKey);
            }
        }
        Err(Error::InvalidKey)
    }

    /// The key as a TDES key, if the header says it is one and its length
    /// fits the algorithm (X9.143's algorithm codes): `T` (TDEA) with 16 or
    /// 24 bytes, `D` (single DES) with 8.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] otherwise.
    pub fn tdes_key(&self) -> Result<TdesKey, Error> {
        match self.header.algorithm() {
            Algorithm::Tdes => TdesKey::from_slice(self.key_of_len([16, 24])?),
            Algorithm::Des => TdesKey::from_slice(self.key_of_len([8])?),
            _ => Err(Error::InvalidKey),
        }
    }

    /// The key as an AES key, if the header says it is one (algorithm `A`)
    /// and it has 16, 24 or 32 bytes.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] otherwise.
    pub fn aes_key(&self) -> Result<AesKey, Error> {
        match self.header.algorithm() {
            Algorithm::Aes => AesKey::from_slice(self.key_of_len([16, 24, 32])?),
            _ => Err(Error::InvalidKey),
        }
    }

    /// The key as an HMAC key, if the header says it is one (algorithm
    /// `H`) and it has 1 to [`HmacKey::MAX_LEN`] bytes.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] otherwise.
    pub fn hmac_key(&self) -> Result<HmacKey, Error> {
        match self.header.algorithm() {
            Algorithm::Hmac => {
                let max = u16::try_from(HmacKey::MAX_LEN).unwrap_or(0);
                HmacKey::from_slice(self.key_of_len(1..=max)?)
            }
            _ => Err(Error::InvalidKey),
        }
    }
}

impl Drop for Unwrapped<'_, '_> {
    fn drop(&mut self) {
        self.data.zeroize();
        self.key_len.zeroize();
    }
}

impl fmt::Debug for Unwrapped<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unwrapped")
            .field("header", &self.header)
            .finish_non_exhaustive()
    }
}

/// How many padding bytes make a key of `key_len` bytes look
/// `masked_key_len` bytes long in a block of `version` (X9.143 key length
/// hiding): `masked_key_len − key_len`, plus the fewest bytes (0 to one
/// less than a cipher block) that fill the last block.
///
/// # Errors
/// [`Error::InvalidLength`] when `masked_key_len` is shorter than the key.
///
/// ```
/// use paykernel::keyblock::{Version, padding_len};
///
/// // A 16-byte key masked as 24 bytes: 2 + 24 = 26, 6 more fill 4 blocks.
/// assert_eq!(padding_len(Version::B, 16, 24)?, 14);
/// assert_eq!(padding_len(Version::D, 16, 16)?, 14);
/// # Ok::<(), paykernel::Error>(())
/// ```
pub fn padding_len(
    version: Version,
    key_len: usize,
    masked_key_len: usize,
) -> Result<usize, Error> {
    let extra = masked_key_len
        .checked_sub(key_len)
        .ok_or(Error::InvalidLength)?;
    let used = masked_key_len.checked_add(2).ok_or(Error::InvalidLength)?;
    let mask = version.block_len().wrapping_sub(1);
    let fill = used.wrapping_neg() & mask;
    extra.checked_add(fill).ok_or(Error::InvalidLength)
}

/// The length in characters of the block that wrapping a `key_len`-byte
/// key with `pad_len` bytes of padding under a header of `header_len`
/// characters gives, to size an output buffer exactly.
///
/// # Errors
/// [`Error::InvalidLength`] as [`Kbpk::wrap`] gives it for these lengths.
///
/// ```
/// use paykernel::keyblock::{Version, wrapped_len};
///
/// assert_eq!(wrapped_len(16, Version::B, 16, 6)?, 80);
/// # Ok::<(), paykernel::Error>(())
/// ```
pub fn wrapped_len(
    header_len: usize,
    version: Version,
    key_len: usize,
    pad_len: usize,
) -> Result<usize, Error> {
    wrapped_len_of(header_len, version, clear_len(version, key_len, pad_len)?)
}

/// 2 + key + pad, which must be whole cipher blocks, for a non-empty key.
fn clear_len(version: Version, key_len: usize, pad_len: usize) -> Result<usize, Error> {
    if key_len == 0 {
        return Err(Error::InvalidLength);
    }
    let n = key_len
        .checked_add(pad_len)
        .and_then(|n| n.checked_add(2))
        .ok_or(Error::InvalidLength)?;
    if n & version.block_len().wrapping_sub(1) != 0 {
        return Err(Error::InvalidLength);
    }
    Ok(n)
}

/// Header + hex of the key data + hex of the MAC, at most 9999.
fn wrapped_len_of(header_len: usize, version: Version, clear_len: usize) -> Result<usize, Error> {
    let total = clear_len
        .checked_add(version.mac_len())
        .and_then(|n| n.checked_mul(2))
        .and_then(|n| n.checked_add(header_len))
        .ok_or(Error::InvalidLength)?;
    if total > MAX_BLOCK_LEN {
        return Err(Error::InvalidLength);
    }
    Ok(total)
}

/// The masking the X9.143 recommendation and psec use by default: the
/// longest key of the algorithm.
fn default_masked_len(algorithm: Algorithm, key_len: usize) -> usize {
    let longest = match algorithm {
        Algorithm::Tdes | Algorithm::Des => 24,
        Algorithm::Aes => 32,
        _ => key_len,
    };
    longest.max(key_len)
}

/// Writes `n` (at most 9999) as the four length digits of a header.
fn write_decimal4(head: &mut [u8], n: usize) -> Result<(), Error> {
    let digits = head.get_mut(1..5).ok_or(Error::InvalidLength)?;
    let mut rest = n;
    for (d, power) in digits.iter_mut().zip([1000usize, 100, 10, 1]) {
        let mut q = b'0';
        while let Some(r) = rest.checked_sub(power) {
            rest = r;
            q = q.wrapping_add(1);
        }
        *d = q;
    }
    Ok(())
}

/// The first `N` bytes of `s`, zero-filled if it is shorter.
fn first_block<const N: usize>(s: &[u8]) -> [u8; N] {
    let mut b = [0u8; N];
    copy_into(&mut b, s);
    b
}

/// Copies as much of `src` as fits into `dst`.
fn copy_into(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d = *s;
    }
}

/// One step of the CBC-MAC (ISO 9797-1 algorithm 1, whole blocks):
/// `state = E(state ⊕ block)`.
fn cbc_mac_step(kbak: &TdesCipher, state: &mut [u8; 8], block: &[u8]) {
    for (s, b) in state.iter_mut().zip(block) {
        *s ^= b;
    }
    kbak.encrypt_block(state);
}

/// CBC encryption of the `clear_len` clear bytes held at
/// `region[clear_len..]`, writing each cipher block's hex at the start of
/// `region` (block i's hex covers only clear blocks already read), and
/// handing each cipher block to `on_ct`.
fn cbc_encrypt_in_place<const N: usize>(
    region: &mut [u8],
    clear_len: usize,
    iv: [u8; N],
    mut encrypt: impl FnMut(&mut [u8; N]),
    mut on_ct: impl FnMut(&[u8]),
) {
    let mut chain = iv;
    let mut at = 0usize;
    while at < clear_len {
        let src = clear_len.saturating_add(at);
        let mut block = first_block::<N>(region.get(src..).unwrap_or(&[]));
        for (b, c) in block.iter_mut().zip(chain.iter()) {
            *b ^= c;
        }
        encrypt(&mut block);
        on_ct(&block);
        let dst = at.saturating_mul(2);
        if let Some(hex) = region.get_mut(dst..dst.saturating_add(N.saturating_mul(2))) {
            hex_encode(&block, hex);
        }
        chain = block;
        at = at.saturating_add(N);
    }
    chain.zeroize();
}

/// TDES-CBC decryption in place of `data`, whose cipher text is also
/// `ct_hex` (public): the blocks go through the bitsliced batch, then each
/// is XORed with the cipher block before it (or `iv`).
fn cbc_decrypt_tdes(kbek: &TdesCipher, data: &mut [u8], ct_hex: &[u8], iv: [u8; 8]) {
    let (blocks, _) = data.as_chunks_mut::<8>();
    kbek.decrypt_blocks(blocks);
    let mut prev = iv;
    for (block, hex) in blocks.iter_mut().zip(ct_hex.chunks_exact(16)) {
        for (b, p) in block.iter_mut().zip(prev.iter()) {
            *b ^= p;
        }
        let _ = hex_decode(hex, &mut prev);
    }
}

/// AES-CBC decryption in place, as [`cbc_decrypt_tdes`].
fn cbc_decrypt_aes(kbek: &AesCipher, data: &mut [u8], ct_hex: &[u8], iv: [u8; 16]) {
    let (blocks, _) = data.as_chunks_mut::<16>();
    let mut prev = iv;
    for (block, hex) in blocks.iter_mut().zip(ct_hex.chunks_exact(32)) {
        kbek.decrypt_block(block);
        for (b, p) in block.iter_mut().zip(prev.iter()) {
            *b ^= p;
        }
        let _ = hex_decode(hex, &mut prev);
    }
}

/// KBEK and KBAK of the variant binding (A, C): the KBPK with every byte
/// XORed with `45` and `4D`.
fn variant_keys(kbpk: &TdesKey) -> Result<(TdesKey, TdesKey), Error> {
    let k = kbpk.expose_secret();
    let mut e = Zeroizing::new([0u8; 24]);
    let mut a = Zeroizing::new([0u8; 24]);
    for ((x, y), b) in e.iter_mut().zip(a.iter_mut()).zip(k) {
        *x = b ^ 0x45;
        *y = b ^ 0x4D;
    }
    let n = k.len();
    Ok((
        TdesKey::from_slice(e.get(..n).unwrap_or(&[]))?,
        TdesKey::from_slice(a.get(..n).unwrap_or(&[]))?,
    ))
}

/// The 8 bytes of derivation data of versions B and D: counter, key usage
/// (`0000` encryption, `0001` MAC), separator, algorithm, length in bits.
fn derivation_data(counter: u8, mac: bool, algorithm: u16, bits: u16) -> [u8; 8] {
    let [a0, a1] = algorithm.to_be_bytes();
    let [b0, b1] = bits.to_be_bytes();
    [counter, 0, u8::from(mac), 0, a0, a1, b0, b1]
}

/// KBEK and KBAK of version B: CMAC-TDES of the KBPK over the derivation
/// data, 2 (or 3 for a 24-byte KBPK) blocks each.
fn tdes_derived_keys(kbpk: &TdesKey, triple: bool) -> Result<(TdesKey, TdesKey), Error> {
    let (algorithm, bits, n) = if triple {
        (0x0001, 0x00C0, 24)
    } else {
        (0x0000, 0x0080, 16)
    };
    let cmac = TdesCmac::new(kbpk);
    let mut e = Zeroizing::new([0u8; 24]);
    let mut a = Zeroizing::new([0u8; 24]);
    let blocks = e.chunks_exact_mut(8).zip(a.chunks_exact_mut(8));
    for (counter, (ek, ak)) in (1u8..).zip(blocks) {
        let mut t = cmac.compute(&derivation_data(counter, false, algorithm, bits));
        ek.copy_from_slice(&t);
        t = cmac.compute(&derivation_data(counter, true, algorithm, bits));
        ak.copy_from_slice(&t);
        t.zeroize();
    }
    Ok((
        TdesKey::from_slice(e.get(..n).unwrap_or(&[]))?,
        TdesKey::from_slice(a.get(..n).unwrap_or(&[]))?,
    ))
}

/// KBEK and KBAK of version D: AES-CMAC of the KBPK over the derivation
/// data, 1 block (2 for 24- and 32-byte KBPKs) each, cut to the KBPK's
/// length.
fn aes_derived_keys(kbpk: &AesKey) -> (AesKey, AesKey) {
    let (algorithm, bits) = match kbpk.length() {
        AesKeyLength::Aes128 => (0x0002, 0x0080),
        AesKeyLength::Aes192 => (0x0003, 0x00C0),
        AesKeyLength::Aes256 => (0x0004, 0x0100),
    };
    let n = kbpk.length().bytes();
    let cmac = AesCmac::new(kbpk);
    let mut e = Zeroizing::new([0u8; 32]);
    let mut a = Zeroizing::new([0u8; 32]);
    let blocks = e.chunks_exact_mut(16).zip(a.chunks_exact_mut(16));
    for (counter, (ek, ak)) in (1u8..).zip(blocks).take(if n > 16 { 2 } else { 1 }) {
        let mut t = cmac.compute(&derivation_data(counter, false, algorithm, bits));
        ek.copy_from_slice(&t);
        t = cmac.compute(&derivation_data(counter, true, algorithm, bits));
        ak.copy_from_slice(&t);
        t.zeroize();
    }
    // Lengths of 16, 24 and 32 bytes: `from_slice` cannot fail here.
    let kbek =
        AesKey::from_slice(e.get(..n).unwrap_or(&[])).unwrap_or_else(|_| AesKey::aes128(&[0; 16]));
    let kbak =
        AesKey::from_slice(a.get(..n).unwrap_or(&[])).unwrap_or_else(|_| AesKey::aes128(&[0; 16]));
    (kbek, kbak)
}

/// Upper-case hex of `src` into `dst` (twice as long), without a table or
/// a branch: the bytes may be secret-derived (cipher text and MAC under a
/// secret key, which the taint check follows).
fn hex_encode(src: &[u8], dst: &mut [u8]) {
    for (b, pair) in src.iter().zip(dst.chunks_exact_mut(2)) {
        for (d, n) in pair.iter_mut().zip([b >> 4, b & 0x0F]) {
            *d = hex_digit(n);
        }
    }
}

/// The uppercase hex digit of a nibble: `0`-`9` then `A`-`F` (7 further),
/// the "more than 9" test by `subtle` (a plain comparison compiles to a
/// conditional move on the nibble).
fn hex_digit(n: u8) -> u8 {
    let n = n & 0x0F;
    let letter = u8::conditional_select(&0, &7, n.ct_gt(&9));
    n.wrapping_add(b'0').wrapping_add(letter)
}

/// Decodes the uppercase hex `src` (public text, checked by the parser)
/// into `dst`.
fn hex_decode(src: &[u8], dst: &mut [u8]) -> Result<(), Error> {
    for (d, pair) in dst.iter_mut().zip(src.chunks_exact(2)) {
        let mut v = 0u8;
        for c in pair {
            let n = match c {
                b'0'..=b'9' => c.wrapping_sub(b'0'),
                b'A'..=b'F' => c.wrapping_sub(b'A').wrapping_add(10),
                _ => return Err(Error::InvalidKeyBlock),
            };
            v = (v << 4) | n;
        }
        *d = v;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_digits_without_a_table() {
        let all: [u8; 16] = core::array::from_fn(|i| hex_digit(u8::try_from(i).unwrap()));
        assert_eq!(&all, b"0123456789ABCDEF");
        let mut out = [0u8; 6];
        hex_encode(&[0x00, 0x9A, 0xFF], &mut out);
        assert_eq!(&out, b"009AFF");
        let mut back = [0u8; 3];
        hex_decode(&out, &mut back).unwrap();
        assert_eq!(back, [0x00, 0x9A, 0xFF]);
        assert_eq!(hex_decode(b"0a", &mut back), Err(Error::InvalidKeyBlock));
    }

    #[test]
    fn padding_lengths() {
        // docs/vectors.md: masked_key_len - key length + the fewest bytes that
        // fill the last block.
        assert_eq!(padding_len(Version::A, 16, 16), Ok(6));
        assert_eq!(padding_len(Version::D, 32, 32), Ok(14));
        assert_eq!(padding_len(Version::D, 16, 30), Ok(14));
        assert_eq!(padding_len(Version::B, 22, 22), Ok(0));
        assert_eq!(padding_len(Version::B, 17, 16), Err(Error::InvalidLength));
        assert_eq!(clear_len(Version::B, 0, 6), Err(Error::InvalidLength));
        assert_eq!(clear_len(Version::B, 16, 5), Err(Error::InvalidLength));
        // 16 + 2 * (4984 + 4) = 9992: the longest version A block with a
        // bare header; 8 more bytes of key data pass 9999.
        assert_eq!(wrapped_len(16, Version::A, 4982, 0), Ok(9992));
        assert_eq!(
            wrapped_len(16, Version::A, 4990, 0),
            Err(Error::InvalidLength)
        );
    }
}
