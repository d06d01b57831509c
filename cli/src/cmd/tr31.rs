//! `paykernel tr31 inspect|unwrap|wrap`: ANSI X9.143 / TR-31 key blocks.
//!
//! `inspect` reads a block's header and optional blocks without any key.
//! `unwrap` checks the block under the KBPK and prints the header and the
//! key's check value; the key itself only with `--show-key`. `wrap` makes a
//! block with random padding that masks the key's length (or the padding
//! given with `--pad`, for known answers). Keys go through `key_arg`
//! (`@PATH`, `env:NAME`, `-`), and so may blocks (`--block @PATH`).

use clap::Subcommand;
use getrandom::SysRng;
use paykernel::keyblock::{Algorithm, Header, Kbpk, KeyBlock, MAX_BLOCK_LEN, padding_len};
use paykernel::{AesKey, Error, KcvMethod, TdesKey};
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::input::{CliError, Context, bytes, hex_arg, key_arg, refused, secret_text};
use crate::report::Report;

/// Options of `paykernel tr31`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    cmd: Tr31Cmd,
}

#[derive(Debug, Subcommand)]
enum Tr31Cmd {
    /// Show a key block's header and optional blocks (no key needed).
    Inspect {
        /// The key block (text; or @PATH, env:NAME, - for standard input).
        #[arg(long)]
        block: String,
    },
    /// Unwrap a key block: check its MAC under the KBPK, show its header and the key's check value.
    Unwrap {
        /// The key block protection key in hex (A, B, C: 16 or 24 bytes; D:
        /// 16, 24 or 32); or @PATH, env:NAME, - (standard input).
        #[arg(long)]
        kbpk: String,
        /// The key block (text; or @PATH, env:NAME, - for standard input).
        #[arg(long)]
        block: String,
        /// Also print the key itself (it is a secret: mind the terminal and
        /// its scrollback). Without it only the key's check value is shown.
        #[arg(long)]
        show_key: bool,
    },
    /// Wrap a key into a key block under a KBPK.
    Wrap {
        /// The key block protection key in hex (A, B, C: 16 or 24 bytes; D:
        /// 16, 24 or 32); or @PATH, env:NAME, - (standard input).
        #[arg(long)]
        kbpk: String,
        /// The header: 16 characters and its optional blocks (length field
        /// 0000; it is filled in).
        #[arg(long)]
        header: String,
        /// The key to wrap, in hex; or @PATH, env:NAME, -.
        #[arg(long)]
        key: String,
        /// Random padding that makes the key look this many bytes long
        /// (default: the longest key of the header's algorithm).
        #[arg(long, conflicts_with = "pad")]
        masked_key_len: Option<usize>,
        /// The padding itself, in hex, instead of random padding (known answers).
        #[arg(long)]
        pad: Option<String>,
    },
}

/// `paykernel tr31`.
pub fn run(a: Args, json: bool) -> Result<Report, CliError> {
    match a.cmd {
        Tr31Cmd::Inspect { block } => inspect(&block, json),
        Tr31Cmd::Unwrap {
            kbpk,
            block,
            show_key,
        } => unwrap(&kbpk, &block, show_key, json),
        Tr31Cmd::Wrap {
            kbpk,
            header,
            key,
            masked_key_len,
            pad,
        } => wrap(&kbpk, &header, &key, masked_key_len, pad.as_deref()),
    }
}

/// The text of `--block`: the value, a file, or standard input, trimmed.
fn block_text(s: &str) -> Result<String, CliError> {
    let t = secret_text("--block", s)?;
    Ok(t.trim_end_matches(['\r', '\n']).to_owned())
}

/// "B1 (Initial DUKPT Key (IK/IPEK))" style: the code and what it means.
fn described(code: &str, description: &str) -> String {
    format!("{code} ({description})")
}

