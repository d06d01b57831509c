//! `paykernel dukpt tdes|aes ...`: DUKPT key derivation (host side) and a
//! terminal to step (terminal side).

use std::path::{Path, PathBuf};

use clap::Subcommand;
use paykernel::dukpt::aes::{self, AesTerminal, KeyType, KeyUsage};
use paykernel::dukpt::tdes::{self, TdesTerminal, Variant};
use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
use paykernel::{AesKey, Error, TdesKey};
use serde_json::{Map, Value};

use crate::input::{CliError, Context, bytes, hex_arg, refused, tdes_key16};
use crate::report::Report;

/// Options of `paykernel dukpt`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    cmd: DukptCmd,
}

#[derive(Debug, Subcommand)]
enum DukptCmd {
    /// TDES DUKPT (ANSI X9.24-1:2009).
    #[command(subcommand)]
    Tdes(TdesCmd),
    /// AES DUKPT (ANSI X9.24-3-2017).
    #[command(subcommand)]
    Aes(AesCmd),
}

#[derive(Debug, Subcommand)]
enum TdesCmd {
    /// Derive the IPEK (the terminal's initial key) from the BDK and a KSN;
    /// prints the derived key (an operator tool).
    #[command(visible_alias = "initial-key")]
    Ipek {
        /// The BDK in hex (16 bytes); or @PATH, env:NAME, - (standard
        /// input).
        #[arg(long)]
        bdk: String,
        /// A KSN of the terminal in hex (10 bytes; its counter is ignored).
        #[arg(long)]
        ksn: String,
    },
    /// Derive a transaction key for a KSN, as the host does, from the BDK or
    /// the IPEK; prints the derived key (an operator tool).
    Key {
        /// The BDK in hex (16 bytes); or @PATH, env:NAME, - (standard
        /// input).
        #[arg(
            long,
            conflicts_with = "initial_key",
            required_unless_present = "initial_key"
        )]
        bdk: Option<String>,
        /// The IPEK (the terminal's initial key) in hex, 16 bytes, instead
        /// of the BDK; or @PATH, env:NAME, -. --ipek is the same option.
        #[arg(long, alias = "ipek")]
        initial_key: Option<String>,
        /// The KSN in hex (10 bytes).
        #[arg(long)]
        ksn: String,
        /// base, pin, mac-request, mac-response, data-request or data-response.
        #[arg(long, default_value = "pin", value_parser = parse_variant)]
        variant: Variant,
    },
    /// Step a terminal: load an IPEK (or a saved state) and make transactions.
    Terminal {
        /// The initial key (IPEK) in hex (16 bytes); or @PATH, env:NAME, -.
        /// --ipek is the same option.
        #[arg(
            long,
            alias = "ipek",
            requires = "ksn",
            conflicts_with = "state",
            required_unless_present = "state"
        )]
        initial_key: Option<String>,
        /// The KSN loaded with the initial key (counter 0 for a new terminal).
        #[arg(long)]
        ksn: Option<String>,
        /// Resume from a state file (the hex written by --save); an erased, corrupt or
        /// foreign file is refused.
        #[arg(long)]
        state: Option<PathBuf>,
        /// How many transactions to make.
        #[arg(long, default_value_t = 1)]
        count: u64,
        /// The key variant to show for each transaction.
        #[arg(long, default_value = "pin", value_parser = parse_variant)]
        variant: Variant,
        /// Write the state after the transactions to this file, in hex, readable by its
        /// owner only, atomically (a new file renamed over it). It holds keys.
        #[arg(long)]
        save: Option<PathBuf>,
    },
    /// Describe a KSN: initial key serial number, counter, next KSN, transactions left.
    Ksn {
        /// The KSN in hex (10 bytes).
        ksn: String,
    },
    #[command(flatten)]
    Data(super::dukpt_data::TdesData),
}

