//! The C boundary (`paykernel-ffi`): every exported function called as C
//! would call it, with pointers that are null or point to valid buffers of
//! fuzzed lengths and contents, fuzzed codes (formats, ciphers, variants,
//! key types, usages) and fuzzed terminal structs (contents and `len`).
//!
//! What must hold besides "no panic, no undefined behaviour" (run it with
//! the address sanitizer, cargo fuzz's default): every status is `PK_OK`,
//! `PK_ERR_NULL_POINTER` or the code of a kernel error; a null pointer
//! where one is required gives `PK_ERR_NULL_POINTER`, never success; and
//! after an error every output buffer is zeros.
#![no_main]

use core::ffi::c_void;
use core::ptr;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use paykernel_ffi::*;

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

/// An input buffer: null (with a fuzzed length), or fuzzed bytes of a
/// length near `usual`.
struct In {
    bytes: Option<Vec<u8>>,
    len: usize,
}

impl In {
    fn new(u: &mut Unstructured<'_>, usual: usize) -> Result<Self> {
        if u.ratio(1, 16)? {
            let len = if u.arbitrary()? { 0 } else { u.int_in_range(1..=64)? };
            return Ok(In { bytes: None, len });
        }
        let len = if u.ratio(3, 4)? {
            usual
        } else {
            u.int_in_range(0..=usual.saturating_mul(2).max(4))?
        };
        let mut v = vec![0u8; len];
        u.fill_buffer(&mut v)?;
        Ok(In {
            len: v.len(),
            bytes: Some(v),
        })
    }

    /// ASCII digits (a PIN, a PAN), now and then with a stray byte.
    fn digits(u: &mut Unstructured<'_>, usual: usize) -> Result<Self> {
        let mut b = In::new(u, usual)?;
        if let Some(v) = b.bytes.as_mut() {
            for c in v.iter_mut() {
                *c = b'0' + (*c % 10);
            }
            if !v.is_empty() && u.ratio(1, 8)? {
                let i = u.choose_index(v.len())?;
                v[i] = u.arbitrary()?;
            }
        }
        Ok(b)
    }

    fn ptr(&self) -> *const u8 {
        self.bytes.as_ref().map_or(ptr::null(), |v| v.as_ptr())
    }

    fn is_null_with_len(&self) -> bool {
        self.bytes.is_none() && self.len > 0
    }
}

/// An output buffer: null, or filled with `A5` so that "zeros after an
/// error" is a real check.
struct Out {
    bytes: Option<Vec<u8>>,
    cap: usize,
}

impl Out {
    fn new(u: &mut Unstructured<'_>, usual: usize) -> Result<Self> {
        if u.ratio(1, 16)? {
            return Ok(Out {
                bytes: None,
                cap: u.int_in_range(0..=64)?,
            });
        }
        let cap = if u.ratio(3, 4)? {
            usual
        } else {
            u.int_in_range(0..=usual.saturating_mul(2).max(4))?
        };
        Ok(Out {
            bytes: Some(vec![0xA5; cap]),
            cap,
        })
    }

    fn ptr(&mut self) -> *mut u8 {
        self.bytes.as_mut().map_or(ptr::null_mut(), |v| v.as_mut_ptr())
    }

    fn is_null(&self) -> bool {
        self.bytes.is_none()
    }

    fn is_zero(&self) -> bool {
        self.bytes.as_ref().is_none_or(|v| v.iter().all(|&b| b == 0))
    }
}

/// A fuzzed random source: gives bytes, or fails.
extern "C" fn rng(ctx: *mut c_void, out: *mut u8, len: usize) -> i32 {
    // SAFETY: `ctx` is the `u8` below; `out` has `len` bytes (the
    // boundary's contract for `pk_rng_fn`).
    unsafe {
        let fail = *(ctx as *const u8);
        if fail == 0xFF {
            return -1;
        }
        ptr::write_bytes(out, fail, len);
    }
    0
}