/// The header's fields, one report line each (text) or one member each
/// (JSON: the codes alone, as the block has them).
fn header_report(mut r: Report, h: &Header<'_>, json: bool) -> Report {
    let v = h.version();
    let version = match v {
        paykernel::keyblock::Version::A => "TDES key variant binding, deprecated",
        paykernel::keyblock::Version::B => "TDES key derivation binding",
        paykernel::keyblock::Version::C => "TDES key variant binding",
        paykernel::keyblock::Version::D => "AES key derivation binding",
    };
    let kv = h.key_version();
    let kv_text = if kv.is_unused() {
        "not used".to_owned()
    } else if let Some(c) = kv.component() {
        format!("key component {}", char::from(c))
    } else {
        "key version".to_owned()
    };
    let fields: [(&str, String, String); 6] = [
        ("version_id", v.to_string(), version.to_owned()),
        (
            "key_usage",
            h.key_usage().to_string(),
            h.key_usage().description().to_owned(),
        ),
        (
            "algorithm",
            h.algorithm().to_string(),
            h.algorithm().description().to_owned(),
        ),
        (
            "mode_of_use",
            h.mode_of_use().to_string(),
            h.mode_of_use().description().to_owned(),
        ),
        ("version_num", kv.to_string(), kv_text),
        (
            "exportability",
            h.exportability().to_string(),
            h.exportability().description().to_owned(),
        ),
    ];
    for (name, code, description) in fields {
        r = if json {
            r.value(name, code)
        } else {
            r.value(name, described(&code, &description))
        };
    }
    let [a, b] = h.reserved();
    r = r.value("reserved", format!("{}{}", char::from(a), char::from(b)));
    if json {
        let mut blocks = Vec::new();
        for ob in h.optional_blocks() {
            let mut m = Map::new();
            m.insert("id".to_owned(), Value::String(ob.id().to_string()));
            m.insert("data".to_owned(), Value::String(ob.data().to_owned()));
            m.insert("extended_length".to_owned(), Value::Bool(ob.is_extended()));
            blocks.push(Value::Object(m));
        }
        r.value("optional_blocks", Value::Array(blocks))
    } else {
        let blocks: Vec<Value> = h
            .optional_blocks()
            .map(|ob| Value::String(format!("{} {}", ob.id(), ob.data())))
            .collect();
        if blocks.is_empty() {
            r.value("optional_blocks", "none")
        } else {
            r.value("optional_blocks", Value::Array(blocks))
        }
    }
}

fn inspect(block: &str, json: bool) -> Result<Report, CliError> {
    let text = block_text(block)?;
    let kb = KeyBlock::parse(text.as_bytes()).map_err(block_error)?;
    let r = Report::new().value("length", kb.as_bytes().len());
    let r = header_report(r, kb.header(), json);
    Ok(r.value("key_data_len", kb.key_data_len()))
}

fn unwrap(kbpk: &str, block: &str, show_key: bool, json: bool) -> Result<Report, CliError> {
    let kbpk_bytes = Zeroizing::new(key_arg("--kbpk", kbpk)?);
    let text = block_text(block)?;
    let kb = KeyBlock::parse(text.as_bytes()).map_err(block_error)?;
    let kbpk = kbpk_for(&kbpk_bytes, kb.header().version())?;
    let mut work = Zeroizing::new(vec![0u8; kb.key_data_len()]);
    let key = match kbpk.unwrap(&kb, &mut work) {
        Ok(k) => k,
        // A failed verification (exit 1), as `record verify` reports one.
        Err(Error::BadMac) => {
            return Ok(Report::new()
                .valid(false)
                .value("error", Error::BadMac.kind())
                .value(
                    "reason",
                    "the MAC does not check out: a wrong --kbpk, or a changed --block",
                ));
        }
        Err(e @ Error::InvalidKeyBlock) => return Err(block_error(e)),
        Err(e) => return Err(CliError::kernel("--block", e)),
    };
    let mut r = header_report(Report::new().valid(true), key.header(), json);
    r = r.value("key_length", key.key_len());
    let secret = key.expose_secret();
    let kcv = match key.header().algorithm() {
        Algorithm::Tdes | Algorithm::Des => TdesKey::from_slice(secret)
            .and_then(|k| k.kcv(KcvMethod::EncryptZeros, 3))
            .ok(),
        Algorithm::Aes => AesKey::from_slice(secret)
            .and_then(|k| k.kcv(KcvMethod::CmacZeros, 5))
            .ok(),
        _ => None,
    };
    r = match kcv {
        Some(k) => r.hex("kcv", k.as_bytes()),
        None => r.value("kcv", "none (not a TDES or AES key)"),
    };
    if show_key {
        r = r.hex("key", secret);
    }
    Ok(r)
}

