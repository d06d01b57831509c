//! Reading command-line values, and the errors a command reports.

use std::fmt;

use paykernel::{AesKey, Error, Pan, TdesKey};

/// Why a command refused to run (exit 2).
#[derive(Debug)]
pub enum CliError {
    /// The kernel refused an input.
    Kernel {
        /// Which input (an option name), when known.
        what: String,
        /// What was wrong with it beyond the error kind (e.g. why its hex
        /// is malformed), when known.
        detail: Option<String>,
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
            detail: None,
            err,
        }
    }

    /// The error as one JSON object, for `--json`: `error` (the error kind
    /// of the vector format, or `usage`), `option` (when known) and
    /// `message` (the text a person would read).
    pub fn to_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        match self {
            CliError::Kernel { what, err, .. } => {
                m.insert("error".into(), err.kind().into());
                // `what` is an option name, sometimes followed by what it
                // must be: "--key (8, 16 or 24 bytes)".
                let option = what.split(" (").next().unwrap_or(what);
                if !option.is_empty() {
                    m.insert("option".into(), option.into());
                }
            }
            CliError::Usage(message) => {
                m.insert("error".into(), "usage".into());
                // Usage messages start with the option they are about
                // ("--pan: formats 1 and 2 do not use a PAN ...").
                if let Some(option) = leading_option(message) {
                    m.insert("option".into(), option.into());
                }
            }
        }
        m.insert("message".into(), self.to_string().into());
        serde_json::Value::Object(m)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Kernel { what, detail, err } => {
                if !what.is_empty() {
                    write!(f, "{what}: ")?;
                }
                // A detail says what is wrong more precisely than the kind's
                // description ("not hex: ..." rather than "wrong length or
                // parity"): it replaces it.
                match detail {
                    Some(d) => write!(f, "{d} ({})", err.kind()),
                    None => write!(f, "{err}"),
                }
            }
            CliError::Usage(s) => f.write_str(s),
        }
    }
}

/// The option a message starts with (`--pan` of "--pan: ..."), if any.
fn leading_option(message: &str) -> Option<&str> {
    let first = message.split([':', ' ', ',']).next()?;
    (first.starts_with("--") && first.len() > 2).then_some(first)
}

