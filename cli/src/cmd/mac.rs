//! `paykernel mac`: ISO/IEC 9797-1 MACs (algorithms 1 and 3) and CMAC,
//! computed or verified.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use paykernel::mac::{AesCmac, BlockCipher, Iso9797Algorithm, Iso9797Mac, Padding, TdesCmac};
use paykernel::{AesKey, Error, TdesKey};

use crate::input::{CliError, Context, hex_arg, key_arg};
use crate::report::Report;

/// Options of `paykernel mac`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: MacCmd,
}

#[derive(Debug, Subcommand)]
enum MacCmd {
    /// ISO/IEC 9797-1 MAC algorithm 1 (CBC-MAC) or 3 (retail MAC).
    Iso9797(Iso9797Args),
    /// Check an ISO/IEC 9797-1 MAC (exit 1 when it is not valid).
    Iso9797Verify {
        #[command(flatten)]
        args: Iso9797Args,
        /// The MAC to check, in hex (exactly --len bytes).
        #[arg(long)]
        mac: String,
    },
    /// CMAC (NIST SP 800-38B) with AES or TDES.
    Cmac(CmacArgs),
    /// Check a CMAC (exit 1 when it is not valid).
    CmacVerify {
        #[command(flatten)]
        args: CmacArgs,
        /// The tag to check, in hex (exactly --len bytes).
        #[arg(long)]
        mac: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum AlgArg {
    #[value(name = "1")]
    One,
    #[value(name = "3")]
    Three,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CipherArg {
    Des,
    Tdes,
    Aes,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CmacCipherArg {
    Aes,
    Tdes,
}

/// The message: hex on the command line, or the raw bytes of a file.
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
struct DataArgs {
    /// The data in hex.
    #[arg(long)]
    data: Option<String>,
    /// A file whose raw bytes are the data.
    #[arg(long)]
    data_file: Option<PathBuf>,
}

impl DataArgs {
    fn read(&self) -> Result<Vec<u8>, CliError> {
        match (&self.data, &self.data_file) {
            (Some(hex), _) => hex_arg("--data", hex, None),
            (None, Some(path)) => std::fs::read(path)
                .map_err(|e| CliError::Usage(format!("--data-file {}: {e}", path.display()))),
            (None, None) => Err(CliError::Usage(
                "--data or --data-file is needed".to_owned(),
            )),
        }
    }
}

#[derive(Debug, clap::Args)]
struct Iso9797Args {
    /// MAC algorithm: 1 (CBC-MAC) or 3 (retail MAC: K || K').
    #[arg(long, value_enum)]
    alg: AlgArg,
    /// Block cipher (algorithm 3 with DES is the ANSI X9.19 retail MAC).
    #[arg(long, value_enum)]
    cipher: CipherArg,
    /// The key in hex. Algorithm 1: DES 8 bytes, TDES 8/16/24, AES
    /// 16/24/32. Algorithm 3: K || K', DES 16, TDES 16/32/48, AES 32/48/64.
    #[arg(long)]
    key: String,
    #[command(flatten)]
    data: DataArgs,
    /// ISO/IEC 9797-1 padding method: 1, 2 or 3.
    #[arg(long)]
    padding: u64,
    /// MAC length in bytes (default: the block size, 8 or 16).
    #[arg(long)]
    len: Option<usize>,
}

#[derive(Debug, clap::Args)]
struct CmacArgs {
    /// Block cipher.
    #[arg(long, value_enum)]
    cipher: CmacCipherArg,
    /// The key in hex (AES: 16/24/32 bytes; TDES: 8/16/24).
    #[arg(long)]
    key: String,
    #[command(flatten)]
    data: DataArgs,
    /// Tag length in bytes (default: the block size, 16 or 8).
    #[arg(long)]
    len: Option<usize>,
}

/// Runs `paykernel mac ...`.
pub fn run(args: Args) -> Result<Report, CliError> {
    match args.command {
        MacCmd::Iso9797(a) => {
            let (m, data, padding, len) = iso9797_setup(&a)?;
            let tag = m.mac(&data, padding, len).for_input("--len")?;
            Ok(Report::new().hex("mac", tag.as_bytes()))
        }
        MacCmd::Iso9797Verify { args, mac } => {
            let (m, data, padding, len) = iso9797_setup(&args)?;
            let candidate = hex_arg("--mac", &mac, None)?;
            Ok(Report::new().valid(m.verify(&data, padding, &candidate, len)))
        }
        MacCmd::Cmac(a) => {
            let (m, data, len) = cmac_setup(&a)?;
            let tag = match &m {
                Cmac::Aes(c) => c.mac(&data, len),
                Cmac::Tdes(c) => c.mac(&data, len),
            }
            .for_input("--len")?;
            Ok(Report::new().hex("mac", tag.as_bytes()))
        }
        MacCmd::CmacVerify { args, mac } => {
            let (m, data, len) = cmac_setup(&args)?;
            // As the vector op `cmac.verify` (VECTORS.md): a tag of 1 to 3
            // bytes is guessed too easily to be worth checking.
            if len < MIN_VERIFY_LEN {
                let block = match &m {
                    Cmac::Aes(_) => 16,
                    Cmac::Tdes(_) => 8,
                };
                return Err(CliError::kernel(
                    &format!("--len (4 to {block} when checking a tag)"),
                    Error::InvalidLength,
                ));
            }
            let candidate = hex_arg("--mac", &mac, None)?;
            let valid = match &m {
                Cmac::Aes(c) => c.verify(&data, &candidate, len),
                Cmac::Tdes(c) => c.verify(&data, &candidate, len),
            };
            Ok(Report::new().valid(valid))
        }
    }
}

fn iso9797_setup(a: &Iso9797Args) -> Result<(Iso9797Mac, Vec<u8>, Padding, usize), CliError> {
    let alg = match a.alg {
        AlgArg::One => Iso9797Algorithm::Alg1,
        AlgArg::Three => Iso9797Algorithm::Alg3,
    };
    let cipher = match a.cipher {
        CipherArg::Des => BlockCipher::Des,
        CipherArg::Tdes => BlockCipher::Tdes,
        CipherArg::Aes => BlockCipher::Aes,
    };
    let key = key_arg("--key", &a.key)?;
    let m = Iso9797Mac::new(alg, cipher, &key).for_input("--key")?;
    let padding = Padding::from_number(a.padding).for_input("--padding (1, 2 or 3)")?;
    let len = a.len.unwrap_or(m.block_size());
    if len == 0 || len > m.block_size() {
        return Err(CliError::kernel(
            &format!("--len (1 to {})", m.block_size()),
            Error::InvalidLength,
        ));
    }
    Ok((m, a.data.read()?, padding, len))
}

/// The shortest CMAC `mac cmac-verify` checks.
const MIN_VERIFY_LEN: usize = 4;

enum Cmac {
    Aes(Box<AesCmac>),
    Tdes(Box<TdesCmac>),
}

fn cmac_setup(a: &CmacArgs) -> Result<(Cmac, Vec<u8>, usize), CliError> {
    let key = key_arg("--key", &a.key)?;
    let (m, block) = match a.cipher {
        CmacCipherArg::Aes => (
            Cmac::Aes(Box::new(AesCmac::new(
                &AesKey::from_slice(&key).for_input("--key (16, 24 or 32 bytes)")?,
            ))),
            16,
        ),
        CmacCipherArg::Tdes => (
            Cmac::Tdes(Box::new(TdesCmac::new(
                &TdesKey::from_slice(&key).for_input("--key (8, 16 or 24 bytes)")?,
            ))),
            8,
        ),
    };
    let len = a.len.unwrap_or(block);
    if len == 0 || len > block {
        return Err(CliError::kernel(
            &format!("--len (1 to {block})"),
            Error::InvalidLength,
        ));
    }
    Ok((m, a.data.read()?, len))
}
