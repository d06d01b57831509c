//! `paykernel cvv ...` and `paykernel pin pvv|ibm3624|verify`: outputs
//! (text and JSON), exit statuses (0 done, 1 not valid, 2 refused), and
//! that no PIN is ever printed. Expected values are published ones, cited
//! beside each.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code"
)]

mod common;
use common::{check, run, stderr, stdout};

use std::process::Command;

/// Refused with exit 2, the message naming `option` and the error `kind`.
fn refused(args: &[&str], option: &str, kind: &str) {
    let o = run(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}");
    let e = stderr(&o);
    assert!(e.contains(option) && e.contains(kind), "{args:?}: {e}");
    assert_eq!(stdout(&o), "", "{args:?}");
}

const K: &str = "0123456789ABCDEFFEDCBA9876543210";

/// `args` with `--name value` replaced (or added).
fn with<'a>(args: &[&'a str], name: &'a str, value: &'a str) -> Vec<&'a str> {
    let mut out: Vec<&str> = args.to_vec();
    match out.iter().position(|a| *a == name) {
        Some(i) => out[i + 1] = value,
        None => out.extend([name, value]),
    }
    out
}

#[test]
fn cvv_generate_and_verify() {
    // The classic Visa example: PAN 4123456789012345, expiry 8701, service
    // code 101 -> 561 (vectors/card-verification-examples.json).
    let card = [
        "--cvk",
        K,
        "--pan",
        "4123456789012345",
        "--expiry",
        "8701",
        "--service-code",
        "101",
    ];
    let generate: Vec<&str> = ["cvv", "generate"].into_iter().chain(card).collect();
    check(&generate, 0, "cvv: 561\n");
    let json: Vec<&str> = ["--json"].into_iter().chain(generate.clone()).collect();
    check(&json, 0, "{\"cvv\":\"561\"}\n");
    let ver: Vec<&str> = ["cvv", "verify"].into_iter().chain(card).collect();
    check(&with(&ver, "--cvv", "561"), 0, "valid: true\n");
    check(&with(&ver, "--cvv", "165"), 1, "valid: false\n");
    refused(&with(&ver, "--cvv", "56"), "--cvv", "invalid-digits");
    refused(&with(&generate, "--cvk", &K[..16]), "--cvk", "invalid-key");
    // Every wrong length says what a CVK is (not the 8/16/24 of TDES keys).
    let k32 = format!("{K}{K}");
    for bad in ["01", &K[..30], &k32] {
        refused(
            &with(&generate, "--cvk", bad),
            "this key is 16 bytes",
            "invalid-key",
        );
    }
    refused(
        &with(&generate, "--pan", "41234567890"),
        "--pan",
        "invalid-pan",
    );
    refused(
        &with(&generate, "--expiry", "87"),
        "--expiry",
        "invalid-digits",
    );
    refused(
        &with(&generate, "--service-code", "1x1"),
        "--service-code",
        "invalid-digits",
    );
    // psec 1.3.0 docstring: PAN 1234567890123456, 9912, 220 -> 170.
    let psec = with(
        &with(
            &with(&generate, "--pan", "1234567890123456"),
            "--expiry",
            "9912",
        ),
        "--service-code",
        "220",
    );
    check(&psec, 0, "cvv: 170\n");
}

