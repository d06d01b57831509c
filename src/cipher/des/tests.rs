//! Tests of the constant-time DES and TDES: the FIPS tables through IP/FP
//! and the S-box circuits, the NIST known answers, and the `des` crate
//! (0.9.0, a dev-dependency only) as an oracle on random keys and blocks.

#![allow(
    clippy::arithmetic_side_effects,
    clippy::integer_division_remainder_used,
    clippy::cast_possible_truncation,
    reason = "test-side reference tables over public bit positions"
)]

extern crate std;

use std::vec::Vec;

use des::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};

use super::bitslice::{Mode, pass, slice, unslice};
use super::tables::{
    E, IP, PAIR_MASK, SWAP_MASK, half_pos, output_pairs, output_pos, pair_tables, sbox_bit,
    sbox_input, sbox_truth_table,
};
use super::{TdesSchedule, des_encrypt_many, fp, ip, tdes_many};
use crate::key::TdesKey;
use crate::test_util::h;
use crate::{Error, tdes_decrypt_many, tdes_encrypt_many};

/// SplitMix64: reproducible test inputs without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        for c in out.chunks_mut(8) {
            let v = self.next().to_be_bytes();
            c.copy_from_slice(&v[..c.len()]);
        }
        out
    }
}

/// The `des` crate's answer for a key of 8, 16 or 24 bytes.
fn oracle(key: &[u8], block: [u8; 8], decrypt: bool) -> [u8; 8] {
    let mut b = block.into();
    match key.len() {
        8 => {
            let c = des::Des::new_from_slice(key).unwrap();
            if decrypt {
                c.decrypt_block(&mut b)
            } else {
                c.encrypt_block(&mut b)
            }
        }
        16 => {
            let c = des::TdesEde2::new_from_slice(key).unwrap();
            if decrypt {
                c.decrypt_block(&mut b)
            } else {
                c.encrypt_block(&mut b)
            }
        }
        _ => {
            let c = des::TdesEde3::new_from_slice(key).unwrap();
            if decrypt {
                c.decrypt_block(&mut b)
            } else {
                c.encrypt_block(&mut b)
            }
        }
    }
    b.into()
}

fn ours(key: &[u8], block: [u8; 8], decrypt: bool) -> [u8; 8] {
    let s = TdesSchedule::from_key(&TdesKey::from_slice(key).unwrap());
    let x = u64::from_be_bytes(block);
    if decrypt { s.decrypt(x) } else { s.encrypt(x) }.to_be_bytes()
}

#[test]
fn ip_places_every_bit_as_the_table_says() {
    for b in 1..=64u32 {
        let (l, r) = ip(1u64 << (64 - b));
        // IP's output bit i + 1 is input bit IP[i]; FIPS bit j of a half
        // is at bit half_pos(j).
        let i = IP.iter().position(|x| u32::from(*x) == b).unwrap() as u32;
        let (want_l, want_r) = if i < 32 {
            (1u32 << half_pos(i + 1), 0)
        } else {
            (0, 1u32 << half_pos(i - 31))
        };
        assert_eq!((l, r), (want_l, want_r), "input bit {b}");
    }
}

#[test]
fn half_layout_keeps_every_window_adjacent() {
    // half_pos is a permutation, and S-box s reads its E window (in
    // some order) from bits 32 - 4s ..= 37 - 4s.
    let mut seen = 0u32;
    for i in 1..=32 {
        seen |= 1 << half_pos(i);
    }
    assert_eq!(seen, u32::MAX);
    for s in 0..8usize {
        let mut window = 0u32;
        for o in 0..6 {
            window |= 1 << half_pos(u32::from(E[6 * s + o]));
        }
        let start = (32 - 4 * (s as u32 + 1)) % 32;
        assert_eq!(window, 0b11_1111u32.rotate_left(start), "S{}", s + 1);
        // The window's bits, read as a number, give the S-box input.
        for x in 0..64usize {
            let v = sbox_input(s, x);
            for o in 0..6 {
                let bit_in_window = (half_pos(u32::from(E[6 * s + o])) + 32 - start) % 32;
                assert_eq!((v >> (5 - o)) & 1, (x >> bit_in_window) & 1);
            }
        }
    }
}

