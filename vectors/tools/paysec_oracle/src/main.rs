//! Reads one request per line on stdin, answers one line on stdout:
//!
//! - `ik BDK IKID` -> the initial key
//! - `wk BDK KSN USAGE BITS` -> the working key (AES of BITS = 128|192|256)
//! - `uk BDK IKID` -> the DUKPT update key
//!
//! Errors are answered as `ERR <debug>`.

use std::io::{BufRead, Write};

use paysec_crypto::AesKeySize;
use paysec_crypto_rustcrypto::RustCryptoProvider;
use paysec_dukpt::{InitialKeyId, KeySerialNumber, WorkingKeyUsage};

fn size_of_len(n: usize) -> AesKeySize {
    match n {
        16 => AesKeySize::Bits128,
        24 => AesKeySize::Bits192,
        _ => AesKeySize::Bits256,
    }
}

fn size_of_bits(s: &str) -> AesKeySize {
    match s {
        "128" => AesKeySize::Bits128,
        "192" => AesKeySize::Bits192,
        _ => AesKeySize::Bits256,
    }
}

fn usage(s: &str) -> WorkingKeyUsage {
    match s {
        "kek" => WorkingKeyUsage::KeyEncryption,
        "pin" => WorkingKeyUsage::PinEncryption,
        "mac-generate" => WorkingKeyUsage::MessageAuthenticationGeneration,
        "mac-verify" => WorkingKeyUsage::MessageAuthenticationVerification,
        "mac-both" => WorkingKeyUsage::MessageAuthenticationBothWays,
        "data-encrypt" => WorkingKeyUsage::DataEncryptionEncrypt,
        "data-decrypt" => WorkingKeyUsage::DataEncryptionDecrypt,
        _ => WorkingKeyUsage::DataEncryptionBothWays,
    }
}

fn ikid(s: &str) -> InitialKeyId {
    let b = hex::decode(s).expect("hex");
    let bdk_id = u32::from_be_bytes(b[0..4].try_into().expect("4"));
    let der_id = u32::from_be_bytes(b[4..8].try_into().expect("4"));
    InitialKeyId::from_parts(bdk_id, der_id)
}

fn main() {
    let p = RustCryptoProvider;
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let line = line.expect("line");
        let f: Vec<&str> = line.split_whitespace().collect();
        let answer = match f.as_slice() {
            ["ik", bdk, id] => {
                let bdk = hex::decode(bdk).expect("hex");
                paysec_dukpt::derive_initial_key(&p, &bdk[..], size_of_len(bdk.len()), ikid(id))
                    .map(|k| hex::encode_upper(k.expose_secret()))
            }
            ["wk", bdk, ksn, u, bits] => {
                let bdk = hex::decode(bdk).expect("hex");
                let ksn: [u8; 12] = hex::decode(ksn).expect("hex").try_into().expect("12");
                paysec_dukpt::derive_working_key(
                    &p,
                    &bdk[..],
                    size_of_len(bdk.len()),
                    usage(u),
                    size_of_bits(bits),
                    KeySerialNumber::from_bytes(ksn),
                )
                .map(|k| hex::encode_upper(k.expose_secret()))
            }
            ["uk", bdk, id] => {
                let bdk = hex::decode(bdk).expect("hex");
                paysec_dukpt::derive_update_key(&p, &bdk[..], size_of_len(bdk.len()), ikid(id))
                    .map(|k| hex::encode_upper(k.expose_secret()))
            }
            _ => panic!("bad request: {line}"),
        };
        match answer {
            Ok(k) => writeln!(out, "{k}").expect("write"),
            Err(e) => writeln!(out, "ERR {e:?}").expect("write"),
        }
        out.flush().expect("flush");
    }
}
