//! `paykernel dukpt tdes|aes encrypt-data|decrypt-data|mac|translate-pin`:
//! DUKPT keys in use, host side (from the BDK or the terminal's initial
//! key). The same options on both sides; AES adds `--key-type` and
//! `--usage`.

use clap::Subcommand;
use getrandom::SysRng;
use paykernel::dukpt::aes::{KeyType, KeyUsage};
use paykernel::dukpt::txn::aes::{self as aes_txn, Transaction as AesTransaction};
use paykernel::dukpt::txn::tdes::{self as tdes_txn, Transaction as TdesTransaction};
use paykernel::dukpt::txn::{Direction, EncipheredPin};
use paykernel::dukpt::{AesKsn, TdesKsn};
use paykernel::mode::cbc::{Iv, TdesIv};
use paykernel::pin::{Format, PinBlockCipher};
use paykernel::{Error, Pan};

use crate::input::{
    CliError, Context, aes_key, bytes, hex_arg, refused, secret_hex_arg, tdes_key16,
};
use crate::report::Report;

/// The TDES DUKPT data commands.
#[derive(Debug, Subcommand)]
pub enum TdesData {
    /// Encrypt data under a transaction's data-request or data-response
    /// key (TDES-CBC, whole 8-byte blocks).
    EncryptData(TdesDataArgs),
    /// Decrypt data under a transaction's data key.
    DecryptData(TdesDataArgs),
    /// The ANSI X9.19 retail MAC under a transaction's MAC-request or
    /// MAC-response key, or check one with --verify.
    Mac(TdesMacArgs),
    /// Translate a PIN block from a transaction's PIN key to a zone key
    /// (the HSM's "translate PIN from DUKPT"); the PIN is never shown.
    TranslatePin(TdesTranslateArgs),
}

/// The AES DUKPT data commands.
#[derive(Debug, Subcommand)]
pub enum AesData {
    /// Encrypt data under a transaction's data working key (AES-CBC, or
    /// TDES-CBC for 2TDEA/3TDEA; whole blocks).
    EncryptData(AesDataArgs),
    /// Decrypt data under a transaction's data working key.
    DecryptData(AesDataArgs),
    /// AES-CMAC (AES key types) or HMAC-SHA-256 (HMAC key types) under a
    /// transaction's MAC working key, or check one with --verify.
    Mac(AesMacArgs),
    /// Translate a PIN block from a transaction's PIN working key to a zone
    /// key; the PIN is never shown.
    TranslatePin(AesTranslateArgs),
}

/// Where the transaction's keys come from.
#[derive(Debug, clap::Args)]
pub struct Root {
    /// The BDK in hex (TDES: 16 bytes; AES: 16, 24 or 32); or @PATH,
    /// env:NAME, - (standard input).
    #[arg(
        long,
        conflicts_with = "initial_key",
        required_unless_present = "initial_key"
    )]
    bdk: Option<String>,
    /// The terminal's initial key in hex instead of the BDK (the IPEK for
    /// TDES; --ipek is the same option); or @PATH, env:NAME, -.
    #[arg(long, alias = "ipek")]
    initial_key: Option<String>,
    /// The transaction's KSN in hex (TDES: 10 bytes; AES: 12).
    #[arg(long)]
    ksn: String,
}

impl Root {
    /// The option the transaction's keys came from, for messages.
    fn key_option(&self) -> &'static str {
        if self.bdk.is_some() {
            "--bdk"
        } else {
            "--initial-key"
        }
    }
}

/// Options of the data commands.
#[derive(Debug, clap::Args)]
pub struct DataOpts {
    #[command(flatten)]
    root: Root,
    /// request (the terminal's message; the default) or response (the
    /// host's).
    #[arg(long, value_parser = parse_direction)]
    direction: Option<Direction>,
    /// The data in hex: whole blocks of the data key's cipher; or @PATH,
    /// env:NAME, - (standard input). Decrypted data is printed.
    #[arg(long)]
    data: String,
    /// The IV in hex, one block (zeros when absent).
    #[arg(long)]
    iv: Option<String>,
}

/// Options of `dukpt tdes encrypt-data|decrypt-data`.
#[derive(Debug, clap::Args)]
pub struct TdesDataArgs {
    #[command(flatten)]
    opts: DataOpts,
}

/// Options of `dukpt aes encrypt-data|decrypt-data`.
#[derive(Debug, clap::Args)]
pub struct AesDataArgs {
    #[command(flatten)]
    opts: DataOpts,
    #[command(flatten)]
    kind: AesKind,
}

