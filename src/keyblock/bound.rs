//! Keys bound to their use: what a key may do once it has left its block.
//!
//! X9.143 binds a key to its header so that the receiver can enforce it;
//! psec and openemv unwrap and hand back bytes, leaving that to the
//! caller. Here the header travels with the key, and the entry points that
//! take a key from a key block check it:
//!
//! - **Where the types can say it**, they do. A key comes out of a block
//!   as an [`Unwrapped`] (header and key) or a [`BoundKey`] (the fixed
//!   header fields, [`KeyAttributes`], and a [`SymmetricKey`]); the
//!   wrappers of one usage family are made from it only by a checked
//!   conversion, and offer only what that family does: a [`TdesBdk`] /
//!   [`AesBdk`] (usage `B0`) derives DUKPT keys and nothing else; a
//!   [`MacGenerator`] (an `M` usage whose mode of use allows generation)
//!   has no `verify`, and a [`MacVerifier`] has no way to make a MAC; a
//!   [`PinKey`] (usage `P0`) only makes PIN block ciphers. A function that
//!   takes a `TdesBdk` cannot be given a PIN key: that does not compile.
//!   The terminals' key injection is in [`super::inject`].
//! - **Where only data can**, the conversion refuses with
//!   [`Error::InvalidKey`] (the key is not valid for that use): a `P0`
//!   block offered as a BDK, an `M` key without generation offered as a
//!   generator, an algorithm or length the use does not take. Re-wrapping
//!   ([`BoundKey::wrap_random`], [`BoundKey::wrap`]) checks exportability: a
//!   key marked `N` cannot be wrapped again, and the new header must keep
//!   the key usage, algorithm and mode of use, and may not widen the
//!   exportability (`E` may become `E` or `N`; `S` may become `E`, `N` or
//!   `S`).
//!
//! The raw bytes stay reachable ([`Unwrapped::expose_secret`],
//! [`BoundKey::key`]) for uses the kernel has no wrapper for; a caller who
//! takes them leaves these checks behind, knowingly.

use core::fmt;

use rand_core::TryCryptoRng;
use subtle::Choice;

use super::fields::{Algorithm, Exportability, KeyUsage, KeyVersion, ModeOfUse, Version};
use super::header::Header;
use super::kbpk::{Kbpk, Unwrapped};
use crate::dukpt::aes::{self as aes_dukpt, KeyType, WorkingKey};
use crate::dukpt::tdes::{self as tdes_dukpt, Variant};
use crate::dukpt::{AesKsn, InitialKeyId, TdesKsn, txn};
use crate::mac::{AesCmac, CbcMac, Padding, RetailMac, Tag, TdesCmac};
use crate::pin::{Directions, Format, PinBlockCipher};
use crate::{AesKey, Error, HmacKey, Kcv, KcvMethod, TdesKey, TdesKeyLength};

/// The fixed fields of the header a key came in: what it may be used for.
/// Public data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyAttributes {
    /// The version of the block it came in.
    pub version: Version,
    /// Its key usage.
    pub key_usage: KeyUsage,
    /// Its algorithm.
    pub algorithm: Algorithm,
    /// Its mode of use.
    pub mode_of_use: ModeOfUse,
    /// Its key version number.
    pub key_version: KeyVersion,
    /// Its exportability.
    pub exportability: Exportability,
}

impl KeyAttributes {
    /// The attributes a header gives.
    #[must_use]
    pub fn of(header: &Header<'_>) -> KeyAttributes {
        KeyAttributes {
            version: header.version(),
            key_usage: header.key_usage(),
            algorithm: header.algorithm(),
            mode_of_use: header.mode_of_use(),
            key_version: header.key_version(),
            exportability: header.exportability(),
        }
    }

    /// Whether a key with these attributes may be wrapped again under
    /// `new`: it must be exportable (`E` or `S`), and `new` must keep the
    /// key usage, algorithm and mode of use and not widen the
    /// exportability (`E` becomes `E` or `N`; `S` anything known).
    ///
    /// # Errors
    /// [`Error::InvalidKey`] when it may not.
    ///
    /// ```
    /// use paykernel::keyblock::{Header, KeyAttributes};
    ///
    /// let a = KeyAttributes::of(&Header::parse(b"B0000P0TE00E0000")?);
    /// assert!(a.check_export(&Header::parse(b"D0000P0TE00N0000")?).is_ok());
    /// assert!(a.check_export(&Header::parse(b"D0000P0TE00S0000")?).is_err()); // wider
    /// assert!(a.check_export(&Header::parse(b"D0000P0TB00E0000")?).is_err()); // other mode
    /// let n = KeyAttributes::of(&Header::parse(b"B0000P0TE00N0000")?);
    /// assert!(n.check_export(&Header::parse(b"B0000P0TE00N0000")?).is_err());
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    pub fn check_export(&self, new: &Header<'_>) -> Result<(), Error> {
        let narrowed = matches!(
            (self.exportability, new.exportability()),
            (
                Exportability::Trusted,
                Exportability::Trusted | Exportability::NotExportable
            ) | (
                Exportability::Sensitive,
                Exportability::Trusted | Exportability::NotExportable | Exportability::Sensitive
            )
        );
        if !narrowed
            || new.key_usage() != self.key_usage
            || new.algorithm() != self.algorithm
            || new.mode_of_use() != self.mode_of_use
        {
            return Err(Error::InvalidKey);
        }
        Ok(())
    }
}

