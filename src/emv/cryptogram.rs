//! Application cryptograms (ARQC, TC, AAC; EMV Book 2 8.1 and A1.2) and
//! the issuer's answer, the ARPC (Book 2 8.2, methods 1 and 2).

use core::fmt;

use subtle::Choice;
use zeroize::Zeroize;

use crate::Error;
use crate::key::{TdesKey, TdesKeyLength};
use crate::mac::{Padding, RetailMac, Tag};

/// The shortest cryptogram [`AcSessionKey::verify_ac`] checks: 4 bytes, the
/// least EMV Book 2 (A1.2: a MAC of 4 to 8 bytes) allows; a shorter one is
/// guessed too easily. The kernel's floor for every MAC,
/// [`mac::MIN_MAC_LEN`](crate::mac::MIN_MAC_LEN).
pub const MIN_AC_LEN: usize = crate::mac::MIN_MAC_LEN;

/// How the data of an application cryptogram is padded: ISO/IEC 9797-1
/// method 1 (zeros; Visa's cryptogram versions) or method 2 (`80` then
/// zeros; EMV's common core definitions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AcPadding {
    /// ISO/IEC 9797-1 padding method 1.
    Method1,
    /// ISO/IEC 9797-1 padding method 2.
    Method2,
}

impl AcPadding {
    /// Method 1 or 2 by its ISO/IEC 9797-1 number.
    ///
    /// ```
    /// use paykernel::Error;
    /// use paykernel::emv::AcPadding;
    /// assert_eq!(AcPadding::from_number(2), Ok(AcPadding::Method2));
    /// assert_eq!(AcPadding::from_number(3), Err(Error::InvalidPadding));
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidPadding`] for any other number (method 3 included:
    /// EMV does not use it for cryptograms).
    pub fn from_number(n: u64) -> Result<Self, Error> {
        match n {
            1 => Ok(AcPadding::Method1),
            2 => Ok(AcPadding::Method2),
            _ => Err(Error::InvalidPadding),
        }
    }

    fn iso(self) -> Padding {
        match self {
            AcPadding::Method1 => Padding::Method1,
            AcPadding::Method2 => Padding::Method2,
        }
    }
}

/// An application-cryptogram session key SK_AC with its DES schedules,
/// made once and reused: the card generates ARQC, TC and AAC with it, the
/// issuer checks the ARQC and answers with an ARPC under the same key.
///
/// ```
/// use paykernel::TdesKey;
/// use paykernel::emv::{AcPadding, AcSessionKey};
///
/// // pyemv 1.5.0's documented examples (EMV Book 2 8.1.2 and 8.2).
/// let sk = TdesKey::from_slice(&hex::decode("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB").unwrap())?;
/// let sk = AcSessionKey::new(&sk)?;
/// let data = hex::decode(
///     "000000002000000000000000012400000080000124110309003804823E58000001",
/// ).unwrap();
///
/// // The card's ARQC, and the issuer's check of it in constant time.
/// let arqc = sk.generate_ac(&data, AcPadding::Method2, 8)?;
/// assert_eq!(hex::encode_upper(arqc.as_bytes()), "3B76CF10FECD8789");
/// assert!(bool::from(sk.verify_ac(&data, AcPadding::Method2, arqc.as_bytes(), 8)?));
/// assert!(!bool::from(sk.verify_ac(&data[1..], AcPadding::Method2, arqc.as_bytes(), 8)?));
///
/// // The issuer's answers to an ARQC, methods 1 and 2.
/// let arqc = [0x12, 0x34, 0x56, 0x78, 0x90, 0xAB, 0xCD, 0xEF];
/// assert_eq!(hex::encode_upper(sk.arpc_method1(&arqc, &[0x00, 0x00])), "F5E6F44147E2F1B0");
/// assert_eq!(hex::encode_upper(sk.arpc_method2(&arqc, &[0; 4], &[])?), "9308BEBC");
/// # Ok::<(), paykernel::Error>(())
/// ```
pub struct AcSessionKey {
    mac: RetailMac,
}

impl AcSessionKey {
    /// The schedules of the 16-byte session key `sk` (its parity is not
    /// checked).
    ///
    /// # Errors
    /// [`Error::InvalidKey`] unless `sk` is a 16-byte key.
    pub fn new(sk: &TdesKey) -> Result<Self, Error> {
        if sk.length() != TdesKeyLength::Double {
            return Err(Error::InvalidKey);
        }
        Ok(AcSessionKey {
            mac: RetailMac::new(sk)?,
        })
    }

    /// Card side (and issuer side, to check): the application cryptogram
    /// (ARQC, TC or AAC) over `data`, the concatenation of the data
    /// elements the scheme selects, chosen by the caller: ISO/IEC 9797-1
    /// MAC algorithm 3 with `padding`, truncated to `len` bytes (8 is
    /// usual).
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for `len` outside `1..=8`.
    pub fn generate_ac(&self, data: &[u8], padding: AcPadding, len: usize) -> Result<Tag, Error> {
        self.mac.mac(data, padding.iso(), len)
    }