#[derive(Debug, Subcommand)]
enum AesCmd {
    /// Derive the initial key of a terminal from the BDK and its initial key
    /// ID; prints the derived key (an operator tool).
    InitialKey {
        /// The BDK in hex (16, 24 or 32 bytes); or @PATH, env:NAME, -
        /// (standard input).
        #[arg(long)]
        bdk: String,
        /// The initial key ID in hex (8 bytes), or a KSN (12 bytes) of the terminal.
        #[arg(long)]
        id: String,
    },
    /// Derive a working key for a KSN, as the host does, from the BDK or the
    /// initial key; prints the derived key (an operator tool).
    Key {
        /// The BDK in hex (16, 24 or 32 bytes); or @PATH, env:NAME, -
        /// (standard input).
        #[arg(
            long,
            conflicts_with = "initial_key",
            required_unless_present = "initial_key"
        )]
        bdk: Option<String>,
        /// The initial key in hex (16, 24 or 32 bytes); or @PATH,
        /// env:NAME, -.
        #[arg(long)]
        initial_key: Option<String>,
        /// The KSN in hex (12 bytes).
        #[arg(long)]
        ksn: String,
        /// 2TDEA, 3TDEA, AES128, AES192, AES256, HMAC128, HMAC192 or HMAC256.
        #[arg(long, value_parser = parse_key_type)]
        key_type: KeyType,
        /// kek, pin, mac-generate, mac-verify, mac-both, data-encrypt, data-decrypt or data-both.
        #[arg(long, value_parser = parse_usage)]
        usage: KeyUsage,
    },
    /// Derive the DUKPT update key (the key encryption key of counter
    /// FFFFFFFF); prints the derived key (an operator tool).
    UpdateKey {
        /// The BDK in hex (16, 24 or 32 bytes); or @PATH, env:NAME, -
        /// (standard input).
        #[arg(
            long,
            conflicts_with = "initial_key",
            required_unless_present = "initial_key"
        )]
        bdk: Option<String>,
        /// The initial key in hex (16, 24 or 32 bytes); or @PATH,
        /// env:NAME, -.
        #[arg(long)]
        initial_key: Option<String>,
        /// The initial key ID in hex (8 bytes), or a KSN (12 bytes) of the terminal.
        #[arg(long)]
        id: String,
        /// 2TDEA, 3TDEA, AES128, AES192 or AES256.
        #[arg(long, value_parser = parse_key_type)]
        key_type: KeyType,
    },
    /// Step a terminal: load an initial key (or a saved state) and make transactions.
    Terminal {
        /// The initial key in hex (16, 24 or 32 bytes); or @PATH,
        /// env:NAME, -.
        #[arg(
            long,
            requires = "ksn",
            conflicts_with = "state",
            required_unless_present = "state"
        )]
        initial_key: Option<String>,
        /// The KSN loaded with the initial key (counter 0 for a new terminal).
        #[arg(long)]
        ksn: Option<String>,
        /// Resume from a state file (the hex written by --save); an erased, corrupt or
        /// foreign file is refused.
        #[arg(long)]
        state: Option<PathBuf>,
        /// How many transactions to make.
        #[arg(long, default_value_t = 1)]
        count: u64,
        /// The key type of the working key to show for each transaction.
        #[arg(long, value_parser = parse_key_type)]
        key_type: KeyType,
        /// The usage of the working key to show for each transaction.
        #[arg(long, value_parser = parse_usage)]
        usage: KeyUsage,
        /// Write the state after the transactions to this file, in hex, readable by its
        /// owner only, atomically (a new file renamed over it). It holds keys.
        #[arg(long)]
        save: Option<PathBuf>,
    },
    /// Describe a KSN: initial key ID, counter, next KSN, transactions left.
    Ksn {
        /// The KSN in hex (12 bytes).
        ksn: String,
    },
    #[command(flatten)]
    Data(super::dukpt_data::AesData),
}

/// The most transactions one command lists.
const MAX_COUNT: u64 = 1_000_000;

