//! Ops of card and PIN verification: CVV generate and verify (the A-F
//! decimalization pass included), CVC3, Visa PVV and IBM 3624 (offset,
//! PIN, clear verify) for every PVK length, `PinVerifier::verify` for
//! formats 0 to 4 with both methods (right PIN, wrong PIN, an offset one
//! digit longer than the PIN, a block that breaks its format), the batch
//! `verify_many` (TDES bitsliced and AES), digit strings refused; and a
//! planted control: decimalization by a table lookup at a secret nibble.
//!
//! Secret: every key (CVK, CVC3 key, PVK, PIN block key), the PIN, the
//! enciphered blocks, and the values checked or derived (CVV, CVC3, PVV,
//! offset). Public: the PAN, expiry, service code, PVKI, decimalization
//! table, validation-data parameters, track data, ATC and UN. A format
//! refusal is the kernel's one verdict (`ct::verdict`), declassified with
//! `Check::accepted`; the match is a `bool` computed without a branch,
//! declassified with `Check::verdict_is` (it must carry the secret).
//! Known answers: `vectors/card-verification-examples.json` (published)
//! and `vectors/card-verification-independent.json` (psec 1.3.0, pyemv
//! 1.5.0), case ids beside each.

use core::hint::black_box;

use paykernel::card::{
    Cvc3, Cvc3Key, Cvk, Cvv, DecimalizationTable, Ibm3624, Ibm3624Pin, Offset, Pvki, Pvv,
    ValidationData, VisaPvv,
};
use paykernel::pin::{Fill, Format, Pin, PinBlock, PinBlockCipher, PinVerifier};
use paykernel::{Error, Pan, TdesKey};
use subtle::{Choice, ConstantTimeEq};

use crate::check::{Check, Expect, Op, OpResult, fail, secret_array, secret_hex, unhex};

macro_rules! card_ops {
    ($($name:literal $(aes=$aes:literal)? => $run:expr,)*) => {
        /// The ops of this file: the clean ones, then the planted control.
        pub const OPS: &[Op] = &[
            $(Op { name: $name, expect: Expect::Clean, aes: card_ops!(@aes $($aes)?), run: $run },)*
            Op {
                name: "control.decimalize-by-index",
                expect: Expect::Leak,
                aes: false,
                run: decimalize_by_index,
            },
        ];
    };
    (@aes) => { false };
    (@aes $aes:literal) => { $aes };
}

card_ops! {
    "card.cvv.classic" => cvv::<0>,
    "card.cvv.psec" => cvv::<1>,
    "card.cvv.letters" => cvv::<2>,
    "card.cvv.verify" => cvv_verify,
    "card.cvc3" => cvc3::<0>,
    "card.cvc3.leading-zeros" => cvc3::<1>,
    "card.cvc3.verify" => cvc3_verify,
    "card.pvv.tdes8" => pvv::<0>,
    "card.pvv.tdes16" => pvv::<1>,
    "card.pvv.tdes24" => pvv::<2>,
    "card.pvv.letters" => pvv::<3>,
    "card.ibm3624.tdes8" => ibm3624::<0>,
    "card.ibm3624.tdes16" => ibm3624::<1>,
    "card.ibm3624.tdes24" => ibm3624::<2>,
    "card.ibm3624.16-digits" => ibm3624::<3>,
    "card.ibm3624.pin" => ibm3624_pin,
    "card.digits-refused" => digits_refused,
    "card.verify.f0.pvv" => verify_pvv::<0>,
    "card.verify.f1.pvv" => verify_pvv::<1>,
    "card.verify.f2.pvv" => verify_pvv::<2>,
    "card.verify.f3.pvv" => verify_pvv::<3>,
    "card.verify.f4.pvv" aes=true => verify_pvv::<4>,
    "card.verify.f0.ibm3624" => verify_ibm::<0>,
    "card.verify.f1.ibm3624" => verify_ibm::<1>,
    "card.verify.f2.ibm3624" => verify_ibm::<2>,
    "card.verify.f3.ibm3624" => verify_ibm::<3>,
    "card.verify.f4.ibm3624" aes=true => verify_ibm::<4>,
    "card.verify.refused" aes=true => verify_refused,
    "card.verify_many.f0" => verify_many::<false>,
    "card.verify_many.f4" aes=true => verify_many::<true>,
}