/// The AES working key's type and usage.
#[derive(Debug, clap::Args)]
pub struct AesKind {
    /// 2TDEA, 3TDEA, AES128, AES192, AES256 (data); AES* or HMAC* (MAC).
    #[arg(long, default_value = "AES128", value_parser = parse_key_type)]
    key_type: KeyType,
    /// The working key's usage, instead of --direction (which picks
    /// request: data-encrypt / mac-generate; response: data-decrypt /
    /// mac-verify).
    #[arg(long, value_parser = parse_usage, conflicts_with = "direction")]
    usage: Option<KeyUsage>,
}

/// Options of the MAC commands.
#[derive(Debug, clap::Args)]
pub struct MacOpts {
    #[command(flatten)]
    root: Root,
    /// request (the terminal's message; the default) or response (the
    /// host's).
    #[arg(long, value_parser = parse_direction)]
    direction: Option<Direction>,
    /// The message in hex (any length).
    #[arg(long)]
    data: String,
    /// MAC length in bytes: 4 up to the full MAC (TDES default 4; AES
    /// default the full MAC).
    #[arg(long)]
    len: Option<usize>,
    /// A MAC to check instead, 4 bytes up to the full MAC (its length is
    /// the length checked); exit status 1 when it does not match.
    #[arg(long, conflicts_with = "len")]
    verify: Option<String>,
}

/// Options of `dukpt tdes mac`.
#[derive(Debug, clap::Args)]
pub struct TdesMacArgs {
    #[command(flatten)]
    opts: MacOpts,
}

/// Options of `dukpt aes mac`.
#[derive(Debug, clap::Args)]
pub struct AesMacArgs {
    #[command(flatten)]
    opts: MacOpts,
    #[command(flatten)]
    kind: AesKind,
}

/// Options of the translate-pin commands.
#[derive(Debug, clap::Args)]
pub struct TranslateOpts {
    #[command(flatten)]
    root: Root,
    /// The enciphered PIN block in hex.
    #[arg(long)]
    block: String,
    /// The incoming block's ISO 9564-1 format (TDES PIN key: 0-3; AES PIN
    /// key: 4). Default: 0 (TDES), 4 (AES PIN key), 0 (2TDEA/3TDEA).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=4))]
    format: Option<u8>,
    /// The PAN, 12 to 19 digits (when either format is 0, 3 or 4); or
    /// @PATH, env:NAME, -.
    #[arg(long)]
    pan: Option<String>,
    /// The zone key in hex (TDES for formats 0-3, AES for format 4); or
    /// @PATH, env:NAME, -.
    #[arg(long)]
    to_key: String,
    /// The outgoing format: 0 to 4.
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=4))]
    to_format: u8,
}

/// Options of `dukpt tdes translate-pin`.
#[derive(Debug, clap::Args)]
pub struct TdesTranslateArgs {
    #[command(flatten)]
    opts: TranslateOpts,
}

/// Options of `dukpt aes translate-pin`.
#[derive(Debug, clap::Args)]
pub struct AesTranslateArgs {
    #[command(flatten)]
    opts: TranslateOpts,
    /// The PIN working key's type: AES128, AES192, AES256 (format 4),
    /// 2TDEA or 3TDEA (formats 0-3).
    #[arg(long, default_value = "AES128", value_parser = parse_key_type)]
    key_type: KeyType,
}

fn parse_direction(s: &str) -> Result<Direction, String> {
    Direction::from_name(s).ok_or_else(|| "one of request, response".to_owned())
}

fn parse_key_type(s: &str) -> Result<KeyType, String> {
    KeyType::from_name(s).ok_or_else(|| {
        "one of 2TDEA, 3TDEA, AES128, AES192, AES256, HMAC128, HMAC192, HMAC256".to_owned()
    })
}

fn parse_usage(s: &str) -> Result<KeyUsage, String> {
    KeyUsage::from_name(s).ok_or_else(|| {
        "one of kek, pin, mac-generate, mac-verify, mac-both, data-encrypt, data-decrypt, data-both"
            .to_owned()
    })
}

/// The KSN of `--ksn`: `N` bytes.
fn ksn_bytes(s: &str, n: usize, side: &str) -> Result<Vec<u8>, CliError> {
    let b = hex_arg("--ksn", s, Some(Error::InvalidKsn))?;
    if b.len() != n {
        return Err(refused(
            "--ksn",
            format!("{}; a {side} DUKPT KSN is {n} bytes", bytes(b.len())),
            Error::InvalidKsn,
        ));
    }
    Ok(b)
}

