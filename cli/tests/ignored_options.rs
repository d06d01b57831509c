//! An option that the chosen method would ignore is refused with a message
//! that names it, never silently dropped (a PAN given to a format without
//! one usually means the wrong format was chosen).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_paykernel"))
}

/// Runs `args`; asserts exit 2 and that standard error names `option`.
fn refused(args: &[&str], option: &str) {
    let o = bin().args(args).output().unwrap();
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.contains(option), "{args:?}: {err}");
}

// ANSI X9.24-1:2009 Annex A.4, transaction 1's PIN key.
const KEY: &str = "042666B49184CF5C68DE9628D0397B36";

#[test]
fn pin_options_a_format_does_not_use() {
    refused(
        &[
            "pin",
            "encipher",
            "--format",
            "1",
            "--key",
            KEY,
            "--pin",
            "1234",
            "--pan",
            "4012345678909",
        ],
        "--pan",
    );
    refused(
        &[
            "pin",
            "encipher",
            "--format",
            "0",
            "--key",
            KEY,
            "--pin",
            "1234",
            "--pan",
            "4012345678909",
            "--fill",
            "FFFFFFFFFF",
        ],
        "--fill",
    );
    refused(
        &[
            "pin",
            "decipher",
            "--format",
            "2",
            "--key",
            KEY,
            "--block",
            "1B9C1845EB993A7A",
            "--pan",
            "4012345678909",
        ],
        "--pan",
    );
    // The same inputs without the stray option work: Annex A.4's block.
    let o = bin()
        .args([
            "pin",
            "encipher",
            "--format",
            "0",
            "--key",
            KEY,
            "--pin",
            "1234",
            "--pan",
            "4012345678909",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "format: 0\nblock: 1B9C1845EB993A7A\n"
    );
}

#[test]
fn the_pin_need_not_be_on_the_command_line() {
    let o = bin()
        .args([
            "pin",
            "encipher",
            "--format",
            "0",
            "--key",
            KEY,
            "--pin",
            "env:PK_TEST_PIN",
            "--pan",
            "4012345678909",
        ])
        .env("PK_TEST_PIN", "1234")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "format: 0\nblock: 1B9C1845EB993A7A\n"
    );
}
