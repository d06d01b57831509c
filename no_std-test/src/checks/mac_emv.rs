//! ISO/IEC 9797-1 MACs and EMV (Book 2 Annex A) keys and cryptograms.

use paykernel::emv::{self, AcPadding, AcSessionKey, MasterKeyOption, Psn};
use paykernel::mac::{
    BlockCipher, CbcMac, Iso9797Algorithm, Iso9797Mac, MacCheck, Padding, RetailMac,
    verify_cbc_macs, verify_retail_macs, verify_tdes_cmacs,
};
use paykernel::{Pan, TdesKey};

use super::{Check, Outcome};

/// The checks of this group.
pub const ALL: &[Check] = &[
    ("mac retail icao 9303 d.3", retail_mac),
    ("mac cbc-mac fips 113", cbc_mac),
    ("mac batch checks (retail, cbc-mac, tdes-cmac)", batch),
    ("emv icc master key option a", icc_mk_a),
    ("emv icc master key option b", icc_mk_b),
    ("emv common session key", session_key),
    ("emv ac generate and verify", ac),
    ("emv arpc method 1", arpc1),
    ("emv arpc method 2", arpc2),
];

fn retail_mac() -> Outcome {
    // ICAO Doc 9303 Part 11, Appendix D.3: MAC of E.IFD (retail MAC,
    // padding method 2) (vectors/iso9797-published.json).
    let key = h!("7962D9ECE03D1ACD4C76089DCE131543");
    let data = h!("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2");
    let mac = h!("5F1448EEA8AD90A7");
    let m = RetailMac::new(&TdesKey::from_slice(&key)?)?;
    let any = Iso9797Mac::new(Iso9797Algorithm::Alg3, BlockCipher::Des, &key)?;
    let mut bad = mac;
    bad[7] ^= 1;
    Ok(m.compute(&data, Padding::Method2)? == mac
        && any.mac(&data, Padding::Method2, 8)?.as_bytes() == mac
        && bool::from(m.verify(&data, Padding::Method2, &mac, 8)?)
        && bool::from(m.verify(&data, Padding::Method2, &mac[..4], 4)?)
        && !bool::from(m.verify(&data, Padding::Method2, &bad, 8)?))
}

fn cbc_mac() -> Outcome {
    // FIPS PUB 113 example: DES CBC-MAC, padding method 1, 32-bit MAC.
    let key = TdesKey::from_slice(&h!("0123456789ABCDEF"))?;
    let data = h!("37363534333231204E6F77206973207468652074696D6520666F7220");
    let tag = CbcMac::des(&key)?.mac(&data, Padding::Method1, 4)?;
    Ok(tag.as_bytes() == h!("F1D30F68"))
}

/// The batch checks on the stack: the ICAO retail MAC, the FIPS 113
/// CBC-MAC and SP 800-38B D.5's TDES-CMACs, right and with a bit flipped.
fn batch() -> Outcome {
    let rk = TdesKey::from_slice(&h!("7962D9ECE03D1ACD4C76089DCE131543"))?;
    let rdata = h!("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2");
    let rmac = h!("5F1448EEA8AD90A7");
    let mut rbad = rmac;
    rbad[0] ^= 0x80;
    let mut v = [false; 2];
    let items = [
        MacCheck {
            key: &rk,
            data: &rdata,
            tag: &rmac,
        },
        MacCheck {
            key: &rk,
            data: &rdata,
            tag: &rbad,
        },
    ];
    verify_retail_macs(&items, Padding::Method2, 8, &mut v)?;
    let retail = v == [true, false];

    let ck = TdesKey::from_slice(&h!("0123456789ABCDEF"))?;
    let cdata = h!("37363534333231204E6F77206973207468652074696D6520666F7220");
    let items = [
        MacCheck {
            key: &ck,
            data: &cdata,
            tag: &h!("F1D30F68"),
        },
        MacCheck {
            key: &ck,
            data: &cdata,
            tag: &h!("F1D30F69"),
        },
    ];
    verify_cbc_macs(&items, Padding::Method1, 4, &mut v)?;
    let cbc = v == [true, false];

    // NIST SP 800-38B Appendix D.5 (two-key TDEA): Mlen 0 and 64 bits.
    let tk = TdesKey::from_slice(&h!("4CF15134A2850DD58A3D10BA80570D38"))?;
    let msg = h!("6BC1BEE22E409F96");
    let mut w = [false; 3];
    let items = [
        MacCheck {
            key: &tk,
            data: &[],
            tag: &h!("BD2EBF9A3BA00361"),
        },
        MacCheck {
            key: &tk,
            data: &msg,
            tag: &h!("4FF2AB813C53CE83"),
        },
        MacCheck {
            key: &tk,
            data: &msg,
            tag: &h!("4FF2AB813C53CE82"),
        },
    ];
    verify_tdes_cmacs(&items, 8, &mut w)?;
    Ok(retail && cbc && w == [true, true, false])
}

