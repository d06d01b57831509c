//! Ops of ISO 9564-1 PIN blocks: encipher and decipher in every format and
//! key length, with the fill given or drawn from a random source, refused
//! blocks and fills, `Pin::from_digits`, and translation (one block, and
//! the batch with a random source).
//!
//! Secret: the keys, the PIN digits, the fill (given, or every byte the
//! random source hands out: `SecretRng`), and what deciphering yields; the
//! enciphered blocks going in are marked too (stricter than needed: they
//! travel in the clear). Public: the format, the PAN. A refusal is the
//! kernel's one verdict (`ct::verdict`, suppressed by name): its outcome is
//! public, declassified with `Check::accepted`.

use paykernel::pin::{
    AesPinBlockCipher, Fill, Format, Pin, PinBlock, PinBlockCipher, PinTranslator,
};
use paykernel::{AesKey, Error, Pan};
use subtle::ConstantTimeEq;

use crate::check::{Check, OpResult, SecretRng, fail, secret_hex, unhex};

ops! {
    "pin.f0.tdes8" => encipher_decipher::<0>,
    "pin.f0.tdes16" => encipher_decipher::<1>,
    "pin.f0.tdes24" => encipher_decipher::<2>,
    "pin.f1.tdes8" => encipher_decipher::<3>,
    "pin.f1.tdes16" => encipher_decipher::<4>,
    "pin.f1.tdes24" => encipher_decipher::<5>,
    "pin.f2.tdes8" => encipher_decipher::<6>,
    "pin.f2.tdes16" => encipher_decipher::<7>,
    "pin.f2.tdes24" => encipher_decipher::<8>,
    "pin.f3.tdes8" => encipher_decipher::<9>,
    "pin.f3.tdes16" => encipher_decipher::<10>,
    "pin.f3.tdes24" => encipher_decipher::<11>,
    "pin.f4.aes128" aes=true => encipher_decipher::<12>,
    "pin.f4.aes192" aes=true => encipher_decipher::<13>,
    "pin.f4.aes256" aes=true => encipher_decipher::<14>,
    "pin.f4-only.aes128" aes=true => aes_only::<12>,
    "pin.f4-only.aes256" aes=true => aes_only::<14>,
    "pin.f4-only.encipher-rng" aes=true => aes_only_rng::<13>,
    "pin.f4-only.decipher-refused" aes=true => aes_only_refused::<12>,
    "pin.f0.decipher-refused" => decipher_refused::<1>,
    "pin.f3.decipher-refused" => decipher_refused::<10>,
    "pin.f4.decipher-refused" aes=true => decipher_refused::<12>,
    "pin.from_digits-refused" => from_digits_refused,
    "pin.fill-refused" => fill_refused,
    "pin.f1.encipher-rng" => encipher_rng::<4>,
    "pin.f3.encipher-rng" => encipher_rng::<11>,
    "pin.f4.encipher-rng" aes=true => encipher_rng::<13>,
    "pin.translate.0-0" => translate::<0>,
    "pin.translate.0-4" aes=true => translate::<1>,
    "pin.translate.4-0" aes=true => translate::<2>,
    "pin.translate.3-1" => translate::<3>,
    "pin.translate-refused" aes=true => translate::<4>,
    "pin.translate_many.0-3" => translate_many::<false>,
    "pin.translate_many.4-1" aes=true => translate_many::<true>,
}

/// One block enciphered with its fill given.
struct PinKat {
    format: Format,
    key: &'static str,
    pin: &'static str,
    pan: Option<&'static str>,
    fill: &'static str,
    block: &'static str,
}

