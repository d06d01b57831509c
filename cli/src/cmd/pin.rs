//! `paykernel pin encipher|decipher|translate`: ISO 9564-1 PIN blocks
//! (`pvv`, `ibm3624` and `verify` are in `card.rs`).

use clap::Subcommand;
use getrandom::SysRng;
use paykernel::pin::{Fill, Format, Pin, PinBlockCipher, PinTranslator};
use paykernel::{Error, Pan};

use crate::input::{
    CliError, Context, bytes, hex_arg, key_arg, pan_arg, refused, secret_text, unused,
};
use crate::report::Report;

/// Options of `paykernel pin`.
///
/// Formats 0, 1, 2 and 3 are enciphered with TDES (keys of 8, 16 or 24
/// bytes), format 4 with AES (16, 24 or 32 bytes). Formats 0, 3 and 4 bind
/// the PIN to the PAN (`--pan`); formats 1 and 2 take none. The random part
/// of formats 1, 3 and 4 is drawn from the operating system unless `--fill`
/// gives it.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    cmd: PinCmd,
}

#[derive(Debug, Subcommand)]
enum PinCmd {
    /// Encipher a PIN into a PIN block.
    #[command(long_about = "Encipher a PIN into a PIN block.\n\n\
        Formats 0-3 take a TDES key (8, 16 or 24 bytes), format 4 an AES key \
        (16, 24 or 32 bytes); formats 0, 3 and 4 need --pan.\n\n\
        A PIN given on the command line is visible to other users of this \
        machine (process list, shell history): give --pin @PATH, env:NAME \
        or - (standard input) instead.")]
    Encipher(EncipherArgs),
    /// Decipher a PIN block and print the clear PIN (operator and audit
    /// tool: the PIN is shown).
    #[command(long_about = "Decipher a PIN block, check every rule of its format, \
        and print the clear PIN.\n\n\
        This is an operator and audit tool: it shows the PIN on the terminal. \
        A switch translates PIN blocks instead (`paykernel pin translate`), \
        which never shows it.")]
    Decipher(DecipherArgs),
    /// Translate a PIN block to another key and format; the clear PIN
    /// never leaves the kernel.
    Translate(TranslateArgs),
    /// The Visa PVV of a PIN (the PIN is not printed).
    Pvv(super::card::PvvArgs),
    /// The IBM 3624 offset of a PIN (the PIN is not printed).
    Ibm3624(super::card::Ibm3624Args),
    /// Verify the PIN inside a PIN block against a Visa PVV or an IBM 3624
    /// offset (exit 1 when it does not match); the PIN never leaves the
    /// kernel.
    Verify(super::card::VerifyArgs),
}

/// Options of `paykernel pin encipher`.
#[derive(Debug, clap::Args)]
struct EncipherArgs {
    /// ISO 9564-1 format: 0, 1, 2, 3 (TDES) or 4 (AES).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=4))]
    format: u8,
    /// The PIN encipherment key in hex; or @PATH, env:NAME, - (standard
    /// input).
    #[arg(long)]
    key: String,
    /// The PIN: 4 to 12 digits, or @PATH, env:NAME, - (standard input).
    #[arg(long)]
    pin: String,
    /// The PAN, 12 to 19 digits (formats 0, 3 and 4); or @PATH, env:NAME, -.
    #[arg(long)]
    pan: Option<String>,
    /// The random part as hex digits, for known answers: format 1, 14 - (PIN
    /// length) nibbles; format 3, as many nibbles, each A-F; format 4, 16
    /// nibbles. Drawn from the OS when absent.
    #[arg(long)]
    fill: Option<String>,
}

/// Options of `paykernel pin decipher`.
#[derive(Debug, clap::Args)]
struct DecipherArgs {
    /// ISO 9564-1 format: 0, 1, 2, 3 (TDES) or 4 (AES).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=4))]
    format: u8,
    /// The PIN encipherment key in hex; or @PATH, env:NAME, - (standard
    /// input).
    #[arg(long)]
    key: String,
    /// The enciphered PIN block in hex (8 bytes; 16 for format 4).
    #[arg(long)]
    block: String,
    /// The PAN, 12 to 19 digits (formats 0, 3 and 4); or @PATH, env:NAME, -.
    #[arg(long)]
    pan: Option<String>,
}