/// P is a permutation of the 32 output bits: the places the eight
/// S-boxes' lookups keep (two masks each) are disjoint and cover the half.
/// (So the S-boxes' outputs can be combined with XOR or OR alike.)
#[test]
fn the_lookup_masks_tile_the_half() {
    let mut seen = 0u64;
    for m in PAIR_MASK.iter().flatten() {
        assert_eq!(m.count_ones(), 2);
        assert_eq!(seen & m, 0, "{m:016X} overlaps");
        seen |= m;
    }
    assert_eq!(seen, 0xFFFF_FFFF);
}

#[test]
fn every_sbox_pairs_even_with_odd_places() {
    assert_eq!(
        SWAP_MASK & 0xAAAA_AAAA,
        0,
        "swap masks name the lower bit of a pair"
    );
    for s in 0..8 {
        let [[a0, a1], [b0, b1]] = output_pairs(s);
        let mut js = [a0, a1, b0, b1];
        js.sort_unstable();
        assert_eq!(js, [0, 1, 2, 3], "S{}", s + 1);
        for [even, odd] in output_pairs(s) {
            assert_eq!(output_pos(s, even) & 1, 0, "S{}", s + 1);
            assert_eq!(output_pos(s, odd) & 1, 1, "S{}", s + 1);
        }
    }
}

#[test]
fn pair_tables_look_up_every_sbox_output() {
    let (t, m, twice, unset) = pair_tables();
    assert_eq!((twice, unset), (0, 0));
    for s in 0..8 {
        for x in 0..64u32 {
            let v = sbox_input(s, x as usize);
            for (k, [j0, j1]) in output_pairs(s).into_iter().enumerate() {
                let w = if x & 1 == 0 {
                    t[s][2 * k]
                } else {
                    t[s][2 * k] ^ t[s][2 * k + 1]
                };
                let got = w.rotate_right(x) & m[s][k];
                let want = (sbox_bit(s, j0, v) << output_pos(s, j0))
                    | (sbox_bit(s, j1, v) << output_pos(s, j1));
                assert_eq!(got, want, "S{} x {x}", s + 1);
            }
        }
    }
}

#[test]
fn fp_inverts_ip() {
    let mut rng = Rng(1);
    for _ in 0..1000 {
        let x = rng.next();
        let (l, r) = ip(x);
        assert_eq!(fp(l, r), x);
    }
}

#[test]
fn fips_known_answers() {
    // FIPS 81 Appendix B, ECB mode: key 0123456789ABCDEF,
    // "Now is the time for all ".
    let key = h("0123456789ABCDEF");
    let pt = h("4E6F77206973207468652074696D6520666F7220616C6C20");
    let ct = h("3FA40E8A984D48156A271787AB8883F9893D51EC4B563B53");
    // NIST SP 800-67 Rev. 1, TDEA example: three keys, "The qufck brown
    // fox jump".
    let key3 = h("0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123");
    let pt3 = h("5468652071756663");
    let pt3 = [pt3, h("6B2062726F776E20"), h("666F78206A756D70")].concat();
    let ct3 = h("A826FD8CE53B855FCCE21C8112256FE668D5C05DD9B6B900");
    for (key, pt, ct) in [(&key, &pt, &ct), (&key3, &pt3, &ct3)] {
        for (p, c) in pt.chunks(8).zip(ct.chunks(8)) {
            let (p, c): ([u8; 8], [u8; 8]) = (p.try_into().unwrap(), c.try_into().unwrap());
            assert_eq!(ours(key, p, false), c);
            assert_eq!(ours(key, c, true), p);
        }
    }
    // The same single-DES key as a two- and three-key TDES key.
    let key2 = [key.clone(), key.clone()].concat();
    let (p, c): ([u8; 8], [u8; 8]) = (pt[..8].try_into().unwrap(), ct[..8].try_into().unwrap());
    assert_eq!(ours(&key2, p, false), c);
    assert_eq!(ours(&[key2, key].concat(), p, false), c);
}

/// One line of the CAVP TDES ECB files: encrypt?, key1, key2, key3,
/// input, output.
type Cavp = (bool, [u8; 8], [u8; 8], [u8; 8], [u8; 8], [u8; 8]);

fn cavp() -> Vec<Cavp> {
    let text = include_str!("testdata/cavp-tdes-ecb.txt");
    let b8 = |s: &str| -> [u8; 8] { h(s).try_into().unwrap() };
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (
                f[0] == "E",
                b8(f[1]),
                b8(f[2]),
                b8(f[3]),
                b8(f[4]),
                b8(f[5]),
            )
        })
        .collect()
}