/// A symmetric key of one of the kernel's key types.
///
/// ```
/// use paykernel::keyblock::{BoundKey, Kbpk, SymmetricKey, Version};
/// // ASC X9 TR-31:2018 A.7.2.2: the P0 key is a TDES key.
/// let kbpk = Kbpk::from_slice(&hex::decode("DD7515F2BFC17F85CE48F3CA25CB21F6").unwrap(), Version::B)?;
/// let bound = BoundKey::unwrap(&kbpk, b"B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E")?;
/// let key: &SymmetricKey = bound.key();
/// assert!(matches!(key, SymmetricKey::Tdes(_)));
/// assert_eq!(hex::encode_upper(key.expose_secret()), "3F419E1CB7079442AA37474C2EFBF8B8");
/// # Ok::<(), paykernel::Error>(())
/// ```
#[derive(Debug)]
pub enum SymmetricKey {
    /// A TDES (or single DES) key.
    Tdes(TdesKey),
    /// An AES key.
    Aes(AesKey),
    /// An HMAC key.
    Hmac(HmacKey),
}

impl SymmetricKey {
    /// The key's bytes. Handle with care: this is the secret.
    #[must_use]
    pub fn expose_secret(&self) -> &[u8] {
        match self {
            SymmetricKey::Tdes(k) => k.expose_secret(),
            SymmetricKey::Aes(k) => k.expose_secret(),
            SymmetricKey::Hmac(k) => k.expose_secret(),
        }
    }
}

/// A symmetric key from a key block, with the attributes of its header.
/// Wiped on drop (its key is), printed redacted.
///
/// ```
/// use paykernel::keyblock::{BoundKey, Kbpk, KeyBlock, KeyUsage, MAX_BLOCK_LEN, Version};
///
/// // ASC X9 TR-31:2018 A.7.2.2: a P0 TDES key, exportable (E).
/// let kbpk = Kbpk::from_slice(&hex::decode("DD7515F2BFC17F85CE48F3CA25CB21F6").unwrap(), Version::B)?;
/// let block = KeyBlock::parse(b"B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E")?;
/// let mut work = [0u8; 64];
/// let key = BoundKey::from_unwrapped(&kbpk.unwrap(&block, &mut work)?)?;
/// assert_eq!(key.attributes().key_usage, KeyUsage::PinEncryption);
/// // Its check value: TDES of zeros, 3 bytes (recomputed with pycryptodome:
/// // 57C40986AFFCE7DB).
/// assert_eq!(key.kcv().unwrap().as_bytes(), [0x57, 0xC4, 0x09]);
///
/// // Exported again with fresh random padding (here masking the key as
/// // 24 bytes long), then back: the same key.
/// let mut out = [0u8; MAX_BLOCK_LEN];
/// let again = key.wrap_random(&kbpk, b"B0000P0TE00N0000", Some(24), &mut getrandom::SysRng, &mut out)?;
/// assert_eq!(again.len(), 16 + 2 * (2 + 24 + 6) + 16);
/// let back = BoundKey::unwrap(&kbpk, again)?;
/// assert_eq!(back.key().expose_secret(), key.key().expose_secret());
/// # Ok::<(), paykernel::Error>(())
/// ```
#[derive(Debug)]
pub struct BoundKey {
    attributes: KeyAttributes,
    key: SymmetricKey,
}

impl BoundKey {
    /// The key of an unwrapped block as the kernel key type its header's
    /// algorithm names: `T` and `D` a [`TdesKey`], `A` an [`AesKey`], `H`
    /// an [`HmacKey`].
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for a length that key type does not take;
    /// [`Error::Unsupported`] for another algorithm (an asymmetric key).
    pub fn from_unwrapped(unwrapped: &Unwrapped<'_, '_>) -> Result<BoundKey, Error> {
        let attributes = KeyAttributes::of(unwrapped.header());
        let key = match attributes.algorithm {
            Algorithm::Tdes | Algorithm::Des => SymmetricKey::Tdes(unwrapped.tdes_key()?),
            Algorithm::Aes => SymmetricKey::Aes(unwrapped.aes_key()?),
            Algorithm::Hmac => SymmetricKey::Hmac(unwrapped.hmac_key()?),
            _ => return Err(Error::Unsupported),
        };
        Ok(BoundKey { attributes, key })
    }

    /// Unwraps `text` under `kbpk` and binds its key: [`super::KeyBlock::parse`],
    /// [`Kbpk::unwrap`] (into a work buffer of 128 bytes on the stack) and
    /// [`BoundKey::from_unwrapped`].
    ///
    /// ```
    /// use paykernel::keyblock::{BoundKey, Kbpk, KeyUsage, SymmetricKey, Version};
    /// use paykernel::Error;
    ///
    /// // ASC X9 TR-31:2018 A.7.2.2: a PIN encryption key (P0) in a
    /// // version B block.
    /// let kbpk = Kbpk::from_slice(&hex::decode("DD7515F2BFC17F85CE48F3CA25CB21F6").unwrap(), Version::B)?;
    /// let block = b"B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E";
    /// let key = BoundKey::unwrap(&kbpk, block)?;
    /// assert_eq!(key.attributes().key_usage, KeyUsage::PinEncryption);
    /// assert!(matches!(key.key(), SymmetricKey::Tdes(_)));
    /// assert_eq!(hex::encode_upper(key.key().expose_secret()), "3F419E1CB7079442AA37474C2EFBF8B8");
    /// // One character changed: the MAC does not check out.
    /// let mut changed = *block;
    /// changed[40] = b'0';
    /// assert_eq!(BoundKey::unwrap(&kbpk, &changed).err(), Some(Error::BadMac));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// As those; [`Error::InvalidLength`] for key data longer than 128
    /// bytes (no symmetric key of the kernel needs more).
    pub fn unwrap(kbpk: &Kbpk, text: &[u8]) -> Result<BoundKey, Error> {
        let block = super::KeyBlock::parse(text)?;
        let mut work = [0u8; 128];
        let unwrapped = kbpk.unwrap(&block, &mut work)?;
        BoundKey::from_unwrapped(&unwrapped)
    }

    /// The attributes of the header the key came in.
    #[must_use]
    pub fn attributes(&self) -> &KeyAttributes {
        &self.attributes
    }

    /// The key itself, for a use the kernel has no wrapper for: whoever
    /// takes it leaves the checks of this module behind.
    #[must_use]
    pub fn key(&self) -> &SymmetricKey {
        &self.key
    }

