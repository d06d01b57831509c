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
use paykernel::pin::{Format, Pin, PinVerifier};
use paykernel::{Error, Pan, TdesKey};

use crate::input::{
    CliError, Context, pan_arg, refused, secret_text, tdes_key, tdes_key16, unused,
};
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
    /// Compute a card verification value (it is printed: an issuer's
    /// operator tool).
    Generate(CardArgs),
    /// Check a card verification value (exit 1 when it does not match).
    Verify {
        #[command(flatten)]
        card: CardArgs,
        /// The CVV to check: 3 digits; or @PATH, env:NAME, - (standard
        /// input).
        #[arg(long)]
        cvv: String,
    },
}

/// The key and card data of the CVV commands.
#[derive(Debug, clap::Args)]
struct CardArgs {
    /// The card verification key (CVK A ‖ CVK B), 16 bytes in hex; or
    /// @PATH, env:NAME, - (standard input).
    #[arg(long)]
    cvk: String,
    /// The PAN, 12 to 19 digits; or @PATH, env:NAME, -.
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
            let text = secret_text("--cvv", &cvv)?;
            let cvv = Cvv::from_digits(text.trim().as_bytes())
                .map_err(|e| refused("--cvv", "a CVV is 3 decimal digits", e))?;
            Ok(Report::new().valid(cvk.verify(&pan, &expiry, &sc, &cvv)))
        }
    }
}

fn card_inputs(a: &CardArgs) -> Result<(Cvk, Pan, Expiry, ServiceCode), CliError> {
    let cvk = Cvk::new(&tdes_key16("--cvk", &a.cvk)?).for_input("--cvk")?;
    let pan = pan(&a.pan)?;
    let expiry = a
        .expiry
        .trim()
        .parse()
        .map_err(|e| refused("--expiry", "the expiry date is 4 decimal digits, YYMM", e))?;
    let sc = a
        .service_code
        .trim()
        .parse()
        .map_err(|e| refused("--service-code", "a service code is 3 decimal digits", e))?;
    Ok((cvk, pan, expiry, sc))
}

/// Options of `paykernel pin pvv`.
#[derive(Debug, clap::Args)]
pub struct PvvArgs {
    /// The PIN verification key in hex (8, 16 or 24 bytes); or @PATH,
    /// env:NAME, - (standard input).
    #[arg(long)]
    pvk: String,
    /// The PIN verification key index, one digit.
    #[arg(long)]
    pvki: String,
    /// The PIN, 4 to 12 digits (only the 4 leftmost enter the PVV); or
    /// @PATH, env:NAME, - (standard input).
    #[arg(long)]
    pin: String,
    /// The PAN, 12 to 19 digits; or @PATH, env:NAME, -.
    #[arg(long)]
    pan: String,
}

/// Runs `paykernel pin pvv`: the Visa PVV of a PIN.
pub fn pvv(a: PvvArgs) -> Result<Report, CliError> {
    let method = VisaPvv::new(&tdes_key("--pvk", &a.pvk)?);
    let pvki = pvki(&a.pvki)?;
    let text = secret_text("--pin", &a.pin)?;
    let pin = Pin::from_digits(text.trim().as_bytes())
        .map_err(|e| refused("--pin", "a PIN is 4 to 12 decimal digits", e))?;
    let pan = pan(&a.pan)?;
    let pvv = method.generate(pvki, &pin, &pan);
    Ok(Report::new()
        .value("pvki", a.pvki.trim())
        .value("pvv", digits(pvv.expose_secret())))
}

/// The IBM 3624 method's options.
#[derive(Debug, clap::Args)]
struct Ibm3624Options {
    /// The PIN verification key in hex (8, 16 or 24 bytes); or @PATH,
    /// env:NAME, - (standard input).
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
    /// The hex digit that pads the validation data to 16 digits (default
    /// F; refused when --pan-verify-length is 16: nothing is padded).
    #[arg(long)]
    pan_pad: Option<String>,
}

impl Ibm3624Options {
    fn method(&self) -> Result<Ibm3624, CliError> {
        let pvk = tdes_key("--pvk", &self.pvk)?;
        ibm3624_method(
            pvk,
            &self.table,
            self.pan_verify_offset,
            self.pan_verify_length,
            self.pan_pad.as_deref(),
        )
    }
}

/// The IBM 3624 method from its options.
fn ibm3624_method(
    pvk: TdesKey,
    table: &str,
    pan_verify_offset: usize,
    pan_verify_length: usize,
    pan_pad: Option<&str>,
) -> Result<Ibm3624, CliError> {
    let table: DecimalizationTable = table.trim().parse().map_err(|e| {
        refused(
            "--table",
            "a decimalization table is 16 decimal digits using every digit 0-9",
            e,
        )
    })?;
    if pan_pad.is_some() && pan_verify_length == 16 {
        return Err(unused(
            "--pan-pad",
            "16 PAN digits fill the validation data: nothing is padded",
        ));
    }
    let pad = match pan_pad.unwrap_or("F").trim().as_bytes() {
        [c] => *c,
        _ => return Err(refused("--pan-pad", "one hex digit", Error::InvalidDigits)),
    };
    let validation =
        ValidationData::new(pan_verify_offset, pan_verify_length, pad).map_err(|e| match e {
            Error::InvalidDigits => refused("--pan-pad", "one hex digit", e),
            _ => refused(
                "--pan-verify-length",
                format!(
                    "{pan_verify_length} digits from --pan-verify-offset {pan_verify_offset}; the validation data takes 1 to 16 digits within 19"
                ),
                e,
            ),
        })?;
    Ok(Ibm3624::new(&pvk, table, validation))
}

