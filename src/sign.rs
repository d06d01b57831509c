//! ECDSA over NIST P-256 with SHA-256 (FIPS 186-5 section 6, SEC 1 v2
//! section 4.1): deterministic signing (RFC 6979) and verification of
//! fixed-size (`r || s`, IEEE P1363) and ASN.1 DER signatures.
//!
//! This module fixes the choices a payment system must not leave open:
//! SHA-256 only, RFC 6979 nonces only (no RNG on the signing path), strict
//! DER only (a signature in any other BER form is not valid), both `s` and
//! `n - s` accepted (P-256 ECDSA has no low-S rule; Wycheproof expects both
//! to verify).
//!
//! The curve arithmetic is the kernel's own (private submodules): field and
//! scalar arithmetic in Montgomery form (`arith64`: 64-bit limbs with
//! 128-bit products on 64-bit targets; `arith32`: 32-bit limbs, one compact
//! word-by-word Montgomery product for both moduli, on 32-bit targets;
//! both checked limb for limb against fiat-crypto's formally verified
//! code in the tests), the complete projective formulas of
//! Renes–Costello–Batina for the secret scalar's points, branch-free
//! Jacobian doubling and mixed addition for the first pass of the signing
//! comb (with `p256-tables`), variable-time Jacobian formulas for
//! verification, and base-point tables computed at compile time
//! (`table`).
//!
//! Signing runs in constant time in the private scalar and the nonce: no
//! branch, loop bound or memory index depends on them (table rows are
//! scanned whole, signs and zero digits are selects, the inversions are
//! fixed exponentiations). The one decision on secret-derived values is
//! RFC 6979's "use this candidate or draw the next" (`0 < k < n`, `r ≠ 0`,
//! `s ≠ 0`), which is false with probability about 2^-32 and goes through
//! the kernel's one verdict (`ct::verdict`), as does the key's range check
//! (0 < d < n) in [`SigningKey::from_slice`]. Verification is variable
//! time: every input is public.
//!
//! Feature `p256-tables` (on by default): signing with a 16.5 KiB comb of
//! base-point multiples in read-only data (about a third of the
//! instructions of a plain window), and a wider window over `G` in
//! verification.
//!
//! Side: a terminal signs ([`SigningKey`]); a host verifies ([`PublicKey`]).
//!
//! ```
//! use paykernel::sign::{PublicKey, SigningKey};
//!
//! # fn main() -> Result<(), paykernel::Error> {
//! // RFC 6979 A.2.5: the key x, its public key U, the signature of "sample".
//! let x = hex::decode("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721").unwrap();
//! let key = SigningKey::from_slice(&x)?;
//! let sig = key.sign(b"sample");
//! assert_eq!(
//!     hex::encode_upper(sig.as_bytes()),
//!     "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716\
//!      F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"
//! );
//! let public = PublicKey::from_sec1(&key.public_key().to_compressed())?;
//! assert!(public.verify(b"sample", sig.as_bytes()));
//! assert!(!public.verify(b"sample!", sig.as_bytes()));
//! # Ok(())
//! # }
//! ```

use core::fmt;

use sha2::{Digest, Sha256};
use subtle::Choice;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::Error;
use crate::ct::verdict;

// The backend of 32-bit targets; `--cfg paykernel_arith32` takes it on a
// 64-bit host too, so that ct-check's valgrind runs check the code that
// Cortex-M runs (ct-check/run.sh's opt-level "z" build).
#[cfg(any(not(target_pointer_width = "64"), paykernel_arith32, test))]
mod arith32;
#[cfg(all(target_pointer_width = "64", any(not(paykernel_arith32), test)))]
mod arith64;
mod der;
mod field;
mod mul;
#[cfg(test)]
#[allow(
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    clippy::integer_division_remainder_used,
    reason = "test arithmetic on known small values and byte positions"
)]
mod oracle_tests;
mod point;
mod rfc6979;
mod scalar;
mod table;

/// The Montgomery backend of this target.
#[cfg(any(not(target_pointer_width = "64"), paykernel_arith32))]
use arith32 as arith;
#[cfg(all(target_pointer_width = "64", not(paykernel_arith32)))]
use arith64 as arith;

use field::Fe;
use point::Affine;
use scalar::Scalar;

