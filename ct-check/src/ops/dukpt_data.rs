//! Ops of CBC and DUKPT keys in use: TDES- and AES-CBC (the TDES
//! decryption through the bitsliced DES), TDES DUKPT data and retail MACs,
//! AES DUKPT data, CMAC and HMAC-SHA-256, the terminal's one-call request,
//! the host's one-call processing (MAC verified, data decrypted, PIN
//! translated to a zone key), its batch, and the response both ways.
//!
//! Secret: keys (CBC keys, BDKs, IPEKs, zone keys), clear data, PINs, every
//! byte the random source hands out, the MACs being verified. Public: KSNs,
//! IVs, lengths, formats, key types. A MAC the host refuses, or a PIN block
//! that breaks its format, is the kernel's one verdict (its outcome is
//! public, declassified with `Check::accepted`). Known answers: NIST SP
//! 800-38A F.2.1 and the CAVP CBC MMT records of `vectors/cavp-cbc.json`;
//! ANSI X9.24-1:2009 A.4 (`vectors/x9.24-1-2009-mac-and-data.json`); the
//! X9.24-3-2017 supplement's keys with moov-io/dukpt's values
//! (`vectors/dukpt-data-published.json`); the request MAC of the Annex A
//! terminal over its PIN block and data is psec 1.3.0's retail MAC.

use paykernel::dukpt::aes::{self as aes_dukpt, AesTerminal, KeyType, KeyUsage};
use paykernel::dukpt::tdes::TdesTerminal;
use paykernel::dukpt::txn::aes::{self as aes_txn, KeyTypes};
use paykernel::dukpt::txn::tdes as tdes_txn;
use paykernel::dukpt::txn::{
    Direction, EncipheredPin, Mac, PinEntry, Processed, Request, Response, TerminalInput,
};
use paykernel::dukpt::{AesKsn, TdesKsn};
use paykernel::mode::cbc::{self, AesIv, TdesIv};
use paykernel::pin::{Format, Pin, PinBlock, PinBlockCipher};
use paykernel::{AesCipher, AesKey, Error, Pan, TdesCipher, TdesKey};

use crate::check::{Check, OpResult, SecretRng, fail, secret_hex, unhex};

ops! {
    "cbc.tdes16.cavp" => cbc_tdes::<0>,
    "cbc.tdes24.cavp" => cbc_tdes::<1>,
    "cbc.tdes16.70-blocks" => cbc_tdes_long,
    "cbc.aes128.sp800-38a" aes=true => cbc_aes::<0>,
    "cbc.aes256.cavp" aes=true => cbc_aes::<1>,
    "dukpt.tdes.data" => tdes_data,
    "dukpt.tdes.mac" => tdes_mac,
    "dukpt.tdes.terminal-request" => tdes_terminal_request,
    "dukpt.tdes.host-process" => tdes_host::<false>,
    "dukpt.tdes.host-process-many" => tdes_host::<true>,
    "dukpt.tdes.host-bad-mac" => tdes_host_bad_mac,
    "dukpt.aes.data" aes=true => aes_data,
    "dukpt.aes.data-2tdea" aes=true => aes_data_tdea,
    "dukpt.aes.cmac-hmac" aes=true => aes_macs,
    "dukpt.aes.terminal-host" aes=true => aes_terminal_host,
}

/// CAVP CBC MMT records (vectors/cavp-cbc.json): key, IV, plaintext,
/// ciphertext.
const TDES_CAVP: [(&str, &str, &str, &str); 2] = [
    (
        "23ABB073A2DF34CB3D1FDCE6B092582C",
        "7D7FBF19E8562D32",
        "31E718FD95E6D7CA4F94763191ADD2674AB07C909D88C486916C16D60A048A0CF8CDB631CEBEC791362CD0C202EB61E166B65C1F65D0047C8AEC57D3D84B9E17032442DCE148E1191B06A12C284CC41E",
        "C9A3F75AB6A7CD08A7FD53CA540AAFE731D257EE1C379FADCC4CC1A06E7C12BDDBEB7562C436D1DA849ED072629E82A97B56D9BECC25FF4F16F21C5F2A01911604F0B5C49DF96CB641FAEE662CA8AA68",
    ),
    (
        "9B162A0DF8AD9B61C88676E3D586434570B902F12A2046E0",
        "EBD6FEFE029AD54B",
        "F4C1C918E77355C8156F0FD778DA52BFF121AE5F2F44EAF4D2754946D0E10D1F18CE3A0176E69C18B7D20B6E0D0BEE5EB5EDFE4BD60E4D92ADCD86BCE72E76F94EE5CBCAA8B01CFDDCEA2ADE575E66AC",
        "1FF3C8709F403A8EFF291AEDF50C010DF5C5FF64A8B205F1FCE68564798897A390DB16EE0D053856B75898009731DA290FCC119DAD987277AACEF694872E880C4BB41471063FAE05C89F25E4BD0CAD6A",
    ),
];

