//! paykernel next to OpenSSL on the same inputs, in one process.
//!
//! Every row first checks that both sides give the same answer, then
//! times them in alternating samples (kernel, peer, kernel, ...) so that
//! the machine's load falls on both alike, and prints the fastest sample of
//! each side per call and their ratio (paykernel ÷ OpenSSL: below 1 is
//! faster). Run it with
//! `benches/peers/run.sh`, which installs libssl-dev and prints the date,
//! the machine and the versions above the table.
//!
//! `PEERS_SAMPLES` (default 21) samples of `PEERS_SAMPLE_MS` (default 5)
//! milliseconds per side and row; `PEERS_FILTER` keeps the rows whose name
//! contains it. `PEERS_COUNT=N` times nothing: it calls each side of each
//! row N times inside [`count_kernel`] and [`count_openssl`], for
//! `callgrind.sh` (instruction counts, which the machine's load does not
//! change).

mod dukpt;
mod ffi;

use std::hint::black_box;
use std::time::Instant;

use openssl::bn::{BigNum, BigNumContext};
use openssl::ec::{EcGroup, EcKey, EcPoint};
use openssl::ecdsa::EcdsaSig;
use openssl::nid::Nid;
use openssl::symm::{Cipher, Crypter, Mode};
use paykernel::dukpt::aes::{self as aes_dukpt};
use paykernel::dukpt::tdes::{self as tdes_dukpt, Variant};
use paykernel::dukpt::{AesKsn, TdesKsn};
use paykernel::mac::{
    AesCmac, MacCheck, Padding, RetailMac, TdesCmac, verify_retail_macs, verify_tdes_cmacs,
};
use paykernel::sign::{PublicKey, SigningKey};
use paykernel::{AesCipher, AesKey, TdesCipher, TdesKey, tdes_encrypt_many};

use crate::ffi::{Cmac, DesKeySchedule, ecb3, ncbc_encrypt};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Nanoseconds per call of `f` over `iters` calls.
fn per_call(f: &mut dyn FnMut(), iters: u64) -> f64 {
    let t = Instant::now();
    for _ in 0..iters {
        f();
    }
    t.elapsed().as_secs_f64() * 1e9 / iters as f64
}

/// How many calls of `f` take about `ms` milliseconds.
fn calibrate(f: &mut dyn FnMut(), ms: u64) -> u64 {
    let mut n = 1u64;
    loop {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        let e = t.elapsed().as_secs_f64();
        if e > 0.002 {
            return ((ms as f64 / 1e3) / (e / n as f64)).ceil().max(1.0) as u64;
        }
        n *= 2;
    }
}

/// The fastest sample: on a shared machine, the one least disturbed by
/// other work (both sides are sampled alternately, so they get the same
/// chances).
fn best(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

struct Row {
    name: &'static str,
    peer: &'static str,
    /// Items per call (a batch row reports per item).
    per: u64,
    kernel: Box<dyn FnMut()>,
    openssl: Box<dyn FnMut()>,
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 10_000.0 {
        format!("{:.1} µs", ns / 1e3)
    } else if ns >= 1_000.0 {
        format!("{:.2} µs", ns / 1e3)
    } else if ns >= 100.0 {
        format!("{ns:.0} ns")
    } else {
        format!("{ns:.1} ns")
    }
}

fn h<const N: usize>(s: &str) -> [u8; N] {
    let v = hex_decode(s);
    v.try_into().expect("length")
}

fn hex_decode(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// A pseudo-random byte string (splitmix64), the same on both sides.
fn bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) as u8
        })
        .collect()
}

fn k8(k: &[u8]) -> [u8; 8] {
    k[..8].try_into().expect("8 bytes")
}

