//! Benchmarks of the stored-value critical path: open a record, debit it,
//! seal the next record and sign it (as one, and step by step), verify the
//! signature; card-key derivation; chain audit per record. ECDSA alone is
//! in `benches/ecdsa.rs`. The kernel's default features (the P-256
//! base-point tables), as the CLI builds it.
//!
//! Run: `cargo bench --bench record -- --warm-up-time 1 --measurement-time 3`
#![allow(
    missing_docs,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    reason = "benchmark harness, not kernel code"
)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use paykernel::record::{Amount, Fields, IssuerKey};
use paykernel::sign::SigningKey;
use std::hint::black_box;

fn fields(card_id: u64) -> Fields {
    Fields {
        card_id,
        currency: 978,
        exponent: 2,
        flags: 0,
        balance: 1_000_000_000,
        limit: 10_000_000_000,
        counter: 0,
        amount: 0,
        terminal_id: *b"ISSUER  ",
        timestamp: 1_700_000_000,
        prev_tag: [0; 8],
    }
}

fn record_path(c: &mut Criterion) {
    let issuer = IssuerKey::from_slice(&[0x42; 16]).expect("key");
    let card = issuer.card_key(0x0102_0304_0506_0708);
    let stored = *card
        .seal(&fields(0x0102_0304_0506_0708))
        .expect("seal")
        .as_bytes();
    let signer = SigningKey::from_slice(&[0x17; 32]).expect("key");
    let pk = signer.public_key();
    let amount = Amount::new(1_250).expect("amount");
    let current = card.verify(&stored).expect("verify");
    let next = current
        .debit(amount, b"SHOP0001", 1_700_000_100)
        .expect("debit");
    let sig = next.sign(&signer);

    let mut g = c.benchmark_group("record");
    g.bench_function("verify", |b| b.iter(|| card.verify(black_box(&stored))));
    g.bench_function("debit+seal", |b| {
        b.iter(|| black_box(&current).debit(amount, b"SHOP0001", black_box(1_700_000_100)))
    });
    g.bench_function("sign", |b| b.iter(|| next.sign(black_box(&signer))));
    g.bench_function("path: verify+debit+seal+sign", |b| {
        b.iter(|| {
            let current = card.verify(black_box(&stored)).expect("verify");
            let next = current
                .debit(amount, b"SHOP0001", 1_700_000_100)
                .expect("debit");
            (next.sign(&signer), *next.as_bytes())
        })
    });
    g.bench_function("host: derive card key+verify", |b| {
        b.iter(|| {
            let card = issuer.card_key_for(black_box(&stored)).expect("card");
            card.verify(&stored).map(|r| r.fields().balance)
        })
    });
    g.bench_function("verify signature", |b| {
        b.iter(|| pk.verify(black_box(next.as_bytes()), black_box(sig.as_bytes())))
    });
    g.finish();

    let issuer256 = IssuerKey::from_slice(&[0x42; 32]).expect("key");
    let mut g = c.benchmark_group("card-key");
    g.bench_function("aes128", |b| b.iter(|| issuer.card_key(black_box(7))));
    g.bench_function("aes256", |b| b.iter(|| issuer256.card_key(black_box(7))));
    g.finish();
}

fn chain_audit(c: &mut Criterion) {
    const LINKS: usize = 64;
    let issuer = IssuerKey::from_slice(&[0x42; 16]).expect("key");
    let card = issuer.card_key(99);
    let signer = SigningKey::from_slice(&[0x17; 32]).expect("key");
    let pk = signer.public_key();
    let mut records = Vec::with_capacity(LINKS);
    let mut current = card.seal(&fields(99)).expect("seal");
    for i in 0..LINKS {
        records.push(*current.as_bytes());
        current = current
            .debit(
                Amount::new(100).expect("amount"),
                b"SHOP0001",
                1_700_000_000 + i as u64,
            )
            .expect("debit");
    }
    let sigs: Vec<[u8; 64]> = records.iter().map(|r| *signer.sign(r).as_bytes()).collect();
    assert!(
        issuer
            .verify_chain(&pk, records.iter().zip(sigs.iter()))
            .is_intact()
    );
    let mut g = c.benchmark_group("chain-audit");
    g.throughput(Throughput::Elements(LINKS as u64));
    g.bench_function("64 links (issuer key)", |b| {
        b.iter(|| issuer.verify_chain(&pk, black_box(&records).iter().zip(sigs.iter())))
    });
    g.finish();
}

criterion_group!(benches, record_path, chain_audit);
criterion_main!(benches);