const AES_CBC: [(&str, &str, &str, &str); 2] = [
    (
        "2B7E151628AED2A6ABF7158809CF4F3C",
        "000102030405060708090A0B0C0D0E0F",
        "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E5130C81C46A35CE411E5FBC1191A0A52EFF69F2445DF4F9B17AD2B417BE66C3710",
        "7649ABAC8119B246CEE98E9B12E9197D5086CB9B507219EE95DB113A917678B273BED6B8E3C1743B7116E69E222295163FF1CAA1681FAC09120ECA307586E1A7",
    ),
    (
        "87725BD43A45608814180773F0E7AB95A3C859D83A2130E884190E44D14C6996",
        "E49651988EBBB72EB8BB80BB9ABBCA34",
        "BFE5C6354B7A3FF3E192E05775B9B75807DE12E38A626B8BF0E12D5FFF78E4F1775AA7D792D885162E66D88930F9C3B2CDF8654F56972504803190386270F0AA43645DB187AF41FCEA639B1F8026CCDD0C23E0DE37094A8B941ECB7602998A4B2604E69FC04219585D854600E0AD6F99A53B2504043C08B1C3E214D17CDE053CBDF91DAA999ED5B47C37983BA3EE254BC5C793837DAAA8C85CFC12F7F54F699F",
        "5B97A9D423F4B97413F388D9A341E727BB339F8E18A3FAC2F2FB85ABDC8F135DEB30054A1AFDC9B6ED7DA16C55EBA6B0D4D10C74E1D9A7CF8EDFAEAA684AC0BD9F9D24BA674955C79DC6BE32AEE1C260B558FF07E3A4D49D24162011FF254DB8BE078E8AD07E648E6BF5679376CB4321A5EF01AFE6AD8816FCC7634669C8C4389295C9241E45FFF39F3225F7745032DAEEBE99D4B19BCB215D1BFDB36EDA2C24",
    ),
];

fn tdes_iv(hex: &str) -> Result<TdesIv, String> {
    TdesIv::from_slice(&unhex(hex)?).map_err(fail("iv"))
}

fn cbc_tdes<const I: usize>(c: &mut Check) -> OpResult {
    let (key, iv, pt, ct) = TDES_CAVP.get(I).ok_or("no known answer")?;
    let cipher = TdesCipher::new(&TdesKey::from_slice(&secret_hex(c, key)?).map_err(fail("key"))?);
    let iv = tdes_iv(iv)?;
    let mut data = secret_hex(c, pt)?;
    cbc::tdes_encrypt(&cipher, &iv, &mut data).map_err(fail("encrypt"))?;
    c.output_eq("ciphertext", &mut data, ct)?;
    // Decrypt a secret copy of the ciphertext.
    let mut data = secret_hex(c, ct)?;
    cbc::tdes_decrypt(&cipher, &iv, &mut data).map_err(fail("decrypt"))?;
    c.output_eq("plaintext", &mut data, pt)
}

