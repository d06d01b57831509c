//! `paykernel mac`: not built yet.

use crate::input::CliError;
use crate::report::Report;

/// Options of `paykernel mac`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `paykernel mac`.
pub fn run(_args: Args) -> Result<Report, CliError> {
    Err(CliError::Usage(
        "'paykernel mac' is not built yet".to_owned(),
    ))
}