#[test]
fn nist_cavp_tdes_ecb_known_answers() {
    let cases = cavp();
    assert_eq!(cases.len(), 800);
    for (enc, k1, k2, k3, input, output) in &cases {
        let key3 = [*k1, *k2, *k3].concat();
        assert_eq!(ours(&key3, *input, !enc), *output, "{key3:02x?}");
        let s = TdesSchedule::new(&[*k1, *k2, *k3]);
        let x = u64::from_be_bytes(*input);
        let y = if *enc { s.encrypt(x) } else { s.decrypt(x) };
        assert_eq!(y.to_be_bytes(), *output);
        // Keying options 2 and 3 where the file's keys allow them.
        if k1 == k3 {
            assert_eq!(ours(&[*k1, *k2].concat(), *input, !enc), *output);
        }
        if k1 == k2 && k2 == k3 {
            assert_eq!(ours(k1, *input, !enc), *output);
        }
    }
    // All of them at once through the batch interface, encryptions and
    // decryptions apart.
    for enc in [true, false] {
        let sel: Vec<_> = cases.iter().filter(|c| c.0 == enc).collect();
        let keys: Vec<TdesKey> = sel
            .iter()
            .map(|c| TdesKey::from_slice(&[c.1, c.2, c.3].concat()).unwrap())
            .collect();
        let mut blocks: Vec<[u8; 8]> = sel.iter().map(|c| c.4).collect();
        if enc {
            tdes_encrypt_many(&keys, &mut blocks).unwrap();
        } else {
            tdes_decrypt_many(&keys, &mut blocks).unwrap();
        }
        let want: Vec<[u8; 8]> = sel.iter().map(|c| c.5).collect();
        assert_eq!(blocks, want);
    }
}

#[test]
fn single_block_matches_the_des_crate() {
    let mut rng = Rng(2);
    for _ in 0..3000 {
        let key: [u8; 24] = rng.bytes();
        let block: [u8; 8] = rng.bytes();
        for len in [8, 16, 24] {
            let k = &key[..len];
            for decrypt in [false, true] {
                assert_eq!(
                    ours(k, block, decrypt),
                    oracle(k, block, decrypt),
                    "key {k:02x?} block {block:02x?} decrypt {decrypt}"
                );
            }
        }
    }
}

#[test]
fn decrypt_inverts_encrypt() {
    let mut rng = Rng(3);
    for _ in 0..1000 {
        let s = TdesSchedule::new(&[rng.bytes(), rng.bytes(), rng.bytes()]);
        let x = rng.next();
        assert_eq!(s.decrypt(s.encrypt(x)), x);
        assert_eq!(s.encrypt(s.decrypt(x)), x);
    }
}

/// The six S-box inputs as truth tables over the 64 lanes: lane `x` holds
/// input `x`, first bit most significant.
fn input_tables() -> [u64; 6] {
    core::array::from_fn(|k| {
        (0..64u32)
            .filter(|x| (x >> (5usize.wrapping_sub(k))) & 1 == 1)
            .fold(0, |t, x| t | (1 << x))
    })
}

#[test]
fn sbox_circuits_compute_the_sboxes_on_every_input() {
    use super::sbox::{s1, s2, s3, s4, s5, s6, s7, s8};
    type F = fn(u64, u64, u64, u64, u64, u64) -> [u64; 4];
    let f: [F; 8] = [s1, s2, s3, s4, s5, s6, s7, s8];
    let [a1, a2, a3, a4, a5, a6] = input_tables();
    for (s, sbox) in f.iter().enumerate() {
        let want: [u64; 4] = core::array::from_fn(|j| sbox_truth_table(s, j));
        assert_eq!(sbox(a1, a2, a3, a4, a5, a6), want, "S{}", s + 1);
    }
}

#[test]
fn slicing_is_a_transpose_and_unslicing_inverts_it() {
    let mut rng = Rng(4);
    for n in [0usize, 1, 2, 63, 64] {
        let words: Vec<u64> = (0..n).map(|_| rng.next()).collect();
        let mut s = [0u64; 64];
        slice(&words, &mut s);
        for (q, sl) in s.iter().enumerate() {
            for l in 0..64 {
                let want = words.get(l).map_or(0, |w| (w >> q) & 1);
                assert_eq!((sl >> l) & 1, want);
            }
        }
        let mut back = std::vec![0u64; n];
        unslice(&s, &mut back);
        assert_eq!(back, words);
    }
}

