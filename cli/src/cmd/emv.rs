//! `paykernel emv`: ICC master keys, session keys, application
//! cryptograms, ARQC verification and ARPC (EMV Book 2 Annex A); and the
//! card schemes' cryptogram versions: `verify-arqc --cvn` checks the ARQC
//! of DE 55 and answers with the ARPC.

use clap::{Subcommand, ValueEnum};
use paykernel::emv::{
    self, AC_DATA, AcPadding, AcSessionKey, AcTail, ArpcMethod, AuthorisationResponse, Cvn,
    CvrSource, Emv2000Tree, MasterKeyOption, ObjectSpec, Psn,
};
use paykernel::tlv::Tlv;
use paykernel::{Error, KcvMethod, Pan, TdesKey};

use crate::input::{
    CliError, Context, bytes, hex_arg, pan_arg, refused, secret_hex_arg, tdes_key16, unused,
};
use crate::report::Report;

/// Options of `paykernel emv`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: EmvCmd,
}

#[derive(Debug, Subcommand)]
enum EmvCmd {
    /// Derive the ICC master key from an issuer master key (Book 2 A1.4);
    /// prints the derived key (an operator tool) and its check value.
    IccMk {
        /// Derivation option: A, or B (for PANs of more than 16 digits).
        #[arg(long, value_enum)]
        option: OptionArg,
        /// The issuer master key (16 bytes) in hex; or @PATH, env:NAME, -
        /// (standard input).
        #[arg(long)]
        imk: String,
        /// The PAN (12 to 19 digits); or @PATH, env:NAME, -.
        #[arg(long)]
        pan: String,
        /// The PAN sequence number (two digits).
        #[arg(long, default_value = "00")]
        psn: String,
    },
    /// Derive a session key from an ICC master key (Book 2 A1.3); prints
    /// the derived key (an operator tool) and its check value.
    SessionKey {
        /// common (R), visa-sm (ATC) or emv2000-tree (ATC, tree).
        #[arg(long, value_enum)]
        method: MethodArg,
        /// The ICC master key (16 bytes) in hex; or @PATH, env:NAME, -
        /// (standard input).
        #[arg(long)]
        mk: String,
        /// common: the 8-byte diversification value R in hex (or give
        /// --atc: R is then the ATC followed by six zero bytes).
        #[arg(long)]
        r: Option<String>,
        /// The application transaction counter, 2 bytes in hex.
        #[arg(long)]
        atc: Option<String>,
        /// emv2000-tree: the tree height (default 8).
        #[arg(long)]
        height: Option<u32>,
        /// emv2000-tree: the branch factor (default 4).
        #[arg(long)]
        branch_factor: Option<u32>,
        /// emv2000-tree: the 16-byte IV in hex (default all zero).
        #[arg(long)]
        iv: Option<String>,
    },
    /// Generate an application cryptogram (ARQC, TC or AAC).
    Ac(AcArgs),
    /// Check an ARQC (exit 1 when it is not valid): by recomputing it over
    /// --data under --sk, or, with --cvn, from DE 55 under the issuer
    /// master key, printing the decoded tags, the verdict and the ARPC.
    VerifyArqc(Box<VerifyArqcArgs>),
    /// Generate the issuer's ARPC (Book 2 8.2).
    Arpc {
        /// ARPC method: 1 (ARC) or 2 (CSU and proprietary data).
        #[arg(long, value_enum)]
        method: ArpcMethodArg,
        /// The AC session key (16 bytes) in hex; or @PATH, env:NAME, -.
        #[arg(long)]
        sk: String,
        /// The ARQC (8 bytes) in hex.
        #[arg(long)]
        arqc: String,
        /// Method 1: the authorisation response code, 2 bytes in hex.
        #[arg(long)]
        arc: Option<String>,
        /// Method 2: the card status update, 4 bytes in hex.
        #[arg(long)]
        csu: Option<String>,
        /// Method 2: proprietary authentication data, 0 to 8 bytes in hex
        /// (default none).
        #[arg(long)]
        prop: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
struct AcArgs {
    /// The AC session key (16 bytes) in hex; or @PATH, env:NAME, -
    /// (standard input).
    #[arg(long)]
    sk: String,
    /// The cryptogram data (the data elements the scheme selects) in hex.
    #[arg(long)]
    data: String,
    /// ISO/IEC 9797-1 padding method: 1 (Visa) or 2 (EMV).
    #[arg(long, default_value_t = 2)]
    padding: u64,
    /// Cryptogram length in bytes, 1 to 8.
    #[arg(long, default_value_t = 8)]
    len: usize,
}

/// `verify-arqc`: the session-key form (--sk, --data, --arqc) or the
/// cryptogram-version form (--cvn, --de55, --imk-ac, --pan).
#[derive(Debug, clap::Args)]
struct VerifyArqcArgs {
    /// The AC session key (16 bytes) in hex; or @PATH, env:NAME, -.
    #[arg(long, required_unless_present = "cvn", conflicts_with = "cvn")]
    sk: Option<String>,
    /// The cryptogram data (the data elements the scheme selects) in hex.
    #[arg(long, required_unless_present = "cvn", conflicts_with = "cvn")]
    data: Option<String>,
    /// ISO/IEC 9797-1 padding method: 1 (Visa) or 2 (EMV).
    #[arg(long, default_value_t = 2, conflicts_with = "cvn")]
    padding: u64,
    /// Cryptogram length in bytes, 4 to 8 (a shorter one is guessed too
    /// easily).
    #[arg(long, default_value_t = 8, conflicts_with = "cvn")]
    len: usize,
    /// The ARQC to check, in hex (exactly --len bytes); with --cvn it is
    /// 9F26 of DE 55.
    #[arg(long, required_unless_present = "cvn", conflicts_with = "cvn")]
    arqc: Option<String>,
    /// The cryptogram version: visa-10, visa-18, visa-22, interac-133,
    /// mastercard-16, mastercard-17, mastercard-20, mastercard-21.
    #[arg(long, requires_all = ["de55", "imk_ac", "pan"])]
    cvn: Option<String>,
    /// DE 55 (ICC data, BER-TLV) in hex, with 9F26 and the data objects
    /// the CVN's cryptogram covers; or @PATH, env:NAME, - (it may carry
    /// the PAN and track 2). Printed with the PAN and track data masked.
    #[arg(long, requires = "cvn")]
    de55: Option<String>,
    /// The issuer master key for AC (16 bytes; hex, @PATH, env:NAME or -).
    #[arg(long, requires = "cvn")]
    imk_ac: Option<String>,
    /// The PAN (12 to 19 digits); or @PATH, env:NAME, -.
    #[arg(long, requires = "cvn")]
    pan: Option<String>,
    /// The PAN sequence number (two digits).
    #[arg(long, default_value = "00", requires = "cvn")]
    psn: String,
    /// The CVR in hex (4 bytes Visa 10, 6 Mastercard); default: read from
    /// 9F10 (Visa: bytes 4-7; M/Chip 4: bytes 3-8).
    #[arg(long, requires = "cvn")]
    cvr: Option<String>,
    /// Mastercard 17/21: the counters (8 or 16 bytes) in hex, with --cvr;
    /// default: bytes 11-18 of 9F10.
    #[arg(long, requires = "cvr")]
    counters: Option<String>,
    /// ARPC method 1 CVNs: the authorisation response code, 2 bytes in hex.
    #[arg(long, requires = "cvn")]
    arc: Option<String>,
    /// Visa 18/22 (ARPC method 2): the card status update, 4 bytes in hex.
    #[arg(long, requires = "cvn")]
    csu: Option<String>,
    /// Visa 18/22: proprietary authentication data, 0 to 8 bytes in hex.
    #[arg(long, requires = "cvn")]
    prop: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OptionArg {
    #[value(name = "A", alias = "a")]
    A,
    #[value(name = "B", alias = "b")]
    B,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum MethodArg {
    Common,
    VisaSm,
    Emv2000Tree,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ArpcMethodArg {
    #[value(name = "1")]
    One,
    #[value(name = "2")]
    Two,
}

/// Exactly `N` bytes of hex from option `what`.
fn fixed<const N: usize>(what: &str, s: &str) -> Result<[u8; N], CliError> {
    let b = hex_arg(what, s, None)?;
    <[u8; N]>::try_from(b.as_slice()).map_err(|_| {
        refused(
            what,
            format!("{}; it must be {N} bytes", bytes(b.len())),
            Error::InvalidLength,
        )
    })
}

/// A 16-byte EMV key from option `what`.
fn key16(what: &str, s: &str) -> Result<TdesKey, CliError> {
    tdes_key16(what, s)
}

/// A derived key and its check value (3 bytes, encrypting zeros).
fn key_report(name: &str, key: &TdesKey) -> Result<Report, CliError> {
    let kcv = key.kcv(KcvMethod::EncryptZeros, 3).for_input("")?;
    Ok(Report::new()
        .hex(name, key.expose_secret())
        .hex("kcv", kcv.as_bytes()))
}

fn session_key(a: &AcArgs) -> Result<AcSessionKey, CliError> {
    AcSessionKey::new(&key16("--sk", &a.sk)?).for_input("--sk")
}

fn ac_inputs(data: &str, padding: u64) -> Result<(Vec<u8>, AcPadding), CliError> {
    let data = hex_arg("--data", data, None)?;
    let padding = AcPadding::from_number(padding).map_err(|e| {
        refused(
            "--padding",
            format!("{padding}; a cryptogram is padded by ISO/IEC 9797-1 method 1 or 2"),
            e,
        )
    })?;
    Ok((data, padding))
}

/// The data objects of DE 55 the CVN's cryptogram needs, each present
/// with a length EMV allows: names the first that is not (the kernel's
/// refusal only says that one is missing or of the wrong length).
fn check_de55(cvn: Cvn, tlv: &Tlv<'_>, cvr_from_iad: bool) -> Result<(), CliError> {
    const CRYPTOGRAM: ObjectSpec = ObjectSpec {
        tag: &[0x9F, 0x26],
        min: 8,
        max: 8,
    };
    // 9F10 where the AC data takes it whole, or the CVR (and counters)
    // are read from it: up to the end of the field read.
    let iad_min = match (cvn.ac_tail(), cvr_from_iad) {
        (AcTail::Iad, _) => Some(1),
        (AcTail::Cvr4, true) => Some(7),
        (AcTail::Cvr6, true) => Some(8),
        (AcTail::Cvr6Counters, true) => Some(18),
        _ => None,
    };
    let iad = iad_min.map(|min| ObjectSpec {
        tag: &[0x9F, 0x10],
        min,
        max: 32,
    });
    for spec in AC_DATA.iter().chain([&CRYPTOGRAM]).chain(iad.as_ref()) {
        let tag = hex::encode_upper(spec.tag);
        let name = crate::cmd::tlv::name(&tag).unwrap_or("");
        let len = match tlv.find(spec.tag) {
            None => {
                return Err(refused(
                    "--de55",
                    format!("{tag} {name} is missing: {cvn}'s cryptogram covers it"),
                    Error::InvalidTlv,
                ));
            }
            Some(v) => v.len(),
        };
        if !(spec.min..=spec.max).contains(&len) {
            let want = if spec.min == spec.max {
                bytes(spec.min)
            } else {
                format!("{} to {} bytes", spec.min, spec.max)
            };
            let why = if spec.tag == [0x9F, 0x10] && spec.min > 1 {
                format!(
                    "; {cvn} reads the CVR{} from it (or give --cvr)",
                    if spec.min == 18 { " and counters" } else { "" }
                )
            } else {
                String::new()
            };
            return Err(refused(
                "--de55",
                format!("{tag} {name} has {}; it has {want}{why}", bytes(len)),
                Error::InvalidLength,
            ));
        }
    }
    Ok(())
}

/// An option that clap guarantees in this form.
fn given<'a>(v: &'a Option<String>, what: &str) -> Result<&'a str, CliError> {
    v.as_deref()
        .ok_or_else(|| CliError::Usage(format!("{what} is needed")))
}

/// `verify-arqc` with a session key over the cryptogram data.
fn verify_with_sk(a: &VerifyArqcArgs) -> Result<Report, CliError> {
    let sk = AcSessionKey::new(&key16("--sk", given(&a.sk, "--sk")?)?).for_input("--sk")?;
    let (data, padding) = ac_inputs(given(&a.data, "--data")?, a.padding)?;
    if !(emv::MIN_AC_LEN..=8).contains(&a.len) {
        return Err(refused(
            "--len",
            format!(
                "{}; a cryptogram is checked on 4 to 8 bytes (fewer are guessed too easily)",
                a.len
            ),
            Error::InvalidLength,
        ));
    }
    let arqc = hex_arg("--arqc", given(&a.arqc, "--arqc")?, None)?;
    let valid = sk
        .verify_ac(&data, padding, &arqc, a.len)
        .for_input("--len (4 to 8: a shorter cryptogram is guessed too easily)")?;
    Ok(Report::new().valid(bool::from(valid)))
}

/// `verify-arqc --cvn`: the issuer's whole check from DE 55.
fn verify_with_cvn(a: &VerifyArqcArgs, cvn: &str, json: bool) -> Result<Report, CliError> {
    let cvn: Cvn = cvn.parse().for_input(
        "--cvn (visa-10, visa-18, visa-22, interac-133, mastercard-16, mastercard-17, \
         mastercard-20 or mastercard-21)",
    )?;
    // An option this CVN would ignore is refused, naming it.
    let ignored = |opt: &str, why: &str| -> Result<(), CliError> {
        Err(unused(opt, &format!("{cvn} {why}")))
    };
    match cvn.ac_tail() {
        AcTail::Iad if a.cvr.is_some() => ignored("--cvr", "MACs the whole 9F10")?,
        AcTail::Cvr4 | AcTail::Cvr6 if a.counters.is_some() => {
            ignored("--counters", "has no counters in its cryptogram")?;
        }
        _ => {}
    }
    match cvn.arpc_method() {
        ArpcMethod::Method1(_) if a.csu.is_some() => {
            ignored("--csu", "answers with ARPC method 1 (--arc)")?;
        }
        ArpcMethod::Method1(_) if a.prop.is_some() => {
            ignored("--prop", "answers with ARPC method 1 (--arc)")?;
        }
        ArpcMethod::Method2 if a.arc.is_some() => {
            ignored("--arc", "answers with ARPC method 2 (--csu)")?;
        }
        _ => {}
    }
    let imk = key16("--imk-ac", given(&a.imk_ac, "--imk-ac")?)?;
    let pan: Pan = pan_arg("--pan", given(&a.pan, "--pan")?)?;
    let psn: Psn = psn_arg(&a.psn)?;
    let de55 = secret_hex_arg("--de55", given(&a.de55, "--de55")?, None)?;
    let tlv = Tlv::parse(&de55)
        .map_err(|e| refused("--de55", "not well-formed BER-TLV (EMV Book 3 Annex B)", e))?;
    let cvr = match &a.cvr {
        Some(c) => hex_arg("--cvr", c, None)?,
        None => Vec::new(),
    };
    let counters = match &a.counters {
        Some(c) => hex_arg("--counters", c, None)?,
        None => Vec::new(),
    };
    let cvr_len = match cvn.ac_tail() {
        AcTail::Cvr4 => 4,
        _ => 6,
    };
    if a.cvr.is_some() && cvr.len() != cvr_len {
        return Err(refused(
            "--cvr",
            format!("{}; {cvn}'s CVR is {cvr_len} bytes", bytes(cvr.len())),
            Error::InvalidLength,
        ));
    }
    if a.counters.is_some() && !matches!(counters.len(), 8 | 16) {
        return Err(refused(
            "--counters",
            format!(
                "{}; the M/Chip counters are 8 or 16 bytes",
                bytes(counters.len())
            ),
            Error::InvalidLength,
        ));
    }
    if cvn.ac_tail() == AcTail::Cvr6Counters && a.cvr.is_some() && a.counters.is_none() {
        return Err(CliError::Usage(format!(
            "--counters is needed with --cvr: {cvn}'s cryptogram covers the counters"
        )));
    }
    let source = if a.cvr.is_some() {
        CvrSource::Given {
            cvr: &cvr,
            counters: &counters,
        }
    } else {
        CvrSource::FromIad
    };
    let prop = prop_arg(a.prop.as_deref())?;
    check_de55(cvn, &tlv, a.cvr.is_none())?;
    let response = match cvn.arpc_method() {
        ArpcMethod::Method1(_) => {
            let arc = a.arc.as_deref().ok_or_else(|| {
                CliError::Usage(format!("{cvn} answers with ARPC method 1: --arc is needed"))
            })?;
            AuthorisationResponse::Method1 {
                arc: fixed::<2>("--arc", arc)?,
            }
        }
        ArpcMethod::Method2 => {
            let csu = a.csu.as_deref().ok_or_else(|| {
                CliError::Usage(format!("{cvn} answers with ARPC method 2: --csu is needed"))
            })?;
            AuthorisationResponse::Method2 {
                csu: fixed::<4>("--csu", csu)?,
                prop: &prop,
            }
        }
    };
    let answer = cvn
        .authorise(&imk, &pan, psn, &tlv, source, response)
        .map_err(|e| {
            refused(
                "--de55",
                "a data object the cryptogram needs is missing or has a length EMV does not allow",
                e,
            )
        })?;
    let report = Report::new().value("cvn", cvn.name());
    let report = crate::cmd::tlv::add_tags(report, &tlv, json);
    Ok(report
        .valid(answer.valid())
        .hex("arpc", answer.arpc().as_bytes()))
}

/// The PAN sequence number of `--psn`.
fn psn_arg(s: &str) -> Result<Psn, CliError> {
    s.trim()
        .parse()
        .map_err(|e| refused("--psn", "the PAN sequence number is 2 decimal digits", e))
}

/// ARPC method 2's proprietary data, 0 to 8 bytes (none by default).
fn prop_arg(prop: Option<&str>) -> Result<Vec<u8>, CliError> {
    let p = match prop {
        Some(p) => hex_arg("--prop", p, None)?,
        None => Vec::new(),
    };
    if p.len() > 8 {
        return Err(refused(
            "--prop",
            format!("{}; the proprietary data is 0 to 8 bytes", bytes(p.len())),
            Error::InvalidLength,
        ));
    }
    Ok(p)
}

/// Runs `paykernel emv ...`; `json` is the global `--json` flag.
pub fn run(args: Args, json: bool) -> Result<Report, CliError> {
    match args.command {
        EmvCmd::IccMk {
            option,
            imk,
            pan,
            psn,
        } => {
            let imk = key16("--imk", &imk)?;
            let pan: Pan = pan_arg("--pan", &pan)?;
            let psn: Psn = psn_arg(&psn)?;
            let option = match option {
                OptionArg::A => MasterKeyOption::A,
                OptionArg::B => MasterKeyOption::B,
            };
            let mk = emv::derive_icc_master_key(&imk, &pan, psn, option).for_input("--imk")?;
            key_report("mk", &mk)
        }
        EmvCmd::SessionKey {
            method,
            mk,
            r,
            atc,
            height,
            branch_factor,
            iv,
        } => {
            // Options the chosen method does not use are refused.
            let tree_only = [
                ("--height", height.is_some()),
                ("--branch-factor", branch_factor.is_some()),
                ("--iv", iv.is_some()),
            ];
            match method {
                MethodArg::Common | MethodArg::VisaSm => {
                    if let Some((opt, _)) = tree_only.iter().find(|(_, given)| *given) {
                        return Err(unused(opt, "only the emv2000-tree method takes it"));
                    }
                }
                MethodArg::Emv2000Tree => {}
            }
            if r.is_some() && !matches!(method, MethodArg::Common) {
                return Err(unused(
                    "--r",
                    "only the common method takes R; the others derive from --atc",
                ));
            }
            if r.is_some() && atc.is_some() {
                return Err(unused(
                    "--atc",
                    "the common method derives from --r when it is given",
                ));
            }
            let mk = key16("--mk", &mk)?;
            let atc = match atc {
                Some(s) => Some(u16::from_be_bytes(fixed::<2>("--atc", &s)?)),
                None => None,
            };
            let need_atc =
                || atc.ok_or_else(|| CliError::Usage("--atc is needed for this method".to_owned()));
            let sk = match method {
                MethodArg::Common => {
                    let r = match (r, atc) {
                        (Some(r), _) => fixed::<8>("--r", &r)?,
                        (None, Some(atc)) => {
                            let [a, b] = atc.to_be_bytes();
                            [a, b, 0, 0, 0, 0, 0, 0]
                        }
                        (None, None) => {
                            return Err(CliError::Usage("common needs --r or --atc".to_owned()));
                        }
                    };
                    emv::common_session_key(&mk, &r)
                }
                MethodArg::VisaSm => emv::visa_sm_session_key(&mk, need_atc()?),
                MethodArg::Emv2000Tree => {
                    let iv = match iv {
                        Some(s) => fixed::<16>("--iv", &s)?,
                        None => [0u8; 16],
                    };
                    let (h, b) = (height.unwrap_or(8), branch_factor.unwrap_or(4));
                    let tree = Emv2000Tree::new(h, b, &iv).map_err(|e| {
                        refused(
                            "--height",
                            format!("{h} with --branch-factor {b}: the tree has height 1 to 64, branch factor 2 or more, and branch-factor^height at least 65536 (one leaf per ATC)"),
                            e,
                        )
                    })?;
                    emv::emv2000_tree_session_key(&mk, need_atc()?, &tree)
                }
            }
            .for_input("--mk")?;
            key_report("sk", &sk)
        }
        EmvCmd::Ac(a) => {
            let sk = session_key(&a)?;
            let (data, padding) = ac_inputs(&a.data, a.padding)?;
            let ac = sk
                .generate_ac(&data, padding, a.len)
                .for_input("--len (1 to 8)")?;
            Ok(Report::new().hex("ac", ac.as_bytes()))
        }
        EmvCmd::VerifyArqc(a) => match &a.cvn {
            Some(cvn) => verify_with_cvn(&a, cvn, json),
            None => verify_with_sk(&a),
        },
        EmvCmd::Arpc {
            method,
            sk,
            arqc,
            arc,
            csu,
            prop,
        } => {
            match method {
                ArpcMethodArg::One if csu.is_some() => {
                    return Err(unused("--csu", "ARPC method 1 takes --arc"));
                }
                ArpcMethodArg::One if prop.is_some() => {
                    return Err(unused("--prop", "ARPC method 1 takes --arc"));
                }
                ArpcMethodArg::Two if arc.is_some() => {
                    return Err(unused("--arc", "ARPC method 2 takes --csu (and --prop)"));
                }
                _ => {}
            }
            let sk = AcSessionKey::new(&key16("--sk", &sk)?).for_input("--sk")?;
            let arqc = fixed::<8>("--arqc", &arqc)?;
            let arpc = match method {
                ArpcMethodArg::One => {
                    let arc = arc
                        .ok_or_else(|| CliError::Usage("--arc is needed by method 1".to_owned()))?;
                    sk.arpc_method1(&arqc, &fixed::<2>("--arc", &arc)?).to_vec()
                }
                ArpcMethodArg::Two => {
                    let csu = csu
                        .ok_or_else(|| CliError::Usage("--csu is needed by method 2".to_owned()))?;
                    let csu = fixed::<4>("--csu", &csu)?;
                    let prop = prop_arg(prop.as_deref())?;
                    sk.arpc_method2(&arqc, &csu, &prop)
                        .for_input("--prop")?
                        .to_vec()
                }
            };
            Ok(Report::new().hex("arpc", &arpc))
        }
    }
}
