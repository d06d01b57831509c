//! Ops of DUKPT: TDES (ANSI X9.24-1:2009) and AES (ANSI X9.24-3-2017),
//! host side (initial keys, transaction and working keys of every variant,
//! key type and usage, update keys, the batches) and terminal side (load,
//! transactions, saved states).
//!
//! Secret: BDKs, IPEKs and initial keys, every derived key (and so every
//! key the kernel feeds back into the next step), the registers of a saved
//! terminal state. Public: KSNs and their counters, which steer the
//! derivation loops by design. Known answers come from the suites in
//! `vectors/` (each names its source): `x9.24-1-2009-annex-a.json`,
//! `x9.24-1-independent.json`, `x9.24-1-variants.json`,
//! `x9.24-3-2017.json`, `x9.24-3-2017-more.json`, `x9.24-3-tdea-hmac.json`,
//! `x9.24-3-independent.json`; the AES update keys are those of the
//! X9.24-3-2017 supplement that `src/dukpt/aes.rs` tests cite.

use paykernel::dukpt::aes::{self, AesTerminal, KeyType, KeyUsage, WorkingKey};
use paykernel::dukpt::tdes::{self, TdesTerminal, Variant};
use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
use paykernel::{AesKey, Error, TdesKey};

use crate::check::{Check, OpResult, fail, secret_hex, unhex};

ops! {
    "dukpt.tdes.ipek" => tdes_ipek,
    "dukpt.tdes.key-21-ones" => tdes_key_21_ones,
    "dukpt.tdes.variants" => tdes_variants::<false>,
    "dukpt.tdes.variants-data" => tdes_variants::<true>,
    "dukpt.tdes.variant-apply" => tdes_variant_apply,
    "dukpt.tdes.derive_keys_many-42" => tdes_many::<false>,
    "dukpt.tdes.derive_keys_many-data" => tdes_many::<true>,
    "dukpt.tdes.terminal" => tdes_terminal,
    "dukpt.tdes.terminal-rollover" => tdes_terminal_rollover,
    "dukpt.tdes.terminal-state-refused" => tdes_state_refused,
    "dukpt.tdes.terminal-state-corrupt" => tdes_state_corrupt,
    "dukpt.tdes.terminal-state-erased" => tdes_state_erased,
    "dukpt.aes.initial_key" aes=true => aes_initial_keys,
    "dukpt.aes.transaction_key" aes=true => aes_transaction_keys,
    "dukpt.aes128.working-keys" aes=true => aes_working_keys::<0>,
    "dukpt.aes192.working-keys" aes=true => aes_working_keys::<1>,
    "dukpt.aes256.working-keys" aes=true => aes_working_keys::<2>,
    "dukpt.aes.tdea-hmac-keys" aes=true => aes_working_keys::<3>,
    "dukpt.aes.update_key" aes=true => aes_update_keys,
    "dukpt.aes.derive_working_keys_many" aes=true => aes_many,
    "dukpt.aes128.terminal" aes=true => aes_terminal,
    "dukpt.aes.terminal-update-initial-key" aes=true => aes_terminal_update,
    "dukpt.aes.terminal-state-refused" aes=true => aes_state_refused,
    "dukpt.aes.terminal-state-corrupt" aes=true => aes_state_corrupt,
    "dukpt.aes.terminal-state-erased" aes=true => aes_state_erased,
    "dukpt.aes256.terminal-save-reload" aes=true => aes256_save_reload,
}

/// The BDK of X9.24-1:2009 Annex A and its test KSN (counter 0).
const ANNEX_A_BDK: &str = "0123456789ABCDEFFEDCBA9876543210";
const ANNEX_A_KSN: &str = "FFFF9876543210E00000";
/// Its IPEK (x9.24-1-2009-annex-a.json, `ipek`).
const ANNEX_A_IPEK: &str = "6AC292FAA1315B4D858AB3A3D7D5933A";

/// The base keys of counters 1 to 21 under the Annex A IPEK
/// (x9.24-1-2009-annex-a.json, `key-1` to `key-21` and `terminal-1-21`).
const ANNEX_A_KEYS: [&str; 21] = [
    "042666B49184CFA368DE9628D0397BC9",
    "C46551CEF9FD24B0AA9AD834130D3BC7",
    "0DF3D9422ACA56E547676D07AD6BADFA",
    "279C0F6AEED0BE652B2C733E1383AE91",
    "5F8DC6D2C845C125508DDC048093B83F",
    "5E415CB0BAF9F03CD0C14B63FB62FF43",
    "0C8F780B7C8B49D0AE84A9EB2A6CE660",
    "27F66D5244FF62E1AA6F6120EDEB4280",
    "27E31064FDC565698900E2057F658E7E",
    "6CF2500A22507C7CC776CEADC1E33014",
    "3E8260BA04B2D620C01482B3819A18B7",
    "B716E1E11CF53D80726CAEE75C3A624F",
    "E072EDF95340535FB6C581C58FBF2533",
    "A80046087F5B8F245AAD95E18429084F",
    "93DD5B956C4878472E453AAEFD32A5AA",
    "59598DCBD9BD94C094165CE453585F57",
    "2B5F01F4F0CC05EA639D523231BF1BA2",
    "9CF640F279C2AEE615F725EEEAC2CBAF",
    "C3DF489FDF1153B4F03DE97C27DC4C2F",
    "658488507721B3F14737FA93F923CBD2",
    "E161D1956A61F6D2F37AFD7F9CC3699A",
];