/// A CVV: key, PAN, expiry, service code, CVV.
const CVV: [(&str, &str, &str, &str, &str); 3] = [
    // card-verification-examples.json cvv-classic.
    ("0123456789ABCDEFFEDCBA9876543210", "4123456789012345", "8701", "101", "561"),
    // cvv-psec-test.
    ("99999999999999998888888888888888", "2222222222222222", "3333", "111", "361"),
    // card-verification-independent.json cvv-letters-1.
    ("6D7DA443138ED7D5F84DD13316999C9C", "1953827485085525", "0927", "445", "460"),
];

fn pan(s: &str) -> Result<Pan, String> {
    s.parse().map_err(fail("PAN"))
}

fn tdes_key(c: &mut Check, hex: &str) -> Result<TdesKey, String> {
    TdesKey::from_slice(&secret_hex(c, hex)?).map_err(fail("key"))
}

/// ASCII digits marked secret, parsed by `parse` (the one verdict).
fn secret_digits<T>(
    c: &mut Check,
    digits: &str,
    parse: fn(&[u8]) -> Result<T, Error>,
) -> Result<T, String> {
    let mut d = digits.as_bytes().to_vec();
    c.secret(&mut d);
    c.accepted("digits accepted", parse(&d), None)?
        .ok_or_else(|| "no value".to_owned())
}

/// Declassifies a copy of secret digits the kernel handed back and checks
/// them against `want`.
fn digits_are(c: &mut Check, what: &str, got: &[u8], want: &str) -> OpResult {
    let mut g = got.to_vec();
    c.output(what, &mut g);
    if g == want.as_bytes() {
        Ok(())
    } else {
        Err(format!("{what}: got {}, want {want}", String::from_utf8_lossy(&g)))
    }
}

fn cvv<const I: usize>(c: &mut Check) -> OpResult {
    let (key, p, e, sc, want) = CVV.get(I).copied().ok_or("no known answer")?;
    let cvk = Cvk::new(&tdes_key(c, key)?).map_err(fail("cvk"))?;
    let cvv = cvk.generate(
        &pan(p)?,
        &e.parse().map_err(fail("expiry"))?,
        &sc.parse().map_err(fail("service code"))?,
    );
    digits_are(c, "cvv", cvv.expose_secret(), want)
}

fn cvv_verify(c: &mut Check) -> OpResult {
    let (key, p, e, sc, right) = CVV.first().copied().ok_or("no known answer")?;
    let cvk = Cvk::new(&tdes_key(c, key)?).map_err(fail("cvk"))?;
    let (p, e, sc) = (
        pan(p)?,
        e.parse().map_err(fail("expiry"))?,
        sc.parse().map_err(fail("service code"))?,
    );
    for (candidate, want) in [(right, true), ("516", false), ("560", false)] {
        let cvv = secret_digits(c, candidate, Cvv::from_digits)?;
        c.verdict_is("cvv matches", cvk.verify(&p, &e, &sc, &cvv), want)?;
    }
    Ok(())
}

