//! Cipher block chaining (NIST SP 800-38A, 6.2) over the kernel's TDES and
//! AES: in place, over whole blocks, with no padding and no heap.
//!
//! The key schedule is the caller's ([`TdesCipher`], [`AesCipher`]), made
//! once and reused; the initialization vector is typed ([`TdesIv`],
//! [`AesIv`], or [`Iv`] where either cipher may be in use). Data that is not
//! a whole, non-zero number of blocks is refused with
//! [`Error::InvalidLength`] before anything is touched: padding is the
//! caller's protocol (DUKPT data is zero-padded by the terminal, for
//! instance), never guessed here.
//!
//! Encryption is a chain: each block waits for the one before. Decryption
//! is not: every block is deciphered independently and then XORed with the
//! ciphertext before it, so a TDES buffer goes through the bitsliced DES
//! ([`TdesCipher::decrypt_blocks`], 64 blocks per pass).
//!
//! ## Constant time
//!
//! Lengths are public and steer the loops; keys and data never steer a
//! branch or an index. The ciphertext blocks kept for the chaining during
//! decryption are ciphertext (public); the plaintext exists only in the
//! caller's buffer.

use core::fmt;

use crate::Error;
use crate::cipher::{AesCipher, TdesCipher};

/// How many TDES blocks one bitsliced decryption pass takes (64-bit
/// targets).
#[cfg(target_pointer_width = "64")]
const TDES_PASS: usize = 64;
/// 32-bit targets (firmware) decrypt block by block (see
/// [`TdesCipher::decrypt_blocks`]): no pass, no 512-byte copy of one.
#[cfg(not(target_pointer_width = "64"))]
const TDES_PASS: usize = 1;

/// The IV of TDES-CBC: one 8-byte block. Public data.
///
/// ```
/// use paykernel::Error;
/// use paykernel::mode::cbc::TdesIv;
/// let iv = TdesIv::from_bytes([0x12, 0x34, 0x56, 0x78, 0x90, 0xAB, 0xCD, 0xEF]);
/// assert_eq!(TdesIv::from_slice(iv.as_bytes())?, iv);
/// assert_eq!(format!("{iv:?}"), "TdesIv(1234567890ABCDEF)");
/// assert_eq!(TdesIv::ZERO.as_bytes(), &[0; 8]);
/// assert_eq!(TdesIv::from_slice(&[0; 16]), Err(Error::InvalidLength));
/// # Ok::<(), paykernel::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TdesIv([u8; 8]);

impl TdesIv {
    /// The all-zero IV.
    pub const ZERO: TdesIv = TdesIv([0; 8]);

    /// An IV from its 8 bytes.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 8]) -> TdesIv {
        TdesIv(bytes)
    }

    /// An IV from a slice.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] unless `iv` is 8 bytes.
    pub fn from_slice(iv: &[u8]) -> Result<TdesIv, Error> {
        <[u8; 8]>::try_from(iv)
            .map(TdesIv)
            .map_err(|_| Error::InvalidLength)
    }

    /// The IV's bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 8] {
        &self.0
    }
}

/// The IV of AES-CBC: one 16-byte block. Public data.
///
/// ```
/// use paykernel::Error;
/// use paykernel::mode::cbc::AesIv;
/// // The IV of NIST SP 800-38A F.2.1.
/// let bytes: [u8; 16] = core::array::from_fn(|i| i as u8);
/// let iv = AesIv::from_bytes(bytes);
/// assert_eq!(AesIv::from_slice(&bytes)?, iv);
/// assert_eq!(iv.as_bytes(), &bytes);
/// assert_eq!(format!("{iv:?}"), "AesIv(000102030405060708090A0B0C0D0E0F)");
/// assert_eq!(AesIv::ZERO.as_bytes(), &[0; 16]);
/// assert_eq!(AesIv::from_slice(&[0; 8]), Err(Error::InvalidLength));
/// # Ok::<(), paykernel::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AesIv([u8; 16]);

impl AesIv {
    /// The all-zero IV.
    pub const ZERO: AesIv = AesIv([0; 16]);

    /// An IV from its 16 bytes.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 16]) -> AesIv {
        AesIv(bytes)
    }

    /// An IV from a slice.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] unless `iv` is 16 bytes.
    pub fn from_slice(iv: &[u8]) -> Result<AesIv, Error> {
        <[u8; 16]>::try_from(iv)
            .map(AesIv)
            .map_err(|_| Error::InvalidLength)
    }

    /// The IV's bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