/// The data-request keys of counters 1 to 5 under the Annex A BDK
/// (x9.24-1-variants.json, `data-request-1` to `-5`).
const ANNEX_A_DATA_KEYS: [&str; 5] = [
    "448D3F076D8304036A55A3D7E0055A78",
    "F1BE73B36135C5C26CF937D50ABBE5AF",
    "EEEEF522C67239E4A2A65FEBF4C511F4",
    "BCF2610997C3AC3C5F13AE965A1B773B",
    "F3054D8B7471284BDB4EE18AFC3B091B",
];

/// The counter rollover of X9.24-1:2009 Annex A.4.3: KSN and base key of
/// every transaction from 0FF800 to 100000 (x9.24-1-2009-annex-a.json,
/// `rollover-*`).
const ROLLOVER: [(&str, &str); 13] = [
    ("FFFF9876543210EFF800", "F9CDFEBF4F5B1D9EB3EC12454527E176"),
    ("FFFF9876543210EFF801", "5BEE92627E97825C911BF619DF72CA3B"),
    ("FFFF9876543210EFF802", "64CA2F8AB93F61B01620B00BF77C7301"),
    ("FFFF9876543210EFF804", "35A168695B3BA83307E871C42021DD37"),
    ("FFFF9876543210EFF808", "12C380FCB72ED3C26FC6079AF63F4787"),
    ("FFFF9876543210EFF810", "D8007C833A1E3C49C6889B97A68C54FF"),
    ("FFFF9876543210EFF820", "A9C9FF9B735FDD49591F296B0BF0FD70"),
    ("FFFF9876543210EFF840", "0E3E221062CB5E03A384602783A004FA"),
    ("FFFF9876543210EFF880", "CA8225C587124DFBB87F279C0BE29727"),
    ("FFFF9876543210EFF900", "906AAC1751D4971A144D52C76C6E1F97"),
    ("FFFF9876543210EFFA00", "2B9E2CE7C2750337E10B54D2989EA6AF"),
    ("FFFF9876543210EFFC00", "F9430DF975082491C77BE4EF4FDB91EE"),
    ("FFFF9876543210F00000", "AA4D58DB653EC74A48C75F2F047DD2B5"),
];

/// Where a TDES known answer starts: the BDK or the IPEK.
#[derive(Clone, Copy)]
enum From {
    Bdk,
    Ipek,
}

/// A TDES host-side known answer (x9.24-1-independent.json): key, KSN,
/// variant, result.
struct TdesKat {
    from: From,
    key: &'static str,
    ksn: &'static str,
    variant: Variant,
    want: &'static str,
}

/// Variants of counters with many one-bits, from the BDK and from the
/// IPEK: `key-base-16ones-6`, `key-pin-10ones-12`,
/// `key-mac-request-16ones-22`, `key-mac-response-11ones-29`.
const TDES_VARIANTS: [TdesKat; 4] = [
    TdesKat {
        from: From::Bdk,
        key: "F66D3990A1FD766FFBDE99913E6FDD9E",
        ksn: "0B9766F2EA32C006BF7F",
        variant: Variant::Base,
        want: "FF43667F45C4DB7E40F531606142B951",
    },
    TdesKat {
        from: From::Bdk,
        key: "25152991E3DE5BA1BD94CECEA5FF3104",
        ksn: "C478E5986B5A7F1BA096",
        variant: Variant::Pin,
        want: "2657443D341CBC00DA2978E30E95D358",
    },
    TdesKat {
        from: From::Bdk,
        key: "6F460E634B18D4A3FDE770903C5F96AF",
        ksn: "114F197C7AEAB78BFE7B",
        variant: Variant::MacRequest,
        want: "B859F97EDEBACC60B198D8147D39393F",
    },
    TdesKat {
        from: From::Ipek,
        key: "B50D03941ACC7D252BFC3764A0BCC91F",
        ksn: "BB500A12DF734EFC1772",
        variant: Variant::MacResponse,
        want: "C9B55C0399E3175339B2C49EF6F67A50",
    },
];

/// The data variants (the one-way step): `key-data-request-16ones-38`,
/// `key-data-response-10ones-43`.
const TDES_DATA_VARIANTS: [TdesKat; 2] = [
    TdesKat {
        from: From::Bdk,
        key: "99E36F2F6DBC5539F748952CD4BC0135",
        ksn: "873EA39FF3E36035FEB7",
        variant: Variant::DataRequest,
        want: "F10D81C7D4E430309E96E88C9F176725",
    },
    TdesKat {
        from: From::Ipek,
        key: "6FE9D46B92C0BAA2DE1ED35B25E8866F",
        ksn: "F72B70911273841870F2",
        variant: Variant::DataResponse,
        want: "107A433A14B0B85F583AF948AD674C2E",
    },
];

fn tdes_key(c: &mut Check, hex: &str) -> Result<TdesKey, String> {
    TdesKey::from_slice(&secret_hex(c, hex)?).map_err(fail("TDES key"))
}

fn aes_key(c: &mut Check, hex: &str) -> Result<AesKey, String> {
    AesKey::from_slice(&secret_hex(c, hex)?).map_err(fail("AES key"))
}

fn tdes_ksn(hex: &str) -> Result<TdesKsn, String> {
    TdesKsn::from_hex(hex).map_err(fail("KSN"))
}

fn aes_ksn(hex: &str) -> Result<AesKsn, String> {
    AesKsn::from_hex(hex).map_err(fail("KSN"))
}

/// The Annex A KSN with counter `n`.
fn annex_a_ksn(n: u32) -> Result<TdesKsn, String> {
    tdes_ksn(ANNEX_A_KSN)?
        .with_counter(n)
        .map_err(fail("counter"))
}

