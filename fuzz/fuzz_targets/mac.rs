//! ISO/IEC 9797-1 MACs with arbitrary parameters (algorithm, cipher, key
//! bytes, padding, length, data), CMAC, and the SP 800-108 KBKDF.
//!
//! The ISO 9797-1 MAC is compared with a reference written here over the
//! kernel's bare block ciphers: pad (methods 1 to 3), CBC with a zero IV,
//! then for algorithm 3 decipher under K' and encipher under K. Then: a
//! MAC verifies and a changed one does not; a message split into parts
//! gives the MAC of the whole.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use paykernel::kdf::{self, CounterLocation, CounterWidth};
use paykernel::mac::{
    AesCmac, BlockCipher, Iso9797Algorithm, Iso9797Mac, MIN_MAC_LEN, Padding, TdesCmac,
};
use paykernel::{AesCipher, AesKey, Error, TdesCipher, TdesKey};
use paykernel_fuzz::{bytes, key, length};

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

/// A block cipher of the reference: encipher and decipher one block.
enum Raw {
    Tdes(TdesCipher),
    Aes(AesCipher),
}

impl Raw {
    fn new(cipher: BlockCipher, key: &[u8]) -> Raw {
        match cipher {
            BlockCipher::Des | BlockCipher::Tdes => Raw::Tdes(TdesCipher::new(
                &TdesKey::from_slice(key).expect("checked length"),
            )),
            BlockCipher::Aes => Raw::Aes(AesCipher::new(
                &AesKey::from_slice(key).expect("checked length"),
            )),
        }
    }

    fn block(&self) -> usize {
        match self {
            Raw::Tdes(_) => 8,
            Raw::Aes(_) => 16,
        }
    }

    fn enc(&self, b: &mut [u8]) {
        match self {
            Raw::Tdes(c) => {
                let mut x: [u8; 8] = (&*b).try_into().expect("8 bytes");
                c.encrypt_block(&mut x);
                b.copy_from_slice(&x);
            }
            Raw::Aes(c) => {
                let mut x: [u8; 16] = (&*b).try_into().expect("16 bytes");
                c.encrypt_block(&mut x);
                b.copy_from_slice(&x);
            }
        }
    }

    fn dec(&self, b: &mut [u8]) {
        match self {
            Raw::Tdes(c) => {
                let mut x: [u8; 8] = (&*b).try_into().expect("8 bytes");
                c.decrypt_block(&mut x);
                b.copy_from_slice(&x);
            }
            Raw::Aes(c) => {
                let mut x: [u8; 16] = (&*b).try_into().expect("16 bytes");
                c.decrypt_block(&mut x);
                b.copy_from_slice(&x);
            }
        }
    }
}

/// ISO/IEC 9797-1 padding of `data` to blocks of `n` bytes.
fn pad(data: &[u8], padding: Padding, n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    if padding == Padding::Method3 {
        let bits = (data.len() as u128) * 8;
        out.extend_from_slice(&bits.to_be_bytes()[16 - n..]);
    }
    out.extend_from_slice(data);
    if padding == Padding::Method2 {
        out.push(0x80);
    }
    while out.len() % n != 0 || out.len() == if padding == Padding::Method3 { n } else { 0 } {
        out.push(0);
    }
    out
}

/// The key lengths ISO 9797-1 algorithm `alg` over `cipher` takes here.
fn key_ok(alg: Iso9797Algorithm, cipher: BlockCipher, n: usize) -> bool {
    match (alg, cipher) {
        (Iso9797Algorithm::Alg1, BlockCipher::Des) => n == 8,
        (Iso9797Algorithm::Alg1, BlockCipher::Tdes) => matches!(n, 8 | 16 | 24),
        (Iso9797Algorithm::Alg1, BlockCipher::Aes) => matches!(n, 16 | 24 | 32),
        (Iso9797Algorithm::Alg3, BlockCipher::Des) => n == 16,
        (Iso9797Algorithm::Alg3, BlockCipher::Tdes) => matches!(n, 16 | 32 | 48),
        (Iso9797Algorithm::Alg3, BlockCipher::Aes) => matches!(n, 32 | 48 | 64),
    }
}

fn reference(
    alg: Iso9797Algorithm,
    cipher: BlockCipher,
    key: &[u8],
    data: &[u8],
    padding: Padding,
) -> Vec<u8> {
    let (k, k2) = match alg {
        Iso9797Algorithm::Alg1 => (key, None),
        Iso9797Algorithm::Alg3 => {
            let (a, b) = key.split_at(key.len() / 2);
            (a, Some(b))
        }
    };
    let c = Raw::new(cipher, k);
    let n = c.block();
    let padded = pad(data, padding, n);
    let mut h = vec![0u8; n];
    for block in padded.chunks(n) {
        for (x, d) in h.iter_mut().zip(block) {
            *x ^= d;
        }
        c.enc(&mut h);
    }
    if let Some(k2) = k2 {
        Raw::new(cipher, k2).dec(&mut h);
        c.enc(&mut h);
    }
    h
}