    /// The key's check value: TDES by the legacy method (encrypt zeros, 3
    /// bytes), AES by CMAC (5 bytes), as X9.24-1:2017 Annex A and the `KC`
    /// optional block use them; none for an HMAC key.
    #[must_use]
    pub fn kcv(&self) -> Option<Kcv> {
        match &self.key {
            SymmetricKey::Tdes(k) => k.kcv(KcvMethod::EncryptZeros, 3).ok(),
            SymmetricKey::Aes(k) => k.kcv(KcvMethod::CmacZeros, 5).ok(),
            SymmetricKey::Hmac(_) => None,
        }
    }

    /// Wraps the key again under `kbpk` and `header`, random padding from
    /// `rng` masking its length as [`Kbpk::wrap_random`] does, if its
    /// attributes allow it ([`KeyAttributes::check_export`]).
    ///
    /// # Errors
    /// [`Error::InvalidKey`] when the key may not be exported under that
    /// header; otherwise as [`Kbpk::wrap_random`].
    pub fn wrap_random<'o, R: TryCryptoRng + ?Sized>(
        &self,
        kbpk: &Kbpk,
        header: &[u8],
        masked_key_len: Option<usize>,
        rng: &mut R,
        out: &'o mut [u8],
    ) -> Result<&'o [u8], Error> {
        self.attributes.check_export(&Header::parse(header)?)?;
        kbpk.wrap_random(header, self.key.expose_secret(), masked_key_len, rng, out)
    }

    /// As [`BoundKey::wrap_random`] with the padding given.
    ///
    /// # Errors
    /// As [`BoundKey::wrap_random`] and [`Kbpk::wrap`].
    ///
    /// ```
    /// use paykernel::keyblock::{BoundKey, Kbpk, MAX_BLOCK_LEN, Version};
    /// use paykernel::{Error, TdesKey};
    ///
    /// // ASC X9 TR-31:2018 A.7.2.2: a P0 key, exportable (`E`).
    /// let kbpk = Kbpk::from_slice(&hex::decode("DD7515F2BFC17F85CE48F3CA25CB21F6").unwrap(), Version::B)?;
    /// let key = BoundKey::unwrap(
    ///     &kbpk,
    ///     b"B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E",
    /// )?;
    /// let mut out = [0u8; MAX_BLOCK_LEN];
    /// // Exported again under the same header: the same block back.
    /// let pad = hex::decode("1C2965473CE2").unwrap();
    /// let again = key.wrap(&kbpk, b"B0000P0TE00E0000", &pad, &mut out)?;
    /// assert_eq!(
    ///     again,
    ///     b"B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E"
    /// );
    /// // Its new owner cannot export it any further.
    /// let kept = BoundKey::unwrap(&kbpk, key.wrap(&kbpk, b"B0000P0TE00N0000", &pad, &mut out)?)?;
    /// assert_eq!(kept.wrap(&kbpk, b"B0000P0TE00N0000", &pad, &mut [0u8; 100]).err(), Some(Error::InvalidKey));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    pub fn wrap<'o>(
        &self,
        kbpk: &Kbpk,
        header: &[u8],
        pad: &[u8],
        out: &'o mut [u8],
    ) -> Result<&'o [u8], Error> {
        self.attributes.check_export(&Header::parse(header)?)?;
        kbpk.wrap(header, self.key.expose_secret(), pad, out)
    }
}