/// The IPEK from the BDK (X9.24-1:2009 Annex A).
fn tdes_ipek(c: &mut Check) -> OpResult {
    let bdk = tdes_key(c, ANNEX_A_BDK)?;
    let ipek = tdes::derive_initial_key(&bdk, &tdes_ksn(ANNEX_A_KSN)?).map_err(fail("ipek"))?;
    c.secret_eq("ipek", ipek.expose_secret(), ANNEX_A_IPEK)
}

/// All 21 counter bits set: 21 non-reversible key generation steps from
/// the IPEK (`key-base-21ones-7`).
fn tdes_key_21_ones(c: &mut Check) -> OpResult {
    let ipek = tdes_key(c, "097DDFC3BCEE8F79BE4D5E697A0E22A3")?;
    let ksn = tdes_ksn("EC1BB571C013521FFFFF")?;
    let key = tdes::derive_transaction_key(&ipek, &ksn).map_err(fail("key"))?;
    c.secret_eq("key", key.expose_secret(), "A01EF4BBEF6F05DACA5BC739534564DC")
}

fn tdes_variants<const DATA: bool>(c: &mut Check) -> OpResult {
    let kats: &[TdesKat] = if DATA {
        &TDES_DATA_VARIANTS
    } else {
        &TDES_VARIANTS
    };
    for k in kats {
        let key = tdes_key(c, k.key)?;
        let ksn = tdes_ksn(k.ksn)?;
        let got = match k.from {
            From::Bdk => tdes::derive_working_key_from_bdk(&key, &ksn, k.variant),
            From::Ipek => tdes::derive_working_key(&key, &ksn, k.variant),
        }
        .map_err(fail("key"))?;
        c.secret_eq(k.variant.name(), got.expose_secret(), k.want)?;
    }
    Ok(())
}

/// `Variant::apply` on a secret transaction key (Annex A counter 1):
/// the PIN and data-request variants (x9.24-1-variants.json, `pin-1`,
/// `data-request-1`).
fn tdes_variant_apply(c: &mut Check) -> OpResult {
    let key = tdes_key(c, ANNEX_A_KEYS[0])?;
    for (v, want) in [
        (Variant::Pin, "042666B49184CF5C68DE9628D0397B36"),
        (Variant::MacRequest, "042666B4918430A368DE9628D03984C9"),
        (Variant::DataRequest, ANNEX_A_DATA_KEYS[0]),
    ] {
        let k = v.apply(&key).map_err(fail("variant"))?;
        c.secret_eq(v.name(), k.expose_secret(), want)?;
    }
    Ok(())
}

/// The batch: the base keys of counters 1 to 21, twice over (42 KSNs, so
/// that the batch crosses its 32-KSN chunks), under one BDK (single DES
/// steps for up to 11 KSNs of a chunk at a time: the bitsliced
/// `des_encrypt_many`); or the data-request keys of counters 1 to 5 (the
/// one-way step as a batch of TDES encryptions).
fn tdes_many<const DATA: bool>(c: &mut Check) -> OpResult {
    let bdk = tdes_key(c, ANNEX_A_BDK)?;
    let (variant, want): (Variant, Vec<&str>) = if DATA {
        (Variant::DataRequest, ANNEX_A_DATA_KEYS.to_vec())
    } else {
        (Variant::Base, [ANNEX_A_KEYS, ANNEX_A_KEYS].concat())
    };
    let ksns = (1..=21)
        .cycle()
        .take(want.len())
        .map(annex_a_ksn)
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = (0..want.len())
        .map(|_| TdesKey::from_slice(&[0u8; 16]).map_err(fail("key")))
        .collect::<Result<Vec<_>, _>>()?;
    tdes::derive_working_keys_many(&bdk, &ksns, variant, &mut out)
        .map_err(fail("derive_working_keys_many"))?;
    for (k, w) in out.iter().zip(&want) {
        c.secret_eq("key", k.expose_secret(), w)?;
    }
    Ok(())
}

/// The terminal of Annex A: load the IPEK, the data-request key of the
/// first transaction, 21 transactions (saving the state after the tenth
/// and going on from the saved bytes, its registers marked secret as if
/// read back from flash).
fn tdes_terminal(c: &mut Check) -> OpResult {
    let ipek = tdes_key(c, ANNEX_A_IPEK)?;
    let mut t = TdesTerminal::load_initial_key(&ipek, &tdes_ksn(ANNEX_A_KSN)?)
        .map_err(fail("load"))?;
    let data = t.derive_working_key(Variant::DataRequest).map_err(fail("key"))?;
    c.secret_eq("data-request key", data.expose_secret(), ANNEX_A_DATA_KEYS[0])?;
    for (i, want) in ANNEX_A_KEYS.iter().enumerate() {
        if i == 10 {
            t = reload_tdes(c, &t)?;
        }
        let (ksn, key) = t.next_transaction(Variant::Base).map_err(fail("transaction"))?;
        if ksn.counter() != u32::try_from(i).unwrap_or(0).wrapping_add(1) {
            return Err(format!("transaction {i}: counter {}", ksn.counter()));
        }
        c.secret_eq("key", key.expose_secret(), want)?;
    }
    Ok(())
}

/// The terminal's state through its bytes: saved, declassified (it is an
/// output), its registers marked secret again, and loaded.
fn reload_tdes(c: &mut Check, t: &TdesTerminal) -> Result<TdesTerminal, String> {
    let mut state = t.to_bytes().to_vec();
    c.output("state", &mut state);
    let (_, registers) = state.split_at_mut(2 + TdesKsn::LEN);
    c.secret(registers);
    let r = TdesTerminal::from_bytes(&state);
    c.accepted("state accepted", r, None)?
        .ok_or_else(|| "no terminal".to_owned())
}