fn parse_variant(s: &str) -> Result<Variant, String> {
    Variant::from_name(s).ok_or_else(|| {
        "one of base, pin, mac-request, mac-response, data-request, data-response".to_owned()
    })
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

/// Runs `paykernel dukpt`.
pub fn run(args: Args) -> Result<Report, CliError> {
    match args.cmd {
        DukptCmd::Tdes(c) => tdes_cmd(c),
        DukptCmd::Aes(c) => aes_cmd(c),
    }
}

/// A KSN of `n` bytes from `--ksn`.
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

fn tdes_ksn(s: &str) -> Result<TdesKsn, CliError> {
    TdesKsn::from_slice(&ksn_bytes(s, TdesKsn::LEN, "TDES")?).for_input("--ksn")
}

fn aes_ksn(s: &str) -> Result<AesKsn, CliError> {
    AesKsn::from_slice(&ksn_bytes(s, AesKsn::LEN, "AES")?).for_input("--ksn")
}

/// An initial key ID given as itself (8 bytes) or as a KSN (12 bytes).
fn initial_key_id(s: &str) -> Result<InitialKeyId, CliError> {
    let b = hex_arg("--id", s, Some(Error::InvalidKsn))?;
    match b.len() {
        AesKsn::LEN => Ok(AesKsn::from_slice(&b).for_input("--id")?.initial_key_id()),
        8 => InitialKeyId::from_slice(&b).for_input("--id"),
        n => Err(refused(
            "--id",
            format!(
                "{}; an initial key ID is 8 bytes (or give the terminal's 12-byte KSN)",
                bytes(n)
            ),
            Error::InvalidKsn,
        )),
    }
}

/// A TDES DUKPT key (BDK or IPEK): 16 bytes.
fn tdes_key(what: &str, s: &str) -> Result<TdesKey, CliError> {
    tdes_key16(what, s)
}

fn aes_key(what: &str, s: &str) -> Result<AesKey, CliError> {
    crate::input::aes_key(what, s)
}

/// Which terminal a state file is for, for the messages about it.
#[derive(Clone, Copy)]
enum Kind {
    Tdes,
    Aes,
}

impl Kind {
    /// "a TDES" or "an AES".
    fn name(self) -> &'static str {
        match self {
            Kind::Tdes => "a TDES",
            Kind::Aes => "an AES",
        }
    }

    fn format_byte(self) -> &'static str {
        match self {
            Kind::Tdes => "D2",
            Kind::Aes => "A2",
        }
    }

    fn lengths(self) -> &'static str {
        match self {
            Kind::Tdes => "352 bytes",
            Kind::Aes => "531, 787 or 1043 bytes (AES-128, -192, -256)",
        }
    }
}

/// Loads a terminal from the state file `path` (the hex `--save` wrote),
/// turning each refusal into a message that names `--state` and says what
/// is wrong with the file.
fn load_state<T>(
    path: &Path,
    kind: Kind,
    from_bytes: fn(&[u8]) -> Result<T, Error>,
) -> Result<T, CliError> {
    let shown = path.display();
    let text = zeroize::Zeroizing::new(
        std::fs::read_to_string(path)
            .map_err(|e| CliError::Usage(format!("--state {shown}: cannot read it: {e}")))?,
    );
    let state = zeroize::Zeroizing::new(hex_arg(&format!("--state {shown}"), text.trim(), None)?);
    from_bytes(&state).map_err(|e| {
        let n = state.len();
        let why = match e {
            Error::NoState => "no saved state in it: the file is empty or erased (every byte 00, \
                 or every byte FF)"
                .to_owned(),
            Error::BadMac => "corrupt: its check value (CRC-32C) does not match its content, so \
                 the keys in it cannot be trusted; load the terminal's initial key again"
                .to_owned(),
            Error::Unsupported => format!(
                "not {} terminal state this version reads (it reads format {}, the first \
                 byte of the states it saves)",
                kind.name(),
                kind.format_byte()
            ),
            Error::InvalidLength => format!(
                "{n} bytes, but {} terminal state is {}",
                kind.name(),
                kind.lengths()
            ),
            other => {
                return CliError::kernel(
                    &format!("--state {shown} (a state no terminal can be in)"),
                    other,
                );
            }
        };
        CliError::Usage(format!("--state {shown}: {why}"))
    })
}

/// Writes a state to `path` as hex, readable by its owner only, atomically:
/// into a new file beside it (mode 0600), synced, then renamed over `path`,
/// and the folder synced so that the rename survives a power cut. A crash
/// leaves the old state or the new one, never half of one.
fn write_state(path: &Path, state: &[u8]) -> Result<(), CliError> {
    use std::io::Write;

    let fail = |e: std::io::Error| CliError::Usage(format!("--save {}: {e}", path.display()));
    let name = path
        .file_name()
        .ok_or_else(|| CliError::Usage(format!("--save {}: not a file name", path.display())))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let mut text = zeroize::Zeroizing::new(hex::encode_upper(state));
    text.push('\n');
    let written = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        #[cfg(unix)]
        std::fs::File::open(dir)?.sync_all()?;
        Ok(())
    })();
    if written.is_err() {
        // Nothing half-written stays behind (the old state, if any, does).
        let _ = std::fs::remove_file(&tmp);
    }
    written.map_err(fail)
}

fn check_count(count: u64, remaining: u64) -> Result<(), CliError> {
    if count > MAX_COUNT {
        return Err(CliError::Usage(format!("--count: at most {MAX_COUNT}")));
    }
    if count > remaining {
        return Err(CliError::kernel(
            &format!("--count (the terminal has {remaining} transactions left)"),
            Error::CounterExhausted,
        ));
    }
    Ok(())
}

