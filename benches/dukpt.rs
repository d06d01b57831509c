//! Benchmarks of DUKPT: host derivation of a PIN key at a worst-case
//! counter (ten one-bits for TDES, sixteen for AES) from the BDK (what a
//! switch does per PIN block: the user's path) and from the initial key,
//! the transaction key alone (what openemv/dukpt's `derive_txn_key`
//! times), one terminal transaction, a terminal's load and its saved state
//! (save and check), and the batch host derivation per KSN.
//!
//! Measure the release profile users get:
//! `CARGO_PROFILE_BENCH_LTO=fat CARGO_PROFILE_BENCH_CODEGEN_UNITS=1 cargo
//! bench --bench dukpt -- --warm-up-time 1 --measurement-time 3`.
#![allow(
    missing_docs,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::cast_possible_truncation,
    clippy::integer_division_remainder_used,
    reason = "benchmark harness, not kernel code"
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use paykernel::dukpt::aes::{self, AesTerminal, KeyType, KeyUsage, WorkingKey};
use paykernel::dukpt::tdes::{self, TdesTerminal, Variant};
use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
use paykernel::{AesKey, TdesKey};

const BATCH: usize = 256;

fn tdes_benches(c: &mut Criterion) {
    let bdk = TdesKey::from_slice(&[0x13; 16]).expect("key");
    let ksn0 = TdesKsn::from_hex("FFFF9876543210E00000").expect("ksn");
    let ipek = tdes::derive_initial_key(&bdk, &ksn0).expect("ipek");
    // Ten one-bits: the most a terminal uses, the host's worst case.
    let worst = ksn0.with_counter(TdesKsn::MAX_COUNTER).expect("ksn");
    let mut g = c.benchmark_group("dukpt-tdes");
    g.bench_function("host-pin-key-10-ones-from-bdk", |b| {
        b.iter(|| {
            tdes::derive_working_key_from_bdk(black_box(&bdk), black_box(&worst), Variant::Pin)
        })
    });
    g.bench_function("host-pin-key-10-ones-from-ipek", |b| {
        b.iter(|| tdes::derive_working_key(black_box(&ipek), black_box(&worst), Variant::Pin))
    });
    g.bench_function("host-transaction-key-10-ones-from-ipek", |b| {
        b.iter(|| tdes::derive_transaction_key(black_box(&ipek), black_box(&worst)))
    });
    g.bench_function("host-ipek", |b| {
        b.iter(|| tdes::derive_initial_key(black_box(&bdk), black_box(&worst)))
    });
    g.bench_function("terminal-step-pin", |b| {
        let mut t = TdesTerminal::load_initial_key(&ipek, &ksn0).expect("load");
        b.iter(|| {
            if t.is_exhausted() {
                t = TdesTerminal::load_initial_key(&ipek, &ksn0).expect("load");
            }
            black_box(t.next_transaction(Variant::Pin))
        })
    });
    g.bench_function("terminal-load", |b| {
        b.iter(|| TdesTerminal::load_initial_key(black_box(&ipek), black_box(&ksn0)))
    });
    g.bench_function("terminal-save", |b| {
        let t = TdesTerminal::load_initial_key(&ipek, &ksn0).expect("load");
        let mut buf = [0u8; TdesTerminal::STATE_LEN];
        b.iter(|| black_box(&t).save_into(black_box(&mut buf)))
    });
    g.bench_function("terminal-load-saved", |b| {
        let saved = TdesTerminal::load_initial_key(&ipek, &ksn0)
            .expect("load")
            .to_bytes();
        b.iter(|| TdesTerminal::from_bytes(black_box(&saved)))
    });
    // A switch's batch: KSNs of many devices, counters with 10 one-bits.
    let ksns: Vec<TdesKsn> = (0..BATCH as u32)
        .map(|i| {
            let mut b = *ksn0.as_bytes();
            b[3] = i as u8;
            TdesKsn::from_bytes(b)
                .with_counter(TdesKsn::MAX_COUNTER >> (i % 11))
                .expect("ksn")
        })
        .collect();
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("host-batch-pin-key-per-256-ksns", |b| {
        let mut out: Vec<TdesKey> = ksns
            .iter()
            .map(|_| TdesKey::from_slice(&[0; 16]).expect("key"))
            .collect();
        b.iter(|| {
            tdes::derive_working_keys_many(
                black_box(&bdk),
                black_box(&ksns),
                Variant::Pin,
                &mut out,
            )
        })
    });
    g.bench_function("host-loop-pin-key-per-256-ksns", |b| {
        b.iter(|| {
            for k in &ksns {
                black_box(tdes::derive_working_key_from_bdk(&bdk, k, Variant::Pin).expect("key"));
            }
        })
    });
    g.finish();
}