/// Options of `paykernel pin translate`.
#[derive(Debug, clap::Args)]
struct TranslateArgs {
    /// Format of the incoming block: 0 to 4.
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=4))]
    from_format: u8,
    /// Key of the incoming block in hex; or @PATH, env:NAME, -.
    #[arg(long)]
    from_key: String,
    /// Format of the outgoing block: 0 to 4.
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=4))]
    to_format: u8,
    /// Key of the outgoing block in hex; or @PATH, env:NAME, -.
    #[arg(long)]
    to_key: String,
    /// The incoming PIN block in hex.
    #[arg(long)]
    block: String,
    /// The PAN, 12 to 19 digits (when either format is 0, 3 or 4); or
    /// @PATH, env:NAME, -.
    #[arg(long)]
    pan: Option<String>,
    /// The outgoing block's random part as hex digits (see `pin encipher
    /// --help`); drawn from the OS when absent.
    #[arg(long)]
    fill: Option<String>,
}

/// Runs `paykernel pin`.
pub fn run(args: Args) -> Result<Report, CliError> {
    match args.cmd {
        PinCmd::Encipher(a) => encipher(a),
        PinCmd::Decipher(a) => decipher(a),
        PinCmd::Translate(a) => translate(a),
        PinCmd::Pvv(a) => super::card::pvv(a),
        PinCmd::Ibm3624(a) => super::card::ibm3624(a),
        PinCmd::Verify(a) => super::card::verify(a),
    }
}

fn format(n: u8) -> Result<Format, CliError> {
    Format::from_number(n.into()).for_input("--format")
}

/// The PIN block cipher of `format` under the key of option `option`: a
/// TDES key for formats 0 to 3, an AES key for format 4.
pub fn cipher(option: &str, format: Format, key: &str) -> Result<PinBlockCipher, CliError> {
    let k = zeroize::Zeroizing::new(key_arg(option, key)?);
    let (ok, kind) = match format {
        Format::Iso4 => (
            matches!(k.len(), 16 | 24 | 32),
            "format 4 takes an AES key of 16, 24 or 32 bytes",
        ),
        _ => (
            matches!(k.len(), 8 | 16 | 24),
            "formats 0 to 3 take a TDES key of 8, 16 or 24 bytes",
        ),
    };
    if !ok {
        return Err(refused(
            option,
            format!("{}; {kind}", bytes(k.len())),
            Error::InvalidKey,
        ));
    }
    PinBlockCipher::new(format, &k).for_input(option)
}

/// The PAN when `needed`; refused when given to formats that have none
/// (an option the command would ignore is a mistake to point out).
pub fn pan(pan: Option<&str>, needed: bool) -> Result<Option<Pan>, CliError> {
    match (needed, pan) {
        (false, None) => Ok(None),
        (false, Some(_)) => Err(unused("--pan", "formats 1 and 2 do not use a PAN")),
        (true, None) => Err(CliError::Usage(
            "--pan is required: formats 0, 3 and 4 bind the PIN to the PAN".to_owned(),
        )),
        (true, Some(s)) => pan_arg("--pan", s).map(Some),
    }
}

/// The fill for `format`; refused for formats 0 and 2, which have no
/// random part.
fn fill(fill: Option<&str>, format: Format) -> Result<Option<Fill>, CliError> {
    if fill.is_some() && matches!(format, Format::Iso0 | Format::Iso2) {
        return Err(unused(
            "--fill",
            &format!("format {} has no random part", format.number()),
        ));
    }
    fill.map(|s| Fill::from_hex(s.trim().as_bytes()))
        .transpose()
        .map_err(|e| refused("--fill", "not hex digits, or more than 16", e))
}

/// Why a fill does not suit the outgoing format.
fn fill_rule(format: Format) -> String {
    let rule = match format {
        Format::Iso1 => "14 minus the PIN's length hex digits",
        Format::Iso3 => "14 minus the PIN's length hex digits, each A to F",
        _ => "16 hex digits",
    };
    format!(
        "does not suit the PIN in format {}: it takes {rule}",
        format.number()
    )
}

/// The PIN from `--pin`, which may also be `@PATH`, `env:NAME` or `-`.
fn pin_arg(s: &str) -> Result<Pin, CliError> {
    let text = secret_text("--pin", s)?;
    let digits = text.trim();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refused("--pin", "not decimal digits", Error::InvalidPin));
    }
    Pin::from_digits(digits.as_bytes()).map_err(|e| refused("--pin", "a PIN is 4 to 12 digits", e))
}