/// 70 blocks: one whole bitsliced pass of 64 and a tail.
fn cbc_tdes_long(c: &mut Check) -> OpResult {
    let (key, iv, pt, _) = TDES_CAVP.first().ok_or("no known answer")?;
    let cipher = TdesCipher::new(&TdesKey::from_slice(&secret_hex(c, key)?).map_err(fail("key"))?);
    let iv = tdes_iv(iv)?;
    let mut clear: Vec<u8> = unhex(pt)?.iter().cycle().take(70 * 8).copied().collect();
    let want = clear.clone();
    c.secret(&mut clear);
    cbc::tdes_encrypt(&cipher, &iv, &mut clear).map_err(fail("encrypt"))?;
    cbc::tdes_decrypt(&cipher, &iv, &mut clear).map_err(fail("decrypt"))?;
    c.output_is("round trip", &mut clear, &want)
}

fn cbc_aes<const I: usize>(c: &mut Check) -> OpResult {
    let (key, iv, pt, ct) = AES_CBC.get(I).ok_or("no known answer")?;
    let cipher = AesCipher::new(&AesKey::from_slice(&secret_hex(c, key)?).map_err(fail("key"))?);
    let iv = AesIv::from_slice(&unhex(iv)?).map_err(fail("iv"))?;
    let mut data = secret_hex(c, pt)?;
    cbc::aes_encrypt(&cipher, &iv, &mut data).map_err(fail("encrypt"))?;
    c.output_eq("ciphertext", &mut data, ct)?;
    let mut data = secret_hex(c, ct)?;
    cbc::aes_decrypt(&cipher, &iv, &mut data).map_err(fail("decrypt"))?;
    c.output_eq("plaintext", &mut data, pt)
}

/// ANSI X9.24-1:2009 A.4.
const BDK: &str = "0123456789ABCDEFFEDCBA9876543210";
const IPEK: &str = "6AC292FAA1315B4D858AB3A3D7D5933A";
const KSN0: &str = "FFFF9876543210E00000";
/// "4012345678909D987", and zero-padded to 24 bytes.
const DATA: &str = "3430313233343536373839303944393837";
const PADDED: &str = "343031323334353637383930394439383700000000000000";

/// Declassifies a PIN block the kernel returned, as a whole value before
/// its accessors run (`Check::output_value`), and gives its bytes.
fn block_out(c: &mut Check, mut block: Option<PinBlock>) -> Result<Vec<u8>, String> {
    c.output_value("PIN block", &mut block);
    Ok(block.ok_or("no PIN block")?.as_bytes().to_vec())
}

/// Declassifies a MAC the kernel returned, as a whole value, and gives its
/// bytes.
fn mac_out(c: &mut Check, mut mac: Mac) -> Vec<u8> {
    c.output_value("MAC", &mut mac);
    mac.as_bytes().to_vec()
}

/// Checks a value already declassified against the hex `want`.
fn same(what: &str, got: &[u8], want: &str) -> OpResult {
    if got == unhex(want)?.as_slice() {
        Ok(())
    } else {
        Err(format!("{what}: got {}, want {want}", hex::encode_upper(got)))
    }
}

fn ksn(n: u32) -> Result<TdesKsn, String> {
    TdesKsn::from_hex(KSN0)
        .and_then(|k| k.with_counter(n))
        .map_err(fail("ksn"))
}

fn tdes_key(c: &mut Check, hex: &str) -> Result<TdesKey, String> {
    TdesKey::from_slice(&secret_hex(c, hex)?).map_err(fail("key"))
}

/// Request and response data of counter 1 (moov-io/dukpt's values).
fn tdes_data(c: &mut Check) -> OpResult {
    let bdk = tdes_key(c, BDK)?;
    let t = tdes_txn::Transaction::from_bdk(&bdk, &ksn(1)?).map_err(fail("transaction"))?;
    for (dir, ct) in [
        (Direction::Request, "FC0D53B7EA1FDA9EE68AAF2E70D9B9506229BE2AA993F04F"),
        (Direction::Response, "1FCC89AF66222F27B903898BB2BC8589CDBFDE5EC6AFCC25"),
    ] {
        let mut data = secret_hex(c, PADDED)?;
        t.encrypt_data(dir, &TdesIv::ZERO, &mut data).map_err(fail("encrypt"))?;
        c.output_eq("ciphertext", &mut data, ct)?;
        let mut data = secret_hex(c, ct)?;
        t.decrypt_data(dir, &TdesIv::ZERO, &mut data).map_err(fail("decrypt"))?;
        c.output_eq("plaintext", &mut data, PADDED)?;
    }
    Ok(())
}

