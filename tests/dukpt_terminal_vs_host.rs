//! Property tests: a DUKPT terminal and the host agree on every
//! transaction.
//!
//! The terminal (future key / intermediate derivation key registers,
//! X9.24-1 A.2 and X9.24-3 6.5) and the host (direct derivation from the
//! initial key, X9.24-1 A.3 and X9.24-3 6.3) are two different algorithms;
//! each transaction key of one must equal the other's for the KSN the
//! terminal sends. Initial keys, KSNs and starting counters are random: the
//! seed is printed, and `DUKPT_SEED=<n>` replays a run.
//!
//! The long runs: one AES terminal for its first 131,088 transactions
//! (counter 1 to past 0x1FFFF, the first counter it skips), and one TDES
//! terminal over its whole life (1,048,575 transactions, to exhaustion) in
//! an ignored test for release builds (`cargo test --release --test
//! dukpt_terminal_vs_host -- --ignored`); CI runs a TDES sample of every
//! region of the counter instead.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::integer_division_remainder_used,
    clippy::std_instead_of_core,
    clippy::cast_possible_truncation,
    reason = "test harness"
)]

use paykernel::dukpt::aes::{self, AesTerminal, KeyType, KeyUsage};
use paykernel::dukpt::tdes::{self, TdesTerminal, Variant};
use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
use paykernel::{AesKey, Error, TdesKey};

/// splitmix64: a small deterministic generator, enough to pick test inputs.
struct Rng(u64);

