//! CBC and DUKPT keys in use: TDES- and AES-CBC, TDES DUKPT data and
//! retail MACs, AES DUKPT data, CMAC and HMAC-SHA-256, and a terminal's and
//! a host's transaction in one call each.

use paykernel::dukpt::aes::{KeyType, KeyUsage};
use paykernel::dukpt::tdes::TdesTerminal;
use paykernel::dukpt::txn::aes::Transaction as AesTransaction;
use paykernel::dukpt::txn::tdes::{self as tdes_txn, Transaction as TdesTransaction};
use paykernel::dukpt::txn::{Direction, EncipheredPin, PinEntry, Request, TerminalInput};
use paykernel::dukpt::{AesKsn, TdesKsn};
use paykernel::mode::cbc::{self, AesIv, TdesIv};
use paykernel::pin::{Format, Pin, PinBlockCipher};
use paykernel::{AesCipher, AesKey, Error, Pan, TdesCipher, TdesKey};

use super::{Check, Outcome};
use crate::rng::TestRng;

/// The checks of this group.
pub const ALL: &[Check] = &[
    ("cbc aes-128 sp 800-38a f.2.1", cbc_aes),
    ("cbc tdes cavp tcbcmmt2", cbc_tdes),
    ("dukpt tdes data and macs x9.24-1 a.4", tdes_data_mac),
    ("dukpt aes data, cmac, hmac (moov-io/dukpt)", aes_data_mac),
    (
        "dukpt tdes terminal request and host in one call",
        tdes_one_call,
    ),
    ("dukpt data refusals", refusals),
];

fn cbc_aes() -> Outcome {
    // NIST SP 800-38A F.2.1 / F.2.2, the first two blocks.
    let c = AesCipher::new(&AesKey::from_slice(&h!(
        "2B7E151628AED2A6ABF7158809CF4F3C"
    ))?);
    let iv = AesIv::from_bytes(h!("000102030405060708090A0B0C0D0E0F"));
    let pt = h!("6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51");
    let mut d = pt;
    cbc::aes_encrypt(&c, &iv, &mut d)?;
    let ok = d == h!("7649ABAC8119B246CEE98E9B12E9197D5086CB9B507219EE95DB113A917678B2");
    cbc::aes_decrypt(&c, &iv, &mut d)?;
    Ok(ok && d == pt)
}

fn cbc_tdes() -> Outcome {
    // NIST CAVP TCBCMMT2.rsp, ENCRYPT COUNT 9 (vectors/cavp-cbc.json).
    let c = TdesCipher::new(&TdesKey::from_slice(&h!(
        "23ABB073A2DF34CB3D1FDCE6B092582C"
    ))?);
    let iv = TdesIv::from_bytes(h!("7D7FBF19E8562D32"));
    let pt = h!(
        "31E718FD95E6D7CA4F94763191ADD2674AB07C909D88C486916C16D60A048A0CF8CDB631CEBEC791362CD0C202EB61E166B65C1F65D0047C8AEC57D3D84B9E17032442DCE148E1191B06A12C284CC41E"
    );
    let mut d = pt;
    cbc::tdes_encrypt(&c, &iv, &mut d)?;
    let ok = d
        == h!(
            "C9A3F75AB6A7CD08A7FD53CA540AAFE731D257EE1C379FADCC4CC1A06E7C12BDDBEB7562C436D1DA849ED072629E82A97B56D9BECC25FF4F16F21C5F2A01911604F0B5C49DF96CB641FAEE662CA8AA68"
        );
    cbc::tdes_decrypt(&c, &iv, &mut d)?;
    Ok(ok && d == pt)
}

// ANSI X9.24-1:2009 A.4 (openemv/dukpt's transcription); the full 8-byte
// MACs and the response data from moov-io/dukpt's tests.
const BDK: [u8; 16] = h!("0123456789ABCDEFFEDCBA9876543210");
const IPEK: [u8; 16] = h!("6AC292FAA1315B4D858AB3A3D7D5933A");
const DATA: [u8; 17] = *b"4012345678909D987";
const PADDED: [u8; 24] = h!("343031323334353637383930394439383700000000000000");
const REQUEST_DATA: [u8; 24] = h!("FC0D53B7EA1FDA9EE68AAF2E70D9B9506229BE2AA993F04F");

fn tdes_data_mac() -> Outcome {
    let t = TdesTransaction::from_bdk(
        &TdesKey::from_slice(&BDK)?,
        &TdesKsn::from_hex("FFFF9876543210E00001")?,
    )?;
    let mut d = PADDED;
    t.encrypt_data(Direction::Request, &TdesIv::ZERO, &mut d)?;
    let mut ok = d == REQUEST_DATA;
    let mut r = PADDED;
    t.encrypt_data(Direction::Response, &TdesIv::ZERO, &mut r)?;
    ok &= r == h!("1FCC89AF66222F27B903898BB2BC8589CDBFDE5EC6AFCC25");
    t.decrypt_data(Direction::Response, &TdesIv::ZERO, &mut r)?;
    ok &= r == PADDED;
    ok &= t.mac(Direction::Request, &DATA, 8)?.as_bytes() == h!("9CCC78173FC4FB64");
    ok &= t.mac(Direction::Response, &DATA, 4)?.as_bytes() == h!("20364223");
    ok &= bool::from(t.verify_mac(Direction::Request, &DATA, &h!("9CCC7817"))?);
    ok &= !bool::from(t.verify_mac(Direction::Request, &DATA, &h!("9CCC7818"))?);
    Ok(ok)
}

