//! ECDSA over NIST P-256 with SHA-256: deterministic signing (RFC 6979) and
//! verification of fixed-size (`r || s`, IEEE P1363) and ASN.1 DER
//! signatures.
//!
//! The curve arithmetic is RustCrypto's `p256`; this module fixes the
//! choices a payment system must not leave open: SHA-256 only, RFC 6979
//! nonces only (no RNG on the signing path), strict DER only (a signature in
//! any other BER form is not valid), both `s` and `n - s` accepted (P-256
//! ECDSA has no low-S rule; Wycheproof expects both to verify).
//!
//! Signing runs in constant time in the secret scalar and nonce, as far as
//! `p256` does: its only branches on secret-derived values are the RFC 6979
//! retry of a candidate `k` (probability about 2^-32), two unwraps of values
//! that are always `Some` (the nonce as a non-zero scalar, its inverse), and
//! the range and zero checks of `r` and `s`, which are public once the
//! signature is out (`ct-check` names each of these frames in its
//! suppressions). The key's range check (0 < d < n) in
//! [`SigningKey::from_slice`] is computed without a branch and answered by
//! the kernel's one verdict.
//!
//! Side: a terminal signs ([`SigningKey`]); a host verifies ([`PublicKey`]).

use core::fmt;

use ecdsa::hazmat::{sign_prehashed_rfc6979, verify_prehashed};
use p256::elliptic_curve::group::Group;
use p256::elliptic_curve::sec1::{FromSec1Point, ToSec1Point};
use p256::{AffinePoint, FieldBytes, NistP256, NonZeroScalar, ProjectivePoint, Scalar};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::Error;
use crate::ct::verdict;

/// Length of a private scalar: 32 bytes, big-endian.
pub const SCALAR_LEN: usize = 32;
/// Length of a fixed-size signature `r || s`.
pub const SIGNATURE_LEN: usize = 64;
/// Length of a SEC1 compressed public key (`02`/`03` || x).
pub const COMPRESSED_LEN: usize = 33;
/// Length of a SEC1 uncompressed public key (`04` || x || y).
pub const UNCOMPRESSED_LEN: usize = 65;
/// The longest strict-DER ECDSA P-256 signature: `30 46 02 21 00 r 02 21 00 s`.
pub const DER_MAX_LEN: usize = 72;

/// A P-256 signing key: a scalar `d` with `0 < d < n`.
///
/// Wiped on drop; prints as `SigningKey { .. }`; no `Clone`, `Copy`,
/// `Display` or `PartialEq`.
pub struct SigningKey {
    scalar: NonZeroScalar,
}

impl SigningKey {
    /// A key from its 32-byte big-endian scalar.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for a length other than 32, for 0, and for a
    /// value at or above the group order `n`.
    pub fn from_slice(scalar: &[u8]) -> Result<Self, Error> {
        if scalar.len() != SCALAR_LEN {
            return Err(Error::InvalidKey);
        }
        let mut repr = FieldBytes::default();
        repr.copy_from_slice(scalar);
        // The range check (0 < d < n) is computed without a branch; it
        // becomes the answer in the kernel's one verdict, which tells only
        // whether the key is valid. A refused key leaves 1 in its place
        // (a public constant, always non-zero), and is wiped.
        let one = NonZeroScalar::new(Scalar::ONE)
            .into_option()
            .ok_or(Error::InvalidKey)?;
        let parsed = NonZeroScalar::from_repr(repr);
        repr.zeroize();
        let ok = parsed.is_some();
        let key = SigningKey {
            scalar: parsed.unwrap_or(one),
        };
        verdict(key, ok, Error::InvalidKey)
    }

    /// The public key `d * G`.
    #[must_use]
    pub fn public_key(&self) -> PublicKey {
        let point = *p256::PublicKey::from_secret_scalar(&self.scalar).as_affine();
        PublicKey { point }
    }

    /// Signs `msg`: SHA-256, then ECDSA with the RFC 6979 nonce (HMAC-DRBG
    /// over SHA-256). The same key and message always give the same
    /// signature.
    #[must_use]
    pub fn sign(&self, msg: &[u8]) -> Signature {
        let digest = Sha256::digest(msg);
        self.sign_digest(&digest.into())
    }

