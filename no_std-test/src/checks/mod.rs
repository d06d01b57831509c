//! The known answers, one function per check, grouped by concern. Each
//! value comes from a standard or a published source, cited beside it; no
//! value here was produced by paykernel itself.

/// A hex literal as a byte array, decoded at compile time; the array's
/// length is half the literal's. Defined before the modules below, so that
/// they see it.
macro_rules! h {
    ($s:literal) => {
        const { $crate::checks::hex::<{ $s.len() / 2 }>($s) }
    };
}

mod card;
mod cvn_tlv;
mod dukpt;
mod dukpt_data;
mod ecdsa;
mod keyblock;
mod mac_emv;
mod pin;
mod primitives;
mod record;

/// What a check found: `Ok(true)` when the kernel gave the known answer;
/// `Ok(false)` for a wrong answer; `Err` when it refused an input it
/// should have taken.
pub type Outcome = Result<bool, paykernel::Error>;

/// A named check.
pub type Check = (&'static str, fn() -> Outcome);

/// Every check, by concern.
pub const GROUPS: &[&[Check]] = &[
    primitives::ALL,
    pin::ALL,
    dukpt::ALL,
    dukpt_data::ALL,
    mac_emv::ALL,
    record::ALL,
    ecdsa::ALL,
    cvn_tlv::ALL,
    card::ALL,
    keyblock::ALL,
];

/// An expected value as the source gives it, or with its first byte
/// flipped when the `plant-wrong-answer` feature is on: the negative
/// control that proves a wrong answer fails the program.
pub const fn planted<const N: usize>(mut expected: [u8; N]) -> [u8; N] {
    if cfg!(feature = "plant-wrong-answer") && N > 0 {
        expected[0] ^= 0x01;
    }
    expected
}

/// Hex digits to a fixed-size array, at compile time: through [`h!`] a
/// literal of the wrong length or with a non-hex character does not
/// compile.
pub const fn hex<const N: usize>(s: &str) -> [u8; N] {
    let b = s.as_bytes();
    assert!(b.len() == 2 * N, "hex literal of the wrong length");
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = (nibble(b[2 * i]) << 4) | nibble(b[2 * i + 1]);
        i += 1;
    }
    out
}

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => panic!("not a hex digit"),
    }
}