/// Request and response MACs (A.4; moov-io/dukpt for the full 8 bytes),
/// verified right and wrong.
fn tdes_mac(c: &mut Check) -> OpResult {
    let ipek = tdes_key(c, IPEK)?;
    let t = tdes_txn::Transaction::from_ipek(&ipek, &ksn(1)?).map_err(fail("transaction"))?;
    let data = secret_hex(c, DATA)?;
    for (dir, want) in [
        (Direction::Request, "9CCC78173FC4FB64"),
        (Direction::Response, "20364223C1FF00FA"),
    ] {
        let mac = mac_out(c, t.mac(dir, &data, 8).map_err(fail("mac"))?);
        same("mac", &mac, want)?;
        let good = secret_hex(c, want)?;
        c.verdict_is("verify", bool::from(t.verify_mac(dir, &data, good.get(..4).unwrap_or(&[])).map_err(fail("verify"))?), true)?;
        let mut bad = unhex(want)?;
        if let Some(b) = bad.get_mut(3) {
            *b ^= 0x01;
        }
        c.secret(&mut bad);
        c.verdict_is("verify wrong", bool::from(t.verify_mac(dir, &data, &bad).map_err(fail("verify"))?), false)?;
    }
    Ok(())
}

fn annex_pan() -> Result<Pan, String> {
    "4012345678909".parse::<Pan>().map_err(fail("pan"))
}

fn secret_pin(c: &mut Check, digits: &str) -> Result<Pin, String> {
    let mut d = digits.as_bytes().to_vec();
    c.secret(&mut d);
    let r = Pin::from_digits(&d);
    c.accepted("pin", r, None)?.ok_or_else(|| "no PIN".to_owned())
}

/// The Annex A terminal's first transaction in one call: PIN 1234 in
/// format 0 (1B9C1845EB993A7A), the request data (FC0D...), the request
/// MAC over both (psec 1.3.0: 0C6370DE2628798E); then the host's response
/// opened with the keys the terminal kept.
fn tdes_terminal_request(c: &mut Check) -> OpResult {
    let ipek = tdes_key(c, IPEK)?;
    let mut terminal = TdesTerminal::load_initial_key(&ipek, &ksn(0)?).map_err(fail("load"))?;
    let pin = secret_pin(c, "1234")?;
    let pan = annex_pan()?;
    let mut data = secret_hex(c, PADDED)?;
    let mut rng = SecretRng::new(1);
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
    )
    .map_err(fail("request"))?;
    c.output_eq("data", &mut data, "FC0D53B7EA1FDA9EE68AAF2E70D9B9506229BE2AA993F04F")?;
    let block = block_out(c, out.pin_block)?;
    same("PIN block", &block, "1B9C1845EB993A7A")?;
    let mac = mac_out(c, out.mac);
    same("MAC", &mac, "0C6370DE2628798E")?;
    // The host's response (secret data) opened by the terminal.
    let bdk = tdes_key(c, BDK)?;
    let zone = PinBlockCipher::tdes(Format::Iso0, &tdes_key(c, BDK)?).map_err(fail("zone"))?;
    let host = tdes_txn::Host::new(&bdk, &zone).map_err(fail("host"))?;
    let t = tdes_txn::Transaction::from_bdk(&bdk, &ksn(1)?).map_err(fail("transaction"))?;
    let processed = Processed {
        transaction: t,
        pin_block: None,
    };
    let mut resp = secret_hex(c, PADDED)?;
    let rmac = host
        .respond(&processed, Response { message: b"ok", data: &mut resp, iv: None }, 8)
        .map_err(fail("respond"))?;
    let rmac = mac_out(c, rmac);
    c.output_eq("response data", &mut resp.clone(), "1FCC89AF66222F27B903898BB2BC8589CDBFDE5EC6AFCC25")?;
    let r = out.response.open_response(
        Response {
            message: b"ok",
            data: &mut resp,
            iv: None,
        },
        &rmac,
    );
    c.accepted("response", r, None)?;
    c.output_eq("response plaintext", &mut resp, PADDED)
}