/// The retail MAC (ISO/IEC 9797-1 algorithm 3, padding method 1 on whole
/// blocks) as a C program on OpenSSL's DES calls: single DES under K for
/// every block but the last, E(K, D(K', E(K, .))) for the last.
fn retail_openssl(k: &DesKeySchedule, k2: &DesKeySchedule, data: &[u8]) -> [u8; 8] {
    let mut h = [0u8; 8];
    let n = data.len() / 8;
    for (i, b) in data.chunks_exact(8).enumerate() {
        for (x, d) in h.iter_mut().zip(b) {
            *x ^= d;
        }
        if i + 1 < n {
            k.ecb(&mut h, true);
        } else {
            ecb3(&mut h, k, k2, k, true);
        }
    }
    h
}

fn rows() -> Vec<Row> {
    let mut rows = Vec::new();

    // --- AES ------------------------------------------------------------------
    // FIPS 197 Appendix C.1.
    let key = h::<16>("000102030405060708090A0B0C0D0E0F");
    let pt = h::<16>("00112233445566778899AABBCCDDEEFF");
    let ct = h::<16>("69C4E0D86A7B0430D8CDB78070B4C55A");
    let aes = AesCipher::new(&AesKey::from_slice(&key).expect("key"));
    let mut evp = Crypter::new(Cipher::aes_128_ecb(), Mode::Encrypt, &key, None).expect("evp");
    evp.pad(false);
    let mut b = pt;
    aes.encrypt_block(&mut b);
    assert_eq!(b, ct);
    let mut out = [0u8; 32];
    assert_eq!(evp.update(&pt, &mut out).expect("evp"), 16);
    assert_eq!(out[..16], ct);
    rows.push(Row {
        name: "AES-128 block, key set",
        peer: "EVP aes-128-ecb, EVP_EncryptUpdate of 16 B",
        per: 1,
        kernel: Box::new(move || {
            let mut b = black_box(pt);
            aes.encrypt_block(&mut b);
            black_box(b);
        }),
        openssl: Box::new(move || {
            let mut out = [0u8; 32];
            evp.update(black_box(&pt), &mut out).expect("evp");
            black_box(out);
        }),
    });

    // --- AES-CMAC -------------------------------------------------------------
    let key = h::<16>("2B7E151628AED2A6ABF7158809CF4F3C");
    let msg = bytes(1024, 1);
    let mac = AesCmac::new(&AesKey::from_slice(&key).expect("key"));
    // SAFETY: a static cipher description.
    let mut cm = Cmac::new(unsafe { openssl_sys::EVP_aes_128_cbc() }, &key);
    let mut o = [0u8; 16];
    cm.mac(&msg, &mut o);
    assert_eq!(mac.compute(&msg), o);
    let m2 = msg.clone();
    rows.push(Row {
        name: "AES-CMAC 1 KiB",
        peer: "CMAC_Init (key kept) + CMAC_Update + CMAC_Final, aes-128-cbc",
        per: 1,
        kernel: Box::new(move || {
            black_box(mac.compute(black_box(&msg)));
        }),
        openssl: Box::new(move || {
            let mut o = [0u8; 16];
            cm.mac(black_box(&m2), &mut o);
            black_box(o);
        }),
    });

    // --- TDES -----------------------------------------------------------------
    let key = h::<16>("0123456789ABCDEFFEDCBA9876543210");
    let tdes = TdesCipher::new(&TdesKey::from_slice(&key).expect("key"));
    let (s1, s2) = (
        DesKeySchedule::new(&k8(&key)),
        DesKeySchedule::new(&k8(&key[8..])),
    );
    let blk = h::<8>("0000000000000000");
    let mut a = blk;
    tdes.encrypt_block(&mut a);
    let mut b = blk;
    ecb3(&mut b, &s1, &s2, &s1, true);
    assert_eq!(a, b);
    // Two-key TDES KCV of this key (psec): 08D7B4.
    assert_eq!(a[..3], h::<3>("08D7B4"));
    rows.push(Row {
        name: "TDES block (two-key), key set",
        peer: "DES_ecb3_encrypt",
        per: 1,
        kernel: Box::new(move || {
            let mut b = black_box(blk);
            tdes.encrypt_block(&mut b);
            black_box(b);
        }),
        openssl: Box::new(move || {
            let mut b = black_box(blk);
            ecb3(&mut b, &s1, &s2, &s1, true);
            black_box(b);
        }),
    });

    // One key, 1024 blocks: the kernel's bitsliced batch against OpenSSL's
    // bulk ECB.
    let tdes = TdesCipher::new(&TdesKey::from_slice(&key).expect("key"));
    let data = bytes(8 * 1024, 2);
    let blocks: Vec<[u8; 8]> = data.chunks_exact(8).map(k8).collect();
    let key3 = [&key[..], &key[..8]].concat();
    let mut evp = Crypter::new(Cipher::des_ede3(), Mode::Encrypt, &key3, None).expect("evp");
    evp.pad(false);
    let mut mine = blocks.clone();
    tdes.encrypt_blocks(&mut mine);
    let mut out = vec![0u8; data.len() + 8];
    assert_eq!(evp.update(&data, &mut out).expect("evp"), data.len());
    assert_eq!(mine.concat(), out[..data.len()]);
    let mut work = blocks.clone();
    rows.push(Row {
        name: "TDES batch, one key, per block (1024 blocks)",
        peer: "EVP des-ede3 (K1 K2 K1), one EVP_EncryptUpdate of 8 KiB",
        per: 1024,
        kernel: Box::new(move || {
            work.copy_from_slice(&blocks);
            tdes.encrypt_blocks(black_box(&mut work));
            black_box(&work);
        }),
        openssl: Box::new(move || {
            evp.update(black_box(&data), &mut out).expect("evp");
            black_box(&out);
        }),
    });

    // A key per block (a switch's DUKPT and PIN work): the kernel's
    // bitsliced many-keys batch against a schedule and DES_ecb3_encrypt
    // per block.
    let raw = bytes(16 * 1024, 3);
    let keys: Vec<TdesKey> = raw
        .chunks_exact(16)
        .map(|k| TdesKey::from_slice(k).expect("key"))
        .collect();
    let blocks: Vec<[u8; 8]> = bytes(8 * 1024, 4).chunks_exact(8).map(k8).collect();
    let mut mine = blocks.clone();
    tdes_encrypt_many(&keys, &mut mine).expect("batch");
    let theirs: Vec<[u8; 8]> = raw
        .chunks_exact(16)
        .zip(&blocks)
        .map(|(k, b)| {
            let (a, c) = (
                DesKeySchedule::new(&k8(k)),
                DesKeySchedule::new(&k8(&k[8..])),
            );
            let mut x = *b;
            ecb3(&mut x, &a, &c, &a, true);
            x
        })
        .collect();
    assert_eq!(mine, theirs);
    let mut work = blocks.clone();
    let b2 = blocks.clone();
    let mut w2 = blocks.clone();
    rows.push(Row {
        name: "TDES batch, a key per block, per block (1024 blocks)",
        peer: "DES_set_key_unchecked ×2 + DES_ecb3_encrypt per block",
        per: 1024,
        kernel: Box::new(move || {
            work.copy_from_slice(&blocks);
            tdes_encrypt_many(black_box(&keys), &mut work).expect("batch");
            black_box(&work);
        }),
        openssl: Box::new(move || {
            for ((k, b), o) in raw.chunks_exact(16).zip(&b2).zip(w2.iter_mut()) {
                let (a, c) = (
                    DesKeySchedule::new(&k8(k)),
                    DesKeySchedule::new(&k8(&k[8..])),
                );
                *o = *b;
                ecb3(o, &a, &c, &a, true);
            }
            black_box(&w2);
        }),
    });

    // --- retail MAC -------------------------------------------------------------
    let key = h::<16>("7962D9ECE03D1ACD4C76089DCE131543");
    let data = bytes(1024, 5);
    let retail = RetailMac::new(&TdesKey::from_slice(&key).expect("key")).expect("retail");
    let (s1, s2) = (
        DesKeySchedule::new(&k8(&key)),
        DesKeySchedule::new(&k8(&key[8..])),
    );
    let mine = retail.compute(&data, Padding::Method1).expect("mac");
    assert_eq!(mine, retail_openssl(&s1, &s2, &data));
    let mut scratch = vec![0u8; 1024];
    let mut iv = [0u8; 8];
    ncbc_encrypt(&data[..1016], &mut scratch, &s1, &mut iv);
    for (x, d) in iv.iter_mut().zip(&data[1016..]) {
        *x ^= d;
    }
    ecb3(&mut iv, &s1, &s2, &s1, true);
    assert_eq!(mine, iv);
    let d2 = data.clone();
    let d3 = data.clone();
    let d4 = data.clone();
    let retail2 = RetailMac::new(&TdesKey::from_slice(&key).expect("key")).expect("retail");
    rows.push(Row {
        name: "retail MAC 1 KiB",
        peer: "DES_ecb_encrypt per block, DES_ecb3_encrypt for the last",
        per: 1,
        kernel: Box::new(move || {
            black_box(
                retail
                    .compute(black_box(&data), Padding::Method1)
                    .expect("mac"),
            );
        }),
        openssl: Box::new(move || {
            black_box(retail_openssl(&s1, &s2, black_box(&d2)));
        }),
    });
    rows.push(Row {
        name: "retail MAC 1 KiB (OpenSSL's CBC loop)",
        peer: "DES_ncbc_encrypt of 1016 B, DES_ecb3_encrypt for the last",
        per: 1,
        kernel: Box::new(move || {
            black_box(
                retail2
                    .compute(black_box(&d3), Padding::Method1)
                    .expect("mac"),
            );
        }),
        openssl: Box::new(move || {
            let mut iv = [0u8; 8];
            ncbc_encrypt(&d4[..1016], &mut scratch, &s1, &mut iv);
            for (x, d) in iv.iter_mut().zip(&d4[1016..]) {
                *x ^= d;
            }
            ecb3(&mut iv, &s1, &s2, &s1, true);
            black_box(iv);
        }),
    });

    // --- TDES-CMAC ----------------------------------------------------------------
    // NIST SP 800-38B D.5 two-key TDEA key, a 64-byte message.
    let key = h::<16>("4CF15134A2850DD58A3D10BA80570D38");
    let msg = bytes(64, 6);
    let mac = TdesCmac::new(&TdesKey::from_slice(&key).expect("key"));
    // SAFETY: a static cipher description.
    let mut cm = Cmac::new(unsafe { ffi::EVP_des_ede_cbc() }, &key);
    let mut o = [0u8; 8];
    cm.mac(&msg, &mut o);
    assert_eq!(mac.compute(&msg), o);
    let m2 = msg.clone();
    rows.push(Row {
        name: "TDES-CMAC 64 B",
        peer: "CMAC_Init (key kept) + CMAC_Update + CMAC_Final, des-ede-cbc",
        per: 1,
        kernel: Box::new(move || {
            black_box(mac.compute(black_box(&msg)));
        }),
        openssl: Box::new(move || {
            let mut o = [0u8; 8];
            cm.mac(black_box(&m2), &mut o);
            black_box(o);
        }),
    });

    // --- batch MAC checks ----------------------------------------------------------
    // 256 messages, each under its own key, checked in one call (four passes
    // of 64), per message; against OpenSSL's single chain with its key
    // already set (the single rows' peers).
    const BATCH: usize = 256;
    let raw = bytes(16 * BATCH, 8);
    let keys: Vec<TdesKey> = raw
        .chunks_exact(16)
        .map(|k| TdesKey::from_slice(k).expect("key"))
        .collect();
    let msgs: Vec<Vec<u8>> = (0..BATCH).map(|i| bytes(1024, 100 + i as u64)).collect();
    let tags: Vec<[u8; 8]> = keys
        .iter()
        .zip(&msgs)
        .map(|(k, m)| {
            RetailMac::new(k)
                .expect("retail")
                .compute(m, Padding::Method1)
                .expect("mac")
        })
        .collect();
    for ((k, m), t) in raw.chunks_exact(16).zip(&msgs).zip(&tags) {
        let (a, b) = (
            DesKeySchedule::new(&k8(k)),
            DesKeySchedule::new(&k8(&k[8..])),
        );
        assert_eq!(retail_openssl(&a, &b, m), *t);
    }
    let mut verdicts = vec![false; BATCH];
    {
        let items: Vec<MacCheck<'_>> = keys
            .iter()
            .zip(&msgs)
            .zip(&tags)
            .map(|((key, data), tag)| MacCheck { key, data, tag })
            .collect();
        verify_retail_macs(&items, Padding::Method1, 8, &mut verdicts).expect("batch");
    }
    assert!(verdicts.iter().all(|v| *v));
    let key = h::<16>("7962D9ECE03D1ACD4C76089DCE131543");
    let (s1, s2) = (
        DesKeySchedule::new(&k8(&key)),
        DesKeySchedule::new(&k8(&key[8..])),
    );
    let one = bytes(1024, 5);
    rows.push(Row {
        name: "batch retail MAC check 1 KiB, own keys, per message (256)",
        peer: "one retail MAC 1 KiB on DES_ecb_encrypt, key set",
        per: BATCH as u64,
        kernel: Box::new(move || {
            let items: Vec<MacCheck<'_>> = keys
                .iter()
                .zip(&msgs)
                .zip(&tags)
                .map(|((key, data), tag)| MacCheck { key, data, tag })
                .collect();
            verify_retail_macs(black_box(&items), Padding::Method1, 8, &mut verdicts)
                .expect("batch");
            black_box(&verdicts);
        }),
        // As many single chains as the batch has messages.
        openssl: Box::new(move || {
            for _ in 0..BATCH {
                black_box(retail_openssl(&s1, &s2, black_box(&one)));
            }
        }),
    });

    let raw = bytes(16 * BATCH, 9);
    let keys: Vec<TdesKey> = raw
        .chunks_exact(16)
        .map(|k| TdesKey::from_slice(k).expect("key"))
        .collect();
    let msgs: Vec<Vec<u8>> = (0..BATCH).map(|i| bytes(64, 1000 + i as u64)).collect();
    let tags: Vec<[u8; 8]> = keys
        .iter()
        .zip(&msgs)
        .map(|(k, m)| TdesCmac::new(k).compute(m))
        .collect();
    for ((k, m), t) in raw.chunks_exact(16).zip(&msgs).zip(&tags) {
        // SAFETY: a static cipher description.
        let mut cm = Cmac::new(unsafe { ffi::EVP_des_ede_cbc() }, k);
        let mut o = [0u8; 8];
        cm.mac(m, &mut o);
        assert_eq!(o, *t);
    }
    let mut verdicts = vec![false; BATCH];
    let key = h::<16>("4CF15134A2850DD58A3D10BA80570D38");
    // SAFETY: a static cipher description.
    let mut cm = Cmac::new(unsafe { ffi::EVP_des_ede_cbc() }, &key);
    let one = bytes(64, 6);
    rows.push(Row {
        name: "batch TDES-CMAC check 64 B, own keys, per message (256)",
        peer: "one TDES-CMAC 64 B, key set (CMAC_Init reused)",
        per: BATCH as u64,
        kernel: Box::new(move || {
            let items: Vec<MacCheck<'_>> = keys
                .iter()
                .zip(&msgs)
                .zip(&tags)
                .map(|((key, data), tag)| MacCheck { key, data, tag })
                .collect();
            verify_tdes_cmacs(black_box(&items), 8, &mut verdicts).expect("batch");
            assert!(verdicts.iter().all(|v| *v));
        }),
        openssl: Box::new(move || {
            for _ in 0..BATCH {
                let mut o = [0u8; 8];
                cm.mac(black_box(&one), &mut o);
                black_box(o);
            }
        }),
    });

    // --- ECDSA P-256 ------------------------------------------------------------------
    let d = h::<32>("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721");
    let digest = h::<32>("AF2BDBE1AA9B6EC1E2ADE1D694F41FC71A831D0268E9891562113D8A62ADD1BF");
    let sk = SigningKey::from_slice(&d).expect("key");
    let pk = sk.public_key();
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).expect("group");
    let dn = BigNum::from_slice(&d).expect("d");
    let mut ctx = BigNumContext::new().expect("ctx");
    let mut q = EcPoint::new(&group).expect("point");
    q.mul_generator2(&group, &dn, &mut ctx).expect("q");
    let priv_key = EcKey::from_private_components(&group, &dn, &q).expect("key");
    let pub_key = EcKey::from_public_key(&group, &q).expect("key");
    let mut ctx = BigNumContext::new().expect("ctx");
    assert_eq!(
        q.to_bytes(
            &group,
            openssl::ec::PointConversionForm::UNCOMPRESSED,
            &mut ctx
        )
        .expect("sec1"),
        pk.to_uncompressed()
    );
    // Each side verifies the other's signature.
    let mine = sk.sign_digest(&digest);
    let (r, s) = mine.as_bytes().split_at(32);
    let as_openssl = EcdsaSig::from_private_components(
        BigNum::from_slice(r).expect("r"),
        BigNum::from_slice(s).expect("s"),
    )
    .expect("sig");
    assert!(as_openssl.verify(&digest, &pub_key).expect("verify"));
    let theirs = EcdsaSig::sign(&digest, &priv_key).expect("sign");
    let mut rs = [0u8; 64];
    rs[..32].copy_from_slice(&theirs.r().to_vec_padded(32).expect("r"));
    rs[32..].copy_from_slice(&theirs.s().to_vec_padded(32).expect("s"));
    assert!(pk.verify_digest(&digest, &rs));
    rows.push(Row {
        name: "ECDSA P-256 sign (32-byte digest)",
        peer: "ECDSA_do_sign (EcdsaSig::sign)",
        per: 1,
        kernel: Box::new(move || {
            black_box(sk.sign_digest(black_box(&digest)));
        }),
        openssl: Box::new(move || {
            black_box(EcdsaSig::sign(black_box(&digest), &priv_key).expect("sign"));
        }),
    });
    let pk2 = PublicKey::from_sec1(&pk.to_compressed()).expect("key");
    rows.push(Row {
        name: "ECDSA P-256 verify",
        peer: "ECDSA_do_verify (EcdsaSig::verify)",
        per: 1,
        kernel: Box::new(move || {
            assert!(pk2.verify_digest(black_box(&digest), black_box(&rs)));
        }),
        openssl: Box::new(move || {
            assert!(theirs.verify(black_box(&digest), &pub_key).expect("verify"));
        }),
    });

    // --- DUKPT ---------------------------------------------------------------------------
    // TDES: the host's PIN key from the BDK at a counter with ten one-bits.
    let bdk = h::<16>("0123456789ABCDEFFEDCBA9876543210");
    let ksn = TdesKsn::from_hex("FFFF9876543210E00000")
        .expect("ksn")
        .with_counter(TdesKsn::MAX_COUNTER)
        .expect("ksn");
    let bdk_key = TdesKey::from_slice(&bdk).expect("key");
    let mine = tdes_dukpt::derive_working_key_from_bdk(&bdk_key, &ksn, Variant::Pin).expect("dukpt");
    let ksn_bytes = *ksn.as_bytes();
    assert_eq!(
        mine.expose_secret(),
        dukpt::tdes_pin_key_from_bdk(&bdk, &ksn_bytes)
    );
    rows.push(Row {
        name: "DUKPT TDES host PIN key from the BDK, 10 one-bits",
        peer: "C-style on DES_set_key_unchecked + DES_ecb(3)_encrypt",
        per: 1,
        kernel: Box::new(move || {
            black_box(
                tdes_dukpt::derive_working_key_from_bdk(black_box(&bdk_key), &ksn, Variant::Pin)
                    .expect("dukpt"),
            );
        }),
        openssl: Box::new(move || {
            black_box(dukpt::tdes_pin_key_from_bdk(black_box(&bdk), &ksn_bytes));
        }),
    });
    // AES: the intermediate derivation (transaction) key at a counter with
    // sixteen one-bits, from the initial key.
    for (name, len) in [
        ("DUKPT AES-128 transaction key, 16 one-bits", 16usize),
        ("DUKPT AES-256 transaction key, 16 one-bits", 32),
    ] {
        let ik = bytes(len, 7 + len as u64);
        let ksn = AesKsn::from_hex("123456789012345600000000")
            .expect("ksn")
            .with_counter(0xFFFF_0000);
        let ik_key = AesKey::from_slice(&ik).expect("key");
        let mine = aes_dukpt::derive_transaction_key(&ik_key, &ksn).expect("dukpt");
        let mut ecb = dukpt::AesEcb::new(len);
        let ksn_bytes = *ksn.as_bytes();
        let theirs = dukpt::aes_transaction_key(&mut ecb, &ik, &ksn_bytes);
        assert_eq!(mine.expose_secret(), &theirs[..len]);
        rows.push(Row {
            name,
            peer: "C-style on one EVP context, re-keyed per step",
            per: 1,
            kernel: Box::new(move || {
                black_box(
                    aes_dukpt::derive_transaction_key(black_box(&ik_key), &ksn).expect("dukpt"),
                );
            }),
            openssl: Box::new(move || {
                black_box(dukpt::aes_transaction_key(
                    &mut ecb,
                    black_box(&ik),
                    &ksn_bytes,
                ));
            }),
        });
    }

    rows
}

