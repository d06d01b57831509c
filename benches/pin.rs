//! Benchmarks of ISO 9564-1 PIN blocks: encipher, decipher and translate
//! for format 0 (TDES) and format 4 (AES), and batch translation per block.
#![allow(
    missing_docs,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    reason = "benchmark harness, not kernel code"
)]

use std::convert::Infallible;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use paykernel::Pan;
use paykernel::pin::{Fill, Format, Pin, PinBlock, PinBlockCipher, PinTranslator};
use rand_core::{TryCryptoRng, TryRng};

/// xorshift64*: a fast stand-in so that the numbers measure the kernel, not
/// the RNG. Not a CSPRNG; never use it outside a benchmark.
struct BenchRng(u64);

impl TryRng for BenchRng {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.try_next_u64()? >> 32) as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        Ok(self.0.wrapping_mul(0x2545_F491_4F6C_DD1D))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let w = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&w[..chunk.len()]);
        }
        Ok(())
    }
}

impl TryCryptoRng for BenchRng {}

const TDES_KEY: [u8; 16] = [0x13; 16];
const AES_KEY: [u8; 16] = [0x42; 16];

fn cipher(f: Format) -> PinBlockCipher {
    match f {
        Format::Iso4 => PinBlockCipher::new(f, &AES_KEY).expect("key"),
        _ => PinBlockCipher::new(f, &TDES_KEY).expect("key"),
    }
}

fn single(c: &mut Criterion) {
    let pan: Pan = "4012345678909".parse().expect("pan");
    let pin = Pin::from_digits(b"123456").expect("pin");
    let mut rng = BenchRng(0x9564);
    let mut g = c.benchmark_group("pin");
    for (name, f) in [("f0-tdes", Format::Iso0), ("f4-aes128", Format::Iso4)] {
        let ci = cipher(f);
        g.bench_function(format!("{name}/encipher"), |b| {
            b.iter(|| ci.encipher(black_box(&pin), Some(&pan), &mut rng))
        });
        let fill = Fill::from_hex(b"0123456789ABCDEF").expect("fill");
        g.bench_function(format!("{name}/encipher-with-fill"), |b| {
            b.iter(|| ci.encipher_with_fill(black_box(&pin), Some(&pan), &fill))
        });
        let block = ci.encipher(&pin, Some(&pan), &mut rng).expect("block");
        g.bench_function(format!("{name}/decipher"), |b| {
            b.iter(|| ci.decipher(black_box(block.as_bytes()), Some(&pan)))
        });
    }
    for (name, from, to) in [
        ("f0-to-f0", Format::Iso0, Format::Iso0),
        ("f0-to-f4", Format::Iso0, Format::Iso4),
        ("f4-to-f0", Format::Iso4, Format::Iso0),
        ("f4-to-f4", Format::Iso4, Format::Iso4),
    ] {
        let t = PinTranslator::new(cipher(from), cipher(to));
        let block = cipher(from)
            .encipher(&pin, Some(&pan), &mut rng)
            .expect("block");
        g.bench_function(format!("translate/{name}"), |b| {
            b.iter(|| t.translate(black_box(block.as_bytes()), Some(&pan), &mut rng))
        });
    }
    g.finish();
}

fn batch(c: &mut Criterion) {
    const N: usize = 256;
    let mut rng = BenchRng(0x9564_0001);
    let pans: Vec<Pan> = (0..N)
        .map(|i| format!("40123456{:08}", i * 7919).parse().expect("pan"))
        .collect();
    let mut g = c.benchmark_group("pin-translate-many");
    g.throughput(Throughput::Elements(N as u64));
    for (name, from, to) in [
        ("f0-to-f0", Format::Iso0, Format::Iso0),
        ("f0-to-f4", Format::Iso0, Format::Iso4),
        ("f4-to-f0", Format::Iso4, Format::Iso0),
    ] {
        let src = cipher(from);
        let blocks: Vec<PinBlock> = pans
            .iter()
            .enumerate()
            .map(|(i, pan)| {
                let digits = format!("{:06}", (i * 104_729) & 0x7_FFFF);
                let pin = Pin::from_digits(digits.as_bytes()).expect("pin");
                src.encipher(&pin, Some(pan), &mut rng).expect("block")
            })
            .collect();
        let t = PinTranslator::new(cipher(from), cipher(to));
        let mut out = vec![Err(paykernel::Error::Unsupported); N];
        g.bench_function(format!("{name}/{N}"), |b| {
            b.iter(|| {
                t.translate_many(black_box(&blocks), &pans, &mut out, &mut rng)
                    .expect("lengths")
            })
        });
        assert!(out.iter().all(Result::is_ok));
    }
    g.finish();
}

criterion_group!(benches, single, batch);
criterion_main!(benches);
