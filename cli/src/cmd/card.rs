//! `paykernel cvv generate|verify` and `paykernel pin pvv|ibm3624|verify`:
//! card verification values and PIN verification data.
//!
//! No command here prints a PIN: `pin pvv` and `pin ibm3624` print the
//! value derived from it, `pin verify` one bit. PINs, like keys, may be
//! given as `@FILE`, `env:NAME` or `-` (standard input) so that they need
//! not appear on a command line.

use clap::Subcommand;
use paykernel::card::{
    Cvk, Cvv, DecimalizationTable, Expiry, Ibm3624, Ibm3624Pin, Offset, Pvki, Pvv, ServiceCode,
    ValidationData, VisaPvv,
};
use paykernel::pin::{Format, Pin, PinBlockCipher, PinVerifier};
use paykernel::{Error, Pan, TdesKey};

use crate::input::{CliError, Context, hex_arg, key_arg, secret_text};
use crate::report::Report;

/// Options of `paykernel cvv`.
///
/// One algorithm gives the three values: the CVV / CVC of the magnetic
/// stripe with the card's service code, the CVV2 / CVC2 printed on the card
/// with `--service-code 000`, the iCVV / chip CVC with `999`.
#[derive(Debug, clap::Args)]
pub struct CvvArgs {
    #[command(subcommand)]
    cmd: CvvCmd,
}

#[derive(Debug, Subcommand)]
enum CvvCmd {
    /// Compute a card verification value.
    Generate(CardArgs),
    /// Check a card verification value (exit 1 when it does not match).
    Verify {
        #[command(flatten)]
        card: CardArgs,
        /// The CVV to check: 3 digits.
        #[arg(long)]
        cvv: String,
    },
}

/// The key and card data of the CVV commands.
#[derive(Debug, clap::Args)]
struct CardArgs {
    /// The card verification key (CVK A ‖ CVK B), 16 bytes in hex.
    #[arg(long)]
    cvk: String,
    /// The PAN, 12 to 19 digits.
    #[arg(long)]
    pan: String,
    /// The expiry date as the card carries it, 4 digits (YYMM).
    #[arg(long)]
    expiry: String,
    /// The service code, 3 digits: the card's for the CVV, 000 for the
    /// CVV2, 999 for the iCVV.
    #[arg(long)]
    service_code: String,
}

/// Runs `paykernel cvv`.
pub fn cvv(args: CvvArgs) -> Result<Report, CliError> {
    match args.cmd {
        CvvCmd::Generate(card) => {
            let (cvk, pan, expiry, sc) = card_inputs(&card)?;
            let cvv = cvk.generate(&pan, &expiry, &sc);
            Ok(Report::new().value("cvv", digits(cvv.expose_secret())))
        }
        CvvCmd::Verify { card, cvv } => {
            let (cvk, pan, expiry, sc) = card_inputs(&card)?;
            let cvv = Cvv::from_digits(cvv.trim().as_bytes()).for_input("--cvv (3 digits)")?;
            Ok(Report::new().valid(cvk.verify(&pan, &expiry, &sc, &cvv)))
        }
    }
}

fn card_inputs(a: &CardArgs) -> Result<(Cvk, Pan, Expiry, ServiceCode), CliError> {
    // A CVK is 16 bytes whatever else a TDES key may be: say so for every
    // wrong length, not only for the TDES lengths Cvk refuses.
    let key = TdesKey::from_slice(&key_arg("--cvk", &a.cvk)?).for_input("--cvk (16 bytes)")?;
    let cvk = Cvk::new(&key).for_input("--cvk (16 bytes)")?;
    let pan = pan(&a.pan)?;
    let expiry = a.expiry.parse().for_input("--expiry (4 digits, YYMM)")?;
    let sc = a
        .service_code
        .parse()
        .for_input("--service-code (3 digits)")?;
    Ok((cvk, pan, expiry, sc))
}

/// Options of `paykernel pin pvv`.
#[derive(Debug, clap::Args)]
pub struct PvvArgs {
    /// The PIN verification key in hex (8, 16 or 24 bytes).
    #[arg(long)]
    pvk: String,
    /// The PIN verification key index, one digit.
    #[arg(long)]
    pvki: String,
    /// The PIN, 4 to 12 digits (only the 4 leftmost enter the PVV); or
    /// @FILE, env:NAME, - (standard input).
    #[arg(long)]
    pin: String,
    /// The PAN, 12 to 19 digits.
    #[arg(long)]
    pan: String,
}

