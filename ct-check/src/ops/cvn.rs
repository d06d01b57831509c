//! Ops of the card schemes' cryptogram versions and BER-TLV: the one-call
//! authorisation from DE 55 (ARQC verified right and wrong, ARPC) for
//! every CVN, AC generation, ARQC verification and ARPC alone, the command
//! MAC, command data encipherment (Visa and Mastercard forms, secret data),
//! PIN change (VIS block with and without the current PIN, ISO 9564-1
//! format 2 under Visa and Mastercard encipherment), and TLV parsing of
//! secret values.
//!
//! Secret: the IMKs (AC, SMI, SMC) and everything derived from them, the
//! value bytes of every data object in DE 55 (the ARQC being checked among
//! them; the transaction data too, stricter than needed), the CVR and
//! counters, the command data, the PINs. Public: the CVN, PAN, PSN, the
//! tags and lengths of DE 55, the ARC and CSU. Known answers: pyemv 1.5.0
//! `tests/test_cvn_hsm.py` (HSM-checked; `vectors/pyemv-cvn-examples.json`)
//! and `vectors/emv-cvn-pyemv.json`.

use paykernel::emv::{
    AuthorisationResponse, Cvn, CvrSource, ENCIPHERED_MAX, PinChangeKeys, Psn, ScriptCommand,
};
use paykernel::pin::Pin;
use paykernel::tlv::Tlv;
use paykernel::{Pan, TdesKey};

use crate::check::{Check, OpResult, fail, secret_hex, unhex};

ops! {
    "emv.cvn.authorise.visa-10" => authorise::<0>,
    "emv.cvn.authorise.visa-18" => authorise::<1>,
    "emv.cvn.authorise.visa-22" => authorise::<2>,
    "emv.cvn.authorise.interac-133" => authorise::<3>,
    "emv.cvn.authorise.mastercard-16" => authorise::<4>,
    "emv.cvn.authorise.mastercard-17" => authorise::<5>,
    "emv.cvn.authorise.mastercard-20" => authorise::<6>,
    "emv.cvn.authorise.mastercard-21" => authorise::<7>,
    "emv.cvn.ac-verify-arpc" => ac_verify_arpc,
    "emv.cvn.command-mac" => command_mac,
    "emv.cvn.encrypt-command-data" => encrypt_command_data,
    "emv.cvn.pin-change" => pin_change,
    "tlv.secret-values" => tlv_secret_values,
}

const IMK_AC: &str = "0123456789ABCDEFFEDCBA9876543210";
const IMK_SMI: &str = "FEDCBA98765432100123456789ABCDEF";
const IMK_SMC: &str = "89ABCDEF0123456776543210FEDCBA98";
const PAN: &str = "1234567890123456";

const VISA: &str = "9F02060000000040009F03060000000000009F1A020124950580000480005F2A0201249A031911059C01019F370452BF4585820218009F3602001C";
const MC: &str = "9F02060000000099999F03060000000000009F1A020124950580000000005F2A0201249A032099069C01009F3704ABCDEF12820218009F3602001C";

/// One CVN of the HSM suite: extra data objects, CVR, counters, ARQC, the
/// response and the ARPC.
struct Kat {
    cvn: Cvn,
    base: &'static str,
    extra: &'static str,
    cvr: &'static str,
    counters: &'static str,
    arqc: &'static str,
    arc: &'static str,
    arpc: &'static str,
}