fn tdes_transaction(root: &Root) -> Result<TdesTransaction, CliError> {
    let ksn =
        TdesKsn::from_slice(&ksn_bytes(&root.ksn, TdesKsn::LEN, "TDES")?).for_input("--ksn")?;
    match (&root.bdk, &root.initial_key) {
        (Some(b), None) => {
            TdesTransaction::from_bdk(&tdes_key16("--bdk", b)?, &ksn).for_input("--bdk")
        }
        (None, Some(i)) => TdesTransaction::from_ipek(&tdes_key16("--initial-key", i)?, &ksn)
            .for_input("--initial-key"),
        _ => Err(CliError::Usage(
            "give one of --bdk and --initial-key".to_owned(),
        )),
    }
}

fn aes_transaction(root: &Root) -> Result<AesTransaction, CliError> {
    let ksn = AesKsn::from_slice(&ksn_bytes(&root.ksn, AesKsn::LEN, "AES")?).for_input("--ksn")?;
    match (&root.bdk, &root.initial_key) {
        (Some(b), None) => AesTransaction::from_bdk(&aes_key("--bdk", b)?, &ksn).for_input("--bdk"),
        (None, Some(i)) => AesTransaction::from_initial_key(&aes_key("--initial-key", i)?, &ksn)
            .for_input("--initial-key"),
        _ => Err(CliError::Usage(
            "give one of --bdk and --initial-key".to_owned(),
        )),
    }
}

/// `--iv`: one block of `block` bytes.
fn iv(s: Option<&String>, block: usize) -> Result<Option<Iv>, CliError> {
    let Some(s) = s else { return Ok(None) };
    let b = hex_arg("--iv", s, None)?;
    if b.len() != block {
        return Err(refused(
            "--iv",
            format!(
                "{}; the data key's cipher takes a {block}-byte IV",
                bytes(b.len())
            ),
            Error::InvalidLength,
        ));
    }
    Iv::from_slice(&b).for_input("--iv").map(Some)
}

/// `--data`: whole blocks of `block` bytes, at least one.
fn data_blocks(s: &str, block: usize) -> Result<zeroize::Zeroizing<Vec<u8>>, CliError> {
    let d = secret_hex_arg("--data", s, None)?;
    if d.is_empty() || !d.len().is_multiple_of(block) {
        return Err(refused(
            "--data",
            format!(
                "{}; the data key's cipher takes whole {block}-byte blocks, at least one",
                bytes(d.len())
            ),
            Error::InvalidLength,
        ));
    }
    Ok(d)
}

/// A key type and usage that cannot do the command's job, named by
/// `--usage` when it was given (it chose the key), else by `--key-type`.
fn key_type_error(e: Error, job: &str, kind: &AesKind) -> CliError {
    refused(
        if kind.usage.is_some() {
            "--usage"
        } else {
            "--key-type"
        },
        format!(
            "this key type and usage cannot {job}, or the key type is stronger than the initial key"
        ),
        e,
    )
}

/// Runs a TDES DUKPT data command.
pub fn run_tdes(cmd: TdesData) -> Result<Report, CliError> {
    match cmd {
        TdesData::EncryptData(a) => tdes_data(&a.opts, true),
        TdesData::DecryptData(a) => tdes_data(&a.opts, false),
        TdesData::Mac(a) => tdes_mac(&a.opts),
        TdesData::TranslatePin(a) => tdes_translate(&a.opts),
    }
}

/// Runs an AES DUKPT data command.
pub fn run_aes(cmd: AesData) -> Result<Report, CliError> {
    match cmd {
        AesData::EncryptData(a) => aes_data(&a.opts, &a.kind, true),
        AesData::DecryptData(a) => aes_data(&a.opts, &a.kind, false),
        AesData::Mac(a) => aes_mac(&a.opts, &a.kind),
        AesData::TranslatePin(a) => aes_translate(&a.opts, a.key_type),
    }
}

fn tdes_data(o: &DataOpts, encrypt: bool) -> Result<Report, CliError> {
    let direction = o.direction.unwrap_or(Direction::Request);
    let mut data = data_blocks(&o.data, 8)?;
    let iv = match iv(o.iv.as_ref(), 8)? {
        Some(Iv::Tdes(v)) => v,
        _ => TdesIv::ZERO,
    };
    let t = tdes_transaction(&o.root)?;
    if encrypt {
        t.encrypt_data(direction, &iv, &mut data)
    } else {
        t.decrypt_data(direction, &iv, &mut data)
    }
    .for_input("--data")?;
    Ok(Report::new()
        .hex("ksn", t.ksn().as_bytes())
        .value("counter", t.ksn().counter())
        .value("direction", direction.name())
        .hex("data", &data))
}

