//! Benchmarks of key blocks (ANSI X9.143 / TR-31): unwrapping a version B
//! and a version D block under a KBPK whose block keys are derived once (a
//! switch receiving keys under one KBPK), parsing alone, deriving the block
//! keys of a KBPK, and the whole path from text and KBPK bytes.
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
use paykernel::keyblock::{Kbpk, KeyBlock, Version};
use std::hint::black_box;

/// ASC X9 TR-31:2018 A.7.2.2 (version B, two-key TDES KBPK) and A.7.4
/// (version D, AES-256 KBPK).
const B_KBPK: &str = "DD7515F2BFC17F85CE48F3CA25CB21F6";
const B_BLOCK: &str =
    "B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E";
const D_KBPK: &str = "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6";
const D_BLOCK: &str = "D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34";

fn unwrap(c: &mut Criterion) {
    let mut g = c.benchmark_group("keyblock");
    for (name, version, kbpk, block) in [
        ("b-tdes2", Version::B, B_KBPK, B_BLOCK),
        ("d-aes256", Version::D, D_KBPK, D_BLOCK),
    ] {
        let kbpk_bytes = hex::decode(kbpk).unwrap();
        let k = Kbpk::from_slice(&kbpk_bytes, version).unwrap();
        let kb = KeyBlock::parse(block.as_bytes()).unwrap();
        g.bench_function(format!("unwrap-{name}"), |b| {
            b.iter(|| {
                let mut work = [0u8; 64];
                let u = k.unwrap(black_box(&kb), &mut work).unwrap();
                black_box(u.key_len());
            })
        });
        g.bench_function(format!("parse-{name}"), |b| {
            b.iter(|| KeyBlock::parse(black_box(block.as_bytes())).unwrap())
        });
        g.bench_function(format!("kbpk-derive-{name}"), |b| {
            b.iter(|| Kbpk::from_slice(black_box(&kbpk_bytes), version).unwrap())
        });
        g.bench_function(format!("parse-derive-unwrap-{name}"), |b| {
            b.iter(|| {
                let kb = KeyBlock::parse(black_box(block.as_bytes())).unwrap();
                let k = Kbpk::from_slice(black_box(&kbpk_bytes), version).unwrap();
                let mut work = [0u8; 64];
                let u = k.unwrap(&kb, &mut work).unwrap();
                black_box(u.key_len());
            })
        });
    }
    g.finish();
}

criterion_group!(benches, unwrap);
criterion_main!(benches);