/// `n` calls of a row's kernel side: `callgrind.sh` counts the
/// instructions under this function.
#[inline(never)]
fn count_kernel(f: &mut dyn FnMut(), n: u64) {
    for _ in 0..n {
        f();
    }
}

/// `n` calls of a row's OpenSSL side, as [`count_kernel`] (which it must
/// not be merged with: the marker keeps the two bodies apart).
#[inline(never)]
fn count_openssl(f: &mut dyn FnMut(), n: u64) {
    black_box("count_openssl");
    for _ in 0..n {
        f();
    }
}

fn main() {
    let filter = std::env::var("PEERS_FILTER").unwrap_or_default();
    if let Some(n) = std::env::var("PEERS_COUNT").ok().and_then(|v| v.parse().ok()) {
        // The row named exactly so, or every row whose name contains it.
        let exact = rows().iter().any(|r| r.name == filter);
        for mut row in rows() {
            if row.name == filter || (!exact && row.name.contains(filter.as_str())) {
                count_kernel(&mut row.kernel, n);
                count_openssl(&mut row.openssl, n);
            }
        }
        return;
    }
    let samples = env_u64("PEERS_SAMPLES", 21).max(1);
    let ms = env_u64("PEERS_SAMPLE_MS", 5).max(1);
    println!(
        "- OpenSSL: {} (Debian libssl-dev, through the openssl crate)",
        openssl::version::version()
    );
    println!(
        "- {samples} alternating samples of {ms} ms per side and row; the fastest of each side"
    );
    println!();
    println!("| row | paykernel | OpenSSL | ratio | OpenSSL side |");
    println!("|---|---:|---:|---:|---|");
    for mut row in rows() {
        if !row.name.contains(filter.as_str()) {
            continue;
        }
        let nk = calibrate(&mut row.kernel, ms);
        let np = calibrate(&mut row.openssl, ms);
        let mut ks = Vec::new();
        let mut ps = Vec::new();
        for _ in 0..samples {
            ks.push(per_call(&mut row.kernel, nk));
            ps.push(per_call(&mut row.openssl, np));
        }
        let (k, p) = (best(&ks) / row.per as f64, best(&ps) / row.per as f64);
        println!(
            "| {} | {} | {} | {:.2} | {} |",
            row.name,
            fmt_ns(k),
            fmt_ns(p),
            k / p,
            row.peer
        );
    }
}