/// Whether a base derivation key's header is one: usage `B0`, mode of use
/// `X` (derive keys) or `N`.
fn check_bdk(a: &KeyAttributes) -> Result<(), Error> {
    if a.key_usage == KeyUsage::Bdk
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

/// The host's TDES DUKPT base derivation key (X9.24-1:2009), from a `B0`
/// block: it derives initial keys and transaction keys, and does nothing
/// else.
///
/// ```
/// use paykernel::keyblock::{KeyUsage, ModeOfUse, Kbpk, Version, host_tdes_bdk};
///
/// // psec 1.3.0's B0 block (vectors/tools/tr31_psec.py) of ANSI
/// // X9.24-1:2009 A.4's BDK; A.4's IPEK.
/// let kbpk = Kbpk::from_slice(&hex::decode("B8ED59E0A279A295E9F5ED7944FD06B9").unwrap(), Version::B)?;
/// let bdk = host_tdes_bdk(&kbpk, b"B0096B0TX00N00009CF53B185C36D7D36EF048E7B8825E8F434CE6C2D15AEC3A9495A37DC82050D349638DAB89CD3533")?;
/// assert_eq!(bdk.attributes().key_usage, KeyUsage::Bdk);
/// assert_eq!(bdk.attributes().mode_of_use, ModeOfUse::DeriveKeys);
/// let ipek = bdk.derive_initial_key(&"FFFF9876543210E00000".parse()?)?;
/// assert_eq!(hex::encode_upper(ipek.expose_secret()), "6AC292FAA1315B4D858AB3A3D7D5933A");
/// # Ok::<(), paykernel::Error>(())
/// ```
#[derive(Debug)]
pub struct TdesBdk {
    key: TdesKey,
    attributes: KeyAttributes,
}

impl TdesBdk {
    /// The attributes of the header it came in.
    #[must_use]
    pub fn attributes(&self) -> &KeyAttributes {
        &self.attributes
    }

    /// The IPEK of the terminal whose KSN is `ksn`
    /// ([`tdes_dukpt::derive_initial_key`]). Host side (and the key
    /// injection facility).
    ///
    /// # Errors
    /// As [`tdes_dukpt::derive_initial_key`].
    pub fn derive_initial_key(&self, ksn: &TdesKsn) -> Result<TdesKey, Error> {
        tdes_dukpt::derive_initial_key(&self.key, ksn)
    }

    /// The `variant` key of `ksn`'s transaction
    /// ([`tdes_dukpt::derive_working_key_from_bdk`]). Host side.
    ///
    /// ```
    /// use paykernel::dukpt::tdes::Variant;
    /// use paykernel::keyblock::{Kbpk, Version, host_tdes_bdk};
    ///
    /// // psec 1.3.0's B0 block of ANSI X9.24-1:2009 A.4's BDK; A.4's
    /// // first PIN key.
    /// let kbpk = Kbpk::from_slice(&hex::decode("B8ED59E0A279A295E9F5ED7944FD06B9").unwrap(), Version::B)?;
    /// let bdk = host_tdes_bdk(&kbpk, b"B0096B0TX00N00009CF53B185C36D7D36EF048E7B8825E8F434CE6C2D15AEC3A9495A37DC82050D349638DAB89CD3533")?;
    /// let key = bdk.derive_key(&"FFFF9876543210E00001".parse()?, Variant::Pin)?;
    /// assert_eq!(hex::encode_upper(key.expose_secret()), "042666B49184CF5C68DE9628D0397B36");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`tdes_dukpt::derive_working_key_from_bdk`].
    pub fn derive_key(&self, ksn: &TdesKsn, variant: Variant) -> Result<TdesKey, Error> {
        tdes_dukpt::derive_working_key_from_bdk(&self.key, ksn, variant)
    }

    /// The keys of `ksn`'s transaction, to check its MACs, decrypt its data
    /// and translate its PIN block ([`txn::tdes::Transaction::from_bdk`]).
    /// Host side.
    ///
    /// ```
    /// use paykernel::dukpt::txn::{Direction, EncipheredPin};
    /// use paykernel::keyblock::{Kbpk, Version, host_tdes_bdk};
    /// use paykernel::pin::{Format, PinBlockCipher};
    /// use paykernel::Pan;
    /// # struct NoRandom;
    /// # impl rand_core::TryRng for NoRandom {
    /// #     type Error = core::convert::Infallible;
    /// #     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(0) }
    /// #     fn try_next_u64(&mut self) -> Result<u64, Self::Error> { Ok(0) }
    /// #     fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), Self::Error> { d.fill(0); Ok(()) }
    /// # }
    /// # impl rand_core::TryCryptoRng for NoRandom {}
    ///
    /// // ANSI X9.24-1:2009 A.4's BDK (in psec 1.3.0's B0 block) and the
    /// // PIN block of its first transaction, translated to a zone key that
    /// // is A.4's second PIN key: the block becomes A.4's second block
    /// // (format 0 draws nothing random).
    /// let kbpk = Kbpk::from_slice(&hex::decode("B8ED59E0A279A295E9F5ED7944FD06B9").unwrap(), Version::B)?;
    /// let bdk = host_tdes_bdk(&kbpk, b"B0096B0TX00N00009CF53B185C36D7D36EF048E7B8825E8F434CE6C2D15AEC3A9495A37DC82050D349638DAB89CD3533")?;
    /// let zone = PinBlockCipher::new(Format::Iso0, &hex::decode("C46551CEF9FD244FAA9AD834130D3B38").unwrap())?;
    /// let t = bdk.transaction(&"FFFF9876543210E00001".parse()?)?;
    /// let pan: Pan = "4012345678909".parse()?;
    /// let block = hex::decode("1B9C1845EB993A7A").unwrap();
    /// let pin = EncipheredPin { block: &block, format: Format::Iso0, pan: Some(&pan) };
    /// let out = t.translate_pin(&pin, &zone, &mut NoRandom)?;
    /// assert_eq!(hex::encode_upper(out.as_bytes()), "10A01C8D02C69107");
    /// // A.4's request MAC of its first transaction.
    /// let ok = t.verify_mac(Direction::Request, b"4012345678909D987", &[0x9C, 0xCC, 0x78, 0x17])?;
    /// assert!(bool::from(ok));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// None in practice (the BDK is double-length).
    pub fn transaction(&self, ksn: &TdesKsn) -> Result<txn::tdes::Transaction, Error> {
        txn::tdes::Transaction::from_bdk(&self.key, ksn)
    }

    /// A host that processes requests in one call ([`txn::tdes::Host`]:
    /// request MAC, data, PIN translation to `zone`) under this BDK. Host
    /// side.
    ///
    /// ```
    /// use paykernel::dukpt::txn::Request;
    /// use paykernel::keyblock::{Kbpk, Version, host_tdes_bdk};
    /// use paykernel::pin::{Format, PinBlockCipher};
    /// use paykernel::Error;
    /// # struct NoRandom;
    /// # impl rand_core::TryRng for NoRandom {
    /// #     type Error = core::convert::Infallible;
    /// #     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(0) }
    /// #     fn try_next_u64(&mut self) -> Result<u64, Self::Error> { Ok(0) }
    /// #     fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), Self::Error> { d.fill(0); Ok(()) }
    /// # }
    /// # impl rand_core::TryCryptoRng for NoRandom {}
    ///
    /// // A.4's first request MAC over "4012345678909D987" (the message;
    /// // no PIN, no data): accepted; one bit off: refused.
    /// let kbpk = Kbpk::from_slice(&hex::decode("B8ED59E0A279A295E9F5ED7944FD06B9").unwrap(), Version::B)?;
    /// let bdk = host_tdes_bdk(&kbpk, b"B0096B0TX00N00009CF53B185C36D7D36EF048E7B8825E8F434CE6C2D15AEC3A9495A37DC82050D349638DAB89CD3533")?;
    /// let zone = PinBlockCipher::new(Format::Iso0, &[0x11; 16])?;
    /// let host = bdk.host(&zone)?;
    /// let request = |mac| Request {
    ///     ksn: "FFFF9876543210E00001".parse().unwrap(),
    ///     message: b"4012345678909D987",
    ///     pin: None,
    ///     data: &mut [],
    ///     iv: None,
    ///     mac,
    /// };
    /// assert!(host.process(&mut request(&[0x9C, 0xCC, 0x78, 0x17]), &mut NoRandom).is_ok());
    /// let r = host.process(&mut request(&[0x9C, 0xCC, 0x78, 0x16]), &mut NoRandom);
    /// assert_eq!(r.err(), Some(Error::BadMac));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// None in practice (the BDK is double-length).
    pub fn host<'a>(&'a self, zone: &'a PinBlockCipher) -> Result<txn::tdes::Host<'a>, Error> {
        txn::tdes::Host::new(&self.key, zone)
    }
}

impl TryFrom<BoundKey> for TdesBdk {
    type Error = Error;

    /// A `B0` key of algorithm `T` and 16 bytes, mode of use `X` or `N`.
    ///
    /// ```
    /// use paykernel::dukpt::TdesKsn;
    /// use paykernel::keyblock::{BoundKey, Kbpk, TdesBdk, Version};
    /// use paykernel::Error;
    ///
    /// // A B0 block that psec 1.3.0 made (vectors/tools/tr31_psec.py) for the BDK
    /// // of ANSI X9.24-1:2009 A.4, 0123456789ABCDEFFEDCBA9876543210.
    /// let kbpk = Kbpk::from_slice(&hex::decode("B8ED59E0A279A295E9F5ED7944FD06B9").unwrap(), Version::B)?;
    /// let bdk = TdesBdk::try_from(BoundKey::unwrap(&kbpk, b"B0096B0TX00N00009CF53B185C36D7D36EF048E7B8825E8F434CE6C2D15AEC3A9495A37DC82050D349638DAB89CD3533")?)?;
    /// let ipek = bdk.derive_initial_key(&"FFFF9876543210E00000".parse()?)?;
    /// assert_eq!(hex::encode_upper(ipek.expose_secret()), "6AC292FAA1315B4D858AB3A3D7D5933A");
    ///
    /// // The same key in a P0 (PIN encryption) block cannot become a BDK.
    /// let p0 = BoundKey::unwrap(&kbpk, b"B0096P0TE00N00000D6A463E73F3D1BDA9A9A4B2BA2F876D78B7EBEADB8BA6F3E2A172EB4DE1D1DFB9D8932165DB3C09")?;
    /// assert_eq!(TdesBdk::try_from(p0).err(), Some(Error::InvalidKey));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    fn try_from(bound: BoundKey) -> Result<TdesBdk, Error> {
        check_bdk(&bound.attributes)?;
        match bound.key {
            // Only algorithm `T` carries 16 bytes (`Unwrapped::tdes_key`).
            SymmetricKey::Tdes(key) if key.length() == TdesKeyLength::Double => Ok(TdesBdk {
                key,
                attributes: bound.attributes,
            }),
            _ => Err(Error::InvalidKey),
        }
    }
}

