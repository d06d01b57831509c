//! DUKPT: TDES (ANSI X9.24-1:2009) and AES (ANSI X9.24-3-2017), host and
//! terminal side, and a terminal's saved state.

use paykernel::dukpt::aes::{self, AesTerminal, KeyType, KeyUsage};
use paykernel::dukpt::tdes::{self, TdesTerminal, Variant};
use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
use paykernel::{AesKey, Error, TdesKey};

use super::{Check, Outcome};

/// The checks of this group.
pub const ALL: &[Check] = &[
    ("dukpt tdes ipek x9.24-1 a.4", tdes_ipek),
    ("dukpt tdes key and pin variant x9.24-1 a.4", tdes_key),
    ("dukpt tdes terminal first keys", tdes_terminal),
    ("dukpt tdes terminal state reload", tdes_reload),
    ("dukpt aes initial key x9.24-3-2017", aes_initial_key),
    ("dukpt aes working keys x9.24-3-2017", aes_working_key),
    ("dukpt aes terminal first key", aes_terminal),
    ("dukpt aes terminal state reload", aes_reload),
    (
        "dukpt aes-256 terminal saved into a buffer",
        aes256_save_into,
    ),
    (
        "dukpt saved states: corrupt and erased refused",
        state_refusals,
    ),
    ("dukpt refusals", refusals),
];

// ANSI X9.24-1:2009 Annex A.4 (as transcribed in openemv/dukpt
// test/dukpt_tdes_test.c; vectors/x9.24-1-2009-annex-a.json).
const BDK: [u8; 16] = h!("0123456789ABCDEFFEDCBA9876543210");
const IPEK: [u8; 16] = h!("6AC292FAA1315B4D858AB3A3D7D5933A");
const KSN0: &str = "FFFF9876543210E00000";
/// The transaction keys of counters 1, 2 and 3.
const KEYS: [[u8; 16]; 3] = [
    h!("042666B49184CFA368DE9628D0397BC9"),
    h!("C46551CEF9FD24B0AA9AD834130D3BC7"),
    h!("0DF3D9422ACA56E547676D07AD6BADFA"),
];

// The ANSI X9.24-3-2017 supplement test vectors ("X9.24-3-2017 Test
// Vectors 20180129"; vectors/x9.24-3-2017.json): AES-128 BDK, initial key
// ID 1234567890123456.
const AES_BDK: [u8; 16] = h!("FEDCBA9876543210F1F1F1F1F1F1F1F1");
const AES_IK: [u8; 16] = h!("1273671EA26AC29AFA4D1084127652A1");
const AES_ID: &str = "1234567890123456";
/// Counter 1, AES-128 PIN encryption key.
const AES_PIN_1: [u8; 16] = h!("AF8CB133A78F8DC2D1359F18527593FB");
/// Counter 2, AES-128 MAC generation and data encryption keys.
const AES_MAC_2: [u8; 16] = h!("484C3B06E8562704528CD5B46FB12FB6");
const AES_DATA_2: [u8; 16] = h!("D639514AA33AC43AD9229E433D6D4E5B");

fn tdes_ipek() -> Outcome {
    let bdk = TdesKey::from_slice(&BDK)?;
    let ipek = tdes::derive_initial_key(&bdk, &TdesKsn::from_hex(KSN0)?)?;
    Ok(ipek.expose_secret() == IPEK)
}

fn tdes_key() -> Outcome {
    let ipek = TdesKey::from_slice(&IPEK)?;
    let ksn = TdesKsn::from_hex("FFFF9876543210E00001")?;
    let key = tdes::derive_transaction_key(&ipek, &ksn)?;
    let pin = tdes::derive_working_key(&ipek, &ksn, Variant::Pin)?;
    // Counter 15 (21st transaction) straight from the BDK.
    let k21 = tdes::derive_working_key_from_bdk(
        &TdesKey::from_slice(&BDK)?,
        &TdesKsn::from_hex("FFFF9876543210E00015")?,
        Variant::Base,
    )?;
    Ok(key.expose_secret() == KEYS[0]
        && pin.expose_secret() == h!("042666B49184CF5C68DE9628D0397B36")
        && k21.expose_secret() == h!("E161D1956A61F6D2F37AFD7F9CC3699A"))
}