/// The Annex A.4.3 rollover: a terminal loaded at counter 0FF800 (nine
/// one-bits), then every transaction up to 100000, through counters of
/// ten one-bits where no future keys are derived.
fn tdes_terminal_rollover(c: &mut Check) -> OpResult {
    let ipek = tdes_key(c, ANNEX_A_IPEK)?;
    let mut t = TdesTerminal::load_initial_key(&ipek, &tdes_ksn(ROLLOVER[0].0)?)
        .map_err(fail("load"))?;
    for (ksn, want) in ROLLOVER {
        let (got_ksn, key) = t.next_transaction(Variant::Base).map_err(fail("transaction"))?;
        if got_ksn != tdes_ksn(ksn)? {
            return Err(format!("KSN {got_ksn}, want {ksn}"));
        }
        c.secret_eq("key", key.expose_secret(), want)?;
    }
    Ok(())
}

/// A saved state whose empty register holds a stray byte: refused (the
/// kernel's one verdict, on secret register bytes).
fn tdes_state_refused(c: &mut Check) -> OpResult {
    let t = TdesTerminal::load_initial_key(&TdesKey::from_slice(&unhex(ANNEX_A_IPEK)?).map_err(fail("key"))?, &tdes_ksn(ANNEX_A_KSN)?)
        .map_err(fail("load"))?;
    let mut state = t.to_bytes().to_vec();
    // Counter 1: register 0 is in use, so is every register above it;
    // none is empty. Counter 2 (after one transaction) leaves register 0
    // empty.
    let mut t2 = TdesTerminal::from_bytes(&state).map_err(fail("state"))?;
    t2.advance().map_err(fail("advance"))?;
    state = t2.to_bytes().to_vec();
    if let Some(b) = state.get_mut(2 + TdesKsn::LEN + 5) {
        *b = 0x01;
    }
    // With a check value that matches, so that the refusal is the empty
    // register's, not the check value's.
    reseal(&mut state);
    let (_, registers) = state.split_at_mut(2 + TdesKsn::LEN);
    c.secret(registers);
    c.accepted(
        "state accepted",
        TdesTerminal::from_bytes(&state),
        Some(Error::InvalidKey),
    )?;
    Ok(())
}

/// CRC-32C (RFC 3720), bit by bit: the check value at the end of a saved
/// state, for the ops that edit a state and must keep it matching. Runs on
/// public bytes, before they are marked secret.
fn reseal(state: &mut [u8]) {
    let Some((body, check)) = state.split_last_chunk_mut::<4>() else {
        return;
    };
    let mut crc = !0u32;
    for b in body.iter() {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0x82F6_3B78 } else { crc >> 1 };
        }
    }
    *check = (!crc).to_le_bytes();
}

/// A saved state with one bit of a register flipped (flash gone wrong):
/// refused by the check value, a verdict on secret bytes.
fn tdes_state_corrupt(c: &mut Check) -> OpResult {
    let ipek = TdesKey::from_slice(&unhex(ANNEX_A_IPEK)?).map_err(fail("key"))?;
    let t = TdesTerminal::load_initial_key(&ipek, &tdes_ksn(ANNEX_A_KSN)?).map_err(fail("load"))?;
    let mut state = t.to_bytes().to_vec();
    let (_, registers) = state.split_at_mut(2 + TdesKsn::LEN);
    if let Some(b) = registers.get_mut(40) {
        *b ^= 0x10;
    }
    c.secret(registers);
    c.accepted(
        "state accepted",
        TdesTerminal::from_bytes(&state),
        Some(Error::BadMac),
    )?;
    Ok(())
}

/// Erased flash, every byte secret (an erased state is only known to be
/// one once read): refused as no state.
fn tdes_state_erased(c: &mut Check) -> OpResult {
    let mut state = vec![0xFFu8; TdesTerminal::STATE_LEN];
    c.secret(&mut state);
    c.accepted(
        "state accepted",
        TdesTerminal::from_bytes(&state),
        Some(Error::NoState),
    )?;
    Ok(())
}

/// The AES initial keys of the X9.24-3-2017 supplement, AES-128, -192 and
/// -256 (x9.24-3-2017.json and -more.json, `initial-key-aes*`).
fn aes_initial_keys(c: &mut Check) -> OpResult {
    let id = InitialKeyId::from_hex("1234567890123456").map_err(fail("id"))?;
    for (bdk, want) in [
        (
            "FEDCBA9876543210F1F1F1F1F1F1F1F1",
            "1273671EA26AC29AFA4D1084127652A1",
        ),
        (
            "FEDCBA9876543210F1F1F1F1F1F1F1F1FEDCBA9876543210",
            "5B6DEE2B5B7FABFFA32591F35BF8F23DD9329AE85131E584",
        ),
        (
            "FEDCBA9876543210F1F1F1F1F1F1F1F1FEDCBA9876543210F1F1F1F1F1F1F1F1",
            "CE9CE0C101D1138F97FB6CAD4DF045A7083D4EAE2D35A31789D01CCF0949550F",
        ),
    ] {
        let bdk = aes_key(c, bdk)?;
        let ik = aes::derive_initial_key(&bdk, &id).map_err(fail("initial key"))?;
        c.secret_eq("initial key", ik.expose_secret(), want)?;
    }
    Ok(())
}