/// The counter-1 request of Annex A (PIN block, data, the MAC above) at
/// the host, translated to counter 2's PIN key: 10A01C8D02C69107 (A.4),
/// one call or as a batch of 70 (the MAC chains in lockstep, the data
/// blocks of many requests in one bitsliced pass).
fn tdes_host<const MANY: bool>(c: &mut Check) -> OpResult {
    let bdk = tdes_key(c, BDK)?;
    let zone_key = tdes_key(c, "C46551CEF9FD244FAA9AD834130D3B38")?;
    let zone = PinBlockCipher::tdes(Format::Iso0, &zone_key).map_err(fail("zone"))?;
    let host = tdes_txn::Host::new(&bdk, &zone).map_err(fail("host"))?;
    let pan = annex_pan()?;
    let block = unhex("1B9C1845EB993A7A")?;
    let mac = unhex("0C6370DE2628798E")?;
    let mut rng = SecretRng::new(2);
    // 70 requests: a batch of 64 and one of 6.
    let n = if MANY { 70 } else { 1 };
    let mut datas: Vec<Vec<u8>> = (0..n)
        .map(|_| unhex("FC0D53B7EA1FDA9EE68AAF2E70D9B9506229BE2AA993F04F"))
        .collect::<Result<_, _>>()?;
    let k1 = ksn(1)?;
    let mut requests: Vec<Request<'_, TdesKsn>> = datas
        .iter_mut()
        .map(|d| Request {
            ksn: k1,
            message: b"",
            pin: Some(EncipheredPin {
                block: &block,
                format: Format::Iso0,
                pan: Some(&pan),
            }),
            data: d,
            iv: None,
            mac: &mac,
        })
        .collect();
    let results: Vec<Result<Processed<tdes_txn::Transaction>, Error>> = if MANY {
        let mut out: Vec<_> = (0..n).map(|_| Err(Error::Unsupported)).collect();
        host.process_many(&mut requests, &mut out, &mut rng)
            .map_err(fail("batch"))?;
        out
    } else {
        requests
            .iter_mut()
            .map(|r| host.process(r, &mut rng))
            .collect()
    };
    drop(requests);
    for (r, d) in results.into_iter().zip(datas.iter_mut()) {
        let p = c.accepted("request", r, None)?.ok_or("refused")?;
        let b = block_out(c, p.pin_block)?;
        same("zone PIN block", &b, "10A01C8D02C69107")?;
        c.output_eq("data", d, PADDED)?;
    }
    Ok(())
}

/// A request whose MAC is one bit off: refused (the one verdict), the data
/// left encrypted.
fn tdes_host_bad_mac(c: &mut Check) -> OpResult {
    let bdk = tdes_key(c, BDK)?;
    let zone = PinBlockCipher::tdes(Format::Iso0, &tdes_key(c, IPEK)?).map_err(fail("zone"))?;
    let host = tdes_txn::Host::new(&bdk, &zone).map_err(fail("host"))?;
    let pan = annex_pan()?;
    let block = unhex("1B9C1845EB993A7A")?;
    let mut mac = unhex("0C6370DE2628798F")?;
    c.secret(&mut mac);
    let mut data = unhex("FC0D53B7EA1FDA9EE68AAF2E70D9B9506229BE2AA993F04F")?;
    let r = host.process(
        &mut Request {
            ksn: ksn(1)?,
            message: b"",
            pin: Some(EncipheredPin {
                block: &block,
                format: Format::Iso0,
                pan: Some(&pan),
            }),
            data: &mut data,
            iv: None,
            mac: &mac,
        },
        &mut SecretRng::new(3),
    );
    c.accepted("request", r, Some(Error::BadMac))?;
    c.public_verdict_bytes("data", &mut data);
    if data == unhex("FC0D53B7EA1FDA9EE68AAF2E70D9B9506229BE2AA993F04F")? {
        Ok(())
    } else {
        Err("data changed".to_owned())
    }
}

/// The X9.24-3-2017 supplement's AES-128 BDK and first KSN.
const AES_BDK: &str = "FEDCBA9876543210F1F1F1F1F1F1F1F1";
const AES_KSN1: &str = "123456789012345600000001";

