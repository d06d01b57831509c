//! Ops of key blocks (ANSI X9.143 / TR-31): wrap and unwrap of versions A,
//! B, C and D with every KBPK length (16 and 24 bytes for TDES; 16, 24 and
//! 32 for AES), wrap with padding from a random source, a refused MAC, a
//! refused key length field, the typed conversions, and the terminals' key
//! injection from a `B1` block.
//!
//! Secret: the KBPK, the key being wrapped, the padding (given or drawn),
//! and so everything derived from them (the block keys, the clear key data
//! an unwrap deciphers, the key length field). The block's text is public.
//! An unwrapped key comes back as a struct (`Unwrapped`): it is
//! declassified as a whole (`output_value`; its key length is then public,
//! as the caller learns it) before its key bytes, still marked, are
//! compared. The refusals (the MAC, the key length field) and the typed
//! conversions' length checks end in the kernel's one verdict. Known
//! answers: `vectors/tr31-x9.143-examples.json` (TR-31:2018 Annex A.7) and
//! `vectors/tr31-psec.json` (psec 1.3.0).

use paykernel::dukpt::aes::{KeyType, KeyUsage};
use paykernel::dukpt::tdes::Variant;
use paykernel::keyblock::{
    BoundKey, Kbpk, KeyBlock, MAX_BLOCK_LEN, SymmetricKey, Version, load_aes_terminal,
    load_tdes_terminal,
};
use paykernel::{Error, Kcv};

use crate::check::{Check, OpResult, SecretRng, fail, secret_hex, unhex};

ops! {
    "keyblock.a.wrap" => wrap::<0>,
    "keyblock.a.unwrap" => unwrap::<0>,
    "keyblock.a24.wrap" => wrap::<1>,
    "keyblock.a24.unwrap" => unwrap::<1>,
    "keyblock.b.wrap" => wrap::<2>,
    "keyblock.b.unwrap" => unwrap::<2>,
    "keyblock.b24.wrap" => wrap::<3>,
    "keyblock.b24.unwrap" => unwrap::<3>,
    "keyblock.c.wrap" => wrap::<4>,
    "keyblock.c.unwrap" => unwrap::<4>,
    "keyblock.c24.wrap" => wrap::<5>,
    "keyblock.c24.unwrap" => unwrap::<5>,
    "keyblock.d128.wrap" aes=true => wrap::<6>,
    "keyblock.d128.unwrap" aes=true => unwrap::<6>,
    "keyblock.d192.wrap" aes=true => wrap::<7>,
    "keyblock.d192.unwrap" aes=true => unwrap::<7>,
    "keyblock.d256.wrap" aes=true => wrap::<8>,
    "keyblock.d256.unwrap" aes=true => unwrap::<8>,
    "keyblock.b.wrap-random" => wrap_random::<2>,
    "keyblock.d256.wrap-random" aes=true => wrap_random::<8>,
    "keyblock.b.bad-mac" => bad_mac::<2>,
    "keyblock.d256.bad-mac" aes=true => bad_mac::<8>,
    "keyblock.key-length-field" => key_length_field,
    "keyblock.bound-keys" aes=true => bound_keys,
    "keyblock.inject-tdes" => inject_tdes,
    "keyblock.inject-aes" aes=true => inject_aes,
}

/// A block and what made it: KBPK, header (length `0000`), key, padding.
struct Kat {
    kbpk: &'static str,
    header: &'static str,
    key: &'static str,
    pad: &'static str,
    block: &'static str,
}

