//! DUKPT terminal states (TDES and AES): `from_bytes` on arbitrary bytes,
//! on erased storage, and on real states with a few bytes changed, then
//! stepping.
//!
//! Invariants: erased storage (all `00` or all `FF`) is `NoState`; a real
//! state changed within any 4 bytes (a burst of at most 32 bits, which
//! CRC-32C always catches) is refused; a state that loads saves back to
//! the same bytes (`to_bytes` and `save_into` alike); a terminal reloaded
//! from its own bytes gives the same next keys as the original; a terminal
//! loaded from an initial key gives, transaction by transaction, the keys
//! the host derives from that initial key and the KSN.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use paykernel::dukpt::aes::{self, AesTerminal, KeyType, KeyUsage};
use paykernel::dukpt::tdes::{self, TdesTerminal, Variant};
use paykernel::dukpt::{AesKsn, TdesKsn};
use paykernel::{AesKey, AesKeyLength, Error, TdesKey};
use paykernel_fuzz::bytes;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let _ = if u.arbitrary::<bool>().unwrap_or(false) {
        tdes(&mut u)
    } else {
        aes(&mut u)
    };
});

/// A counter near the start, near the end, or anywhere.
fn counter(u: &mut Unstructured<'_>, bits: u32, last: u32) -> Result<u32> {
    let mask = if bits == 32 {
        u32::MAX
    } else {
        (1 << bits) - 1
    };
    Ok(match u.int_in_range(0..=3)? {
        0 => u.int_in_range(0..=64)?,
        1 => last.wrapping_sub(u.int_in_range(0..=64)?) & mask,
        2 => last.wrapping_add(u.int_in_range(0..=64)?) & mask,
        _ => u.arbitrary::<u32>()? & mask,
    })
}

/// Changes 0 to 3 bytes of `state`; says whether anything changed and
/// whether every change fell within 4 consecutive bytes (a burst of at
/// most 32 bits).
fn mutate(u: &mut Unstructured<'_>, state: &mut [u8]) -> Result<(bool, bool)> {
    let before = state.to_vec();
    let n = u.int_in_range(0..=3)?;
    let near = u.arbitrary::<bool>()?;
    let first = u.choose_index(state.len())?;
    for _ in 0..n {
        let i = if near {
            (first + u.int_in_range(0..=3)?).min(state.len() - 1)
        } else {
            u.choose_index(state.len())?
        };
        state[i] ^= u.arbitrary::<u8>()?;
    }
    // What changed, net (two changes of one byte may cancel).
    let diff: Vec<usize> = (0..state.len())
        .filter(|&i| state[i] != before[i])
        .collect();
    Ok(match (diff.first(), diff.last()) {
        (Some(lo), Some(hi)) => (true, hi - lo < 4),
        _ => (false, false),
    })
}

/// Erased storage of any length, or `None`.
fn erased(u: &mut Unstructured<'_>) -> Result<Option<Vec<u8>>> {
    if !u.ratio(1, 8)? {
        return Ok(None);
    }
    let fill = if u.arbitrary::<bool>()? { 0xFF } else { 0x00 };
    let n = u.int_in_range(0..=1100)?;
    Ok(Some(vec![fill; n]))
}