/// The validation data runs past this PAN's last digit.
fn past_pan_end() -> CliError {
    refused(
        "--pan-verify-length",
        "--pan-verify-offset + --pan-verify-length run past the end of --pan",
        Error::InvalidLength,
    )
}

/// Options of `paykernel pin ibm3624`.
#[derive(Debug, clap::Args)]
pub struct Ibm3624Args {
    #[command(flatten)]
    method: Ibm3624Options,
    /// The customer's PIN, 4 to 16 digits; or @PATH, env:NAME, -.
    #[arg(long)]
    pin: String,
    /// The PAN, 12 to 19 digits; or @PATH, env:NAME, -.
    #[arg(long)]
    pan: String,
}

/// Runs `paykernel pin ibm3624`: the IBM 3624 offset of a PIN.
pub fn ibm3624(a: Ibm3624Args) -> Result<Report, CliError> {
    let method = a.method.method()?;
    let text = secret_text("--pin", &a.pin)?;
    let pin = Ibm3624Pin::from_digits(text.trim().as_bytes())
        .map_err(|e| refused("--pin", "a PIN is 4 to 16 decimal digits", e))?;
    let pan = pan(&a.pan)?;
    let offset = method.offset(&pin, &pan).map_err(|_| past_pan_end())?;
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
    /// The PIN block key in hex; or @PATH, env:NAME, - (standard input).
    #[arg(long)]
    key: String,
    /// The enciphered PIN block in hex.
    #[arg(long)]
    block: String,
    /// The PAN, 12 to 19 digits; or @PATH, env:NAME, -. Formats 1 and 2
    /// carry none, but both methods need it.
    #[arg(long)]
    pan: String,
    /// The PIN verification key in hex (8, 16 or 24 bytes); or @PATH,
    /// env:NAME, -.
    #[arg(long)]
    pvk: String,
    /// Visa PVV method: the card's PVV, 4 digits; or @PATH, env:NAME, -.
    #[arg(
        long,
        requires = "pvki",
        conflicts_with_all = ["table", "pan_verify_offset", "pan_verify_length", "pan_pad"]
    )]
    pvv: Option<String>,
    /// Visa PVV method: the PIN verification key index, one digit.
    #[arg(long, conflicts_with = "offset")]
    pvki: Option<String>,
    /// IBM 3624 method: the card's offset, 4 to 16 digits; or @PATH,
    /// env:NAME, -.
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
    /// IBM 3624 method: the hex digit that pads the validation data
    /// (default F).
    #[arg(long)]
    pan_pad: Option<String>,
}

/// Runs `paykernel pin verify`: whether the PIN inside a PIN block
/// matches; the PIN never leaves the kernel.
pub fn verify(a: VerifyArgs) -> Result<Report, CliError> {
    let format = Format::from_number(a.format.into()).for_input("--format")?;
    let pin_key = super::pin::cipher("--key", format, &a.key)?;
    let block = super::pin::block(&a.block, format)?;
    let pan = pan(&a.pan)?;
    let block_err = |_| super::pin::undecipherable("--key", format, format.uses_pan());
    let valid = match (&a.pvv, &a.offset) {
        (Some(pvv), _) => {
            let v = PinVerifier::new(pin_key, VisaPvv::new(&tdes_key("--pvk", &a.pvk)?));
            let pvki = pvki(a.pvki.as_deref().unwrap_or_default())?;
            let text = secret_text("--pvv", pvv)?;
            let pvv = Pvv::from_digits(text.trim().as_bytes())
                .map_err(|e| refused("--pvv", "a PVV is 4 decimal digits", e))?;
            v.verify(&block, &pan, pvki, &pvv).map_err(block_err)?
        }
        (None, Some(offset)) => {
            let method = ibm3624_method(
                tdes_key("--pvk", &a.pvk)?,
                a.table.as_deref().unwrap_or_default(),
                a.pan_verify_offset.unwrap_or_default(),
                a.pan_verify_length.unwrap_or_default(),
                a.pan_pad.as_deref(),
            )?;
            let v = PinVerifier::new(pin_key, method);
            let text = secret_text("--offset", offset)?;
            let offset = Offset::from_digits(text.trim().as_bytes())
                .map_err(|e| refused("--offset", "an offset is 4 to 16 decimal digits", e))?;
            v.verify(&block, &pan, &offset).map_err(|e| match e {
                Error::InvalidLength => past_pan_end(),
                _ => block_err(e),
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

fn pan(s: &str) -> Result<Pan, CliError> {
    pan_arg("--pan", s)
}

fn pvki(s: &str) -> Result<Pvki, CliError> {
    s.trim()
        .parse()
        .map_err(|e| refused("--pvki", "the key index is one decimal digit", e))
}

fn digits(ascii: &[u8]) -> String {
    String::from_utf8_lossy(ascii).into_owned()
}