fn mac_report(ksn: &[u8], counter: u32, mac: &[u8], verify: Option<&[u8]>, valid: bool) -> Report {
    let r = Report::new().hex("ksn", ksn).value("counter", counter);
    match verify {
        Some(_) => r.valid(valid),
        None => r.hex("mac", mac),
    }
}

/// `--verify`: a MAC of 4 bytes up to `full`.
fn candidate(s: &str, full: usize) -> Result<Vec<u8>, CliError> {
    let c = hex_arg("--verify", s, None)?;
    if !(4..=full).contains(&c.len()) {
        return Err(refused(
            "--verify",
            format!(
                "{}; a MAC is checked on 4 to {full} bytes (fewer are guessed too easily)",
                bytes(c.len())
            ),
            Error::InvalidLength,
        ));
    }
    Ok(c)
}

/// `--len`: 4 bytes up to `full`.
fn mac_len(len: Option<usize>, default: usize, full: usize) -> Result<usize, CliError> {
    let len = len.unwrap_or(default);
    if !(4..=full).contains(&len) {
        return Err(refused(
            "--len",
            format!("{len}; this MAC is 4 to {full} bytes"),
            Error::InvalidLength,
        ));
    }
    Ok(len)
}

fn tdes_mac(o: &MacOpts) -> Result<Report, CliError> {
    let direction = o.direction.unwrap_or(Direction::Request);
    let data = hex_arg("--data", &o.data, None)?;
    let t = tdes_transaction(&o.root)?;
    if let Some(v) = &o.verify {
        let candidate = candidate(v, tdes_txn::MAC_LEN)?;
        let ok = bool::from(
            t.verify_mac(direction, &data, &candidate)
                .for_input("--verify")?,
        );
        return Ok(mac_report(
            t.ksn().as_bytes(),
            t.ksn().counter(),
            &[],
            Some(&candidate),
            ok,
        )
        .value("direction", direction.name()));
    }
    let len = mac_len(o.len, 4, tdes_txn::MAC_LEN)?;
    let mac = t.mac(direction, &data, len).for_input("--len")?;
    Ok(mac_report(
        t.ksn().as_bytes(),
        t.ksn().counter(),
        mac.as_bytes(),
        None,
        true,
    )
    .value("direction", direction.name()))
}

fn data_usage(kind: &AesKind, direction: Direction) -> KeyUsage {
    kind.usage.unwrap_or(match direction {
        Direction::Request => KeyUsage::DataEncrypt,
        Direction::Response => KeyUsage::DataDecrypt,
    })
}

fn mac_usage(kind: &AesKind, direction: Direction) -> KeyUsage {
    kind.usage.unwrap_or(match direction {
        Direction::Request => KeyUsage::MacGeneration,
        Direction::Response => KeyUsage::MacVerification,
    })
}

fn aes_data(o: &DataOpts, kind: &AesKind, encrypt: bool) -> Result<Report, CliError> {
    let usage = data_usage(kind, o.direction.unwrap_or(Direction::Request));
    let job = "encrypt or decrypt data";
    let block = aes_txn::data_block(kind.key_type).map_err(|e| key_type_error(e, job, kind))?;
    let mut data = data_blocks(&o.data, block)?;
    let iv = iv(o.iv.as_ref(), block)?;
    let t = aes_transaction(&o.root)?;
    if encrypt {
        t.encrypt_data(kind.key_type, usage, iv.as_ref(), &mut data)
    } else {
        t.decrypt_data(kind.key_type, usage, iv.as_ref(), &mut data)
    }
    .map_err(|e| key_type_error(e, job, kind))?;
    Ok(Report::new()
        .hex("ksn", t.ksn().as_bytes())
        .value("counter", t.ksn().counter())
        .value("key_type", kind.key_type.name())
        .value("usage", usage.name())
        .hex("data", &data))
}

fn aes_mac(o: &MacOpts, kind: &AesKind) -> Result<Report, CliError> {
    let data = hex_arg("--data", &o.data, None)?;
    let usage = mac_usage(kind, o.direction.unwrap_or(Direction::Request));
    let job = "make a MAC";
    let full = aes_txn::full_mac_len(kind.key_type).map_err(|e| key_type_error(e, job, kind))?;
    let t = aes_transaction(&o.root)?;
    let report = if let Some(v) = &o.verify {
        let candidate = candidate(v, full)?;
        let ok = t
            .verify_mac(kind.key_type, usage, &data, &candidate)
            .map_err(|e| key_type_error(e, job, kind))?;
        mac_report(
            t.ksn().as_bytes(),
            t.ksn().counter(),
            &[],
            Some(&candidate),
            bool::from(ok),
        )
    } else {
        let len = mac_len(o.len, full, full)?;
        let mac = t
            .mac(kind.key_type, usage, &data, len)
            .map_err(|e| key_type_error(e, job, kind))?;
        mac_report(
            t.ksn().as_bytes(),
            t.ksn().counter(),
            mac.as_bytes(),
            None,
            true,
        )
    };
    Ok(report
        .value("key_type", kind.key_type.name())
        .value("usage", usage.name()))
}