const KATS: [Kat; 9] = [
    // TR-31:2018 A.7.2.1 (version A).
    Kat {
        kbpk: "89E88CF7931444F334BD7547FC3F380C",
        header: "A0000P0TE00E0000",
        key: "F039121BEC83D26B169BDCD5B22AAF8F",
        pad: "720DF563BB07",
        block: "A0072P0TE00E0000F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE8701",
    },
    // tr31-psec.json wrap-A-k1-0: a 24-byte KBPK, a 1-byte key.
    Kat {
        kbpk: "387BBDD4BF0461B77CD3663AA3523B98B2ABE86CB31B1DA8",
        header: "A0000E6HVc2S0400BI0E01E11FA56DDA0CvRFpnN,~AL18$^8b>3b)C}} qwt.;Ut{PB06l]",
        key: "28",
        pad: "C458D76631",
        block: "A0096E6HVc2S0400BI0E01E11FA56DDA0CvRFpnN,~AL18$^8b>3b)C}} qwt.;Ut{PB06l]13AB7C1D690B9423AEC5AB84",
    },
    // TR-31:2018 A.7.2.2 (version B).
    Kat {
        kbpk: "DD7515F2BFC17F85CE48F3CA25CB21F6",
        header: "B0000P0TE00E0000",
        key: "3F419E1CB7079442AA37474C2EFBF8B8",
        pad: "1C2965473CE2",
        block: "B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E",
    },
    // tr31-psec.json wrap-B-k2-0: a 24-byte KBPK.
    Kat {
        kbpk: "C394BBD3E807EE0270B759895B8ACC7CC1367C130FF86750",
        header: "B0000E3ENc2N0000",
        key: "F506",
        pad: "37974BF854200F2B8A3E06E419A0A57D19749722",
        block: "B0080E3ENc2N0000774FC17C905FA9D060394068E9AFD0C3F2A847F67BB00EEA3FFADF1F6D07282B",
    },
    // TR-31:2018 A.7.3.1 (version C).
    Kat {
        kbpk: "B8ED59E0A279A295E9F5ED7944FD06B9",
        header: "C0000B0TX12S0100KS1800604B120F9292800000",
        key: "EDB380DD340BC2620247D445F5B8D678",
        pad: "8546A8ED98D1",
        block: "C0096B0TX12S0100KS1800604B120F9292800000BFB9B689CB567E66FC3FEE5AD5F52161FC6545B9D60989015D02155C",
    },
    // tr31-psec.json wrap-C-k7-0: a 24-byte KBPK, an extended length.
    Kat {
        kbpk: "3F1594747BB4D7B0A60AC9D57EAD4D3E73CFC197054FBB50",
        header: "C000042EV00N0200IK0004001A6C355040BAA2DD2CPB06o*",
        key: "002156D66A5EDF",
        pad: "76AFFDCE2BF7AD",
        block: "C008842EV00N0200IK0004001A6C355040BAA2DD2CPB06o*07108A069AE4280B90E098F0E5E2EA258D2F9DAD",
    },
    // tr31-psec.json wrap-D-k20-1: an AES-128 KBPK.
    Kat {
        kbpk: "CCC81DC1B460AB86E478EF037BB0E451",
        header: "D0000D0HXWLS055nKP1001BE21597547TS0004001920320728030305ZDA0EwiZUJ+|N:R1A10{C,DC6MKp.AqPB09r}7h&",
        key: "1AB662BE9084C16C55A526FEF196EFCC3B638A9C",
        pad: "1464D6B08AADC9307E4B",
        block: "D0192D0HXWLS055nKP1001BE21597547TS0004001920320728030305ZDA0EwiZUJ+|N:R1A10{C,DC6MKp.AqPB09r}7h&A5230F20141C1A4E9A4219CF364DF16028997D0C265C9A2502CB2FE4F940E80449B166D4EC0D96930628F6C24CC01A0B",
    },
    // tr31-psec.json wrap-D-k23-0: an AES-192 KBPK.
    Kat {
        kbpk: "D2E74431CE55337F5FB991749BFC4D6ECA10DA78C2C0E18D",
        header: "D0000K1HTc2E0500KS0004001EC4D2588DB2F520A16AA7KC0C00B9663EKP0C00648398TC1320130214213323ZPB07jr^",
        key: "3763DB5D7ECA260E481369D78B6D55E6B3F22754664D44",
        pad: "7146CC94007D79",
        block: "D0192K1HTc2E0500KS0004001EC4D2588DB2F520A16AA7KC0C00B9663EKP0C00648398TC1320130214213323ZPB07jr^A403E0D72E3C949BC03FA9E99F36F3CA81A2F3F8C4F1865975A68706E82BC93D283A272949FB9532DDC8BD19E0D06C06",
    },
    // TR-31:2018 A.7.4 (version D, AES-256 KBPK).
    Kat {
        kbpk: "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6",
        header: "D0000P0AE00E0000",
        key: "3F419E1CB7079442AA37474C2EFBF8B8",
        pad: "1C2965473CE206BB855B01533782",
        block: "D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34",
    },
];

