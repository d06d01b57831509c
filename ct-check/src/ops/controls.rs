//! Positive controls: planted leaks memcheck must report, the `des`
//! crate's table DES (which the kernel's own DES replaced), and an op whose
//! secret never reaches its output, which the harness's own taint check
//! must catch. The check is trusted only if all of them fail as expected.

use core::hint::black_box;

use paykernel::{TdesCipher, TdesKey};

use crate::check::{Check, Expect, Op, OpResult, fail, secret_array, unhex};

/// The ops of this file.
pub const OPS: &[Op] = &[
    Op {
        name: "control.branch-on-secret",
        expect: Expect::Leak,
        aes: false,
        run: branch_on_secret,
    },
    Op {
        name: "control.secret-index",
        expect: Expect::Leak,
        aes: false,
        run: secret_index,
    },
    Op {
        name: "control.des-crate",
        expect: Expect::Leak,
        aes: false,
        run: des_crate,
    },
    Op {
        name: "control.untainted-output",
        expect: Expect::Untainted,
        aes: false,
        run: untainted_output,
    },
];

#[inline(never)]
fn on_set(x: u8) -> u8 {
    black_box(x.wrapping_mul(3))
}

#[inline(never)]
fn on_clear(x: u8) -> u8 {
    black_box(x.wrapping_add(7))
}

/// Branches on a secret byte: "Conditional jump or move depends on
/// uninitialised value(s)".
fn branch_on_secret(c: &mut Check) -> OpResult {
    let [b] = secret_array::<1>(c, "A5")?;
    let mut out = [if black_box(b) & 1 == 1 {
        on_set(b)
    } else {
        on_clear(b)
    }];
    c.output("branch result", &mut out);
    Ok(())
}

/// A 256-entry table, read at a secret index.
#[allow(
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    reason = "const evaluation: a bad index fails the build"
)]
static TABLE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u8).wrapping_mul(29) ^ 0x63;
        i += 1;
    }
    t
};

/// Reads a table at a secret index: "Use of uninitialised value of size 8".
fn secret_index(c: &mut Check) -> OpResult {
    let [b] = secret_array::<1>(c, "5A")?;
    let table = black_box(&TABLE);
    let mut out = [table.get(usize::from(b)).copied().unwrap_or(0)];
    c.output("table entry", &mut out);
    Ok(())
}

/// Two-key TDES with the `des` crate (0.9.0): its S-box tables are indexed
/// by key- and data-dependent bits (`apply_sboxes`).
fn des_crate(c: &mut Check) -> OpResult {
    use des::cipher::{BlockCipherEncrypt, KeyInit};
    let key = secret_array::<16>(c, "0123456789ABCDEFFEDCBA9876543210")?;
    let cipher = des::TdesEde2::new_from_slice(&key).map_err(fail("key"))?;
    let mut block = [0u8; 8].into();
    cipher.encrypt_block(&mut block);
    let mut out: [u8; 8] = block.into();
    c.output_eq("ciphertext", &mut out, "08D7B4FB629D0885")
}

/// Encrypts under a key declassified before use: a harness that forgot to
/// taint. Memcheck sees nothing; the output-taint check must fail.
fn untainted_output(c: &mut Check) -> OpResult {
    let mut key = secret_array::<16>(c, "0123456789ABCDEFFEDCBA9876543210")?;
    crate::taint::declassify(&mut key);
    let key = TdesKey::from_slice(&key).map_err(fail("key"))?;
    let mut block: [u8; 8] = unhex("0000000000000000")?
        .try_into()
        .map_err(|_| "block".to_owned())?;
    TdesCipher::new(&key).encrypt_block(&mut block);
    c.output_eq("ciphertext", &mut block, "08D7B4FB629D0885")
}