/// The intermediate derivation ("transaction") keys of counters 1, 5, 8
/// and FFFF0000 (16 one-bits) under the supplement's AES-128 initial key (the X9.24-3-2017
/// supplement's values that `src/dukpt/aes.rs` tests cite).
fn aes_transaction_keys(c: &mut Check) -> OpResult {
    let id = InitialKeyId::from_hex(SUPPLEMENT_ID).map_err(fail("id"))?;
    for (counter, want) in [
        (1, "4F21B565BAD9835E112B6465635EAE44"),
        (5, "C2A7AC328A5DA2D6002D62465BFC028B"),
        (8, "718EE6CF0B27E53D5F7AF99C4D8146A2"),
        (0xFFFF_0000, "F6BA59389BD14A9855BE9727E7C52E3C"),
    ] {
        let ik = aes_key(c, SUPPLEMENT_IK128)?;
        let k = aes::derive_transaction_key(&ik, &id.ksn(counter)).map_err(fail("key"))?;
        c.secret_eq("transaction key", k.expose_secret(), want)?;
    }
    Ok(())
}

/// An AES working-key known answer: from the BDK or the initial key.
struct AesKat {
    bdk: bool,
    key: &'static str,
    ksn: &'static str,
    key_type: KeyType,
    usage: KeyUsage,
    want: &'static str,
}

const SUPPLEMENT_BDK128: &str = "FEDCBA9876543210F1F1F1F1F1F1F1F1";
const SUPPLEMENT_BDK192: &str = "FEDCBA9876543210F1F1F1F1F1F1F1F1FEDCBA9876543210";
const SUPPLEMENT_BDK256: &str =
    "FEDCBA9876543210F1F1F1F1F1F1F1F1FEDCBA9876543210F1F1F1F1F1F1F1F1";
/// The supplement's initial keys (`initial-key-aes128`, `-aes256`).
const SUPPLEMENT_IK128: &str = "1273671EA26AC29AFA4D1084127652A1";
const SUPPLEMENT_IK256: &str =
    "CE9CE0C101D1138F97FB6CAD4DF045A7083D4EAE2D35A31789D01CCF0949550F";
const SUPPLEMENT_ID: &str = "1234567890123456";

const fn supplement(
    key: &'static str,
    counter: &'static str,
    key_type: KeyType,
    usage: KeyUsage,
    want: &'static str,
) -> AesKat {
    AesKat {
        bdk: true,
        key,
        ksn: counter,
        key_type,
        usage,
        want,
    }
}

/// AES-128 BDK (x9.24-3-2017.json, `bdk128-*`): every usage at counter 1,
/// the TDEA key types, and counter 0001FFFF (17 one-bits).
const AES128_KATS: [AesKat; 11] = [
    supplement(SUPPLEMENT_BDK128, "123456789012345600000001", KeyType::Aes128, KeyUsage::KeyEncryptionKey, "36A724B7BEFA5A25F5E7B5782A4554A2"),
    supplement(SUPPLEMENT_BDK128, "123456789012345600000001", KeyType::Aes128, KeyUsage::PinEncryption, "AF8CB133A78F8DC2D1359F18527593FB"),
    supplement(SUPPLEMENT_BDK128, "123456789012345600000001", KeyType::Aes128, KeyUsage::MacGeneration, "A2DC23DE6FDE0824A2BC321E08E4B8B7"),
    supplement(SUPPLEMENT_BDK128, "123456789012345600000001", KeyType::Aes128, KeyUsage::MacVerification, "DBB463945B286C07CD3AD82EE96FD9C9"),
    supplement(SUPPLEMENT_BDK128, "123456789012345600000001", KeyType::Aes128, KeyUsage::MacBoth, "85675439D18D7F1158BD8E3EAA3D502B"),
    supplement(SUPPLEMENT_BDK128, "123456789012345600000001", KeyType::Aes128, KeyUsage::DataEncrypt, "A35C412EFD41FDB98B69797C02DCD08F"),
    supplement(SUPPLEMENT_BDK128, "123456789012345600000001", KeyType::Aes128, KeyUsage::DataDecrypt, "16292C6EA8F64C5420A0584BFBC577BE"),
    supplement(SUPPLEMENT_BDK128, "123456789012345600000001", KeyType::Aes128, KeyUsage::DataBoth, "A308E080DD15A1B741F1721BF67DE11C"),
    supplement(SUPPLEMENT_BDK128, "123456789012345600000001", KeyType::Tdea2, KeyUsage::PinEncryption, "630C706D9546E47D4449313F61C4D4AB"),
    supplement(SUPPLEMENT_BDK128, "123456789012345600000001", KeyType::Tdea3, KeyUsage::PinEncryption, "EA8B3F37EB9B15831167EF2977FD8762D9B5913F35766F6A"),
    supplement(SUPPLEMENT_BDK128, "12345678901234560001FFFF", KeyType::Aes128, KeyUsage::PinEncryption, "73BA667D6368A2086E72576DF41A4037"),
];

