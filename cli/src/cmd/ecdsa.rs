//! `paykernel ecdsa sign|verify|public-key`: ECDSA P-256 with SHA-256
//! (RFC 6979 deterministic signing).

use std::path::PathBuf;

use clap::Subcommand;
use paykernel::Error;
use paykernel::sign::{PublicKey, SigningKey};

use crate::input::{CliError, bytes, hex_arg, key_arg, refused};
use crate::report::Report;

/// Options of `paykernel ecdsa`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
struct Message {
    /// The message in hex.
    #[arg(long)]
    msg: Option<String>,
    /// A file whose bytes are the message.
    #[arg(long)]
    msg_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Sign a message: SHA-256, ECDSA with the RFC 6979 nonce. Prints r||s
    /// and DER.
    Sign {
        /// The private scalar in hex (32 bytes, 0 < d < n); or @PATH,
        /// env:NAME, - (standard input).
        #[arg(long)]
        key: String,
        #[command(flatten)]
        msg: Message,
    },
    /// Verify a signature (r||s or DER) of a message (exit 1 if it does
    /// not verify).
    Verify {
        /// The public key in hex: SEC1 compressed (33 bytes) or uncompressed
        /// (65 bytes).
        #[arg(long)]
        public_key: String,
        #[command(flatten)]
        msg: Message,
        /// The signature r||s in hex (64 bytes).
        #[arg(long, conflicts_with = "sig_der", required_unless_present = "sig_der")]
        sig: Option<String>,
        /// The signature in strict ASN.1 DER, in hex.
        #[arg(long)]
        sig_der: Option<String>,
    },
    /// The public key of a private scalar, compressed and uncompressed.
    PublicKey {
        /// The private scalar in hex (32 bytes, 0 < d < n); or @PATH,
        /// env:NAME, - (standard input).
        #[arg(long)]
        key: String,
    },
}

/// Runs `paykernel ecdsa`.
pub fn run(args: Args) -> Result<Report, CliError> {
    match args.cmd {
        Cmd::Sign { key, msg } => {
            let key = signing_key(&key)?;
            let sig = key.sign(&message(&msg)?);
            Ok(Report::new()
                .hex("sig", sig.as_bytes())
                .hex("sig_der", sig.to_der().as_bytes()))
        }
        Cmd::Verify {
            public_key,
            msg,
            sig,
            sig_der,
        } => {
            let pk = public_key_arg(&public_key)?;
            let msg = message(&msg)?;
            let valid = match (sig, sig_der) {
                (Some(s), _) => pk.verify(&msg, &hex_arg("--sig", &s, None)?),
                (None, Some(d)) => pk.verify_der(&msg, &hex_arg("--sig-der", &d, None)?),
                (None, None) => {
                    return Err(CliError::Usage("give --sig or --sig-der".to_owned()));
                }
            };
            Ok(Report::new().valid(valid))
        }
        Cmd::PublicKey { key } => {
            let pk = signing_key(&key)?.public_key();
            Ok(Report::new()
                .hex("compressed", &pk.to_compressed())
                .hex("uncompressed", &pk.to_uncompressed()))
        }
    }
}

/// The private scalar of `--key`: 32 bytes, 0 < d < n.
pub fn signing_key(s: &str) -> Result<SigningKey, CliError> {
    let k = zeroize::Zeroizing::new(key_arg("--key", s)?);
    SigningKey::from_slice(&k).map_err(|e| {
        let why = if k.len() == 32 {
            "not a P-256 private key: the scalar must be 1 to n - 1".to_owned()
        } else {
            format!("{}; a P-256 private key is 32 bytes", bytes(k.len()))
        };
        refused("--key", why, e)
    })
}

/// The SEC1 public key of `--public-key`: 33 bytes (compressed) or 65.
pub fn public_key(s: &str) -> Result<PublicKey, CliError> {
    public_key_arg(s)
}

fn public_key_arg(s: &str) -> Result<PublicKey, CliError> {
    let b = hex_arg("--public-key", s, Some(Error::InvalidPublicKey))?;
    PublicKey::from_sec1(&b).map_err(|e| {
        let why = if matches!(b.len(), 33 | 65) {
            "not a point of P-256 in SEC1 form".to_owned()
        } else {
            format!(
                "{}; a SEC1 P-256 key is 33 (compressed) or 65 bytes",
                bytes(b.len())
            )
        };
        refused("--public-key", why, e)
    })
}

fn message(m: &Message) -> Result<Vec<u8>, CliError> {
    match (&m.msg, &m.msg_file) {
        (Some(hex), _) => hex_arg("--msg", hex, None),
        (None, Some(path)) => std::fs::read(path)
            .map_err(|e| CliError::Usage(format!("{}: cannot read: {e}", path.display()))),
        (None, None) => Err(CliError::Usage("give --msg or --msg-file".to_owned())),
    }
}