/// The IV of whichever cipher a key turns out to use (AES DUKPT data keys
/// are AES or TDES, by key type). Public data.
///
/// ```
/// use paykernel::Error;
/// use paykernel::mode::cbc::{AesIv, Iv, TdesIv};
/// // The length picks the cipher.
/// assert_eq!(Iv::from_slice(&[0; 8])?, Iv::Tdes(TdesIv::ZERO));
/// assert_eq!(Iv::from_slice(&[0; 16])?, Iv::Aes(AesIv::ZERO));
/// assert_eq!(Iv::from_slice(&[7; 16])?.as_bytes(), [7; 16]);
/// assert_eq!(Iv::from_slice(&[0; 12]), Err(Error::InvalidLength));
/// # Ok::<(), paykernel::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Iv {
    /// An 8-byte TDES IV.
    Tdes(TdesIv),
    /// A 16-byte AES IV.
    Aes(AesIv),
}

impl Iv {
    /// An IV from 8 (TDES) or 16 (AES) bytes.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for any other length.
    pub fn from_slice(iv: &[u8]) -> Result<Iv, Error> {
        match iv.len() {
            8 => TdesIv::from_slice(iv).map(Iv::Tdes),
            16 => AesIv::from_slice(iv).map(Iv::Aes),
            _ => Err(Error::InvalidLength),
        }
    }

    /// The IV's bytes (8 or 16).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Iv::Tdes(iv) => iv.as_bytes(),
            Iv::Aes(iv) => iv.as_bytes(),
        }
    }
}

impl fmt::Debug for TdesIv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex(f, "TdesIv", &self.0)
    }
}

impl fmt::Debug for AesIv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex(f, "AesIv", &self.0)
    }
}

fn write_hex(f: &mut fmt::Formatter<'_>, name: &str, bytes: &[u8]) -> fmt::Result {
    f.write_str(name)?;
    f.write_str("(")?;
    for b in bytes {
        write!(f, "{b:02X}")?;
    }
    f.write_str(")")
}

/// `data` as whole blocks of `N` bytes, at least one.
fn blocks_mut<const N: usize>(data: &mut [u8]) -> Result<&mut [[u8; N]], Error> {
    let (blocks, rest) = data.as_chunks_mut::<N>();
    if blocks.is_empty() || !rest.is_empty() {
        return Err(Error::InvalidLength);
    }
    Ok(blocks)
}

fn xor_into<const N: usize>(dst: &mut [u8; N], src: &[u8; N]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d ^= s;
    }
}

/// TDES-CBC encryption of `data` in place.
///
/// ```
/// use paykernel::mode::cbc::{self, TdesIv};
/// use paykernel::{TdesCipher, TdesKey};
///
/// // NIST SP 800-67 Rev. 1 example key; one block, zero IV: CBC is ECB.
/// let key = TdesKey::from_slice(&[
///     0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0x23, 0x45, 0x67, 0x89,
///     0xAB, 0xCD, 0xEF, 0x01, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0x01, 0x23,
/// ])?;
/// let mut data = *b"The qufc";
/// cbc::tdes_encrypt(&TdesCipher::new(&key), &TdesIv::ZERO, &mut data)?;
/// assert_eq!(data, [0xA8, 0x26, 0xFD, 0x8C, 0xE5, 0x3B, 0x85, 0x5F]);
/// # Ok::<(), paykernel::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidLength`] unless `data` is a whole, non-zero number of
/// 8-byte blocks (then `data` is untouched).
pub fn tdes_encrypt(cipher: &TdesCipher, iv: &TdesIv, data: &mut [u8]) -> Result<(), Error> {
    let blocks = blocks_mut::<8>(data)?;
    let mut chain = *iv.as_bytes();
    for b in blocks.iter_mut() {
        xor_into(b, &chain);
        cipher.encrypt_block(b);
        chain = *b;
    }
    Ok(())
}

