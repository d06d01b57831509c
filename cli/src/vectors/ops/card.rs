//! Ops of card and PIN verification: `cvv.generate`, `cvv.verify`,
//! `cvc3.generate`, `pin.visa_pvv`, `pin.ibm3624.offset`,
//! `pin.ibm3624.pin` and `pin.verify` (docs/vectors.md, "Card and PIN
//! verification").
//!
//! How parameters map to refusals:
//! - keys (`cvk`, `key`, `pvk`, and `pin.verify`'s PIN block `key`):
//!   malformed hex or a length the op does not take is `invalid-key`
//!   (`cvk` and the CVC3 `key`: 16 bytes; `pvk`: 8, 16 or 24; the PIN
//!   block key as `pin.decipher` takes it);
//! - `pan`: not 12 to 19 digits (or not a string) is `invalid-pan`;
//!   `pin`: not 4 to 12 digits is `invalid-pin` (`pin.ibm3624.offset`:
//!   4 to 16);
//! - `expiry`, `service_code`, `pvki`, `pan_pad` and `pin.ibm3624.pin`'s
//!   `offset`: not that many (decimal, or for `pan_pad` hex) digits, or
//!   not a string, is `invalid-digits`;
//! - `conversion_table`: not 16 decimal digits covering 0-9 (or not a
//!   string) is `invalid-decimalization-table`;
//! - `pan_verify_length` outside 1-16, or `pan_verify_offset` and the
//!   length running past the PAN's end (negative integers included), is
//!   `invalid-length`; a value that is not an integer fails the case;
//! - `atc` other than 2 bytes and `un` other than 4 (malformed hex
//!   included) are `invalid-length`; `track` must be hex (else the case
//!   fails); it may be empty;
//! - `pin.verify`: `format` as `pin.decipher` (another integer is
//!   `unsupported`), `block` malformed or of the wrong size is
//!   `invalid-pin-block`, a block breaking its format's rules is
//!   `invalid-pin-block`; `method` other than `visa-pvv` or `ibm3624`
//!   fails the case; the other method's parameters are ignored;
//! - the values checked (`cvv.verify`'s `cvv`, `pin.verify`'s `pvv` and
//!   `offset`) answer `valid: false` when malformed; the other parameters
//!   are still read and refused as above (the block is still deciphered,
//!   so a broken block is still `invalid-pin-block`).

use paykernel::card::{
    Cvc3Key, Cvk, Cvv, DecimalizationTable, Expiry, Ibm3624, Ibm3624Pin, Offset, Pvki, Pvv,
    ServiceCode, ValidationData, VisaPvv,
};
use paykernel::pin::{Format, Pin, PinBlockCipher, PinVerifier};
use paykernel::{Error, Pan, TdesKey};
use serde_json::Value;

use super::{Op, Output, out};
use crate::vectors::params::{Fail, Kind, Params, int_value};

/// The ops of this file.
pub const OPS: &[Op] = &[
    Op {
        name: "cvv.generate",
        params: &["cvk", "pan", "expiry", "service_code"],
        run: cvv_generate,
    },
    Op {
        name: "cvv.verify",
        params: &["cvk", "pan", "expiry", "service_code", "cvv"],
        run: cvv_verify,
    },
    Op {
        name: "cvc3.generate",
        params: &["key", "track", "atc", "un"],
        run: cvc3_generate,
    },
    Op {
        name: "pin.visa_pvv",
        params: &["pvk", "pvki", "pin", "pan"],
        run: visa_pvv,
    },
    Op {
        name: "pin.ibm3624.offset",
        params: IBM3624_OFFSET,
        run: ibm3624_offset,
    },
    Op {
        name: "pin.ibm3624.pin",
        params: IBM3624_PIN,
        run: ibm3624_pin,
    },
    Op {
        name: "pin.verify",
        params: &[
            "format",
            "key",
            "block",
            "pan",
            "method",
            "pvk",
            "pvki",
            "pvv",
            "conversion_table",
            "offset",
            "pan_verify_offset",
            "pan_verify_length",
            "pan_pad",
        ],
        run: pin_verify,
    },
];

const IBM3624_OFFSET: &[&str] = &[
    "pvk",
    "conversion_table",
    "pin",
    "pan",
    "pan_verify_offset",
    "pan_verify_length",
    "pan_pad",
];

const IBM3624_PIN: &[&str] = &[
    "pvk",
    "conversion_table",
    "offset",
    "pan",
    "pan_verify_offset",
    "pan_verify_length",
    "pan_pad",
];

