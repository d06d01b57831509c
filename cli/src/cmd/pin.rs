//! `paykernel pin encipher|decipher|translate`: ISO 9564-1 PIN blocks
//! (`pvv`, `ibm3624` and `verify` are in `card.rs`).

use clap::Subcommand;
use getrandom::SysRng;
use paykernel::Pan;
use paykernel::pin::{Fill, Format, Pin, PinBlockCipher, PinTranslator};

use crate::input::{CliError, Context, hex_arg, key_arg, secret_text};
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
    /// The PIN encipherment key in hex.
    #[arg(long)]
    key: String,
    /// The PIN: 4 to 12 digits, or @PATH, env:NAME, - (standard input).
    #[arg(long)]
    pin: String,
    /// The PAN, 12 to 19 digits (formats 0, 3 and 4).
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
    /// The PIN encipherment key in hex.
    #[arg(long)]
    key: String,
    /// The enciphered PIN block in hex (8 bytes; 16 for format 4).
    #[arg(long)]
    block: String,
    /// The PAN, 12 to 19 digits (formats 0, 3 and 4).
    #[arg(long)]
    pan: Option<String>,
}

/// Options of `paykernel pin translate`.
#[derive(Debug, clap::Args)]
struct TranslateArgs {
    /// Format of the incoming block: 0 to 4.
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=4))]
    from_format: u8,
    /// Key of the incoming block in hex.
    #[arg(long)]
    from_key: String,
    /// Format of the outgoing block: 0 to 4.
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=4))]
    to_format: u8,
    /// Key of the outgoing block in hex.
    #[arg(long)]
    to_key: String,
    /// The incoming PIN block in hex.
    #[arg(long)]
    block: String,
    /// The PAN, 12 to 19 digits (when either format is 0, 3 or 4).
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

fn cipher(option: &str, format: Format, key: &str) -> Result<PinBlockCipher, CliError> {
    let what = match format {
        Format::Iso4 => format!("{option} (format 4: AES, 16, 24 or 32 bytes)"),
        _ => format!("{option} (formats 0-3: TDES, 8, 16 or 24 bytes)"),
    };
    PinBlockCipher::new(format, &key_arg(option, key)?).for_input(&what)
}

/// The PAN when `needed`; refused when given to formats that have none
/// (an option the command would ignore is a mistake to point out).
fn pan(pan: Option<&str>, needed: bool) -> Result<Option<Pan>, CliError> {
    match (needed, pan) {
        (false, None) => Ok(None),
        (false, Some(_)) => Err(CliError::Usage(
            "--pan: formats 1 and 2 do not use a PAN; leave it out".to_owned(),
        )),
        (true, None) => Err(CliError::Usage(
            "--pan is required: formats 0, 3 and 4 bind the PIN to the PAN".to_owned(),
        )),
        (true, Some(s)) => s.parse().map(Some).for_input("--pan"),
    }
}

/// The fill for `format`; refused for formats 0 and 2, which have no
/// random part.
fn fill(fill: Option<&str>, format: Format) -> Result<Option<Fill>, CliError> {
    if fill.is_some() && matches!(format, Format::Iso0 | Format::Iso2) {
        return Err(CliError::Usage(format!(
            "--fill: format {} has no random part; leave it out",
            format.number()
        )));
    }
    fill.map(|s| Fill::from_hex(s.trim().as_bytes()))
        .transpose()
        .for_input("--fill")
}

/// The PIN from `--pin`, which may also be `@PATH`, `env:NAME` or `-`.
fn pin_arg(s: &str) -> Result<Pin, CliError> {
    let text = secret_text("--pin", s)?;
    Pin::from_digits(text.trim().as_bytes()).for_input("--pin")
}

fn block(s: &str) -> Result<Vec<u8>, CliError> {
    hex_arg("--block", s, Some(paykernel::Error::InvalidPinBlock))
}

/// `paykernel pin encipher`.
fn encipher(a: EncipherArgs) -> Result<Report, CliError> {
    let f = format(a.format)?;
    let c = cipher("--key", f, &a.key)?;
    let pin = pin_arg(&a.pin)?;
    let pan = pan(a.pan.as_deref(), f.uses_pan())?;
    let b = match fill(a.fill.as_deref(), f)? {
        Some(fill) => c.encipher_with_fill(&pin, pan.as_ref(), &fill),
        None => c.encipher(&pin, pan.as_ref(), &mut SysRng),
    }
    .for_input("--fill")?;
    Ok(Report::new()
        .value("format", f.number())
        .hex("block", b.as_bytes()))
}

/// `paykernel pin decipher`.
fn decipher(a: DecipherArgs) -> Result<Report, CliError> {
    let f = format(a.format)?;
    let c = cipher("--key", f, &a.key)?;
    let b = block(&a.block)?;
    let pan = pan(a.pan.as_deref(), f.uses_pan())?;
    let pin = c.decipher(&b, pan.as_ref()).for_input("--block")?;
    let digits = String::from_utf8_lossy(pin.expose_secret()).into_owned();
    Ok(Report::new().value("pin", digits))
}

/// `paykernel pin translate`.
fn translate(a: TranslateArgs) -> Result<Report, CliError> {
    let from = cipher("--from-key", format(a.from_format)?, &a.from_key)?;
    let to = cipher("--to-key", format(a.to_format)?, &a.to_key)?;
    let t = PinTranslator::new(from, to);
    let b = block(&a.block)?;
    let pan = pan(a.pan.as_deref(), t.uses_pan())?;
    let what = if a.fill.is_some() {
        "--block (or --fill, which must suit the PIN inside)"
    } else {
        "--block"
    };
    let out = match fill(a.fill.as_deref(), t.to_format())? {
        Some(fill) => t.translate_with_fill(&b, pan.as_ref(), &fill),
        None => t.translate(&b, pan.as_ref(), &mut SysRng),
    }
    .for_input(what)?;
    Ok(Report::new()
        .value("format", t.to_format().number())
        .hex("block", out.as_bytes()))
}
