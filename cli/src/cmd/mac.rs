//! `paykernel mac`: ISO/IEC 9797-1 MACs (algorithms 1 and 3) and CMAC,
//! computed or verified.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use paykernel::Error;
use paykernel::mac::{AesCmac, BlockCipher, Iso9797Algorithm, Iso9797Mac, Padding, TdesCmac};

use crate::input::{CliError, Context, aes_key, bytes, hex_arg, key_arg, refused, tdes_key};
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
        /// The MAC to check, in hex: 4 bytes up to the block (its length
        /// is the length checked; with --len, exactly --len bytes).
        #[arg(long)]
        mac: String,
    },
    /// CMAC (NIST SP 800-38B) with AES or TDES.
    Cmac(CmacArgs),
    /// Check a CMAC (exit 1 when it is not valid).
    CmacVerify {
        #[command(flatten)]
        args: CmacArgs,
        /// The tag to check, in hex: 4 bytes up to the block (its length
        /// is the length checked; with --len, exactly --len bytes).
        #[arg(long)]
        mac: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
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
    /// The key in hex; or @PATH, env:NAME, - (standard input).
    /// Algorithm 1: DES 8 bytes, TDES 8/16/24, AES 16/24/32. Algorithm 3:
    /// K || K', DES 16, TDES 16/32/48, AES 32/48/64.
    #[arg(long)]
    key: String,
    #[command(flatten)]
    data: DataArgs,
    /// ISO/IEC 9797-1 padding method: 1, 2 or 3.
    #[arg(long)]
    padding: u64,
    /// MAC length in bytes (default: the block size, 8 or 16; when
    /// checking, the length of --mac). A MAC is checked on 4 bytes at
    /// least.
    #[arg(long)]
    len: Option<usize>,
}

#[derive(Debug, clap::Args)]
struct CmacArgs {
    /// Block cipher.
    #[arg(long, value_enum)]
    cipher: CmacCipherArg,
    /// The key in hex (AES: 16/24/32 bytes; TDES: 8/16/24); or @PATH,
    /// env:NAME, - (standard input).
    #[arg(long)]
    key: String,
    #[command(flatten)]
    data: DataArgs,
    /// Tag length in bytes (default: the block size, 16 or 8; when
    /// checking, the length of --mac). A tag is checked on 4 bytes at
    /// least.
    #[arg(long)]
    len: Option<usize>,
}

/// Runs `paykernel mac ...`.
pub fn run(args: Args) -> Result<Report, CliError> {
    match args.command {
        MacCmd::Iso9797(a) => {
            let (m, data, padding) = iso9797_setup(&a)?;
            let len = mac_len(a.len, m.block_size())?;
            let tag = m.mac(&data, padding, len).for_input("--len")?;
            Ok(Report::new().hex("mac", tag.as_bytes()))
        }
        MacCmd::Iso9797Verify { args, mac } => {
            let (m, data, padding) = iso9797_setup(&args)?;
            let candidate = hex_arg("--mac", &mac, None)?;
            let len = checked_len(args.len, &candidate, m.block_size())?;
            let valid = m
                .verify(&data, padding, &candidate, len)
                .for_input("--len")?;
            Ok(Report::new().valid(bool::from(valid)))
        }
        MacCmd::Cmac(a) => {
            let (m, data) = cmac_setup(&a)?;
            let len = mac_len(a.len, m.block_size())?;
            let tag = match &m {
                Cmac::Aes(c) => c.mac(&data, len),
                Cmac::Tdes(c) => c.mac(&data, len),
            }
            .for_input("--len")?;
            Ok(Report::new().hex("mac", tag.as_bytes()))
        }
        MacCmd::CmacVerify { args, mac } => {
            let (m, data) = cmac_setup(&args)?;
            let candidate = hex_arg("--mac", &mac, None)?;
            let len = checked_len(args.len, &candidate, m.block_size())?;
            let valid = match &m {
                Cmac::Aes(c) => c.verify(&data, &candidate, len),
                Cmac::Tdes(c) => c.verify(&data, &candidate, len),
            }
            .for_input("--len")?;
            Ok(Report::new().valid(bool::from(valid)))
        }
    }
}

/// The shortest MAC the verify commands check: 1 to 3 bytes are guessed
/// too easily (4 bytes is the X9.19 retail MAC and the least EMV allows;
/// the vector format's `cmac.verify` refuses shorter tags too).
const MIN_VERIFY_LEN: usize = 4;

