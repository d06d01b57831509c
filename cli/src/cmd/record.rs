//! `paykernel record inspect|verify|debit|credit|sign|audit`: stored-value
//! records (SVR1).
//!
//! Human output shows amounts with the currency's exponent (`12.34` for
//! 1234 minor units and exponent 2) and terminal ids as text; `--json`
//! gives the fields as the vector suites do (integers in minor units, hex).

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Subcommand;
use paykernel::Error;
use paykernel::record::{Amount, ChainVerdict, Fields, IssuerKey, UntrustedFields};
use serde_json::Value;

use crate::input::{CliError, Context, bytes, hex_arg, key_arg, refused};
use crate::report::Report;

/// Options of `paykernel record`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Decode a record WITHOUT verifying it: the fields are what the bytes
    /// claim, marked unverified, with the first structural rule they break.
    Inspect {
        /// The record in hex (96 bytes).
        #[arg(long)]
        record: String,
    },
    /// Verify a record under the issuer key and show its fields (exit 1 if
    /// it does not verify).
    Verify {
        /// The issuer key in hex (16 or 32 bytes); or @PATH, env:NAME, -
        /// (standard input).
        #[arg(long)]
        issuer_key: String,
        /// The record in hex (96 bytes).
        #[arg(long)]
        record: String,
    },
    /// Verify a record, take an amount off its balance, and seal the next
    /// record.
    Debit(UpdateArgs),
    /// Verify a record, add an amount to its balance, and seal the next
    /// record.
    Credit(UpdateArgs),
    /// Sign a record with a terminal key (ECDSA P-256, SHA-256, RFC 6979).
    Sign {
        /// The terminal's private scalar in hex (32 bytes); or @PATH,
        /// env:NAME, - (standard input).
        #[arg(long)]
        key: String,
        /// The record in hex (96 bytes).
        #[arg(long)]
        record: String,
    },
    /// Audit a file of signed records and say which link breaks, and why
    /// (exit 1 when the chain is broken).
    #[command(after_help = AUDIT_FORMAT)]
    Audit {
        /// The issuer key in hex (16 or 32 bytes); or @PATH, env:NAME, -
        /// (standard input).
        #[arg(long)]
        issuer_key: String,
        /// The terminal's public key in hex (SEC1, compressed or not).
        #[arg(long)]
        public_key: String,
        /// The file of signed records.
        #[arg(long)]
        file: PathBuf,
    },
}

const AUDIT_FORMAT: &str = "\
File format: one link per line, oldest first: the record (96 bytes, hex)
and its signature (64 bytes r||s, hex), separated by white space:

    RECORDHEX SIGHEX

Blank lines and lines starting with '#' are skipped. A line with a record
and no signature is a link whose signature does not verify; hex that does
not decode is a record or signature that does not verify. A line with more
than two fields is an error in the file (exit 2). The first link that does
not hold is reported with its index (from 0) and its line number.";

#[derive(Debug, clap::Args)]
struct UpdateArgs {
    /// The issuer key in hex (16 or 32 bytes); or @PATH, env:NAME, -
    /// (standard input).
    #[arg(long)]
    issuer_key: String,
    /// The current record in hex (96 bytes).
    #[arg(long)]
    record: String,
    /// The amount in minor units (1234 is 12.34 with exponent 2), 1 to
    /// 9223372036854775807.
    #[arg(long, allow_negative_numbers = true)]
    amount: String,
    /// The terminal: up to 8 printable ASCII characters (space padded), or
    /// exactly 16 hex digits (8 bytes).
    #[arg(long)]
    terminal_id: String,
    /// Unix seconds (default: now).
    #[arg(long)]
    timestamp: Option<u64>,
}

/// Runs `paykernel record`; `json` is the global `--json` flag (numbers
/// stay numbers).
pub fn run(args: Args, json: bool) -> Result<Report, CliError> {
    match args.cmd {
        Cmd::Inspect { record } => inspect(&record, json),
        Cmd::Verify { issuer_key, record } => verify(&issuer_key, &record, json),
        Cmd::Debit(a) => update(&a, false, json),
        Cmd::Credit(a) => update(&a, true, json),
        Cmd::Sign { key, record } => sign(&key, &record),
        Cmd::Audit {
            issuer_key,
            public_key,
            file,
        } => audit(&issuer_key, &public_key, &file, json),
    }
}

fn issuer(s: &str) -> Result<IssuerKey, CliError> {
    let k = zeroize::Zeroizing::new(key_arg("--issuer-key", s)?);
    IssuerKey::from_slice(&k).map_err(|e| {
        refused(
            "--issuer-key",
            format!("{}; an issuer key is 16 or 32 bytes (AES)", bytes(k.len())),
            e,
        )
    })
}

fn record_arg(s: &str) -> Result<Vec<u8>, CliError> {
    hex_arg("--record", s, Some(Error::InvalidRecord))
}