/// The host's AES DUKPT base derivation key (X9.24-3-2017), from a `B0`
/// block of algorithm `A`.
///
/// ```
/// use paykernel::dukpt::aes::{KeyType, KeyUsage};
/// use paykernel::dukpt::txn::aes::KeyTypes;
/// use paykernel::keyblock::{Algorithm, Kbpk, Version, host_aes_bdk};
/// use paykernel::pin::{Format, PinBlockCipher};
///
/// // psec 1.3.0's B0 block of the X9.24-3-2017 supplement's AES-128 BDK:
/// // the supplement's initial key of ID 1234567890123456, and its 2TDEA
/// // PIN key of transaction 1.
/// let kbpk = Kbpk::from_slice(&hex::decode("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6").unwrap(), Version::D)?;
/// let bdk = host_aes_bdk(&kbpk, b"D0144B0AX00N00000E72F5A261A5BEC8ADC1A0ADC53158F5B3C458743613BD47FE4561D8D2ACB3361C12AB6B2C3435EA1EEC8756246B04B453C92A34574725548A0BC597379DBAC8")?;
/// assert_eq!(bdk.attributes().algorithm, Algorithm::Aes);
/// let ik = bdk.derive_initial_key(&"1234567890123456".parse()?)?;
/// assert_eq!(hex::encode_upper(ik.expose_secret()), "1273671EA26AC29AFA4D1084127652A1");
/// let pin = bdk.derive_working_key(&"123456789012345600000001".parse()?, KeyType::Tdea2, KeyUsage::PinEncryption)?;
/// assert_eq!(hex::encode_upper(pin.expose_secret()), "630C706D9546E47D4449313F61C4D4AB");
/// // A one-call host over it.
/// let zone = PinBlockCipher::new(Format::Iso0, &[0x11; 16])?;
/// let _host = bdk.host(KeyTypes::AES128, &zone)?;
/// # Ok::<(), paykernel::Error>(())
/// ```
#[derive(Debug)]
pub struct AesBdk {
    key: AesKey,
    attributes: KeyAttributes,
}

impl AesBdk {
    /// The attributes of the header it came in.
    #[must_use]
    pub fn attributes(&self) -> &KeyAttributes {
        &self.attributes
    }

    /// The initial key of the terminal `initial_key_id`
    /// ([`aes_dukpt::derive_initial_key`]). Host side.
    ///
    /// # Errors
    /// As [`aes_dukpt::derive_initial_key`].
    pub fn derive_initial_key(&self, initial_key_id: &InitialKeyId) -> Result<AesKey, Error> {
        aes_dukpt::derive_initial_key(&self.key, initial_key_id)
    }

    /// A working key of `ksn`'s transaction
    /// ([`aes_dukpt::derive_working_key_from_bdk`]). Host side.
    ///
    /// # Errors
    /// As [`aes_dukpt::derive_working_key_from_bdk`].
    pub fn derive_working_key(
        &self,
        ksn: &AesKsn,
        key_type: KeyType,
        usage: aes_dukpt::KeyUsage,
    ) -> Result<WorkingKey, Error> {
        aes_dukpt::derive_working_key_from_bdk(&self.key, ksn, key_type, usage)
    }