/// A verifier's answer as a `bool`: a length under `MIN_MAC_LEN` or past
/// `block` must be refused as `InvalidLength` (and counts as not valid);
/// any other must be answered.
fn verdict(r: core::result::Result<subtle::Choice, Error>, len: usize, block: usize) -> bool {
    if (MIN_MAC_LEN..=block).contains(&len) {
        bool::from(r.expect("a checkable length is answered"))
    } else {
        assert_eq!(r.err(), Some(Error::InvalidLength), "len {len}");
        false
    }
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let alg_n: u64 = if u.ratio(7, 8)? {
        *u.choose(&[1, 3])?
    } else {
        u.arbitrary()?
    };
    let pad_n: u64 = if u.ratio(7, 8)? {
        u.int_in_range(1..=3)?
    } else {
        u.arbitrary()?
    };
    let alg = Iso9797Algorithm::from_number(alg_n);
    assert_eq!(alg.is_ok(), matches!(alg_n, 1 | 3));
    let padding = Padding::from_number(pad_n);
    assert_eq!(padding.is_ok(), (1..=3).contains(&pad_n));
    let (Ok(alg), Ok(padding)) = (alg, padding) else {
        return Ok(());
    };
    let cipher = *u.choose(&[BlockCipher::Des, BlockCipher::Tdes, BlockCipher::Aes])?;
    let k = key(u, &[8, 16, 24, 32, 48, 64])?;
    let len = length(u, &[4, 8, 16], 20)?;
    let n = u.int_in_range(0..=80)?;
    let data = bytes(u, n)?;

    let mac = Iso9797Mac::new(alg, cipher, &k);
    assert_eq!(
        mac.is_ok(),
        key_ok(alg, cipher, k.len()),
        "{alg:?} {cipher:?} {}",
        k.len()
    );
    let Ok(mac) = mac else {
        assert_eq!(mac.err(), Some(Error::InvalidKey));
        return Ok(());
    };
    let block = mac.block_size();
    assert_eq!(block, if cipher == BlockCipher::Aes { 16 } else { 8 });
    assert_eq!(
        padding.padded_len(data.len(), block),
        Ok(pad(&data, padding, block).len())
    );
    let tag = mac.mac(&data, padding, len);
    if !(1..=block).contains(&len) {
        assert_eq!(tag.err(), Some(Error::InvalidLength));
        let r = mac.verify(&data, padding, &[0u8; 16][..len.min(16)], len);
        assert!(!verdict(r, len, block));
        return Ok(());
    }
    let tag = tag.expect("a good length");
    let want = reference(alg, cipher, &k, &data, padding);
    assert_eq!(
        tag.as_bytes(),
        &want[..len],
        "kernel and reference disagree"
    );
    let checkable = len >= MIN_MAC_LEN;
    assert_eq!(
        verdict(mac.verify(&data, padding, tag.as_bytes(), len), len, block),
        checkable
    );
    let mut bad = tag.as_bytes().to_vec();
    let i = u.choose_index(bad.len())?;
    bad[i] ^= u.int_in_range(1..=255)?;
    assert!(!verdict(mac.verify(&data, padding, &bad, len), len, block));
    assert!(!verdict(mac.verify(&data, padding, &want[..len - 1], len), len, block));

    // CMAC: verify, truncation, and a message in parts.
    let cut = u.int_in_range(0..=data.len())?;
    let (a, b) = data.split_at(cut);
    if cipher == BlockCipher::Aes && matches!(k.len(), 16 | 24 | 32) {
        let c = AesCmac::new(&AesKey::from_slice(&k).expect("AES key"));
        let full = c.compute(&data);
        assert_eq!(c.compute_parts(&[a, b]), full);
        let t = c.mac(&data, len).expect("1..=16");
        assert_eq!(t.as_bytes(), &full[..len]);
        assert_eq!(verdict(c.verify(&data, &full[..len], len), len, 16), checkable);
        let mut bad = full[..len].to_vec();
        bad[i] ^= 0x01;
        assert!(!verdict(c.verify(&data, &bad, len), len, 16));
        assert_eq!(c.mac(&data, 17).err(), Some(Error::InvalidLength));
    }
    if cipher != BlockCipher::Aes && matches!(k.len(), 8 | 16 | 24) {
        let c = TdesCmac::new(&TdesKey::from_slice(&k).expect("TDES key"));
        let full = c.compute(&data);
        let t = c.mac(&data, len.min(8)).expect("1..=8");
        assert_eq!(t.as_bytes(), &full[..len.min(8)]);
        let l8 = len.min(8);
        assert_eq!(verdict(c.verify(&data, &full[..l8], l8), l8, 8), l8 >= MIN_MAC_LEN);
        assert_eq!(c.mac(&data, 9).err(), Some(Error::InvalidLength));
    }

    // KBKDF: any output length and counter; the output is a prefix of a
    // longer one.
    if u.ratio(1, 4)? {
        let kk = bytes(u, 16)?;
        let key = AesKey::from_slice(&kk).expect("16 bytes");
        let bits = *u.choose(&[8u32, 16, 24, 32, 0, 12, 64])?;
        let width = CounterWidth::from_bits(bits);
        assert_eq!(width.is_ok(), matches!(bits, 8 | 16 | 24 | 32));
        let Ok(width) = width else { return Ok(()) };
        let location = if u.arbitrary()? {
            CounterLocation::Before
        } else {
            CounterLocation::After
        };
        let out_len = u.int_in_range(0..=5000)?;
        let mut out = vec![0u8; out_len];
        let r = kdf::kbkdf_cmac(&key, &data, width, location, &mut out);
        let max = match width {
            CounterWidth::Bits8 => 255 * 16,
            _ => usize::MAX,
        };
        assert_eq!(
            r.is_ok(),
            out_len != 0 && out_len <= max,
            "{out_len} {width:?}"
        );
        if r.is_ok() && out_len > 1 {
            let mut short = vec![0u8; out_len - 1];
            kdf::kbkdf_cmac(&key, &data, width, location, &mut short).expect("shorter");
            assert_eq!(&short[..], &out[..out_len - 1]);
        }
        let mut labeled = vec![0u8; out_len.min(64)];
        let r = kdf::kbkdf_cmac_labeled(&key, a, b, &mut labeled);
        assert_eq!(r.is_ok(), !labeled.is_empty());
    }
    Ok(())
}
