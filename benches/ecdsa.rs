//! Benchmarks of ECDSA P-256 with SHA-256 as users get it: the kernel's
//! default features (the `p256-tables` base-point tables, as the CLI
//! builds it) and the release profile. Signing a 32-byte digest and a
//! 96-byte record, verifying (`r || s` and DER), deriving the public key,
//! and decoding a compressed public key (a square root).
//!
//! Run: `cargo bench --bench ecdsa -- --warm-up-time 1 --measurement-time 3`
//! (without the tables: add `--no-default-features`).
#![allow(
    missing_docs,
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "benchmark harness, not kernel code"
)]

use core::hint::black_box;
use criterion::{Criterion, criterion_group, criterion_main};
use paykernel::sign::{PublicKey, SigningKey};
use sha2::{Digest, Sha256};

fn ecdsa(c: &mut Criterion) {
    let signer = SigningKey::from_slice(&[0x17; 32]).expect("key");
    let pk = signer.public_key();
    let msg = [0x5A; 96];
    let digest: [u8; 32] = Sha256::digest(msg).into();
    let sig = signer.sign(&msg);
    let der = sig.to_der();
    let compressed = pk.to_compressed();
    let mut g = c.benchmark_group("ecdsa-p256");
    g.bench_function("sign-digest", |b| {
        b.iter(|| signer.sign_digest(black_box(&digest)))
    });
    g.bench_function("sign-96B", |b| b.iter(|| signer.sign(black_box(&msg))));
    g.bench_function("verify-digest", |b| {
        b.iter(|| pk.verify_digest(black_box(&digest), black_box(sig.as_bytes())))
    });
    g.bench_function("verify-96B", |b| {
        b.iter(|| pk.verify(black_box(&msg), black_box(sig.as_bytes())))
    });
    g.bench_function("verify-der-96B", |b| {
        b.iter(|| pk.verify_der(black_box(&msg), black_box(der.as_bytes())))
    });
    g.bench_function("public-key", |b| b.iter(|| black_box(&signer).public_key()));
    g.bench_function("from-sec1-compressed", |b| {
        b.iter(|| PublicKey::from_sec1(black_box(&compressed)))
    });
    g.finish();
}

criterion_group!(benches, ecdsa);
criterion_main!(benches);