fn wrap(
    kbpk: &str,
    header: &str,
    key: &str,
    masked_key_len: Option<usize>,
    pad: Option<&str>,
) -> Result<Report, CliError> {
    let kbpk_bytes = Zeroizing::new(key_arg("--kbpk", kbpk)?);
    let key = Zeroizing::new(key_arg("--key", key)?);
    let h = Header::parse(header.as_bytes()).map_err(|e| {
        refused(
            "--header",
            "not an X9.143 / TR-31 header (16 characters: version, length, usage, algorithm, mode of use, key version, exportability, optional block count, reserved; then its optional blocks)",
            e,
        )
    })?;
    let kbpk = kbpk_for(&kbpk_bytes, h.version())?;
    let mut out = vec![0u8; MAX_BLOCK_LEN];
    let block = match pad {
        Some(p) => {
            let p = Zeroizing::new(hex_arg("--pad", p, None)?);
            kbpk.wrap(header.as_bytes(), &key, &p, &mut out)
                .map_err(|e| wrap_error(e, h.version(), key.len(), p.len()))?
        }
        None => {
            if let Some(m) = masked_key_len {
                padding_len(h.version(), key.len(), m).map_err(|e| {
                    refused(
                        "--masked-key-len",
                        format!("{m}; at least the key's length ({})", bytes(key.len())),
                        e,
                    )
                })?;
            }
            kbpk.wrap_random(
                header.as_bytes(),
                &key,
                masked_key_len,
                &mut SysRng,
                &mut out,
            )
            .for_input("--key")?
        }
    };
    Ok(Report::new().value("key_block", String::from_utf8_lossy(block).into_owned()))
}

/// The KBPK for a block of `version`: TDES (16 or 24 bytes) for A, B and
/// C, AES (16, 24 or 32) for D.
fn kbpk_for(key: &[u8], version: paykernel::keyblock::Version) -> Result<Kbpk, CliError> {
    Kbpk::from_slice(key, version).map_err(|e| {
        let takes = if version.uses_tdes() {
            "a TDES key of 16 or 24 bytes"
        } else {
            "an AES key of 16, 24 or 32 bytes"
        };
        refused(
            "--kbpk",
            format!(
                "{}; a version {version} block takes {takes}",
                bytes(key.len())
            ),
            e,
        )
    })
}

/// A key block that breaks the format.
fn block_error(e: Error) -> CliError {
    refused(
        "--block",
        "not a well-formed X9.143 / TR-31 key block (header, optional blocks, hex key data and MAC, lengths as the header says)",
        e,
    )
}

/// Names the option behind a refused wrap with given padding.
fn wrap_error(
    e: Error,
    v: paykernel::keyblock::Version,
    key_len: usize,
    pad_len: usize,
) -> CliError {
    match e {
        Error::InvalidLength
            if key_len > 0 && !(2 + key_len + pad_len).is_multiple_of(v.block_len()) =>
        {
            CliError::Usage(format!(
                "--pad: 2 + key length ({key_len}) + padding ({pad_len}) must be whole {}-byte blocks",
                v.block_len()
            ))
        }
        e => CliError::kernel("--key", e),
    }
}