/// Length of a private scalar: 32 bytes, big-endian.
pub const SCALAR_LEN: usize = 32;
/// Length of a fixed-size signature `r || s`.
pub const SIGNATURE_LEN: usize = 64;
/// Length of a SEC1 compressed public key (`02`/`03` || x).
pub const COMPRESSED_LEN: usize = 33;
/// Length of a SEC1 uncompressed public key (`04` || x || y).
pub const UNCOMPRESSED_LEN: usize = 65;
/// The longest strict-DER ECDSA P-256 signature: `30 46 02 21 00 r 02 21 00 s`.
pub const DER_MAX_LEN: usize = der::MAX_LEN;

/// A P-256 signing key: a scalar `d` with `0 < d < n`.
///
/// Wiped on drop; prints as `SigningKey { .. }`; no `Clone`, `Copy`,
/// `Display` or `PartialEq`.
pub struct SigningKey {
    scalar: Scalar,
}

impl SigningKey {
    /// A key from its 32-byte big-endian scalar.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for a length other than 32, for 0, and for a
    /// value at or above the group order `n`.
    ///
    /// ```
    /// use paykernel::{Error, sign::SigningKey};
    /// assert!(SigningKey::from_slice(&[0x11; 32]).is_ok());
    /// assert_eq!(SigningKey::from_slice(&[0; 32]).err(), Some(Error::InvalidKey));
    /// assert_eq!(SigningKey::from_slice(&[0xFF; 32]).err(), Some(Error::InvalidKey));
    /// ```
    pub fn from_slice(scalar: &[u8]) -> Result<Self, Error> {
        let bytes: &[u8; SCALAR_LEN] = scalar.try_into().map_err(|_| Error::InvalidKey)?;
        // The range check (0 < d < n) is computed without a branch; it
        // becomes the answer in the kernel's one verdict, which tells only
        // whether the key is valid. A refused key is wiped on drop.
        let (scalar, in_range) = Scalar::from_bytes(bytes);
        let ok = in_range & !scalar.is_zero();
        verdict(SigningKey { scalar }, ok, Error::InvalidKey)
    }

    /// The public key `d·G`.
    ///
    /// ```
    /// use paykernel::sign::SigningKey;
    /// // d = 1: the public key is the generator (SEC 2, 2.4.2).
    /// let mut one = [0u8; 32];
    /// one[31] = 1;
    /// let g = SigningKey::from_slice(&one)?.public_key();
    /// assert_eq!(
    ///     hex::encode_upper(g.to_compressed()),
    ///     "036B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"
    /// );
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn public_key(&self) -> PublicKey {
        let d = Zeroizing::new(self.scalar.be_bytes());
        let (point, _) = mul::mul_base(&d).affine();
        // d ≠ 0 mod n: d·G is never the identity.
        PublicKey { point }
    }

