//! The parsers of a PIN block's inputs: PIN digits, PAN (bytes and
//! string), PAN sequence number, fill (hex and nibbles), PIN block bytes,
//! format numbers. Each is compared with the rule it implements; then a PIN
//! enciphered under each format deciphers back to itself.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use paykernel::emv::Psn;
use paykernel::pin::{Fill, Format, Pin, PinBlock, PinBlockCipher};
use paykernel::{Error, Pan};
use paykernel_fuzz::{FuzzRng, digits, pan_digits};

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

const KEYS: [&[u8]; 5] = [
    b"0123456789ABCDEF",
    b"FEDCBA9876543210",
    b"0123456789ABCDEFFEDCBA98",
    b"01234567",
    b"0123456789ABCDEFFEDCBA9876543210",
];

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    // PIN: 4 to 12 ASCII digits.
    let pin_raw = if u.ratio(3, 4)? {
        digits(u, 0, 14)?
    } else {
        let n = u.int_in_range(0..=16)?;
        u.bytes(n)?.to_vec()
    };
    let pin_ok = (4..=12).contains(&pin_raw.len()) && pin_raw.iter().all(u8::is_ascii_digit);
    let pin = Pin::from_digits(&pin_raw);
    match &pin {
        Ok(p) => assert_eq!(p.expose_secret(), &pin_raw[..]),
        Err(e) => assert_eq!(*e, Error::InvalidPin),
    }
    assert_eq!(pin.is_ok(), pin_ok);

    // PAN: 12 to 19 ASCII digits, from bytes and from a string.
    let pan_raw = pan_digits(u)?;
    let pan_ok = (12..=19).contains(&pan_raw.len()) && pan_raw.iter().all(u8::is_ascii_digit);
    let pan = Pan::from_digits(&pan_raw);
    assert_eq!(pan.is_ok(), pan_ok);
    if let Ok(text) = std::str::from_utf8(&pan_raw) {
        assert_eq!(text.parse::<Pan>().ok(), pan.ok());
    }
    if let Ok(p) = &pan {
        let values: Vec<u8> = pan_raw.iter().map(|c| c - b'0').collect();
        assert_eq!(p.digits(), &values[..]);
        assert_eq!(p.len(), values.len());
        // ISO 9564-1: the 12 rightmost digits excluding the check digit.
        let body = &values[..values.len() - 1];
        let mut want = vec![0u8; 12usize.saturating_sub(body.len())];
        want.extend_from_slice(&body[body.len().saturating_sub(12)..]);
        assert_eq!(&p.rightmost_12_excluding_check()[..], &want[..]);
    } else {
        assert_eq!(pan.err(), Some(Error::InvalidPan));
    }

    // PSN: exactly two ASCII digits.
    let psn_raw = {
        let n = u.int_in_range(0..=3)?;
        u.bytes(n)?.to_vec()
    };
    let psn = Psn::from_digits(&psn_raw);
    assert_eq!(
        psn.is_ok(),
        psn_raw.len() == 2 && psn_raw.iter().all(u8::is_ascii_digit)
    );

    // Fill: up to 16 hex digits, or nibble values up to 15.
    let fill_raw = {
        let n = u.int_in_range(0..=18)?;
        u.bytes(n)?.to_vec()
    };
    let hex_ok = fill_raw.len() <= 16 && fill_raw.iter().all(u8::is_ascii_hexdigit);
    let fill_hex = Fill::from_hex(&fill_raw);
    assert_eq!(fill_hex.is_ok(), hex_ok);
    if let Ok(f) = &fill_hex {
        assert_eq!(f.len(), fill_raw.len());
    }
    let nib_ok = fill_raw.len() <= 16 && fill_raw.iter().all(|b| *b < 16);
    assert_eq!(Fill::from_nibbles(&fill_raw).is_ok(), nib_ok);

    // Block bytes: 8 or 16.
    let block_raw = {
        let n = u.int_in_range(0..=20)?;
        u.bytes(n)?.to_vec()
    };
    match PinBlock::from_slice(&block_raw) {
        Ok(b) => assert_eq!(b.as_bytes(), &block_raw[..]),
        Err(e) => {
            assert_eq!(e, Error::InvalidPinBlock);
            assert!(block_raw.len() != 8 && block_raw.len() != 16);
        }
    }

    // Format numbers.
    let n: u64 = u.arbitrary()?;
    match Format::from_number(n) {
        Ok(f) => assert_eq!(u64::from(f.number()), n),
        Err(e) => {
            assert_eq!(e, Error::Unsupported);
            assert!(n > 4);
        }
    }

    // A PIN enciphered under every format (random and given fill)
    // deciphers back to itself.
    let (Ok(pin), Ok(pan)) = (pin, pan) else {
        return Ok(());
    };
    let mut rng = FuzzRng::new(u.arbitrary()?);
    for format in Format::ALL {
        let key: &[u8] = if format == Format::Iso4 {
            KEYS[*u.choose(&[0usize, 2, 4])?]
        } else {
            KEYS[*u.choose(&[0usize, 1, 2, 3])?]
        };
        let c = PinBlockCipher::new(format, key).expect("valid key length");
        let b = c.encipher(&pin, Some(&pan), &mut rng).expect("PAN given");
        let back = c.decipher(b.as_bytes(), Some(&pan)).expect("own block");
        assert_eq!(back.expose_secret(), pin.expose_secret());
        if let Ok(fill) = &fill_hex
            && let Ok(b) = c.encipher_with_fill(&pin, Some(&pan), fill)
        {
            let back = c.decipher(b.as_bytes(), Some(&pan)).expect("own block");
            assert_eq!(back.expose_secret(), pin.expose_secret());
        }
        if format.uses_pan() {
            assert_eq!(
                c.encipher(&pin, None, &mut rng).err(),
                Some(Error::InvalidPan)
            );
        }
    }
    Ok(())
}