    /// Signs a SHA-256 digest the caller computed (e.g. over data fed in
    /// pieces).
    #[must_use]
    pub fn sign_digest(&self, digest: &[u8; 32]) -> Signature {
        let (sig, _) = sign_prehashed_rfc6979::<NistP256, Sha256>(&self.scalar, digest, &[]);
        let mut bytes = [0u8; SIGNATURE_LEN];
        bytes.copy_from_slice(&sig.to_bytes());
        Signature { bytes }
    }
}

impl Zeroize for SigningKey {
    fn zeroize(&mut self) {
        self.scalar.zeroize();
    }
}

impl Drop for SigningKey {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for SigningKey {}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey").finish_non_exhaustive()
    }
}

/// A P-256 public key: a point on the curve other than the identity.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey {
    point: AffinePoint,
}

impl PublicKey {
    /// A key from its SEC1 encoding: compressed (33 bytes, `02`/`03`) or
    /// uncompressed (65 bytes, `04`).
    ///
    /// # Errors
    /// [`Error::InvalidPublicKey`] for any other length or tag, a
    /// coordinate at or above p, a point not on the curve, or the identity.
    pub fn from_sec1(bytes: &[u8]) -> Result<Self, Error> {
        // Only the two standard forms: no identity (`00`), no hybrid
        // (`06`/`07`).
        match (bytes.first(), bytes.len()) {
            (Some(2 | 3), COMPRESSED_LEN) | (Some(4), UNCOMPRESSED_LEN) => {}
            _ => return Err(Error::InvalidPublicKey),
        }
        let point = AffinePoint::from_sec1_bytes(bytes).map_err(|_| Error::InvalidPublicKey)?;
        if bool::from(ProjectivePoint::from(point).is_identity()) {
            return Err(Error::InvalidPublicKey);
        }
        Ok(PublicKey { point })
    }

    /// The SEC1 compressed encoding (33 bytes).
    #[must_use]
    pub fn to_compressed(&self) -> [u8; COMPRESSED_LEN] {
        let mut out = [0u8; COMPRESSED_LEN];
        let enc = self.point.to_sec1_point(true);
        if let Some(dst) = out.get_mut(..enc.as_bytes().len()) {
            dst.copy_from_slice(enc.as_bytes());
        }
        out
    }

    /// The SEC1 uncompressed encoding (65 bytes).
    #[must_use]
    pub fn to_uncompressed(&self) -> [u8; UNCOMPRESSED_LEN] {
        let mut out = [0u8; UNCOMPRESSED_LEN];
        let enc = self.point.to_sec1_point(false);
        if let Some(dst) = out.get_mut(..enc.as_bytes().len()) {
            dst.copy_from_slice(enc.as_bytes());
        }
        out
    }

    /// Whether `sig` (64 bytes, `r || s`) is a valid signature of `msg`
    /// (hashed with SHA-256). Anything malformed (another length, `r` or
    /// `s` zero or at least `n`) is simply not valid. Variable time: every
    /// input is public.
    #[must_use]
    pub fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        let digest: [u8; 32] = Sha256::digest(msg).into();
        self.verify_digest(&digest, sig)
    }

    /// [`PublicKey::verify`] for a SHA-256 digest the caller computed.
    #[must_use]
    pub fn verify_digest(&self, digest: &[u8; 32], sig: &[u8]) -> bool {
        match ecdsa::Signature::<NistP256>::from_slice(sig) {
            Ok(sig) => {
                verify_prehashed::<NistP256>(&ProjectivePoint::from(self.point), digest, &sig)
                    .is_ok()
            }
            Err(_) => false,
        }
    }

    /// Whether `der` is a valid signature of `msg` in strict ASN.1 DER
    /// (`SEQUENCE { INTEGER r, INTEGER s }`, minimal lengths and integers,
    /// nothing after it). Any other encoding of the same `r` and `s` is not
    /// valid.
    #[must_use]
    pub fn verify_der(&self, msg: &[u8], der: &[u8]) -> bool {
        match Signature::from_der(der) {
            Ok(sig) => self.verify(msg, sig.as_bytes()),
            Err(_) => false,
        }
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PublicKey(")?;
        for b in self.to_compressed() {
            write!(f, "{b:02X}")?;
        }
        f.write_str(")")
    }
}

