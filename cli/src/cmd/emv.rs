//! `paykernel emv`: ICC master keys, session keys, application
//! cryptograms, ARQC verification and ARPC (EMV Book 2 Annex A); and the
//! card schemes' cryptogram versions: `verify-arqc --cvn` checks the ARQC
//! of DE 55 and answers with the ARPC.

use clap::{Subcommand, ValueEnum};
use paykernel::emv::{
    self, AcPadding, AcSessionKey, AcTail, ArpcMethod, AuthorisationResponse, Cvn, CvrSource,
    Emv2000Tree, MasterKeyOption, Psn,
};
use paykernel::tlv::Tlv;
use paykernel::{Error, KcvMethod, Pan, TdesKey};

use crate::input::{CliError, Context, hex_arg, key_arg};
use crate::report::Report;

/// Options of `paykernel emv`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: EmvCmd,
}

#[derive(Debug, Subcommand)]
enum EmvCmd {
    /// Derive the ICC master key from an issuer master key (Book 2 A1.4).
    IccMk {
        /// Derivation option: A, or B (for PANs of more than 16 digits).
        #[arg(long, value_enum)]
        option: OptionArg,
        /// The issuer master key (16 bytes) in hex.
        #[arg(long)]
        imk: String,
        /// The PAN (12 to 19 digits).
        #[arg(long)]
        pan: String,
        /// The PAN sequence number (two digits).
        #[arg(long, default_value = "00")]
        psn: String,
    },
    /// Derive a session key from an ICC master key (Book 2 A1.3).
    SessionKey {
        /// common (R), visa-sm (ATC) or emv2000-tree (ATC, tree).
        #[arg(long, value_enum)]
        method: MethodArg,
        /// The ICC master key (16 bytes) in hex.
        #[arg(long)]
        mk: String,
        /// common: the 8-byte diversification value R in hex (default:
        /// the ATC followed by six zero bytes).
        #[arg(long)]
        r: Option<String>,
        /// The application transaction counter, 2 bytes in hex.
        #[arg(long)]
        atc: Option<String>,
        /// emv2000-tree: the tree height.
        #[arg(long, default_value_t = 8)]
        height: u32,
        /// emv2000-tree: the branch factor.
        #[arg(long, default_value_t = 4)]
        branch_factor: u32,
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
        /// The AC session key (16 bytes) in hex.
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
        /// Method 2: proprietary authentication data, 0 to 8 bytes in hex.
        #[arg(long, default_value = "")]
        prop: String,
    },
}

#[derive(Debug, clap::Args)]
struct AcArgs {
    /// The AC session key (16 bytes) in hex.
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
    /// The AC session key (16 bytes) in hex.
    #[arg(long, required_unless_present = "cvn", conflicts_with = "cvn")]
    sk: Option<String>,
    /// The cryptogram data (the data elements the scheme selects) in hex.
    #[arg(long, required_unless_present = "cvn", conflicts_with = "cvn")]
    data: Option<String>,
    /// ISO/IEC 9797-1 padding method: 1 (Visa) or 2 (EMV).
    #[arg(long, default_value_t = 2, conflicts_with = "cvn")]
    padding: u64,
    /// Cryptogram length in bytes, 1 to 8.
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
    /// the CVN's cryptogram covers.
    #[arg(long, requires = "cvn")]
    de55: Option<String>,
    /// The issuer master key for AC (16 bytes; hex, @PATH, env:NAME or -).
    #[arg(long, requires = "cvn")]
    imk_ac: Option<String>,
    /// The PAN (12 to 19 digits).
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
    hex_arg(what, s, Some(Error::InvalidLength))?
        .try_into()
        .map_err(|_| CliError::kernel(&format!("{what} (must be {N} bytes)"), Error::InvalidLength))
}