/// TDES-CBC decryption of `data` in place, through the bitsliced DES 64
/// blocks at a time on 64-bit targets (CBC decryption's blocks are
/// independent), block by block on 32-bit ones.
///
/// ```
/// use paykernel::mode::cbc::{self, TdesIv};
/// use paykernel::{TdesCipher, TdesKey};
///
/// let key = TdesKey::from_slice(&[0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF])?;
/// let cipher = TdesCipher::new(&key);
/// let iv = TdesIv::from_bytes(*b"12345678");
/// let mut data = *b"sixteen bytes ok";
/// cbc::tdes_encrypt(&cipher, &iv, &mut data)?;
/// cbc::tdes_decrypt(&cipher, &iv, &mut data)?;
/// assert_eq!(&data, b"sixteen bytes ok");
/// # Ok::<(), paykernel::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidLength`] unless `data` is a whole, non-zero number of
/// 8-byte blocks (then `data` is untouched).
pub fn tdes_decrypt(cipher: &TdesCipher, iv: &TdesIv, data: &mut [u8]) -> Result<(), Error> {
    let blocks = blocks_mut::<8>(data)?;
    let mut chain = *iv.as_bytes();
    let mut saved = [[0u8; 8]; TDES_PASS];
    for pass in blocks.chunks_mut(TDES_PASS) {
        for (s, b) in saved.iter_mut().zip(pass.iter()) {
            *s = *b;
        }
        cipher.decrypt_blocks(pass);
        for (i, b) in pass.iter_mut().enumerate() {
            let prev = match i.checked_sub(1).and_then(|j| saved.get(j)) {
                Some(p) => p,
                None => &chain,
            };
            xor_into(b, prev);
        }
        if let Some(last) = saved.get(pass.len().saturating_sub(1)) {
            chain = *last;
        }
    }
    Ok(())
}

/// AES-CBC encryption of `data` in place.
///
/// ```
/// use paykernel::mode::cbc::{self, AesIv};
/// use paykernel::{AesCipher, AesKey};
///
/// // NIST SP 800-38A F.2.1, CBC-AES128.Encrypt, block 1.
/// let key = AesKey::from_slice(&[
///     0x2B, 0x7E, 0x15, 0x16, 0x28, 0xAE, 0xD2, 0xA6,
///     0xAB, 0xF7, 0x15, 0x88, 0x09, 0xCF, 0x4F, 0x3C,
/// ])?;
/// let iv = AesIv::from_bytes([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
/// let mut data = [
///     0x6B, 0xC1, 0xBE, 0xE2, 0x2E, 0x40, 0x9F, 0x96,
///     0xE9, 0x3D, 0x7E, 0x11, 0x73, 0x93, 0x17, 0x2A,
/// ];
/// cbc::aes_encrypt(&AesCipher::new(&key), &iv, &mut data)?;
/// assert_eq!(data, [
///     0x76, 0x49, 0xAB, 0xAC, 0x81, 0x19, 0xB2, 0x46,
///     0xCE, 0xE9, 0x8E, 0x9B, 0x12, 0xE9, 0x19, 0x7D,
/// ]);
/// # Ok::<(), paykernel::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidLength`] unless `data` is a whole, non-zero number of
/// 16-byte blocks (then `data` is untouched).
pub fn aes_encrypt(cipher: &AesCipher, iv: &AesIv, data: &mut [u8]) -> Result<(), Error> {
    let blocks = blocks_mut::<16>(data)?;
    let mut chain = *iv.as_bytes();
    for b in blocks.iter_mut() {
        xor_into(b, &chain);
        cipher.encrypt_block(b);
        chain = *b;
    }
    Ok(())
}

/// AES-CBC decryption of `data` in place.
///
/// ```
/// use paykernel::mode::cbc::{self, AesIv};
/// use paykernel::{AesCipher, AesKey};
///
/// let key = AesKey::from_slice(&[7; 32])?;
/// let cipher = AesCipher::new(&key);
/// let mut data = *b"thirty-two bytes of plain text!!";
/// cbc::aes_encrypt(&cipher, &AesIv::ZERO, &mut data)?;
/// cbc::aes_decrypt(&cipher, &AesIv::ZERO, &mut data)?;
/// assert_eq!(&data, b"thirty-two bytes of plain text!!");
/// # Ok::<(), paykernel::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidLength`] unless `data` is a whole, non-zero number of
/// 16-byte blocks (then `data` is untouched).
pub fn aes_decrypt(cipher: &AesCipher, iv: &AesIv, data: &mut [u8]) -> Result<(), Error> {
    let blocks = blocks_mut::<16>(data)?;
    let mut chain = *iv.as_bytes();
    for b in blocks.iter_mut() {
        let c = *b;
        cipher.decrypt_block(b);
        xor_into(b, &chain);
        chain = c;
    }
    Ok(())
}