    /// The keys of `ksn`'s transaction ([`txn::aes::Transaction::from_bdk`]).
    /// Host side.
    ///
    /// ```
    /// use paykernel::dukpt::aes::{KeyType, KeyUsage};
    /// use paykernel::keyblock::{Kbpk, Version, host_aes_bdk};
    ///
    /// // psec 1.3.0's B0 block of the X9.24-3-2017 supplement's AES-128
    /// // BDK; the AES-CMAC of "4012345678909D987" under transaction 1's
    /// // mac-generate key (moov-io/dukpt's tests).
    /// let kbpk = Kbpk::from_slice(&hex::decode("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6").unwrap(), Version::D)?;
    /// let bdk = host_aes_bdk(&kbpk, b"D0144B0AX00N00000E72F5A261A5BEC8ADC1A0ADC53158F5B3C458743613BD47FE4561D8D2ACB3361C12AB6B2C3435EA1EEC8756246B04B453C92A34574725548A0BC597379DBAC8")?;
    /// let t = bdk.transaction(&"123456789012345600000001".parse()?)?;
    /// let mac = t.mac(KeyType::Aes128, KeyUsage::MacGeneration, b"4012345678909D987", 16)?;
    /// assert_eq!(hex::encode_upper(mac.as_bytes()), "A2EB5C1C35809E58404E873C3C411E31");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// None in practice.
    pub fn transaction(&self, ksn: &AesKsn) -> Result<txn::aes::Transaction, Error> {
        txn::aes::Transaction::from_bdk(&self.key, ksn)
    }

    /// A host that processes requests in one call ([`txn::aes::Host`])
    /// under this BDK, for terminals using `key_types`. Host side.
    ///
    /// # Errors
    /// As [`txn::aes::Host::new`].
    pub fn host<'a>(
        &'a self,
        key_types: txn::aes::KeyTypes,
        zone: &'a PinBlockCipher,
    ) -> Result<txn::aes::Host<'a>, Error> {
        txn::aes::Host::new(&self.key, key_types, zone)
    }
}

impl TryFrom<BoundKey> for AesBdk {
    type Error = Error;

    /// A `B0` key of algorithm `A`, mode of use `X` or `N`.
    ///
    /// ```
    /// use paykernel::keyblock::{AesBdk, BoundKey, Kbpk, Version};
    ///
    /// // psec 1.3.0 made this block for the AES-128 BDK of the X9.24-3-2017
    /// // test vectors, FEDCBA9876543210F1F1F1F1F1F1F1F1.
    /// let kbpk = Kbpk::from_slice(&hex::decode("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6").unwrap(), Version::D)?;
    /// let bdk = AesBdk::try_from(BoundKey::unwrap(&kbpk, b"D0144B0AX00N00000E72F5A261A5BEC8ADC1A0ADC53158F5B3C458743613BD47FE4561D8D2ACB3361C12AB6B2C3435EA1EEC8756246B04B453C92A34574725548A0BC597379DBAC8")?)?;
    /// let ik = bdk.derive_initial_key(&"1234567890123456".parse()?)?;
    /// assert_eq!(hex::encode_upper(ik.expose_secret()), "1273671EA26AC29AFA4D1084127652A1");
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    fn try_from(bound: BoundKey) -> Result<AesBdk, Error> {
        check_bdk(&bound.attributes)?;
        match bound.key {
            SymmetricKey::Aes(key) => Ok(AesBdk {
                key,
                attributes: bound.attributes,
            }),
            _ => Err(Error::InvalidKey),
        }
    }
}

/// The shortest MAC a [`MacVerifier`] checks: the kernel's floor for every
/// MAC, [`mac::MIN_MAC_LEN`](crate::mac::MIN_MAC_LEN) (4 bytes).
pub const MIN_MAC_LEN: usize = crate::mac::MIN_MAC_LEN;

/// The MAC engines a MAC key from a block can drive.
#[allow(
    clippy::large_enum_variant,
    reason = "no heap in the kernel to box into; one per key, made once and reused"
)]
enum MacEngine {
    /// `M0` (ISO 16609 MAC algorithm 1) and `M1` (ISO 9797-1 algorithm 1).
    CbcMac(CbcMac, Padding),
    /// `M3`: ISO 9797-1 algorithm 3, the retail MAC (a 16-byte TDES key).
    Retail(RetailMac, Padding),
    /// `M6`: CMAC with TDES.
    TdesCmac(TdesCmac),
    /// `M6`: CMAC with AES.
    AesCmac(AesCmac),
}

impl MacEngine {
    /// The engine for a MAC key's usage and algorithm; `padding` is the
    /// ISO 9797-1 padding of the CBC-MAC and retail MAC (CMAC pads itself).
    fn new(bound: &BoundKey, padding: Padding) -> Result<MacEngine, Error> {
        let usage = bound.attributes.key_usage;
        Ok(match (usage, &bound.key) {
            (KeyUsage::Iso16609Mac, SymmetricKey::Tdes(k)) => {
                MacEngine::CbcMac(CbcMac::tdes(k), padding)
            }
            (KeyUsage::Iso9797Mac1, SymmetricKey::Tdes(k)) => {
                MacEngine::CbcMac(CbcMac::tdes(k), padding)
            }
            (KeyUsage::Iso9797Mac1, SymmetricKey::Aes(k)) => {
                MacEngine::CbcMac(CbcMac::aes(k), padding)
            }
            (KeyUsage::Iso9797Mac3, SymmetricKey::Tdes(k)) => {
                MacEngine::Retail(RetailMac::new(k)?, padding)
            }
            (KeyUsage::Cmac, SymmetricKey::Tdes(k)) => MacEngine::TdesCmac(TdesCmac::new(k)),
            (KeyUsage::Cmac, SymmetricKey::Aes(k)) => MacEngine::AesCmac(AesCmac::new(k)),
            (
                KeyUsage::Iso16609Mac
                | KeyUsage::Iso9797Mac1
                | KeyUsage::Iso9797Mac3
                | KeyUsage::Cmac,
                _,
            ) => return Err(Error::InvalidKey),
            (
                KeyUsage::Iso9797Mac2
                | KeyUsage::Iso9797Mac4
                | KeyUsage::Iso9797Mac5
                | KeyUsage::Hmac
                | KeyUsage::Iso9797Mac6,
                _,
            ) => return Err(Error::Unsupported),
            _ => return Err(Error::InvalidKey),
        })
    }