fn aes_transaction(c: &mut Check) -> Result<aes_txn::Transaction, String> {
    let bdk = AesKey::from_slice(&secret_hex(c, AES_BDK)?).map_err(fail("bdk"))?;
    aes_txn::Transaction::from_bdk(&bdk, &AesKsn::from_hex(AES_KSN1).map_err(fail("ksn"))?)
        .map_err(fail("transaction"))
}

/// AES-128 data both ways (moov-io/dukpt's values).
fn aes_data(c: &mut Check) -> OpResult {
    let t = aes_transaction(c)?;
    let padded = format!("{DATA}{}", "00".repeat(15));
    for (usage, ct) in [
        (
            KeyUsage::DataEncrypt,
            "E5AFA5B408A3310E3D779C8A9A2AE29448BD5B4232582090DB703AF647205A79",
        ),
        (
            KeyUsage::DataDecrypt,
            "84904DFC6B5201A4F1FE2EAA49E70B8C01838EF53030790FF785D630AB3916B4",
        ),
    ] {
        let mut data = secret_hex(c, &padded)?;
        t.encrypt_data(KeyType::Aes128, usage, None, &mut data)
            .map_err(fail("encrypt"))?;
        c.output_eq("ciphertext", &mut data, ct)?;
        let mut data = secret_hex(c, ct)?;
        t.decrypt_data(KeyType::Aes128, usage, None, &mut data)
            .map_err(fail("decrypt"))?;
        c.output_eq("plaintext", &mut data, &padded)?;
    }
    Ok(())
}

/// TDES-CBC under a 2TDEA data key: round trip of 9 blocks, and the same
/// ciphertext as CBC under the working key derived on its own.
fn aes_data_tdea(c: &mut Check) -> OpResult {
    let t = aes_transaction(c)?;
    let clear: Vec<u8> = (0u8..72).collect();
    let mut data = clear.clone();
    c.secret(&mut data);
    t.encrypt_data(KeyType::Tdea2, KeyUsage::DataBoth, None, &mut data)
        .map_err(fail("encrypt"))?;
    let key = t
        .working_key(KeyType::Tdea2, KeyUsage::DataBoth)
        .map_err(fail("key"))?;
    let mut other = clear.clone();
    c.secret(&mut other);
    aes_txn::encrypt(&key, None, &mut other).map_err(fail("encrypt"))?;
    c.output("ciphertext", &mut data);
    c.output("ciphertext again", &mut other);
    if data != other {
        return Err("two ways disagree".to_owned());
    }
    c.secret(&mut data);
    t.decrypt_data(KeyType::Tdea2, KeyUsage::DataBoth, None, &mut data)
        .map_err(fail("decrypt"))?;
    c.output_is("plaintext", &mut data, &clear)
}

/// CMAC and HMAC-SHA-256 both ways (moov-io/dukpt), verified right and
/// wrong.
fn aes_macs(c: &mut Check) -> OpResult {
    let t = aes_transaction(c)?;
    let data = secret_hex(c, DATA)?;
    for (kt, usage, want) in [
        (KeyType::Aes128, KeyUsage::MacGeneration, "A2EB5C1C35809E58404E873C3C411E31"),
        (KeyType::Aes128, KeyUsage::MacVerification, "DD4E1895FD9BF53D8DAF25568ABF551D"),
        (
            KeyType::Hmac128,
            KeyUsage::MacGeneration,
            "B6F8B3159CD4E140159DA87A68C0FB7AF2F123D222662E98988C76386E8E8A02",
        ),
        (
            KeyType::Hmac128,
            KeyUsage::MacVerification,
            "DDE7CB7BDE05AC9A934919B5D94C37954F2376BAF5D45031A56FE74D94C4B64D",
        ),
    ] {
        let full = aes_txn::full_mac_len(kt).map_err(fail("len"))?;
        let mac = mac_out(c, t.mac(kt, usage, &data, full).map_err(fail("mac"))?);
        same("mac", &mac, want)?;
        let good = secret_hex(c, want)?;
        c.verdict_is("verify", bool::from(t.verify_mac(kt, usage, &data, &good).map_err(fail("verify"))?), true)?;
        let mut bad = unhex(want)?;
        if let Some(b) = bad.get_mut(0) {
            *b ^= 0x80;
        }
        c.secret(&mut bad);
        c.verdict_is("verify wrong", bool::from(t.verify_mac(kt, usage, &data, bad.get(..8).unwrap_or(&[])).map_err(fail("verify"))?), false)?;
    }
    Ok(())
}

