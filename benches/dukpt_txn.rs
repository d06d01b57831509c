//! Benchmarks of DUKPT keys in use: the host's one call per request (KSN
//! with the most one-bits a terminal uses; verify the request MAC, decrypt
//! 32 bytes of data, translate a PIN block to a zone key), one request and
//! in batches of 256; the terminal's one call; CBC over 4 KiB.
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

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use paykernel::dukpt::aes::{self, AesTerminal, KeyType, KeyUsage};
use paykernel::dukpt::tdes::{self, TdesTerminal, Variant};
use paykernel::dukpt::txn::aes::{self as aes_txn, KeyTypes};
use paykernel::dukpt::txn::tdes as tdes_txn;
use paykernel::dukpt::txn::{
    Direction, EncipheredPin, PinEntry, Processed, Request, TerminalInput, mac_input,
};
use paykernel::dukpt::{AesKsn, InitialKeyId, TdesKsn};
use paykernel::mode::cbc::{self, AesIv, TdesIv};
use paykernel::pin::{Format, Pin, PinBlock, PinBlockCipher};
use paykernel::{AesCipher, AesKey, Error, Pan, TdesCipher, TdesKey};
use rand_core::{TryCryptoRng, TryRng};

const BATCH: usize = 256;

/// A fast deterministic stand-in for the RNG (format 0 draws nothing).
struct Rng(u64);

impl TryRng for Rng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(self.try_next_u64()? as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        Ok(self.0)
    }
    fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), Self::Error> {
        for b in d {
            *b = self.try_next_u64()? as u8;
        }
        Ok(())
    }
}

impl TryCryptoRng for Rng {}

/// One request as a terminal sent it.
struct Sent<K> {
    ksn: K,
    block: PinBlock,
    data: Vec<u8>,
    mac: Vec<u8>,
}

const MESSAGE: &[u8] = b"0200 amount=1000";

fn tdes_request(bdk: &TdesKey, ksn: TdesKsn, pan: &Pan, pin: &Pin) -> Sent<TdesKsn> {
    let t = tdes_txn::Transaction::from_bdk(bdk, &ksn).unwrap();
    let c = PinBlockCipher::tdes(Format::Iso0, &t.key(Variant::Pin).unwrap()).unwrap();
    let block = c.encipher(pin, Some(pan), &mut Rng(1)).unwrap();
    let mut data = vec![0x5A; 32];
    t.encrypt_data(Direction::Request, &TdesIv::ZERO, &mut data)
        .unwrap();
    let mac = t
        .mac_parts(
            Direction::Request,
            &mac_input(MESSAGE, Some(&block), &data),
            8,
        )
        .unwrap();
    Sent {
        ksn,
        block,
        data,
        mac: mac.as_bytes().to_vec(),
    }
}

fn requests<'a, K: Copy>(
    sent: &'a [Sent<K>],
    datas: &'a mut [Vec<u8>],
    pan: &'a Pan,
    format: Format,
) -> Vec<Request<'a, K>> {
    sent.iter()
        .zip(datas.iter_mut())
        .map(|(s, d)| Request {
            ksn: s.ksn,
            message: MESSAGE,
            pin: Some(EncipheredPin {
                block: s.block.as_bytes(),
                format,
                pan: Some(pan),
            }),
            data: d,
            iv: None,
            mac: &s.mac,
        })
        .collect()
}

