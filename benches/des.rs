//! The constant-time DES/TDES next to the `des` crate's table version: one
//! block (encrypt, decrypt), the key schedule, and the batch interface per
//! block at several batch sizes.
//!
//! `cargo bench --bench des -- --warm-up-time 1 --measurement-time 3`
#![allow(
    missing_docs,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::cast_possible_truncation,
    reason = "benchmark harness, not kernel code"
)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use des::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use paykernel::{TdesCipher, TdesKey, tdes_decrypt_many, tdes_encrypt_many};
use std::hint::black_box;

const KEY: [u8; 24] = [
    0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
    0x89, 0xAB, 0xCD, 0xEF, 0x01, 0x23, 0x45, 0x67,
];

fn single_block(c: &mut Criterion) {
    let mut g = c.benchmark_group("des-crate");
    let d1 = des::Des::new_from_slice(&KEY[..8]).unwrap();
    let d2 = des::TdesEde2::new_from_slice(&KEY[..16]).unwrap();
    let d3 = des::TdesEde3::new_from_slice(&KEY).unwrap();
    g.bench_function("des-encrypt", |b| {
        let mut x = [7u8; 8].into();
        b.iter(|| d1.encrypt_block(black_box(&mut x)))
    });
    g.bench_function("tdes2-encrypt", |b| {
        let mut x = [7u8; 8].into();
        b.iter(|| d2.encrypt_block(black_box(&mut x)))
    });
    g.bench_function("tdes2-decrypt", |b| {
        let mut x = [7u8; 8].into();
        b.iter(|| d2.decrypt_block(black_box(&mut x)))
    });
    g.bench_function("tdes3-encrypt", |b| {
        let mut x = [7u8; 8].into();
        b.iter(|| d3.encrypt_block(black_box(&mut x)))
    });
    g.bench_function("tdes2-schedule", |b| {
        b.iter(|| des::TdesEde2::new_from_slice(black_box(&KEY[..16])))
    });
    g.finish();

    let mut g = c.benchmark_group("ct");
    let k1 = TdesKey::from_slice(&KEY[..8]).unwrap();
    let k2 = TdesKey::from_slice(&KEY[..16]).unwrap();
    let k3 = TdesKey::from_slice(&KEY).unwrap();
    let (t1, t2, t3) = (
        TdesCipher::new(&k1),
        TdesCipher::new(&k2),
        TdesCipher::new(&k3),
    );
    g.bench_function("des-encrypt", |b| {
        let mut x = [7u8; 8];
        b.iter(|| t1.encrypt_block(black_box(&mut x)))
    });
    g.bench_function("tdes2-encrypt", |b| {
        let mut x = [7u8; 8];
        b.iter(|| t2.encrypt_block(black_box(&mut x)))
    });
    g.bench_function("tdes2-decrypt", |b| {
        let mut x = [7u8; 8];
        b.iter(|| t2.decrypt_block(black_box(&mut x)))
    });
    g.bench_function("tdes3-encrypt", |b| {
        let mut x = [7u8; 8];
        b.iter(|| t3.encrypt_block(black_box(&mut x)))
    });
    g.bench_function("tdes2-schedule", |b| {
        b.iter(|| TdesCipher::new(black_box(&k2)))
    });
    g.finish();
}

fn batch(c: &mut Criterion) {
    let mut g = c.benchmark_group("ct-batch");
    for n in [1usize, 6, 7, 16, 64, 1024] {
        // Independent two-key TDES keys, one per block.
        let keys: Vec<TdesKey> = (0..n)
            .map(|i| {
                let mut k = [0u8; 16];
                k[..8]
                    .copy_from_slice(&(i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).to_be_bytes());
                k[8..].copy_from_slice(
                    &(!(i as u64))
                        .wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
                        .to_be_bytes(),
                );
                TdesKey::from_slice(&k).unwrap()
            })
            .collect();
        let mut blocks = vec![[0x5Au8; 8]; n];
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(format!("tdes2-encrypt-{n}"), |b| {
            b.iter(|| tdes_encrypt_many(black_box(&keys), black_box(&mut blocks)))
        });
        if n == 1024 {
            g.bench_function(format!("tdes2-decrypt-{n}"), |b| {
                b.iter(|| tdes_decrypt_many(black_box(&keys), black_box(&mut blocks)))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, single_block, batch);
criterion_main!(benches);