fn tdes(u: &mut Unstructured<'_>) -> Result<()> {
    if let Some(e) = erased(u)? {
        assert_eq!(TdesTerminal::from_bytes(&e).err(), Some(Error::NoState));
        return Ok(());
    }
    let state = if u.ratio(1, 4)? {
        let n = u.int_in_range(TdesTerminal::STATE_LEN - 2..=TdesTerminal::STATE_LEN + 1)?;
        bytes(u, n)?
    } else {
        let ipek = TdesKey::from_slice(&bytes(u, 16)?).expect("16 bytes");
        let c = counter(u, 21, TdesKsn::MAX_COUNTER)?;
        let ksn = TdesKsn::from_bytes(u.arbitrary()?)
            .with_counter(c)
            .expect("21 bits");
        let mut t = TdesTerminal::load_initial_key(&ipek, &ksn).expect("double-length key");
        // Against the host, from the IPEK.
        let steps = u.int_in_range(0..=4)?;
        for _ in 0..steps {
            match t.current_ksn() {
                Ok(k) => {
                    let v = *u.choose(&Variant::ALL)?;
                    let host = tdes::derive_working_key(&ipek, &k, v).expect("double-length key");
                    let (k2, key) = t.next_transaction(v).expect("not exhausted");
                    assert_eq!(k, k2);
                    assert!(k.is_usable());
                    assert_eq!(key.expose_secret(), host.expose_secret());
                }
                Err(e) => {
                    assert_eq!(e, Error::CounterExhausted);
                    assert!(t.is_exhausted() && t.remaining() == 0);
                    assert_eq!(t.advance().err(), Some(Error::CounterExhausted));
                }
            }
        }
        let mut s = t.to_bytes().to_vec();
        let mut buf = [0u8; TdesTerminal::STATE_LEN + 3];
        assert_eq!(t.save_into(&mut buf), Ok(s.len()));
        assert_eq!(&buf[..s.len()], &s[..]);
        let (changed, burst) = mutate(u, &mut s)?;
        if burst {
            assert!(TdesTerminal::from_bytes(&s).is_err(), "a burst got through");
        }
        if !changed {
            assert!(
                TdesTerminal::from_bytes(&s).is_ok(),
                "its own state refused"
            );
        }
        s
    };
    let Ok(mut t) = TdesTerminal::from_bytes(&state) else {
        return Ok(());
    };
    assert_eq!(
        &t.to_bytes()[..],
        &state[..],
        "a loaded state saves as it was"
    );
    let mut twin = TdesTerminal::from_bytes(&state).expect("loaded once");
    let steps = u.int_in_range(0..=6)?;
    for _ in 0..steps {
        let v = *u.choose(&Variant::ALL)?;
        let a = t.next_transaction(v);
        let b = twin.next_transaction(v);
        match (a, b) {
            (Ok((ka, a)), Ok((kb, b))) => {
                assert_eq!(ka, kb);
                assert_eq!(a.expose_secret(), b.expose_secret());
            }
            (Err(ea), Err(eb)) => {
                assert_eq!(ea, eb);
                assert_eq!(ea, Error::CounterExhausted);
            }
            (a, b) => panic!("diverged: {a:?} {b:?}"),
        }
        // Reload the twin from its own bytes between steps.
        twin = TdesTerminal::from_bytes(&twin.to_bytes()[..]).expect("own state");
    }
    Ok(())
}

