//! Positive controls: planted leaks memcheck must report, the `des`
//! crate's table DES (which the kernel's own DES replaced), the kernel's
//! variable-time ECDSA verification fed a secret (so that the clean
//! signing ops are known to be seen into, not passed by), and an op whose
//! secret never reaches its output, which the harness's own taint check
//! must catch. The check is trusted only if all of them fail as expected.

use core::hint::black_box;

use paykernel::sign::PublicKey;
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
        name: "control.ecdsa-verify-on-secret",
        expect: Expect::Leak,
        aes: false,
        run: ecdsa_verify_on_secret,
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

/// ECDSA verification (the kernel's wNAF and Jacobian formulas, variable
/// time because its inputs are public) on a secret-marked signature: its
/// branches on the digits must be reported. RFC 6979 A.2.5's public key
/// and signature of "sample".
fn ecdsa_verify_on_secret(c: &mut Check) -> OpResult {
    let pk = PublicKey::from_sec1(&unhex(
        "0460FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB67903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299",
    )?)
    .map_err(fail("public key"))?;
    let sig = secret_array::<64>(
        c,
        "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8",
    )?;
    let mut out = [u8::from(pk.verify(b"sample", &sig))];
    c.output("valid", &mut out);
    Ok(())
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