/// An AES terminal (the supplement's initial key) sends PIN 1234 in format
/// 4 (random part from the secret source), the data and an HMAC-SHA-256
/// request MAC; the host verifies, decrypts (moov-io's plaintext) and
/// translates the PIN to format 0 under Annex A's counter-1 PIN key
/// (E6256C75DD53796C, pyca/cryptography); the response goes back.
fn aes_terminal_host(c: &mut Check) -> OpResult {
    let bdk = AesKey::from_slice(&secret_hex(c, AES_BDK)?).map_err(fail("bdk"))?;
    let ksn0 = AesKsn::from_hex("123456789012345600000000").map_err(fail("ksn"))?;
    let ik = aes_dukpt::derive_initial_key(&bdk, &ksn0.initial_key_id()).map_err(fail("ik"))?;
    let mut terminal = AesTerminal::load_initial_key(&ik, &ksn0).map_err(fail("load"))?;
    let kt = KeyTypes {
        mac: KeyType::Hmac128,
        ..KeyTypes::AES128
    };
    let pin = secret_pin(c, "1234")?;
    let pan = "4111111111111111".parse::<Pan>().map_err(fail("pan"))?;
    let padded = format!("{DATA}{}", "00".repeat(15));
    let mut data = secret_hex(c, &padded)?;
    let mut rng = SecretRng::new(4);
    let out = aes_txn::terminal_request(
        &mut terminal,
        &kt,
        TerminalInput {
            pin: Some(PinEntry {
                pin: &pin,
                format: Format::Iso4,
                pan: Some(&pan),
            }),
            message: b"amount=100",
            data: &mut data,
            iv: None,
            mac_len: 32,
        },
        &mut rng,
    )
    .map_err(fail("request"))?;
    c.output_eq(
        "data",
        &mut data,
        "E5AFA5B408A3310E3D779C8A9A2AE29448BD5B4232582090DB703AF647205A79",
    )?;
    let block = block_out(c, out.pin_block)?;
    let mac = mac_out(c, out.mac);

    let zone_key = tdes_key(c, "042666B49184CF5C68DE9628D0397B36")?;
    let zone = PinBlockCipher::tdes(Format::Iso0, &zone_key).map_err(fail("zone"))?;
    let host = aes_txn::Host::new(&bdk, kt, &zone).map_err(fail("host"))?;
    let r = host.process(
        &mut Request {
            ksn: out.ksn,
            message: b"amount=100",
            pin: Some(EncipheredPin {
                block: &block,
                format: Format::Iso4,
                pan: Some(&pan),
            }),
            data: &mut data,
            iv: None,
            mac: &mac,
        },
        &mut rng,
    );
    let p = c.accepted("request", r, None)?.ok_or("refused")?;
    c.output_eq("data", &mut data, &padded)?;
    let zb = block_out(c, p.pin_block)?;
    same("zone PIN block", &zb, "E6256C75DD53796C")?;
    let mut resp = secret_hex(c, &padded)?;
    let rmac = host
        .respond(&p, Response { message: b"", data: &mut resp, iv: None }, 16)
        .map_err(fail("respond"))?;
    let rmac = mac_out(c, rmac);
    c.output_eq(
        "response data",
        &mut resp.clone(),
        "84904DFC6B5201A4F1FE2EAA49E70B8C01838EF53030790FF785D630AB3916B4",
    )?;
    let r = out.response.open_response(
        Response {
            message: b"",
            data: &mut resp,
            iv: None,
        },
        &rmac,
    );
    c.accepted("response", r, None)?;
    c.output_eq("response plaintext", &mut resp, &padded)
}
