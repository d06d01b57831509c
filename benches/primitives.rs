//! Benchmarks of the primitives: TDES and AES single blocks, KCV, CMAC,
//! KBKDF.
#![allow(
    missing_docs,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    reason = "benchmark harness, not kernel code"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use paykernel::kdf::{self, CounterLocation, CounterWidth};
use paykernel::{AesCipher, AesKey, KcvMethod, TdesCipher, TdesKey};
use std::hint::black_box;

fn block_ciphers(c: &mut Criterion) {
    let k2 = TdesKey::from_slice(&[0x13; 16]).expect("key");
    let k3 = TdesKey::from_slice(&[0x57; 24]).expect("key");
    let t2 = TdesCipher::new(&k2);
    let t3 = TdesCipher::new(&k3);
    let mut g = c.benchmark_group("block");
    g.bench_function("tdes2-encrypt", |b| {
        let mut x = [7u8; 8];
        b.iter(|| t2.encrypt_block(black_box(&mut x)))
    });
    g.bench_function("tdes3-encrypt", |b| {
        let mut x = [7u8; 8];
        b.iter(|| t3.encrypt_block(black_box(&mut x)))
    });
    g.bench_function("tdes2-decrypt", |b| {
        let mut x = [7u8; 8];
        b.iter(|| t2.decrypt_block(black_box(&mut x)))
    });
    g.bench_function("tdes2-schedule", |b| {
        b.iter(|| TdesCipher::new(black_box(&k2)))
    });
    for n in [16usize, 24, 32] {
        let k = AesKey::from_slice(&vec![0x42; n]).expect("key");
        let a = AesCipher::new(&k);
        g.bench_function(format!("aes{}-encrypt", n * 8), |b| {
            let mut x = [7u8; 16];
            b.iter(|| a.encrypt_block(black_box(&mut x)))
        });
        g.bench_function(format!("aes{}-decrypt", n * 8), |b| {
            let mut x = [7u8; 16];
            b.iter(|| a.decrypt_block(black_box(&mut x)))
        });
    }
    g.finish();
}

fn kcv(c: &mut Criterion) {
    let k2 = TdesKey::from_slice(&[0x13; 16]).expect("key");
    let a = AesKey::from_slice(&[0x42; 16]).expect("key");
    let mut g = c.benchmark_group("kcv");
    g.bench_function("tdes2-encrypt-zeros", |b| {
        b.iter(|| black_box(&k2).kcv(KcvMethod::EncryptZeros, 3))
    });
    g.bench_function("tdes2-cmac-zeros", |b| {
        b.iter(|| black_box(&k2).kcv(KcvMethod::CmacZeros, 5))
    });
    g.bench_function("aes128-cmac-zeros", |b| {
        b.iter(|| black_box(&a).kcv(KcvMethod::CmacZeros, 5))
    });
    g.finish();
}

fn kbkdf(c: &mut Criterion) {
    let mut g = c.benchmark_group("kbkdf");
    let fixed = [0x5Au8; 60];
    for n in [16usize, 32] {
        let k = AesKey::from_slice(&vec![0x42; n]).expect("key");
        g.bench_function(format!("aes{}-ctr32-before-{}B", n * 8, n), |b| {
            let mut out = vec![0u8; n];
            b.iter(|| {
                kdf::kbkdf_cmac(
                    black_box(&k),
                    black_box(&fixed),
                    CounterWidth::Bits32,
                    CounterLocation::Before,
                    &mut out,
                )
            })
        });
    }
    g.finish();
}

criterion_group!(benches, block_ciphers, kcv, kbkdf);
criterion_main!(benches);