/// The length of a MAC to make: `--len`, 1 to the block (default the
/// block).
fn mac_len(len: Option<usize>, block: usize) -> Result<usize, CliError> {
    let len = len.unwrap_or(block);
    if len == 0 || len > block {
        return Err(refused(
            "--len",
            format!("{len}; a MAC of this cipher is 1 to {block} bytes"),
            Error::InvalidLength,
        ));
    }
    Ok(len)
}

/// The length a verify command checks: that of `--mac` (which must equal
/// `--len` when both are given), 4 bytes up to the block.
fn checked_len(len: Option<usize>, candidate: &[u8], block: usize) -> Result<usize, CliError> {
    if let Some(l) = len
        && !(MIN_VERIFY_LEN..=block).contains(&l)
    {
        return Err(refused(
            "--len",
            format!(
                "{l}; a MAC is checked on {MIN_VERIFY_LEN} to {block} bytes (fewer are guessed too easily)"
            ),
            Error::InvalidLength,
        ));
    }
    if let Some(l) = len
        && l != candidate.len()
    {
        return Err(refused(
            "--mac",
            format!("{}, but --len is {l}", bytes(candidate.len())),
            Error::InvalidLength,
        ));
    }
    let n = candidate.len();
    if !(MIN_VERIFY_LEN..=block).contains(&n) {
        return Err(refused(
            "--mac",
            format!(
                "{}; a MAC is checked on {MIN_VERIFY_LEN} to {block} bytes (fewer than 4 are guessed too easily)",
                bytes(n)
            ),
            Error::InvalidLength,
        ));
    }
    Ok(n)
}

/// The key lengths an ISO 9797-1 algorithm and cipher take.
fn iso9797_key_lengths(alg: AlgArg, cipher: CipherArg) -> &'static str {
    match (alg, cipher) {
        (AlgArg::One, CipherArg::Des) => "8 bytes",
        (AlgArg::One, CipherArg::Tdes) => "8, 16 or 24 bytes",
        (AlgArg::One, CipherArg::Aes) => "16, 24 or 32 bytes",
        (AlgArg::Three, CipherArg::Des) => "16 bytes (K || K')",
        (AlgArg::Three, CipherArg::Tdes) => "16, 32 or 48 bytes (K || K')",
        (AlgArg::Three, CipherArg::Aes) => "32, 48 or 64 bytes (K || K')",
    }
}

fn iso9797_setup(a: &Iso9797Args) -> Result<(Iso9797Mac, Vec<u8>, Padding), CliError> {
    let alg = match a.alg {
        AlgArg::One => Iso9797Algorithm::Alg1,
        AlgArg::Three => Iso9797Algorithm::Alg3,
    };
    let cipher = match a.cipher {
        CipherArg::Des => BlockCipher::Des,
        CipherArg::Tdes => BlockCipher::Tdes,
        CipherArg::Aes => BlockCipher::Aes,
    };
    let key = zeroize::Zeroizing::new(key_arg("--key", &a.key)?);
    let m = Iso9797Mac::new(alg, cipher, &key).map_err(|e| {
        refused(
            "--key",
            format!(
                "{}; algorithm {} with {} takes {}",
                bytes(key.len()),
                match a.alg {
                    AlgArg::One => 1,
                    AlgArg::Three => 3,
                },
                match a.cipher {
                    CipherArg::Des => "DES",
                    CipherArg::Tdes => "TDES",
                    CipherArg::Aes => "AES",
                },
                iso9797_key_lengths(a.alg, a.cipher)
            ),
            e,
        )
    })?;
    let padding = Padding::from_number(a.padding).map_err(|e| {
        refused(
            "--padding",
            format!("{}; ISO/IEC 9797-1 padding is method 1, 2 or 3", a.padding),
            e,
        )
    })?;
    Ok((m, a.data.read()?, padding))
}

enum Cmac {
    Aes(Box<AesCmac>),
    Tdes(Box<TdesCmac>),
}

impl Cmac {
    fn block_size(&self) -> usize {
        match self {
            Cmac::Aes(_) => 16,
            Cmac::Tdes(_) => 8,
        }
    }
}

fn cmac_setup(a: &CmacArgs) -> Result<(Cmac, Vec<u8>), CliError> {
    let m = match a.cipher {
        CmacCipherArg::Aes => Cmac::Aes(Box::new(AesCmac::new(&aes_key("--key", &a.key)?))),
        CmacCipherArg::Tdes => Cmac::Tdes(Box::new(TdesCmac::new(&tdes_key("--key", &a.key)?))),
    };
    Ok((m, a.data.read()?))
}
