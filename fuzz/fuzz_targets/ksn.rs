//! TDES and AES key serial numbers and AES initial key IDs: from bytes,
//! slices, hex and strings; counters; the next usable counter.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use paykernel::Error;
use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn hex_text(u: &mut Unstructured<'_>, usual: usize) -> Result<Vec<u8>> {
    if u.ratio(3, 4)? {
        let digits = b"0123456789ABCDEFabcdef";
        let mut out = Vec::with_capacity(usual);
        for _ in 0..usual {
            out.push(*u.choose(digits)?);
        }
        if u.ratio(1, 8)? {
            let i = u.choose_index(out.len())?;
            out[i] = u.arbitrary()?;
        }
        Ok(out)
    } else {
        let n = u.int_in_range(0..=usual + 4)?;
        Ok(u.bytes(n)?.to_vec())
    }
}

fn is_hex(text: &[u8], len: usize) -> bool {
    text.len() == len && text.iter().all(u8::is_ascii_hexdigit)
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    // TDES KSN: 10 bytes, 20 hex digits.
    let raw = {
        let n = u.int_in_range(0..=14)?;
        u.bytes(n)?.to_vec()
    };
    assert_eq!(TdesKsn::from_slice(&raw).is_ok(), raw.len() == 10);
    let text = hex_text(u, 20)?;
    if let Ok(s) = std::str::from_utf8(&text) {
        let k = TdesKsn::from_hex(s);
        assert_eq!(k.is_ok(), is_hex(&text, 20), "{s:?}");
        assert_eq!(s.parse::<TdesKsn>().ok(), k.ok());
        match k {
            Ok(k) => assert_eq!(k.to_string().to_ascii_uppercase(), s.to_ascii_uppercase()),
            Err(e) => assert_eq!(e, Error::InvalidKsn),
        }
    }
    let ksn = TdesKsn::from_bytes(u.arbitrary()?);
    tdes_counter(ksn, u.arbitrary()?);

    // AES KSN: 12 bytes, 24 hex digits; initial key ID: 8 bytes, 16 digits.
    let raw = {
        let n = u.int_in_range(0..=16)?;
        u.bytes(n)?.to_vec()
    };
    assert_eq!(AesKsn::from_slice(&raw).is_ok(), raw.len() == 12);
    assert_eq!(InitialKeyId::from_slice(&raw).is_ok(), raw.len() == 8);
    let text = hex_text(u, 24)?;
    if let Ok(s) = std::str::from_utf8(&text) {
        let k = AesKsn::from_hex(s);
        assert_eq!(k.is_ok(), is_hex(&text, 24), "{s:?}");
        assert_eq!(s.parse::<AesKsn>().ok(), k.ok());
        if let Ok(k) = k {
            assert_eq!(k.to_string().to_ascii_uppercase(), s.to_ascii_uppercase());
        }
    }
    let text = hex_text(u, 16)?;
    if let Ok(s) = std::str::from_utf8(&text) {
        let id = InitialKeyId::from_hex(s);
        assert_eq!(id.is_ok(), is_hex(&text, 16), "{s:?}");
        assert_eq!(s.parse::<InitialKeyId>().ok(), id.ok());
        if let Ok(id) = id {
            assert_eq!(id.to_string().to_ascii_uppercase(), s.to_ascii_uppercase());
            let c: u32 = u.arbitrary()?;
            let k = id.ksn(c);
            assert_eq!(k.counter(), c);
            assert_eq!(k.initial_key_id(), id);
            let _ = (id.bdk_id(), id.derivation_id());
        }
    }
    let ksn = AesKsn::from_bytes(u.arbitrary()?);
    aes_counter(ksn, u.arbitrary()?);
    Ok(())
}

fn tdes_counter(ksn: TdesKsn, c: u32) {
    let counter = ksn.counter();
    assert!(counter < 1 << 21);
    let usable = ksn.is_usable();
    assert_eq!(
        usable,
        counter != 0 && counter.count_ones() <= 10,
        "{ksn:?}"
    );
    let base = ksn.initial_key_id();
    assert_eq!(base.counter(), 0);
    assert_eq!(base.initial_key_id(), base);
    match ksn.with_counter(c) {
        Ok(k) => {
            assert!(c < 1 << 21);
            assert_eq!(k.counter(), c);
            assert_eq!(k.initial_key_id(), base);
        }
        Err(e) => {
            assert_eq!(e, Error::InvalidKsn);
            assert!(c >= 1 << 21);
        }
    }
    let remaining = ksn.remaining();
    if (1u32 << 21) - counter <= 1 << 16 {
        let brute = (counter..1 << 21)
            .filter(|c| *c != 0 && c.count_ones() <= 10)
            .count();
        assert_eq!(remaining, brute as u64);
    }
    if counter <= 1 << 16 {
        // Usable TDES counters: sum of C(21, k) for k <= 10, less zero.
        let below = (1..counter).filter(|c| c.count_ones() <= 10).count();
        assert_eq!(remaining, 1_048_575 - below as u64);
    }
    match ksn.next() {
        Some(n) => {
            assert!(n.counter() > counter && n.is_usable());
            assert!(n.counter() <= TdesKsn::MAX_COUNTER);
            assert_eq!(n.initial_key_id(), base);
            // Every counter in between is one a terminal skips.
            if n.counter() - counter < 4096 {
                for skipped in counter + 1..n.counter() {
                    assert!(!ksn.with_counter(skipped).unwrap().is_usable());
                }
            }
            assert!(remaining >= u64::from(usable));
            assert_eq!(n.remaining(), remaining - u64::from(usable));
        }
        None => assert!(counter >= TdesKsn::MAX_COUNTER),
    }
}

fn aes_counter(ksn: AesKsn, c: u32) {
    let counter = ksn.counter();
    let usable = ksn.is_usable();
    assert_eq!(
        usable,
        counter != 0 && counter.count_ones() <= 16,
        "{ksn:?}"
    );
    let k = ksn.with_counter(c);
    assert_eq!(k.counter(), c);
    assert_eq!(k.initial_key_id(), ksn.initial_key_id());
    let remaining = ksn.remaining();
    if u64::from(u32::MAX - counter) < 1 << 16 {
        let brute = (counter..=u32::MAX)
            .filter(|c| *c != 0 && c.count_ones() <= 16)
            .count();
        assert_eq!(remaining, brute as u64);
    }
    if counter <= 1 << 16 {
        // Usable AES counters: sum of C(32, k) for k <= 16, less zero.
        let below = (1..counter).filter(|c| c.count_ones() <= 16).count();
        assert_eq!(remaining, 2_448_023_842 - below as u64);
    }
    match ksn.next() {
        Some(n) => {
            assert!(n.counter() > counter && n.is_usable());
            assert!(n.counter() <= AesKsn::MAX_COUNTER);
            if n.counter() - counter < 4096 {
                for skipped in counter + 1..n.counter() {
                    assert!(!ksn.with_counter(skipped).is_usable());
                }
            }
            assert_eq!(n.remaining(), remaining - u64::from(usable));
        }
        None => assert!(counter >= AesKsn::MAX_COUNTER),
    }
}