// pyemv 1.5.0 docstring examples (EMV 4.3 Book 2 Annex A;
// vectors/pyemv-doc-examples.json).
const IMK: [u8; 16] = h!("0123456789ABCDEFFEDCBA9876543210");
const SK: [u8; 16] = h!("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB");
const AC_DATA: [u8; 33] = h!("000000002000000000000000012400000080000124110309003804823E58000001");
const AC: [u8; 8] = h!("3B76CF10FECD8789");
const ARQC: [u8; 8] = h!("1234567890ABCDEF");

fn icc_mk_a() -> Outcome {
    let pan: Pan = "12345678901234567".parse()?;
    let psn: Psn = "01".parse()?;
    let mk =
        emv::derive_icc_master_key(&TdesKey::from_slice(&IMK)?, &pan, psn, MasterKeyOption::A)?;
    Ok(mk.expose_secret() == h!("73AD54688CEF2934B0979857E3C719F1"))
}

fn icc_mk_b() -> Outcome {
    let pan: Pan = "12345678901234567".parse()?;
    let psn: Psn = "01".parse()?;
    let mk =
        emv::derive_icc_master_key(&TdesKey::from_slice(&IMK)?, &pan, psn, MasterKeyOption::B)?;
    Ok(mk.expose_secret() == h!("AD406D7F6D7570916D75E5DCAB8CF737"))
}

fn session_key() -> Outcome {
    let sk = emv::common_session_key(&TdesKey::from_slice(&IMK)?, &h!("001C000000000000"))?;
    Ok(sk.expose_secret() == h!("E9FB384AF807B940FEDCEA613461B0C4"))
}

/// The published AC, then the issuer's check of it as an ARQC: true for
/// it, false with one bit changed in the cryptogram or in the data.
fn ac() -> Outcome {
    let k = AcSessionKey::new(&TdesKey::from_slice(&SK)?)?;
    let ac = k.generate_ac(&AC_DATA, AcPadding::Method2, 8)?;
    let mut bad_ac = AC;
    bad_ac[0] ^= 0x80;
    let mut bad_data = AC_DATA;
    bad_data[32] ^= 1;
    let verify =
        |data: &[u8], ac: &[u8]| k.verify_ac(data, AcPadding::Method2, ac, 8).map(bool::from);
    Ok(ac.as_bytes() == AC
        && verify(&AC_DATA, &AC)?
        && !verify(&AC_DATA, &bad_ac)?
        && !verify(&bad_data, &AC)?)
}

fn arpc1() -> Outcome {
    let k = AcSessionKey::new(&TdesKey::from_slice(&SK)?)?;
    Ok(k.arpc_method1(&ARQC, &h!("0000")) == h!("F5E6F44147E2F1B0"))
}

fn arpc2() -> Outcome {
    let k = AcSessionKey::new(&TdesKey::from_slice(&SK)?)?;
    Ok(k.arpc_method2(&ARQC, &h!("00000000"), &[])? == h!("9308BEBC"))
}