impl Rng {
    fn new(test: &str) -> Rng {
        let seed = std::env::var("DUKPT_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(1)
            });
        eprintln!("{test}: DUKPT_SEED={seed}");
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        for chunk in out.chunks_mut(8) {
            let v = self.next().to_be_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        out
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn random_aes_key(rng: &mut Rng) -> AesKey {
    let len = [16usize, 24, 32][rng.below(3) as usize];
    AesKey::from_slice(&rng.bytes::<32>()[..len]).unwrap()
}

/// A key type and usage the initial key can give.
fn random_working(rng: &mut Rng, ik: &AesKey) -> (KeyType, KeyUsage) {
    loop {
        let t = KeyType::ALL[rng.below(8) as usize];
        let u = KeyUsage::ALL[rng.below(8) as usize];
        if aes::check_working_key(ik.length(), t, u).is_ok() {
            return (t, u);
        }
    }
}

/// Steps `terminal` `n` times (or to exhaustion), checking each working
/// key against the host; returns the number of transactions made.
fn check_aes(terminal: &mut AesTerminal, ik: &AesKey, n: u64, t: KeyType, u: KeyUsage) -> u64 {
    let mut last: Option<u32> = None;
    let remaining = terminal.remaining();
    for i in 0..n {
        let (ksn, key) = match terminal.next_transaction(t, u) {
            Ok(x) => x,
            Err(Error::CounterExhausted) => {
                assert_eq!(i, remaining, "exhausted early");
                if i > 0 {
                    assert_eq!(last, Some(AesKsn::MAX_COUNTER));
                }
                return i;
            }
            Err(e) => panic!("{e}"),
        };
        assert!(ksn.is_usable(), "{ksn}");
        if let Some(prev) = last {
            // No usable counter skipped.
            assert_eq!(Some(ksn), ksn.with_counter(prev).next(), "after {prev:x}");
        }
        last = Some(ksn.counter());
        let host = aes::derive_working_key(ik, &ksn, t, u).unwrap();
        assert_eq!(
            key.expose_secret(),
            host.expose_secret(),
            "{ksn} {t:?} {u:?}"
        );
    }
    n
}

#[test]
fn aes_terminal_matches_host_past_0x1ffff() {
    let mut rng = Rng::new("aes_terminal_matches_host_past_0x1ffff");
    let ik = AesKey::from_slice(&rng.bytes::<16>()).unwrap();
    let id = InitialKeyId::from_bytes(rng.bytes::<8>());
    let mut terminal = AesTerminal::load_initial_key(&ik, &id.ksn(0)).unwrap();
    // Counters 1 to 0x20010 (0x1FFFF, seventeen one-bits, is skipped):
    // 131,087 transactions, PIN keys as a terminal sends them.
    let mut n = 0u64;
    while terminal.current_ksn().unwrap().counter() <= 0x2_0010 {
        let (ksn, key) = terminal
            .next_transaction(KeyType::Aes128, KeyUsage::PinEncryption)
            .unwrap();
        assert_ne!(ksn.counter(), 0x1_FFFF);
        let host =
            aes::derive_working_key(&ik, &ksn, KeyType::Aes128, KeyUsage::PinEncryption).unwrap();
        assert_eq!(key.expose_secret(), host.expose_secret(), "{ksn}");
        n += 1;
    }
    assert_eq!(n, 0x2_0010 - 1);
}

#[test]
fn aes_terminals_with_random_keys() {
    let mut rng = Rng::new("aes_terminals_with_random_keys");
    for round in 0..60 {
        let ik = random_aes_key(&mut rng);
        let id = InitialKeyId::from_bytes(rng.bytes::<8>());
        // Start at 0, at a random counter, or near a rollover or the end.
        let start = match round % 4 {
            0 => 0,
            1 => rng.next() as u32,
            2 => (0xFFFF_FFFFu32 << rng.below(32)) & !(1 << rng.below(32)),
            _ => AesKsn::MAX_COUNTER - rng.below(0x4_0000) as u32,
        };
        let mut terminal = AesTerminal::load_initial_key(&ik, &id.ksn(start)).unwrap();
        let (t, u) = random_working(&mut rng, &ik);
        let made = check_aes(&mut terminal, &ik, 150, t, u);
        // Save, reload, and carry on where it stopped.
        let saved = terminal.to_bytes();
        drop(terminal);
        let mut terminal = AesTerminal::from_bytes(&saved[..]).unwrap();
        if made == 150 {
            check_aes(&mut terminal, &ik, 50, t, u);
            // The update key from the registers equals the host's.
            let host = aes::derive_update_key(&ik, &id, KeyType::of_aes(ik.length())).unwrap();
            let from_registers = terminal.derive_update_key(KeyType::of_aes(ik.length()));
            if terminal.is_exhausted() {
                assert_eq!(from_registers.err(), Some(Error::CounterExhausted));
            } else {
                assert_eq!(
                    from_registers.unwrap().expose_secret(),
                    host.expose_secret()
                );
            }
        } else {
            assert!(terminal.is_exhausted());
        }
    }
}

fn random_tdes_ksn(rng: &mut Rng) -> TdesKsn {
    TdesKsn::from_bytes(rng.bytes::<10>())
        .with_counter(0)
        .unwrap()
}

/// Steps `terminal` `n` times (or to exhaustion), checking each key
/// against the host; returns the number of transactions made.
fn check_tdes(terminal: &mut TdesTerminal, ipek: &TdesKey, n: u64, v: Variant) -> u64 {
    let mut last: Option<TdesKsn> = None;
    let remaining = terminal.remaining();
    for i in 0..n {
        let (ksn, key) = match terminal.next_transaction(v) {
            Ok(x) => x,
            Err(Error::CounterExhausted) => {
                assert_eq!(i, remaining, "exhausted early");
                if i > 0 {
                    assert_eq!(last.map(|k| k.counter()), Some(TdesKsn::MAX_COUNTER));
                }
                return i;
            }
            Err(e) => panic!("{e}"),
        };
        assert!(ksn.is_usable(), "{ksn}");
        if let Some(prev) = last {
            assert_eq!(Some(ksn), prev.next(), "after {prev}");
        }
        last = Some(ksn);
        let host = tdes::derive_working_key(ipek, &ksn, v).unwrap();
        assert_eq!(key.expose_secret(), host.expose_secret(), "{ksn} {v:?}");
    }
    n
}

#[test]
fn tdes_terminals_with_random_keys() {
    let mut rng = Rng::new("tdes_terminals_with_random_keys");
    // A sample of every region of the counter: the start, random points,
    // the rollovers of each bit, and the end (to exhaustion).
    let mut starts: Vec<u32> = vec![0, 0x0F_F000, 0x1F_F000, 0x1F_E000, 0x1F_F7F0];
    for bit in 1..21 {
        starts.push((1u32 << bit).saturating_sub(3));
    }
    for _ in 0..20 {
        starts.push(rng.below(0x20_0000) as u32);
    }
    for start in starts {
        let bdk = TdesKey::from_slice(&rng.bytes::<16>()).unwrap();
        let ksn = random_tdes_ksn(&mut rng).with_counter(start).unwrap();
        let ipek = tdes::derive_initial_key(&bdk, &ksn).unwrap();
        let mut terminal = TdesTerminal::load_initial_key(&ipek, &ksn).unwrap();
        let v = Variant::ALL[rng.below(6) as usize];
        let n = 400;
        let made = check_tdes(&mut terminal, &ipek, n, v);
        if made < n {
            assert!(terminal.is_exhausted());
            assert_eq!(made, ksn.remaining());
        } else {
            let saved = terminal.to_bytes();
            let mut terminal = TdesTerminal::from_bytes(&saved[..]).unwrap();
            check_tdes(&mut terminal, &ipek, 50, v);
        }
    }
}

#[test]
#[ignore = "a full TDES terminal life, 1,048,575 transactions: run with --release --ignored"]
fn tdes_terminal_whole_life() {
    let mut rng = Rng::new("tdes_terminal_whole_life");
    let ipek = TdesKey::from_slice(&rng.bytes::<16>()).unwrap();
    let ksn = random_tdes_ksn(&mut rng);
    let mut terminal = TdesTerminal::load_initial_key(&ipek, &ksn).unwrap();
    let made = check_tdes(&mut terminal, &ipek, u64::MAX, Variant::Pin);
    assert_eq!(made, 1_048_575);
    assert!(terminal.is_exhausted());
}

#[test]
fn state_and_ksn_parsers_never_panic() {
    // Saved states of the wrong length, erased storage, random bytes, and
    // valid states with one bit flipped: always an answer, never a panic,
    // and a flipped bit is always refused (the check value).
    let mut rng = Rng::new("state_and_ksn_parsers_never_panic");
    let ipek = TdesKey::from_slice(&rng.bytes::<16>()).unwrap();
    let ik = AesKey::from_slice(&rng.bytes::<32>()).unwrap();
    let mut t = TdesTerminal::load_initial_key(&ipek, &random_tdes_ksn(&mut rng)).unwrap();
    let mut a =
        AesTerminal::load_initial_key(&ik, &InitialKeyId::from_bytes(rng.bytes::<8>()).ksn(0))
            .unwrap();
    for _ in 0..rng.below(40) {
        t.advance().unwrap();
        a.advance().unwrap();
    }
    let tdes_state = t.to_bytes();
    let aes_state = a.to_bytes();
    for len in [
        1usize,
        2,
        15,
        TdesTerminal::STATE_LEN - 1,
        TdesTerminal::STATE_LEN + 1,
    ] {
        let mut s = tdes_state.to_vec();
        s.resize(len, 0x5A);
        assert_eq!(
            TdesTerminal::from_bytes(&s).err(),
            Some(Error::InvalidLength)
        );
    }
    for len in [3usize, aes_state.len() - 1, aes_state.len() + 1] {
        let mut s = aes_state.to_vec();
        s.resize(len, 0x5A);
        assert_eq!(
            AesTerminal::from_bytes(&s).err(),
            Some(Error::InvalidLength)
        );
    }
    for len in [0usize, 1, 352, 1043] {
        for fill in [0u8, 0xFF] {
            assert_eq!(
                TdesTerminal::from_bytes(&vec![fill; len]).err(),
                Some(Error::NoState)
            );
            assert_eq!(
                AesTerminal::from_bytes(&vec![fill; len]).err(),
                Some(Error::NoState)
            );
        }
    }
    for _ in 0..3000 {
        let mut s = tdes_state.to_vec();
        let at = rng.below(s.len() as u64) as usize;
        s[at] ^= 1 << rng.below(8);
        assert!(TdesTerminal::from_bytes(&s).is_err(), "TDES byte {at}");
        let mut s = aes_state.to_vec();
        let at = rng.below(s.len() as u64) as usize;
        s[at] ^= 1 << rng.below(8);
        assert!(AesTerminal::from_bytes(&s).is_err(), "AES byte {at}");
        let _ = TdesTerminal::from_bytes(&rng.bytes::<{ TdesTerminal::STATE_LEN }>());
        let _ = AesTerminal::from_bytes(&rng.bytes::<{ AesTerminal::MAX_STATE_LEN }>());
        let digits: String = (0..rng.below(30))
            .map(|_| b"0123456789abcdefABCDEFxyz -"[rng.below(27) as usize] as char)
            .collect();
        if let Ok(k) = digits.parse::<TdesKsn>() {
            assert_eq!(k.to_string(), digits.to_uppercase());
            let _ = (k.next(), k.remaining(), k.is_usable());
        }
        if let Ok(k) = digits.parse::<AesKsn>() {
            let _ = (k.next(), k.remaining(), k.is_usable());
        }
    }
}