fn tdes_benches(c: &mut Criterion) {
    let bdk = TdesKey::from_slice(&[0x13; 16]).unwrap();
    let zone = PinBlockCipher::new(Format::Iso0, &[0x2C; 16]).unwrap();
    let host = tdes_txn::Host::new(&bdk, &zone).unwrap();
    let pan: Pan = "4012345678909".parse().unwrap();
    let pin = Pin::from_digits(b"1234").unwrap();
    let ksn0 = TdesKsn::from_hex("FFFF9876543210E00000").unwrap();
    let sent: Vec<Sent<TdesKsn>> = (0..BATCH as u32)
        .map(|i| {
            let mut b = *ksn0.as_bytes();
            b[3] = i as u8;
            // Ten one-bits: the host's worst case.
            let ksn = TdesKsn::from_bytes(b)
                .with_counter(TdesKsn::MAX_COUNTER >> (i % 11))
                .unwrap();
            tdes_request(&bdk, ksn, &pan, &pin)
        })
        .collect();
    let mut g = c.benchmark_group("dukpt-tdes-txn");
    g.bench_function("host-process-one", |b| {
        let s = &sent[0];
        b.iter_batched(
            || s.data.clone(),
            |mut data| {
                host.process(
                    &mut Request {
                        ksn: s.ksn,
                        message: MESSAGE,
                        pin: Some(EncipheredPin {
                            block: s.block.as_bytes(),
                            format: Format::Iso0,
                            pan: Some(&pan),
                        }),
                        data: &mut data,
                        iv: None,
                        mac: &s.mac,
                    },
                    &mut Rng(3),
                )
                .unwrap()
            },
            BatchSize::SmallInput,
        )
    });
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("host-process-many-256", |b| {
        b.iter_batched(
            || sent.iter().map(|s| s.data.clone()).collect::<Vec<_>>(),
            |mut datas| {
                let mut reqs = requests(&sent, &mut datas, &pan, Format::Iso0);
                let mut out: Vec<Result<Processed<tdes_txn::Transaction>, Error>> =
                    (0..BATCH).map(|_| Err(Error::Unsupported)).collect();
                host.process_many(&mut reqs, &mut out, &mut Rng(3)).unwrap();
                black_box(out)
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
    let mut g = c.benchmark_group("dukpt-tdes-txn");
    g.bench_function("terminal-request", |b| {
        let ipek = tdes::derive_initial_key(&bdk, &ksn0).unwrap();
        let mut t = TdesTerminal::load_initial_key(&ipek, &ksn0).unwrap();
        b.iter(|| {
            if t.remaining() < 2 {
                t = TdesTerminal::load_initial_key(&ipek, &ksn0).unwrap();
            }
            let mut data = [0x5Au8; 32];
            black_box(
                tdes_txn::terminal_request(
                    &mut t,
                    TerminalInput {
                        pin: Some(PinEntry {
                            pin: &pin,
                            format: Format::Iso0,
                            pan: Some(&pan),
                        }),
                        message: MESSAGE,
                        data: &mut data,
                        iv: None,
                        mac_len: 8,
                    },
                    &mut Rng(5),
                )
                .unwrap(),
            );
        })
    });
    g.finish();
}

fn aes_request(bdk: &AesKey, ksn: AesKsn, pan: &Pan, pin: &Pin) -> Sent<AesKsn> {
    let t = aes_txn::Transaction::from_bdk(bdk, &ksn).unwrap();
    let k = t
        .working_key(KeyType::Aes128, KeyUsage::PinEncryption)
        .unwrap();
    let c = PinBlockCipher::new(Format::Iso4, k.expose_secret()).unwrap();
    let block = c.encipher(pin, Some(pan), &mut Rng(1)).unwrap();
    let mut data = vec![0x5A; 32];
    t.encrypt_data(KeyType::Aes128, KeyUsage::DataEncrypt, None, &mut data)
        .unwrap();
    let mac = t
        .mac_parts(
            KeyType::Aes128,
            KeyUsage::MacGeneration,
            &mac_input(MESSAGE, Some(&block), &data),
            16,
        )
        .unwrap();
    Sent {
        ksn,
        block,
        data,
        mac: mac.as_bytes().to_vec(),
    }
}

fn aes_benches(c: &mut Criterion) {
    let bdk = AesKey::from_slice(&[0x13; 16]).unwrap();
    let zone = PinBlockCipher::new(Format::Iso0, &[0x2C; 16]).unwrap();
    let host = aes_txn::Host::new(&bdk, KeyTypes::AES128, &zone).unwrap();
    let pan: Pan = "4111111111111111".parse().unwrap();
    let pin = Pin::from_digits(b"1234").unwrap();
    let sent: Vec<Sent<AesKsn>> = (0..BATCH as u32)
        .map(|i| {
            let id = InitialKeyId::from_bytes([0x12, 0x34, 0x56, 0x78, 0, 0, 0, i as u8]);
            // Sixteen one-bits: the host's worst case.
            aes_request(&bdk, id.ksn(0xFFFF_0000 >> (i % 17)), &pan, &pin)
        })
        .collect();
    let mut g = c.benchmark_group("dukpt-aes-txn");
    g.bench_function("host-process-one", |b| {
        let s = &sent[0];
        b.iter_batched(
            || s.data.clone(),
            |mut data| {
                host.process(
                    &mut Request {
                        ksn: s.ksn,
                        message: MESSAGE,
                        pin: Some(EncipheredPin {
                            block: s.block.as_bytes(),
                            format: Format::Iso4,
                            pan: Some(&pan),
                        }),
                        data: &mut data,
                        iv: None,
                        mac: &s.mac,
                    },
                    &mut Rng(3),
                )
                .unwrap()
            },
            BatchSize::SmallInput,
        )
    });
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("host-process-many-256", |b| {
        b.iter_batched(
            || sent.iter().map(|s| s.data.clone()).collect::<Vec<_>>(),
            |mut datas| {
                let mut reqs = requests(&sent, &mut datas, &pan, Format::Iso4);
                let mut out: Vec<Result<Processed<aes_txn::Transaction>, Error>> =
                    (0..BATCH).map(|_| Err(Error::Unsupported)).collect();
                host.process_many(&mut reqs, &mut out, &mut Rng(3)).unwrap();
                black_box(out)
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
    let mut g = c.benchmark_group("dukpt-aes-txn");
    g.bench_function("terminal-request", |b| {
        let id = InitialKeyId::from_bytes([0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x56]);
        let ik = aes::derive_initial_key(&bdk, &id).unwrap();
        let mut t = AesTerminal::load_initial_key(&ik, &id.ksn(0)).unwrap();
        b.iter(|| {
            let mut data = [0x5Au8; 32];
            black_box(
                aes_txn::terminal_request(
                    &mut t,
                    &KeyTypes::AES128,
                    TerminalInput {
                        pin: Some(PinEntry {
                            pin: &pin,
                            format: Format::Iso4,
                            pan: Some(&pan),
                        }),
                        message: MESSAGE,
                        data: &mut data,
                        iv: None,
                        mac_len: 16,
                    },
                    &mut Rng(5),
                )
                .unwrap(),
            );
        })
    });
    g.finish();
}

fn cbc_benches(c: &mut Criterion) {
    let t = TdesCipher::new(&TdesKey::from_slice(&[0x31; 16]).unwrap());
    let a = AesCipher::new(&AesKey::from_slice(&[0x31; 16]).unwrap());
    let mut g = c.benchmark_group("cbc");
    g.throughput(Throughput::Bytes(4096));
    let mut buf = vec![0x42u8; 4096];
    g.bench_function("tdes-encrypt-4k", |b| {
        b.iter(|| cbc::tdes_encrypt(&t, &TdesIv::ZERO, black_box(&mut buf)))
    });
    g.bench_function("tdes-decrypt-4k-bitsliced", |b| {
        b.iter(|| cbc::tdes_decrypt(&t, &TdesIv::ZERO, black_box(&mut buf)))
    });
    g.bench_function("aes128-encrypt-4k", |b| {
        b.iter(|| cbc::aes_encrypt(&a, &AesIv::ZERO, black_box(&mut buf)))
    });
    g.bench_function("aes128-decrypt-4k", |b| {
        b.iter(|| cbc::aes_decrypt(&a, &AesIv::ZERO, black_box(&mut buf)))
    });
    g.finish();
}

criterion_group!(benches, tdes_benches, aes_benches, cbc_benches);
criterion_main!(benches);