const KATS: [Kat; 8] = [
    Kat {
        cvn: Cvn::Visa10,
        base: VISA,
        extra: "",
        cvr: "03A06010",
        counters: "",
        arqc: "29CCA15AE665FA2E",
        arc: "3030",
        arpc: "28993816AFAE4AEB",
    },
    Kat {
        cvn: Cvn::Visa18,
        base: VISA,
        extra: "9F100706011203A0B800",
        cvr: "",
        counters: "",
        arqc: "7A788EA6B8A3E733",
        arc: "",
        arpc: "9AF514C1",
    },
    Kat {
        cvn: Cvn::Visa22,
        base: VISA,
        extra: "9F100706011203A0B800",
        cvr: "",
        counters: "",
        arqc: "7A788EA6B8A3E733",
        arc: "",
        arpc: "9AF514C1",
    },
    Kat {
        cvn: Cvn::Interac133,
        base: MC,
        extra: "9F10161501850440B100000000B00000000000000000000000",
        cvr: "",
        counters: "",
        arqc: "18932FECA2D84326",
        arc: "0000",
        arpc: "4DF171A49396C363",
    },
    Kat {
        cvn: Cvn::Mastercard16,
        base: MC,
        extra: "",
        cvr: "A00003220000",
        counters: "",
        arqc: "24CCF3DEE3158C70",
        arc: "0010",
        arpc: "73F6BBF389A6586C",
    },
    Kat {
        cvn: Cvn::Mastercard17,
        base: MC,
        extra: "",
        cvr: "A00003220000",
        counters: "00000000000322FF",
        arqc: "EAE8A620A75648D8",
        arc: "0010",
        arpc: "29CF11FBDB9CA650",
    },
    Kat {
        cvn: Cvn::Mastercard20,
        base: MC,
        extra: "",
        cvr: "A00003220000",
        counters: "",
        arqc: "CD29615D6452E70E",
        arc: "0010",
        arpc: "DFD0956606B68D64",
    },
    Kat {
        cvn: Cvn::Mastercard21,
        base: MC,
        extra: "",
        cvr: "A00003220000",
        counters: "00000000000322FF",
        arqc: "C30E54BE496CF5E5",
        arc: "0010",
        arpc: "4F51F9CC63CE8B3C",
    },
];

fn key(c: &mut Check, hex: &str) -> Result<TdesKey, String> {
    TdesKey::from_slice(&secret_hex(c, hex)?).map_err(fail("key"))
}

fn pan() -> Result<Pan, String> {
    PAN.parse().map_err(fail("PAN"))
}

/// DE 55 from hex TLV (primitive objects, short lengths), rebuilt with
/// every value byte marked secret and the tags and lengths left public.
fn de55(c: &mut Check, hex: &str) -> Result<Vec<u8>, String> {
    let public = unhex(hex)?;
    let tlv = Tlv::parse(&public).map_err(fail("tlv"))?;
    let mut data = Vec::with_capacity(public.len());
    for o in tlv.primitives() {
        data.extend_from_slice(o.tag().as_bytes());
        data.push(u8::try_from(o.value().len()).map_err(|_| "long value")?);
        let mut v = o.value().to_vec();
        c.secret(&mut v);
        data.extend_from_slice(&v);
    }
    Ok(data)
}

/// The one-call authorisation of KAT `I` from DE 55: the right ARQC
/// verifies and gets the ARPC; with one bit of the ARQC changed it does
/// not, and the ARPC answers that ARQC (computed all the same).
fn authorise<const I: usize>(c: &mut Check) -> OpResult {
    let k = KATS.get(I).ok_or("no such KAT")?;
    let imk = key(c, IMK_AC)?;
    let pan = pan()?;
    let cvr = secret_hex(c, k.cvr)?;
    let counters = secret_hex(c, k.counters)?;
    let source = CvrSource::Given {
        cvr: &cvr,
        counters: &counters,
    };
    let csu = [0u8; 4];
    let response = if k.arc.is_empty() {
        AuthorisationResponse::Method2 { csu, prop: &[] }
    } else {
        let arc: [u8; 2] = unhex(k.arc)?.try_into().map_err(|_| "ARC")?;
        AuthorisationResponse::Method1 { arc }
    };
    for good in [true, false] {
        let mut arqc = unhex(k.arqc)?;
        if !good && let Some(b) = arqc.get_mut(3) {
            *b ^= 0x04;
        }
        let hex = format!("{}{}9F2608{}", k.base, k.extra, hex::encode_upper(&arqc));
        let data = de55(c, &hex)?;
        let answer = k
            .cvn
            .authorise_de55(&imk, &pan, Psn::ABSENT, &data, source, response)
            .map_err(fail("authorise"))?;
        c.verdict_is("valid", answer.valid(), good)?;
        let mut arpc = answer.arpc();
        c.output_value("arpc", &mut arpc);
        if good {
            if arpc.as_bytes() != unhex(k.arpc)?.as_slice() {
                return Err(format!("arpc: got {:?}, want {}", arpc, k.arpc));
            }
        } else if arpc.as_bytes() == unhex(k.arpc)?.as_slice() {
            return Err("the ARPC of another ARQC".to_owned());
        }
    }
    Ok(())
}

