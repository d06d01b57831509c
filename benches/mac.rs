//! Benchmarks of the MACs and EMV cryptograms: the retail MAC (ISO/IEC
//! 9797-1 algorithm 3) and CMAC (AES, TDES) over 16 B, 64 B and 1 KiB under
//! one key (a switch's hot path), CBC-MAC with AES, the batch checks of
//! many messages under their own keys (per message), and ARQC
//! verification.
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
use paykernel::emv::{self, AcPadding, AcSessionKey, MasterKeyOption, Psn};
use paykernel::mac::{
    AesCmac, CbcMac, MacCheck, Padding, RetailMac, TdesCmac, verify_cbc_macs, verify_retail_macs,
    verify_tdes_cmacs,
};
use paykernel::{AesKey, Pan, TdesKey};
use std::hint::black_box;

const SIZES: [usize; 3] = [16, 64, 1024];

fn macs(c: &mut Criterion) {
    let k16 = TdesKey::from_slice(&[0x13; 16]).expect("key");
    let retail = RetailMac::new(&k16).expect("retail");
    let tdes_cmac = TdesCmac::new(&k16);
    let aes = AesKey::from_slice(&[0x42; 16]).expect("key");
    let aes_cmac = AesCmac::new(&aes);
    let aes_cbc = CbcMac::aes(&aes);
    let mut g = c.benchmark_group("mac");
    for n in SIZES {
        let data = vec![0x5Au8; n];
        g.throughput(Throughput::Bytes(n as u64));
        g.bench_function(format!("retail-pad2-{n}B"), |b| {
            b.iter(|| retail.compute(black_box(&data), Padding::Method2))
        });
        g.bench_function(format!("cmac-tdes2-{n}B"), |b| {
            b.iter(|| tdes_cmac.compute(black_box(&data)))
        });
        g.bench_function(format!("cmac-aes128-{n}B"), |b| {
            b.iter(|| aes_cmac.compute(black_box(&data)))
        });
        g.bench_function(format!("cbc-mac-aes128-pad2-{n}B"), |b| {
            b.iter(|| aes_cbc.mac(black_box(&data), Padding::Method2, 16))
        });
    }
    g.finish();
    let mut g = c.benchmark_group("mac");
    let data = vec![0x5Au8; 64];
    let tag = retail.compute(&data, Padding::Method2).expect("mac");
    g.bench_function("retail-verify-64B", |b| {
        b.iter(|| retail.verify(black_box(&data), Padding::Method2, black_box(&tag), 8))
    });
    g.bench_function("retail-key-schedule", |b| {
        b.iter(|| RetailMac::new(black_box(&k16)))
    });
    g.finish();
}

fn checks<'a>(keys: &'a [TdesKey], data: &'a [Vec<u8>], tags: &'a [[u8; 8]]) -> Vec<MacCheck<'a>> {
    keys.iter()
        .zip(data)
        .zip(tags)
        .map(|((key, data), tag)| MacCheck { key, data, tag })
        .collect()
}

/// 256 messages, each under its own two-key TDES key, checked in one call
/// (four passes of 64); reported per message.
fn batch(c: &mut Criterion) {
    const N: usize = 256;
    let keys: Vec<TdesKey> = (0..N)
        .map(|i| {
            let mut k = [0u8; 16];
            k[..8].copy_from_slice(&(i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).to_be_bytes());
            k[8..].copy_from_slice(
                &(!(i as u64))
                    .wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
                    .to_be_bytes(),
            );
            TdesKey::from_slice(&k).expect("key")
        })
        .collect();
    let mut g = c.benchmark_group("mac-batch");
    g.throughput(Throughput::Elements(N as u64));
    for n in [64usize, 1024] {
        let data: Vec<Vec<u8>> = (0..N).map(|i| vec![i.to_le_bytes()[0]; n]).collect();
        let retail: Vec<[u8; 8]> = keys
            .iter()
            .zip(&data)
            .map(|(k, d)| {
                RetailMac::new(k)
                    .expect("retail")
                    .compute(d, Padding::Method2)
                    .expect("mac")
            })
            .collect();
        let cbc: Vec<[u8; 8]> = keys
            .iter()
            .zip(&data)
            .map(|(k, d)| {
                let t = CbcMac::tdes(k).mac(d, Padding::Method2, 8).expect("mac");
                t.as_bytes().try_into().expect("8 bytes")
            })
            .collect();
        let cmac: Vec<[u8; 8]> = keys
            .iter()
            .zip(&data)
            .map(|(k, d)| TdesCmac::new(k).compute(d))
            .collect();
        let (r, a, m) = (
            checks(&keys, &data, &retail),
            checks(&keys, &data, &cbc),
            checks(&keys, &data, &cmac),
        );
        let mut out = vec![false; N];
        g.bench_function(format!("retail-pad2-{n}B"), |b| {
            b.iter(|| verify_retail_macs(black_box(&r), Padding::Method2, 8, &mut out))
        });
        g.bench_function(format!("cbc-mac-tdes2-pad2-{n}B"), |b| {
            b.iter(|| verify_cbc_macs(black_box(&a), Padding::Method2, 8, &mut out))
        });
        g.bench_function(format!("cmac-tdes2-{n}B"), |b| {
            b.iter(|| verify_tdes_cmacs(black_box(&m), 8, &mut out))
        });
    }
    g.finish();
}

fn arqc(c: &mut Criterion) {
    // A typical CDOL1 payload: 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 82 9F36
    // 9F10 (33 + 7 bytes).
    let data = vec![0x21u8; 40];
    let imk = TdesKey::from_slice(&[0x31; 16]).expect("key");
    let pan: Pan = "5413330089010434".parse().expect("pan");
    let mk = emv::derive_icc_master_key(&imk, &pan, Psn::ABSENT, MasterKeyOption::A).expect("mk");
    let sk = emv::common_session_key(&mk, &[0x00, 0x1C, 0, 0, 0, 0, 0, 0]).expect("sk");
    let key = AcSessionKey::new(&sk).expect("sk");
    let ac = key.generate_ac(&data, AcPadding::Method2, 8).expect("ac");
    let mut g = c.benchmark_group("emv");
    g.bench_function("arqc-verify", |b| {
        b.iter(|| {
            key.verify_ac(
                black_box(&data),
                AcPadding::Method2,
                black_box(ac.as_bytes()),
                8,
            )
        })
    });
    // The issuer's whole path for one transaction: MK from the IMK,
    // session key, ARQC check, ARPC.
    g.bench_function("arqc-verify-from-imk", |b| {
        b.iter(|| {
            let mk =
                emv::derive_icc_master_key(black_box(&imk), &pan, Psn::ABSENT, MasterKeyOption::A)
                    .expect("mk");
            let sk = emv::common_session_key(&mk, &[0x00, 0x1C, 0, 0, 0, 0, 0, 0]).expect("sk");
            let key = AcSessionKey::new(&sk).expect("sk");
            let ok = key.verify_ac(
                black_box(&data),
                AcPadding::Method2,
                black_box(ac.as_bytes()),
                8,
            );
            (ok, key.arpc_method1(&[0x11; 8], &[0x30, 0x30]))
        })
    });
    g.bench_function("icc-mk-option-b", |b| {
        let pan: Pan = "5413330089010434123".parse().expect("pan");
        b.iter(|| {
            emv::derive_icc_master_key(black_box(&imk), &pan, Psn::ABSENT, MasterKeyOption::B)
        })
    });
    g.finish();
}

criterion_group!(benches, macs, batch, arqc);
criterion_main!(benches);