    /// Issuer side: whether `ac` is the cryptogram of `data` truncated to
    /// `len` bytes, recomputed and compared in constant time. An `ac` that
    /// is not exactly `len` bytes is not valid.
    ///
    /// The answer is a [`Choice`] the kernel does not branch on (a
    /// `Result<bool, _>` could keep its tag in the verdict's byte);
    /// `bool::from` it where the caller decides.
    ///
    /// ```
    /// use paykernel::emv::{AcPadding, AcSessionKey};
    /// use paykernel::{Error, TdesKey};
    ///
    /// // pyemv 1.5.0's documented example (EMV Book 2 8.1.2): ARQC
    /// // 3B76CF10FECD8789.
    /// let sk = AcSessionKey::new(&TdesKey::from_slice(&[
    ///     0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA,
    ///     0xBB, 0xBB, 0xBB, 0xBB, 0xBB, 0xBB, 0xBB, 0xBB,
    /// ])?)?;
    /// let data = [
    ///     0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ///     0x01, 0x24, 0x00, 0x00, 0x00, 0x80, 0x00, 0x01, 0x24, 0x11, 0x03, 0x09,
    ///     0x00, 0x38, 0x04, 0x82, 0x3E, 0x58, 0x00, 0x00, 0x01,
    /// ];
    /// let arqc = [0x3B, 0x76, 0xCF, 0x10, 0xFE, 0xCD, 0x87, 0x89];
    /// assert!(bool::from(sk.verify_ac(&data, AcPadding::Method2, &arqc, 8)?));
    /// assert!(!bool::from(sk.verify_ac(&data, AcPadding::Method1, &arqc, 8)?));
    /// // A cryptogram of 1 to 3 bytes is guessed too easily: refused.
    /// assert_eq!(sk.verify_ac(&data, AcPadding::Method2, &arqc[..1], 1).err(), Some(Error::InvalidLength));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for `len` outside
    /// [`MIN_AC_LEN`]`..=8`: a cryptogram shorter than 4 bytes is guessed
    /// too easily (EMV Book 2 A1.2 allows 4 to 8).
    pub fn verify_ac(
        &self,
        data: &[u8],
        padding: AcPadding,
        ac: &[u8],
        len: usize,
    ) -> Result<Choice, Error> {
        // MIN_AC_LEN is the MAC verifiers' own floor (mac::MIN_MAC_LEN),
        // which refuses a shorter `len` as InvalidLength.
        self.mac.verify(data, padding.iso(), ac, len)
    }

    /// Issuer side: ARPC method 1 (Book 2 8.2.1):
    /// `TDES(SK)[ARQC XOR (ARC || 00 00 00 00 00 00)]`, with the 2-byte
    /// authorisation response code.
    #[must_use]
    pub fn arpc_method1(&self, arqc: &[u8; 8], arc: &[u8; 2]) -> [u8; 8] {
        let mut block = *arqc;
        for (b, c) in block.iter_mut().zip(arc) {
            *b ^= c;
        }
        self.mac.cipher().encrypt_block(&mut block);
        block
    }

    /// Issuer side: ARPC method 2 (Book 2 8.2.2): the leftmost 4 bytes of
    /// ISO/IEC 9797-1 MAC algorithm 3 with padding method 2 over ARQC ||
    /// CSU || proprietary authentication data (0 to 8 bytes).
    ///
    /// # Errors
    /// [`Error::InvalidLength`] when `prop` is longer than 8 bytes.
    pub fn arpc_method2(
        &self,
        arqc: &[u8; 8],
        csu: &[u8; 4],
        prop: &[u8],
    ) -> Result<[u8; 4], Error> {
        if prop.len() > 8 {
            return Err(Error::InvalidLength);
        }
        let mut full = self
            .mac
            .compute_parts(&[arqc, csu, prop], Padding::Method2)?;
        let mut arpc = [0u8; 4];
        for (a, f) in arpc.iter_mut().zip(full.iter()) {
            *a = *f;
        }
        full.zeroize();
        Ok(arpc)
    }
}

impl fmt::Debug for AcSessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AcSessionKey").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::h;

    fn sk(k: &str) -> AcSessionKey {
        AcSessionKey::new(&TdesKey::from_slice(&h(k)).unwrap()).unwrap()
    }

    fn arr<const N: usize>(s: &str) -> [u8; N] {
        h(s).try_into().unwrap()
    }