/// AES-192 BDK (x9.24-3-2017.json, `bdk192-*`; x9.24-3-independent.json,
/// `bdk192-AES192-pin-31ones-52`).
const AES192_KATS: [AesKat; 4] = [
    supplement(SUPPLEMENT_BDK192, "123456789012345600000001", KeyType::Aes192, KeyUsage::PinEncryption, "C5043EDC7F2C001097974D40FF82A050B64A1AB27879F3DB"),
    supplement(SUPPLEMENT_BDK192, "123456789012345600000003", KeyType::Aes128, KeyUsage::MacGeneration, "D2D13AF44E71EB6E8539FFDA3C37A5D6"),
    supplement(SUPPLEMENT_BDK192, "12345678901234560001FFFF", KeyType::Aes192, KeyUsage::DataEncrypt, "92E250B33BC93E9BF213EA343AD7465758EEB67569C9ED90"),
    supplement("E4AFD47C13E1D9F5F79F725DE3E1E0B15253B281802EB047", "8BA3E10BDFD578C6FFDFFFFF", KeyType::Aes192, KeyUsage::PinEncryption, "9349A00370DA2D6E11A1490DC34606750D08F7A6FCD46D1C"),
];

/// AES-256 BDK (x9.24-3-2017.json, `bdk256-*`; x9.24-3-independent.json,
/// `bdk256-AES256-mac-verify-31ones-100`).
const AES256_KATS: [AesKat; 4] = [
    supplement(SUPPLEMENT_BDK256, "123456789012345600000001", KeyType::Aes256, KeyUsage::PinEncryption, "8C1AB7BEE973829E30242E0BBBDD4946D540C98FC1B5BDCF94790001A23FD502"),
    supplement(SUPPLEMENT_BDK256, "123456789012345600000001", KeyType::Aes256, KeyUsage::DataEncrypt, "71EB36C9A6B7F801D1D1700C29741FC5A5C4E9B45D742DA7AF6992B8AA29AF58"),
    supplement(SUPPLEMENT_BDK256, "123456789012345600000001", KeyType::Aes128, KeyUsage::PinEncryption, "09C9C432966811D6B2C3336BAC1B1202"),
    supplement("5D4773E579EAB4B17693A55AE09E647E6FE46F0B64BF96831D22849185E8BCF3", "9E004989AAE6B03CFFFFFFFD", KeyType::Aes256, KeyUsage::MacVerification, "0786EEDEB838D2ED6E40C5926D7566C7993E21AEF5FA91B2AEBC5FD20AA9C64D"),
];

/// The TDEA and HMAC key types, from BDKs and from initial keys
/// (x9.24-3-tdea-hmac.json: `bdk128-2TDEA-mac-both-31ones-4`,
/// `bdk128-2TDEA-pin-4ones-1`, `bdk256-HMAC128-mac-verify-16ones-106`,
/// `bdk256-HMAC192-mac-verify-9ones-109`,
/// `bdk256-HMAC256-mac-generate-4ones-111`).
const TDEA_HMAC_KATS: [AesKat; 5] = [
    supplement("96E236FE986A5B1A22E9153E68FEE8FC", "1327F29821A77308FFBFFFFF", KeyType::Tdea2, KeyUsage::MacBoth, "35E9AC28AD7318C3E280AF97DAA543B3"),
    AesKat {
        bdk: false,
        key: "CA149A0EA26B2B4AA7312F31BF80B667",
        ksn: "6286E0FB2F21AEEB804000A0",
        key_type: KeyType::Tdea2,
        usage: KeyUsage::PinEncryption,
        want: "CBCE259F480862BCAB04ECE552F31939",
    },
    supplement("97AD6798AD7907448B653EF223AC6FDD6147DCDA9250185099DAAEA3497BDFFC", "362EB31E6E9AE8035A3D423D", KeyType::Hmac128, KeyUsage::MacVerification, "D7DD9E599D4E2B351E60A543576C9BFA"),
    AesKat {
        bdk: false,
        key: "56A29E51610CB4B83A9352EC502B4896A58D9A7EEB2A244373504D899FD13B44",
        ksn: "2C1762B04BA631BF400521E2",
        key_type: KeyType::Hmac192,
        usage: KeyUsage::MacVerification,
        want: "126CEB6C9B91C767282B5CE84FB61AC37B7582EB517B08CA",
    },
    AesKat {
        bdk: false,
        key: "3DDFF8AAA04D7625975D4D290CCDA7F1A3E7CB516A92D222EFCB4B99C885DE65",
        ksn: "D93C260F00A03AFA03000204",
        key_type: KeyType::Hmac256,
        usage: KeyUsage::MacGeneration,
        want: "C2E33AEBD27DD72D060CA22433574DBD71621D8B445A6A11BF2D4A813B17D799",
    },
];

fn aes_working_keys<const I: usize>(c: &mut Check) -> OpResult {
    let kats: &[AesKat] = match I {
        0 => &AES128_KATS,
        1 => &AES192_KATS,
        2 => &AES256_KATS,
        _ => &TDEA_HMAC_KATS,
    };
    for k in kats {
        let key = aes_key(c, k.key)?;
        let ksn = aes_ksn(k.ksn)?;
        let got = if k.bdk {
            aes::derive_working_key_from_bdk(&key, &ksn, k.key_type, k.usage)
        } else {
            aes::derive_working_key(&key, &ksn, k.key_type, k.usage)
        }
        .map_err(fail("working key"))?;
        c.secret_eq(k.key_type.name(), got.expose_secret(), k.want)?;
    }
    Ok(())
}

