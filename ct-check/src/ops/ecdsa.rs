//! Ops of ECDSA P-256 with SHA-256: the signing key's checked constructor
//! (accepted and refused), the public key, deterministic signing (RFC 6979)
//! of a message and of a digest, and verification.
//!
//! Secret: the private scalar (and the message being signed, which may be
//! a record with a secret-marked tag elsewhere; here it is marked too).
//! Signing (the kernel's own P-256 code, `src/sign/`) has no branch and no
//! index on the key or the nonce; its one decision, whether RFC 6979's
//! candidate nonce is usable (`0 < k < n`, `r ≠ 0`, `s ≠ 0`), is the
//! kernel's verdict (`ct-verdict` in `suppressions.supp`). The default
//! build signs with the base-point comb, the opt-level "z" build without
//! the tables (the plain window). Verification has only public inputs: its
//! op checks the plumbing (no report, and the answer), nothing more. Known
//! answers: RFC 6979 A.2.5 (`vectors/rfc6979-p256.json`); a record's
//! signature is in `record.sign`.

use paykernel::Error;
use paykernel::sign::{PublicKey, SigningKey};

use crate::check::{Check, OpResult, fail, secret_hex, unhex};

ops! {
    "ecdsa.from_slice" => from_slice,
    "ecdsa.public_key" => public_key,
    "ecdsa.sign" => sign,
    "ecdsa.sign_digest" => sign_digest,
    "ecdsa.verify" => verify,
}

/// RFC 6979 A.2.5: the P-256 private key `x` and public key `U`.
const RFC6979_KEY: &str = "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";
const RFC6979_PUBLIC: &str = "0460FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB67903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299";

/// RFC 6979 A.2.5, SHA-256: messages "sample" and "test" and their
/// signatures `r || s` (rfc6979-p256.json, `sign-sample`, `sign-test`).
const RFC6979_SIGS: [(&str, &str); 2] = [
    (
        "73616D706C65",
        "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8",
    ),
    (
        "74657374",
        "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083",
    ),
];

/// The private key of `hex`, marked secret, accepted.
fn signing_key(c: &mut Check, hex: &str) -> Result<SigningKey, String> {
    let r = SigningKey::from_slice(&secret_hex(c, hex)?);
    c.accepted("key accepted", r, None)?
        .ok_or_else(|| "no key".to_owned())
}

/// The range check 0 < d < n on secret scalars: n − 1 is accepted, 0 and
/// n are refused (the kernel's one verdict).
fn from_slice(c: &mut Check) -> OpResult {
    let n = "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551";
    let n_minus_1 = "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632550";
    signing_key(c, n_minus_1)?;
    for bad in [n, "0000000000000000000000000000000000000000000000000000000000000000"] {
        let r = SigningKey::from_slice(&secret_hex(c, bad)?);
        c.accepted("key accepted", r, Some(Error::InvalidKey))?;
    }
    Ok(())
}

/// `d · G` for RFC 6979's key.
fn public_key(c: &mut Check) -> OpResult {
    let key = signing_key(c, RFC6979_KEY)?;
    // The point is an output, public by nature: declassified as a whole
    // before its encoder (which asks whether it is the identity) runs.
    let mut pk = key.public_key();
    c.output_value("public key", &mut pk);
    // Its encoding comes from the declassified point: compared directly.
    let bytes = pk.to_uncompressed();
    if bytes.as_slice() == unhex(RFC6979_PUBLIC)?.as_slice() {
        Ok(())
    } else {
        Err(format!("public key {}", hex::encode_upper(bytes)))
    }
}

/// RFC 6979's two signatures; the messages are marked secret too.
fn sign(c: &mut Check) -> OpResult {
    let key = signing_key(c, RFC6979_KEY)?;
    for (msg, want) in RFC6979_SIGS {
        let msg = secret_hex(c, msg)?;
        c.output_eq("signature", &mut key.sign(&msg).as_bytes().to_vec(), want)?;
    }
    Ok(())
}

/// Signing a SHA-256 digest the caller computed: SHA-256("sample").
fn sign_digest(c: &mut Check) -> OpResult {
    let key = signing_key(c, RFC6979_KEY)?;
    let digest: [u8; 32] = unhex("AF2BDBE1AA9B6EC1E2ADE1D694F41FC71A831D0268E9891562113D8A62ADD1BF")?
        .try_into()
        .map_err(|_| "digest".to_owned())?;
    let mut digest = digest;
    c.secret(&mut digest);
    let (_, want) = RFC6979_SIGS[0];
    c.output_eq(
        "signature",
        &mut key.sign_digest(&digest).as_bytes().to_vec(),
        want,
    )
}

/// Verification of RFC 6979's signature, and of one with a flipped bit.
/// Every input is public: the op only checks that the plumbing is sound.
fn verify(c: &mut Check) -> OpResult {
    let pk = PublicKey::from_sec1(&unhex(RFC6979_PUBLIC)?).map_err(fail("public key"))?;
    let (msg, sig) = RFC6979_SIGS[0];
    let msg = unhex(msg)?;
    let mut sig = unhex(sig)?;
    if !c.public_verdict("valid", pk.verify(&msg, &sig)) {
        return Err("RFC 6979's signature does not verify".to_owned());
    }
    if let Some(b) = sig.get_mut(40) {
        *b ^= 0x01;
    }
    if c.public_verdict("valid", pk.verify(&msg, &sig)) {
        return Err("a flipped bit verifies".to_owned());
    }
    Ok(())
}