fn kat<const I: usize>() -> Result<&'static Kat, String> {
    KATS.get(I).ok_or_else(|| format!("no known answer {I}"))
}

/// The KBPK of `k`, marked secret, ready for its block's version.
fn kbpk(c: &mut Check, k: &Kat) -> Result<Kbpk, String> {
    let v = Version::from_id(k.header.as_bytes().first().copied().unwrap_or(0))
        .map_err(fail("version"))?;
    Kbpk::from_slice(&secret_hex(c, k.kbpk)?, v).map_err(fail("kbpk"))
}

/// Wraps with the published padding; key and padding marked secret.
fn wrap<const I: usize>(c: &mut Check) -> OpResult {
    let k = kat::<I>()?;
    let kbpk = kbpk(c, k)?;
    let key = secret_hex(c, k.key)?;
    let pad = secret_hex(c, k.pad)?;
    let mut out = vec![0u8; MAX_BLOCK_LEN];
    let block = kbpk
        .wrap(k.header.as_bytes(), &key, &pad, &mut out)
        .map_err(fail("wrap"))?;
    let mut got = block.to_vec();
    c.output_is("key block", &mut got, k.block.as_bytes())
}

/// Unwraps under a secret KBPK; the key comes back, still marked.
fn unwrap<const I: usize>(c: &mut Check) -> OpResult {
    let k = kat::<I>()?;
    let kbpk = kbpk(c, k)?;
    let block = KeyBlock::parse(k.block.as_bytes()).map_err(fail("parse"))?;
    let mut work = vec![0u8; block.key_data_len()];
    let r = kbpk.unwrap(&block, &mut work);
    let Some(mut u) = c.accepted("unwrap", r, None)? else {
        return Err("refused".into());
    };
    c.output_value("unwrapped", &mut u);
    c.secret_eq("key", u.expose_secret(), k.key)
}

/// Wraps with padding from a random source (every byte it hands out
/// marked), masked to the algorithm's longest key; unwraps again.
fn wrap_random<const I: usize>(c: &mut Check) -> OpResult {
    let k = kat::<I>()?;
    let kbpk = kbpk(c, k)?;
    let key = secret_hex(c, k.key)?;
    let mut rng = SecretRng::new(0x7231 ^ u64::try_from(I).unwrap_or(0));
    let mut out = vec![0u8; MAX_BLOCK_LEN];
    let block = kbpk
        .wrap_random(k.header.as_bytes(), &key, None, &mut rng, &mut out)
        .map_err(fail("wrap"))?;
    let mut text = block.to_vec();
    c.output("key block", &mut text);
    let block = KeyBlock::parse(&text).map_err(fail("parse"))?;
    let mut work = vec![0u8; block.key_data_len()];
    let r = kbpk.unwrap(&block, &mut work);
    let Some(mut u) = c.accepted("unwrap", r, None)? else {
        return Err("refused".into());
    };
    c.output_value("unwrapped", &mut u);
    c.secret_eq("key", u.expose_secret(), k.key)
}

/// A block with one MAC digit changed: refused after a constant-time
/// comparison, through the verdict.
fn bad_mac<const I: usize>(c: &mut Check) -> OpResult {
    let k = kat::<I>()?;
    let kbpk = kbpk(c, k)?;
    let mut text = k.block.as_bytes().to_vec();
    if let Some(last) = text.last_mut() {
        *last = if *last == b'0' { b'1' } else { b'0' };
    }
    let block = KeyBlock::parse(&text).map_err(fail("parse"))?;
    let mut work = vec![0u8; block.key_data_len()];
    let r = kbpk.unwrap(&block, &mut work).map(|_| ());
    c.accepted("unwrap", r, Some(Error::BadMac)).map(|_| ())
}

