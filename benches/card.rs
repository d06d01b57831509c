//! Benchmarks of card and PIN verification: `PinVerifier::verify` from a
//! format 0 (TDES) and a format 4 (AES) block against a Visa PVV and an
//! IBM 3624 offset, one block and in batches of 256; CVV verification.
#![allow(
    missing_docs,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::integer_division_remainder_used,
    clippy::cast_possible_truncation,
    clippy::std_instead_of_core,
    reason = "benchmark harness, not kernel code"
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use paykernel::card::{
    Cvk, Cvv, DecimalizationTable, Expiry, Ibm3624, Ibm3624Pin, Offset, Pvki, Pvv, ServiceCode,
    ValidationData, VisaPvv,
};
use paykernel::pin::{Fill, Format, Pin, PinBlock, PinBlockCipher, PinVerifier};
use paykernel::{Error, Pan, TdesKey};
use subtle::Choice;

const TDES_KEY: [u8; 16] = [0x13; 16];
const AES_KEY: [u8; 16] = [0x42; 16];
const PVK: [u8; 16] = [0x5C; 16];

fn pin_key(f: Format) -> PinBlockCipher {
    match f {
        Format::Iso4 => PinBlockCipher::new(f, &AES_KEY).expect("key"),
        _ => PinBlockCipher::new(f, &TDES_KEY).expect("key"),
    }
}

fn block(f: Format, pin: &Pin, pan: &Pan) -> PinBlock {
    let fill: &[u8] = if f == Format::Iso4 {
        b"0123456789ABCDEF"
    } else {
        b""
    };
    pin_key(f)
        .encipher_with_fill(pin, Some(pan), &Fill::from_hex(fill).expect("fill"))
        .expect("block")
}

fn ibm3624() -> Ibm3624 {
    Ibm3624::new(
        &TdesKey::from_slice(&PVK).expect("pvk"),
        DecimalizationTable::IBM_DEFAULT,
        ValidationData::new(0, 12, b'F').expect("validation data"),
    )
}

fn pin_verify(c: &mut Criterion) {
    let pan: Pan = "4012345678909".parse().expect("pan");
    let pin = Pin::from_digits(b"123456").expect("pin");
    let pvki: Pvki = "1".parse().expect("pvki");
    let pvk = TdesKey::from_slice(&PVK).expect("pvk");
    let pvv = VisaPvv::new(&pvk).generate(pvki, &pin, &pan);
    let offset = ibm3624()
        .offset(&Ibm3624Pin::from(&pin), &pan)
        .expect("offset");
    let mut g = c.benchmark_group("pin-verify");
    for (name, f) in [("f0-tdes", Format::Iso0), ("f4-aes128", Format::Iso4)] {
        let b = block(f, &pin, &pan);
        let v = PinVerifier::new(pin_key(f), VisaPvv::new(&pvk));
        assert!(bool::from(
            v.verify(b.as_bytes(), &pan, pvki, &pvv).expect("verify")
        ));
        g.bench_function(format!("{name}/visa-pvv"), |bench| {
            bench.iter(|| v.verify(black_box(b.as_bytes()), &pan, pvki, &pvv))
        });
        let v = PinVerifier::new(pin_key(f), ibm3624());
        assert!(bool::from(
            v.verify(b.as_bytes(), &pan, &offset).expect("verify")
        ));
        g.bench_function(format!("{name}/ibm3624"), |bench| {
            bench.iter(|| v.verify(black_box(b.as_bytes()), &pan, &offset))
        });
    }
    g.finish();
}

fn pin_verify_many(c: &mut Criterion) {
    const N: usize = 256;
    let pans: Vec<Pan> = (0..N)
        .map(|i| format!("40123456{:05}", i).parse().expect("pan"))
        .collect();
    let pins: Vec<Pin> = (0..N)
        .map(|i| Pin::from_digits(format!("{:04}", i * 37 % 10_000).as_bytes()).expect("pin"))
        .collect();
    let pvk = TdesKey::from_slice(&PVK).expect("pvk");
    let pvkis: Vec<Pvki> = vec!["1".parse().expect("pvki"); N];
    let pvvs: Vec<Pvv> = (0..N)
        .map(|i| VisaPvv::new(&pvk).generate(pvkis[i], &pins[i], &pans[i]))
        .collect();
    let offsets: Vec<Offset> = (0..N)
        .map(|i| {
            ibm3624()
                .offset(&Ibm3624Pin::from(&pins[i]), &pans[i])
                .expect("offset")
        })
        .collect();
    let mut g = c.benchmark_group("pin-verify-many");
    g.throughput(Throughput::Elements(N as u64));
    for (name, f) in [("f0-tdes", Format::Iso0), ("f4-aes128", Format::Iso4)] {
        let blocks: Vec<PinBlock> = (0..N).map(|i| block(f, &pins[i], &pans[i])).collect();
        let mut out: Vec<Result<Choice, Error>> = vec![Err(Error::Unsupported); N];
        let v = PinVerifier::new(pin_key(f), VisaPvv::new(&pvk));
        v.verify_many(&blocks, &pans, &pvkis, &pvvs, &mut out)
            .expect("batch");
        assert!(out.iter().all(|r| r.map(bool::from) == Ok(true)));
        g.bench_function(format!("{name}/visa-pvv/256"), |bench| {
            bench.iter(|| v.verify_many(black_box(&blocks), &pans, &pvkis, &pvvs, &mut out))
        });
        let v = PinVerifier::new(pin_key(f), ibm3624());
        g.bench_function(format!("{name}/ibm3624/256"), |bench| {
            bench.iter(|| v.verify_many(black_box(&blocks), &pans, &offsets, &mut out))
        });
    }
    g.finish();
}

fn cvv_verify(c: &mut Criterion) {
    let cvk = Cvk::new(&TdesKey::from_slice(&[0x37; 16]).expect("key")).expect("cvk");
    let pan: Pan = "4123456789012345".parse().expect("pan");
    let expiry: Expiry = "8701".parse().expect("expiry");
    let sc: ServiceCode = "101".parse().expect("service code");
    let cvv = cvk.generate(&pan, &expiry, &sc);
    let candidate = Cvv::from_digits(cvv.expose_secret()).expect("cvv");
    let mut g = c.benchmark_group("cvv");
    g.bench_function("verify", |b| {
        b.iter(|| cvk.verify(black_box(&pan), &expiry, &sc, &candidate))
    });
    g.finish();
}

criterion_group!(benches, pin_verify, pin_verify_many, cvv_verify);
criterion_main!(benches);