#[test]
fn bitsliced_passes_match_single_blocks_in_every_lane() {
    let mut rng = Rng(5);
    for mode in [Mode::DesEncrypt, Mode::TdesEncrypt, Mode::TdesDecrypt] {
        for n in [1usize, 2, 5, 33, 63, 64] {
            let keys: Vec<[u64; 3]> = (0..n)
                .map(|_| [rng.next(), rng.next(), rng.next()])
                .collect();
            let blocks: Vec<u64> = (0..n).map(|_| rng.next()).collect();
            let mut got = blocks.clone();
            pass(mode, &keys, &mut got);
            for ((k, b), g) in keys.iter().zip(&blocks).zip(&got) {
                let [k1, k2, k3] = k.map(u64::to_be_bytes);
                let want = match mode {
                    Mode::DesEncrypt => oracle(&k1, b.to_be_bytes(), false),
                    Mode::TdesEncrypt => oracle(&[k1, k2, k3].concat(), b.to_be_bytes(), false),
                    Mode::TdesDecrypt => oracle(&[k1, k2, k3].concat(), b.to_be_bytes(), true),
                };
                assert_eq!(g.to_be_bytes(), want, "{mode:?} n {n}");
            }
        }
    }
}

#[test]
fn batches_of_every_size_match_the_des_crate() {
    let mut rng = Rng(6);
    for n in [0usize, 1, 2, 5, 6, 7, 31, 64, 65, 70, 71, 128, 129, 300] {
        // Every lane gets a key of its own length: 8, 16 or 24 bytes.
        let raw: Vec<([u8; 24], usize)> = [8, 16, 24]
            .into_iter()
            .cycle()
            .take(n)
            .map(|len| (rng.bytes(), len))
            .collect();
        let keys: Vec<TdesKey> = raw
            .iter()
            .map(|(k, len)| TdesKey::from_slice(&k[..*len]).unwrap())
            .collect();
        let blocks: Vec<[u8; 8]> = (0..n).map(|_| rng.bytes()).collect();
        for decrypt in [false, true] {
            let mut got = blocks.clone();
            tdes_many(&keys, &mut got, decrypt);
            for (((k, len), b), g) in raw.iter().zip(&blocks).zip(&got) {
                assert_eq!(
                    *g,
                    oracle(&k[..*len], *b, decrypt),
                    "n {n} decrypt {decrypt}"
                );
            }
        }
        let des_keys: Vec<[u8; 8]> = (0..n).map(|_| rng.bytes()).collect();
        let mut got = blocks.clone();
        des_encrypt_many(&des_keys, &mut got);
        for ((k, b), g) in des_keys.iter().zip(&blocks).zip(&got) {
            assert_eq!(*g, oracle(k, *b, false), "des n {n}");
        }
    }
}

#[test]
fn batch_refuses_mismatched_lengths() {
    let keys = [TdesKey::from_slice(&[1u8; 16]).unwrap()];
    let mut none: [[u8; 8]; 0] = [];
    let mut two = [[0u8; 8]; 2];
    assert_eq!(
        tdes_encrypt_many(&keys, &mut none),
        Err(Error::InvalidLength)
    );
    assert_eq!(
        tdes_decrypt_many(&keys, &mut two),
        Err(Error::InvalidLength)
    );
    assert_eq!(
        crate::cipher::des_encrypt_many(&[[0u8; 8]; 3], &mut two),
        Err(Error::InvalidLength)
    );
    // An empty batch is fine and does nothing.
    assert_eq!(tdes_encrypt_many(&[], &mut none), Ok(()));
}

/// The round keys bit by bit from the FIPS tables: S-box `s`'s chunk at
/// the places of its E window in a half, odd S-boxes in word 0.
fn reference_schedule(key: u64) -> [[u32; 2]; 16] {
    let mut out = [[0u32; 2]; 16];
    for (r, words) in out.iter_mut().enumerate() {
        // Round-key bit k is input bit o of S-box s = k / 6 + 1, which E
        // takes from R bit E[k].
        for k in 0..48usize {
            let b = u32::from(super::tables::round_key_source(r, k));
            let bit = ((key >> (64 - b)) & 1) as u32;
            let place = half_pos(u32::from(E[k]));
            words[usize::from((k / 6) % 2 == 1)] |= bit << place;
        }
    }
    out
}