/// A 16-byte EMV key from option `what`.
fn key16(what: &str, s: &str) -> Result<TdesKey, CliError> {
    let key = TdesKey::from_slice(&key_arg(what, s)?).for_input(what)?;
    if key.expose_secret().len() == 16 {
        Ok(key)
    } else {
        Err(CliError::kernel(
            &format!("{what} (must be 16 bytes)"),
            Error::InvalidKey,
        ))
    }
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
    let padding = AcPadding::from_number(padding).for_input("--padding (1 or 2)")?;
    Ok((data, padding))
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
    let imk = key16("--imk-ac", given(&a.imk_ac, "--imk-ac")?)?;
    let pan: Pan = given(&a.pan, "--pan")?.parse().for_input("--pan")?;
    let psn: Psn = a.psn.parse().for_input("--psn")?;
    let de55 = hex_arg("--de55", given(&a.de55, "--de55")?, None)?;
    let tlv = Tlv::parse(&de55).for_input("--de55 (BER-TLV)")?;
    let cvr = match &a.cvr {
        Some(c) => hex_arg("--cvr", c, None)?,
        None => Vec::new(),
    };
    let counters = match &a.counters {
        Some(c) => hex_arg("--counters", c, None)?,
        None => Vec::new(),
    };
    let source = if a.cvr.is_some() {
        CvrSource::Given {
            cvr: &cvr,
            counters: &counters,
        }
    } else {
        CvrSource::FromIad
    };
    // An option this CVN would ignore is refused, naming it.
    let unused = |opt: &str, why: &str| -> Result<(), CliError> {
        Err(CliError::Usage(format!("{opt}: {cvn} {why}")))
    };
    match cvn.ac_tail() {
        AcTail::Iad if a.cvr.is_some() => unused("--cvr", "MACs the whole 9F10")?,
        AcTail::Cvr4 | AcTail::Cvr6 if a.counters.is_some() => {
            unused("--counters", "has no counters in its cryptogram")?;
        }
        _ => {}
    }
    match cvn.arpc_method() {
        ArpcMethod::Method1(_) if a.csu.is_some() => {
            unused("--csu", "answers with ARPC method 1 (--arc)")?;
        }
        ArpcMethod::Method1(_) if a.prop.is_some() => {
            unused("--prop", "answers with ARPC method 1 (--arc)")?;
        }
        ArpcMethod::Method2 if a.arc.is_some() => {
            unused("--arc", "answers with ARPC method 2 (--csu)")?;
        }
        _ => {}
    }
    let prop = match &a.prop {
        Some(p) => hex_arg("--prop", p, None)?,
        None => Vec::new(),
    };
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
        .for_input("--de55 (the data objects of the CVN) / --cvr / --counters / --prop")?;
    let report = Report::new().value("cvn", cvn.name());
    let report = crate::cmd::tlv::add_tags(report, &tlv, json);
    Ok(report
        .valid(answer.valid())
        .hex("arpc", answer.arpc().as_bytes()))
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
            let pan: Pan = pan.parse().for_input("--pan")?;
            let psn: Psn = psn.parse().for_input("--psn")?;
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
                    let tree = Emv2000Tree::new(height, branch_factor, &iv)
                        .for_input("--height/--branch-factor (b^H must reach 65536)")?;
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
            let sk = AcSessionKey::new(&key16("--sk", &sk)?).for_input("--sk")?;
            let arqc = fixed::<8>("--arqc", &arqc)?;
            let arpc = match method {
                ArpcMethodArg::One => {
                    let arc =
                        arc.ok_or_else(|| CliError::Usage("method 1 needs --arc".to_owned()))?;
                    sk.arpc_method1(&arqc, &fixed::<2>("--arc", &arc)?).to_vec()
                }
                ArpcMethodArg::Two => {
                    let csu =
                        csu.ok_or_else(|| CliError::Usage("method 2 needs --csu".to_owned()))?;
                    let csu = fixed::<4>("--csu", &csu)?;
                    let prop = hex_arg("--prop", &prop, None)?;
                    sk.arpc_method2(&arqc, &csu, &prop)
                        .for_input("--prop (0 to 8 bytes)")?
                        .to_vec()
                }
            };
            Ok(Report::new().hex("arpc", &arpc))
        }
    }
}
