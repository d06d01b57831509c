//! DUKPT host derivations written as a C program on OpenSSL would write
//! them: TDES DUKPT (ANSI X9.24-1:2009 A.2, A.6) on the low-level DES
//! calls with a key schedule per DES key, AES DUKPT (ANSI X9.24-3-2017
//! 6.3) on one reused EVP context re-keyed per derivation step. The
//! harness checks every answer against the kernel's before timing.

use std::ffi::c_int;
use std::ptr;

use openssl_sys::{
    EVP_CIPHER, EVP_CIPHER_CTX, EVP_CIPHER_CTX_free, EVP_CIPHER_CTX_new,
    EVP_CIPHER_CTX_set_padding, EVP_EncryptInit_ex, EVP_EncryptUpdate, EVP_aes_128_ecb,
    EVP_aes_256_ecb,
};

use crate::ffi::{DesKeySchedule, ecb3};

const KEY_MASK: u64 = 0xC0C0_C0C0_0000_0000;
const PIN_VARIANT: u64 = 0x0000_0000_0000_00FF;
const COUNTER_MASK: u64 = 0x1F_FFFF;

/// The PIN key of `ksn`'s transaction from the BDK: the IPEK, the
/// non-reversible key generation once per one-bit of the counter, the PIN
/// variant.
pub fn tdes_pin_key_from_bdk(bdk: &[u8; 16], ksn: &[u8; 10]) -> [u8; 16] {
    let (bl, br) = halves(bdk);
    let mut id = [0u8; 8];
    id.copy_from_slice(&ksn[..8]);
    id[7] &= 0xE0;
    let (k1, k2) = (DesKeySchedule::new(&bl), DesKeySchedule::new(&br));
    let mut left = id;
    ecb3(&mut left, &k1, &k2, &k1, true);
    let m1 = DesKeySchedule::new(&xor(bl, KEY_MASK));
    let m2 = DesKeySchedule::new(&xor(br, KEY_MASK));
    let mut right = id;
    ecb3(&mut right, &m1, &m2, &m1, true);
    let (mut kl, mut kr) = (u64::from_be_bytes(left), u64::from_be_bytes(right));

    let mut reg = [0u8; 8];
    reg.copy_from_slice(&ksn[2..]);
    let r = u64::from_be_bytes(reg);
    let counter = r & COUNTER_MASK;
    let base = r & !COUNTER_MASK;
    let mut ks = DesKeySchedule::new(&[0; 8]);
    for bit in (0..21).rev() {
        let b = 1u64 << bit;
        if counter & b != 0 {
            let cr = base | (counter & !(b - 1));
            // X9.24-1:2009 A.2, non-reversible key generation.
            ks.set(&kl.to_be_bytes());
            let mut cr2 = (cr ^ kr).to_be_bytes();
            ks.ecb(&mut cr2, true);
            let cr2 = u64::from_be_bytes(cr2) ^ kr;
            let (ml, mr) = (kl ^ KEY_MASK, kr ^ KEY_MASK);
            ks.set(&ml.to_be_bytes());
            let mut cr1 = (cr ^ mr).to_be_bytes();
            ks.ecb(&mut cr1, true);
            kl = u64::from_be_bytes(cr1) ^ mr;
            kr = cr2;
        }
    }
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&(kl ^ PIN_VARIANT).to_be_bytes());
    out[8..].copy_from_slice(&(kr ^ PIN_VARIANT).to_be_bytes());
    out
}

fn halves(k: &[u8; 16]) -> ([u8; 8], [u8; 8]) {
    let mut l = [0u8; 8];
    let mut r = [0u8; 8];
    l.copy_from_slice(&k[..8]);
    r.copy_from_slice(&k[8..]);
    (l, r)
}

fn xor(k: [u8; 8], m: u64) -> [u8; 8] {
    (u64::from_be_bytes(k) ^ m).to_be_bytes()
}

