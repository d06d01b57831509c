//! `paykernel record`: not built yet.

use crate::input::CliError;
use crate::report::Report;

/// Options of `paykernel record`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `paykernel record`.
pub fn run(_args: Args) -> Result<Report, CliError> {
    Err(CliError::Usage(
        "'paykernel record' is not built yet".to_owned(),
    ))
}
