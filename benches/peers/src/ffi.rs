//! The OpenSSL calls the `openssl` crate does not wrap: the low-level DES
//! API (`openssl/des.h`) and CMAC (`openssl/cmac.h`), both deprecated in
//! OpenSSL 3.0 and still exported by its libcrypto. A C implementation of
//! a retail MAC or of DUKPT on OpenSSL calls exactly these.

use std::ffi::{c_int, c_long, c_void};

use openssl_sys::EVP_CIPHER;

/// `DES_key_schedule`: sixteen round keys of two 32-bit words.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct DesKeySchedule {
    ks: [u32; 32],
}

impl DesKeySchedule {
    /// `DES_set_key_unchecked` (no parity or weak-key check, as payment
    /// code uses it).
    pub fn new(key: &[u8; 8]) -> Self {
        let mut s = DesKeySchedule { ks: [0; 32] };
        // SAFETY: `key` is 8 readable bytes, `s` a writable schedule.
        unsafe { DES_set_key_unchecked(key, &mut s) };
        s
    }

    /// Sets this schedule to `key`'s.
    pub fn set(&mut self, key: &[u8; 8]) {
        // SAFETY: as in `new`.
        unsafe { DES_set_key_unchecked(key, self) };
    }

    /// `DES_ecb_encrypt` of one block in place (`enc`: true to encrypt).
    pub fn ecb(&self, block: &mut [u8; 8], enc: bool) {
        let input = *block;
        // SAFETY: distinct 8-byte buffers; OpenSSL only reads the schedule.
        unsafe {
            DES_ecb_encrypt(
                &input,
                block,
                std::ptr::from_ref(self).cast_mut(),
                c_int::from(enc),
            )
        };
    }
}

/// `DES_ecb3_encrypt`: E(K3, D(K2, E(K1, x))) in place.
pub fn ecb3(
    block: &mut [u8; 8],
    k1: &DesKeySchedule,
    k2: &DesKeySchedule,
    k3: &DesKeySchedule,
    enc: bool,
) {
    let input = *block;
    // SAFETY: distinct 8-byte buffers; the schedules are only read.
    unsafe {
        DES_ecb3_encrypt(
            &input,
            block,
            std::ptr::from_ref(k1).cast_mut(),
            std::ptr::from_ref(k2).cast_mut(),
            std::ptr::from_ref(k3).cast_mut(),
            c_int::from(enc),
        )
    };
}

/// `DES_ncbc_encrypt` (encrypt) of `data` (a multiple of 8 bytes) into
/// `out` from IV `iv`, which ends as the last ciphertext block.
pub fn ncbc_encrypt(data: &[u8], out: &mut [u8], ks: &DesKeySchedule, iv: &mut [u8; 8]) {
    assert!(out.len() >= data.len() && data.len().is_multiple_of(8));
    // SAFETY: `out` holds `data.len()` bytes; the schedule is only read.
    unsafe {
        DES_ncbc_encrypt(
            data.as_ptr(),
            out.as_mut_ptr(),
            c_long::try_from(data.len()).expect("length"),
            std::ptr::from_ref(ks).cast_mut(),
            iv,
            1,
        )
    };
}

/// A `CMAC_CTX` whose key (and subkeys) is set once; every message
/// restarts it with `CMAC_Init(ctx, NULL, 0, NULL, NULL)`, which keeps the
/// key, as a C caller checking many messages under one key does.
pub struct Cmac {
    ctx: *mut c_void,
}

impl Cmac {
    /// CMAC over `cipher` (a CBC cipher: `EVP_aes_128_cbc`,
    /// `EVP_des_ede_cbc`) under `key`.
    pub fn new(cipher: *const EVP_CIPHER, key: &[u8]) -> Self {
        // SAFETY: a fresh context, initialised with a valid cipher and key.
        unsafe {
            let ctx = CMAC_CTX_new();
            assert!(!ctx.is_null());
            let ok = CMAC_Init(
                ctx,
                key.as_ptr().cast(),
                key.len(),
                cipher,
                std::ptr::null_mut(),
            );
            assert_eq!(ok, 1, "CMAC_Init");
            Cmac { ctx }
        }
    }

    /// The full CMAC of `msg` into `out` (the cipher's block size).
    pub fn mac(&mut self, msg: &[u8], out: &mut [u8]) {
        let mut len = out.len();
        // SAFETY: the context holds a key; `out` holds a whole block.
        unsafe {
            let ok = CMAC_Init(
                self.ctx,
                std::ptr::null(),
                0,
                std::ptr::null(),
                std::ptr::null_mut(),
            ) & CMAC_Update(self.ctx, msg.as_ptr().cast(), msg.len())
                & CMAC_Final(self.ctx, out.as_mut_ptr(), &mut len);
            assert_eq!(ok, 1, "CMAC");
        }
        assert_eq!(len, out.len());
    }
}

impl Drop for Cmac {
    fn drop(&mut self) {
        // SAFETY: made by CMAC_CTX_new, freed once.
        unsafe { CMAC_CTX_free(self.ctx) };
    }
}

unsafe extern "C" {
    fn DES_set_key_unchecked(key: *const [u8; 8], schedule: *mut DesKeySchedule);
    fn DES_ecb_encrypt(
        input: *const [u8; 8],
        output: *mut [u8; 8],
        ks: *mut DesKeySchedule,
        enc: c_int,
    );
    fn DES_ecb3_encrypt(
        input: *const [u8; 8],
        output: *mut [u8; 8],
        ks1: *mut DesKeySchedule,
        ks2: *mut DesKeySchedule,
        ks3: *mut DesKeySchedule,
        enc: c_int,
    );
    fn DES_ncbc_encrypt(
        input: *const u8,
        output: *mut u8,
        length: c_long,
        schedule: *mut DesKeySchedule,
        ivec: *mut [u8; 8],
        enc: c_int,
    );
    /// Two-key TDES in CBC mode, for CMAC.
    pub fn EVP_des_ede_cbc() -> *const EVP_CIPHER;
    fn CMAC_CTX_new() -> *mut c_void;
    fn CMAC_CTX_free(ctx: *mut c_void);
    fn CMAC_Init(
        ctx: *mut c_void,
        key: *const c_void,
        keylen: usize,
        cipher: *const EVP_CIPHER,
        engine: *mut c_void,
    ) -> c_int;
    fn CMAC_Update(ctx: *mut c_void, data: *const c_void, len: usize) -> c_int;
    fn CMAC_Final(ctx: *mut c_void, out: *mut u8, len: *mut usize) -> c_int;
}