/// One translation with the outgoing fill given; `out: None` is refused.
struct TranslateKat {
    from: (Format, &'static str),
    to: (Format, &'static str),
    block: &'static str,
    pan: &'static str,
    fill: &'static str,
    out: Option<&'static str>,
}

/// Encipher known answers, one per format and key length: formats 0 to 3
/// under TDES keys of 8, 16 and 24 bytes, format 4 under AES-128, -192 and
/// -256 (the suites in `vectors/`, which name their sources).
const ENCIPHER: [PinKat; 15] = [
    // iso9564-1-psec.json, f0-enc-01.
    PinKat {
        format: Format::Iso0,
        key: "8AAF9F4E40A21BDA",
        pin: "8040",
        pan: Some("262951947425523"),
        fill: "",
        block: "AF4064652AF72C15",
    },
    // iso9564-1-psec.json, f0-enc-02.
    PinKat {
        format: Format::Iso0,
        key: "D97DD13736F249E24E8627DC38C1C45C",
        pin: "25169",
        pan: Some("5408705447370225613"),
        fill: "",
        block: "044F3396B921EBF2",
    },
    // iso9564-1-psec.json, f0-enc-03.
    PinKat {
        format: Format::Iso0,
        key: "5EF260D0E28635F84CDBEF5C80AA63232CD3D67BEE1C1D1E",
        pin: "840849",
        pan: Some("1154743219220"),
        fill: "",
        block: "92B70D663833394D",
    },
    // iso9564-1-psec.json, f1-enc-01.
    PinKat {
        format: Format::Iso1,
        key: "8D2500EF7AB0DE2E",
        pin: "8133",
        pan: None,
        fill: "D7A049E039",
        block: "02FF0E4E55EAD886",
    },
    // iso9564-1-psec.json, f1-enc-02.
    PinKat {
        format: Format::Iso1,
        key: "CDC6A215A6D6842A7D106AED72872711",
        pin: "72320",
        pan: None,
        fill: "C39F3E504",
        block: "510B4D84EC1A79CB",
    },
    // iso9564-1-psec.json, f1-enc-03.
    PinKat {
        format: Format::Iso1,
        key: "CFFD322C017CF751D401488B69D2BED3542211476EAC8EED",
        pin: "617623",
        pan: None,
        fill: "C836CD79",
        block: "05FE18464610CB4A",
    },
    // iso9564-1-psec.json, f2-enc-01.
    PinKat {
        format: Format::Iso2,
        key: "BEC289EBE8884D35",
        pin: "7265",
        pan: None,
        fill: "",
        block: "40DF01335C10703F",
    },
    // iso9564-1-psec.json, f2-enc-02.
    PinKat {
        format: Format::Iso2,
        key: "5342ECE05F3B2A853D51B45652CF1F80",
        pin: "88741",
        pan: None,
        fill: "",
        block: "D51F988A074AAEEF",
    },
    // iso9564-1-psec.json, f2-enc-03.
    PinKat {
        format: Format::Iso2,
        key: "48A8DB15D95F3797BF28CD48DFAC73ECA39FACFE986EFC53",
        pin: "823420",
        pan: None,
        fill: "",
        block: "EFA2ED5E4E34C8AC",
    },
    // iso9564-1-psec.json, f3-enc-01.
    PinKat {
        format: Format::Iso3,
        key: "0DBE115481407C9A",
        pin: "3931",
        pan: Some("6695611642718024890"),
        fill: "DEEFBDFFBA",
        block: "441F43E0F84869D9",
    },
    // iso9564-1-psec.json, f3-enc-02.
    PinKat {
        format: Format::Iso3,
        key: "131FC4D5A24D851765728EAC087C2D3C",
        pin: "29060",
        pan: Some("91531929000063639"),
        fill: "FEEEBECBB",
        block: "FBCE1B418446C340",
    },
    // iso9564-1-psec.json, f3-enc-03.
    PinKat {
        format: Format::Iso3,
        key: "C1833586874760B88C327CC2D3008DCC87E29EB23E356809",
        pin: "884395",
        pan: Some("7970056309327230"),
        fill: "CCADAADF",
        block: "F3221C17B2BED6B9",
    },
    // iso9564-1-psec.json, f4-enc-01.
    PinKat {
        format: Format::Iso4,
        key: "30C88146780CB1E3AA49E71B94A389B5",
        pin: "9885",
        pan: Some("030277674456923594"),
        fill: "3A92906D93CACFC9",
        block: "5C1A3EE2D79768EAABEC5F6AE40A1D6F",
    },
    // iso9564-1-psec.json, f4-enc-02.
    PinKat {
        format: Format::Iso4,
        key: "AD3B6F67033D34484976765669211C8CD00EE62C5FC03AFF",
        pin: "94348",
        pan: Some("6302121805067"),
        fill: "B9038E07D5E8FE2A",
        block: "B276674156445709F6B5DE455C5DED11",
    },
    // iso9564-1-format4-example.json, f4-aes256.
    PinKat {
        format: Format::Iso4,
        key: "62CB437131C129DF001D42676011975150506E2A382145FD9BDEA7EC5A339F63",
        pin: "1234",
        pan: Some("5237481234567895"),
        fill: "FFC853BBF9685D5E",
        block: "060E768D21D709B5D2A3F9660A704B9D",
    },
];

/// Translations (iso9564-1-psec.json): 0→0, 0→4, 4→0, 3→1, and a refused
/// block (0→4).
const TRANSLATE: [TranslateKat; 5] = [
    // translate-0-to-0.
    TranslateKat {
        from: (Format::Iso0, "1BF091277ACEEE90"),
        to: (Format::Iso0, "3D1AEA741B3EA61931B4C840B3776CE3"),
        block: "B939386F91859203",
        pan: "7856733475712679",
        fill: "",
        out: Some("2C5A86FDA3D91F85"),
    },
    // translate-0-to-4.
    TranslateKat {
        from: (Format::Iso0, "E3D602B8B15FE78B"),
        to: (Format::Iso4, "B0FB22BC0FB2C02C77B9E545F4267464ACEE602B55CE01D1"),
        block: "23CB4AD7E19EE069",
        pan: "7048969340421",
        fill: "E1373BC2D2C2F80C",
        out: Some("B025F09B87425C4C5B57980A2BF8B632"),
    },
    // translate-4-to-0.
    TranslateKat {
        from: (Format::Iso4, "2E8577D9624CFECADDCA2A98A9CA958ABB6FCC7A272B897B"),
        to: (Format::Iso0, "6ACAE65ABD934A1A"),
        block: "C0DA6166D1A9AD4EC4870E6DEBDD07CA",
        pan: "3650944005222593",
        fill: "",
        out: Some("675A0B4BC27BDBD6"),
    },
    // translate-3-to-1.
    TranslateKat {
        from: (Format::Iso3, "0C8EF7720F859BDC"),
        to: (Format::Iso1, "498A24CE624D174806D0567804D7EDD75207DA00707290BC"),
        block: "C5A80C7E3D807C87",
        pan: "5314291402091",
        fill: "2D77C",
        out: Some("6DE03B5300DB28C0"),
    },
    // translate-0-to-4-bad-block.
    TranslateKat {
        from: (Format::Iso0, "C42747FBA7FB7BB8454154B2C8B1C10E"),
        to: (Format::Iso4, "776726E402B80C8621DCCE9DB86FC587"),
        block: "D3EE95E8906571BA",
        pan: "5237481234567895",
        fill: "A9E0758EA110BBEF",
        out: None,
    },
];

fn kat<const I: usize>() -> Result<&'static PinKat, String> {
    ENCIPHER.get(I).ok_or_else(|| format!("no known answer {I}"))
}

fn pan(s: Option<&str>) -> Result<Option<Pan>, String> {
    s.map(|p| p.parse::<Pan>().map_err(fail("PAN")))
        .transpose()
}

/// A cipher for `format` under the secret key `key` (hex).
fn cipher(c: &mut Check, format: Format, key: &str) -> Result<PinBlockCipher, String> {
    PinBlockCipher::new(format, &secret_hex(c, key)?).map_err(fail("key"))
}

/// A PIN from secret digits.
fn secret_pin(c: &mut Check, digits: &str) -> Result<Pin, String> {
    let mut d = digits.as_bytes().to_vec();
    c.secret(&mut d);
    c.accepted("pin accepted", Pin::from_digits(&d), None)?
        .ok_or_else(|| "no pin".to_owned())
}

/// A fill from secret hex digits.
fn secret_fill(c: &mut Check, hex: &str) -> Result<Fill, String> {
    let mut d = hex.as_bytes().to_vec();
    c.secret(&mut d);
    c.accepted("fill accepted", Fill::from_hex(&d), None)?
        .ok_or_else(|| "no fill".to_owned())
}

/// Declassifies an enciphered block (as a whole: see
/// `Check::output_value`) and returns its bytes.
fn block_bytes(c: &mut Check, mut block: PinBlock) -> Vec<u8> {
    c.output_value("block", &mut block);
    block.as_bytes().to_vec()
}

/// Declassifies an enciphered block and checks it against `want` (hex).
fn block_is(c: &mut Check, block: PinBlock, want: &str) -> OpResult {
    let got = block_bytes(c, block);
    let want = unhex(want)?;
    if got == want {
        Ok(())
    } else {
        Err(format!(
            "block: got {}, want {}",
            hex::encode_upper(&got),
            hex::encode_upper(&want)
        ))
    }
}

/// Deciphers `block` under `cipher` and checks the PIN it holds.
fn decipher_to(
    c: &mut Check,
    cipher: &PinBlockCipher,
    block: &[u8],
    pan: Option<&Pan>,
    want: &str,
) -> OpResult {
    let pin = c
        .accepted("block accepted", cipher.decipher(block, pan), None)?
        .ok_or("no pin")?;
    // Compared in constant time: the PIN's length is secret too, and
    // `expose_secret` hands it out as the length of a slice.
    let want = Pin::from_digits(want.as_bytes()).map_err(fail("pin"))?;
    c.verdict_is("pin matches", bool::from(pin.ct_eq(&want)), true)
}

/// Enciphers the known answer's PIN with its fill (secret PIN, fill and
/// key), then deciphers the published block.
fn encipher_decipher<const I: usize>(c: &mut Check) -> OpResult {
    let k = kat::<I>()?;
    let cipher = cipher(c, k.format, k.key)?;
    let pan = pan(k.pan)?;
    let pin = secret_pin(c, k.pin)?;
    let fill = secret_fill(c, k.fill)?;
    let r = cipher.encipher_with_fill(&pin, pan.as_ref(), &fill);
    let block = c.accepted("fill suits", r, None)?.ok_or("no block")?;
    block_is(c, block, k.block)?;
    let block = secret_hex(c, k.block)?;
    decipher_to(c, &cipher, &block, pan.as_ref(), k.pin)
}

/// A format 4 cipher of the AES-only type under the secret key `key`.
fn aes_only_cipher(c: &mut Check, key: &str) -> Result<AesPinBlockCipher, String> {
    let key = AesKey::from_slice(&secret_hex(c, key)?).map_err(fail("key"))?;
    Ok(AesPinBlockCipher::new(&key))
}

/// [`encipher_decipher`] through the AES-only type (what a terminal's
/// firmware links): the known answer's block with its fill, and back.
fn aes_only<const I: usize>(c: &mut Check) -> OpResult {
    let k = kat::<I>()?;
    let cipher = aes_only_cipher(c, k.key)?;
    let pan = pan(k.pan)?;
    let pin = secret_pin(c, k.pin)?;
    let fill = secret_fill(c, k.fill)?;
    let r = cipher.encipher_with_fill(&pin, pan.as_ref(), &fill);
    let block = c.accepted("fill suits", r, None)?.ok_or("no block")?;
    block_is(c, block, k.block)?;
    let block = secret_hex(c, k.block)?;
    let pin = c
        .accepted("block accepted", cipher.decipher(&block, pan.as_ref()), None)?
        .ok_or("no pin")?;
    let want = Pin::from_digits(k.pin.as_bytes()).map_err(fail("pin"))?;
    c.verdict_is("pin matches", bool::from(pin.ct_eq(&want)), true)
}

/// The AES-only type with its random half from a source whose bytes are
/// secret; the block is opened by the any-format type under the same key.
fn aes_only_rng<const I: usize>(c: &mut Check) -> OpResult {
    let k = kat::<I>()?;
    let cipher = aes_only_cipher(c, k.key)?;
    let pan = pan(k.pan)?;
    let pin = secret_pin(c, k.pin)?;
    let mut rng = SecretRng::new(0x5EED_4000 ^ u64::try_from(I).unwrap_or(0));
    let block = cipher
        .encipher(&pin, pan.as_ref(), &mut rng)
        .map_err(fail("encipher"))?;
    let out = block_bytes(c, block);
    let any = PinBlockCipher::from(cipher);
    decipher_to(c, &any, &out, pan.as_ref(), k.pin)
}

/// A format 4 block refused by the AES-only type (another PAN).
fn aes_only_refused<const I: usize>(c: &mut Check) -> OpResult {
    let k = kat::<I>()?;
    let cipher = aes_only_cipher(c, k.key)?;
    let other = "4000001234567899".parse::<Pan>().map_err(fail("PAN"))?;
    let r = cipher.decipher(&secret_hex(c, k.block)?, Some(&other));
    c.accepted("block accepted", r, Some(Error::InvalidPinBlock))?;
    Ok(())
}

/// A known answer's block deciphered with another PAN: the PIN field no
/// longer keeps its format's rules, and the block is refused.
fn decipher_refused<const I: usize>(c: &mut Check) -> OpResult {
    let k = kat::<I>()?;
    let cipher = cipher(c, k.format, k.key)?;
    let other = "4000001234567899".parse::<Pan>().map_err(fail("PAN"))?;
    let r = cipher.decipher(&secret_hex(c, k.block)?, Some(&other));
    c.accepted("block accepted", r, Some(Error::InvalidPinBlock))?;
    Ok(())
}

/// A secret PIN with a letter in it.
fn from_digits_refused(c: &mut Check) -> OpResult {
    let mut d = b"12a4".to_vec();
    c.secret(&mut d);
    c.accepted("pin accepted", Pin::from_digits(&d), Some(Error::InvalidPin))?;
    let mut d = b"1234567:".to_vec();
    c.secret(&mut d);
    c.accepted("pin accepted", Pin::from_digits(&d), Some(Error::InvalidPin))?;
    Ok(())
}

/// Fills that do not suit: a secret hex digit that is not one, a format-3
/// fill with a nibble below A, and a format-1 fill one nibble too long for
/// the (secret) PIN length.
fn fill_refused(c: &mut Check) -> OpResult {
    let mut d = b"D7A04G".to_vec();
    c.secret(&mut d);
    c.accepted("fill accepted", Fill::from_hex(&d), Some(Error::InvalidPinBlock))?;
    for (i, fill) in [(9usize, "DEEFBDFF9A"), (3, "D7A049E0390")] {
        let k = ENCIPHER.get(i).ok_or("no known answer")?;
        let cipher = cipher(c, k.format, k.key)?;
        let pan = pan(k.pan)?;
        let pin = secret_pin(c, k.pin)?;
        let fill = secret_fill(c, fill)?;
        let r = cipher.encipher_with_fill(&pin, pan.as_ref(), &fill);
        c.accepted("fill suits", r, Some(Error::InvalidPinBlock))?;
    }
    Ok(())
}

/// Enciphers with the fill drawn from a source whose bytes are secret,
/// then deciphers what came out (the fill is random: the block has no
/// known value).
fn encipher_rng<const I: usize>(c: &mut Check) -> OpResult {
    let k = kat::<I>()?;
    let cipher = cipher(c, k.format, k.key)?;
    let pan = pan(k.pan)?;
    let pin = secret_pin(c, k.pin)?;
    let mut rng = SecretRng::new(0x5EED_0000 ^ u64::try_from(I).unwrap_or(0));
    let block = cipher
        .encipher(&pin, pan.as_ref(), &mut rng)
        .map_err(fail("encipher"))?;
    let out = block_bytes(c, block);
    decipher_to(c, &cipher, &out, pan.as_ref(), k.pin)
}

/// One translation with the outgoing fill given (secret), or a refused
/// block.
fn translate<const I: usize>(c: &mut Check) -> OpResult {
    let k = TRANSLATE.get(I).ok_or("no known answer")?;
    let t = PinTranslator::new(cipher(c, k.from.0, k.from.1)?, cipher(c, k.to.0, k.to.1)?);
    let pan = pan(Some(k.pan))?;
    let fill = secret_fill(c, k.fill)?;
    let r = t.translate_with_fill(&secret_hex(c, k.block)?, pan.as_ref(), &fill);
    match k.out {
        Some(want) => {
            let block = c.accepted("block accepted", r, None)?.ok_or("no block")?;
            block_is(c, block, want)
        }
        None => {
            c.accepted("block accepted", r, Some(Error::InvalidPinBlock))?;
            Ok(())
        }
    }
}

/// A batch of four blocks, the third one garbage, translated with the
/// outgoing fill from a secret source: 0 → 3 under TDES, or 4 → 1 (AES to
/// TDES). Every good block must come out holding its PIN, the bad one
/// refused.
fn translate_many<const AES: bool>(c: &mut Check) -> OpResult {
    let (from, to) = if AES {
        ((Format::Iso4, "A75903CE8209C6E15880EB0567A999B34E5CB3F959666315"), (Format::Iso1, "D687AF93164EBA8C"))
    } else {
        ((Format::Iso0, "F7AC0B2572D279357B9898E13A57B94E0BBAD7A09296F772"), (Format::Iso3, "413B513AF4E3B216"))
    };
    // 70 blocks: a full bitsliced pass of 64 and a tail of 6 run block by
    // block, so both paths of the batch are under the check.
    let pins: Vec<&str> = ["1234", "987654321098", "", "04420"].into_iter().cycle().take(70).collect();
    let pans = ["5237481234567895", "4000001234567899", "6011000990139424", "4111111111111111"];
    let pans: Vec<Pan> = pans
        .iter()
        .cycle()
        .take(70)
        .map(|p| p.parse().map_err(fail("PAN")))
        .collect::<Result<_, _>>()?;
    // The incoming blocks, made under an untainted copy of the key: they
    // travel in the clear.
    let maker = PinBlockCipher::new(from.0, &unhex(from.1)?).map_err(fail("key"))?;
    let mut setup_rng = SecretRng::new(1);
    let mut blocks = Vec::new();
    for (p, pan) in pins.iter().zip(&pans) {
        let b = if p.is_empty() {
            PinBlock::from_slice(&vec![0xA5; from.0.block_len()]).map_err(fail("block"))?
        } else {
            let pin = Pin::from_digits(p.as_bytes()).map_err(fail("pin"))?;
            let b = maker.encipher(&pin, Some(pan), &mut setup_rng).map_err(fail("encipher"))?;
            let mut bytes = b.as_bytes().to_vec();
            crate::taint::declassify(&mut bytes);
            PinBlock::from_slice(&bytes).map_err(fail("block"))?
        };
        blocks.push(b);
    }
    let t = PinTranslator::new(cipher(c, from.0, from.1)?, cipher(c, to.0, to.1)?);
    let mut out = vec![Err(Error::Unsupported); blocks.len()];
    let mut rng = SecretRng::new(0xBA7C);
    t.translate_many(&blocks, &pans, &mut out, &mut rng)
        .map_err(fail("translate_many"))?;
    let check = cipher(c, to.0, to.1)?;
    for ((r, p), pan) in out.into_iter().zip(pins).zip(&pans) {
        if p.is_empty() {
            c.accepted("block accepted", r, Some(Error::InvalidPinBlock))?;
        } else {
            let b = c.accepted("block accepted", r, None)?.ok_or("no block")?;
            let bytes = block_bytes(c, b);
            decipher_to(c, &check, &bytes, Some(pan), p)?;
        }
    }
    Ok(())
}