#[test]
fn pvv_and_ibm3624_never_print_the_pin() {
    // psec 1.3.0: PVKI 3, PIN 4524, PAN 1122334455667788 -> PVV 4021;
    // table 1234567890123456, validation data = the whole PAN padded with
    // F: PIN 1234 -> offset 7710.
    let pvv = [
        "pin",
        "pvv",
        "--pvk",
        K,
        "--pvki",
        "3",
        "--pin",
        "4524",
        "--pan",
        "1122334455667788",
    ];
    check(&pvv, 0, "pvki: 3\npvv: 4021\n");
    // Only the 4 leftmost PIN digits enter the PVV.
    check(&with(&pvv, "--pin", "452409"), 0, "pvki: 3\npvv: 4021\n");
    refused(&with(&pvv, "--pin", "452"), "--pin", "invalid-pin");
    refused(&with(&pvv, "--pvki", "33"), "--pvki", "invalid-digits");
    // The PIN from the environment.
    let o = Command::new(env!("CARGO_BIN_EXE_paykernel"))
        .args(with(&pvv, "--pin", "env:PAYKERNEL_TEST_PIN"))
        .env("PAYKERNEL_TEST_PIN", "4524\n")
        .output()
        .unwrap();
    assert_eq!(stdout(&o), "pvki: 3\npvv: 4021\n");

    let ibm = [
        "pin",
        "ibm3624",
        "--pvk",
        K,
        "--table",
        "1234567890123456",
        "--pan-verify-offset",
        "0",
        "--pan-verify-length",
        "16",
        "--pin",
        "1234",
        "--pan",
        "1122334455667788",
    ];
    check(&ibm, 0, "offset: 7710\n");
    let json: Vec<&str> = ["--json"].into_iter().chain(ibm).collect();
    check(&json, 0, "{\"offset\":\"7710\"}\n");
    // psec: 14 digits from position 1, padded with 1: natural PIN 3675.
    let from1 = with(
        &with(
            &with(
                &with(&ibm, "--pan-verify-offset", "1"),
                "--pan-verify-length",
                "14",
            ),
            "--pan-pad",
            "1",
        ),
        "--pin",
        "3675",
    );
    check(&from1, 0, "offset: 0000\n");
    refused(
        &with(&ibm, "--table", "1234567810123456"),
        "--table",
        "invalid-decimalization-table",
    );
    refused(
        &with(&ibm, "--pan-verify-length", "17"),
        "--pan-verify-length",
        "invalid-length",
    );
    refused(
        &with(&ibm, "--pan-verify-offset", "1"),
        "--pan-verify-offset",
        "invalid-length",
    );
    refused(
        &with(&from1, "--pan-pad", "G"),
        "--pan-pad",
        "invalid-digits",
    );
    // 16 PAN digits leave nothing to pad: a pad digit would be ignored.
    refused(&with(&ibm, "--pan-pad", "F"), "--pan-pad", "leave it out");
    refused(
        &with(&ibm, "--pin", "12345678901234567"),
        "--pin",
        "invalid-pin",
    );
    assert!(!stdout(&run(&pvv)).contains("4524"));
    assert!(!stdout(&run(&ibm)).contains("1234"));
}

#[test]
fn pin_verify_from_the_block() {
    // ANSI X9.24-1:2009 Annex A.4's first PIN key; the block of PIN 4524 for
    // PAN 1122334455667788 made by `pin encipher`, then checked against
    // psec's PVV (4021, PVKI 3) and offsets (0000: the natural PIN 4524).
    let key = "042666B49184CF5C68DE9628D0397B36";
    let o = run(&[
        "--json",
        "pin",
        "encipher",
        "--format",
        "0",
        "--key",
        key,
        "--pin",
        "4524",
        "--pan",
        "1122334455667788",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let block = v["block"].as_str().unwrap().to_owned();
    let base = [
        "pin",
        "verify",
        "--format",
        "0",
        "--key",
        key,
        "--block",
        &block,
        "--pan",
        "1122334455667788",
        "--pvk",
        K,
    ];
    let pvv: Vec<&str> = base
        .iter()
        .copied()
        .chain(["--pvki", "3", "--pvv", "4021"])
        .collect();
    check(&pvv, 0, "valid: true\n");
    check(&with(&pvv, "--pvv", "4022"), 1, "valid: false\n");
    let json: Vec<&str> = ["--json"]
        .into_iter()
        .chain(with(&pvv, "--pvki", "1"))
        .collect();
    check(&json, 1, "{\"valid\":false}\n");
    refused(
        &with(&pvv, "--pan", "1122334455667798"),
        "--block",
        "invalid-pin-block",
    );
    refused(&with(&pvv, "--block", "00"), "--block", "invalid-pin-block");
    refused(&with(&pvv, "--key", "0011"), "--key", "invalid-key");
    refused(&with(&pvv, "--pvv", "40"), "--pvv", "invalid-digits");

    let ibm: Vec<&str> = base
        .iter()
        .copied()
        .chain([
            "--offset",
            "0000",
            "--table",
            "1234567890123456",
            "--pan-verify-offset",
            "0",
            "--pan-verify-length",
            "16",
        ])
        .collect();
    check(&ibm, 0, "valid: true\n");
    check(&with(&ibm, "--offset", "1111"), 1, "valid: false\n");
    // The same digits but a 5-digit offset: the PIN has 4.
    check(&with(&ibm, "--offset", "00000"), 1, "valid: false\n");
    refused(
        &with(&ibm, "--table", "0000000000000000"),
        "--table",
        "invalid-decimalization-table",
    );
    refused(
        &with(&ibm, "--pan-verify-offset", "4"),
        "--pan-verify-offset",
        "invalid-length",
    );
    // Neither method.
    let o = run(&base);
    assert_eq!(o.status.code(), Some(2));
    // Nothing printed, in any case, holds the PIN.
    for args in [&pvv, &ibm] {
        let o = run(args);
        assert!(!stdout(&o).contains("4524") && !stderr(&o).contains("4524"));
    }
}