fn tdes_terminal() -> Outcome {
    let mut t =
        TdesTerminal::load_initial_key(&TdesKey::from_slice(&IPEK)?, &TdesKsn::from_hex(KSN0)?)?;
    let mut ok = true;
    for (counter, expected) in (1u32..).zip(KEYS.iter()) {
        let (ksn, key) = t.next_transaction(Variant::Base)?;
        ok &= ksn.counter() == counter && key.expose_secret() == expected;
    }
    Ok(ok)
}

/// A terminal saved after two transactions and reloaded makes the third
/// transaction of Annex A, as the original does.
fn tdes_reload() -> Outcome {
    let mut t =
        TdesTerminal::load_initial_key(&TdesKey::from_slice(&IPEK)?, &TdesKsn::from_hex(KSN0)?)?;
    t.next_transaction(Variant::Base)?;
    t.next_transaction(Variant::Base)?;
    let saved = t.to_bytes();
    let mut back = TdesTerminal::from_bytes(&saved)?;
    let (ksn, key) = back.next_transaction(Variant::Base)?;
    let (_, original) = t.next_transaction(Variant::Base)?;
    Ok(ksn == TdesKsn::from_hex("FFFF9876543210E00003")?
        && key.expose_secret() == KEYS[2]
        && original.expose_secret() == KEYS[2])
}

fn aes_initial_key() -> Outcome {
    let bdk = AesKey::from_slice(&AES_BDK)?;
    let ik128 = aes::derive_initial_key(&bdk, &InitialKeyId::from_hex(AES_ID)?)?;
    let bdk256 = AesKey::from_slice(&h!(
        "FEDCBA9876543210F1F1F1F1F1F1F1F1FEDCBA9876543210F1F1F1F1F1F1F1F1"
    ))?;
    let ik256 = aes::derive_initial_key(&bdk256, &InitialKeyId::from_hex(AES_ID)?)?;
    Ok(ik128.expose_secret() == AES_IK
        && ik256.expose_secret()
            == h!("CE9CE0C101D1138F97FB6CAD4DF045A7083D4EAE2D35A31789D01CCF0949550F"))
}

fn aes_working_key() -> Outcome {
    let ik = AesKey::from_slice(&AES_IK)?;
    let ksn1 = AesKsn::from_hex("123456789012345600000001")?;
    let pin = aes::derive_working_key(&ik, &ksn1, KeyType::Aes128, KeyUsage::PinEncryption)?;
    // A 2TDEA working key of the same transaction, from the BDK.
    let tdea = aes::derive_working_key_from_bdk(
        &AesKey::from_slice(&AES_BDK)?,
        &ksn1,
        KeyType::Tdea2,
        KeyUsage::PinEncryption,
    )?;
    Ok(pin.expose_secret() == AES_PIN_1
        && tdea.expose_secret() == h!("630C706D9546E47D4449313F61C4D4AB"))
}

fn aes_terminal() -> Outcome {
    let ksn0 = AesKsn::from_hex("123456789012345600000000")?;
    let mut t = AesTerminal::load_initial_key(&AesKey::from_slice(&AES_IK)?, &ksn0)?;
    let (ksn, key) = t.next_transaction(KeyType::Aes128, KeyUsage::PinEncryption)?;
    Ok(ksn.counter() == 1 && key.expose_secret() == AES_PIN_1)
}

/// A terminal saved after its first transaction and reloaded derives the
/// supplement's keys of counter 2.
fn aes_reload() -> Outcome {
    let ksn0 = AesKsn::from_hex("123456789012345600000000")?;
    let mut t = AesTerminal::load_initial_key(&AesKey::from_slice(&AES_IK)?, &ksn0)?;
    t.advance()?;
    let saved = t.to_bytes();
    let back = AesTerminal::from_bytes(&saved)?;
    let mac = back.derive_working_key(KeyType::Aes128, KeyUsage::MacGeneration)?;
    let data = back.derive_working_key(KeyType::Aes128, KeyUsage::DataEncrypt)?;
    Ok(back.current_ksn()?.counter() == 2
        && mac.expose_secret() == AES_MAC_2
        && data.expose_secret() == AES_DATA_2)
}