/// Runs `paykernel pin pvv`: the Visa PVV of a PIN.
pub fn pvv(a: PvvArgs) -> Result<Report, CliError> {
    let method = VisaPvv::new(&tdes_key("--pvk", &a.pvk)?);
    let pvki = pvki(&a.pvki)?;
    let text = secret_text("--pin", &a.pin)?;
    let pin = Pin::from_digits(text.trim().as_bytes()).for_input("--pin (4 to 12 digits)")?;
    let pan = pan(&a.pan)?;
    let pvv = method.generate(pvki, &pin, &pan);
    Ok(Report::new()
        .value("pvki", a.pvki.trim())
        .value("pvv", digits(pvv.expose_secret())))
}

/// The IBM 3624 method's options.
#[derive(Debug, clap::Args)]
struct Ibm3624Options {
    /// The PIN verification key in hex (8, 16 or 24 bytes).
    #[arg(long)]
    pvk: String,
    /// The decimalization table: 16 digits using every digit 0-9
    /// (e.g. 0123456789012345).
    #[arg(long)]
    table: String,
    /// The first PAN digit of the validation data (0 = leftmost).
    #[arg(long)]
    pan_verify_offset: usize,
    /// How many PAN digits the validation data takes, 1 to 16.
    #[arg(long)]
    pan_verify_length: usize,
    /// The hex digit that pads the validation data to 16 digits.
    #[arg(long, default_value = "F")]
    pan_pad: String,
}

impl Ibm3624Options {
    fn method(&self) -> Result<Ibm3624, CliError> {
        let pvk = tdes_key("--pvk", &self.pvk)?;
        let table: DecimalizationTable = self
            .table
            .trim()
            .parse()
            .for_input("--table (16 digits using every digit 0-9)")?;
        let pad = match self.pan_pad.trim().as_bytes() {
            [c] => *c,
            _ => {
                return Err(CliError::kernel(
                    "--pan-pad (one hex digit)",
                    Error::InvalidDigits,
                ));
            }
        };
        let validation = ValidationData::new(self.pan_verify_offset, self.pan_verify_length, pad)
            .map_err(|e| match e {
            Error::InvalidDigits => CliError::kernel("--pan-pad (one hex digit)", e),
            _ => CliError::kernel("--pan-verify-offset / --pan-verify-length", e),
        })?;
        Ok(Ibm3624::new(&pvk, table, validation))
    }
}

/// Options of `paykernel pin ibm3624`.
#[derive(Debug, clap::Args)]
pub struct Ibm3624Args {
    #[command(flatten)]
    method: Ibm3624Options,
    /// The customer's PIN, 4 to 16 digits; or @FILE, env:NAME, -.
    #[arg(long)]
    pin: String,
    /// The PAN, 12 to 19 digits.
    #[arg(long)]
    pan: String,
}

/// Runs `paykernel pin ibm3624`: the IBM 3624 offset of a PIN.
pub fn ibm3624(a: Ibm3624Args) -> Result<Report, CliError> {
    let method = a.method.method()?;
    let text = secret_text("--pin", &a.pin)?;
    let pin =
        Ibm3624Pin::from_digits(text.trim().as_bytes()).for_input("--pin (4 to 16 digits)")?;
    let pan = pan(&a.pan)?;
    let offset = method
        .offset(&pin, &pan)
        .for_input("--pan-verify-offset / --pan-verify-length (past the PAN's end)")?;
    Ok(Report::new().value("offset", digits(offset.expose_secret())))
}