/// A refusal of an option the chosen method would ignore: it names the
/// option and why, so that a mistaken choice (of method, format, CVN...)
/// shows instead of a silently different answer.
pub fn unused(option: &str, why: &str) -> CliError {
    CliError::Usage(format!("{option}: {why}; leave it out"))
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
///
/// The message says where the hex breaks, never which character it found
/// there: the value may be a key with a typo.
pub fn hex_arg(what: &str, s: &str, kind: Option<Error>) -> Result<Vec<u8>, CliError> {
    let cleaned = zeroize::Zeroizing::new(
        s.chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect::<String>(),
    );
    let decoded = match cleaned.chars().position(|c| !c.is_ascii_hexdigit()) {
        Some(i) => Err(format!(
            "not hex: character {} is not a hex digit",
            i.saturating_add(1)
        )),
        None if !cleaned.len().is_multiple_of(2) => Err(format!(
            "not hex: an odd number of digits ({})",
            cleaned.len()
        )),
        None => hex::decode(cleaned.as_bytes()).map_err(|e| format!("not hex: {e}")),
    };
    decoded.map_err(|why| match kind {
        Some(err) => CliError::Kernel {
            what: what.to_owned(),
            detail: Some(why),
            err,
        },
        None => CliError::Usage(format!("{what}: {why}")),
    })
}

/// The kernel's refusal of the value of `what`, with what exactly is wrong.
pub fn refused(what: &str, detail: impl Into<String>, err: Error) -> CliError {
    CliError::Kernel {
        what: what.to_owned(),
        detail: Some(detail.into()),
        err,
    }
}

/// Hex bytes of a secret option (`@PATH`, `env:NAME`, `-` or the value):
/// data that should not need to appear on a command line.
pub fn secret_hex_arg(
    what: &str,
    s: &str,
    kind: Option<Error>,
) -> Result<zeroize::Zeroizing<Vec<u8>>, CliError> {
    let text = secret_text(what, s)?;
    hex_arg(what, &text, kind).map(zeroize::Zeroizing::new)
}

/// "1 byte", "7 bytes".
pub fn bytes(n: usize) -> String {
    if n == 1 {
        "1 byte".to_owned()
    } else {
        format!("{n} bytes")
    }
}

/// A TDES key (8, 16 or 24 bytes) from option `what`.
pub fn tdes_key(what: &str, s: &str) -> Result<TdesKey, CliError> {
    let k = zeroize::Zeroizing::new(key_arg(what, s)?);
    if !matches!(k.len(), 8 | 16 | 24) {
        return Err(refused(
            what,
            format!("{}; a TDES key is 8, 16 or 24 bytes", bytes(k.len())),
            Error::InvalidKey,
        ));
    }
    TdesKey::from_slice(&k).for_input(what)
}

/// A double-length TDES key (16 bytes: EMV, DUKPT, CVV keys) from option
/// `what`.
pub fn tdes_key16(what: &str, s: &str) -> Result<TdesKey, CliError> {
    let k = zeroize::Zeroizing::new(key_arg(what, s)?);
    if k.len() != 16 {
        return Err(refused(
            what,
            format!(
                "{}; this key is 16 bytes (double-length TDES)",
                bytes(k.len())
            ),
            Error::InvalidKey,
        ));
    }
    TdesKey::from_slice(&k).for_input(what)
}

/// An AES key (16, 24 or 32 bytes) from option `what`.
pub fn aes_key(what: &str, s: &str) -> Result<AesKey, CliError> {
    let k = zeroize::Zeroizing::new(key_arg(what, s)?);
    if !matches!(k.len(), 16 | 24 | 32) {
        return Err(refused(
            what,
            format!("{}; an AES key is 16, 24 or 32 bytes", bytes(k.len())),
            Error::InvalidKey,
        ));
    }
    AesKey::from_slice(&k).for_input(what)
}

/// A PAN (12 to 19 digits) from option `what`; like a key it may be given
/// as `@PATH`, `env:NAME` or `-`, so that cardholder data need not appear
/// on a command line.
pub fn pan_arg(what: &str, s: &str) -> Result<Pan, CliError> {
    let text = secret_text(what, s)?;
    let digits = text.trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refused(what, "not decimal digits", Error::InvalidPan));
    }
    Pan::from_digits(digits.as_bytes()).map_err(|e| {
        refused(
            what,
            format!("{} digits; a PAN is 12 to 19", digits.len()),
            e,
        )
    })
}

/// A key in hex: malformed hex is `invalid-key`.
///
/// The value may name where the key is instead of holding it, so that a key
/// need never appear on a command line (which every user of the machine
/// can read): see [`secret_text`].
pub fn key_arg(what: &str, s: &str) -> Result<Vec<u8>, CliError> {
    let text = secret_text(what, s)?;
    hex_arg(what, &text, Some(Error::InvalidKey))
}

/// The text of a secret option: `@PATH` reads the file, `env:NAME` the
/// environment variable, `-` standard input (for one option per command);
/// anything else is the value itself.
pub fn secret_text(what: &str, s: &str) -> Result<zeroize::Zeroizing<String>, CliError> {
    use std::io::Read;
    use std::sync::atomic::{AtomicBool, Ordering};
    static STDIN_TAKEN: AtomicBool = AtomicBool::new(false);

    let text = if let Some(path) = s.strip_prefix('@') {
        std::fs::read_to_string(path)
            .map_err(|e| CliError::Usage(format!("{what}: cannot read {path}: {e}")))?
    } else if let Some(name) = s.strip_prefix("env:") {
        std::env::var(name).map_err(|_| {
            CliError::Usage(format!(
                "{what}: environment variable {name} is not set (or not UTF-8)"
            ))
        })?
    } else if s == "-" {
        if STDIN_TAKEN.swap(true, Ordering::SeqCst) {
            return Err(CliError::Usage(format!(
                "{what}: standard input is already used by another option"
            )));
        }
        let mut buf = String::new();
        std::io::stdin()
            .read_to_string(&mut buf)
            .map_err(|e| CliError::Usage(format!("{what}: cannot read standard input: {e}")))?;
        buf
    } else {
        s.to_owned()
    };
    Ok(zeroize::Zeroizing::new(text))
}