fn transaction(ksn: &[u8], counter: u32, key: &[u8]) -> Value {
    let mut m = Map::new();
    m.insert("ksn".to_owned(), Value::String(hex::encode_upper(ksn)));
    m.insert("counter".to_owned(), Value::from(counter));
    m.insert("key".to_owned(), Value::String(hex::encode_upper(key)));
    Value::Object(m)
}

fn tdes_cmd(cmd: TdesCmd) -> Result<Report, CliError> {
    match cmd {
        TdesCmd::Data(c) => super::dukpt_data::run_tdes(c),
        TdesCmd::Ipek { bdk, ksn } => {
            let bdk = tdes_key("--bdk", &bdk)?;
            let ksn = tdes_ksn(&ksn)?;
            let ipek = tdes::derive_initial_key(&bdk, &ksn).for_input("--bdk")?;
            Ok(Report::new()
                .hex("initial_ksn", ksn.initial_key_id().as_bytes())
                .hex("ipek", ipek.expose_secret()))
        }
        TdesCmd::Key {
            bdk,
            initial_key,
            ksn,
            variant,
        } => {
            let ksn = tdes_ksn(&ksn)?;
            let key = match (bdk, initial_key) {
                (Some(b), None) => {
                    tdes::derive_working_key_from_bdk(&tdes_key("--bdk", &b)?, &ksn, variant)
                        .for_input("--bdk")?
                }
                (None, Some(i)) => {
                    tdes::derive_working_key(&tdes_key("--initial-key", &i)?, &ksn, variant)
                        .for_input("--initial-key")?
                }
                _ => {
                    return Err(CliError::Usage(
                        "give one of --bdk and --initial-key".to_owned(),
                    ));
                }
            };
            Ok(Report::new()
                .hex("ksn", ksn.as_bytes())
                .value("counter", ksn.counter())
                .hex("key", key.expose_secret()))
        }
        TdesCmd::Terminal {
            initial_key,
            ksn,
            state,
            count,
            variant,
            save,
        } => {
            let mut terminal = match (initial_key, ksn, state) {
                (Some(i), Some(k), None) => {
                    TdesTerminal::load_initial_key(&tdes_key("--initial-key", &i)?, &tdes_ksn(&k)?)
                        .for_input("--initial-key (16 bytes)")?
                }
                (None, None, Some(path)) => {
                    load_state(&path, Kind::Tdes, TdesTerminal::from_bytes)?
                }
                _ => {
                    return Err(CliError::Usage(
                        "give --initial-key and --ksn, or --state".to_owned(),
                    ));
                }
            };
            check_count(count, terminal.remaining())?;
            let mut list = Vec::new();
            for _ in 0..count {
                let (k, key) = terminal.next_transaction(variant).for_input("terminal")?;
                list.push(transaction(k.as_bytes(), k.counter(), key.expose_secret()));
            }
            if let Some(path) = save {
                write_state(&path, &terminal.to_bytes()[..])?;
            }
            let report = Report::new().value("transactions", Value::Array(list));
            Ok(match terminal.current_ksn() {
                Ok(next) => report
                    .hex("next_ksn", next.as_bytes())
                    .value("remaining", terminal.remaining()),
                Err(_) => report.value("exhausted", true),
            })
        }
        TdesCmd::Ksn { ksn } => {
            let ksn = tdes_ksn(&ksn)?;
            let report = Report::new()
                .hex("ksn", ksn.as_bytes())
                .hex("initial_ksn", ksn.initial_key_id().as_bytes())
                .value("counter", ksn.counter())
                .value("usable", ksn.is_usable())
                .value("remaining", ksn.remaining());
            Ok(match ksn.next() {
                Some(n) => report.hex("next_ksn", n.as_bytes()),
                None => report.value("next_ksn", Value::Null),
            })
        }
    }
}