fn rng_choice(u: &mut Unstructured<'_>, ctx: &mut u8) -> Result<PkRngFn> {
    *ctx = u.arbitrary()?;
    Ok(if u.ratio(1, 16)? { None } else { Some(rng) })
}

fn small_code(u: &mut Unstructured<'_>, n: u32) -> Result<u32> {
    if u.ratio(1, 8)? { u.arbitrary() } else { u.int_in_range(0..=n) }
}

/// A terminal struct: loaded from known keys, or fuzzed contents and len.
fn tdes_terminal(u: &mut Unstructured<'_>) -> Result<Box<PkTdesDukptTerminal>> {
    let mut t = Box::new(PkTdesDukptTerminal {
        state: [0; PK_TDES_DUKPT_STATE_LEN],
        len: 0,
    });
    if u.arbitrary()? {
        let ipek = [0x6Au8; 16];
        let mut ksn = [0xFFu8; 10];
        ksn[7..].fill(0);
        ksn[9] = u.arbitrary()?;
        // SAFETY: valid pointers and lengths.
        unsafe { pk_tdes_dukpt_load(&mut *t, ipek.as_ptr(), 16, ksn.as_ptr(), 10) };
    } else {
        u.fill_buffer(&mut t.state)?;
        t.len = u.int_in_range(0..=PK_TDES_DUKPT_STATE_LEN + 8)?;
    }
    if u.ratio(1, 4)? {
        let i = u.choose_index(PK_TDES_DUKPT_STATE_LEN)?;
        t.state[i] ^= u.arbitrary::<u8>()?;
    }
    Ok(t)
}

fn aes_terminal(u: &mut Unstructured<'_>) -> Result<Box<PkAesDukptTerminal>> {
    let mut t = Box::new(PkAesDukptTerminal {
        state: [0; PK_AES_DUKPT_STATE_LEN],
        len: 0,
    });
    if u.arbitrary()? {
        let ik = [0x12u8; 16];
        let mut ksn = [0x34u8; 12];
        ksn[8..].fill(0);
        ksn[11] = u.arbitrary()?;
        // SAFETY: valid pointers and lengths.
        unsafe { pk_aes_dukpt_load(&mut *t, ik.as_ptr(), 16, ksn.as_ptr(), 12) };
    } else {
        u.fill_buffer(&mut t.state)?;
        t.len = u.int_in_range(0..=PK_AES_DUKPT_STATE_LEN + 8)?;
    }
    if u.ratio(1, 4)? {
        let i = u.choose_index(PK_AES_DUKPT_STATE_LEN)?;
        t.state[i] ^= u.arbitrary::<u8>()?;
    }
    Ok(t)
}

/// The status is one the header names.
fn known(s: PkStatus) {
    assert!(
        s == PK_OK || s == PK_ERR_NULL_POINTER || error_of(s).is_some(),
        "unknown status {s}"
    );
}