/// A record of the right size for the commands that need one.
fn record_96(s: &str) -> Result<Vec<u8>, CliError> {
    let b = record_arg(s)?;
    if b.len() != 96 {
        return Err(refused(
            "--record",
            format!("{}; an SVR1 record is 96 bytes", bytes(b.len())),
            Error::InvalidRecord,
        ));
    }
    Ok(b)
}

fn inspect(record: &str, json: bool) -> Result<Report, CliError> {
    let bytes = record_96(record)?;
    let u = UntrustedFields::decode(&bytes).for_input("--record")?;
    let structure = match u.fault() {
        None => "ok".to_owned(),
        Some(f) => format!("invalid-record: {f}"),
    };
    let report = Report::new()
        .value(
            "verified",
            if json {
                Value::Bool(false)
            } else {
                Value::from("NO: the tag was not checked; these fields are what the bytes claim (use 'record verify')")
            },
        )
        .value("structure", structure)
        .value(
            "magic",
            if json {
                Value::from(hex::encode_upper(u.magic))
            } else {
                Value::from(text_or_hex(&u.magic))
            },
        );
    Ok(fields(report, &u.claimed, json)
        .hex("reserved", &u.reserved)
        .hex("tag", &u.tag))
}

fn verify(issuer_key: &str, record: &str, json: bool) -> Result<Report, CliError> {
    let issuer = issuer(issuer_key)?;
    let bytes = record_arg(record)?;
    let opened = issuer
        .card_key_for(&bytes)
        .and_then(|card| card.verify(&bytes).map(|r| (*r.fields(), *r.tag())));
    match opened {
        Ok((f, tag)) => Ok(fields(Report::new().valid(true), &f, json).hex("tag", &tag)),
        Err(e) => Ok(Report::new().valid(false).value("error", e.kind()).value(
            "reason",
            match UntrustedFields::decode(&bytes).ok().and_then(|u| u.fault()) {
                Some(f) => f.describe(),
                None if e == Error::InvalidRecord => "record is not 96 bytes",
                None => "the tag does not match: not sealed under this issuer's key for this card",
            },
        )),
    }
}

/// A terminal id: up to 8 characters (space padded), or 16 hex digits.
fn terminal_arg(s: &str) -> Result<[u8; 8], CliError> {
    if s.len() <= 8 {
        let mut t = [b' '; 8];
        for (d, c) in t.iter_mut().zip(s.bytes()) {
            *d = c;
        }
        return Ok(t);
    }
    if s.len() == 16 {
        let b = hex_arg("--terminal-id", s, None)?;
        return b
            .try_into()
            .map_err(|_| CliError::Usage("--terminal-id: 16 hex digits".to_owned()));
    }
    Err(CliError::Usage(
        "--terminal-id: up to 8 characters, or exactly 16 hex digits".to_owned(),
    ))
}

fn amount_arg(s: &str) -> Result<Amount, CliError> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CliError::Usage(format!(
            "--amount: '{s}' is not an integer number of minor units"
        )));
    }
    // Digits beyond i128 are out of range all the same.
    let v = s.parse::<i128>().unwrap_or(i128::MAX);
    Amount::try_from(v).map_err(|e| refused("--amount", "1 to 9223372036854775807 minor units", e))
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn update(a: &UpdateArgs, credit: bool, json: bool) -> Result<Report, CliError> {
    let issuer = issuer(&a.issuer_key)?;
    let bytes = record_96(&a.record)?;
    let card = issuer.card_key_for(&bytes).for_input("--record")?;
    let current = card.verify(&bytes).map_err(|e| match e {
        Error::BadMac => refused(
            "--record",
            "its tag does not check out: not sealed under this --issuer-key for this card, or changed",
            e,
        ),
        _ => refused(
            "--record",
            match UntrustedFields::decode(&bytes).ok().and_then(|u| u.fault()) {
                Some(f) => f.describe(),
                None => "not a valid SVR1 record",
            },
            e,
        ),
    })?;
    let amount = amount_arg(&a.amount)?;
    let terminal = terminal_arg(&a.terminal_id)?;
    let timestamp = a.timestamp.unwrap_or_else(now);
    let next = if credit {
        current.credit(amount, &terminal, timestamp)
    } else {
        current.debit(amount, &terminal, timestamp)
    }
    .map_err(|e| match e {
        Error::InvalidRecord => refused(
            "--terminal-id",
            "a terminal id is printable ASCII (or 16 hex digits of it)",
            e,
        ),
        Error::CardBlocked => refused("--record", "the card is blocked", e),
        Error::CounterExhausted => refused(
            "--record",
            "its counter is at its maximum: the card takes no more updates",
            e,
        ),
        Error::InsufficientFunds => refused("--amount", "more than the record's balance", e),
        Error::LimitExceeded => refused("--amount", "the balance would pass the record's limit", e),
        _ => CliError::kernel("--amount", e),
    })?;
    let report = Report::new().hex("record", next.as_bytes());
    Ok(fields(report, next.fields(), json).hex("tag", next.tag()))
}

