//! `paykernel dukpt tdes|aes encrypt-data|decrypt-data|mac|translate-pin`:
//! DUKPT keys in use, host side (from the BDK or the terminal's initial
//! key). The same options on both sides; AES adds `--key-type` and
//! `--usage`.

use clap::Subcommand;
use getrandom::SysRng;
use paykernel::dukpt::aes::{KeyType, KeyUsage};
use paykernel::dukpt::txn::aes::{self as aes_txn, Transaction as AesTransaction};
use paykernel::dukpt::txn::tdes::Transaction as TdesTransaction;
use paykernel::dukpt::txn::{Direction, EncipheredPin};
use paykernel::dukpt::{AesKsn, TdesKsn};
use paykernel::mode::cbc::{Iv, TdesIv};
use paykernel::pin::{Format, PinBlockCipher};
use paykernel::{AesKey, Error, Pan, TdesKey};

use crate::input::{CliError, Context, hex_arg, key_arg};
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
    /// The BDK in hex (TDES: 16 bytes; AES: 16, 24 or 32).
    #[arg(
        long,
        conflicts_with = "initial_key",
        required_unless_present = "initial_key"
    )]
    bdk: Option<String>,
    /// The terminal's initial key in hex instead of the BDK (the IPEK for
    /// TDES; --ipek is the same option).
    #[arg(long, alias = "ipek")]
    initial_key: Option<String>,
    /// The transaction's KSN in hex (TDES: 10 bytes; AES: 12).
    #[arg(long)]
    ksn: String,
}

/// Options of the data commands.
#[derive(Debug, clap::Args)]
pub struct DataOpts {
    #[command(flatten)]
    root: Root,
    /// request (the terminal's message) or response (the host's).
    #[arg(long, default_value = "request", value_parser = parse_direction)]
    direction: Direction,
    /// The data in hex: whole blocks of the data key's cipher.
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
    /// The working key's usage; by default the one of --direction
    /// (request: data-encrypt / mac-generate; response: data-decrypt /
    /// mac-verify).
    #[arg(long, value_parser = parse_usage)]
    usage: Option<KeyUsage>,
}

/// Options of the MAC commands.
#[derive(Debug, clap::Args)]
pub struct MacOpts {
    #[command(flatten)]
    root: Root,
    /// request (the terminal's message) or response (the host's).
    #[arg(long, default_value = "request", value_parser = parse_direction)]
    direction: Direction,
    /// The message in hex (any length).
    #[arg(long)]
    data: String,
    /// MAC length in bytes: 4 up to the full MAC (TDES default 4; AES
    /// default the full MAC).
    #[arg(long)]
    len: Option<usize>,
    /// A MAC to check instead (its length is the length checked); exit
    /// status 1 when it does not match.
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
    /// The PAN, 12 to 19 digits (when either format is 0, 3 or 4).
    #[arg(long)]
    pan: Option<String>,
    /// The zone key in hex (TDES for formats 0-3, AES for format 4).
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

fn tdes_transaction(root: &Root) -> Result<TdesTransaction, CliError> {
    let b = hex_arg("--ksn", &root.ksn, Some(Error::InvalidKsn))?;
    let ksn = TdesKsn::from_slice(&b).for_input("--ksn (10 bytes)")?;
    match (&root.bdk, &root.initial_key) {
        (Some(b), None) => {
            let k = TdesKey::from_slice(&key_arg("--bdk", b)?).for_input("--bdk (16 bytes)")?;
            TdesTransaction::from_bdk(&k, &ksn).for_input("--bdk (16 bytes)")
        }
        (None, Some(i)) => {
            let k = TdesKey::from_slice(&key_arg("--initial-key", i)?)
                .for_input("--initial-key (16 bytes)")?;
            TdesTransaction::from_ipek(&k, &ksn).for_input("--initial-key (16 bytes)")
        }
        _ => Err(CliError::Usage(
            "give one of --bdk and --initial-key".to_owned(),
        )),
    }
}

fn aes_transaction(root: &Root) -> Result<AesTransaction, CliError> {
    let b = hex_arg("--ksn", &root.ksn, Some(Error::InvalidKsn))?;
    let ksn = AesKsn::from_slice(&b).for_input("--ksn (12 bytes)")?;
    match (&root.bdk, &root.initial_key) {
        (Some(b), None) => {
            let k = AesKey::from_slice(&key_arg("--bdk", b)?)
                .for_input("--bdk (16, 24 or 32 bytes)")?;
            AesTransaction::from_bdk(&k, &ksn).for_input("--bdk")
        }
        (None, Some(i)) => {
            let k = AesKey::from_slice(&key_arg("--initial-key", i)?)
                .for_input("--initial-key (16, 24 or 32 bytes)")?;
            AesTransaction::from_initial_key(&k, &ksn).for_input("--initial-key")
        }
        _ => Err(CliError::Usage(
            "give one of --bdk and --initial-key".to_owned(),
        )),
    }
}

fn iv(s: Option<&String>) -> Result<Option<Iv>, CliError> {
    match s {
        None => Ok(None),
        Some(s) => Iv::from_slice(&hex_arg("--iv", s, None)?)
            .for_input("--iv (one block: 8 bytes for TDES, 16 for AES)")
            .map(Some),
    }
}

const VERIFY_LEN_TDES: &str = "--verify (4 to 8 bytes: a shorter MAC is guessed too easily)";
const DATA_LEN: &str = "--data (whole blocks of the data key's cipher, at least one)";
const KEY_TYPE: &str = "--key-type / --usage (a key type and usage that can do this job, no stronger than the initial key)";

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
    let mut data = hex_arg("--data", &o.data, None)?;
    let iv = match iv(o.iv.as_ref())? {
        None => TdesIv::ZERO,
        Some(Iv::Tdes(v)) => v,
        Some(Iv::Aes(_)) => {
            return Err(CliError::kernel(
                "--iv (8 bytes for TDES)",
                Error::InvalidLength,
            ));
        }
    };
    let t = tdes_transaction(&o.root)?;
    if encrypt {
        t.encrypt_data(o.direction, &iv, &mut data)
    } else {
        t.decrypt_data(o.direction, &iv, &mut data)
    }
    .for_input("--data (whole 8-byte blocks, at least one)")?;
    Ok(Report::new()
        .hex("ksn", t.ksn().as_bytes())
        .value("counter", t.ksn().counter())
        .value("direction", o.direction.name())
        .hex("data", &data))
}