/// A CVC3: key, track, ATC, UN, CVC3.
type Cvc3Kat = (&'static str, &'static str, [u8; 2], [u8; 4], &'static str);
const CVC3: [Cvc3Kat; 2] = [
    // card-verification-examples.json cvc3-pyemv-doc.
    ("6D6425FB9401C21AA1F80451AB85DA3B", "5123456789012345D35121010000000000000F", [0x00, 0x5E], [0x00, 0x00, 0x08, 0x99], "29488"),
    // card-verification-independent.json cvc3-001.
    ("AD37520BD5F297B68F8662A77C044A3E", "918697686837275861D016751553061473", [0x41, 0xA2], [0x9B, 0x1D, 0xE7, 0x1C], "00003"),
];

fn cvc3<const I: usize>(c: &mut Check) -> OpResult {
    let (key, track, atc, un, want) = CVC3.get(I).copied().ok_or("no known answer")?;
    let key = Cvc3Key::new(&tdes_key(c, key)?).map_err(fail("key"))?;
    let v = key.generate(&unhex(track)?, atc, un).map_err(fail("cvc3"))?;
    digits_are(c, "cvc3", v.expose_secret(), want)
}

fn cvc3_verify(c: &mut Check) -> OpResult {
    let (key, track, atc, un, right) = CVC3.first().copied().ok_or("no known answer")?;
    let key = Cvc3Key::new(&tdes_key(c, key)?).map_err(fail("key"))?;
    let track = unhex(track)?;
    for (candidate, want) in [(right, true), ("29489", false)] {
        let v = secret_digits(c, candidate, Cvc3::from_digits)?;
        let ok = key.verify(&track, atc, un, &v).map_err(fail("cvc3"))?;
        c.verdict_is("cvc3 matches", bool::from(ok), want)?;
    }
    Ok(())
}

/// A PVV: PVK, PVKI, PIN, PAN, PVV (card-verification-independent.json
/// pvv-001, -002, -003, pvv-letters-1).
const PVV: [(&str, &str, &str, &str, &str); 4] = [
    ("92412E2BD0A3DDD4", "5", "375934", "705900094177", "5735"),
    ("4C15A668F8B06B311ABE52ABC1C773E2", "5", "3091370197", "3062383354340", "8343"),
    ("F4D184C43480863FB64F6A88B8CD5FD141D6FF1BA209CB7D", "8", "44834", "64563257628943", "1828"),
    ("7CB273ADA720ED39AE1644F3AF43D9F4", "4", "9730", "1584988480780054", "1090"),
];

fn pvv<const I: usize>(c: &mut Check) -> OpResult {
    let (key, pvki, pin, p, want) = PVV.get(I).copied().ok_or("no known answer")?;
    let method = VisaPvv::new(&tdes_key(c, key)?);
    let pvki: Pvki = pvki.parse().map_err(fail("pvki"))?;
    let pin = secret_digits(c, pin, Pin::from_digits)?;
    let p = pan(p)?;
    let v = method.generate(pvki, &pin, &p);
    digits_are(c, "pvv", v.expose_secret(), want)?;
    let right = secret_digits(c, want, Pvv::from_digits)?;
    c.verdict_is("pvv matches", method.verify(pvki, &pin, &p, &right), true)?;
    let wrong = secret_digits(c, "0000", Pvv::from_digits)?;
    c.verdict_is("pvv matches", method.verify(pvki, &pin, &p, &wrong), want == "0000")
}

/// An IBM 3624 offset: PVK, table, PAN, validation data, PIN, offset
/// (card-verification-independent.json ibm3624-offset-001, -002, -003,
/// -013).
type IbmKat = (&'static str, &'static str, &'static str, (usize, usize, u8), &'static str, &'static str);
const IBM: [IbmKat; 4] = [
    ("761B13D7D1013038", "6105427948726138", "224134235566507814", (0, 16, b'F'), "7522", "6159"),
    ("47C3123CF6F689682633127A1A4EF58F", "4989143016712560", "1619462711824689691", (0, 16, b'F'), "67982", "68809"),
    ("ED8A2F964978F15501CFC688BFF7306F2E46D900CACD28D1", "7764258164690139", "312804810116002443", (0, 16, b'F'), "669605", "056228"),
    ("AEE8CCD6DE986313", "7389558941976230", "5918756019348067293", (3, 16, b'A'), "5283176205944755", "2425172204256870"),
];

fn method(c: &mut Check, key: &str, table: &str, v: (usize, usize, u8)) -> Result<Ibm3624, String> {
    Ok(Ibm3624::new(
        &tdes_key(c, key)?,
        table.parse::<DecimalizationTable>().map_err(fail("table"))?,
        ValidationData::new(v.0, v.1, v.2).map_err(fail("validation data"))?,
    ))
}

fn ibm3624<const I: usize>(c: &mut Check) -> OpResult {
    let (key, table, p, v, pin, want) = IBM.get(I).copied().ok_or("no known answer")?;
    let m = method(c, key, table, v)?;
    let p = pan(p)?;
    let long_pin = secret_digits(c, pin, Ibm3624Pin::from_digits)?;
    let offset = m.offset(&long_pin, &p).map_err(fail("offset"))?;
    digits_are(c, "offset", offset.expose_secret(), want)?;
    // Back: the PIN from the offset, compared in constant time.
    let back = m.pin(&offset, &p).map_err(fail("pin"))?;
    c.verdict_is("pin from offset", bool::from(back.ct_eq(&long_pin)), true)?;
    // The clear verify, where the PIN fits an ISO 9564 block.
    if pin.len() <= 12 {
        let short = secret_digits(c, pin, Pin::from_digits)?;
        let off = secret_digits(c, want, Offset::from_digits)?;
        let ok = m.verify(&short, &p, &off).map_err(fail("verify"))?;
        c.verdict_is("offset matches", bool::from(ok), true)?;
    }
    Ok(())
}

/// card-verification-independent.json ibm3624-pin-005: an 11-digit
/// offset.
fn ibm3624_pin(c: &mut Check) -> OpResult {
    let m = method(c, "427A083EA4496C99C83CCDE9EC984042", "6358643104796204", (0, 16, b'F'))?;
    let offset = secret_digits(c, "79278211084", Offset::from_digits)?;
    let pin = m
        .pin(&offset, &pan("8591660459010296933")?)
        .map_err(fail("pin"))?;
    digits_are(c, "pin", pin.expose_secret(), "73814915347")
}

/// Secret digit strings with a non-digit: refused through the verdict.
fn digits_refused(c: &mut Check) -> OpResult {
    let mut d = b"5A1".to_vec();
    c.secret(&mut d);
    c.accepted("cvv accepted", Cvv::from_digits(&d), Some(Error::InvalidDigits))?;
    let mut d = b"40:1".to_vec();
    c.secret(&mut d);
    c.accepted("pvv accepted", Pvv::from_digits(&d), Some(Error::InvalidDigits))?;
    let mut d = b"0000/".to_vec();
    c.secret(&mut d);
    c.accepted("offset accepted", Offset::from_digits(&d), Some(Error::InvalidDigits))?;
    let mut d = b"1234567890123F".to_vec();
    c.secret(&mut d);
    c.accepted("pin accepted", Ibm3624Pin::from_digits(&d), Some(Error::InvalidPin))?;
    Ok(())
}

/// A `pin.verify` with a PVV: format, key, the right block, a wrong-PIN
/// block, PAN, PVK, PVKI, PVV (card-verification-independent.json
/// verify-fN-pvv-02 and -02-wrong-pin).
type PvvVerifyKat = (Format, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str);
const VERIFY_PVV: [PvvVerifyKat; 5] = [
    (Format::Iso0, "7C3D1E75298384B093202A4C10556663", "0ECE7E41F3C95A34", "E4A307F08DEF84AF", "4099738248115", "7491A36A6DEA94C8", "3", "8328"),
    (Format::Iso1, "90556A5EF9389FE7B5395AA52BC30465", "694BE680039592F2", "FE6B92EB7EFE901C", "4558216254721", "37F23BBA65E69300", "5", "6064"),
    (Format::Iso2, "D5632F40CD0AAFCDFDFC17656B172884", "1C403217FBB0568D", "106ACB6B484FF766", "2434380137213", "C2A45B43672A061C", "4", "0515"),
    (Format::Iso3, "9AE677F823149654F8EACBFCF9EDB512", "F45823EFB1E73BF1", "077412CBAEAD130A", "8694528241705", "BCAA6816C4FA6437", "9", "1433"),
    (Format::Iso4, "37478CA2FF27C4CAF2A3A8DF09EE2E8083CF3396BA7B0EF7", "5308F20EE8B5ABC09C6BAD6C8C9D29D7", "A667D8387A0E70E190AC153759A47B05", "7213318365746", "CF8E81354BB1D371", "9", "3531"),
];

fn pin_key(c: &mut Check, format: Format, key: &str) -> Result<PinBlockCipher, String> {
    PinBlockCipher::new(format, &secret_hex(c, key)?).map_err(fail("key"))
}

/// One verification through the one verdict (the block passes its
/// format's rules) and the tainted answer.
fn answer(c: &mut Check, r: Result<Choice, Error>, want: bool) -> OpResult {
    let ok = c.accepted("block accepted", r, None)?.ok_or("no answer")?;
    c.verdict_is("pin matches", bool::from(ok), want)
}

fn verify_pvv<const I: usize>(c: &mut Check) -> OpResult {
    let (f, key, right, wrong, p, pvk, pvki, pvv) =
        VERIFY_PVV.get(I).copied().ok_or("no known answer")?;
    let v = PinVerifier::new(pin_key(c, f, key)?, VisaPvv::new(&tdes_key(c, pvk)?));
    let p = pan(p)?;
    let pvki: Pvki = pvki.parse().map_err(fail("pvki"))?;
    let pvv = secret_digits(c, pvv, Pvv::from_digits)?;
    let r = v.verify(&secret_hex(c, right)?, &p, pvki, &pvv);
    answer(c, r, true)?;
    let r = v.verify(&secret_hex(c, wrong)?, &p, pvki, &pvv);
    answer(c, r, false)
}

/// A `pin.verify` with an IBM 3624 offset: format, key, block, PAN, PVK,
/// table, validation data, offset (verify-fN-ibm-03; the offset one digit
/// longer is -03-longer-offset).
type IbmVerifyKat = (Format, &'static str, &'static str, &'static str, &'static str, &'static str, (usize, usize, u8), &'static str);
const VERIFY_IBM: [IbmVerifyKat; 5] = [
    (Format::Iso0, "002EEA0FB03D5019D2C3A88CF742E9CE9721EFB6EB6FF54F", "EA9641ED0BFBE550", "39881034820202", "25C0BE324097A783EE0615C90CC288291CDBFCCE40698931", "4984173022164105", (0, 10, b'b'), "33216"),
    (Format::Iso1, "B1661668CBE58C5BEC01D379BF2CD1C2757CA92C0A3E1B90", "41E472A1604D41CC", "78660837076329", "162552DF7423F3EC5650ABA0E01321F83A69542C5017AA39", "5563212076656984", (3, 2, b'E'), "247661"),
    (Format::Iso2, "B220DAD5B03480D1AB823216E7EE915CED5371F9DF740D8E", "DF54411C67462E9E", "08226469259104", "60F21731E83CD3C9D3B68050C094A3513F5C15797193B150", "6482637104625909", (0, 7, b'0'), "3383021"),
    (Format::Iso3, "D71C0ED3FD0D91F25B90F3102F07FBED71F1B8323365D68D", "3107364B9F6573DE", "29792274950112", "C40F87EC22830F8A1117D85BA95F17340F25433AED0C012D", "2091947656847483", (0, 11, b'b'), "07456129"),
    (Format::Iso4, "87CA0EAEFF2993BDD341F6AE6FC80731FD2E0A552B6065B044D8A5B770CDDD74", "BB681A5AC58EFE29D464A72A1CDF23ED", "77262184429228", "09974930E01D3B331EB90A5BFC02337D5D463CB70EB535D7", "2496365950770814", (3, 4, b'D'), "768029872"),
];

fn verify_ibm<const I: usize>(c: &mut Check) -> OpResult {
    let (f, key, block, p, pvk, table, vd, offset) =
        VERIFY_IBM.get(I).copied().ok_or("no known answer")?;
    let v = PinVerifier::new(pin_key(c, f, key)?, method(c, pvk, table, vd)?);
    let p = pan(p)?;
    let right = secret_digits(c, offset, Offset::from_digits)?;
    let r = v.verify(&secret_hex(c, block)?, &p, &right);
    answer(c, r, true)?;
    // The same digits and one more: the PIN's (secret) length differs.
    let longer = secret_digits(c, &format!("{offset}0"), Offset::from_digits)?;
    let r = v.verify(&secret_hex(c, block)?, &p, &longer);
    answer(c, r, false)
}

/// Blocks that break their format's rules (verify-f0-visa-pvv-broken-fill,
/// verify-f3-visa-pvv-broken-control, verify-f4-ibm3624-broken-digit).
fn verify_refused(c: &mut Check) -> OpResult {
    let v = PinVerifier::new(
        pin_key(c, Format::Iso0, "E508A086E3DDEA52")?,
        VisaPvv::new(&tdes_key(c, "F32C09F2D14CAE2FFA771325FE9A221D")?),
    );
    let pvv = secret_digits(c, "1234", Pvv::from_digits)?;
    let pvki: Pvki = "1".parse().map_err(fail("pvki"))?;
    let r = v.verify(&secret_hex(c, "851C1834D5269622")?, &pan("5265228592391395")?, pvki, &pvv);
    c.accepted("block accepted", r, Some(Error::InvalidPinBlock))?;
    let v = PinVerifier::new(
        pin_key(c, Format::Iso3, "0FA7D276DBA61FD07339DAC14F845929")?,
        VisaPvv::new(&tdes_key(c, "D0FF8112C3122794524A916AFB360B9C")?),
    );
    let r = v.verify(&secret_hex(c, "6AACED033C56789F")?, &pan("4984633543892940")?, pvki, &pvv);
    c.accepted("block accepted", r, Some(Error::InvalidPinBlock))?;
    let v = PinVerifier::new(
        pin_key(c, Format::Iso4, "5D88BC2DFEA036D0288FFC83779954C15BA56CA982F9E1A75968163D34715387")?,
        method(c, "44536B6320A489598859FEA8B05FF20C", "1304827846343593", (0, 16, b'F'))?,
    );
    let offset = secret_digits(c, "1234", Offset::from_digits)?;
    let r = v.verify(&secret_hex(c, "DA2109A7D335FF8BC8B2E48146ED1923")?, &pan("6433421270705305")?, &offset);
    c.accepted("block accepted", r, Some(Error::InvalidPinBlock))?;
    Ok(())
}

/// A batch of 70 blocks (a full bitsliced pass and a tail) under one PIN
/// key, every fifth one garbage, checked against PVVs and offsets made by
/// the clear-PIN path (under untainted copies of the keys) for the right
/// PIN on even items and another PIN on odd ones: every answer must be
/// the one-by-one answer.
fn verify_many<const AES: bool>(c: &mut Check) -> OpResult {
    let (format, key) = if AES {
        (Format::Iso4, "87CA0EAEFF2993BDD341F6AE6FC80731FD2E0A552B6065B044D8A5B770CDDD74")
    } else {
        (Format::Iso0, "7C3D1E75298384B093202A4C10556663")
    };
    let pvk = "4C15A668F8B06B311ABE52ABC1C773E2";
    let pins = ["1234", "987654321098", "04420", "55555"];
    let pans: Vec<Pan> = ["5237481234567895", "4000001234567899", "6011000990139424"]
        .iter()
        .cycle()
        .take(70)
        .map(|p| pan(p))
        .collect::<Result<_, _>>()?;
    let maker = PinBlockCipher::new(format, &unhex(key)?).map_err(fail("key"))?;
    let clear_pvv = VisaPvv::new(&TdesKey::from_slice(&unhex(pvk)?).map_err(fail("pvk"))?);
    let table: DecimalizationTable = "8351246790735986".parse().map_err(fail("table"))?;
    let vd = ValidationData::new(1, 12, b'D').map_err(fail("validation data"))?;
    let clear_ibm = Ibm3624::new(&TdesKey::from_slice(&unhex(pvk)?).map_err(fail("pvk"))?, table, vd);
    let mut blocks = Vec::new();
    let mut pvkis = Vec::new();
    let mut pvvs = Vec::new();
    let mut offsets = Vec::new();
    let mut want = Vec::new();
    let garbage = [false, false, false, false, true];
    let items = pans
        .iter()
        .zip(pins.iter().cycle())
        .zip(garbage.iter().cycle())
        .zip([true, false].iter().cycle())
        .zip((b'0'..=b'9').cycle());
    for ((((p, pin_s), bad), same), pvki_digit) in items {
        let pin = Pin::from_digits(pin_s.as_bytes()).map_err(fail("pin"))?;
        let fill: &[u8] = if AES { b"0123456789ABCDEF" } else { b"" };
        let fill = Fill::from_hex(fill).map_err(fail("fill"))?;
        let b = if *bad {
            PinBlock::from_slice(&vec![0xA5; format.block_len()]).map_err(fail("block"))?
        } else {
            let b = maker.encipher_with_fill(&pin, Some(p), &fill).map_err(fail("encipher"))?;
            let mut bytes = b.as_bytes().to_vec();
            c.secret(&mut bytes);
            PinBlock::from_slice(&bytes).map_err(fail("block"))?
        };
        blocks.push(b);
        // Even items: the reference values of the block's own PIN; odd
        // ones: of PIN 2468 (another PIN, or another length).
        let reference_pin = if *same { *pin_s } else { "2468" };
        let rp = Pin::from_digits(reference_pin.as_bytes()).map_err(fail("pin"))?;
        let pvki = Pvki::from_digits(&[pvki_digit]).map_err(fail("pvki"))?;
        let mut pv = clear_pvv.generate(pvki, &rp, p).expose_secret().to_vec();
        let mut off = clear_ibm
            .offset(&Ibm3624Pin::from(&rp), p)
            .map_err(fail("offset"))?
            .expose_secret()
            .to_vec();
        c.secret(&mut pv);
        c.secret(&mut off);
        pvvs.push(c.accepted("pvv accepted", Pvv::from_digits(&pv), None)?.ok_or("pvv")?);
        offsets.push(
            c.accepted("offset accepted", Offset::from_digits(&off), None)?
                .ok_or("offset")?,
        );
        pvkis.push(pvki);
        want.push(if *bad { None } else { Some(*same) });
    }
    let v = PinVerifier::new(pin_key(c, format, key)?, VisaPvv::new(&tdes_key(c, pvk)?));
    let mut out = vec![Err(Error::Unsupported); blocks.len()];
    v.verify_many(&blocks, &pans, &pvkis, &pvvs, &mut out).map_err(fail("verify_many"))?;
    check_batch(c, out, &want)?;
    let table: DecimalizationTable = "8351246790735986".parse().map_err(fail("table"))?;
    let m = Ibm3624::new(&tdes_key(c, pvk)?, table, vd);
    let v = PinVerifier::new(pin_key(c, format, key)?, m);
    let mut out = vec![Err(Error::Unsupported); blocks.len()];
    v.verify_many(&blocks, &pans, &offsets, &mut out).map_err(fail("verify_many"))?;
    check_batch(c, out, &want)
}

fn check_batch(c: &mut Check, out: Vec<Result<Choice, Error>>, want: &[Option<bool>]) -> OpResult {
    for (r, w) in out.into_iter().zip(want) {
        match w {
            None => {
                c.accepted("block accepted", r, Some(Error::InvalidPinBlock))?;
            }
            Some(w) => answer(c, r, *w)?,
        }
    }
    Ok(())
}

/// The planted leak: decimalization as `table[nibble]`, an index at a
/// secret nibble of an enciphered block ("Use of uninitialised value").
fn decimalize_by_index(c: &mut Check) -> OpResult {
    let block = secret_array::<8>(c, "0123456789ABCDEF")?;
    let table = black_box(*DecimalizationTable::IBM_DEFAULT.digits());
    let mut out = [0u8; 16];
    for (pair, b) in out.chunks_mut(2).zip(block) {
        for (o, n) in pair.iter_mut().zip([b >> 4, b & 0x0F]) {
            *o = table.get(usize::from(n)).copied().unwrap_or(0);
        }
    }
    c.output("digits", &mut out);
    Ok(())
}
