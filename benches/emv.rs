//! Benchmarks of the issuer's EMV path by cryptogram version: ARQC
//! verification and ARPC from DE 55 bytes in one call (TLV parse, ICC
//! master key, session key, AC, ARPC), its parts (parsing DE 55 alone),
//! and a PIN change script. Inputs: the pyemv 1.5.0 HSM suite's
//! transactions (`vectors/pyemv-cvn-examples.json`).
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
use paykernel::emv::{AuthorisationResponse, Cvn, CvrSource, PinChangeKeys, Psn};
use paykernel::pin::Pin;
use paykernel::tlv::Tlv;
use paykernel::{Pan, TdesKey};
use std::hint::black_box;

const VISA18: &str = "9F02060000000040009F03060000000000009F1A020124950580000480005F2A0201249A031911059C01019F370452BF4585820218009F3602001C9F100706011203A0B8009F26087A788EA6B8A3E733";
const MC16: &str = "9F02060000000099999F03060000000000009F1A020124950580000000005F2A0201249A032099069C01009F3704ABCDEF12820218009F3602001C9F260824CCF3DEE3158C709F10120110A00003220000ABCD00000000000322FF";

fn key(hex: &str) -> TdesKey {
    TdesKey::from_slice(&hex::decode(hex).unwrap()).unwrap()
}

fn authorise(c: &mut Criterion) {
    let imk = key("0123456789ABCDEFFEDCBA9876543210");
    let pan: Pan = "1234567890123456".parse().unwrap();
    let visa = hex::decode(VISA18).unwrap();
    let mc = hex::decode(MC16).unwrap();
    let m2 = AuthorisationResponse::Method2 {
        csu: [0; 4],
        prop: &[],
    };
    let m1 = AuthorisationResponse::Method1 { arc: [0x00, 0x10] };
    assert!(
        Cvn::Visa18
            .authorise_de55(&imk, &pan, Psn::ABSENT, &visa, CvrSource::FromIad, m2)
            .unwrap()
            .valid()
    );
    assert!(
        Cvn::Mastercard16
            .authorise_de55(&imk, &pan, Psn::ABSENT, &mc, CvrSource::FromIad, m1)
            .unwrap()
            .valid()
    );
    let mut g = c.benchmark_group("emv-cvn");
    g.bench_function("authorise-de55-visa-18", |b| {
        b.iter(|| {
            Cvn::Visa18.authorise_de55(
                black_box(&imk),
                &pan,
                Psn::ABSENT,
                black_box(&visa),
                CvrSource::FromIad,
                m2,
            )
        })
    });
    // Mastercard 16: the ARPC is under the ICC master key, a second key
    // schedule.
    g.bench_function("authorise-de55-mastercard-16", |b| {
        b.iter(|| {
            Cvn::Mastercard16.authorise_de55(
                black_box(&imk),
                &pan,
                Psn::ABSENT,
                black_box(&mc),
                CvrSource::FromIad,
                m1,
            )
        })
    });
    g.bench_function("tlv-parse-de55", |b| b.iter(|| Tlv::parse(black_box(&mc))));
    let tlv = Tlv::parse(&mc).unwrap();
    g.bench_function("tlv-find-9F26", |b| {
        b.iter(|| black_box(&tlv).find(&[0x9F, 0x26]))
    });
    let (smi, smc) = (
        key("FEDCBA98765432100123456789ABCDEF"),
        key("89ABCDEF0123456776543210FEDCBA98"),
    );
    let keys = PinChangeKeys {
        imk_smi: &smi,
        imk_smc: &smc,
        imk_ac: Some(&imk),
    };
    let pin = Pin::from_digits(b"9999").unwrap();
    let visa_tlv = Tlv::parse(&visa).unwrap();
    g.bench_function("pin-change-visa-18", |b| {
        b.iter(|| {
            Cvn::Visa18.pin_change(&keys, &pan, Psn::ABSENT, black_box(&visa_tlv), &pin, None)
        })
    });
    g.finish();
}

criterion_group!(benches, authorise);
criterion_main!(benches);