/// A string parameter whose malformed value (or type) is `err`.
fn text<'a>(p: &Params<'a>, name: &str, err: Error) -> Result<&'a str, Fail> {
    p.str_as(name, Kind::Refuse(err))
}

fn pan(p: &Params<'_>) -> Result<Pan, Fail> {
    Ok(text(p, "pan", Error::InvalidPan)?.parse()?)
}

fn tdes_key(p: &Params<'_>, name: &str) -> Result<TdesKey, Fail> {
    Ok(TdesKey::from_slice(&p.key(name)?)?)
}

/// The card data of the CVV ops.
fn cvv_inputs(p: &Params<'_>) -> Result<(Cvk, Pan, Expiry, ServiceCode), Fail> {
    let cvk = Cvk::new(&tdes_key(p, "cvk")?)?;
    let pan = pan(p)?;
    let expiry = Expiry::from_digits(text(p, "expiry", Error::InvalidDigits)?.as_bytes())?;
    let sc = ServiceCode::from_digits(text(p, "service_code", Error::InvalidDigits)?.as_bytes())?;
    Ok((cvk, pan, expiry, sc))
}

fn secret_text(bytes: &[u8]) -> Value {
    Value::String(String::from_utf8_lossy(bytes).into_owned())
}

fn cvv_generate(p: &Params<'_>) -> Result<Output, Fail> {
    let (cvk, pan, expiry, sc) = cvv_inputs(p)?;
    let cvv = cvk.generate(&pan, &expiry, &sc);
    Ok(out([("cvv", secret_text(cvv.expose_secret()))]))
}

/// A checked value that answers `valid: false` when malformed: `None`.
fn candidate<T>(
    p: &Params<'_>,
    name: &str,
    parse: fn(&[u8]) -> Result<T, Error>,
) -> Result<Option<T>, Fail> {
    let v = p.get(name)?;
    Ok(v.as_str().and_then(|s| parse(s.as_bytes()).ok()))
}

fn cvv_verify(p: &Params<'_>) -> Result<Output, Fail> {
    let (cvk, pan, expiry, sc) = cvv_inputs(p)?;
    let valid = match candidate(p, "cvv", Cvv::from_digits)? {
        Some(cvv) => cvk.verify(&pan, &expiry, &sc, &cvv),
        None => false,
    };
    Ok(out([("valid", Value::Bool(valid))]))
}

/// A fixed-size byte parameter; any other size (or malformed hex) is
/// `invalid-length`.
fn fixed<const N: usize>(p: &Params<'_>, name: &str) -> Result<[u8; N], Fail> {
    let b = p.hex(name, Kind::Refuse(Error::InvalidLength))?;
    b.as_slice()
        .try_into()
        .map_err(|_| Fail::Kernel(Error::InvalidLength))
}

fn cvc3_generate(p: &Params<'_>) -> Result<Output, Fail> {
    let key = Cvc3Key::new(&tdes_key(p, "key")?)?;
    let track = p.bytes("track")?;
    let atc = fixed::<2>(p, "atc")?;
    let un = fixed::<4>(p, "un")?;
    let cvc3 = key.generate(&track, atc, un)?;
    Ok(out([("cvc3", secret_text(cvc3.expose_secret()))]))
}

fn pvki(p: &Params<'_>) -> Result<Pvki, Fail> {
    Ok(Pvki::from_digits(
        text(p, "pvki", Error::InvalidDigits)?.as_bytes(),
    )?)
}

fn visa_pvv(p: &Params<'_>) -> Result<Output, Fail> {
    let method = VisaPvv::new(&tdes_key(p, "pvk")?);
    let pvki = pvki(p)?;
    let pin = Pin::from_digits(text(p, "pin", Error::InvalidPin)?.as_bytes())?;
    let pan = pan(p)?;
    let pvv = method.generate(pvki, &pin, &pan);
    Ok(out([("pvv", secret_text(pvv.expose_secret()))]))
}

/// An integer position or length; a negative or huge one is
/// `invalid-length` (as out of range), a non-integer fails the case.
fn position(p: &Params<'_>, name: &str) -> Result<usize, Fail> {
    let n = int_value(p.get(name)?)
        .ok_or_else(|| Fail::Param(format!("parameter '{name}' must be an integer")))?;
    usize::try_from(n).map_err(|_| Fail::Kernel(Error::InvalidLength))
}