fn zone(o: &TranslateOpts) -> Result<PinBlockCipher, CliError> {
    let f = Format::from_number(o.to_format.into()).for_input("--to-format")?;
    super::pin::cipher("--to-key", f, &o.to_key)
}

fn translated(ksn: &[u8], counter: u32, to: Format, block: &[u8]) -> Report {
    Report::new()
        .hex("ksn", ksn)
        .value("counter", counter)
        .value("format", to.number())
        .hex("block", block)
}

/// The incoming block, its format, and the PAN where either format uses
/// one (refused where neither does).
fn incoming(
    o: &TranslateOpts,
    format: Format,
    zone: &PinBlockCipher,
) -> Result<(Vec<u8>, Option<Pan>), CliError> {
    let block = super::pin::block(&o.block, format)?;
    let pan = super::pin::pan(
        o.pan.as_deref(),
        format.uses_pan() || zone.format().uses_pan(),
    )?;
    Ok((block, pan))
}

fn tdes_translate(o: &TranslateOpts) -> Result<Report, CliError> {
    let zone = zone(o)?;
    let format = Format::from_number(o.format.unwrap_or(0).into()).for_input("--format")?;
    if format == Format::Iso4 {
        return Err(refused(
            "--format",
            "4; a TDES DUKPT PIN key enciphers formats 0 to 3",
            Error::Unsupported,
        ));
    }
    let (block, pan) = incoming(o, format, &zone)?;
    let t = tdes_transaction(&o.root)?;
    let pin = EncipheredPin {
        block: &block,
        format,
        pan: pan.as_ref(),
    };
    let out = t
        .translate_pin(&pin, &zone, &mut SysRng)
        .map_err(|e| translate_error(e, &o.root, format))?;
    Ok(translated(
        t.ksn().as_bytes(),
        t.ksn().counter(),
        zone.format(),
        out.as_bytes(),
    ))
}

fn translate_error(e: Error, root: &Root, format: Format) -> CliError {
    match e {
        Error::RngFailure => super::pin::rng_error(e),
        Error::InvalidPinBlock => {
            let pan = if format.uses_pan() {
                ", a wrong --pan"
            } else {
                ""
            };
            refused(
                root.key_option(),
                format!(
                    "the block does not decipher to a format {} PIN block under this transaction's PIN key: a wrong {} or --ksn{pan}, or a damaged --block",
                    format.number(),
                    root.key_option()
                ),
                e,
            )
        }
        _ => CliError::kernel("--block", e),
    }
}

fn aes_translate(o: &TranslateOpts, key_type: KeyType) -> Result<Report, CliError> {
    let zone = zone(o)?;
    let tdea = matches!(key_type, KeyType::Tdea2 | KeyType::Tdea3);
    let format = Format::from_number(o.format.unwrap_or(if tdea { 0 } else { 4 }).into())
        .for_input("--format")?;
    if tdea == (format == Format::Iso4) {
        return Err(refused(
            "--format",
            format!(
                "{}; a {} PIN key enciphers {}",
                format.number(),
                key_type.name(),
                if tdea { "formats 0 to 3" } else { "format 4" }
            ),
            Error::Unsupported,
        ));
    }
    let (block, pan) = incoming(o, format, &zone)?;
    let t = aes_transaction(&o.root)?;
    let pin = EncipheredPin {
        block: &block,
        format,
        pan: pan.as_ref(),
    };
    let out = t
        .translate_pin(key_type, &pin, &zone, &mut SysRng)
        .map_err(|e| match e {
            Error::Unsupported => refused(
                "--key-type",
                format!(
                    "{}: a PIN key type is AES128, AES192, AES256, 2TDEA or 3TDEA, no stronger than the initial key",
                    key_type.name()
                ),
                e,
            ),
            _ => translate_error(e, &o.root, format),
        })?;
    Ok(translated(
        t.ksn().as_bytes(),
        t.ksn().counter(),
        zone.format(),
        out.as_bytes(),
    )
    .value("key_type", key_type.name()))
}