/// After an error every output is zeros; a required null pointer is never
/// a success.
fn outcome(s: PkStatus, outs: &[&Out], nulls: &[bool]) {
    known(s);
    if s != PK_OK {
        for o in outs {
            assert!(o.is_zero(), "output not wiped after {s}");
        }
    }
    if nulls.iter().any(|&n| n) {
        assert_ne!(s, PK_OK, "success with a null pointer");
    }
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let mut ctx = 0u8;
    let mut len_out = 0usize;
    // SAFETY (every call below): each pointer is null or points to a live
    // buffer of the length passed with it; terminals are boxed structs.
    unsafe {
        match u.int_in_range(0..=20u8)? {
            0 | 1 => {
                let with_fill = u.arbitrary()?;
                let (key, pin, pan) = (In::new(u, 16)?, In::digits(u, 4)?, In::digits(u, 16)?);
                let fill = In::new(u, 16)?;
                let mut block = Out::new(u, PK_PIN_BLOCK_MAX_LEN)?;
                let format = small_code(u, 5)?;
                let s = if with_fill {
                    pk_pin_encipher_with_fill(format, key.ptr(), key.len, pin.ptr(), pin.len, pan.ptr(), pan.len, fill.ptr(), fill.len, block.ptr(), block.cap, &mut len_out)
                } else {
                    let r = rng_choice(u, &mut ctx)?;
                    let s = pk_pin_encipher(format, key.ptr(), key.len, pin.ptr(), pin.len, pan.ptr(), pan.len, r, (&raw mut ctx).cast(), block.ptr(), block.cap, &mut len_out);
                    // A missing source is always refused; a failing one
                    // whenever the format draws random fill (1, 3 and 4).
                    if r.is_none() {
                        assert_ne!(s, PK_OK);
                    } else if ctx == 0xFF && matches!(format, 1 | 3 | 4) {
                        assert_ne!(s, PK_OK);
                    }
                    s
                };
                outcome(s, &[&block], &[block.is_null(), key.is_null_with_len(), pin.is_null_with_len()]);
                if s == PK_OK {
                    assert!(len_out == 8 || len_out == 16);
                }
            }
            2 => {
                let (key, block, pan) = (In::new(u, 16)?, In::new(u, 8)?, In::digits(u, 13)?);
                let mut pin = Out::new(u, PK_PIN_MAX_DIGITS)?;
                let lp: *mut usize = if u.ratio(1, 16)? { ptr::null_mut() } else { &mut len_out };
                let s = pk_pin_decipher(small_code(u, 5)?, key.ptr(), key.len, block.ptr(), block.len, pan.ptr(), pan.len, pin.ptr(), pin.cap, lp);
                outcome(s, &[&pin], &[pin.is_null(), lp.is_null()]);
            }
            3 => {
                let (k1, k2, block, pan) = (In::new(u, 16)?, In::new(u, 32)?, In::new(u, 8)?, In::digits(u, 13)?);
                let mut out = Out::new(u, PK_PIN_BLOCK_MAX_LEN)?;
                let r = rng_choice(u, &mut ctx)?;
                let s = pk_pin_translate(small_code(u, 5)?, k1.ptr(), k1.len, small_code(u, 5)?, k2.ptr(), k2.len, block.ptr(), block.len, pan.ptr(), pan.len, r, (&raw mut ctx).cast(), out.ptr(), out.cap, &mut len_out);
                outcome(s, &[&out], &[out.is_null()]);
            }
            4 => {
                let (ipek, ksn) = (In::new(u, 16)?, In::new(u, 10)?);
                let mut t = tdes_terminal(u)?;
                let tp: *mut PkTdesDukptTerminal = if u.ratio(1, 16)? { ptr::null_mut() } else { &mut *t };
                let s = pk_tdes_dukpt_load(tp, ipek.ptr(), ipek.len, ksn.ptr(), ksn.len);
                outcome(s, &[], &[tp.is_null()]);
                if s != PK_OK && !tp.is_null() {
                    assert_eq!(t.len, 0, "a failed load left a state");
                }
            }
            5 => {
                let mut t = tdes_terminal(u)?;
                let before = (t.state, t.len);
                let (mut ksn, mut key) = (Out::new(u, PK_TDES_KSN_LEN)?, Out::new(u, PK_TDES_DUKPT_KEY_LEN)?);
                let s = pk_tdes_dukpt_next(&mut *t, small_code(u, 6)?, ksn.ptr(), ksn.cap, key.ptr(), key.cap);
                outcome(s, &[&ksn, &key], &[ksn.is_null(), key.is_null()]);
                if s != PK_OK {
                    assert!(before == (t.state, t.len), "a failed call changed the terminal");
                }
            }
            6 => {
                let t = tdes_terminal(u)?;
                let mut out = Out::new(u, PK_TDES_DUKPT_STATE_LEN)?;
                let s = pk_tdes_dukpt_save(&*t, out.ptr(), out.cap, &mut len_out);
                outcome(s, &[&out], &[out.is_null()]);
                if s == PK_OK {
                    // What was saved restores.
                    let mut back = tdes_terminal(u)?;
                    assert_eq!(pk_tdes_dukpt_restore(&mut *back, out.ptr(), len_out), PK_OK);
                }
            }
            7 => {
                let mut t = tdes_terminal(u)?;
                let before = (t.state, t.len);
                let state = In::new(u, PK_TDES_DUKPT_STATE_LEN)?;
                let s = pk_tdes_dukpt_restore(&mut *t, state.ptr(), state.len);
                outcome(s, &[], &[state.is_null_with_len()]);
                if s != PK_OK {
                    assert!(before == (t.state, t.len));
                }
            }
            8 => {
                let (bdk, ksn) = (In::new(u, 16)?, In::new(u, 10)?);
                let mut key = Out::new(u, PK_TDES_DUKPT_KEY_LEN)?;
                let s = pk_tdes_dukpt_derive(bdk.ptr(), bdk.len, ksn.ptr(), ksn.len, small_code(u, 6)?, key.ptr(), key.cap);
                outcome(s, &[&key], &[key.is_null()]);
            }
            9 => {
                let (ik, ksn) = (In::new(u, 16)?, In::new(u, 12)?);
                let mut t = aes_terminal(u)?;
                let s = pk_aes_dukpt_load(&mut *t, ik.ptr(), ik.len, ksn.ptr(), ksn.len);
                outcome(s, &[], &[]);
                if s != PK_OK {
                    assert_eq!(t.len, 0);
                }
            }
            10 => {
                let mut t = aes_terminal(u)?;
                let before = (t.state, t.len);
                let (mut ksn, mut key) = (Out::new(u, PK_AES_KSN_LEN)?, Out::new(u, PK_AES_DUKPT_KEY_MAX_LEN)?);
                let s = pk_aes_dukpt_next(&mut *t, small_code(u, 8)?, small_code(u, 8)?, ksn.ptr(), ksn.cap, key.ptr(), key.cap, &mut len_out);
                outcome(s, &[&ksn, &key], &[ksn.is_null(), key.is_null()]);
                if s != PK_OK {
                    assert!(before == (t.state, t.len));
                }
            }
            11 => {
                let t = aes_terminal(u)?;
                let mut out = Out::new(u, PK_AES_DUKPT_STATE_LEN)?;
                let s = pk_aes_dukpt_save(&*t, out.ptr(), out.cap, ptr::null_mut());
                outcome(s, &[&out], &[out.is_null()]);
            }
            12 => {
                let mut t = aes_terminal(u)?;
                let state = In::new(u, PK_AES_DUKPT_STATE_LEN)?;
                let s = pk_aes_dukpt_restore(&mut *t, state.ptr(), state.len);
                outcome(s, &[], &[state.is_null_with_len()]);
            }
            13 => {
                let (bdk, ksn) = (In::new(u, 16)?, In::new(u, 12)?);
                let mut key = Out::new(u, PK_AES_DUKPT_KEY_MAX_LEN)?;
                let s = pk_aes_dukpt_derive(bdk.ptr(), bdk.len, ksn.ptr(), ksn.len, small_code(u, 8)?, small_code(u, 8)?, key.ptr(), key.cap, &mut len_out);
                outcome(s, &[&key], &[key.is_null()]);
            }
            14 | 15 => {
                let cipher = small_code(u, 4)?;
                let (key, msg) = (In::new(u, 16)?, In::new(u, 20)?);
                let s = if u.arbitrary()? {
                    let mut mac = Out::new(u, 8)?;
                    let s = pk_cmac_generate(cipher, key.ptr(), key.len, msg.ptr(), msg.len, mac.ptr(), mac.cap);
                    outcome(s, &[&mac], &[mac.is_null()]);
                    s
                } else {
                    let mac = In::new(u, 8)?;
                    pk_cmac_verify(cipher, key.ptr(), key.len, msg.ptr(), msg.len, mac.ptr(), mac.len)
                };
                known(s);
            }
            16 => {
                let (alg, cipher, padding) = (small_code(u, 4)?, small_code(u, 4)?, small_code(u, 4)?);
                let (key, msg) = (In::new(u, 16)?, In::new(u, 20)?);
                if u.arbitrary()? {
                    let mut mac = Out::new(u, 8)?;
                    let s = pk_iso9797_generate(alg, cipher, padding, key.ptr(), key.len, msg.ptr(), msg.len, mac.ptr(), mac.cap);
                    outcome(s, &[&mac], &[mac.is_null()]);
                } else {
                    let mac = In::new(u, 8)?;
                    known(pk_iso9797_verify(alg, cipher, padding, key.ptr(), key.len, msg.ptr(), msg.len, mac.ptr(), mac.len));
                }
            }
            17 => {
                let (key, rec) = (In::new(u, 16)?, In::new(u, PK_RECORD_LEN)?);
                let mut f = PkRecordFields::default();
                let fp: *mut PkRecordFields = if u.arbitrary()? { ptr::null_mut() } else { &mut f };
                let s = pk_record_verify(key.ptr(), key.len, rec.ptr(), rec.len, fp);
                known(s);
                if s != PK_OK {
                    assert_eq!(f, PkRecordFields::default());
                }
            }
            18 => {
                let (key, rec, tid) = (In::new(u, 16)?, In::new(u, PK_RECORD_LEN)?, In::new(u, PK_TERMINAL_ID_LEN)?);
                let mut out = Out::new(u, PK_RECORD_LEN)?;
                let (amount, ts) = (u.arbitrary()?, u.arbitrary()?);
                let s = if u.arbitrary()? {
                    pk_record_debit(key.ptr(), key.len, rec.ptr(), rec.len, amount, tid.ptr(), tid.len, ts, out.ptr(), out.cap)
                } else {
                    pk_record_credit(key.ptr(), key.len, rec.ptr(), rec.len, amount, tid.ptr(), tid.len, ts, out.ptr(), out.cap)
                };
                outcome(s, &[&out], &[out.is_null()]);
            }
            19 => {
                let key = In::new(u, 16)?;
                let f = PkRecordFields {
                    card_id: u.arbitrary()?,
                    currency: u.arbitrary()?,
                    exponent: u.arbitrary()?,
                    flags: u.arbitrary()?,
                    balance: u.arbitrary()?,
                    limit: u.arbitrary()?,
                    counter: u.arbitrary()?,
                    amount: u.arbitrary()?,
                    terminal_id: u.arbitrary()?,
                    timestamp: u.arbitrary()?,
                    prev_tag: u.arbitrary()?,
                };
                let fp: *const PkRecordFields = if u.ratio(1, 16)? { ptr::null() } else { &f };
                let mut out = Out::new(u, PK_RECORD_LEN)?;
                let s = pk_record_seal(key.ptr(), key.len, fp, out.ptr(), out.cap);
                outcome(s, &[&out], &[out.is_null(), fp.is_null()]);
            }
            _ => {
                let (key, msg) = (In::new(u, 32)?, In::new(u, 8)?);
                match u.int_in_range(0..=2u8)? {
                    0 => {
                        let mut sig = Out::new(u, PK_ECDSA_SIGNATURE_LEN)?;
                        let s = pk_ecdsa_sign(key.ptr(), key.len, msg.ptr(), msg.len, sig.ptr(), sig.cap);
                        outcome(s, &[&sig], &[sig.is_null()]);
                    }
                    1 => {
                        let mut pk = Out::new(u, PK_ECDSA_PUBLIC_KEY_LEN)?;
                        let s = pk_ecdsa_public_key(key.ptr(), key.len, pk.ptr(), pk.cap, &mut len_out);
                        outcome(s, &[&pk], &[pk.is_null()]);
                    }
                    _ => {
                        let (pk, sig) = (In::new(u, PK_ECDSA_PUBLIC_KEY_LEN)?, In::new(u, PK_ECDSA_SIGNATURE_LEN)?);
                        known(pk_ecdsa_verify(pk.ptr(), pk.len, msg.ptr(), msg.len, sig.ptr(), sig.len));
                    }
                }
            }
        }
        // Every code has a name.
        let _ = pk_status_kind(u.arbitrary()?);
    }
    Ok(())
}