/// The DUKPT update keys of the supplement's initial keys (the values that
/// `src/dukpt/aes.rs` tests cite from the X9.24-3-2017 supplement), host
/// side and, from the registers, terminal side.
fn aes_update_keys(c: &mut Check) -> OpResult {
    let id = InitialKeyId::from_hex(SUPPLEMENT_ID).map_err(fail("id"))?;
    for (ik, t, want) in [
        (SUPPLEMENT_IK128, KeyType::Aes128, "9A9770AEE1ACD1B13473D0463A1883B9"),
        (SUPPLEMENT_IK128, KeyType::Tdea2, "4744A5ECBC62B5C4BB76FBEAE1E244A3"),
        (
            SUPPLEMENT_IK128,
            KeyType::Tdea3,
            "AF82BE8533CFCA526DA71708667AD0BBC7A7517504C78C8A",
        ),
        (
            SUPPLEMENT_IK256,
            KeyType::Aes256,
            "AEFB210C136278A1279F7C8815F446DB8EBE2AA910B157AA4E6484D8DE9C4807",
        ),
    ] {
        let ik = aes_key(c, ik)?;
        let host = aes::derive_update_key(&ik, &id, t).map_err(fail("update key"))?;
        c.secret_eq("host update key", host.expose_secret(), want)?;
        let mut term = AesTerminal::load_initial_key(&ik, &id.ksn(0x7FFF_0000))
            .map_err(fail("load"))?;
        term.advance().map_err(fail("advance"))?;
        let got = term.derive_update_key(t).map_err(fail("update key"))?;
        c.secret_eq("terminal update key", got.expose_secret(), want)?;
    }
    Ok(())
}

/// The batch under the supplement's AES-128 BDK: the PIN keys of counters
/// 1 to 5 (x9.24-3-2017.json, `terminal-pin-keys-1-99`).
fn aes_many(c: &mut Check) -> OpResult {
    let bdk = aes_key(c, SUPPLEMENT_BDK128)?;
    let id = InitialKeyId::from_hex(SUPPLEMENT_ID).map_err(fail("id"))?;
    let want = AES_PIN_KEYS.get(..5).ok_or("keys")?;
    let ksns: Vec<AesKsn> = (1..=5).map(|n| id.ksn(n)).collect();
    let mut out = (0..5)
        .map(|_| AesKey::from_slice(&[0u8; 16]).map(WorkingKey::Aes).map_err(fail("key")))
        .collect::<Result<Vec<_>, _>>()?;
    aes::derive_working_keys_many(&bdk, &ksns, KeyType::Aes128, KeyUsage::PinEncryption, &mut out)
        .map_err(fail("derive_working_keys_many"))?;
    for (k, w) in out.iter().zip(want) {
        c.secret_eq("key", k.expose_secret(), w)?;
    }
    Ok(())
}

/// The PIN keys of the supplement's AES-128 terminal, counters 1 to 20
/// (x9.24-3-2017.json, `terminal-pin-keys-1-99`).
const AES_PIN_KEYS: [&str; 20] = [
    "AF8CB133A78F8DC2D1359F18527593FB",
    "D30BDC73EC9714B000BEC66BDB7B6D09",
    "7D69F01F3B45449F62C7816ECE723268",
    "91A0588318EC2673214271F70137896E",
    "35A43BC9EFEB09C756204B57E3FB7D4D",
    "02DCC6CD1201A3A2CA7099559C862123",
    "6ECF912F3B18CA11A7A27BB60705FD09",
    "4D9DF3FBEE3448FC3E676D04320A90F5",
    "B4273D0F8804829572AFF61FA2BC417F",
    "BA7CF1ABF6B4A23A16A07CDE63F3514C",
    "FBB09B064691293A3FFBA322F2C55014",
    "6743311B691A3065561BB075EB39DA2D",
    "0BAC7E46F72C543F06C7144080E2AD4B",
    "3453AA079FF413D9FF51E6055F03B664",
    "4A22D5A8B6B6C06292EAAC6A1353C369",
    "A09C63853B707708DEAB907BA778C191",
    "0C30F0D8D070B90FF25D83B6E23BC1A4",
    "50233141FE61DDAA8C444DF112EACE8E",
    "155FA01A41971C9A185E125F2D99586C",
    "FD8ECD02676402DD573468D66C64F898",
];

/// The supplement's AES-128 terminal: 20 transactions, the state saved
/// after the eighth and loaded back with its registers marked secret; and
/// a 2TDEA PIN key of the first transaction (x9.24-3-2017.json,
/// `bdk128-00000001-2TDEA-pin`).
fn aes_terminal(c: &mut Check) -> OpResult {
    let ik = aes_key(c, SUPPLEMENT_IK128)?;
    let id = InitialKeyId::from_hex(SUPPLEMENT_ID).map_err(fail("id"))?;
    let mut t = AesTerminal::load_initial_key(&ik, &id.ksn(0)).map_err(fail("load"))?;
    let tdea = t
        .derive_working_key(KeyType::Tdea2, KeyUsage::PinEncryption)
        .map_err(fail("working key"))?;
    c.secret_eq("2TDEA pin key", tdea.expose_secret(), "630C706D9546E47D4449313F61C4D4AB")?;
    for (i, want) in AES_PIN_KEYS.iter().enumerate() {
        if i == 8 {
            t = reload_aes(c, &t)?;
        }
        let (ksn, key) = t
            .next_transaction(KeyType::Aes128, KeyUsage::PinEncryption)
            .map_err(fail("transaction"))?;
        if ksn != id.ksn(u32::try_from(i).unwrap_or(0).wrapping_add(1)) {
            return Err(format!("transaction {i}: KSN {ksn}"));
        }
        c.secret_eq("key", key.expose_secret(), want)?;
    }
    Ok(())
}

fn reload_aes(c: &mut Check, t: &AesTerminal) -> Result<AesTerminal, String> {
    let mut state = t.to_bytes().to_vec();
    c.output("state", &mut state);
    let (_, registers) = state.split_at_mut(3 + AesKsn::LEN);
    c.secret(registers);
    c.accepted("state accepted", AesTerminal::from_bytes(&state), None)?
        .ok_or_else(|| "no terminal".to_owned())
}