fn sign(key: &str, record: &str) -> Result<Report, CliError> {
    let key = crate::cmd::ecdsa::signing_key(key)?;
    let bytes = record_96(record)?;
    let sig = paykernel::record::sign_record(&key, &bytes).for_input("--record")?;
    Ok(Report::new()
        .hex("sig", sig.as_bytes())
        .hex("sig_der", sig.to_der().as_bytes())
        .hex("public_key", &key.public_key().to_compressed()))
}

/// One line of an audit file.
struct Line {
    number: usize,
    record: Vec<u8>,
    sig: Vec<u8>,
}

fn parse_line(number: usize, text: &str) -> Result<Option<Line>, CliError> {
    let text = text.trim();
    if text.is_empty() || text.starts_with('#') {
        return Ok(None);
    }
    let mut parts = text.split_whitespace();
    let record = parts.next().unwrap_or_default();
    let sig = parts.next().unwrap_or_default();
    if parts.next().is_some() {
        return Err(CliError::Usage(format!(
            "line {number}: expected 'RECORDHEX SIGHEX', found more fields"
        )));
    }
    // Hex that does not decode is data that does not verify.
    let decode = |s: &str| crate::vectors::params::decode_hex(s).unwrap_or_default();
    Ok(Some(Line {
        number,
        record: decode(record),
        sig: decode(sig),
    }))
}

fn audit(
    issuer_key: &str,
    public_key: &str,
    path: &PathBuf,
    json: bool,
) -> Result<Report, CliError> {
    let issuer = issuer(issuer_key)?;
    let pk = crate::cmd::ecdsa::public_key(public_key)?;
    let file = File::open(path)
        .map_err(|e| CliError::Usage(format!("{}: cannot read: {e}", path.display())))?;
    // The file is read line by line as the walk goes: an audit of millions
    // of links holds one at a time (plus its line number, and the last one
    // for the summary).
    let mut numbers: Vec<usize> = Vec::new();
    let mut last: Option<Vec<u8>> = None;
    let mut file_error: Option<CliError> = None;
    let mut lines = BufReader::new(file).lines().enumerate();
    let links = std::iter::from_fn(|| {
        loop {
            let (i, text) = lines.next()?;
            let number = i.saturating_add(1);
            let parsed = text
                .map_err(|e| CliError::Usage(format!("{}: line {number}: {e}", path.display())))
                .and_then(|t| parse_line(number, &t));
            match parsed {
                Ok(None) => {}
                Ok(Some(line)) => {
                    numbers.push(line.number);
                    last = Some(line.record.clone());
                    return Some((line.record, line.sig));
                }
                Err(e) => {
                    // Stop the walk: the file itself is wrong.
                    file_error = Some(e);
                    return None;
                }
            }
        }
    });
    let verdict = issuer.verify_chain(&pk, links);
    if let Some(e) = file_error {
        return Err(e);
    }
    if numbers.is_empty() {
        return Err(CliError::Usage(format!(
            "{}: no signed records in the file",
            path.display()
        )));
    }
    match verdict {
        ChainVerdict::Intact { links } => {
            let report = Report::new().valid(true).value("links", links);
            let Some(f) = last
                .as_deref()
                .and_then(|b| UntrustedFields::decode(b).ok())
                .map(|u| u.claimed)
            else {
                return Ok(report);
            };
            // The last record verified as part of the chain.
            Ok(report
                .hex("card_id", &f.card_id.to_be_bytes())
                .value("counter", f.counter)
                .value("balance", money(f.balance.into(), f.exponent, json)))
        }
        ChainVerdict::Broken { at, fault } => {
            let line = numbers.get(at).copied().unwrap_or_default();
            Ok(Report::new()
                .valid(false)
                .value("links_checked", numbers.len())
                .value("broken_at", at)
                .value("line", line)
                .value("fault", fault.to_string()))
        }
    }
}

/// `minor` units with `exponent` decimals (`-2.50`); a number with `--json`.
fn money(minor: i128, exponent: u8, json: bool) -> Value {
    if json {
        return i64::try_from(minor)
            .map(Value::from)
            .or_else(|_| u64::try_from(minor).map(Value::from))
            .unwrap_or(Value::Null);
    }
    Value::from(format_minor(minor, exponent))
}

/// `1234` with exponent 2 is `12.34`; `-5` is `-0.05`; exponent 0 has no
/// point.
pub fn format_minor(minor: i128, exponent: u8) -> String {
    let digits = minor.unsigned_abs().to_string();
    let sign = if minor < 0 { "-" } else { "" };
    let e = usize::from(exponent);
    if e == 0 {
        return format!("{sign}{digits}");
    }
    let padded = format!("{digits:0>width$}", width = e + 1);
    let (int, frac) = padded.split_at(padded.len() - e);
    format!("{sign}{int}.{frac}")
}

