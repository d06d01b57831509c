//! `paykernel tdes|aes|kcv|kdf`: the primitives.

use clap::{Subcommand, ValueEnum};
use paykernel::kdf::{self, CounterLocation, CounterWidth};
use paykernel::{AesCipher, Error, KcvMethod, TdesCipher};

use crate::input::{CliError, aes_key, bytes, hex_arg, refused, secret_hex_arg, tdes_key};
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
    /// The key in hex (TDES: 8, 16 or 24 bytes; AES: 16, 24 or 32); or
    /// @PATH, env:NAME, - (standard input).
    #[arg(long)]
    key: String,
    /// One block in hex (TDES: 8 bytes; AES: 16); or @PATH, env:NAME, -.
    #[arg(long)]
    block: String,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DirectionArg {
    Encrypt,
    Decrypt,
}

fn block<const N: usize>(s: &str) -> Result<[u8; N], CliError> {
    let b = secret_hex_arg("--block", s, None)?;
    <[u8; N]>::try_from(b.as_slice()).map_err(|_| {
        refused(
            "--block",
            format!("{}; one block is {N} bytes", bytes(b.len())),
            Error::InvalidLength,
        )
    })
}

/// `paykernel tdes encrypt|decrypt --key K --block B`.
pub fn tdes(a: BlockArgs) -> Result<Report, CliError> {
    let key = tdes_key("--key", &a.key)?;
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
    let key = aes_key("--key", &a.key)?;
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
    /// The key in hex; or @PATH, env:NAME, - (standard input).
    #[arg(long)]
    key: String,
    /// encrypt-zeros (legacy TDES) or cmac-zeros (X9.24-1:2017; the
    /// default for AES).
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
    let (kcv, most) = match a.alg {
        Alg::Tdes => (tdes_key("--key", &a.key)?.kcv(method, len), 8),
        Alg::Aes => (aes_key("--key", &a.key)?.kcv(method, len), 16),
    };
    let kcv = kcv.map_err(|e| {
        refused(
            "--len",
            format!("{len}; a check value of this key is 1 to {most} bytes"),
            e,
        )
    })?;
    Ok(Report::new().hex("kcv", kcv.as_bytes()))
}

/// `paykernel kdf ...`.
#[derive(Debug, Subcommand)]
pub enum KdfCmd {
    /// NIST SP 800-108 counter mode with AES-CMAC (prints the derived key:
    /// an operator tool).
    KbkdfCmac(KbkdfArgs),
}

/// Options of `paykernel kdf kbkdf-cmac`.
#[derive(Debug, clap::Args)]
pub struct KbkdfArgs {
    /// The AES key (16, 24 or 32 bytes) in hex; or @PATH, env:NAME, -.
    /// The derived key is printed: this is an operator tool.
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
    let key = aes_key("--key", &a.key)?;
    let fixed = hex_arg("--fixed-input", &a.fixed_input, None)?;
    let width = CounterWidth::from_bits(a.counter_bits).map_err(|_| {
        CliError::Usage(format!(
            "--counter-bits: {}; the counter is 8, 16, 24 or 32 bits",
            a.counter_bits
        ))
    })?;
    let location = match a.counter_location {
        LocationArg::Before => CounterLocation::Before,
        LocationArg::After => CounterLocation::After,
    };
    if a.len > 1 << 20 {
        return Err(CliError::Usage("--len: at most 1048576 bytes".to_owned()));
    }
    let mut out = zeroize::Zeroizing::new(vec![0u8; a.len]);
    kdf::kbkdf_cmac(&key, &fixed, width, location, &mut out).map_err(|e| {
        refused(
            "--len",
            format!(
                "{}; at least 1, and at most 16 × (2^{} - 1) bytes with this counter",
                bytes(a.len),
                a.counter_bits
            ),
            e,
        )
    })?;
    Ok(Report::new().hex("key", &out))
}
