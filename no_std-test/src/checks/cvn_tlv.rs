//! The card schemes' cryptogram versions and BER-TLV: pyemv 1.5.0
//! `tests/test_cvn_hsm.py` (values checked against an HSM;
//! `vectors/pyemv-cvn-examples.json`) and the `pyemv.tlv` docstring.

use paykernel::emv::{AuthorisationResponse, Cvn, CvrSource, PinChangeKeys, Psn};
use paykernel::pin::Pin;
use paykernel::tlv::{Encoder, Tag, Tlv};
use paykernel::{Pan, TdesKey};

use super::{Check, Outcome};

/// The checks of this group.
pub const ALL: &[Check] = &[
    ("tlv decode pyemv example", tlv_decode),
    ("tlv encode pyemv example", tlv_encode),
    ("emv visa cvn 18 arqc and arpc from de 55", visa18),
    ("emv mastercard cvn 16 pin change", mc16_pin_change),
];

const IMK_AC: [u8; 16] = h!("0123456789ABCDEFFEDCBA9876543210");
const PAN: &str = "1234567890123456";

/// 9C, a template E0 holding 5F2A, an empty 9F02; a malformed input.
fn tlv_decode() -> Outcome {
    let data = h!("9C0101E0055F2A0202089F0200");
    let tlv = Tlv::parse(&data)?;
    let mut p = tlv.primitives();
    let ok = matches!(p.next(), Some(o) if o.tag().as_bytes() == [0x9C] && o.value() == [0x01])
        && matches!(p.next(), Some(o) if o.tag().as_bytes() == [0x5F, 0x2A] && o.value() == [0x02, 0x08])
        && matches!(p.next(), Some(o) if o.tag().as_bytes() == [0x9F, 0x02] && o.value().is_empty())
        && p.next().is_none()
        && tlv.find(&[0x5F, 0x2A]) == Some(&[0x02, 0x08][..]);
    Ok(ok && Tlv::parse(&h!("9C0101E0039C0102")).is_err())
}

fn tlv_encode() -> Outcome {
    let mut buf = [0u8; 16];
    let mut enc = Encoder::new(&mut buf);
    enc.primitive(Tag::new(&[0x9C])?, &[0x01])?;
    enc.open(Tag::new(&[0xE0])?)?;
    enc.primitive(Tag::new(&[0x5F, 0x2A])?, &[0x02, 0x08])?;
    enc.close()?;
    enc.primitive(Tag::new(&[0x9F, 0x02])?, &[])?;
    Ok(enc.finish()? == h!("9C0101E0055F2A0202089F0200"))
}

/// Visa CVN 18 from DE 55: ARQC 7A788EA6B8A3E733 verifies (CVR in the
/// whole IAD), ARPC method 2 with CSU 00000000 is 9AF514C1; the ARQC with
/// one bit changed does not verify.
fn visa18() -> Outcome {
    let imk = TdesKey::from_slice(&IMK_AC)?;
    let pan: Pan = PAN.parse()?;
    let m2 = AuthorisationResponse::Method2 {
        csu: [0; 4],
        prop: &[],
    };
    let de55 = h!(
        "9F02060000000040009F03060000000000009F1A020124950580000480005F2A0201249A031911059C01019F370452BF4585820218009F3602001C9F100706011203A0B8009F26087A788EA6B8A3E733"
    );
    let good =
        Cvn::Visa18.authorise_de55(&imk, &pan, Psn::ABSENT, &de55, CvrSource::FromIad, m2)?;
    let mut bad = de55;
    if let Some(last) = bad.last_mut() {
        *last ^= 0x01;
    }
    let wrong =
        Cvn::Visa18.authorise_de55(&imk, &pan, Psn::ABSENT, &bad, CvrSource::FromIad, m2)?;
    Ok(good.valid() && good.arpc().as_bytes() == h!("9AF514C1") && !wrong.valid())
}

/// Mastercard CVN 16: the PIN change command for 9999 (ISO format 2,
/// Mastercard encipherment, command MAC).
fn mc16_pin_change() -> Outcome {
    let smi = TdesKey::from_slice(&h!("FEDCBA98765432100123456789ABCDEF"))?;
    let smc = TdesKey::from_slice(&h!("89ABCDEF0123456776543210FEDCBA98"))?;
    let keys = PinChangeKeys {
        imk_smi: &smi,
        imk_smc: &smc,
        imk_ac: None,
    };
    let tlv_bytes = h!("9F260824CCF3DEE3158C709F3602001C");
    let tlv = Tlv::parse(&tlv_bytes)?;
    let pin = Pin::from_digits(b"9999")?;
    let command =
        Cvn::Mastercard16.pin_change(&keys, &PAN.parse()?, Psn::ABSENT, &tlv, &pin, None)?;
    Ok(command.as_bytes() == h!("842400021000859B8FE53F316DEB4B64C36BF88E39"))
}