/// Update Initial Key: an AES-128 terminal takes the supplement's AES-256
/// initial key, whose first AES-256 PIN key is known (x9.24-3-2017.json,
/// `bdk256-00000001-AES256-pin`); and an AES-192 one from its BDK's
/// initial key (`bdk192-00000001-AES192-pin`).
fn aes_terminal_update(c: &mut Check) -> OpResult {
    let id = InitialKeyId::from_hex(SUPPLEMENT_ID).map_err(fail("id"))?;
    let mut t = AesTerminal::load_initial_key(&aes_key(c, SUPPLEMENT_IK128)?, &id.ksn(0))
        .map_err(fail("load"))?;
    t.advance().map_err(fail("advance"))?;
    for (ik, key_type, want) in [
        (
            SUPPLEMENT_IK256,
            KeyType::Aes256,
            "8C1AB7BEE973829E30242E0BBBDD4946D540C98FC1B5BDCF94790001A23FD502",
        ),
        (
            "5B6DEE2B5B7FABFFA32591F35BF8F23DD9329AE85131E584",
            KeyType::Aes192,
            "C5043EDC7F2C001097974D40FF82A050B64A1AB27879F3DB",
        ),
    ] {
        t.update_initial_key(&aes_key(c, ik)?, &id.ksn(0))
            .map_err(fail("update"))?;
        let (_, key) = t
            .next_transaction(key_type, KeyUsage::PinEncryption)
            .map_err(fail("transaction"))?;
        c.secret_eq("key", key.expose_secret(), want)?;
    }
    Ok(())
}

/// A saved AES state with a stray byte in an empty register, its check
/// value matching: refused (the kernel's one verdict, on secret register
/// bytes).
fn aes_state_refused(c: &mut Check) -> OpResult {
    let id = InitialKeyId::from_hex(SUPPLEMENT_ID).map_err(fail("id"))?;
    let ik = AesKey::from_slice(&unhex(SUPPLEMENT_IK128)?).map_err(fail("key"))?;
    let mut t = AesTerminal::load_initial_key(&ik, &id.ksn(0)).map_err(fail("load"))?;
    t.advance().map_err(fail("advance"))?;
    let mut state = t.to_bytes().to_vec();
    // At counter 2, register 0 (16 bytes: an AES-128 state) is empty.
    if let Some(b) = state.get_mut(3 + AesKsn::LEN + 5) {
        *b = 0x80;
    }
    reseal(&mut state);
    let (_, registers) = state.split_at_mut(3 + AesKsn::LEN);
    c.secret(registers);
    c.accepted(
        "state accepted",
        AesTerminal::from_bytes(&state),
        Some(Error::InvalidKey),
    )?;
    Ok(())
}

/// A saved AES-128 state with one bit of a register flipped: refused by
/// the check value.
fn aes_state_corrupt(c: &mut Check) -> OpResult {
    let id = InitialKeyId::from_hex(SUPPLEMENT_ID).map_err(fail("id"))?;
    let ik = AesKey::from_slice(&unhex(SUPPLEMENT_IK128)?).map_err(fail("key"))?;
    let t = AesTerminal::load_initial_key(&ik, &id.ksn(0)).map_err(fail("load"))?;
    let mut state = t.to_bytes().to_vec();
    let (_, registers) = state.split_at_mut(3 + AesKsn::LEN);
    if let Some(b) = registers.get_mut(100) {
        *b ^= 0x01;
    }
    c.secret(registers);
    c.accepted(
        "state accepted",
        AesTerminal::from_bytes(&state),
        Some(Error::BadMac),
    )?;
    Ok(())
}

/// Erased flash of an AES-256 state's size, every byte secret: no state.
fn aes_state_erased(c: &mut Check) -> OpResult {
    let mut state = vec![0u8; AesTerminal::MAX_STATE_LEN];
    c.secret(&mut state);
    c.accepted(
        "state accepted",
        AesTerminal::from_bytes(&state),
        Some(Error::NoState),
    )?;
    Ok(())
}

/// An AES-256 terminal of the supplement (x9.24-3-2017.json,
/// `bdk256-00000001-AES256-pin`): saved into a caller's buffer
/// (`save_into`), reloaded with its registers secret, then its first PIN
/// key.
fn aes256_save_reload(c: &mut Check) -> OpResult {
    let id = InitialKeyId::from_hex(SUPPLEMENT_ID).map_err(fail("id"))?;
    let ik = aes_key(c, SUPPLEMENT_IK256)?;
    let t = AesTerminal::load_initial_key(&ik, &id.ksn(0)).map_err(fail("load"))?;
    let mut slot = vec![0u8; AesTerminal::MAX_STATE_LEN];
    let n = t.save_into(&mut slot).map_err(fail("save"))?;
    c.output("state", &mut slot);
    let (_, registers) = slot.split_at_mut(3 + AesKsn::LEN);
    c.secret(registers);
    let mut t = c
        .accepted("state accepted", AesTerminal::from_bytes(slot.get(..n).unwrap_or(&[])), None)?
        .ok_or_else(|| "no terminal".to_owned())?;
    let (_, key) = t
        .next_transaction(KeyType::Aes256, KeyUsage::PinEncryption)
        .map_err(fail("transaction"))?;
    c.secret_eq(
        "key",
        key.expose_secret(),
        "8C1AB7BEE973829E30242E0BBBDD4946D540C98FC1B5BDCF94790001A23FD502",
    )
}
