//! `paykernel pin`: not built yet.

use crate::input::CliError;
use crate::report::Report;

/// Options of `paykernel pin`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `paykernel pin`.
pub fn run(_args: Args) -> Result<Report, CliError> {
    Err(CliError::Usage(
        "'paykernel pin' is not built yet".to_owned(),
    ))
}