    /// Signs `msg`: SHA-256, then ECDSA with the RFC 6979 nonce (HMAC-DRBG
    /// over SHA-256). The same key and message always give the same
    /// signature.
    ///
    /// ```
    /// use paykernel::sign::SigningKey;
    /// let key = SigningKey::from_slice(&[0x17; 32])?;
    /// let sig = key.sign(b"record");
    /// assert_eq!(sig, key.sign(b"record"));
    /// assert!(key.public_key().verify(b"record", sig.as_bytes()));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn sign(&self, msg: &[u8]) -> Signature {
        let digest = Sha256::digest(msg);
        self.sign_digest(&digest.into())
    }

    /// Signs a SHA-256 digest the caller computed (e.g. over data fed in
    /// pieces).
    ///
    /// ```
    /// use paykernel::sign::SigningKey;
    /// use sha2::{Digest, Sha256};
    /// let key = SigningKey::from_slice(&[0x17; 32])?;
    /// let digest: [u8; 32] = Sha256::digest(b"record").into();
    /// assert_eq!(key.sign_digest(&digest), key.sign(b"record"));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn sign_digest(&self, digest: &[u8; 32]) -> Signature {
        // e = bits2int(H) mod n; bits2octets(H) is its 32 bytes.
        let (e, _) = Scalar::from_bytes(digest);
        let h1 = e.be_bytes();
        let x = Zeroizing::new(self.scalar.be_bytes());
        let mut nonces = rfc6979::NonceGenerator::new(&*x, &h1);
        loop {
            let k_bytes = nonces.candidate();
            match self.try_nonce(&e, &k_bytes) {
                Ok(sig) => return sig,
                // Probability about 2^-32 per candidate.
                Err(_) => nonces.reseed(),
            }
        }
    }

    /// `(r, s)` with the nonce `k`, if `0 < k < n`, `r ≠ 0` and `s ≠ 0`:
    /// computed in constant time, and the one verdict on the three checks.
    fn try_nonce(&self, e: &Scalar, k_bytes: &[u8; 32]) -> Result<Signature, Error> {
        let (k, k_in_range) = Scalar::from_bytes(k_bytes);
        let k = Zeroizing::new(k);
        // R = k·G; r = x(R) mod n (x < p < 2n: one subtraction).
        let rx = Zeroizing::new(mul::mul_base(k_bytes).affine_x().be_bytes());
        let (r, _) = Scalar::from_bytes(&rx);
        // s = k^-1 · (e + r·d) mod n.
        let k_inv = Zeroizing::new(k.invert());
        let e_rd = Zeroizing::new(e.add(&r.mul(&self.scalar)));
        let s = k_inv.mul(&e_rd);
        let ok = k_in_range & !k.is_zero() & !r.is_zero() & !s.is_zero();
        let mut bytes = [0u8; SIGNATURE_LEN];
        for (dst, src) in bytes
            .iter_mut()
            .zip(r.be_bytes().iter().chain(s.be_bytes().iter()))
        {
            *dst = *src;
        }
        verdict(Signature { bytes }, ok, Error::InvalidSignature)
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
#[derive(Clone, Copy)]
pub struct PublicKey {
    point: Affine,
}

impl PublicKey {
    /// A key from its SEC1 encoding: compressed (33 bytes, `02`/`03`) or
    /// uncompressed (65 bytes, `04`).
    ///
    /// # Errors
    /// [`Error::InvalidPublicKey`] for any other length or tag, a
    /// coordinate at or above p, a point not on the curve, or the identity.
    ///
    /// ```
    /// use paykernel::{Error, sign::PublicKey};
    /// // The generator, compressed (SEC 2, 2.4.2).
    /// let g = hex::decode("036B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296").unwrap();
    /// let key = PublicKey::from_sec1(&g)?;
    /// assert_eq!(
    ///     hex::encode_upper(&key.to_uncompressed()[33..]),
    ///     "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5"
    /// );
    /// assert_eq!(PublicKey::from_sec1(&g[..32]).err(), Some(Error::InvalidPublicKey));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    pub fn from_sec1(bytes: &[u8]) -> Result<Self, Error> {
        // Only the two standard forms: no identity (`00`), no hybrid
        // (`06`/`07`). The identity has no affine coordinates, so any
        // point that passes is not it.
        let (point, ok) = match (bytes.split_first(), bytes.len()) {
            (Some((&tag @ (2 | 3), x)), COMPRESSED_LEN) => {
                let x: &[u8; 32] = x.try_into().map_err(|_| Error::InvalidPublicKey)?;
                let (x, x_ok) = Fe::from_bytes(x);
                let (point, on_curve) = Affine::decompress(x, Choice::from(tag & 1));
                (point, x_ok & on_curve)
            }
            (Some((4, xy)), UNCOMPRESSED_LEN) => {
                let (x, y) = xy.split_at(32);
                let x: &[u8; 32] = x.try_into().map_err(|_| Error::InvalidPublicKey)?;
                let y: &[u8; 32] = y.try_into().map_err(|_| Error::InvalidPublicKey)?;
                let (x, x_ok) = Fe::from_bytes(x);
                let (y, y_ok) = Fe::from_bytes(y);
                let (point, on_curve) = Affine::from_coordinates(x, y);
                (point, x_ok & y_ok & on_curve)
            }
            _ => return Err(Error::InvalidPublicKey),
        };
        // Public data: a plain branch.
        if bool::from(ok) {
            Ok(PublicKey { point })
        } else {
            Err(Error::InvalidPublicKey)
        }
    }

    /// The SEC1 compressed encoding (33 bytes).
    ///
    /// ```
    /// use paykernel::sign::{PublicKey, SigningKey};
    /// // RFC 6979 A.2.5: the P-256 key pair (x, then U = xG).
    /// let key = SigningKey::from_slice(&hex::decode(
    ///     "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721",
    /// ).unwrap())?;
    /// let public = key.public_key();
    /// // Ux, with 03 in front: Uy ends in 99, odd.
    /// assert_eq!(
    ///     hex::encode_upper(public.to_compressed()),
    ///     "0360FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
    /// );
    /// assert_eq!(PublicKey::from_sec1(&public.to_compressed())?, public);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn to_compressed(&self) -> [u8; COMPRESSED_LEN] {
        let mut out = [0u8; COMPRESSED_LEN];
        let (tag, x) = out.split_at_mut(1);
        for t in tag.iter_mut() {
            *t = 2 | self.point.y.is_odd().unwrap_u8();
        }
        x.copy_from_slice(&self.point.x.be_bytes());
        out
    }

    /// The SEC1 uncompressed encoding (65 bytes).
    ///
    /// ```
    /// use paykernel::sign::{PublicKey, SigningKey};
    /// // RFC 6979 A.2.5: the P-256 key pair; 04 || Ux || Uy.
    /// let key = SigningKey::from_slice(&hex::decode(
    ///     "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721",
    /// ).unwrap())?;
    /// let public = key.public_key();
    /// assert_eq!(
    ///     hex::encode_upper(public.to_uncompressed()),
    ///     concat!(
    ///         "04",
    ///         "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6",
    ///         "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299",
    ///     )
    /// );
    /// assert_eq!(PublicKey::from_sec1(&public.to_uncompressed())?, public);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn to_uncompressed(&self) -> [u8; UNCOMPRESSED_LEN] {
        let mut out = [0u8; UNCOMPRESSED_LEN];
        let (tag, xy) = out.split_at_mut(1);
        let (x, y) = xy.split_at_mut(32);
        for t in tag.iter_mut() {
            *t = 4;
        }
        x.copy_from_slice(&self.point.x.be_bytes());
        y.copy_from_slice(&self.point.y.be_bytes());
        out
    }

    /// Whether `sig` (64 bytes, `r || s`) is a valid signature of `msg`
    /// (hashed with SHA-256). Anything malformed (another length, `r` or
    /// `s` zero or at least `n`) is simply not valid. Variable time: every
    /// input is public.
    ///
    /// ```
    /// use paykernel::sign::PublicKey;
    /// // RFC 6979 A.2.5: the public key U and the signature of "test".
    /// let u = hex::decode("0460FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6\
    ///                      7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299").unwrap();
    /// let sig = hex::decode("F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367\
    ///                        019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083").unwrap();
    /// let key = PublicKey::from_sec1(&u)?;
    /// assert!(key.verify(b"test", &sig));
    /// assert!(!key.verify(b"sample", &sig));
    /// assert!(!key.verify(b"test", &sig[..63]));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        let digest: [u8; 32] = Sha256::digest(msg).into();
        self.verify_digest(&digest, sig)
    }

    /// [`PublicKey::verify`] for a SHA-256 digest the caller computed.
    ///
    /// ```
    /// use paykernel::sign::SigningKey;
    /// use sha2::{Digest, Sha256};
    /// let key = SigningKey::from_slice(&[0x17; 32])?;
    /// let digest: [u8; 32] = Sha256::digest(b"record").into();
    /// let sig = key.sign_digest(&digest);
    /// assert!(key.public_key().verify_digest(&digest, sig.as_bytes()));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn verify_digest(&self, digest: &[u8; 32], sig: &[u8]) -> bool {
        let Some((r_bytes, s_bytes)) = split_signature(sig) else {
            return false;
        };
        let (r, r_ok) = Scalar::from_bytes(r_bytes);
        let (s, s_ok) = Scalar::from_bytes(s_bytes);
        if !bool::from(r_ok & s_ok & !r.is_zero() & !s.is_zero()) {
            return false;
        }
        // SEC 1 4.1.4: e, w = s^-1, u1 = e·w, u2 = r·w, R = u1·G + u2·Q.
        let (e, _) = Scalar::from_bytes(digest);
        let w = s.invert();
        let u1 = e.mul(&w).be_bytes();
        let u2 = r.mul(&w).be_bytes();
        let big_r = mul::mul_verify_vartime(&u1, &u2, &self.point);
        // Valid iff R is not the identity and x(R) mod n = r, that is
        // x(R) = r or, when r + n < p, x(R) = r + n.
        let (r_fe, _) = Fe::from_bytes(r_bytes);
        if big_r.vartime_x_equals(&r_fe) {
            return true;
        }
        match r_plus_n_below_p(r_bytes) {
            Some(rn) => big_r.vartime_x_equals(&rn),
            None => false,
        }
    }

    /// Whether `der` is a valid signature of `msg` in strict ASN.1 DER
    /// (`SEQUENCE { INTEGER r, INTEGER s }`, minimal lengths and integers,
    /// nothing after it). Any other encoding of the same `r` and `s` is not
    /// valid.
    ///
    /// ```
    /// use paykernel::sign::SigningKey;
    /// let key = SigningKey::from_slice(&[0x17; 32])?;
    /// let der = key.sign(b"record").to_der();
    /// assert!(key.public_key().verify_der(b"record", der.as_bytes()));
    /// let mut trailing = der.as_bytes().to_vec();
    /// trailing.push(0);
    /// assert!(!key.public_key().verify_der(b"record", &trailing));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn verify_der(&self, msg: &[u8], der: &[u8]) -> bool {
        match Signature::from_der(der) {
            Ok(sig) => self.verify(msg, sig.as_bytes()),
            Err(_) => false,
        }
    }
}