#[cfg(test)]
#[allow(
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    reason = "test data made from small public indices"
)]
mod tests {
    extern crate std;
    use std::vec;
    use std::vec::Vec;

    use proptest::prelude::*;

    use super::*;
    use crate::test_util::h;
    use crate::{AesKey, TdesKey};

    #[test]
    fn sp800_38a_f2_aes128() {
        // NIST SP 800-38A F.2.1 / F.2.2.
        let key = AesKey::from_slice(&h("2B7E151628AED2A6ABF7158809CF4F3C")).unwrap();
        let c = AesCipher::new(&key);
        let iv = AesIv::from_slice(&h("000102030405060708090A0B0C0D0E0F")).unwrap();
        let pt = h(
            "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51\
                    30C81C46A35CE411E5FBC1191A0A52EFF69F2445DF4F9B17AD2B417BE66C3710",
        );
        let ct = h(
            "7649ABAC8119B246CEE98E9B12E9197D5086CB9B507219EE95DB113A917678B2\
                    73BED6B8E3C1743B7116E69E222295163FF1CAA1681FAC09120ECA307586E1A7",
        );
        let mut d = pt.clone();
        aes_encrypt(&c, &iv, &mut d).unwrap();
        assert_eq!(d, ct);
        aes_decrypt(&c, &iv, &mut d).unwrap();
        assert_eq!(d, pt);
    }

    #[test]
    fn x9_24_1_annex_a_request_data() {
        // ANSI X9.24-1:2009 A.4 (as transcribed in openemv/dukpt
        // test/dukpt_tdes_test.c): "4012345678909D987" zero-padded to 24
        // bytes under counter 1's data-request key (the key from
        // vectors/x9.24-1-variants.json).
        let key = TdesKey::from_slice(&h("448D3F076D8304036A55A3D7E0055A78")).unwrap();
        let c = TdesCipher::new(&key);
        let pt = h("343031323334353637383930394439383700000000000000");
        let ct = h("FC0D53B7EA1FDA9EE68AAF2E70D9B9506229BE2AA993F04F");
        let mut d = pt.clone();
        tdes_encrypt(&c, &TdesIv::ZERO, &mut d).unwrap();
        assert_eq!(d, ct);
        tdes_decrypt(&c, &TdesIv::ZERO, &mut d).unwrap();
        assert_eq!(d, pt);
    }

    #[test]
    fn refusals_leave_data_untouched() {
        let t = TdesCipher::new(&TdesKey::from_slice(&[1u8; 16]).unwrap());
        let a = AesCipher::new(&AesKey::from_slice(&[1u8; 16]).unwrap());
        for n in [0usize, 1, 7, 9, 15, 17, 23] {
            let mut d = vec![0x5A; n];
            assert_eq!(
                tdes_encrypt(&t, &TdesIv::ZERO, &mut d),
                Err(Error::InvalidLength)
            );
            assert_eq!(
                tdes_decrypt(&t, &TdesIv::ZERO, &mut d),
                Err(Error::InvalidLength)
            );
            assert!(d.iter().all(|b| *b == 0x5A));
        }
        for n in [0usize, 8, 15, 17, 24, 31, 40] {
            let mut d = vec![0x5A; n];
            assert_eq!(
                aes_encrypt(&a, &AesIv::ZERO, &mut d),
                Err(Error::InvalidLength)
            );
            assert_eq!(
                aes_decrypt(&a, &AesIv::ZERO, &mut d),
                Err(Error::InvalidLength)
            );
            assert!(d.iter().all(|b| *b == 0x5A));
        }
        for n in [0usize, 7, 9, 12, 15, 17, 32] {
            assert_eq!(Iv::from_slice(&vec![0; n]), Err(Error::InvalidLength));
        }
        assert_eq!(TdesIv::from_slice(&[0; 16]), Err(Error::InvalidLength));
        assert_eq!(AesIv::from_slice(&[0; 8]), Err(Error::InvalidLength));
    }

