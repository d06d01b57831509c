//! `paykernel ecdsa`: not built yet.

use crate::input::CliError;
use crate::report::Report;

/// Options of `paykernel ecdsa`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `paykernel ecdsa`.
pub fn run(_args: Args) -> Result<Report, CliError> {
    Err(CliError::Usage(
        "'paykernel ecdsa' is not built yet".to_owned(),
    ))
}
