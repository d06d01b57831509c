//! `paykernel`: run vector suites against the kernel, and perform its
//! operations from the command line.
//!
//! Exit status: 0 success; 1 a vector case or a verification failed; 2 bad
//! input (the message says what was wrong).

mod cmd;
mod input;
mod out;
mod report;
mod vectors;

use crate::out::outln;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::input::CliError;
use crate::report::Report;

/// Card-payment cryptography kernel: vector runner and operations.
#[derive(Debug, Parser)]
#[command(name = "paykernel", version, about, long_about = None)]
struct Cli {
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run vector suites (paykernel-vectors/1).
    #[command(subcommand)]
    Vectors(VectorsCmd),
    /// TDES block encryption.
    Tdes(cmd::primitives::BlockArgs),
    /// AES block encryption.
    Aes(cmd::primitives::BlockArgs),
    /// Key check value of a TDES or AES key.
    Kcv(cmd::primitives::KcvArgs),
    /// Key derivation.
    #[command(subcommand)]
    Kdf(cmd::primitives::KdfCmd),
    /// ISO 9564-1 PIN blocks; PIN verification (Visa PVV, IBM 3624).
    Pin(cmd::pin::Args),
    /// Card verification values (CVV / CVC, CVV2, iCVV).
    Cvv(cmd::card::CvvArgs),
    /// DUKPT (TDES X9.24-1, AES X9.24-3).
    Dukpt(cmd::dukpt::Args),
    /// ISO 9797-1 MACs and CMAC.
    Mac(cmd::mac::Args),
    /// EMV key derivation and cryptograms.
    Emv(cmd::emv::Args),
    /// Stored-value records (SVR1).
    Record(cmd::record::Args),
    /// ECDSA P-256 signatures.
    Ecdsa(cmd::ecdsa::Args),
    /// BER-TLV (EMV DE 55) decoding.
    Tlv(cmd::tlv::Args),
    /// ANSI X9.143 / TR-31 key blocks.
    Tr31(cmd::tr31::Args),
}

#[derive(Debug, Subcommand)]
enum VectorsCmd {
    /// Run every case of the suites in PATH (files, or folders walked for *.json).
    Run {
        /// Suite files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// One JSON object per case instead of text lines.
        #[arg(long)]
        json: bool,
    },
    /// List the ops the runner implements.
    Ops,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let json = cli.json;
    let result: Result<Report, CliError> = match cli.command {
        Command::Vectors(VectorsCmd::Run { paths, json: local }) => {
            let status = vectors::run(&paths, json || local);
            return ExitCode::from(u8::try_from(status).unwrap_or(2));
        }
        Command::Vectors(VectorsCmd::Ops) => {
            for name in vectors::ops::names() {
                outln!("{name}");
            }
            return ExitCode::SUCCESS;
        }
        Command::Tdes(a) => cmd::primitives::tdes(a),
        Command::Aes(a) => cmd::primitives::aes(a),
        Command::Kcv(a) => cmd::primitives::kcv(a),
        Command::Kdf(c) => cmd::primitives::kdf(c),
        Command::Pin(a) => cmd::pin::run(a),
        Command::Cvv(a) => cmd::card::cvv(a),
        Command::Dukpt(a) => cmd::dukpt::run(a),
        Command::Mac(a) => cmd::mac::run(a),
        Command::Emv(a) => cmd::emv::run(a, json),
        Command::Record(a) => cmd::record::run(a, json),
        Command::Ecdsa(a) => cmd::ecdsa::run(a),
        Command::Tlv(a) => cmd::tlv::run(a, json),
        Command::Tr31(a) => cmd::tr31::run(a, json),
    };
    match result {
        Ok(report) => {
            report.print(json);
            ExitCode::from(u8::try_from(report.exit).unwrap_or(1))
        }
        Err(e) => {
            if json {
                outln!("{}", e.to_json());
            } else {
                eprintln!("error: {e}");
            }
            ExitCode::from(2)
        }
    }
}

/// A command line that clap refused (or `--help`/`--version`, which clap
/// reports the same way): with `--json` anywhere on it, the refusal is one
/// JSON object like every other error; otherwise clap's own text.
fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let informational = matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    let json = std::env::args_os().skip(1).any(|a| a == "--json");
    if json && !informational {
        // clap's text without its usage lines and hints, on one line.
        let text = e.to_string();
        let body = text.split("\n\nUsage:").next().unwrap_or(&text);
        let body = body
            .split("\n\nFor more information")
            .next()
            .unwrap_or(body);
        let message = body
            .trim_start_matches("error: ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let err = CliError::Usage(message);
        outln!("{}", err.to_json());
        return ExitCode::from(2);
    }
    let _ = e.print();
    ExitCode::from(if informational { 0 } else { 2 })
}