fn mac_report(ksn: &[u8], counter: u32, mac: &[u8], verify: Option<&[u8]>, valid: bool) -> Report {
    let r = Report::new().hex("ksn", ksn).value("counter", counter);
    match verify {
        Some(_) => r.valid(valid),
        None => r.hex("mac", mac),
    }
}

fn tdes_mac(o: &MacOpts) -> Result<Report, CliError> {
    let data = hex_arg("--data", &o.data, None)?;
    let t = tdes_transaction(&o.root)?;
    if let Some(v) = &o.verify {
        let candidate = hex_arg("--verify", v, None)?;
        let ok = bool::from(
            t.verify_mac(o.direction, &data, &candidate)
                .for_input(VERIFY_LEN_TDES)?,
        );
        return Ok(mac_report(
            t.ksn().as_bytes(),
            t.ksn().counter(),
            &[],
            Some(&candidate),
            ok,
        )
        .value("direction", o.direction.name()));
    }
    let mac = t
        .mac(o.direction, &data, o.len.unwrap_or(4))
        .for_input("--len (4 to 8)")?;
    Ok(mac_report(
        t.ksn().as_bytes(),
        t.ksn().counter(),
        mac.as_bytes(),
        None,
        true,
    )
    .value("direction", o.direction.name()))
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
    let mut data = hex_arg("--data", &o.data, None)?;
    let iv = iv(o.iv.as_ref())?;
    let usage = data_usage(kind, o.direction);
    let t = aes_transaction(&o.root)?;
    let r = if encrypt {
        t.encrypt_data(kind.key_type, usage, iv.as_ref(), &mut data)
    } else {
        t.decrypt_data(kind.key_type, usage, iv.as_ref(), &mut data)
    };
    r.map_err(|e| match e {
        Error::Unsupported => CliError::kernel(KEY_TYPE, e),
        _ => CliError::kernel(&format!("{DATA_LEN} or --iv"), e),
    })?;
    Ok(Report::new()
        .hex("ksn", t.ksn().as_bytes())
        .value("counter", t.ksn().counter())
        .value("key_type", kind.key_type.name())
        .value("usage", usage.name())
        .hex("data", &data))
}