/// An ECDSA P-256 signature `r || s` (32 bytes each, big-endian), with
/// `0 < r, s < n`. Public.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature {
    bytes: [u8; SIGNATURE_LEN],
}

impl Signature {
    /// A signature from 64 bytes `r || s`.
    ///
    /// # Errors
    /// [`Error::InvalidSignature`] for another length, or `r` or `s` zero or
    /// not below `n`.
    pub fn from_slice(sig: &[u8]) -> Result<Self, Error> {
        let parsed =
            ecdsa::Signature::<NistP256>::from_slice(sig).map_err(|_| Error::InvalidSignature)?;
        let mut bytes = [0u8; SIGNATURE_LEN];
        bytes.copy_from_slice(&parsed.to_bytes());
        Ok(Signature { bytes })
    }

    /// A signature from strict ASN.1 DER.
    ///
    /// # Errors
    /// [`Error::InvalidSignature`] for anything that is not the one DER
    /// encoding of a pair `0 < r, s < n`: BER forms (long or indefinite
    /// lengths where short ones fit, leading zero bytes, negative integers),
    /// trailing bytes, another structure.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        let parsed =
            ecdsa::Signature::<NistP256>::from_der(der).map_err(|_| Error::InvalidSignature)?;
        // The parser's idea of DER is not trusted to be strict: the input
        // must be exactly the canonical encoding of what it parsed to.
        if parsed.to_der().as_bytes() != der {
            return Err(Error::InvalidSignature);
        }
        let mut bytes = [0u8; SIGNATURE_LEN];
        bytes.copy_from_slice(&parsed.to_bytes());
        Ok(Signature { bytes })
    }

    /// The 64 bytes `r || s`.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; SIGNATURE_LEN] {
        &self.bytes
    }

    /// The strict DER encoding.
    #[must_use]
    pub fn to_der(&self) -> DerSignature {
        let mut out = DerSignature {
            bytes: [0u8; DER_MAX_LEN],
            len: 0,
        };
        // A `Signature` holds a valid pair, so this parse cannot fail; if it
        // did, the empty encoding would verify as nothing.
        if let Ok(sig) = ecdsa::Signature::<NistP256>::from_slice(&self.bytes) {
            let der = sig.to_der();
            let enc = der.as_bytes();
            if let Some(dst) = out.bytes.get_mut(..enc.len()) {
                dst.copy_from_slice(enc);
                out.len = enc.len();
            }
        }
        out
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signature(")?;
        for b in self.bytes {
            write!(f, "{b:02X}")?;
        }
        f.write_str(")")
    }
}

/// A signature in strict ASN.1 DER (8 to 72 bytes).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DerSignature {
    bytes: [u8; DER_MAX_LEN],
    len: usize,
}