    fn mac(&self, data: &[u8], len: usize) -> Result<Tag, Error> {
        match self {
            MacEngine::CbcMac(m, p) => m.mac(data, *p, len),
            MacEngine::Retail(m, p) => m.mac(data, *p, len),
            MacEngine::TdesCmac(m) => m.mac(data, len),
            MacEngine::AesCmac(m) => m.mac(data, len),
        }
    }

    fn verify(&self, data: &[u8], tag: &[u8], len: usize) -> Result<Choice, Error> {
        // The MAC verifiers refuse a `len` outside MIN_MAC_LEN..=block.
        match self {
            MacEngine::CbcMac(m, p) => m.verify(data, *p, tag, len),
            MacEngine::Retail(m, p) => m.verify(data, *p, tag, len),
            MacEngine::TdesCmac(m) => m.verify(data, tag, len),
            MacEngine::AesCmac(m) => m.verify(data, tag, len),
        }
    }
}

/// A MAC key from a key block whose mode of use allows generation (`G`,
/// `C` or `N`): it makes MACs, and has no way to verify one (a verifier
/// that can generate could forge).
pub struct MacGenerator {
    engine: MacEngine,
    attributes: KeyAttributes,
}

impl MacGenerator {
    /// The generator of a MAC key: usage `M0` or `M1` (CBC-MAC, TDES or
    /// AES for `M1`), `M3` (retail MAC, a 16-byte TDES key) or `M6` (CMAC,
    /// TDES or AES); `padding` is the ISO 9797-1 padding of the first two
    /// (CMAC ignores it).
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for another usage, a mode of use that does
    /// not allow generation, or a key the algorithm does not take;
    /// [`Error::Unsupported`] for the MAC usages the kernel does not
    /// implement (`M2`, `M4`, `M5`, `M7`, `M8`).
    ///
    /// ```
    /// use paykernel::keyblock::{BoundKey, Kbpk, MacGenerator, MacVerifier, Version};
    /// use paykernel::mac::Padding;
    /// use paykernel::Error;
    ///
    /// // psec 1.3.0 wrapped the AES key of NIST SP 800-38B D.1 as M6 (CMAC),
    /// // mode G (generate only), and as M6 mode V (verify only).
    /// let kbpk = Kbpk::from_slice(&hex::decode("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6").unwrap(), Version::D)?;
    /// let g = BoundKey::unwrap(&kbpk, b"D0144M6AG00E0000A3EAD5939A1ADE92A24477081F32256C2F647C88FE15E00F6F13AA7C583A18BAB2F513EC4F6EC6E3607B5C7C69C713A9ED89A83ECB7864AACB4863E86F3C3777")?;
    /// let v = BoundKey::unwrap(&kbpk, b"D0144M6AV00E00008DC261DB36D6597A87E3AC4F6566586699213BB492E54E3E0690F3957FAC1AD8F28BC4F35FE8C485592340EC95D60B2B5FEAB7B8D80E0FF74E4512446F2A26CD")?;
    ///
    /// let verifier = MacVerifier::new(v, Padding::Method1)?;
    /// let generator = MacGenerator::new(g, Padding::Method1)?;
    /// assert_eq!(generator.attributes().mode_of_use, paykernel::keyblock::ModeOfUse::GenerateOnly);
    /// assert_eq!(verifier.attributes().mode_of_use, paykernel::keyblock::ModeOfUse::VerifyOnly);
    /// let tag = generator.mac(&[], 16)?;
    /// // SP 800-38B D.1 example 1: the CMAC of the empty message.
    /// assert_eq!(hex::encode_upper(tag.as_bytes()), "BB1D6929E95937287FA37D129B756746");
    /// assert!(bool::from(verifier.verify(&[], tag.as_bytes(), 16)?));
    ///
    /// // A verify-only key cannot become a generator.
    /// let v = BoundKey::unwrap(&kbpk, b"D0144M6AV00E00008DC261DB36D6597A87E3AC4F6566586699213BB492E54E3E0690F3957FAC1AD8F28BC4F35FE8C485592340EC95D60B2B5FEAB7B8D80E0FF74E4512446F2A26CD")?;
    /// assert_eq!(MacGenerator::new(v, Padding::Method1).err(), Some(Error::InvalidKey));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    pub fn new(key: BoundKey, padding: Padding) -> Result<MacGenerator, Error> {
        if !key.attributes.mode_of_use.allows_generate() {
            return Err(Error::InvalidKey);
        }
        Ok(MacGenerator {
            engine: MacEngine::new(&key, padding)?,
            attributes: key.attributes,
        })
    }

    /// The MAC of `data`, its leftmost `len` bytes.
    ///
    /// # Errors
    /// As the MAC of the key's usage ([`Error::InvalidLength`] for a `len`
    /// outside the block).
    pub fn mac(&self, data: &[u8], len: usize) -> Result<Tag, Error> {
        self.engine.mac(data, len)
    }

    /// The attributes of the header the key came in.
    #[must_use]
    pub fn attributes(&self) -> &KeyAttributes {
        &self.attributes
    }
}

impl fmt::Debug for MacGenerator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MacGenerator")
            .field("attributes", &self.attributes)
            .finish_non_exhaustive()
    }
}

/// A MAC key from a key block whose mode of use allows verification (`V`,
/// `C` or `N`): it checks MACs in constant time and hands out none.
pub struct MacVerifier {
    engine: MacEngine,
    attributes: KeyAttributes,
}