fn aes_data_mac() -> Outcome {
    // The X9.24-3-2017 supplement's AES-128 BDK, transaction 1, with the
    // values of moov-io/dukpt pkg/aes/aes_test.go.
    let bdk = AesKey::from_slice(&h!("FEDCBA9876543210F1F1F1F1F1F1F1F1"))?;
    let t = AesTransaction::from_bdk(&bdk, &AesKsn::from_hex("123456789012345600000001")?)?;
    let mut d = [0u8; 32];
    d[..17].copy_from_slice(&DATA);
    let clear = d;
    t.encrypt_data(KeyType::Aes128, KeyUsage::DataEncrypt, None, &mut d)?;
    let mut ok = d == h!("E5AFA5B408A3310E3D779C8A9A2AE29448BD5B4232582090DB703AF647205A79");
    t.decrypt_data(KeyType::Aes128, KeyUsage::DataEncrypt, None, &mut d)?;
    ok &= d == clear;
    ok &= t
        .mac(KeyType::Aes128, KeyUsage::MacGeneration, &DATA, 16)?
        .as_bytes()
        == h!("A2EB5C1C35809E58404E873C3C411E31");
    ok &= t
        .mac(KeyType::Hmac128, KeyUsage::MacVerification, &DATA, 32)?
        .as_bytes()
        == h!("DDE7CB7BDE05AC9A934919B5D94C37954F2376BAF5D45031A56FE74D94C4B64D");
    ok &= bool::from(t.verify_mac(
        KeyType::Hmac128,
        KeyUsage::MacGeneration,
        &DATA,
        &h!("B6F8B3159CD4E140"),
    )?);
    Ok(ok)
}

fn tdes_one_call() -> Outcome {
    // The Annex A terminal's first transaction: PIN 1234, PAN
    // 4012345678909 in format 0 (A.4: 1B9C1845EB993A7A), the request data,
    // and its request MAC over both (psec 1.3.0: 0C6370DE2628798E); the
    // host translates the PIN to counter 2's PIN key (A.4:
    // 10A01C8D02C69107) and gets the data back.
    let ksn0 = TdesKsn::from_hex("FFFF9876543210E00000")?;
    let mut terminal = TdesTerminal::load_initial_key(&TdesKey::from_slice(&IPEK)?, &ksn0)?;
    let pin = Pin::from_digits(b"1234")?;
    let pan = Pan::from_digits(b"4012345678909")?;
    let mut data = PADDED;
    let mut rng = TestRng::new(13);
    let out = tdes_txn::terminal_request(
        &mut terminal,
        TerminalInput {
            pin: Some(PinEntry {
                pin: &pin,
                format: Format::Iso0,
                pan: Some(&pan),
            }),
            message: b"",
            data: &mut data,
            iv: None,
            mac_len: 8,
        },
        &mut rng,
    )?;
    let block = out.pin_block.ok_or(Error::InvalidPinBlock)?;
    let mut ok = block.as_bytes() == h!("1B9C1845EB993A7A");
    ok &= data == REQUEST_DATA;
    ok &= out.mac.as_bytes() == h!("0C6370DE2628798E");
    let bdk = TdesKey::from_slice(&BDK)?;
    let zone = PinBlockCipher::new(Format::Iso0, &h!("C46551CEF9FD244FAA9AD834130D3B38"))?;
    let host = tdes_txn::Host::new(&bdk, &zone)?;
    let done = host.process(
        &mut Request {
            ksn: out.ksn,
            message: b"",
            pin: Some(EncipheredPin {
                block: block.as_bytes(),
                format: Format::Iso0,
                pan: Some(&pan),
            }),
            data: &mut data,
            iv: None,
            mac: out.mac.as_bytes(),
        },
        &mut rng,
    )?;
    ok &= done
        .pin_block
        .map(|b| b.as_bytes() == h!("10A01C8D02C69107"))
        == Some(true);
    ok &= data == PADDED;
    Ok(ok)
}

fn refusals() -> Outcome {
    let t = TdesTransaction::from_ipek(
        &TdesKey::from_slice(&IPEK)?,
        &TdesKsn::from_hex("FFFF9876543210E00001")?,
    )?;
    let mut seven = [0u8; 7];
    let mut ok =
        t.encrypt_data(Direction::Request, &TdesIv::ZERO, &mut seven) == Err(Error::InvalidLength);
    ok &= t.encrypt_data(Direction::Request, &TdesIv::ZERO, &mut []) == Err(Error::InvalidLength);
    ok &= t.mac(Direction::Request, &DATA, 3).err() == Some(Error::InvalidLength);
    ok &= t.mac(Direction::Request, &DATA, 9).err() == Some(Error::InvalidLength);
    let a = AesTransaction::from_bdk(
        &AesKey::from_slice(&[7; 16])?,
        &AesKsn::from_hex("123456789012345600000001")?,
    )?;
    let mut block = [0u8; 16];
    ok &= a.encrypt_data(KeyType::Hmac128, KeyUsage::DataBoth, None, &mut block)
        == Err(Error::Unsupported);
    ok &= a.encrypt_data(KeyType::Aes256, KeyUsage::DataBoth, None, &mut block)
        == Err(Error::Unsupported);
    ok &= a.mac(KeyType::Tdea2, KeyUsage::MacBoth, &DATA, 8).err() == Some(Error::Unsupported);
    ok &= a.mac(KeyType::Hmac128, KeyUsage::MacBoth, &DATA, 33).err() == Some(Error::InvalidLength);
    Ok(ok)
}
