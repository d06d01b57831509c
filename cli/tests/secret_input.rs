//! Keys need never go on the command line: every key option also takes
//! `@PATH`, `env:NAME` or `-` (standard input).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

mod common;
use std::io::Write;
use std::process::{Command, Output, Stdio};

// The classic DES known answer (FIPS 81 / "Now is t"): key 0123456789ABCDEF,
// plaintext 4E6F772069732074 -> 3FA40E8A984D4815.
const KEY: &str = "0123456789ABCDEF";
const BLOCK: &str = "4E6F772069732074";
const EXPECT: &str = "block: 3FA40E8A984D4815\n";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_paykernel"))
}

fn with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn key_from_standard_input() {
    let o = with_stdin(
        &["tdes", "encrypt", "--key", "-", "--block", BLOCK],
        "0123456789abcdef\n",
    );
    assert!(o.status.success());
    assert_eq!(String::from_utf8(o.stdout).unwrap(), EXPECT);
}

#[test]
fn key_from_the_environment() {
    let o = bin()
        .args([
            "tdes",
            "encrypt",
            "--key",
            "env:PK_TEST_KEY",
            "--block",
            BLOCK,
        ])
        .env("PK_TEST_KEY", KEY)
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(String::from_utf8(o.stdout).unwrap(), EXPECT);

    let o = bin()
        .args([
            "tdes",
            "encrypt",
            "--key",
            "env:PK_TEST_UNSET",
            "--block",
            BLOCK,
        ])
        .env_remove("PK_TEST_UNSET")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("--key") && err.contains("PK_TEST_UNSET"),
        "{err}"
    );
}

#[test]
fn key_from_a_file_with_spaces_and_newlines() {
    let dir = common::Scratch::new("secret");
    let path = dir.write("key.hex", "0123 4567\n89AB CDEF\n");
    let arg = format!("@{}", path.display());
    let o = bin()
        .args(["tdes", "encrypt", "--key", &arg, "--block", BLOCK])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(String::from_utf8(o.stdout).unwrap(), EXPECT);
}

#[test]
fn standard_input_serves_one_option_only() {
    let o = with_stdin(
        &[
            "pin",
            "translate",
            "--from-format",
            "1",
            "--from-key",
            "-",
            "--to-format",
            "1",
            "--to-key",
            "-",
            "--block",
            "0000000000000000",
        ],
        KEY,
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("--to-key") && err.contains("standard input"),
        "{err}"
    );
}