/// AC generation (CVR and counters read from 9F10 for Visa 10 and
/// Mastercard 17), ARQC verification (a `Choice`) and the ARPC alone, from
/// a table of secret values.
fn ac_verify_arpc(c: &mut Check) -> OpResult {
    let imk = key(c, IMK_AC)?;
    let pan = pan()?;
    for (i, iad) in [(0, "06010A03A06010"), (5, "0111A00003220000123400000000000322FF")] {
        let k = KATS.get(i).ok_or("no such KAT")?;
        let hex = format!("{}9F10{:02X}{iad}", k.base, iad.len() >> 1);
        let data = de55(c, &hex)?;
        let tlv = Tlv::parse(&data).map_err(fail("tlv"))?;
        let mut ac = k
            .cvn
            .generate_ac(&imk, &pan, Psn::ABSENT, &tlv, CvrSource::FromIad)
            .map_err(fail("ac"))?;
        c.output_eq("ac", &mut ac, k.arqc)?;
        let hex = format!("{hex}9F2608{}", k.arqc);
        let data = de55(c, &hex)?;
        let tlv = Tlv::parse(&data).map_err(fail("tlv"))?;
        let v = k
            .cvn
            .verify_arqc(&imk, &pan, Psn::ABSENT, &tlv, CvrSource::FromIad)
            .map_err(fail("verify"))?;
        c.verdict_is("valid", bool::from(v), true)?;
        let arc: [u8; 2] = unhex(k.arc)?.try_into().map_err(|_| "ARC")?;
        let mut arpc = k
            .cvn
            .arpc(
                &imk,
                &pan,
                Psn::ABSENT,
                &tlv,
                AuthorisationResponse::Method1 { arc },
            )
            .map_err(fail("arpc"))?;
        c.output_value("arpc", &mut arpc);
        if arpc.as_bytes() != unhex(k.arpc)?.as_slice() {
            return Err(format!("arpc: got {arpc:?}, want {}", k.arpc));
        }
    }
    Ok(())
}

/// Data objects as (tag, value) pairs.
type Table = Vec<(Vec<u8>, Vec<u8>)>;

/// The script tags (9F26, 9F36) of KAT `k`, secret.
fn script_tags(c: &mut Check, k: &Kat) -> Result<Table, String> {
    let mut arqc = unhex(k.arqc)?;
    let mut atc = unhex("001C")?;
    c.secret(&mut arqc);
    c.secret(&mut atc);
    Ok(vec![(unhex("9F26")?, arqc), (unhex("9F36")?, atc)])
}

/// Command MACs of every CVN (HSM suite: the unblock headers), and one
/// over secret command data (emv-cvn-pyemv.json `visa-22-00-command-mac`
/// style, value from pyemv 1.5.0).
fn command_mac(c: &mut Check) -> OpResult {
    let smi = key(c, IMK_SMI)?;
    let pan = pan()?;
    for (k, header, want) in [
        (&KATS[0], "8418000008", "DB56BA60087CEFD3"),
        (&KATS[1], "8418000008", "04EDE90BC24CC35E"),
        (&KATS[2], "8418000008", "A4805748F846D851"),
        (&KATS[3], "8424000008", "B574ABB0A485A330"),
        (&KATS[4], "8424000008", "ED0AB162BAB1DE61"),
        (&KATS[5], "8424000008", "4D1858456CD0F22A"),
        (&KATS[6], "8424000008", "01C0F0DFBF6AA230"),
        (&KATS[7], "8424000008", "5E89E990C51CEE94"),
    ] {
        let tags = script_tags(c, k)?;
        let header: [u8; 5] = unhex(header)?.try_into().map_err(|_| "header")?;
        let mut mac = k
            .cvn
            .command_mac(&smi, &pan, Psn::ABSENT, tags.as_slice(), &header, &[])
            .map_err(fail("mac"))?;
        c.output_eq("mac", &mut mac, want)?;
    }
    Ok(())
}

