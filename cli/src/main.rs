//! `paykernel`: run vector suites against the kernel, and perform its
//! operations from the command line.
//!
//! Exit status: 0 success; 1 a vector case or a verification failed; 2 bad
//! input (the message says what was wrong).

mod cmd;
mod input;
mod report;
mod vectors;

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
    /// ISO 9564-1 PIN blocks.
    Pin(cmd::pin::Args),
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
    let cli = Cli::parse();
    let json = cli.json;
    let result: Result<Report, CliError> = match cli.command {
        Command::Vectors(VectorsCmd::Run { paths, json: local }) => {
            let status = vectors::run(&paths, json || local);
            return ExitCode::from(u8::try_from(status).unwrap_or(2));
        }
        Command::Vectors(VectorsCmd::Ops) => {
            for name in vectors::ops::names() {
                println!("{name}");
            }
            return ExitCode::SUCCESS;
        }
        Command::Tdes(a) => cmd::primitives::tdes(a),
        Command::Aes(a) => cmd::primitives::aes(a),
        Command::Kcv(a) => cmd::primitives::kcv(a),
        Command::Kdf(c) => cmd::primitives::kdf(c),
        Command::Pin(a) => cmd::pin::run(a),
        Command::Dukpt(a) => cmd::dukpt::run(a),
        Command::Mac(a) => cmd::mac::run(a),
        Command::Emv(a) => cmd::emv::run(a),
        Command::Record(a) => cmd::record::run(a, json),
        Command::Ecdsa(a) => cmd::ecdsa::run(a),
        Command::Tr31(a) => cmd::tr31::run(a, json),
    };
    match result {
        Ok(report) => {
            report.print(json);
            ExitCode::from(u8::try_from(report.exit).unwrap_or(1))
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