/// `r` and `s` of a 64-byte `r || s`.
fn split_signature(sig: &[u8]) -> Option<(&[u8; 32], &[u8; 32])> {
    let sig: &[u8; SIGNATURE_LEN] = sig.try_into().ok()?;
    let (r, s) = sig.split_at(32);
    Some((r.try_into().ok()?, s.try_into().ok()?))
}

/// `r + n` as a field element, if it is below `p` (public values).
fn r_plus_n_below_p(r: &[u8; 32]) -> Option<Fe> {
    let mut sum = [0u8; 32];
    let mut carry = 0u16;
    for ((dst, a), b) in sum
        .iter_mut()
        .zip(r.iter())
        .zip(arith::to_be_bytes(&arith::N).iter())
        .rev()
    {
        let t = u16::from(*a)
            .wrapping_add(u16::from(*b))
            .wrapping_add(carry);
        *dst = t.to_be_bytes()[1];
        carry = t >> 8;
    }
    if carry != 0 {
        return None;
    }
    let (fe, below_p) = Fe::from_bytes(&sum);
    bool::from(below_p).then_some(fe)
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &PublicKey) -> bool {
        self.point.vartime_eq(&other.point)
    }
}

impl Eq for PublicKey {}

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
    ///
    /// ```
    /// use paykernel::{Error, sign::Signature};
    /// assert_eq!(Signature::from_slice(&[0; 64]).err(), Some(Error::InvalidSignature));
    /// assert!(Signature::from_slice(&[1; 64]).is_ok());
    /// ```
    pub fn from_slice(sig: &[u8]) -> Result<Self, Error> {
        let (r, s) = split_signature(sig).ok_or(Error::InvalidSignature)?;
        Signature::from_parts(r, s)
    }

    /// The signature `(r, s)` if both are in 1..n.
    fn from_parts(r: &[u8; 32], s: &[u8; 32]) -> Result<Self, Error> {
        let (rs, r_ok) = Scalar::from_bytes(r);
        let (ss, s_ok) = Scalar::from_bytes(s);
        // Public values: a plain branch.
        if !bool::from(r_ok & s_ok & !rs.is_zero() & !ss.is_zero()) {
            return Err(Error::InvalidSignature);
        }
        let mut bytes = [0u8; SIGNATURE_LEN];
        let (rb, sb) = bytes.split_at_mut(32);
        rb.copy_from_slice(r);
        sb.copy_from_slice(s);
        Ok(Signature { bytes })
    }

    /// A signature from strict ASN.1 DER.
    ///
    /// # Errors
    /// [`Error::InvalidSignature`] for anything that is not the one DER
    /// encoding of a pair `0 < r, s < n`: BER forms (long or indefinite
    /// lengths where short ones fit, leading zero bytes, negative integers),
    /// trailing bytes, another structure.
    ///
    /// ```
    /// use paykernel::{Error, sign::Signature};
    /// // r = 1, s = 2.
    /// let sig = Signature::from_der(&[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02])?;
    /// assert_eq!(sig.as_bytes()[31], 1);
    /// assert_eq!(sig.as_bytes()[63], 2);
    /// // The same with a redundant leading zero in r: not DER.
    /// assert_eq!(
    ///     Signature::from_der(&[0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x02]).err(),
    ///     Some(Error::InvalidSignature)
    /// );
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        let (r, s) = der::parse(der).ok_or(Error::InvalidSignature)?;
        Signature::from_parts(&r, &s)
    }

    /// The 64 bytes `r || s`.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; SIGNATURE_LEN] {
        &self.bytes
    }

    /// The strict DER encoding.
    ///
    /// ```
    /// use paykernel::sign::Signature;
    /// let mut rs = [0u8; 64];
    /// rs[31] = 1;
    /// rs[63] = 0x80;
    /// // s = 0x80 takes a 00 byte to stay positive.
    /// assert_eq!(
    ///     Signature::from_slice(&rs)?.to_der().as_bytes(),
    ///     &[0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x02, 0x00, 0x80]
    /// );
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn to_der(&self) -> DerSignature {
        let mut out = DerSignature {
            bytes: [0u8; DER_MAX_LEN],
            len: 0,
        };
        if let Some((r, s)) = split_signature(&self.bytes) {
            out.len = der::encode(r, s, &mut out.bytes);
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
///
/// ```
/// use paykernel::sign::Signature;
/// // r = 1, s = 2: SEQUENCE { INTEGER 1, INTEGER 2 }.
/// let mut rs = [0u8; 64];
/// rs[31] = 1;
/// rs[63] = 2;
/// let der = Signature::from_slice(&rs)?.to_der();
/// assert_eq!(der.as_bytes(), [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02]);
/// assert_eq!(Signature::from_der(der.as_bytes())?.as_bytes(), &rs);
/// # Ok::<(), paykernel::Error>(())
/// ```
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
        // Another outer tag: a SET (31) or a constructed context tag (A0)
        // around the same two INTEGERs.
        for tag in [0x31, 0xA0] {
            let mut other = want.clone();
            other[0] = tag;
            assert!(!pk.verify_der(b"sample", &other));
        }
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
        // X.690 8.3.2: a leading 00 only where the next byte's top bit is
        // set. r = 2^255 (first byte 80) takes one; 127 (7F) does not, and
        // 00 7F is not DER.
        let mut rs = [0u8; 64];
        rs[0] = 0x80;
        rs[63] = 1;
        let big = Signature::from_slice(&rs).unwrap().to_der();
        let mut want_big = h("3026022100");
        want_big.extend(&rs[..32]);
        want_big.extend(h("020101"));
        assert_eq!(big.as_bytes().to_vec(), want_big);
        assert_eq!(Signature::from_der(&want_big).unwrap().as_bytes(), &rs);
        let mut small = [0u8; 64];
        small[31] = 0x7F;
        small[63] = 1;
        assert_eq!(
            Signature::from_der(&h("300602017F020101"))
                .unwrap()
                .as_bytes(),
            &small
        );
        assert_eq!(
            Signature::from_der(&h("30070202007F020101")),
            Err(Error::InvalidSignature)
        );
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
        // Public values print in full: U compressed (RFC 6979 A.2.5), and
        // r = 1, s = 2 with its DER (X.690: SEQUENCE { INTEGER 1, INTEGER 2 }).
        let pk = std::format!("{:?}", rfc_key().public_key());
        assert_eq!(pk, std::format!("PublicKey(03{RFC_UX})"));
        let mut rs = [0u8; 64];
        rs[31] = 1;
        rs[63] = 2;
        let sig = Signature::from_slice(&rs).unwrap();
        assert_eq!(
            std::format!("{sig:?}"),
            std::format!("Signature({:0>64}{:0>64})", "1", "2")
        );
        assert_eq!(
            std::format!("{:?}", sig.to_der()),
            "DerSignature(3006020101020102)"
        );
    }

    #[test]
    fn zeroize_forgets_the_key() {
        // After `zeroize` the key no longer yields RFC 6979's U.
        let mut k = rfc_key();
        k.zeroize();
        assert_ne!(k.public_key().to_compressed()[1..].to_vec(), h(RFC_UX));
    }

    #[test]
    fn nonce_checks_each_condition() {
        // SEC 1 4.1.3 / RFC 6979 3.2: the nonce k must be in [1, n - 1].
        // k = 1 and k = n - 1 give R = ±G, so r = Gx (SEC 2, 2.4.2).
        let key = rfc_key();
        let (e, _) = Scalar::from_bytes(&[0x42; 32]);
        let gx = h("6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296");
        let mut one = [0u8; 32];
        one[31] = 1;
        let n: [u8; 32] = h(N).try_into().unwrap();
        let (mut n_minus_1, mut n_plus_1) = (n, n);
        n_minus_1[31] -= 1;
        n_plus_1[31] += 1;
        for k in [one, n_minus_1] {
            let sig = key.try_nonce(&e, &k).unwrap();
            assert_eq!(sig.as_bytes()[..32].to_vec(), gx);
        }
        // k = 0, n, n + 1 (which is 1 once reduced) and 2^256 - 1 are
        // refused, whatever r and s they would give.
        for k in [[0u8; 32], n, n_plus_1, [0xFF; 32]] {
            assert_eq!(key.try_nonce(&e, &k).err(), Some(Error::InvalidSignature));
        }
    }

    /// Project Wycheproof, `testvectors_v1/ecdsa_secp256r1_sha256_p1363_test.json`
    /// (C2SP/wycheproof): crafted keys whose signatures (`r || s`) of
    /// "123400" hit the edge cases of verification. Each was checked again
    /// with a textbook affine-coordinate verification in Python.
    #[test]
    fn wycheproof_edge_cases() {
        const K115: &str = "040AD99500288D466940031D72A9F5445A4D43784640855BF0A69874D2DE5FE103C5011E6EF2C42DCD50D5D3D29F99AE6EBA2C80C9244F4C5422F0979FF0C3BA5E";
        const K128: &str = "042EF747671C97D9C7F9CB2F6A30D678C3D84757BA241EF7183D51A29F52D87C2EA8FB2EA635B761BAEFC1C4DED2099281B844E13E044C328553BBBAFA337D8A76";
        const K134: &str = "04D03EB09913CC20C6A8D0070F0D8D2A7F63527FAFA44117FCE6BD1EF2AA4AE3C46D5DF3F45AC58FA334C6D102381B3120B7A2455600DCAFF3D1A845514F12BF46";
        const K137: &str = "043A72476291571193B4D109B2C37B59F2807E8FE9CFFD804EACDED903E77CA0DA592DBC74FEE0CA7508CC7BC282B0C51A143286FF53C60131668E7A0929E4ED04";
        let msg = h("313233343030");
        for (id, key, sig, valid) in [
            // "k*G has a large x-coordinate": x(R) = r + n, valid only
            // through the r + n comparison.
            (
                115,
                K115,
                "000000000000000000000000000000004319055358e8617b0c46353d039cdaabffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc63254e",
                true,
            ),
            // "r too large": r = x(R) itself, which is at least n.
            (
                116,
                K115,
                "ffffffff00000001000000000000000000000000fffffffffffffffffffffffcffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc63254e",
                false,
            ),
            // "small r and s": r = 6, s = 1.
            (
                128,
                K128,
                "00000000000000000000000000000000000000000000000000000000000000060000000000000000000000000000000000000000000000000000000000000001",
                true,
            ),
            // r = 6, s = 7; then "r is larger than n": r = n + 6, which is
            // 6 once reduced.
            (
                134,
                K134,
                "00000000000000000000000000000000000000000000000000000000000000060000000000000000000000000000000000000000000000000000000000000007",
                true,
            ),
            (
                136,
                K134,
                "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc6325570000000000000000000000000000000000000000000000000000000000000007",
                false,
            ),
            // "s is larger than n": s = n + 1234567, where (6, 1234567) is
            // valid for this key.
            (
                137,
                K137,
                "0000000000000000000000000000000000000000000000000000000000000006ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc75fbd8",
                false,
            ),
        ] {
            let pk = PublicKey::from_sec1(&h(key)).unwrap();
            assert_eq!(pk.verify(&msg, &h(sig)), valid, "tcId {id}");
        }
        // tcId 128 again with n added to s: the reduced values are the
        // valid (6, 1), the signature is not.
        let pk = PublicKey::from_sec1(&h(K128)).unwrap();
        let mut sig = h("0000000000000000000000000000000000000000000000000000000000000006");
        sig.extend(h(N));
        sig[63] += 1;
        assert!(!pk.verify(&msg, &sig));
        // Different keys are different, also U and -U (SEC 1 2.3.3: the
        // same x, tag 03 for an odd y, 02 for the even p - y).
        assert_ne!(pk, PublicKey::from_sec1(&h(K115)).unwrap());
        let mut minus_u = h("02");
        minus_u.extend(h(RFC_UX));
        assert_ne!(
            rfc_key().public_key(),
            PublicKey::from_sec1(&minus_u).unwrap()
        );
    }
}