/// Printable ASCII as text in quotes, anything else as hex.
fn text_or_hex(b: &[u8]) -> String {
    if b.iter().all(|c| (0x20..=0x7E).contains(c)) {
        format!("\"{}\"", String::from_utf8_lossy(b))
    } else {
        format!("{} (hex, not printable)", hex::encode_upper(b))
    }
}

/// UTC date and time of Unix seconds (proleptic Gregorian), for years up
/// to 9999.
fn utc(ts: u64) -> Option<String> {
    if ts > 253_402_300_799 {
        return None;
    }
    let secs = i64::try_from(ts).ok()?;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days since 1970-01-01 to a civil date: shift to an era starting on
    // 0000-03-01, 146097 days per 400 years.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

/// Adds the fields of a record to `report`.
fn fields(report: Report, f: &Fields, json: bool) -> Report {
    let r = report.hex("card_id", &f.card_id.to_be_bytes());
    if json {
        return r
            .value("currency", f.currency)
            .value("exponent", f.exponent)
            .value("flags", f.flags)
            .value("balance", f.balance)
            .value("limit", f.limit)
            .value("counter", f.counter)
            .value("amount", f.amount)
            .hex("terminal_id", &f.terminal_id)
            .value("timestamp", f.timestamp)
            .hex("prev_tag", &f.prev_tag);
    }
    let flags = match f.flags {
        0 => "0 (not blocked)".to_owned(),
        1 => "1 (BLOCKED)".to_owned(),
        other => format!("{other:#04x} (unknown bits set)"),
    };
    let time = match utc(f.timestamp) {
        Some(t) => format!("{} ({t})", f.timestamp),
        None => f.timestamp.to_string(),
    };
    r.value("currency", f.currency)
        .value("exponent", f.exponent)
        .value("flags", flags)
        .value("balance", format_minor(f.balance.into(), f.exponent))
        .value("limit", format_minor(f.limit.into(), f.exponent))
        .value("counter", f.counter)
        .value("amount", format_minor(f.amount.into(), f.exponent))
        .value("terminal_id", text_or_hex(&f.terminal_id))
        .value("timestamp", time)
        .hex("prev_tag", &f.prev_tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_units_with_the_exponent() {
        assert_eq!(format_minor(1234, 2), "12.34");
        assert_eq!(format_minor(-250, 2), "-2.50");
        assert_eq!(format_minor(5, 2), "0.05");
        assert_eq!(format_minor(-5, 4), "-0.0005");
        assert_eq!(format_minor(0, 3), "0.000");
        assert_eq!(format_minor(1234, 0), "1234");
        assert_eq!(format_minor(u64::MAX.into(), 4), "1844674407370955.1615");
        assert_eq!(format_minor(i64::MIN.into(), 2), "-92233720368547758.08");
    }

    #[test]
    fn utc_dates() {
        // Reference values: Python's datetime.datetime.utcfromtimestamp.
        assert_eq!(utc(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(utc(1_700_000_000).as_deref(), Some("2023-11-14T22:13:20Z"));
        assert_eq!(utc(951_782_400).as_deref(), Some("2000-02-29T00:00:00Z"));
        assert_eq!(utc(4_107_542_399).as_deref(), Some("2100-02-28T23:59:59Z"));
        assert_eq!(
            utc(253_402_300_799).as_deref(),
            Some("9999-12-31T23:59:59Z")
        );
        assert_eq!(utc(253_402_300_800), None);
    }

    #[test]
    fn terminal_ids() {
        assert_eq!(terminal_arg("SHOP42").unwrap(), *b"SHOP42  ");
        assert_eq!(terminal_arg("").unwrap(), *b"        ");
        assert_eq!(terminal_arg("5445524D30303031").unwrap(), *b"TERM0001");
        assert!(terminal_arg("NINECHARS").is_err());
        assert!(terminal_arg("5445524D3030303G").is_err());
    }

    #[test]
    fn audit_lines() {
        assert!(parse_line(1, "   ").unwrap().is_none());
        assert!(parse_line(1, "# comment").unwrap().is_none());
        let l = parse_line(3, "00FF 0A").unwrap().unwrap();
        assert_eq!((l.number, l.record, l.sig), (3, vec![0, 0xFF], vec![0x0A]));
        let l = parse_line(4, "00FF").unwrap().unwrap();
        assert!(l.sig.is_empty());
        let l = parse_line(5, "XYZ 00").unwrap().unwrap();
        assert!(l.record.is_empty());
        assert!(parse_line(6, "00 11 22").is_err());
    }
}
