//! `paykernel dukpt`: not built yet.

use crate::input::CliError;
use crate::report::Report;

/// Options of `paykernel dukpt`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `paykernel dukpt`.
pub fn run(_args: Args) -> Result<Report, CliError> {
    Err(CliError::Usage(
        "'paykernel dukpt' is not built yet".to_owned(),
    ))
}
