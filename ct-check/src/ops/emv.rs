//! Ops of EMV: ICC master keys (options A and B), the three session-key
//! methods, application cryptograms (generate, and verify with the right
//! and a wrong ARQC), ARPC methods 1 and 2, and a whole card-to-issuer
//! flow in which every derived key is fed into the next step.
//!
//! Secret: issuer master keys, ICC master keys, session keys, the
//! transaction data, the ARQC being checked (and the one an ARPC answers).
//! Public: PAN, PSN, ATC, the tree's shape, the ARC and CSU. Known answers:
//! `vectors/emv-independent.json` and `vectors/pyemv-doc-examples.json`;
//! the flow's values were computed with pyemv 1.5.0 (PyPI), see
//! `card_flow`.

use paykernel::emv::{
    self, AcPadding, AcSessionKey, Emv2000Tree, MasterKeyOption, Psn,
};
use paykernel::{Pan, TdesKey};

use crate::check::{Check, OpResult, fail, secret_array, secret_hex, unhex};

ops! {
    "emv.icc_mk" => icc_mk,
    "emv.session.common" => session_common,
    "emv.session.visa-sm" => session_visa_sm,
    "emv.session.emv2000-tree" => session_tree,
    "emv.ac" => ac,
    "emv.arpc" => arpc,
    "emv.card-flow" => card_flow,
}

fn tdes_key(c: &mut Check, hex: &str) -> Result<TdesKey, String> {
    TdesKey::from_slice(&secret_hex(c, hex)?).map_err(fail("TDES key"))
}

fn array<const N: usize>(hex: &str) -> Result<[u8; N], String> {
    unhex(hex)?
        .as_slice()
        .try_into()
        .map_err(|_| format!("{hex}: not {N} bytes"))
}

/// ICC master keys: option A, option B for a 19-digit PAN (the SHA-1
/// path), option B for a 16-digit PAN (which is option A), and pyemv's
/// examples for a 17-digit PAN (emv-independent.json `icc-mk-a-pan16`,
/// `icc-mk-b-pan19`, `icc-mk-b-pan16`; pyemv-doc-examples.json `icc-mk-a`,
/// `icc-mk-b`).
fn icc_mk(c: &mut Check) -> OpResult {
    for (option, imk, pan, psn, want) in [
        (
            MasterKeyOption::A,
            "8AA10D599C85083211925DBC36333091",
            "4276783503882033",
            "67",
            "491604572F106485CBD0044C6D4F2375",
        ),
        (
            MasterKeyOption::B,
            "8AA10D599C85083211925DBC36333091",
            "6996956175146689284",
            "29",
            "AE6DD992A2CBCD70252602AEEF5D08AD",
        ),
        (
            MasterKeyOption::B,
            "8AA10D599C85083211925DBC36333091",
            "1916994930563487",
            "20",
            "61430876B5E3B3B332DA94D9E9439794",
        ),
        (
            MasterKeyOption::A,
            "0123456789ABCDEFFEDCBA9876543210",
            "12345678901234567",
            "01",
            "73AD54688CEF2934B0979857E3C719F1",
        ),
        (
            MasterKeyOption::B,
            "0123456789ABCDEFFEDCBA9876543210",
            "12345678901234567",
            "01",
            "AD406D7F6D7570916D75E5DCAB8CF737",
        ),
    ] {
        let imk = tdes_key(c, imk)?;
        let pan: Pan = pan.parse().map_err(fail("PAN"))?;
        let psn: Psn = psn.parse().map_err(fail("PSN"))?;
        let mk = emv::derive_icc_master_key(&imk, &pan, psn, option).map_err(fail("mk"))?;
        c.secret_eq("mk", mk.expose_secret(), want)?;
    }
    Ok(())
}

/// Common session keys (emv-independent.json `common-1`, pyemv
/// `common-sk`); R is marked secret too (it may be an application
/// cryptogram).
fn session_common(c: &mut Check) -> OpResult {
    for (mk, r, want) in [
        (
            "6166E28F57C3BFF0A28B2F212E0BE32E",
            "707E889062B2B037",
            "CD985DE65D8CBA10BFA229867C803873",
        ),
        (
            "0123456789ABCDEFFEDCBA9876543210",
            "001C000000000000",
            "E9FB384AF807B940FEDCEA613461B0C4",
        ),
    ] {
        let mk = tdes_key(c, mk)?;
        let r = secret_array::<8>(c, r)?;
        let sk = emv::common_session_key(&mk, &r).map_err(fail("sk"))?;
        c.secret_eq("sk", sk.expose_secret(), want)?;
    }
    Ok(())
}