impl DerSignature {
    /// The encoding.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

impl fmt::Debug for DerSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DerSignature(")?;
        for b in self.as_bytes() {
            write!(f, "{b:02X}")?;
        }
        f.write_str(")")
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::vec;

    use super::*;
    use crate::test_util::h;

    // RFC 6979 A.2.5: ECDSA, 256 bits (prime field), SHA-256.
    const RFC_X: &str = "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";
    const RFC_UX: &str = "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6";
    const RFC_UY: &str = "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299";
    const RFC_SAMPLE: &str = "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8";
    const RFC_TEST: &str = "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083";
    // The group order n of P-256 (SEC 2, 2.4.2).
    const N: &str = "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551";

    fn rfc_key() -> SigningKey {
        SigningKey::from_slice(&h(RFC_X)).unwrap()
    }

    #[test]
    fn rfc6979_a25_sign_and_verify() {
        let k = rfc_key();
        let pk = k.public_key();
        let mut unc = h("04");
        unc.extend(h(RFC_UX));
        unc.extend(h(RFC_UY));
        assert_eq!(pk.to_uncompressed().to_vec(), unc);
        // Uy is odd: compressed form is 03 || Ux.
        let mut comp = h("03");
        comp.extend(h(RFC_UX));
        assert_eq!(pk.to_compressed().to_vec(), comp);
        assert_eq!(PublicKey::from_sec1(&comp).unwrap(), pk);
        assert_eq!(PublicKey::from_sec1(&unc).unwrap(), pk);

        let s = k.sign(b"sample");
        assert_eq!(s.as_bytes().to_vec(), h(RFC_SAMPLE));
        assert!(pk.verify(b"sample", &h(RFC_SAMPLE)));
        let t = k.sign(b"test");
        assert_eq!(t.as_bytes().to_vec(), h(RFC_TEST));
        assert!(pk.verify(b"test", &h(RFC_TEST)));
        assert!(!pk.verify(b"test", &h(RFC_SAMPLE)));
        assert!(!pk.verify(b"sampl", &h(RFC_SAMPLE)));
        // The digest entry point agrees.
        let d: [u8; 32] = Sha256::digest(b"sample").into();
        assert_eq!(k.sign_digest(&d), s);
        assert!(pk.verify_digest(&d, s.as_bytes()));
    }

    #[test]
    fn der_round_trip_and_strictness() {
        let k = rfc_key();
        let pk = k.public_key();
        let s = k.sign(b"sample");
        let der = s.to_der();
        // r and s both have their top bit set: each INTEGER takes a 00 byte.
        let mut want = h("3046022100");
        want.extend(h(&RFC_SAMPLE[..64]));
        want.extend(h("022100"));
        want.extend(h(&RFC_SAMPLE[64..]));
        assert_eq!(der.as_bytes().to_vec(), want);
        assert!(pk.verify_der(b"sample", der.as_bytes()));
        assert_eq!(Signature::from_der(der.as_bytes()).unwrap(), s);

        // BER forms of the same values are refused.
        let mut long_len = h("308146");
        long_len.extend(&want[2..]);
        assert!(!pk.verify_der(b"sample", &long_len));
        let mut trailing = want.clone();
        trailing.push(0);
        assert!(!pk.verify_der(b"sample", &trailing));
        let mut extra_zero = h("3047022200");
        extra_zero.push(0);
        extra_zero.extend(h(&RFC_SAMPLE[..64]));
        extra_zero.extend(h("022100"));
        extra_zero.extend(h(&RFC_SAMPLE[64..]));
        assert!(!pk.verify_der(b"sample", &extra_zero));
        // Without the 00 byte the integer r is negative.
        let mut negative = h("30440220");
        negative.extend(h(&RFC_SAMPLE[..64]));
        negative.extend(h("022100"));
        negative.extend(h(&RFC_SAMPLE[64..]));
        assert!(!pk.verify_der(b"sample", &negative));
        for bad in [&[][..], &[0x30][..], &[0x30, 0x00][..], &want[..10]] {
            assert!(!pk.verify_der(b"sample", bad));
            assert_eq!(Signature::from_der(bad), Err(Error::InvalidSignature));
        }
    }

    #[test]
    fn high_s_is_valid() {
        // (r, n - s) verifies too: P-256 ECDSA has no low-S rule, and
        // Wycheproof's P-256 files expect both forms to be valid.
        let k = rfc_key();
        let pk = k.public_key();
        let sig = h(RFC_SAMPLE);
        let n = h(N);
        let mut neg_s = [0u8; 32];
        let mut borrow = 0i16;
        for i in (0..32).rev() {
            let mut d = i16::from(n[i]) - i16::from(sig[32 + i]) - borrow;
            borrow = 0;
            if d < 0 {
                d += 256;
                borrow = 1;
            }
            neg_s[i] = u8::try_from(d).unwrap();
        }
        let mut other = sig[..32].to_vec();
        other.extend(neg_s);
        assert!(pk.verify(b"sample", &other));
    }

    #[test]
    fn malformed_signatures_are_not_valid() {
        let pk = rfc_key().public_key();
        let sig = h(RFC_SAMPLE);
        assert!(!pk.verify(b"sample", &sig[..63]));
        let mut long = sig.clone();
        long.push(0);
        assert!(!pk.verify(b"sample", &long));
        // r = 0, s = 0, r = n, s = n.
        let n = h(N);
        for (i, v) in [
            (0, vec![0u8; 32]),
            (1, vec![0u8; 32]),
            (0, n.clone()),
            (1, n),
        ] {
            let mut bad = sig.clone();
            bad[i * 32..i * 32 + 32].copy_from_slice(&v);
            assert!(!pk.verify(b"sample", &bad));
            assert_eq!(Signature::from_slice(&bad), Err(Error::InvalidSignature));
        }
        assert_eq!(
            Signature::from_slice(&sig[..10]),
            Err(Error::InvalidSignature)
        );
        // Random bytes never panic the DER parser.
        let mut x = 0x1234_5678_9ABC_DEF0u64;
        for len in 0..80usize {
            for _ in 0..50 {
                let mut buf = vec![0u8; len];
                for b in &mut buf {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    *b = x.to_le_bytes()[0];
                }
                if len > 2 {
                    buf[0] = 0x30;
                    buf[1] = u8::try_from(len - 2).unwrap();
                }
                assert!(!pk.verify_der(b"sample", &buf));
            }
        }
    }

    #[test]
    fn signing_key_range() {
        assert_eq!(
            SigningKey::from_slice(&[0u8; 32]).err(),
            Some(Error::InvalidKey)
        );
        assert_eq!(SigningKey::from_slice(&h(N)).err(), Some(Error::InvalidKey));
        assert_eq!(
            SigningKey::from_slice(&[0xFF; 32]).err(),
            Some(Error::InvalidKey)
        );
        assert_eq!(
            SigningKey::from_slice(&[1u8; 31]).err(),
            Some(Error::InvalidKey)
        );
        assert_eq!(
            SigningKey::from_slice(&[1u8; 33]).err(),
            Some(Error::InvalidKey)
        );
        // n - 1 and 1 are the ends of the range. 1 * G is the generator
        // (SEC 2, 2.4.2).
        let mut n1 = h(N);
        n1[31] -= 1;
        assert!(SigningKey::from_slice(&n1).is_ok());
        let mut one = [0u8; 32];
        one[31] = 1;
        let g = SigningKey::from_slice(&one).unwrap().public_key();
        assert_eq!(
            g.to_compressed().to_vec(),
            h("036B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296")
        );
    }

    #[test]
    fn public_key_refusals() {
        let pk = rfc_key().public_key();
        let unc = pk.to_uncompressed();
        let comp = pk.to_compressed();
        // Identity, hybrid, wrong tags and lengths.
        for bad in [&[0u8][..], &[][..], &unc[..64], &comp[..32], &unc[1..]] {
            assert_eq!(PublicKey::from_sec1(bad), Err(Error::InvalidPublicKey));
        }
        let mut hybrid = unc;
        hybrid[0] = 7;
        assert_eq!(PublicKey::from_sec1(&hybrid), Err(Error::InvalidPublicKey));
        let mut wrong_tag = comp;
        wrong_tag[0] = 4;
        assert_eq!(
            PublicKey::from_sec1(&wrong_tag),
            Err(Error::InvalidPublicKey)
        );
        // Off the curve: y + 1.
        let mut off = unc;
        off[64] ^= 1;
        assert_eq!(PublicKey::from_sec1(&off), Err(Error::InvalidPublicKey));
        // x with no point on the curve: x = 1 (1 - 3 + b is not a square
        // mod p, checked with Python's pow(v, (p-1)/2, p)); x = p is out of
        // range.
        let mut x1 = [0u8; 33];
        x1[0] = 2;
        x1[32] = 1;
        assert_eq!(PublicKey::from_sec1(&x1), Err(Error::InvalidPublicKey));
        let mut xp = h("02FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF");
        assert_eq!(PublicKey::from_sec1(&xp), Err(Error::InvalidPublicKey));
        xp[0] = 3;
        assert_eq!(PublicKey::from_sec1(&xp), Err(Error::InvalidPublicKey));
    }

    #[test]
    fn debug_is_redacted() {
        extern crate std;
        let s = std::format!("{:?}", rfc_key());
        assert_eq!(s, "SigningKey { .. }");
    }
}