impl MacVerifier {
    /// The verifier of a MAC key (usages as [`MacGenerator::new`]).
    ///
    /// # Errors
    /// As [`MacGenerator::new`], with a mode of use that does not allow
    /// verification.
    pub fn new(key: BoundKey, padding: Padding) -> Result<MacVerifier, Error> {
        if !key.attributes.mode_of_use.allows_verify() {
            return Err(Error::InvalidKey);
        }
        Ok(MacVerifier {
            engine: MacEngine::new(&key, padding)?,
            attributes: key.attributes,
        })
    }

    /// Whether `tag` is the MAC of `data` cut to `len` bytes, compared in
    /// constant time; a `tag` that is not `len` bytes is not valid. The
    /// answer is a [`Choice`] the kernel does not branch on: `bool::from`
    /// it where the caller decides.
    ///
    /// ```
    /// use paykernel::keyblock::{BoundKey, Kbpk, MacVerifier, Version};
    /// use paykernel::mac::Padding;
    /// use paykernel::Error;
    ///
    /// // psec 1.3.0 wrapped the AES key of NIST SP 800-38B D.1 as M6
    /// // (CMAC), mode V (verify only); D.1 example 1 is the CMAC of the
    /// // empty message.
    /// let kbpk = Kbpk::from_slice(&hex::decode("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6").unwrap(), Version::D)?;
    /// let v = BoundKey::unwrap(&kbpk, b"D0144M6AV00E00008DC261DB36D6597A87E3AC4F6566586699213BB492E54E3E0690F3957FAC1AD8F28BC4F35FE8C485592340EC95D60B2B5FEAB7B8D80E0FF74E4512446F2A26CD")?;
    /// let verifier = MacVerifier::new(v, Padding::Method1)?;
    /// assert_eq!(verifier.attributes().key_usage, paykernel::keyblock::KeyUsage::Cmac);
    /// let tag = hex::decode("BB1D6929E95937287FA37D129B756746").unwrap();
    /// assert!(bool::from(verifier.verify(&[], &tag, 16)?));
    /// assert!(bool::from(verifier.verify(&[], &tag[..4], 4)?));
    /// assert!(!bool::from(verifier.verify(b"x", &tag, 16)?));
    /// // 1 to 3 bytes are guessed too easily: refused.
    /// assert_eq!(verifier.verify(&[], &tag[..2], 2).err(), Some(Error::InvalidLength));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for `len` outside [`MIN_MAC_LEN`] to the
    /// cipher's block (8 bytes for TDES, 16 for AES): a MAC shorter than 4
    /// bytes is guessed too easily.
    pub fn verify(&self, data: &[u8], tag: &[u8], len: usize) -> Result<Choice, Error> {
        self.engine.verify(data, tag, len)
    }

    /// The attributes of the header the key came in.
    #[must_use]
    pub fn attributes(&self) -> &KeyAttributes {
        &self.attributes
    }
}

impl fmt::Debug for MacVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MacVerifier")
            .field("attributes", &self.attributes)
            .finish_non_exhaustive()
    }
}

/// A PIN encryption key (usage `P0`) from a key block: it makes ISO 9564-1
/// PIN block ciphers, and nothing else.
///
/// Its ciphers keep the key block's mode of use: from a key of mode `E`
/// (encrypt only) a cipher refuses to decipher, from one of mode `D`
/// (decrypt only) to encipher ([`Error::InvalidKey`]), wherever they are
/// used: [`PinBlockCipher`]'s own methods, either side of a translation,
/// a PIN verifier, a DUKPT host's zone key.
#[derive(Debug)]
pub struct PinKey {
    key: SymmetricKey,
    attributes: KeyAttributes,
}

impl PinKey {
    /// The cipher of `format` under this key: formats 0 to 3 for a TDES
    /// key, format 4 for an AES key.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for a format the key's cipher does not serve.
    ///
    /// ```
    /// use paykernel::keyblock::{BoundKey, Kbpk, PinKey, Version};
    /// use paykernel::pin::Format;
    ///
    /// // ASC X9 TR-31:2018 A.7.2.2: a P0 TDES key.
    /// let kbpk = Kbpk::from_slice(&hex::decode("DD7515F2BFC17F85CE48F3CA25CB21F6").unwrap(), Version::B)?;
    /// let key = PinKey::try_from(BoundKey::unwrap(
    ///     &kbpk,
    ///     b"B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E",
    /// )?)?;
    /// assert_eq!(key.attributes().key_usage, paykernel::keyblock::KeyUsage::PinEncryption);
    /// assert!(key.cipher(Format::Iso0).is_ok());
    /// assert!(key.cipher(Format::Iso4).is_err());
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    pub fn cipher(&self, format: Format) -> Result<PinBlockCipher, Error> {
        let mut cipher = match &self.key {
            SymmetricKey::Tdes(k) => PinBlockCipher::tdes(format, k)?,
            SymmetricKey::Aes(k) if format == Format::Iso4 => PinBlockCipher::aes(k),
            _ => return Err(Error::InvalidKey),
        };
        let mode = self.attributes.mode_of_use;
        cipher.restrict(Directions {
            encipher: mode.allows_encrypt(),
            decipher: mode.allows_decrypt(),
        });
        Ok(cipher)
    }

    /// The attributes of the header the key came in.
    #[must_use]
    pub fn attributes(&self) -> &KeyAttributes {
        &self.attributes
    }
}

impl TryFrom<BoundKey> for PinKey {
    type Error = Error;

    /// A `P0` key (TDES or AES) whose mode of use lets it encipher or
    /// decipher (`B`, `D`, `E` or `N`).
    fn try_from(bound: BoundKey) -> Result<PinKey, Error> {
        let m = bound.attributes.mode_of_use;
        if bound.attributes.key_usage != KeyUsage::PinEncryption
            || !(m.allows_encrypt() || m.allows_decrypt())
            || matches!(bound.key, SymmetricKey::Hmac(_))
        {
            return Err(Error::InvalidKey);
        }
        Ok(PinKey {
            key: bound.key,
            attributes: bound.attributes,
        })
    }
}