/// AES-ECB on one reused EVP context (AES-128 or AES-256 by key length).
pub struct AesEcb {
    ctx: *mut EVP_CIPHER_CTX,
    cipher: *const EVP_CIPHER,
}

impl AesEcb {
    pub fn new(key_len: usize) -> Self {
        // SAFETY: plain constructors of OpenSSL objects.
        let cipher = unsafe {
            match key_len {
                16 => EVP_aes_128_ecb(),
                32 => EVP_aes_256_ecb(),
                _ => panic!("AES-128 or AES-256"),
            }
        };
        // SAFETY: a fresh context, freed in Drop.
        let ctx = unsafe { EVP_CIPHER_CTX_new() };
        assert!(!ctx.is_null());
        AesEcb { ctx, cipher }
    }

    /// `out[..]` = AES(key, block) for each 16-byte block of `blocks`.
    fn encrypt(&mut self, key: &[u8], blocks: &[u8], out: &mut [u8]) {
        let mut n: c_int = 0;
        // SAFETY: `key` has the cipher's length; `out` holds `blocks`.
        unsafe {
            let ok = EVP_EncryptInit_ex(
                self.ctx,
                self.cipher,
                ptr::null_mut(),
                key.as_ptr(),
                ptr::null(),
            ) & EVP_CIPHER_CTX_set_padding(self.ctx, 0)
                & EVP_EncryptUpdate(
                    self.ctx,
                    out.as_mut_ptr(),
                    &mut n,
                    blocks.as_ptr(),
                    c_int::try_from(blocks.len()).expect("length"),
                );
            assert_eq!(ok, 1, "EVP");
        }
        assert_eq!(usize::try_from(n).ok(), Some(blocks.len()));
    }
}

impl Drop for AesEcb {
    fn drop(&mut self) {
        // SAFETY: made by EVP_CIPHER_CTX_new, freed once.
        unsafe { EVP_CIPHER_CTX_free(self.ctx) };
    }
}

/// X9.24-3-2017 6.3 derivation data, one block per 128 bits of the key.
fn derive(
    ecb: &mut AesEcb,
    key: &[u8],
    usage: u16,
    algorithm: u16,
    bits: u16,
    data: &[u8; 8],
    out: &mut [u8; 32],
) {
    let mut blocks = [0u8; 32];
    let n = usize::from(bits / 128).max(1);
    for i in 0..n {
        let b = &mut blocks[16 * i..16 * i + 16];
        b[0] = 1;
        b[1] = u8::try_from(i + 1).expect("block counter");
        b[2..4].copy_from_slice(&usage.to_be_bytes());
        b[4..6].copy_from_slice(&algorithm.to_be_bytes());
        b[6..8].copy_from_slice(&bits.to_be_bytes());
        b[8..].copy_from_slice(data);
    }
    ecb.encrypt(key, &blocks[..16 * n], &mut out[..16 * n]);
}

/// The intermediate derivation ("transaction") key of `ksn` (12 bytes:
/// initial key ID, counter) from the initial key: one derivation per
/// one-bit of the counter.
pub fn aes_transaction_key(ecb: &mut AesEcb, ik: &[u8], ksn: &[u8; 12]) -> [u8; 32] {
    let len = ik.len();
    let (algorithm, bits) = if len == 16 { (2, 128) } else { (4, 256) };
    let mut key = [0u8; 32];
    key[..len].copy_from_slice(ik);
    let counter = u32::from_be_bytes([ksn[8], ksn[9], ksn[10], ksn[11]]);
    let mut data = [0u8; 8];
    data[..4].copy_from_slice(&ksn[4..8]);
    let mut out = [0u8; 32];
    for bit in (0..32).rev() {
        let b = 1u32 << bit;
        if counter & b != 0 {
            data[4..].copy_from_slice(&(counter & b.wrapping_neg()).to_be_bytes());
            derive(ecb, &key[..len], 0x8000, algorithm, bits, &data, &mut out);
            key = out;
        }
    }
    key
}
