//! ECDSA P-256 with SHA-256: RFC 6979 Appendix A.2.5.

use paykernel::Error;
use paykernel::sign::{PublicKey, Signature, SigningKey};

use super::{Check, Outcome};

/// The checks of this group.
pub const ALL: &[Check] = &[
    ("ecdsa p-256 rfc 6979 a.2.5 sign", sign),
    ("ecdsa p-256 rfc 6979 a.2.5 verify", verify),
    ("ecdsa p-256 refuses tampering", tampered),
];

// RFC 6979 A.2.5: the private key x, the public key U = (Ux, Uy), and the
// SHA-256 signatures of "sample" and "test".
const X: [u8; 32] = h!("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721");
const U: [u8; 65] = h!(
    "0460FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB67903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299"
);
const SIG_SAMPLE: [u8; 64] = h!(
    "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"
);
const SIG_TEST: [u8; 64] = h!(
    "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083"
);

fn sign() -> Outcome {
    let key = SigningKey::from_slice(&X)?;
    Ok(key.public_key().to_uncompressed() == U
        && *key.sign(b"sample").as_bytes() == SIG_SAMPLE
        && *key.sign(b"test").as_bytes() == SIG_TEST)
}

fn verify() -> Outcome {
    let pk = PublicKey::from_sec1(&U)?;
    // The same signature in DER, and the compressed key.
    let der = Signature::from_slice(&SIG_SAMPLE)?.to_der();
    let compressed = PublicKey::from_sec1(&pk.to_compressed())?;
    Ok(pk.verify(b"sample", &SIG_SAMPLE)
        && pk.verify(b"test", &SIG_TEST)
        && pk.verify_der(b"sample", der.as_bytes())
        && compressed == pk)
}

fn tampered() -> Outcome {
    let pk = PublicKey::from_sec1(&U)?;
    let mut sig = SIG_SAMPLE;
    sig[10] ^= 0x01;
    let mut point = U;
    point[64] ^= 0x01;
    Ok(!pk.verify(b"sample", &sig)
        && !pk.verify(b"test", &SIG_SAMPLE)
        && !pk.verify(b"sample", &SIG_SAMPLE[..63])
        && PublicKey::from_sec1(&point).err() == Some(Error::InvalidPublicKey)
        && Signature::from_slice(&[0u8; 64]).err() == Some(Error::InvalidSignature))
}