fn aes_mac(o: &MacOpts, kind: &AesKind) -> Result<Report, CliError> {
    let data = hex_arg("--data", &o.data, None)?;
    let usage = mac_usage(kind, o.direction);
    let full = aes_txn::full_mac_len(kind.key_type).for_input(KEY_TYPE)?;
    let t = aes_transaction(&o.root)?;
    let report = if let Some(v) = &o.verify {
        let candidate = hex_arg("--verify", v, None)?;
        let ok = t
            .verify_mac(kind.key_type, usage, &data, &candidate)
            .map_err(|e| match e {
                Error::InvalidLength => CliError::kernel(
                    &format!("--verify (4 to {full} bytes: a shorter MAC is guessed too easily)"),
                    e,
                ),
                _ => CliError::kernel(KEY_TYPE, e),
            })?;
        let ok = bool::from(ok);
        mac_report(
            t.ksn().as_bytes(),
            t.ksn().counter(),
            &[],
            Some(&candidate),
            ok,
        )
    } else {
        let mac = t
            .mac(kind.key_type, usage, &data, o.len.unwrap_or(full))
            .map_err(|e| match e {
                Error::InvalidLength => CliError::kernel(&format!("--len (4 to {full})"), e),
                _ => CliError::kernel(KEY_TYPE, e),
            })?;
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

fn pan(s: Option<&String>) -> Result<Option<Pan>, CliError> {
    s.map(|p| Pan::from_digits(p.as_bytes()).for_input("--pan (12 to 19 digits)"))
        .transpose()
}

fn zone(o: &TranslateOpts) -> Result<PinBlockCipher, CliError> {
    let f = Format::from_number(o.to_format.into()).for_input("--to-format")?;
    PinBlockCipher::new(f, &key_arg("--to-key", &o.to_key)?)
        .for_input("--to-key (formats 0-3: TDES, 8, 16 or 24 bytes; format 4: AES)")
}

fn translated(ksn: &[u8], counter: u32, to: Format, block: &[u8]) -> Report {
    Report::new()
        .hex("ksn", ksn)
        .value("counter", counter)
        .value("format", to.number())
        .hex("block", block)
}

fn tdes_translate(o: &TranslateOpts) -> Result<Report, CliError> {
    let zone = zone(o)?;
    let block = hex_arg("--block", &o.block, Some(Error::InvalidPinBlock))?;
    let format = Format::from_number(o.format.unwrap_or(0).into()).for_input("--format")?;
    let pan = pan(o.pan.as_ref())?;
    let t = tdes_transaction(&o.root)?;
    let pin = EncipheredPin {
        block: &block,
        format,
        pan: pan.as_ref(),
    };
    let out = t
        .translate_pin(&pin, &zone, &mut SysRng)
        .map_err(translate_error)?;
    Ok(translated(
        t.ksn().as_bytes(),
        t.ksn().counter(),
        zone.format(),
        out.as_bytes(),
    ))
}

fn translate_error(e: Error) -> CliError {
    let what = match e {
        Error::InvalidPinBlock => {
            "--block (wrong size, or it breaks its format's rules under this key and PAN)"
        }
        Error::InvalidPan => "--pan (formats 0, 3 and 4 need the PAN)",
        Error::Unsupported => "--format (TDES PIN keys take formats 0-3, AES PIN keys format 4)",
        _ => "--block",
    };
    CliError::kernel(what, e)
}

fn aes_translate(o: &TranslateOpts, key_type: KeyType) -> Result<Report, CliError> {
    let zone = zone(o)?;
    let block = hex_arg("--block", &o.block, Some(Error::InvalidPinBlock))?;
    let default = match key_type {
        KeyType::Tdea2 | KeyType::Tdea3 => 0,
        _ => 4,
    };
    let format = Format::from_number(o.format.unwrap_or(default).into()).for_input("--format")?;
    let pan = pan(o.pan.as_ref())?;
    let t = aes_transaction(&o.root)?;
    let pin = EncipheredPin {
        block: &block,
        format,
        pan: pan.as_ref(),
    };
    let out = t
        .translate_pin(key_type, &pin, &zone, &mut SysRng)
        .map_err(|e| match e {
            Error::Unsupported => CliError::kernel(
                "--key-type / --format (AES PIN keys take format 4, 2TDEA/3TDEA formats 0-3; no stronger than the initial key)",
                e,
            ),
            _ => translate_error(e),
        })?;
    Ok(translated(
        t.ksn().as_bytes(),
        t.ksn().counter(),
        zone.format(),
        out.as_bytes(),
    )
    .value("key_type", key_type.name()))
}