/// The IBM 3624 method named by `pvk`, `conversion_table` and the
/// validation-data parameters.
fn ibm3624(p: &Params<'_>) -> Result<Ibm3624, Fail> {
    let pvk = tdes_key(p, "pvk")?;
    let table = DecimalizationTable::from_digits(
        text(p, "conversion_table", Error::InvalidDecimalizationTable)?.as_bytes(),
    )?;
    let start = position(p, "pan_verify_offset")?;
    let length = position(p, "pan_verify_length")?;
    let pad = match text(p, "pan_pad", Error::InvalidDigits)?.as_bytes() {
        [c] => *c,
        _ => return Err(Fail::Kernel(Error::InvalidDigits)),
    };
    let validation = ValidationData::new(start, length, pad)?;
    Ok(Ibm3624::new(&pvk, table, validation))
}

fn ibm3624_offset(p: &Params<'_>) -> Result<Output, Fail> {
    let method = ibm3624(p)?;
    let pin = Ibm3624Pin::from_digits(text(p, "pin", Error::InvalidPin)?.as_bytes())?;
    let pan = pan(p)?;
    let offset = method.offset(&pin, &pan)?;
    Ok(out([("offset", secret_text(offset.expose_secret()))]))
}

fn ibm3624_pin(p: &Params<'_>) -> Result<Output, Fail> {
    let method = ibm3624(p)?;
    let offset = Offset::from_digits(text(p, "offset", Error::InvalidDigits)?.as_bytes())?;
    let pan = pan(p)?;
    let pin = method.pin(&offset, &pan)?;
    Ok(out([("pin", secret_text(pin.expose_secret()))]))
}

#[derive(Clone, Copy)]
enum Method {
    VisaPvv,
    Ibm3624,
}

