//! `paykernel tdes|aes|kcv|kdf`: the primitives.

use clap::{Subcommand, ValueEnum};
use paykernel::kdf::{self, CounterLocation, CounterWidth};
use paykernel::{AesCipher, AesKey, Error, KcvMethod, TdesCipher, TdesKey};

use crate::input::{CliError, Context, hex_arg, key_arg};
use crate::report::Report;

/// Encrypt or decrypt.
#[derive(Debug, Clone, Copy, Subcommand)]
pub enum Direction {
    /// Encrypt one block.
    Encrypt,
    /// Decrypt one block.
    Decrypt,
}

/// Options of `paykernel tdes` and `paykernel aes`.
#[derive(Debug, clap::Args)]
pub struct BlockArgs {
    /// encrypt or decrypt
    #[arg(value_enum)]
    direction: DirectionArg,
    /// The key in hex (TDES: 8, 16 or 24 bytes; AES: 16, 24 or 32).
    #[arg(long)]
    key: String,
    /// One block in hex (TDES: 8 bytes; AES: 16).
    #[arg(long)]
    block: String,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DirectionArg {
    Encrypt,
    Decrypt,
}

fn block<const N: usize>(s: &str) -> Result<[u8; N], CliError> {
    let b = hex_arg("--block", s, Some(Error::InvalidLength))?;
    b.try_into().map_err(|_| {
        CliError::kernel(
            &format!("--block (must be {N} bytes)"),
            Error::InvalidLength,
        )
    })
}

/// `paykernel tdes encrypt|decrypt --key K --block B`.
pub fn tdes(a: BlockArgs) -> Result<Report, CliError> {
    let key =
        TdesKey::from_slice(&key_arg("--key", &a.key)?).for_input("--key (8, 16 or 24 bytes)")?;
    let mut b = block::<8>(&a.block)?;
    let c = TdesCipher::new(&key);
    match a.direction {
        DirectionArg::Encrypt => c.encrypt_block(&mut b),
        DirectionArg::Decrypt => c.decrypt_block(&mut b),
    }
    Ok(Report::new().hex("block", &b))
}

/// `paykernel aes encrypt|decrypt --key K --block B`.
pub fn aes(a: BlockArgs) -> Result<Report, CliError> {
    let key =
        AesKey::from_slice(&key_arg("--key", &a.key)?).for_input("--key (16, 24 or 32 bytes)")?;
    let mut b = block::<16>(&a.block)?;
    let c = AesCipher::new(&key);
    match a.direction {
        DirectionArg::Encrypt => c.encrypt_block(&mut b),
        DirectionArg::Decrypt => c.decrypt_block(&mut b),
    }
    Ok(Report::new().hex("block", &b))
}

/// Which cipher a key is for.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Alg {
    /// TDES (8, 16 or 24 bytes).
    Tdes,
    /// AES (16, 24 or 32 bytes).
    Aes,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum MethodArg {
    EncryptZeros,
    CmacZeros,
}

/// Options of `paykernel kcv`.
#[derive(Debug, clap::Args)]
pub struct KcvArgs {
    /// The key's cipher.
    #[arg(long, value_enum)]
    alg: Alg,
    /// The key in hex.
    #[arg(long)]
    key: String,
    /// encrypt-zeros (legacy TDES) or cmac-zeros (X9.24-1:2017; required for AES).
    #[arg(long, value_enum)]
    method: Option<MethodArg>,
    /// Bytes of check value (default 3 for encrypt-zeros, 5 for cmac-zeros).
    #[arg(long)]
    len: Option<usize>,
}

/// `paykernel kcv`.
pub fn kcv(a: KcvArgs) -> Result<Report, CliError> {
    let method = match a.method {
        Some(MethodArg::EncryptZeros) => KcvMethod::EncryptZeros,
        Some(MethodArg::CmacZeros) => KcvMethod::CmacZeros,
        None => match a.alg {
            Alg::Tdes => KcvMethod::EncryptZeros,
            Alg::Aes => KcvMethod::CmacZeros,
        },
    };
    let len = a.len.unwrap_or(match method {
        KcvMethod::EncryptZeros => 3,
        KcvMethod::CmacZeros => 5,
    });
    let key = key_arg("--key", &a.key)?;
    let kcv = match a.alg {
        Alg::Tdes => TdesKey::from_slice(&key)
            .for_input("--key")?
            .kcv(method, len),
        Alg::Aes => AesKey::from_slice(&key)
            .for_input("--key")?
            .kcv(method, len),
    }
    .for_input("--len")?;
    Ok(Report::new().hex("kcv", kcv.as_bytes()))
}

/// `paykernel kdf ...`.
#[derive(Debug, Subcommand)]
pub enum KdfCmd {
    /// NIST SP 800-108 counter mode with AES-CMAC.
    KbkdfCmac(KbkdfArgs),
}

/// Options of `paykernel kdf kbkdf-cmac`.
#[derive(Debug, clap::Args)]
pub struct KbkdfArgs {
    /// The AES key (16, 24 or 32 bytes) in hex.
    #[arg(long)]
    key: String,
    /// The fixed input data in hex.
    #[arg(long)]
    fixed_input: String,
    /// Counter width: 8, 16, 24 or 32 bits.
    #[arg(long, default_value_t = 32)]
    counter_bits: u32,
    /// Counter before or after the fixed data.
    #[arg(long, value_enum, default_value_t = LocationArg::Before)]
    counter_location: LocationArg,
    /// Output bytes.
    #[arg(long)]
    len: usize,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LocationArg {
    Before,
    After,
}

/// `paykernel kdf kbkdf-cmac`.
pub fn kdf(cmd: KdfCmd) -> Result<Report, CliError> {
    let KdfCmd::KbkdfCmac(a) = cmd;
    let key = AesKey::from_slice(&key_arg("--key", &a.key)?).for_input("--key")?;
    let fixed = hex_arg("--fixed-input", &a.fixed_input, None)?;
    let width = CounterWidth::from_bits(a.counter_bits)
        .map_err(|_| CliError::Usage("--counter-bits must be 8, 16, 24 or 32".to_owned()))?;
    let location = match a.counter_location {
        LocationArg::Before => CounterLocation::Before,
        LocationArg::After => CounterLocation::After,
    };
    if a.len > 1 << 20 {
        return Err(CliError::Usage("--len: at most 1048576 bytes".to_owned()));
    }
    let mut out = vec![0u8; a.len];
    kdf::kbkdf_cmac(&key, &fixed, width, location, &mut out).for_input("--len")?;
    Ok(Report::new().hex("key", &out))
}