fn aes(u: &mut Unstructured<'_>) -> Result<()> {
    if let Some(e) = erased(u)? {
        assert_eq!(AesTerminal::from_bytes(&e).err(), Some(Error::NoState));
        assert_eq!(AesTerminal::saved_len(&e), Err(Error::NoState));
        return Ok(());
    }
    let state = if u.ratio(1, 4)? {
        let length = *u.choose(&[
            AesKeyLength::Aes128,
            AesKeyLength::Aes192,
            AesKeyLength::Aes256,
        ])?;
        let len = AesTerminal::state_len_for(length);
        let n = u.int_in_range(len - 2..=len + 1)?;
        let mut s = bytes(u, n)?;
        // A plausible header now and then, so that the check value is
        // reached.
        if u.arbitrary::<bool>()? && n >= 3 {
            s[..3].copy_from_slice(&[0xA2, 0, u8::try_from(length.bytes()).expect("small")]);
        }
        s
    } else {
        let n = *u.choose(&[16usize, 24, 32])?;
        let ik = AesKey::from_slice(&bytes(u, n)?).expect("valid length");
        let c = counter(u, 32, AesKsn::MAX_COUNTER)?;
        let ksn = AesKsn::from_bytes(u.arbitrary()?).with_counter(c);
        let mut t = AesTerminal::load_initial_key(&ik, &ksn).expect("any AES key");
        let steps = u.int_in_range(0..=3)?;
        for _ in 0..steps {
            let kt = *u.choose(&KeyType::ALL)?;
            let usage = *u.choose(&KeyUsage::ALL)?;
            let allowed = aes::check_working_key(ik.length(), kt, usage).is_ok();
            match t.current_ksn() {
                Ok(k) => {
                    assert!(k.is_usable());
                    let host = aes::derive_working_key(&ik, &k, kt, usage);
                    let term = t.derive_working_key(kt, usage);
                    assert_eq!(host.is_ok(), allowed);
                    match (host, term) {
                        (Ok(h), Ok(w)) => assert_eq!(h.expose_secret(), w.expose_secret()),
                        (Err(a), Err(b)) => {
                            assert_eq!((a, b), (Error::Unsupported, Error::Unsupported))
                        }
                        (h, w) => panic!("host {h:?}, terminal {w:?}"),
                    }
                    // The update key, from the registers and from the
                    // initial key.
                    let host = aes::derive_update_key(&ik, &k.initial_key_id(), kt);
                    let term = t.derive_update_key(kt);
                    match (host, term) {
                        (Ok(h), Ok(w)) => assert_eq!(h.expose_secret(), w.expose_secret()),
                        (Err(a), Err(b)) => assert_eq!(a, b),
                        (h, w) => panic!("update key: host {h:?}, terminal {w:?}"),
                    }
                    t.advance().expect("not exhausted");
                }
                Err(e) => {
                    assert_eq!(e, Error::CounterExhausted);
                    assert!(t.is_exhausted() && t.remaining() == 0);
                    assert_eq!(t.advance().err(), Some(Error::CounterExhausted));
                }
            }
        }
        let mut s = t.to_bytes().to_vec();
        assert_eq!(s.len(), t.state_len());
        assert_eq!(s.len(), AesTerminal::state_len_for(ik.length()));
        let mut buf = [0u8; AesTerminal::MAX_STATE_LEN];
        assert_eq!(t.save_into(&mut buf), Ok(s.len()));
        assert_eq!(&buf[..s.len()], &s[..]);
        assert_eq!(AesTerminal::saved_len(&buf), Ok(s.len()));
        let (changed, burst) = mutate(u, &mut s)?;
        if burst {
            assert!(AesTerminal::from_bytes(&s).is_err(), "a burst got through");
        }
        if !changed {
            assert!(AesTerminal::from_bytes(&s).is_ok(), "its own state refused");
        }
        s
    };
    let Ok(mut t) = AesTerminal::from_bytes(&state) else {
        return Ok(());
    };
    assert_eq!(
        &t.to_bytes()[..],
        &state[..],
        "a loaded state saves as it was"
    );
    let mut twin = AesTerminal::from_bytes(&state).expect("loaded once");
    let steps = u.int_in_range(0..=4)?;
    for _ in 0..steps {
        let kt = *u.choose(&KeyType::ALL)?;
        let usage = *u.choose(&KeyUsage::ALL)?;
        let a = t.next_transaction(kt, usage);
        let b = twin.next_transaction(kt, usage);
        match (a, b) {
            (Ok((ka, a)), Ok((kb, b))) => {
                assert_eq!(ka, kb);
                assert_eq!(a.expose_secret(), b.expose_secret());
            }
            (Err(ea), Err(eb)) => {
                assert_eq!(ea, eb);
                // A refused key type leaves the terminal where it was;
                // step both on.
                if ea == Error::Unsupported {
                    let _ = (t.advance(), twin.advance());
                }
            }
            (a, b) => panic!("diverged: {a:?} {b:?}"),
        }
        twin = AesTerminal::from_bytes(&twin.to_bytes()[..]).expect("own state");
    }
    Ok(())
}
