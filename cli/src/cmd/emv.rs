//! `paykernel emv`: not built yet.

use crate::input::CliError;
use crate::report::Report;

/// Options of `paykernel emv`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `paykernel emv`.
pub fn run(_args: Args) -> Result<Report, CliError> {
    Err(CliError::Usage(
        "'paykernel emv' is not built yet".to_owned(),
    ))
}
