//! `paykernel tlv decode HEX`: BER-TLV (EMV Book 3 Annex B), e.g. DE 55,
//! for people reading it by hand.
//!
//! Prints every primitive data object (templates are opened), one per line
//! with the EMV name of the common tags; `--json` prints `{"tags": {TAG:
//! HEX}}`. The PAN and track data (`5A`, `57`, `9F6B`, `56`) are masked in
//! both: first six and last four PAN digits, the rest `*` (nothing printed
//! shows a full PAN). Track 1 and track 2 discretionary data (`9F1F`,
//! `9F20`), which can carry card verification values, are not shown at
//! all, only their length.

use paykernel::tlv::{DataObject, Tlv};
use serde_json::{Map, Value};

use crate::input::{CliError, refused, secret_hex_arg};
use crate::report::Report;

/// Options of `paykernel tlv`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: TlvCmd,
}

#[derive(Debug, clap::Subcommand)]
enum TlvCmd {
    /// Decode BER-TLV (e.g. DE 55) given in hex.
    Decode {
        /// The BER-TLV bytes in hex (spaces allowed); or @PATH, env:NAME,
        /// - (standard input), since DE 55 may carry the PAN and track 2.
        data: String,
    },
}

/// Runs `paykernel tlv ...`; `json` is the global `--json` flag.
pub fn run(args: Args, json: bool) -> Result<Report, CliError> {
    match args.command {
        TlvCmd::Decode { data } => {
            let bytes = secret_hex_arg("DATA", &data, None)?;
            let tlv = Tlv::parse(&bytes).map_err(|e| {
                refused(
                    "DATA",
                    "not well-formed BER-TLV (EMV Book 3 Annex B): a tag, length or value runs past the end, templates nest too deep, or a primitive tag repeats",
                    e,
                )
            })?;
            Ok(add_tags(Report::new(), &tlv, json))
        }
    }
}

/// Adds the primitive objects of `tlv`: one `tags` object with `--json`,
/// one line per tag (with its EMV name) otherwise. PAN and track data are
/// masked.
pub fn add_tags(report: Report, tlv: &Tlv<'_>, json: bool) -> Report {
    if json {
        let tags: Map<String, Value> = tlv
            .primitives()
            .map(|o| (o.tag().to_string(), Value::String(shown(&o))))
            .collect();
        return report.value("tags", Value::Object(tags));
    }
    tlv.primitives().fold(report, |r, o| {
        let tag = o.tag().to_string();
        let key = match name(&tag) {
            Some(n) => format!("{tag} {n}"),
            None => tag,
        };
        r.value(&key, shown(&o))
    })
}

/// The value as printed: upper-case hex, PAN digits masked, track
/// discretionary data hidden.
fn shown(o: &DataObject<'_>) -> String {
    let hex = hex::encode_upper(o.value());
    match o.tag().as_bytes() {
        [0x5A] | [0x57] | [0x9F, 0x6B] => mask_pan(&hex),
        [0x56] => format!("<track 1, {} bytes, masked>", o.value().len()),
        [0x9F, 0x1F] | [0x9F, 0x20] => {
            format!("<discretionary data, {} bytes, masked>", o.value().len())
        }
        _ => hex,
    }
}

/// `hex` with the PAN at its start masked: its first six and last four
/// digits shown, the digits between and everything after the PAN (track
/// data: expiry, service code, discretionary data) as `*`.
fn mask_pan(hex: &str) -> String {
    let pan_len = hex.find(|c: char| !c.is_ascii_digit()).unwrap_or(hex.len());
    hex.char_indices()
        .map(|(i, c)| {
            let shown = i < pan_len && (i < 6 || i + 4 >= pan_len) && pan_len >= 10;
            if shown || (i == pan_len && c == 'D') {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// The EMV name (Book 3 Annex A) of the tags DE 55 usually carries.
pub fn name(tag: &str) -> Option<&'static str> {
    Some(match tag {
        "4F" => "(application identifier)",
        "50" => "(application label)",
        "56" => "(track 1 data)",
        "57" => "(track 2 equivalent data)",
        "5A" => "(PAN)",
        "5F24" => "(application expiration date)",
        "5F2A" => "(transaction currency code)",
        "5F34" => "(PAN sequence number)",
        "82" => "(application interchange profile)",
        "84" => "(dedicated file name)",
        "86" => "(issuer script command)",
        "8A" => "(authorisation response code)",
        "91" => "(issuer authentication data)",
        "95" => "(terminal verification results)",
        "9A" => "(transaction date)",
        "9C" => "(transaction type)",
        "9F02" => "(amount, authorised)",
        "9F03" => "(amount, other)",
        "9F06" => "(application identifier, terminal)",
        "9F07" => "(application usage control)",
        "9F09" => "(application version number, terminal)",
        "9F10" => "(issuer application data)",
        "9F1A" => "(terminal country code)",
        "9F1E" => "(interface device serial number)",
        "9F1F" => "(track 1 discretionary data)",
        "9F20" => "(track 2 discretionary data)",
        "9F26" => "(application cryptogram)",
        "9F27" => "(cryptogram information data)",
        "9F33" => "(terminal capabilities)",
        "9F34" => "(cardholder verification method results)",
        "9F35" => "(terminal type)",
        "9F36" => "(application transaction counter)",
        "9F37" => "(unpredictable number)",
        "9F41" => "(transaction sequence counter)",
        "9F53" => "(transaction category code)",
        "9F6B" => "(track 2 data)",
        "9F6E" => "(form factor indicator / third party data)",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::mask_pan;

    #[test]
    fn pan_masking() {
        assert_eq!(mask_pan("5413330089010434"), "541333******0434");
        assert_eq!(mask_pan("5413330089010434123F"), "541333*********4123*");
        assert_eq!(
            mask_pan("5413330089010434D2512201123400000F"),
            "541333******0434D*****************"
        );
        assert_eq!(mask_pan("1234"), "****");
    }
}