fn aes_cmd(cmd: AesCmd) -> Result<Report, CliError> {
    match cmd {
        AesCmd::Data(c) => super::dukpt_data::run_aes(c),
        AesCmd::InitialKey { bdk, id } => {
            let bdk = aes_key("--bdk", &bdk)?;
            let id = initial_key_id(&id)?;
            let ik = aes::derive_initial_key(&bdk, &id).for_input("--bdk")?;
            Ok(Report::new()
                .hex("initial_key_id", id.as_bytes())
                .hex("initial_key", ik.expose_secret()))
        }
        AesCmd::Key {
            bdk,
            initial_key,
            ksn,
            key_type,
            usage,
        } => {
            let ksn = aes_ksn(&ksn)?;
            let key = match (bdk, initial_key) {
                (Some(b), None) => {
                    aes::derive_working_key_from_bdk(&aes_key("--bdk", &b)?, &ksn, key_type, usage)
                }
                (None, Some(i)) => {
                    aes::derive_working_key(&aes_key("--initial-key", &i)?, &ksn, key_type, usage)
                }
                _ => {
                    return Err(CliError::Usage(
                        "give one of --bdk and --initial-key".to_owned(),
                    ));
                }
            }
            .map_err(|e| {
                refused(
                    "--key-type",
                    format!(
                        "{} for {}: the key type may be no stronger than the initial key, and HMAC only for MAC usages",
                        key_type.name(),
                        usage.name()
                    ),
                    e,
                )
            })?;
            Ok(Report::new()
                .hex("ksn", ksn.as_bytes())
                .value("counter", ksn.counter())
                .value("key_type", key_type.name())
                .value("usage", usage.name())
                .hex("key", key.expose_secret()))
        }
        AesCmd::UpdateKey {
            bdk,
            initial_key,
            id,
            key_type,
        } => {
            let id = initial_key_id(&id)?;
            let ik = match (bdk, initial_key) {
                (Some(b), None) => {
                    aes::derive_initial_key(&aes_key("--bdk", &b)?, &id).for_input("--bdk")?
                }
                (None, Some(i)) => aes_key("--initial-key", &i)?,
                _ => {
                    return Err(CliError::Usage(
                        "give one of --bdk and --initial-key".to_owned(),
                    ));
                }
            };
            let key = aes::derive_update_key(&ik, &id, key_type).map_err(|e| {
                refused(
                    "--key-type",
                    format!(
                        "{}: the update key is no stronger than the initial key, and not HMAC",
                        key_type.name()
                    ),
                    e,
                )
            })?;
            Ok(Report::new()
                .hex("initial_key_id", id.as_bytes())
                .value("key_type", key_type.name())
                .hex("update_key", key.expose_secret()))
        }
        AesCmd::Terminal {
            initial_key,
            ksn,
            state,
            count,
            key_type,
            usage,
            save,
        } => {
            let mut terminal = match (initial_key, ksn, state) {
                (Some(i), Some(k), None) => {
                    AesTerminal::load_initial_key(&aes_key("--initial-key", &i)?, &aes_ksn(&k)?)
                        .for_input("--initial-key")?
                }
                (None, None, Some(path)) => load_state(&path, Kind::Aes, AesTerminal::from_bytes)?,
                _ => {
                    return Err(CliError::Usage(
                        "give --initial-key and --ksn, or --state".to_owned(),
                    ));
                }
            };
            aes::check_working_key(terminal.key_length(), key_type, usage).for_input(
                "--key-type (no stronger than the initial key; HMAC for MAC usages only)",
            )?;
            check_count(count, terminal.remaining())?;
            let mut list = Vec::new();
            for _ in 0..count {
                let (k, key) = terminal
                    .next_transaction(key_type, usage)
                    .for_input("terminal")?;
                list.push(transaction(k.as_bytes(), k.counter(), key.expose_secret()));
            }
            if let Some(path) = save {
                write_state(&path, &terminal.to_bytes()[..])?;
            }
            let report = Report::new().value("transactions", Value::Array(list));
            Ok(match terminal.current_ksn() {
                Ok(next) => report
                    .hex("next_ksn", next.as_bytes())
                    .value("remaining", terminal.remaining()),
                Err(_) => report.value("exhausted", true),
            })
        }
        AesCmd::Ksn { ksn } => {
            let ksn = aes_ksn(&ksn)?;
            let id = ksn.initial_key_id();
            let report = Report::new()
                .hex("ksn", ksn.as_bytes())
                .hex("initial_key_id", id.as_bytes())
                .value("bdk_id", format!("{:08X}", id.bdk_id()))
                .value("derivation_id", format!("{:08X}", id.derivation_id()))
                .value("counter", ksn.counter())
                .value("usable", ksn.is_usable())
                .value("remaining", ksn.remaining());
            Ok(match ksn.next() {
                Some(n) => report.hex("next_ksn", n.as_bytes()),
                None => report.value("next_ksn", Value::Null),
            })
        }
    }
}
