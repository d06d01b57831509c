//! ISO 9564-1 PIN blocks: encipher, decipher, translate, refusals.

use paykernel::pin::{Fill, Format, Pin, PinBlockCipher, PinTranslator};
use paykernel::{Error, Pan};

use super::{Check, Outcome};
use crate::rng::TestRng;

/// The checks of this group.
pub const ALL: &[Check] = &[
    ("pin format 0 encipher x9.24-1 a.4", format0_encipher),
    ("pin format 0 decipher x9.24-1 a.4", format0_decipher),
    ("pin format 4 encipher iso 9564-1 example", format4_encipher),
    ("pin format 4 decipher iso 9564-1 example", format4_decipher),
    ("pin translate 0 -> 4 -> 0", translate_round_trip),
    ("pin refuses a block", refuses_block),
    ("pin refuses a pin", refuses_pin),
];

// ANSI X9.24-1:2009 Annex A.4, transaction 1: PIN 1234, PAN 4012345678909,
// the PIN variant of the first transaction key, and its format 0 block.
const A4_PIN_KEY: [u8; 16] = h!("042666B49184CF5C68DE9628D0397B36");
const A4_PAN: &str = "4012345678909";
const A4_BLOCK: [u8; 8] = h!("1B9C1845EB993A7A");

// ISO 9564-1 format 4 worked example (AES-256 key, PIN 1234, PAN
// 5237481234567895, random fill FFC853BBF9685D5E), published on the Wpay
// developer hub page "AES 128-bit PIN Block or ISO Format 4"
// (vectors/iso9564-1-format4-example.json).
const F4_KEY: [u8; 32] = h!("62CB437131C129DF001D42676011975150506E2A382145FD9BDEA7EC5A339F63");
const F4_PAN: &str = "5237481234567895";
const F4_FILL: &[u8] = b"FFC853BBF9685D5E";
const F4_BLOCK: [u8; 16] = h!("060E768D21D709B5D2A3F9660A704B9D");

fn format0_encipher() -> Outcome {
    let c = PinBlockCipher::new(Format::Iso0, &A4_PIN_KEY)?;
    let pin = Pin::from_digits(b"1234")?;
    let pan: Pan = A4_PAN.parse()?;
    // Format 0 has no random part: the fill-given path and the RNG path
    // give the published block.
    let given = c.encipher_with_fill(&pin, Some(&pan), &Fill::from_hex(b"")?)?;
    let drawn = c.encipher(&pin, Some(&pan), &mut TestRng::new(1))?;
    Ok(given.as_bytes() == A4_BLOCK && drawn.as_bytes() == A4_BLOCK)
}

fn format0_decipher() -> Outcome {
    let c = PinBlockCipher::new(Format::Iso0, &A4_PIN_KEY)?;
    let pan: Pan = A4_PAN.parse()?;
    let pin = c.decipher(&A4_BLOCK, Some(&pan))?;
    Ok(pin.expose_secret() == b"1234")
}

fn format4_encipher() -> Outcome {
    let c = PinBlockCipher::new(Format::Iso4, &F4_KEY)?;
    let pin = Pin::from_digits(b"1234")?;
    let pan: Pan = F4_PAN.parse()?;
    let block = c.encipher_with_fill(&pin, Some(&pan), &Fill::from_hex(F4_FILL)?)?;
    Ok(block.as_bytes() == F4_BLOCK)
}

fn format4_decipher() -> Outcome {
    let c = PinBlockCipher::new(Format::Iso4, &F4_KEY)?;
    let pan: Pan = F4_PAN.parse()?;
    let pin = c.decipher(&F4_BLOCK, Some(&pan))?;
    Ok(pin.expose_secret() == b"1234")
}

/// The Annex A block into format 4 under the example's AES-256 key with
/// random fill from the RNG, then back: the original block, since format 0
/// has no random part. The format 4 block in between deciphers to the
/// Annex A PIN.
fn translate_round_trip() -> Outcome {
    let pan: Pan = A4_PAN.parse()?;
    let to4 = PinTranslator::new(
        PinBlockCipher::new(Format::Iso0, &A4_PIN_KEY)?,
        PinBlockCipher::new(Format::Iso4, &F4_KEY)?,
    );
    let to0 = PinTranslator::new(
        PinBlockCipher::new(Format::Iso4, &F4_KEY)?,
        PinBlockCipher::new(Format::Iso0, &A4_PIN_KEY)?,
    );
    let mut rng = TestRng::new(0x9564);
    let b4 = to4.translate(&A4_BLOCK, Some(&pan), &mut rng)?;
    let pin = PinBlockCipher::new(Format::Iso4, &F4_KEY)?.decipher(b4.as_bytes(), Some(&pan))?;
    let b0 = to0.translate(b4.as_bytes(), Some(&pan), &mut rng)?;
    // The same with the fill given: the example's fill gives a block that
    // also comes back to the original.
    let b4f = to4.translate_with_fill(&A4_BLOCK, Some(&pan), &Fill::from_hex(F4_FILL)?)?;
    let b0f = to0.translate_with_fill(b4f.as_bytes(), Some(&pan), &Fill::from_hex(b"")?)?;
    Ok(b4.as_bytes().len() == 16
        && pin.expose_secret() == b"1234"
        && b0.as_bytes() == A4_BLOCK
        && b0f.as_bytes() == A4_BLOCK)
}

/// ISO 9564-1 rules: a block of the wrong size, or one that deciphers
/// under another PAN (its PIN field breaks the format's rules), is refused;
/// a format that binds the PAN needs one.
fn refuses_block() -> Outcome {
    let c0 = PinBlockCipher::new(Format::Iso0, &A4_PIN_KEY)?;
    let c4 = PinBlockCipher::new(Format::Iso4, &F4_KEY)?;
    let other: Pan = "5237481234567895".parse()?;
    let a4: Pan = A4_PAN.parse()?;
    Ok(
        c0.decipher(&A4_BLOCK, Some(&other)).err() == Some(Error::InvalidPinBlock)
            && c0.decipher(&A4_BLOCK[..7], Some(&a4)).err() == Some(Error::InvalidPinBlock)
            && c0.decipher(&F4_BLOCK, Some(&a4)).err() == Some(Error::InvalidPinBlock)
            && c4.decipher(&F4_BLOCK, Some(&a4)).err() == Some(Error::InvalidPinBlock)
            && c0.decipher(&A4_BLOCK, None).err() == Some(Error::InvalidPan),
    )
}

/// ISO 9564-1: a PIN is 4 to 12 decimal digits.
fn refuses_pin() -> Outcome {
    Ok(Pin::from_digits(b"123").err() == Some(Error::InvalidPin)
        && Pin::from_digits(b"1234567890123").err() == Some(Error::InvalidPin)
        && Pin::from_digits(b"12a4").err() == Some(Error::InvalidPin)
        && Pin::from_digits(b"").err() == Some(Error::InvalidPin)
        && Pin::from_digits(b"123456789012").is_ok())
}
