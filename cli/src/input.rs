//! Reading command-line values, and the errors a command reports.

use std::fmt;

use paykernel::Error;

/// Why a command refused to run (exit 2).
#[derive(Debug)]
pub enum CliError {
    /// The kernel refused an input.
    Kernel {
        /// Which input (an option name), when known.
        what: String,
        /// The kernel's error.
        err: Error,
    },
    /// The command line itself is wrong.
    Usage(String),
}

impl CliError {
    /// The kernel's refusal of the value of `what`.
    pub fn kernel(what: &str, err: Error) -> Self {
        CliError::Kernel {
            what: what.to_owned(),
            err,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Kernel { what, err } if what.is_empty() => write!(f, "{err}"),
            CliError::Kernel { what, err } => write!(f, "{what}: {err}"),
            CliError::Usage(s) => f.write_str(s),
        }
    }
}

/// Attaches the option name to a kernel error.
pub trait Context<T> {
    /// Names the input the error is about.
    fn for_input(self, what: &str) -> Result<T, CliError>;
}

impl<T> Context<T> for Result<T, Error> {
    fn for_input(self, what: &str) -> Result<T, CliError> {
        self.map_err(|e| CliError::kernel(what, e))
    }
}

/// Hex bytes from the option `what`; malformed hex is refused as `kind`
/// (e.g. `invalid-key` for a key) or as a usage error.
pub fn hex_arg(what: &str, s: &str, kind: Option<Error>) -> Result<Vec<u8>, CliError> {
    let cleaned: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    crate::vectors::params::decode_hex(&cleaned).map_err(|why| match kind {
        Some(err) => CliError::Kernel {
            what: format!("{what} ({why})"),
            err,
        },
        None => CliError::Usage(format!("{what}: {why}")),
    })
}

/// A key in hex: malformed hex is `invalid-key`.
pub fn key_arg(what: &str, s: &str) -> Result<Vec<u8>, CliError> {
    hex_arg(what, s, Some(Error::InvalidKey))
}