    #[test]
    fn pyemv_examples() {
        // pyemv 1.5.0 docs: ac.generate_ac (the data elements 9F02 9F03
        // 9F1A 95 5F2A 9A 9C 9F37 82 9F36, padding EMV), generate_arpc_1,
        // generate_arpc_2, and the module example.
        let k = sk("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB");
        let data = h("000000002000000000000000012400000080000124110309003804823E58000001");
        let ac = k.generate_ac(&data, AcPadding::Method2, 8).unwrap();
        assert_eq!(ac.as_bytes(), &h("3B76CF10FECD8789")[..]);
        assert!(bool::from(
            k.verify_ac(&data, AcPadding::Method2, &h("3B76CF10FECD8789"), 8)
                .unwrap()
        ));
        assert_eq!(
            k.arpc_method1(&arr("1234567890ABCDEF"), &[0, 0]).to_vec(),
            h("F5E6F44147E2F1B0")
        );
        assert_eq!(
            k.arpc_method2(&arr("1234567890ABCDEF"), &[0; 4], &[])
                .unwrap()
                .to_vec(),
            h("9308BEBC")
        );
        let k = sk("29B33180E567CE38EA4CBC9D753B0E61");
        let data = h("0123456789ABCDEF0123456789ABCDEF");
        let arqc = k.generate_ac(&data, AcPadding::Method2, 8).unwrap();
        assert_eq!(arqc.as_bytes(), &h("FA624250B008B59A")[..]);
        assert_eq!(
            k.arpc_method1(&arr("FA624250B008B59A"), &[0, 0]).to_vec(),
            h("45D4255EEF10C920")
        );
        assert_eq!(
            k.arpc_method2(&arr("FA624250B008B59A"), &[0; 4], &[])
                .unwrap()
                .to_vec(),
            h("CB56FA40")
        );
    }

    /// Values from pyemv 1.5.0 (ac.generate_ac with PaddingType.VISA and
    /// EMV, generate_arpc_1, generate_arpc_2), computed for this test.
    #[test]
    fn pyemv_values() {
        let k = sk("0123456789ABCDEFFEDCBA9876543210");
        let data = h("000000001000000000000000084000000000000840250101000102030458000001");
        for (pad, ac) in [
            (AcPadding::Method1, "1045813F9F6B54FC"),
            (AcPadding::Method2, "4D42627EC5399662"),
        ] {
            assert_eq!(k.generate_ac(&data, pad, 8).unwrap().as_bytes(), &h(ac)[..]);
            assert_eq!(
                k.generate_ac(&data, pad, 4).unwrap().as_bytes(),
                &h(ac)[..4]
            );
            assert!(bool::from(k.verify_ac(&data, pad, &h(ac), 8).unwrap()));
            assert!(bool::from(k.verify_ac(&data, pad, &h(ac)[..4], 4).unwrap()));
            let mut bad = h(ac);
            bad[3] ^= 0x10;
            assert!(!bool::from(k.verify_ac(&data, pad, &bad, 8).unwrap()));
        }
        assert_eq!(
            k.arpc_method1(&arr("1045813F9F6B54FC"), &arr("3030"))
                .to_vec(),
            h("FF2F8BFD365F1203")
        );
        assert_eq!(
            k.arpc_method2(
                &arr("1045813F9F6B54FC"),
                &arr("00820000"),
                &h("0102030405060708")
            )
            .unwrap()
            .to_vec(),
            h("A574E5F6")
        );
    }

    #[test]
    fn refusals() {
        for bad in [
            "0123456789ABCDEF",
            "0123456789ABCDEFFEDCBA987654321089ABCDEF01234567",
        ] {
            assert_eq!(
                AcSessionKey::new(&TdesKey::from_slice(&h(bad)).unwrap()).err(),
                Some(Error::InvalidKey)
            );
        }
        let k = sk("0123456789ABCDEFFEDCBA9876543210");
        assert_eq!(
            k.generate_ac(b"x", AcPadding::Method1, 0).err(),
            Some(Error::InvalidLength)
        );
        assert_eq!(
            k.generate_ac(b"x", AcPadding::Method1, 9).err(),
            Some(Error::InvalidLength)
        );
        assert_eq!(
            k.arpc_method2(&[0; 8], &[0; 4], &[0; 9]).err(),
            Some(Error::InvalidLength)
        );
        assert_eq!(AcPadding::from_number(3), Err(Error::InvalidPadding));
        assert_eq!(AcPadding::from_number(0), Err(Error::InvalidPadding));
        assert_eq!(AcPadding::from_number(2), Ok(AcPadding::Method2));
        assert_eq!(AcPadding::from_number(1), Ok(AcPadding::Method1));
        // The session key prints redacted.
        extern crate std;
        assert_eq!(std::format!("{k:?}"), "AcSessionKey { .. }");
        // A cryptogram that is not `len` bytes is not valid; a `len` outside
        // 4..=8 is refused, even when the bytes match.
        let v = |pad, ac: &[u8], len| k.verify_ac(b"x", pad, ac, len).map(bool::from);
        let ac = k.generate_ac(b"x", AcPadding::Method1, 8).unwrap();
        let ac = ac.as_bytes();
        assert_eq!(v(AcPadding::Method1, ac, 8), Ok(true));
        assert_eq!(v(AcPadding::Method1, ac, 7), Ok(false));
        assert_eq!(v(AcPadding::Method1, &ac[..7], 8), Ok(false));
        assert_eq!(v(AcPadding::Method1, &ac[..7], 7), Ok(true));
        assert_eq!(v(AcPadding::Method1, &ac[..4], 4), Ok(true));
        assert_eq!(v(AcPadding::Method2, ac, 8), Ok(false));
        for len in [0, 1, 2, 3, 9] {
            let n = len.min(8);
            assert_eq!(
                v(AcPadding::Method1, &ac[..n], len),
                Err(Error::InvalidLength),
                "{len}"
            );
        }
    }
}