/// Visa secure-messaging session keys (emv-independent.json `visa-sm-2`,
/// pyemv `visa-sm-sk`).
fn session_visa_sm(c: &mut Check) -> OpResult {
    for (mk, atc, want) in [
        (
            "A1A08342EB2A7E8F2714138D1F363D02",
            0xF72E,
            "A1A18343EA2A89A12615138C1F3734D3",
        ),
        (
            "0123456789ABCDEFFEDCBA9876543210",
            0x001C,
            "0123456789ABCDF2FEDCBA987654CDF2",
        ),
    ] {
        let mk = tdes_key(c, mk)?;
        let sk = emv::visa_sm_session_key(&mk, atc).map_err(fail("sk"))?;
        c.secret_eq("sk", sk.expose_secret(), want)?;
    }
    Ok(())
}

/// EMV2000 tree session keys: b = 4, H = 8 with an IV; b = 2, H = 16; and
/// pyemv's example (emv-independent.json `emv2000-tree-h8-b4-2`,
/// `emv2000-tree-h16-b2-1`, pyemv `emv2000-tree-sk`). The IV is marked
/// secret too.
fn session_tree(c: &mut Check) -> OpResult {
    for (mk, atc, height, b, iv, want) in [
        (
            "0C45E1BEEDB0715C69D8FF1BD8B5A5E1",
            0xE63B,
            8,
            4,
            "E6D8EF35C7DF9C90559351609B208F45",
            "E06E7A0B8FDA89D35137B9409BA1B0A8",
        ),
        (
            "2B6BEA570B268EA2B055F8D757C0BEE0",
            0xFFFF,
            16,
            2,
            "00000000000000000000000000000000",
            "75E99213C4AE2568F1733BE6B59E68C7",
        ),
        (
            "0123456789ABCDEFFEDCBA9876543210",
            0x001C,
            8,
            4,
            "00000000000000000000000000000000",
            "E5BF6D1067F194B0A89B7F5D83BC64A2",
        ),
    ] {
        let mk = tdes_key(c, mk)?;
        let iv = secret_array::<16>(c, iv)?;
        let tree = Emv2000Tree::new(height, b, &iv).map_err(fail("tree"))?;
        let sk = emv::emv2000_tree_session_key(&mk, atc, &tree).map_err(fail("sk"))?;
        c.secret_eq("sk", sk.expose_secret(), want)?;
    }
    Ok(())
}

/// Application cryptograms, padding methods 1 and 2, full and truncated,
/// then the issuer's check of the right one and of one with a flipped bit
/// (emv-independent.json `ac-pad1-16B-5`, `ac-pad2-9B-4`, `ac-pad1-7B-2`;
/// pyemv `ac`).
fn ac(c: &mut Check) -> OpResult {
    for (sk, data, padding, want) in [
        (
            "FE4904C84649D90DE5D633BB20640D40",
            "7FB5C378343FE686D8CBB78A657F00ED",
            AcPadding::Method1,
            "4B4EE8AB004BCB9E",
        ),
        (
            "7C62FE7FAD7E172C7F7F821CAE2C422F",
            "451BAA28F3585CC7B2",
            AcPadding::Method2,
            "B4",
        ),
        (
            "0518B5BCAE29B613F353CF8F9C68E8B7",
            "B8A7A98DE58BB0",
            AcPadding::Method1,
            "8DF8CB454103",
        ),
        (
            "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB",
            "000000002000000000000000012400000080000124110309003804823E58000001",
            AcPadding::Method2,
            "3B76CF10FECD8789",
        ),
    ] {
        let key = AcSessionKey::new(&tdes_key(c, sk)?).map_err(fail("sk"))?;
        let data = secret_hex(c, data)?;
        let len = want.len() >> 1;
        let tag = key.generate_ac(&data, padding, len).map_err(fail("ac"))?;
        c.output_eq("ac", &mut tag.as_bytes().to_vec(), want)?;
        for good in [true, false] {
            let mut arqc = unhex(want)?;
            if !good && let Some(last) = arqc.last_mut() {
                *last ^= 0x80;
            }
            c.secret(&mut arqc);
            let r = key.verify_ac(&data, padding, &arqc, len);
            if len < paykernel::emv::MIN_AC_LEN {
                // Too short to check (a public refusal on the length).
                if r.is_ok() {
                    return Err(format!("verify_ac accepted a {len}-byte cryptogram"));
                }
                continue;
            }
            c.verdict_is("valid", bool::from(r.map_err(fail("verify"))?), good)?;
        }
    }
    Ok(())
}