/// An AES-256 terminal of the supplement saved into a flash-sized buffer
/// (`save_into`), found there (`saved_len`) and reloaded: its first PIN key
/// (vectors/x9.24-3-2017.json, `bdk256-00000001-AES256-pin`).
fn aes256_save_into() -> Outcome {
    let ik = AesKey::from_slice(&h!(
        "CE9CE0C101D1138F97FB6CAD4DF045A7083D4EAE2D35A31789D01CCF0949550F"
    ))?;
    let t = AesTerminal::load_initial_key(&ik, &AesKsn::from_hex("123456789012345600000000")?)?;
    let mut slot = [0xFFu8; AesTerminal::MAX_STATE_LEN];
    let erased = AesTerminal::saved_len(&slot).err() == Some(Error::NoState);
    let n = t.save_into(&mut slot)?;
    let found = AesTerminal::saved_len(&slot)?;
    let mut back = AesTerminal::from_bytes(slot.get(..n).ok_or(Error::InvalidLength)?)?;
    let (_, key) = back.next_transaction(KeyType::Aes256, KeyUsage::PinEncryption)?;
    Ok(erased
        && n == 1043
        && found == n
        && key.expose_secret()
            == h!("8C1AB7BEE973829E30242E0BBBDD4946D540C98FC1B5BDCF94790001A23FD502"))
}

/// A saved state with one bit flipped is refused by its check value
/// (`BadMac`), erased flash (all `FF`, all `00`) is `NoState`, and an AES
/// state of another key length keeps its own size.
fn state_refusals() -> Outcome {
    let t =
        TdesTerminal::load_initial_key(&TdesKey::from_slice(&IPEK)?, &TdesKsn::from_hex(KSN0)?)?;
    let state = t.to_bytes();
    let mut flipped = [0u8; TdesTerminal::STATE_LEN];
    flipped.copy_from_slice(&state);
    flipped[100] ^= 0x08;
    let corrupt = TdesTerminal::from_bytes(&flipped).err();
    let a = AesTerminal::load_initial_key(
        &AesKey::from_slice(&AES_IK)?,
        &AesKsn::from_hex("123456789012345600000000")?,
    )?;
    let mut aes = [0u8; AesTerminal::MAX_STATE_LEN];
    let n = a.save_into(&mut aes)?;
    aes[n - 1] ^= 0x80;
    let aes_corrupt = AesTerminal::from_bytes(&aes[..n]).err();
    Ok(corrupt == Some(Error::BadMac)
        && aes_corrupt == Some(Error::BadMac)
        && n == 531
        && TdesTerminal::from_bytes(&[0xFF; TdesTerminal::STATE_LEN]).err() == Some(Error::NoState)
        && TdesTerminal::from_bytes(&[0x00; TdesTerminal::STATE_LEN]).err() == Some(Error::NoState)
        && AesTerminal::from_bytes(&[0xFF; AesTerminal::MAX_STATE_LEN]).err()
            == Some(Error::NoState))
}

fn refusals() -> Outcome {
    let t =
        TdesTerminal::load_initial_key(&TdesKey::from_slice(&IPEK)?, &TdesKsn::from_hex(KSN0)?)?;
    let saved = t.to_bytes();
    let mut state = [0u8; TdesTerminal::STATE_LEN];
    state.copy_from_slice(&saved);
    let short = TdesTerminal::from_bytes(&state[..TdesTerminal::STATE_LEN - 1]).err();
    state[0] ^= 0xFF;
    let tag = TdesTerminal::from_bytes(&state).err();
    Ok(short == Some(Error::InvalidLength)
        && tag == Some(Error::Unsupported)
        && AesTerminal::from_bytes(&[0xA2, 0, 16]).err() == Some(Error::InvalidLength)
        && TdesKsn::from_hex("FFFF9876543210E0000").err() == Some(Error::InvalidKsn)
        && AesKsn::from_hex("12345678901234560000000G").err() == Some(Error::InvalidKsn)
        && tdes::derive_initial_key(&TdesKey::from_slice(&BDK[..8])?, &TdesKsn::from_hex(KSN0)?)
            .err()
            == Some(Error::InvalidKey))
}