#[test]
fn key_schedule_matches_pc1_shifts_pc2_bit_by_bit() {
    let mut rng = Rng(7);
    for _ in 0..2000 {
        let k = rng.next();
        assert_eq!(
            super::DesKeys::new(&k.to_be_bytes()).0,
            reference_schedule(k),
            "{k:016x}"
        );
    }
    for b in 0..64 {
        let k = 1u64 << b;
        assert_eq!(
            super::DesKeys::new(&k.to_be_bytes()).0,
            reference_schedule(k),
            "bit {b}"
        );
    }
}

#[test]
fn constant_schedule_matches_the_key_schedule() {
    let mut rng = Rng(11);
    for _ in 0..500 {
        let k = rng.next();
        assert_eq!(
            super::tables::constant_schedule(k),
            super::DesKeys::new(&k.to_be_bytes()).0,
            "{k:016x}"
        );
    }
}

#[test]
fn pairs_side_by_side_match_the_des_crate() {
    use super::{
        MaskSchedule, des_encrypt_pair_masked, tdes2_encrypt_pair_masked, tdes2_encrypt_words,
    };
    let mut rng = Rng(12);
    for _ in 0..200 {
        let (k, m, a, b) = (rng.next(), rng.next(), rng.next(), rng.next());
        let mask = MaskSchedule::new(m);
        let des = |key: u64, x: u64| {
            u64::from_be_bytes(oracle(&key.to_be_bytes(), x.to_be_bytes(), false))
        };
        assert_eq!(
            des_encrypt_pair_masked(k, &mask, a, b),
            (des(k, a), des(k ^ m, b))
        );
        let k2 = rng.next();
        let tdes = |l: u64, r: u64, x: u64| {
            let key = [l.to_be_bytes(), r.to_be_bytes()].concat();
            u64::from_be_bytes(oracle(&key, x.to_be_bytes(), false))
        };
        assert_eq!(
            tdes2_encrypt_pair_masked(&[k, k2], &mask, a),
            (tdes(k, k2, a), tdes(k ^ m, k2 ^ m, a))
        );
        for n in 0..6 {
            let mut blocks: Vec<u64> = (0..n).map(|_| rng.next()).collect();
            let want: Vec<u64> = blocks.iter().map(|x| tdes(k, k2, *x)).collect();
            tdes2_encrypt_words(&[k, k2], &mut blocks);
            assert_eq!(blocks, want, "{n} blocks");
        }
    }
}

/// The rounds of 32-bit targets (firmware), compiled in the host's tests
/// too: forward and backward, under a key and under the key XOR a mask's
/// key (`DesKeys::rounds` with the mask's schedule), against the `des`
/// crate.
#[test]
fn firmware_rounds_match_the_des_crate() {
    use super::{DesKeys, NO_MASK, fp2, ip2};
    let mut rng = Rng(15);
    for _ in 0..200 {
        let (k, m, x) = (rng.next(), rng.next(), rng.next());
        let keys = DesKeys::new(&k.to_be_bytes());
        let mask = DesKeys::new(&m.to_be_bytes());
        for decrypt in [false, true] {
            for (schedule, key) in [(&NO_MASK, k), (&mask.0, k ^ m)] {
                let (mut l, mut r) = ip(x);
                keys.rounds(schedule, decrypt, &mut l, &mut r);
                let want = oracle(&key.to_be_bytes(), x.to_be_bytes(), decrypt);
                assert_eq!(fp(l, r).to_be_bytes(), want, "{k:016X} {m:016X} {x:016X}");
            }
            // A pair: x under the key, y under the key XOR the mask's key.
            let y = rng.next();
            let (mut a, mut b) = (ip2(x), ip2(y));
            keys.rounds_pair(&mask.0, decrypt, &mut a, &mut b);
            assert_eq!(
                fp2(a).to_be_bytes(),
                oracle(&k.to_be_bytes(), x.to_be_bytes(), decrypt)
            );
            assert_eq!(
                fp2(b).to_be_bytes(),
                oracle(&(k ^ m).to_be_bytes(), y.to_be_bytes(), decrypt)
            );
        }
    }
}