/// A block whose MAC checks out but whose key length field (0 bits) does
/// not (psec 1.3.0; tr31-psec.json refuse-1040-key-length-zero-B).
fn key_length_field(c: &mut Check) -> OpResult {
    let kbpk = Kbpk::from_slice(
        &secret_hex(c, "BB45A84514D3C4B36EB58A73A5DE113F127F9035D4A216B0")?,
        Version::B,
    )
    .map_err(fail("kbpk"))?;
    let block = KeyBlock::parse(
        b"B0080B2HB01N00Us3442DF71DF152C6BE3FBB20D0C8D3D6766956F07D5E024F79BCEEF607EBB9F99",
    )
    .map_err(fail("parse"))?;
    let mut work = vec![0u8; block.key_data_len()];
    let r = kbpk.unwrap(&block, &mut work).map(|_| ());
    c.accepted("unwrap", r, Some(Error::InvalidKeyBlock))
        .map(|_| ())
}

/// The typed conversions: the key length found by the verdict, the key
/// bytes copied without a branch on them, and the key check value.
fn bound_keys(c: &mut Check) -> OpResult {
    // TR-31:2018 A.7.3.1 (a TDES key) and A.7.4 (an AES key).
    for i in [4usize, 8] {
        let k = KATS.get(i).ok_or("no known answer")?;
        let kbpk = kbpk(c, k)?;
        let r = BoundKey::unwrap(&kbpk, k.block.as_bytes());
        let Some(bound) = c.accepted("bind", r, None)? else {
            return Err("refused".into());
        };
        c.secret_eq("key", bound.key().expose_secret(), k.key)?;
        if let SymmetricKey::Tdes(_) = bound.key() {
            // The legacy KCV of EDB380DD340BC2620247D445F5B8D678 (psec
            // 1.3.0 des.generate_kcv).
            let v: Kcv = bound.kcv().ok_or("no kcv")?;
            c.output_is("kcv", &mut v.as_bytes().to_vec(), &unhex("F4B08D")?)?;
        }
    }
    Ok(())
}

/// A `B1` block into a TDES DUKPT terminal (the README's example): the
/// first PIN key of X9.24-1:2009 A.4.
fn inject_tdes(c: &mut Check) -> OpResult {
    let kbpk = Kbpk::from_slice(&secret_hex(c, "B8ED59E0A279A295E9F5ED7944FD06B9")?, Version::B)
        .map_err(fail("kbpk"))?;
    let block = "B0120B1TX00N0100KS18FFFF9876543210E00000C88E27C8C1F2B49A1864A4BA9591EAB367EE5BDF0C6310DD914BC4404EF5BC13E536D8BE126D529D";
    let r = load_tdes_terminal(&kbpk, block.as_bytes());
    let Some(mut t) = c.accepted("load", r, None)? else {
        return Err("refused".into());
    };
    let (_, key) = t.next_transaction(Variant::Pin).map_err(fail("transaction"))?;
    c.secret_eq("pin key", key.expose_secret(), "042666B49184CF5C68DE9628D0397B36")
}

/// A `B1` block with an `IK` block into an AES DUKPT terminal: the first
/// AES-128 PIN key of the X9.24-3-2017 test vectors.
fn inject_aes(c: &mut Check) -> OpResult {
    let kbpk = Kbpk::from_slice(
        &secret_hex(c, "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6")?,
        Version::D,
    )
    .map_err(fail("kbpk"))?;
    let block = "D0176B1AX00N0200IK141234567890123456PB0C0000000093DCD1147C2D9B29F29516146BD50C7FADB07AA049AFD9A2505497DE18D7AE35DF599BD73C3950751B7182FE68234FF5E7CAC62BAEE7F547D3E54475C5667D54";
    let r = load_aes_terminal(&kbpk, block.as_bytes());
    let Some(mut t) = c.accepted("load", r, None)? else {
        return Err("refused".into());
    };
    let (_, key) = t
        .next_transaction(KeyType::Aes128, KeyUsage::PinEncryption)
        .map_err(fail("transaction"))?;
    c.secret_eq("pin key", key.expose_secret(), "AF8CB133A78F8DC2D1359F18527593FB")
}