/// Options of `paykernel pin verify`: the PIN block, and either a PVV
/// (`--pvv`, `--pvki`) or an IBM 3624 offset (`--offset` and the method's
/// options).
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("reference").required(true).args(["pvv", "offset"])))]
pub struct VerifyArgs {
    /// ISO 9564-1 format of the block: 0, 1, 2, 3 (TDES) or 4 (AES).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=4))]
    format: u8,
    /// The PIN block key in hex.
    #[arg(long)]
    key: String,
    /// The enciphered PIN block in hex.
    #[arg(long)]
    block: String,
    /// The PAN, 12 to 19 digits.
    #[arg(long)]
    pan: String,
    /// The PIN verification key in hex (8, 16 or 24 bytes).
    #[arg(long)]
    pvk: String,
    /// Visa PVV method: the card's PVV, 4 digits.
    #[arg(long, requires = "pvki")]
    pvv: Option<String>,
    /// Visa PVV method: the PIN verification key index, one digit.
    #[arg(long)]
    pvki: Option<String>,
    /// IBM 3624 method: the card's offset, 4 to 16 digits.
    #[arg(long, requires_all = ["table", "pan_verify_offset", "pan_verify_length"])]
    offset: Option<String>,
    /// IBM 3624 method: the decimalization table, 16 digits using every
    /// digit 0-9.
    #[arg(long)]
    table: Option<String>,
    /// IBM 3624 method: the first PAN digit of the validation data.
    #[arg(long)]
    pan_verify_offset: Option<usize>,
    /// IBM 3624 method: how many PAN digits the validation data takes.
    #[arg(long)]
    pan_verify_length: Option<usize>,
    /// IBM 3624 method: the hex digit that pads the validation data.
    #[arg(long, default_value = "F")]
    pan_pad: String,
}

/// Runs `paykernel pin verify`: whether the PIN inside a PIN block
/// matches; the PIN never leaves the kernel.
pub fn verify(a: VerifyArgs) -> Result<Report, CliError> {
    let format = Format::from_number(a.format.into()).for_input("--format")?;
    let what = match format {
        Format::Iso4 => "--key (format 4: AES, 16, 24 or 32 bytes)",
        _ => "--key (formats 0-3: TDES, 8, 16 or 24 bytes)",
    };
    let pin_key = PinBlockCipher::new(format, &key_arg("--key", &a.key)?).for_input(what)?;
    let block = hex_arg("--block", &a.block, Some(Error::InvalidPinBlock))?;
    let pan = pan(&a.pan)?;
    let block_err = "--block (wrong key or PAN, or not a block of this format)";
    let valid = match (&a.pvv, &a.offset) {
        (Some(pvv), _) => {
            let v = PinVerifier::new(pin_key, VisaPvv::new(&tdes_key("--pvk", &a.pvk)?));
            let pvki = pvki(a.pvki.as_deref().unwrap_or_default())?;
            let pvv = Pvv::from_digits(pvv.trim().as_bytes()).for_input("--pvv (4 digits)")?;
            v.verify(&block, &pan, pvki, &pvv).for_input(block_err)?
        }
        (None, Some(offset)) => {
            let options = Ibm3624Options {
                pvk: a.pvk.clone(),
                table: a.table.clone().unwrap_or_default(),
                pan_verify_offset: a.pan_verify_offset.unwrap_or_default(),
                pan_verify_length: a.pan_verify_length.unwrap_or_default(),
                pan_pad: a.pan_pad.clone(),
            };
            let v = PinVerifier::new(pin_key, options.method()?);
            let offset = Offset::from_digits(offset.trim().as_bytes())
                .for_input("--offset (4 to 16 digits)")?;
            v.verify(&block, &pan, &offset).map_err(|e| match e {
                Error::InvalidLength => CliError::kernel(
                    "--pan-verify-offset / --pan-verify-length (past the PAN's end)",
                    e,
                ),
                _ => CliError::kernel(block_err, e),
            })?
        }
        (None, None) => {
            return Err(CliError::Usage(
                "give --pvv and --pvki (Visa PVV) or --offset (IBM 3624)".to_owned(),
            ));
        }
    };
    Ok(Report::new().valid(bool::from(valid)))
}

fn tdes_key(option: &str, s: &str) -> Result<TdesKey, CliError> {
    TdesKey::from_slice(&key_arg(option, s)?).for_input(&format!("{option} (8, 16 or 24 bytes)"))
}

fn pan(s: &str) -> Result<Pan, CliError> {
    s.trim().parse().for_input("--pan (12 to 19 digits)")
}

fn pvki(s: &str) -> Result<Pvki, CliError> {
    s.trim().parse().for_input("--pvki (one digit)")
}

fn digits(ascii: &[u8]) -> String {
    String::from_utf8_lossy(ascii).into_owned()
}