/// Command data (secret: a clear PIN block) enciphered the Visa way (ECB,
/// length byte, method 2) and the Mastercard way (CBC; whole blocks and
/// padded); values from pyemv 1.5.0.
fn encrypt_command_data(c: &mut Check) -> OpResult {
    let smc = key(c, IMK_SMC)?;
    let pan = pan()?;
    let data: Vec<u8> = (0..16u32).map(|i| ((i * 7 + 3) & 0xFF) as u8).collect();
    for (k, n, want) in [
        (&KATS[0], 7, "5BBA25CCF2350E5CD4DB0B0ADFC2A4CB"),
        (&KATS[2], 9, "A13E8461453E79C4D4637F1759B59C38"),
        (&KATS[4], 8, "67F25027F464428A"),
        (&KATS[4], 9, "67F25027F464428A54B4A5285AABF967"),
    ] {
        let tags = script_tags(c, k)?;
        let mut secret = data.get(..n).ok_or("data")?.to_vec();
        c.secret(&mut secret);
        let mut out = [0u8; ENCIPHERED_MAX];
        let got = k
            .cvn
            .encrypt_command_data(&smc, &pan, Psn::ABSENT, tags.as_slice(), &secret, &mut out)
            .map_err(fail("encrypt"))?;
        c.output_eq("data", &mut got.to_vec(), want)?;
    }
    Ok(())
}

/// A PIN from secret digits (their count is public).
fn secret_pin(c: &mut Check, digits: &str) -> Result<Pin, String> {
    let mut d = digits.as_bytes().to_vec();
    c.secret(&mut d);
    c.accepted("pin accepted", Pin::from_digits(&d), None)?
        .ok_or_else(|| "no pin".to_owned())
}

/// PIN change commands (HSM suite): VIS block (Visa 10) with and without
/// the current PIN, ISO format 2 under Visa encipherment (Visa 22) and
/// under Mastercard's (Mastercard 16).
fn pin_change(c: &mut Check) -> OpResult {
    let (ac, smi, smc) = (key(c, IMK_AC)?, key(c, IMK_SMI)?, key(c, IMK_SMC)?);
    let keys = PinChangeKeys {
        imk_smi: &smi,
        imk_smc: &smc,
        imk_ac: Some(&ac),
    };
    let pan = pan()?;
    for (k, current, want) in [
        (
            &KATS[0],
            None,
            "8424000218BB221AF527377A2811D2B6EBC396A9391A965A5CB2CE62DA",
        ),
        (
            &KATS[0],
            Some("8888"),
            "84240001182EE025E554BCD87E11D2B6EBC396A939C4A8393B57DD2F3F",
        ),
        (
            &KATS[2],
            None,
            "84240002181B2943BED3D298F9C75848D17317CD1D25B70F7E26613E5F",
        ),
        (
            &KATS[4],
            None,
            "842400021000859B8FE53F316DEB4B64C36BF88E39",
        ),
    ] {
        let tags = script_tags(c, k)?;
        let pin = secret_pin(c, "9999")?;
        let current = match current {
            Some(d) => Some(secret_pin(c, d)?),
            None => None,
        };
        let mut command: ScriptCommand = k
            .cvn
            .pin_change(&keys, &pan, Psn::ABSENT, tags.as_slice(), &pin, current.as_ref())
            .map_err(fail("pin change"))?;
        c.output_value("command", &mut command);
        if command.as_bytes() != unhex(want)?.as_slice() {
            return Err(format!("command: got {command:?}, want {want}"));
        }
    }
    Ok(())
}

/// BER-TLV parsing, iteration and lookup never look at value bytes: a DE
/// 55 whose values are secret parses, and the values found carry the
/// secret.
fn tlv_secret_values(c: &mut Check) -> OpResult {
    let hex = format!("{MC}9F2608CD29615D6452E70E");
    let data = de55(c, &hex)?;
    let tlv = Tlv::parse(&data).map_err(fail("tlv"))?;
    let mut arqc = tlv
        .find(&[0x9F, 0x26])
        .ok_or("no 9F26")?
        .to_vec();
    c.output_eq("9F26", &mut arqc, "CD29615D6452E70E")?;
    let mut all: Vec<u8> = tlv.primitives().flat_map(|o| o.value().to_vec()).collect();
    let want = "000000009999000000000000012480000000000124209906\
                00ABCDEF121800001CCD29615D6452E70E";
    c.output_eq("values", &mut all, want)
}
