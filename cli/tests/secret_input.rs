//! Keys need never go on the command line: every key option also takes
//! `@PATH`, `env:NAME` or `-` (standard input).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code"
)]

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

/// Every secret option (keys, PINs, PANs, CVVs, DE 55, clear data) of every
/// command takes `env:NAME`: the answer is the one the literal value
/// gives, and the literal answer is the known one.
#[test]
fn every_secret_option_takes_the_environment() {
    const IMK: &str = "0123456789ABCDEFFEDCBA9876543210";
    const MC16_DE55: &str = "9F02060000000099999F03060000000000009F1A020124950580000000005F2A0201249A032099069C01009F3704ABCDEF12820218009F3602001C9F260824CCF3DEE3158C705A0854133300890104349F10120110A00003220000ABCD00000000000322FF";
    // (command, the secret option, a substring of the known answer).
    let cases: &[(&[&str], &str, &str)] = &[
        // FIPS 81 "Now is t".
        (
            &["tdes", "encrypt", "--key", KEY, "--block", BLOCK],
            "--block",
            "block: 3FA40E8A984D4815",
        ),
        // psec 1.3.0 docs: KCV 08D7.
        (
            &["kcv", "--alg", "tdes", "--key", IMK, "--len", "2"],
            "--key",
            "kcv: 08D7",
        ),
        // X9.24-1 A.4: PIN block 1B9C1845EB993A7A.
        (
            &[
                "pin",
                "encipher",
                "--format",
                "0",
                "--key",
                "042666B49184CF5C68DE9628D0397B36",
                "--pin",
                "1234",
                "--pan",
                "4012345678909",
            ],
            "--pan",
            "block: 1B9C1845EB993A7A",
        ),
        (
            &[
                "pin",
                "decipher",
                "--format",
                "0",
                "--key",
                "042666B49184CF5C68DE9628D0397B36",
                "--block",
                "1B9C1845EB993A7A",
                "--pan",
                "4012345678909",
            ],
            "--key",
            "pin: 1234",
        ),
        // The classic Visa CVV 561.
        (
            &[
                "cvv",
                "verify",
                "--cvk",
                IMK,
                "--pan",
                "4123456789012345",
                "--expiry",
                "8701",
                "--service-code",
                "101",
                "--cvv",
                "561",
            ],
            "--cvv",
            "valid: true",
        ),
        (
            &[
                "cvv",
                "generate",
                "--cvk",
                IMK,
                "--pan",
                "4123456789012345",
                "--expiry",
                "8701",
                "--service-code",
                "101",
            ],
            "--cvk",
            "cvv: 561",
        ),
        // pyemv 1.5.0 HSM suite, Mastercard CVN 16.
        (
            &[
                "emv",
                "verify-arqc",
                "--cvn",
                "mastercard-16",
                "--de55",
                MC16_DE55,
                "--imk-ac",
                IMK,
                "--pan",
                "1234567890123456",
                "--arc",
                "0010",
            ],
            "--de55",
            "arpc: 73F6BBF389A6586C",
        ),
        (
            &[
                "emv",
                "verify-arqc",
                "--cvn",
                "mastercard-16",
                "--de55",
                MC16_DE55,
                "--imk-ac",
                IMK,
                "--pan",
                "1234567890123456",
                "--arc",
                "0010",
            ],
            "--pan",
            "arpc: 73F6BBF389A6586C",
        ),
        // X9.24-1 A.4: counter 1's block to counter 2's PIN key gives
        // counter 2's block.
        (
            &[
                "dukpt",
                "tdes",
                "translate-pin",
                "--bdk",
                IMK,
                "--ksn",
                "FFFF9876543210E00001",
                "--block",
                "1B9C1845EB993A7A",
                "--pan",
                "4012345678909",
                "--to-key",
                "C46551CEF9FD244FAA9AD834130D3B38",
                "--to-format",
                "0",
            ],
            "--to-key",
            "block: 10A01C8D02C69107",
        ),
        (
            &[
                "dukpt",
                "tdes",
                "key",
                "--ipek",
                "6AC292FAA1315B4D858AB3A3D7D5933A",
                "--ksn",
                "FFFF9876543210E00001",
            ],
            "--ipek",
            "key: 042666B49184CF5C68DE9628D0397B36",
        ),
        // NIST SP 800-38B D.1 example 2.
        (
            &[
                "mac",
                "cmac",
                "--cipher",
                "aes",
                "--key",
                "2B7E151628AED2A6ABF7158809CF4F3C",
                "--data",
                "6BC1BEE22E409F96E93D7E117393172A",
            ],
            "--key",
            "mac: 070A16B46B4D4144F79BDD9DD04A287C",
        ),
        // pyemv's tlv docstring.
        (
            &["tlv", "decode", "9C0101E0055F2A0202089F0200"],
            "DATA",
            "5F2A (transaction currency code): 0208",
        ),
    ];
    for (args, option, want) in cases {
        let literal = bin().args(*args).output().unwrap();
        let out = String::from_utf8(literal.stdout.clone()).unwrap();
        assert!(literal.status.success(), "{args:?}");
        assert!(out.contains(want), "{args:?}: {out}");
        // The same with the option's value in the environment.
        let mut env_args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let (i, value) = if *option == "DATA" {
            (env_args.len() - 1, env_args[env_args.len() - 1].clone())
        } else {
            let i = env_args.iter().position(|a| a == option).unwrap() + 1;
            (i, env_args[i].clone())
        };
        env_args[i] = "env:PK_TEST_SECRET".to_owned();
        let o = bin()
            .args(&env_args)
            .env("PK_TEST_SECRET", format!("{value}\n"))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), literal.status.code(), "{env_args:?}");
        assert_eq!(String::from_utf8(o.stdout).unwrap(), out, "{env_args:?}");
        // And from standard input.
        env_args[i] = "-".to_owned();
        let args_ref: Vec<&str> = env_args.iter().map(String::as_str).collect();
        let o = with_stdin(&args_ref, &value);
        assert_eq!(String::from_utf8(o.stdout).unwrap(), out, "{env_args:?}");
    }
}