fn pin_verify(p: &Params<'_>) -> Result<Output, Fail> {
    let format = Format::from_number(p.u64("format")?)?;
    let pin_key = PinBlockCipher::new(format, &p.key("key")?)?;
    let block = p.hex("block", Kind::Refuse(Error::InvalidPinBlock))?;
    let pan = pan(p)?;
    let method = p.choice(
        "method",
        &[("visa-pvv", Method::VisaPvv), ("ibm3624", Method::Ibm3624)],
    )?;
    let valid = match method {
        Method::VisaPvv => {
            let v = PinVerifier::new(pin_key, VisaPvv::new(&tdes_key(p, "pvk")?));
            let pvki = pvki(p)?;
            match candidate(p, "pvv", Pvv::from_digits)? {
                Some(pvv) => bool::from(v.verify(&block, &pan, pvki, &pvv)?),
                // Still decipher: a broken block is refused either way.
                None => {
                    let placeholder = Pvv::from_digits(b"0000")?;
                    v.verify(&block, &pan, pvki, &placeholder)?;
                    false
                }
            }
        }
        Method::Ibm3624 => {
            let v = PinVerifier::new(pin_key, ibm3624(p)?);
            match candidate(p, "offset", Offset::from_digits)? {
                Some(offset) => bool::from(v.verify(&block, &pan, &offset)?),
                None => {
                    let placeholder = Offset::from_digits(b"0000")?;
                    v.verify(&block, &pan, &placeholder)?;
                    false
                }
            }
        }
    };
    Ok(out([("valid", Value::Bool(valid))]))
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn run(op: &str, params: Value) -> Result<Output, Fail> {
        let op = OPS.iter().find(|o| o.name == op).unwrap();
        let map = params.as_object().unwrap();
        for name in map.keys() {
            assert!(op.params.contains(&name.as_str()), "{name}");
        }
        (op.run)(&Params::new(map))
    }

    fn kind(r: Result<Output, Fail>) -> String {
        match r {
            Err(Fail::Kernel(e)) => e.kind().to_owned(),
            Err(Fail::Param(why)) => format!("param: {why}"),
            Ok(o) => format!("ok: {}", Value::Object(o)),
        }
    }

    fn with(base: &Value, extra: Value) -> Value {
        let mut p = base.clone();
        for (k, v) in extra.as_object().unwrap() {
            p[k] = v.clone();
        }
        p
    }

    const K: &str = "0123456789ABCDEFFEDCBA9876543210";

    #[test]
    fn cvv_known_answer_and_refusals() {
        // The classic Visa example (card-verification-examples.json).
        let base =
            json!({"cvk": K, "pan": "4123456789012345", "expiry": "8701", "service_code": "101"});
        assert_eq!(
            kind(run("cvv.generate", base.clone())),
            r#"ok: {"cvv":"561"}"#
        );
        let v = |c: Value| kind(run("cvv.verify", with(&base, json!({"cvv": c}))));
        assert_eq!(v(json!("561")), r#"ok: {"valid":true}"#);
        for bad in [
            json!("562"),
            json!("56"),
            json!("5610"),
            json!("56A"),
            json!(561),
        ] {
            assert_eq!(v(bad), r#"ok: {"valid":false}"#);
        }
        let g = |extra: Value| kind(run("cvv.generate", with(&base, extra)));
        assert_eq!(g(json!({"cvk": &K[..16]})), "invalid-key");
        assert_eq!(g(json!({"cvk": format!("{K}{}", &K[..16])})), "invalid-key");
        assert_eq!(g(json!({"cvk": "XY"})), "invalid-key");
        assert_eq!(g(json!({"pan": "41234567890"})), "invalid-pan");
        assert_eq!(g(json!({"expiry": "870"})), "invalid-digits");
        assert_eq!(g(json!({"expiry": 8701})), "invalid-digits");
        assert_eq!(g(json!({"service_code": "1O1"})), "invalid-digits");
        // The refusals hold for verify too.
        assert_eq!(
            kind(run(
                "cvv.verify",
                with(&base, json!({"cvv": "561", "service_code": "1010"}))
            )),
            "invalid-digits"
        );
    }

    #[test]
    fn cvc3_known_answer_and_lengths() {
        // pyemv 1.5.0 generate_cvc3 docstring.
        let base = json!({"key": "6D6425FB9401C21AA1F80451AB85DA3B",
            "track": "5123456789012345D35121010000000000000F", "atc": "005E", "un": "00000899"});
        assert_eq!(
            kind(run("cvc3.generate", base.clone())),
            r#"ok: {"cvc3":"29488"}"#
        );
        let g = |extra: Value| kind(run("cvc3.generate", with(&base, extra)));
        assert_eq!(g(json!({"atc": "5E"})), "invalid-length");
        assert_eq!(g(json!({"atc": "00005E"})), "invalid-length");
        assert_eq!(g(json!({"un": "000899"})), "invalid-length");
        assert_eq!(g(json!({"un": "0000089"})), "invalid-length");
        assert_eq!(g(json!({"key": "6D6425FB9401C21A"})), "invalid-key");
        assert!(g(json!({"track": "ZZ"})).starts_with("param:"));
        assert!(g(json!({"track": ""})).starts_with("ok:"));
    }

    #[test]
    fn pvv_and_ibm3624_known_answers_and_refusals() {
        // psec 1.3.0 (card-verification-examples.json).
        let pvv = json!({"pvk": K, "pvki": "3", "pin": "4524", "pan": "1122334455667788"});
        assert_eq!(
            kind(run("pin.visa_pvv", pvv.clone())),
            r#"ok: {"pvv":"4021"}"#
        );
        let g = |extra: Value| kind(run("pin.visa_pvv", with(&pvv, extra)));
        assert_eq!(g(json!({"pvki": "33"})), "invalid-digits");
        assert_eq!(g(json!({"pvki": ""})), "invalid-digits");
        assert_eq!(g(json!({"pin": "452"})), "invalid-pin");
        assert_eq!(g(json!({"pin": "4524567890123"})), "invalid-pin");
        assert_eq!(g(json!({"pvk": "0123"})), "invalid-key");
        assert_eq!(g(json!({"pan": "11223344556677889900"})), "invalid-pan");

        let ibm = json!({"pvk": K, "conversion_table": "1234567890123456", "pin": "1234",
            "pan": "1122334455667788", "pan_verify_offset": 0, "pan_verify_length": 16, "pan_pad": "F"});
        assert_eq!(
            kind(run("pin.ibm3624.offset", ibm.clone())),
            r#"ok: {"offset":"7710"}"#
        );
        let mut nat = ibm.clone();
        nat.as_object_mut().unwrap().remove("pin");
        nat["offset"] = json!("0000");
        assert_eq!(
            kind(run("pin.ibm3624.pin", nat.clone())),
            r#"ok: {"pin":"4524"}"#
        );
        let o = |extra: Value| kind(run("pin.ibm3624.offset", with(&ibm, extra)));
        assert_eq!(
            o(json!({"conversion_table": "1234567810123456"})),
            "invalid-decimalization-table"
        );
        assert_eq!(
            o(json!({"conversion_table": "123456789012345"})),
            "invalid-decimalization-table"
        );
        assert_eq!(
            o(json!({"conversion_table": "12345678901234AB"})),
            "invalid-decimalization-table"
        );
        assert_eq!(o(json!({"pan_verify_length": 0})), "invalid-length");
        assert_eq!(o(json!({"pan_verify_length": 17})), "invalid-length");
        assert_eq!(o(json!({"pan_verify_offset": 1})), "invalid-length");
        assert_eq!(o(json!({"pan_verify_offset": -1})), "invalid-length");
        assert!(o(json!({"pan_verify_offset": "x"})).starts_with("param:"));
        assert_eq!(o(json!({"pan_pad": "G"})), "invalid-digits");
        assert_eq!(o(json!({"pan_pad": "FF"})), "invalid-digits");
        assert_eq!(o(json!({"pin": "123"})), "invalid-pin");
        assert_eq!(o(json!({"pin": "12345678901234567"})), "invalid-pin");
        assert!(o(json!({"pin": "1234567890123456"})).starts_with("ok:"));
        let n = |extra: Value| kind(run("pin.ibm3624.pin", with(&nat, extra)));
        assert_eq!(n(json!({"offset": "000"})), "invalid-digits");
        assert_eq!(n(json!({"offset": "00000000000000000"})), "invalid-digits");
        assert_eq!(n(json!({"offset": "000A"})), "invalid-digits");
    }

    #[test]
    fn pin_verify_answers_one_bit() {
        // A format 0 block of PIN 4524 for PAN 1122334455667788 under a
        // PIN key (ANSI X9.24-1 Annex A's first transaction key), made by
        // pin.encipher; PVV 4021 (PVKI 3) and offset 0000 (its natural PIN)
        // are psec 1.3.0's.
        let enc = super::super::find("pin.encipher").unwrap();
        let k0 = "042666B49184CF5C68DE9628D0397B36";
        let params = json!({"format": 0, "key": k0, "pin": "4524", "pan": "1122334455667788"});
        let block = (enc.run)(&Params::new(params.as_object().unwrap())).unwrap()["block"].clone();
        let pvv = json!({"format": 0, "key": k0, "block": block, "pan": "1122334455667788",
            "method": "visa-pvv", "pvk": K, "pvki": "3", "pvv": "4021"});
        let v = |base: &Value, extra: Value| kind(run("pin.verify", with(base, extra)));
        assert_eq!(v(&pvv, json!({})), r#"ok: {"valid":true}"#);
        for bad in [
            json!("4022"),
            json!("402"),
            json!("40211"),
            json!("402A"),
            json!(4021),
        ] {
            assert_eq!(v(&pvv, json!({"pvv": bad})), r#"ok: {"valid":false}"#);
        }
        assert_eq!(v(&pvv, json!({"pvki": "A"})), "invalid-digits");
        assert_eq!(v(&pvv, json!({"format": 5})), "unsupported");
        assert_eq!(v(&pvv, json!({"key": "0011"})), "invalid-key");
        assert_eq!(v(&pvv, json!({"pvk": "0011"})), "invalid-key");
        assert_eq!(v(&pvv, json!({"block": "00"})), "invalid-pin-block");
        // Another PAN breaks the format 0 block's fill: refused even with a
        // malformed PVV.
        assert_eq!(
            v(&pvv, json!({"pan": "1122334455667798"})),
            "invalid-pin-block"
        );
        assert_eq!(
            v(&pvv, json!({"pan": "1122334455667798", "pvv": "xx"})),
            "invalid-pin-block"
        );
        assert!(v(&pvv, json!({"method": "gbp"})).starts_with("param:"));

        let ibm = json!({"format": 0, "key": k0, "block": block, "pan": "1122334455667788",
            "method": "ibm3624", "pvk": K, "conversion_table": "1234567890123456", "offset": "0000",
            "pan_verify_offset": 0, "pan_verify_length": 16, "pan_pad": "F"});
        assert_eq!(v(&ibm, json!({})), r#"ok: {"valid":true}"#);
        for bad in [
            json!("0001"),
            json!("00000"),
            json!("000"),
            json!("000F"),
            json!(null),
        ] {
            let r = v(&ibm, json!({"offset": bad}));
            if bad.is_null() {
                assert!(r.starts_with("param:"));
            } else {
                assert_eq!(r, r#"ok: {"valid":false}"#, "{bad}");
            }
        }
        assert_eq!(
            v(&ibm, json!({"conversion_table": "0000000000000000"})),
            "invalid-decimalization-table"
        );
        assert_eq!(v(&ibm, json!({"pan_verify_offset": 4})), "invalid-length");
        assert_eq!(v(&ibm, json!({"pan_pad": "x"})), "invalid-digits");
    }
}