fn aes_benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("dukpt-aes");
    let id = InitialKeyId::from_hex("1234567890123456").expect("id");
    for n in [16usize, 32] {
        let bdk = AesKey::from_slice(&vec![0x42; n]).expect("key");
        let ik = aes::derive_initial_key(&bdk, &id).expect("ik");
        let kt = KeyType::of_aes(ik.length());
        let bits = n * 8;
        // Sixteen one-bits: the host's worst case for a usable counter.
        let worst = id.ksn(AesKsn::MAX_COUNTER);
        g.bench_function(format!("host-transaction-key-16-ones-aes{bits}"), |b| {
            b.iter(|| aes::derive_transaction_key(black_box(&ik), black_box(&worst)))
        });
        g.bench_function(format!("host-pin-key-16-ones-aes{bits}"), |b| {
            b.iter(|| {
                aes::derive_working_key(
                    black_box(&ik),
                    black_box(&worst),
                    kt,
                    KeyUsage::PinEncryption,
                )
            })
        });
        g.bench_function(format!("host-pin-key-16-ones-from-bdk-aes{bits}"), |b| {
            b.iter(|| {
                aes::derive_working_key_from_bdk(
                    black_box(&bdk),
                    black_box(&worst),
                    kt,
                    KeyUsage::PinEncryption,
                )
            })
        });
        g.bench_function(format!("terminal-step-pin-aes{bits}"), |b| {
            let mut t = AesTerminal::load_initial_key(&ik, &id.ksn(0)).expect("load");
            b.iter(|| black_box(t.next_transaction(kt, KeyUsage::PinEncryption)))
        });
        g.bench_function(format!("terminal-load-aes{bits}"), |b| {
            b.iter(|| AesTerminal::load_initial_key(black_box(&ik), black_box(&id.ksn(0))))
        });
        g.bench_function(format!("terminal-save-aes{bits}"), |b| {
            let t = AesTerminal::load_initial_key(&ik, &id.ksn(0)).expect("load");
            let mut buf = [0u8; AesTerminal::MAX_STATE_LEN];
            b.iter(|| black_box(&t).save_into(black_box(&mut buf)))
        });
        g.bench_function(format!("terminal-load-saved-aes{bits}"), |b| {
            let saved = AesTerminal::load_initial_key(&ik, &id.ksn(0))
                .expect("load")
                .to_bytes();
            b.iter(|| AesTerminal::from_bytes(black_box(&saved)))
        });
    }
    let bdk = AesKey::from_slice(&[0x42; 16]).expect("key");
    let ksns: Vec<AesKsn> = (0..BATCH as u32)
        .map(|i| {
            InitialKeyId::from_bytes([1, 2, 3, 4, 5, 6, 7, i as u8])
                .ksn(AesKsn::MAX_COUNTER >> (i % 17))
        })
        .collect();
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("host-batch-pin-key-per-256-ksns-aes128", |b| {
        let mut out: Vec<WorkingKey> = ksns
            .iter()
            .map(|_| WorkingKey::Aes(AesKey::from_slice(&[0; 16]).expect("key")))
            .collect();
        b.iter(|| {
            aes::derive_working_keys_many(
                black_box(&bdk),
                black_box(&ksns),
                KeyType::Aes128,
                KeyUsage::PinEncryption,
                &mut out,
            )
        })
    });
    g.finish();
}

criterion_group!(benches, tdes_benches, aes_benches);
criterion_main!(benches);
