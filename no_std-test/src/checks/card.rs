//! Card and PIN verification: CVV, CVC3, Visa PVV, IBM 3624, and PIN
//! verification from a PIN block; refusals.

use paykernel::card::{
    Cvc3Key, Cvk, Cvv, DecimalizationTable, Ibm3624, Ibm3624Pin, Offset, Pvki, Pvv, ValidationData,
    VisaPvv,
};
use paykernel::pin::{Fill, Format, Pin, PinBlockCipher, PinVerifier};
use paykernel::{Error, Pan, TdesKey};

use super::{Check, Outcome};

/// The checks of this group.
pub const ALL: &[Check] = &[
    ("card cvv classic visa example", cvv),
    ("card cvc3 pyemv example", cvc3),
    ("card visa pvv psec example", pvv),
    ("card ibm 3624 psec example", ibm3624),
    ("card pin verify from a block", pin_verify),
    ("card refusals", refusals),
];

// The classic Visa CVV example and psec 1.3.0's docstrings and tests
// (vectors/card-verification-examples.json).
const KEY: [u8; 16] = h!("0123456789ABCDEFFEDCBA9876543210");
const PSEC_PAN: &str = "1122334455667788";

fn cvv() -> Outcome {
    let cvk = Cvk::new(&TdesKey::from_slice(&KEY)?)?;
    let pan: Pan = "4123456789012345".parse()?;
    let (e, s) = ("8701".parse()?, "101".parse()?);
    let cvv = cvk.generate(&pan, &e, &s);
    Ok(cvv.expose_secret() == b"561"
        && cvk.verify(&pan, &e, &s, &Cvv::from_digits(b"561")?)
        && !cvk.verify(&pan, &e, &s, &Cvv::from_digits(b"651")?))
}

/// pyemv 1.5.0 `generate_cvc3` docstring (its ICC key derived with option
/// A from ISS key 01234567899876543210012345678998, PAN 5123456789012345).
fn cvc3() -> Outcome {
    let key = Cvc3Key::new(&TdesKey::from_slice(&h!(
        "6D6425FB9401C21AA1F80451AB85DA3B"
    ))?)?;
    let track = h!("5123456789012345D35121010000000000000F");
    let c = key.generate(&track, h!("005E"), h!("00000899"))?;
    Ok(c.expose_secret() == b"29488")
}

fn pvv() -> Outcome {
    let m = VisaPvv::new(&TdesKey::from_slice(&KEY)?);
    let pan: Pan = PSEC_PAN.parse()?;
    let a = m.generate("3".parse()?, &Pin::from_digits(b"4524")?, &pan);
    let b = m.generate("2".parse()?, &Pin::from_digits(b"1912")?, &pan);
    Ok(a.expose_secret() == b"4021" && b.expose_secret() == b"3244")
}

fn method(start: usize, length: usize, pad: u8) -> Result<Ibm3624, Error> {
    Ok(Ibm3624::new(
        &TdesKey::from_slice(&KEY)?,
        DecimalizationTable::from_digits(b"1234567890123456")?,
        ValidationData::new(start, length, pad)?,
    ))
}

fn ibm3624() -> Outcome {
    let pan: Pan = PSEC_PAN.parse()?;
    let m = method(0, 16, b'F')?;
    let off = m.offset(&Ibm3624Pin::from_digits(b"1234")?, &pan)?;
    let natural = m.pin(&Offset::from_digits(b"0000")?, &pan)?;
    let natural_14 = method(1, 14, b'1')?.pin(&Offset::from_digits(b"0000")?, &pan)?;
    Ok(off.expose_secret() == b"7710"
        && natural.expose_secret() == b"4524"
        && natural_14.expose_secret() == b"3675")
}

/// A format 0 block of PIN 4524 (under ANSI X9.24-1 Annex A.4's first PIN
/// key) checked against psec's PVV and offset for that PIN: true; a block
/// of PIN 4525: false; an offset one digit longer: false.
fn pin_verify() -> Outcome {
    let pin_key = h!("042666B49184CF5C68DE9628D0397B36");
    let pan: Pan = PSEC_PAN.parse()?;
    let block = |pin: &[u8]| -> Result<_, Error> {
        PinBlockCipher::new(Format::Iso0, &pin_key)?.encipher_with_fill(
            &Pin::from_digits(pin)?,
            Some(&pan),
            &Fill::from_hex(b"")?,
        )
    };
    let (right, wrong) = (block(b"4524")?, block(b"4525")?);
    let pvki: Pvki = "3".parse()?;
    let pvv = Pvv::from_digits(b"4021")?;
    let v = PinVerifier::new(
        PinBlockCipher::new(Format::Iso0, &pin_key)?,
        VisaPvv::new(&TdesKey::from_slice(&KEY)?),
    );
    let pvv_ok = bool::from(v.verify(right.as_bytes(), &pan, pvki, &pvv)?)
        && !bool::from(v.verify(wrong.as_bytes(), &pan, pvki, &pvv)?);
    let v = PinVerifier::new(
        PinBlockCipher::new(Format::Iso0, &pin_key)?,
        method(0, 16, b'F')?,
    );
    let ibm_ok = bool::from(v.verify(right.as_bytes(), &pan, &Offset::from_digits(b"0000")?)?)
        && !bool::from(v.verify(right.as_bytes(), &pan, &Offset::from_digits(b"00000")?)?)
        && !bool::from(v.verify(wrong.as_bytes(), &pan, &Offset::from_digits(b"0000")?)?);
    Ok(pvv_ok && ibm_ok)
}

fn refusals() -> Outcome {
    let other: Pan = "1122334455667798".parse()?;
    let pin_key = h!("042666B49184CF5C68DE9628D0397B36");
    let pan: Pan = PSEC_PAN.parse()?;
    let block = PinBlockCipher::new(Format::Iso0, &pin_key)?.encipher_with_fill(
        &Pin::from_digits(b"4524")?,
        Some(&pan),
        &Fill::from_hex(b"")?,
    )?;
    let v = PinVerifier::new(
        PinBlockCipher::new(Format::Iso0, &pin_key)?,
        VisaPvv::new(&TdesKey::from_slice(&KEY)?),
    );
    let broken = v.verify(
        block.as_bytes(),
        &other,
        "3".parse()?,
        &Pvv::from_digits(b"4021")?,
    );
    Ok(DecimalizationTable::from_digits(b"1234567810123456").err()
        == Some(Error::InvalidDecimalizationTable)
        && ValidationData::new(0, 17, b'F').err() == Some(Error::InvalidLength)
        && ValidationData::new(0, 16, b'G').err() == Some(Error::InvalidDigits)
        && Pvki::from_digits(b"12").err() == Some(Error::InvalidDigits)
        && Cvv::from_digits(b"5A1").err() == Some(Error::InvalidDigits)
        && Cvk::new(&TdesKey::from_slice(&KEY[..8])?).err() == Some(Error::InvalidKey)
        && broken.err() == Some(Error::InvalidPinBlock))
}