/// An enciphered PIN block of `format` from `--block`: 8 bytes, or 16 for
/// format 4.
pub fn block(s: &str, format: Format) -> Result<Vec<u8>, CliError> {
    let b = hex_arg("--block", s, None)?;
    let want = if format == Format::Iso4 { 16 } else { 8 };
    if b.len() != want {
        return Err(refused(
            "--block",
            format!(
                "{}; a format {} block is {want} bytes",
                bytes(b.len()),
                format.number()
            ),
            Error::InvalidPinBlock,
        ));
    }
    Ok(b)
}

/// A block that deciphered to something that is not a PIN block of its
/// format: the key, the PAN or the block is wrong, and nothing tells which
/// (the kernel does not say which rule broke: that would leak the PIN).
pub fn undecipherable(key_option: &str, format: Format, uses_pan: bool) -> CliError {
    let pan = if uses_pan { ", a wrong --pan" } else { "" };
    refused(
        key_option,
        format!(
            "the block does not decipher to a format {} PIN block under this key: a wrong {key_option}{pan} or a damaged --block",
            format.number()
        ),
        Error::InvalidPinBlock,
    )
}

/// The operating system's random generator failed.
pub fn rng_error(e: Error) -> CliError {
    CliError::Kernel {
        what: String::new(),
        detail: Some("the operating system's random number generator failed".to_owned()),
        err: e,
    }
}

/// `paykernel pin encipher`.
fn encipher(a: EncipherArgs) -> Result<Report, CliError> {
    let f = format(a.format)?;
    let c = cipher("--key", f, &a.key)?;
    let pin = pin_arg(&a.pin)?;
    let pan = pan(a.pan.as_deref(), f.uses_pan())?;
    let b = match fill(a.fill.as_deref(), f)? {
        Some(fill) => c
            .encipher_with_fill(&pin, pan.as_ref(), &fill)
            .map_err(|e| refused("--fill", fill_rule(f), e))?,
        None => c
            .encipher(&pin, pan.as_ref(), &mut SysRng)
            .map_err(rng_error)?,
    };
    Ok(Report::new()
        .value("format", f.number())
        .hex("block", b.as_bytes()))
}

/// `paykernel pin decipher`.
fn decipher(a: DecipherArgs) -> Result<Report, CliError> {
    let f = format(a.format)?;
    let c = cipher("--key", f, &a.key)?;
    let b = block(&a.block, f)?;
    let pan = pan(a.pan.as_deref(), f.uses_pan())?;
    let pin = c
        .decipher(&b, pan.as_ref())
        .map_err(|_| undecipherable("--key", f, f.uses_pan()))?;
    let digits = String::from_utf8_lossy(pin.expose_secret()).into_owned();
    Ok(Report::new().value("pin", digits))
}

/// `paykernel pin translate`.
fn translate(a: TranslateArgs) -> Result<Report, CliError> {
    let from_format = format(a.from_format)?;
    let from = cipher("--from-key", from_format, &a.from_key)?;
    let to = cipher("--to-key", format(a.to_format)?, &a.to_key)?;
    let t = PinTranslator::new(from, to);
    let b = block(&a.block, from_format)?;
    let pan = pan(a.pan.as_deref(), t.uses_pan())?;
    let fill = fill(a.fill.as_deref(), t.to_format())?;
    let out = match &fill {
        Some(fill) => t.translate_with_fill(&b, pan.as_ref(), fill),
        None => t.translate(&b, pan.as_ref(), &mut SysRng),
    }
    .map_err(|e| match e {
        Error::RngFailure => rng_error(e),
        // Either the incoming block did not decipher, or the given fill
        // does not suit the PIN inside: which one would tell something of
        // the PIN (its length), so the message names both.
        _ if fill.is_some() => refused(
            "--fill",
            format!(
                "{}; or the block does not decipher to a format {} PIN block under --from-key{}",
                fill_rule(t.to_format()),
                from_format.number(),
                if from_format.uses_pan() {
                    " and --pan"
                } else {
                    ""
                },
            ),
            e,
        ),
        _ => undecipherable("--from-key", from_format, from_format.uses_pan()),
    })?;
    Ok(Report::new()
        .value("format", t.to_format().number())
        .hex("block", out.as_bytes()))
}