/// ARPC methods 1 and 2 over a secret ARQC (emv-independent.json
/// `arpc1-3`, `arpc2-prop4`; pyemv `arpc-2`, proprietary data empty).
fn arpc(c: &mut Check) -> OpResult {
    let key = AcSessionKey::new(&tdes_key(c, "0D76AE40883C7D03BA5FB28BF117B643")?)
        .map_err(fail("sk"))?;
    let arqc = secret_array::<8>(c, "7B8331E6BBA67A08")?;
    let mut arpc = key.arpc_method1(&arqc, &array::<2>("9A3C")?);
    c.output_eq("arpc", &mut arpc, "880BA9B392FAC4D9")?;
    for (sk, arqc, csu, prop, want) in [
        (
            "4432BC0F4365A8CC18E111CDBD2045DC",
            "9A0B0EF8D151187F",
            "6A1A0ECE",
            "DBB09BCC",
            "59B6DC20",
        ),
        (
            "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB",
            "1234567890ABCDEF",
            "00000000",
            "",
            "9308BEBC",
        ),
    ] {
        let key = AcSessionKey::new(&tdes_key(c, sk)?).map_err(fail("sk"))?;
        let arqc = secret_array::<8>(c, arqc)?;
        let mut arpc = key
            .arpc_method2(&arqc, &array::<4>(csu)?, &unhex(prop)?)
            .map_err(fail("arpc"))?;
        c.output_eq("arpc", &mut arpc, want)?;
    }
    Ok(())
}

/// A whole transaction with every derived value fed on, never
/// declassified in between: the ICC master key from the IMK (option A),
/// the common session key of ATC 0042 from it, the ARQC over the
/// transaction data, the issuer's check of it, ARPC 1 (ARC 3030) and
/// ARPC 2 (CSU 03000000). Expected values from pyemv 1.5.0:
/// `kd.derive_icc_mk_a`, `kd.derive_common_sk`, `ac.generate_ac`
/// (padding EMV), `ac.generate_arpc_1`, `ac.generate_arpc_2`.
fn card_flow(c: &mut Check) -> OpResult {
    let imk = tdes_key(c, "0123456789ABCDEFFEDCBA9876543210")?;
    let pan: Pan = "5413330089020011".parse().map_err(fail("PAN"))?;
    let psn: Psn = "01".parse().map_err(fail("PSN"))?;
    let mk = emv::derive_icc_master_key(&imk, &pan, psn, MasterKeyOption::A)
        .map_err(fail("mk"))?;
    let sk = emv::common_session_key(&mk, &array::<8>("0042000000000000")?)
        .map_err(fail("sk"))?;
    let key = AcSessionKey::new(&sk).map_err(fail("sk"))?;
    let data = secret_hex(
        c,
        "0000000010000000000000000826000000000008261705100012345678220000",
    )?;
    let arqc = key
        .generate_ac(&data, AcPadding::Method2, 8)
        .map_err(fail("ac"))?;
    let mut arqc_bytes = [0u8; 8];
    arqc_bytes.copy_from_slice(arqc.as_bytes());
    c.verdict_is(
        "valid",
        bool::from(
            key.verify_ac(&data, AcPadding::Method2, &arqc_bytes, 8)
                .map_err(fail("verify"))?,
        ),
        true,
    )?;
    let mut arpc1 = key.arpc_method1(&arqc_bytes, &array::<2>("3030")?);
    let mut arpc2 = key
        .arpc_method2(&arqc_bytes, &array::<4>("03000000")?, &[])
        .map_err(fail("arpc"))?;
    c.output_eq("arqc", &mut arqc_bytes, "285699F4C2BA8250")?;
    c.output_eq("mk", &mut mk.expose_secret().to_vec(), "73C4677545D991E986074A16BFBACD75")?;
    c.output_eq("sk", &mut sk.expose_secret().to_vec(), "BC3BEC155E1C64BF340EE34C91298AFD")?;
    c.output_eq("arpc1", &mut arpc1, "38985877557BCD53")?;
    c.output_eq("arpc2", &mut arpc2, "C9CA2F1E")
}