    #[test]
    fn ivs_by_length_and_debug_in_hex() {
        // The IV of NIST SP 800-38A F.2.1; an IV is public, and Debug shows
        // it in uppercase hex.
        let bytes = h("000102030405060708090A0B0C0D0E0F");
        let aes = Iv::from_slice(&bytes).unwrap();
        assert_eq!(aes, Iv::Aes(AesIv::from_slice(&bytes).unwrap()));
        assert_eq!(aes.as_bytes(), &bytes[..]);
        assert_eq!(
            std::format!("{aes:?}"),
            "Aes(AesIv(000102030405060708090A0B0C0D0E0F))"
        );
        let tdes = Iv::from_slice(&bytes[8..]).unwrap();
        assert_eq!(tdes, Iv::Tdes(TdesIv::from_slice(&bytes[8..]).unwrap()));
        assert_eq!(tdes.as_bytes(), &bytes[8..]);
        assert_eq!(std::format!("{tdes:?}"), "Tdes(TdesIv(08090A0B0C0D0E0F))");
        assert_eq!(TdesIv::ZERO.as_bytes(), &[0; 8]);
        assert_eq!(AesIv::ZERO.as_bytes(), &[0; 16]);
        let array: [u8; 16] = bytes.clone().try_into().unwrap();
        assert_eq!(AesIv::from_bytes(array).as_bytes(), &array);
        let half: [u8; 8] = bytes[8..].try_into().unwrap();
        assert_eq!(TdesIv::from_bytes(half).as_bytes(), &half);
    }

    /// TDES-CBC by the `des` crate's TDES (the test oracle), block by block.
    fn oracle_tdes_cbc(key: &[u8], iv: [u8; 8], data: &[u8]) -> Vec<u8> {
        use des::cipher::{BlockCipherEncrypt, KeyInit};
        let mut out = Vec::new();
        let mut chain = iv;
        for b in data.chunks(8) {
            let mut x: [u8; 8] = b.try_into().unwrap();
            for (a, c) in x.iter_mut().zip(chain) {
                *a ^= c;
            }
            match key.len() {
                8 => des::Des::new_from_slice(key)
                    .unwrap()
                    .encrypt_block((&mut x).into()),
                16 => des::TdesEde2::new_from_slice(key)
                    .unwrap()
                    .encrypt_block((&mut x).into()),
                _ => des::TdesEde3::new_from_slice(key)
                    .unwrap()
                    .encrypt_block((&mut x).into()),
            }
            chain = x;
            out.extend_from_slice(&x);
        }
        out
    }

    proptest! {
        #[test]
        fn tdes_matches_the_oracle_and_round_trips(
            key in prop_oneof![
                proptest::collection::vec(any::<u8>(), 8),
                proptest::collection::vec(any::<u8>(), 16),
                proptest::collection::vec(any::<u8>(), 24),
            ],
            iv in any::<[u8; 8]>(),
            blocks in 1usize..150,
            seed in any::<u8>(),
        ) {
            let data: Vec<u8> = (0..blocks * 8).map(|i| (i as u8).wrapping_mul(31) ^ seed).collect();
            let c = TdesCipher::new(&TdesKey::from_slice(&key).unwrap());
            let iv_t = TdesIv::from_bytes(iv);
            let mut d = data.clone();
            tdes_encrypt(&c, &iv_t, &mut d).unwrap();
            prop_assert_eq!(&d, &oracle_tdes_cbc(&key, iv, &data));
            tdes_decrypt(&c, &iv_t, &mut d).unwrap();
            prop_assert_eq!(d, data);
        }

        #[test]
        fn aes_round_trips(
            key in prop_oneof![
                proptest::collection::vec(any::<u8>(), 16),
                proptest::collection::vec(any::<u8>(), 24),
                proptest::collection::vec(any::<u8>(), 32),
            ],
            iv in any::<[u8; 16]>(),
            data in (1usize..20).prop_flat_map(|n| proptest::collection::vec(any::<u8>(), n * 16)),
        ) {
            let c = AesCipher::new(&AesKey::from_slice(&key).unwrap());
            let iv = AesIv::from_bytes(iv);
            let mut d = data.clone();
            aes_encrypt(&c, &iv, &mut d).unwrap();
            prop_assert_ne!(&d, &data);
            aes_decrypt(&c, &iv, &mut d).unwrap();
            prop_assert_eq!(d, data);
        }
    }
}
