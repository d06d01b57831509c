//! Every refusal names the option that is wrong and says why, in text (on
//! standard error) and as one JSON object with `--json` (on standard
//! output), with exit status 2: a wrong key is reported against the key,
//! not the block it fails to open; hex that does not decode is "not hex",
//! not a wrong length or parity.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code"
)]

mod common;
use common::run;

/// `args` is refused (exit 2) about `option` with error `kind`: the text
/// message starts with the option and contains `why`; the JSON one has
/// `error` = `kind`, `option` = `option` and the same message.
fn refused(args: &[&str], option: &str, kind: &str, why: &str) {
    let o = run(args);
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert!(o.stdout.is_empty(), "{args:?}");
    let line = err.trim_end();
    assert!(
        line.starts_with(&format!("error: {option}")),
        "{args:?}: {line}"
    );
    assert!(line.contains(why), "{args:?}: {line}");
    assert!(line.ends_with(&format!("({kind})")), "{args:?}: {line}");

    let json: Vec<&str> = ["--json"].iter().chain(args).copied().collect();
    let o = run(&json);
    assert_eq!(o.status.code(), Some(2), "{json:?}");
    assert!(o.stderr.is_empty(), "{json:?}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"], kind, "{json:?}: {v}");
    assert_eq!(v["option"], option, "{json:?}: {v}");
    assert_eq!(
        format!("error: {}", v["message"].as_str().unwrap()),
        line,
        "{json:?}"
    );
}

/// A usage refusal (no kernel error kind): exit 2, the message starts
/// with `option` and contains `why`; JSON `error` = `usage`.
fn usage(args: &[&str], option: &str, why: &str) {
    let o = run(args);
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert!(
        err.starts_with(&format!("error: {option}")) && err.contains(why),
        "{args:?}: {err}"
    );
    let json: Vec<&str> = ["--json"].iter().chain(args).copied().collect();
    let o = run(&json);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"], "usage", "{v}");
    assert_eq!(v["option"], option, "{v}");
}

const TDES16: &str = "0123456789ABCDEFFEDCBA9876543210";

#[test]
fn keys_and_blocks() {
    let enc = |key: &'static str, block: &'static str| {
        ["tdes", "encrypt", "--key", key, "--block", block]
    };
    let r = |v: &[&'static str]| v.to_vec();
    // Hex that does not decode is "not hex", not a wrong parity or length.
    let a = enc("0123456789ABCDEZ", "4E6F772069732074");
    refused(&r(&a), "--key", "invalid-key", "not hex");
    let o = run(&r(&a));
    assert!(!String::from_utf8(o.stderr).unwrap().contains("parity"));
    refused(
        &r(&enc("0123456789ABCD", "4E6F772069732074")),
        "--key",
        "invalid-key",
        "7 bytes; a TDES key is 8, 16 or 24 bytes",
    );
    refused(
        &r(&enc("0123456789ABCDEF", "4E6F7720697320")),
        "--block",
        "invalid-length",
        "7 bytes; one block is 8 bytes",
    );
    usage(
        &r(&enc("0123456789ABCDEF", "4E6F77206973207G")),
        "--block",
        "not hex",
    );
    refused(
        &["aes", "decrypt", "--key", "00", "--block", "00"],
        "--key",
        "invalid-key",
        "1 byte; an AES key is 16, 24 or 32 bytes",
    );
    refused(
        &["kcv", "--alg", "tdes", "--key", TDES16, "--len", "9"],
        "--len",
        "invalid-length",
        "9; a check value of this key is 1 to 8 bytes",
    );
    usage(
        &[
            "kdf",
            "kbkdf-cmac",
            "--key",
            "00000000000000000000000000000000",
            "--fixed-input",
            "00",
            "--counter-bits",
            "12",
            "--len",
            "16",
        ],
        "--counter-bits",
        "the counter is 8, 16, 24 or 32 bits",
    );
}

// ANSI X9.24-1:2009 A.4: counter 1's PIN key and format-0 PIN block.
const PIN_KEY: &str = "042666B49184CF5C68DE9628D0397B36";
const PIN_BLOCK: &str = "1B9C1845EB993A7A";
const PAN: &str = "4012345678909";

#[test]
fn pin_blocks() {
    let dec = |key: &'static str, block: &'static str, pan: &'static str| {
        [
            "pin", "decipher", "--format", "0", "--key", key, "--block", block, "--pan", pan,
        ]
    };
    // A wrong key is reported against the key, not the block.
    refused(
        &dec(TDES16, PIN_BLOCK, PAN),
        "--key",
        "invalid-pin-block",
        "the block does not decipher to a format 0 PIN block under this key: a wrong --key, a wrong --pan or a damaged --block",
    );
    refused(
        &dec(PIN_KEY, "1B9C1845EB993A", PAN),
        "--block",
        "invalid-pin-block",
        "7 bytes; a format 0 block is 8 bytes",
    );
    refused(
        &dec(PIN_KEY, PIN_BLOCK, "40123"),
        "--pan",
        "invalid-pan",
        "5 digits; a PAN is 12 to 19",
    );
    refused(
        &dec(PIN_KEY, PIN_BLOCK, "401234567890X"),
        "--pan",
        "invalid-pan",
        "not decimal digits",
    );
    let enc = |format: &'static str, key: &'static str, pin: &'static str| {
        [
            "pin", "encipher", "--format", format, "--key", key, "--pin", pin, "--pan", PAN,
        ]
    };
    refused(
        &enc("0", PIN_KEY, "12a4"),
        "--pin",
        "invalid-pin",
        "not decimal digits",
    );
    refused(
        &enc("0", PIN_KEY, "123"),
        "--pin",
        "invalid-pin",
        "a PIN is 4 to 12 digits",
    );
    refused(
        &enc("4", "0123456789ABCDEF", "1234"),
        "--key",
        "invalid-key",
        "8 bytes; format 4 takes an AES key of 16, 24 or 32 bytes",
    );
    usage(
        &[
            "pin", "encipher", "--format", "0", "--key", PIN_KEY, "--pin", "1234",
        ],
        "--pan",
        "formats 0, 3 and 4 bind the PIN to the PAN",
    );
    // Translation: the incoming key is named.
    refused(
        &[
            "pin",
            "translate",
            "--from-format",
            "0",
            "--from-key",
            TDES16,
            "--to-format",
            "0",
            "--to-key",
            PIN_KEY,
            "--block",
            PIN_BLOCK,
            "--pan",
            PAN,
        ],
        "--from-key",
        "invalid-pin-block",
        "does not decipher",
    );
    // PIN verification: the PIN key is named, then the method's options.
    let verify = [
        "pin", "verify", "--format", "0", "--key", TDES16, "--block", PIN_BLOCK, "--pan", PAN,
        "--pvk", TDES16, "--pvki", "1", "--pvv", "1234",
    ];
    refused(&verify, "--key", "invalid-pin-block", "does not decipher");
    let mut bad_pvv = verify.to_vec();
    bad_pvv[5] = PIN_KEY;
    bad_pvv[15] = "12345";
    refused(
        &bad_pvv,
        "--pvv",
        "invalid-digits",
        "a PVV is 4 decimal digits",
    );
}

#[test]
fn card_values() {
    // The classic Visa CVV example (CVV 561).
    let cvv = |cvk: &'static str, expiry: &'static str, sc: &'static str| {
        [
            "cvv",
            "verify",
            "--cvk",
            cvk,
            "--pan",
            "4123456789012345",
            "--expiry",
            expiry,
            "--service-code",
            sc,
            "--cvv",
            "561",
        ]
    };
    assert_eq!(run(&cvv(TDES16, "8701", "101")).status.code(), Some(0));
    refused(
        &cvv("0123456789ABCDEF", "8701", "101"),
        "--cvk",
        "invalid-key",
        "8 bytes; this key is 16 bytes (double-length TDES)",
    );
    refused(
        &cvv(TDES16, "87A1", "101"),
        "--expiry",
        "invalid-digits",
        "4 decimal digits, YYMM",
    );
    refused(
        &cvv(TDES16, "8701", "10"),
        "--service-code",
        "invalid-digits",
        "3 decimal digits",
    );
    let mut short = cvv(TDES16, "8701", "101");
    short[11] = "56";
    refused(
        &short,
        "--cvv",
        "invalid-digits",
        "a CVV is 3 decimal digits",
    );
}

#[test]
fn macs() {
    let alg3 = |key: &'static str, padding: &'static str| {
        [
            "mac",
            "iso9797",
            "--alg",
            "3",
            "--cipher",
            "des",
            "--key",
            key,
            "--data",
            "00",
            "--padding",
            padding,
        ]
    };
    refused(
        &alg3("0123456789ABCDEF", "1"),
        "--key",
        "invalid-key",
        "8 bytes; algorithm 3 with DES takes 16 bytes (K || K')",
    );
    refused(
        &alg3(TDES16, "4"),
        "--padding",
        "invalid-padding",
        "4; ISO/IEC 9797-1 padding is method 1, 2 or 3",
    );
    let mut long = alg3(TDES16, "1").to_vec();
    long.extend(["--len", "9"]);
    refused(
        &long,
        "--len",
        "invalid-length",
        "9; a MAC of this cipher is 1 to 8 bytes",
    );
}

const IMK: &str = "0123456789ABCDEFFEDCBA9876543210";

#[test]
fn emv() {
    refused(
        &[
            "emv", "icc-mk", "--option", "A", "--imk", "0123", "--pan", PAN,
        ],
        "--imk",
        "invalid-key",
        "2 bytes; this key is 16 bytes",
    );
    refused(
        &[
            "emv", "icc-mk", "--option", "A", "--imk", IMK, "--pan", PAN, "--psn", "1",
        ],
        "--psn",
        "invalid-pan",
        "the PAN sequence number is 2 decimal digits",
    );
    // The issuer's check: a 1-byte cryptogram is refused, not answered.
    refused(
        &[
            "emv",
            "verify-arqc",
            "--sk",
            IMK,
            "--data",
            "00",
            "--arqc",
            "A1",
            "--len",
            "1",
        ],
        "--len",
        "invalid-length",
        "a cryptogram is checked on 4 to 8 bytes",
    );
    refused(
        &[
            "emv",
            "arpc",
            "--method",
            "1",
            "--sk",
            IMK,
            "--arqc",
            "00000000000000",
            "--arc",
            "3030",
        ],
        "--arqc",
        "invalid-length",
        "7 bytes; it must be 8 bytes",
    );
    // DE 55 without 9F37 (pyemv's Mastercard CVN 16 transaction).
    let de55 = "9F02060000000099999F03060000000000009F1A020124950580000000005F2A0201249A032099069C0100820218009F3602001C9F260824CCF3DEE3158C70";
    let cvn = |de55: &'static str, extra: &[&'static str]| {
        let mut a = vec![
            "emv",
            "verify-arqc",
            "--cvn",
            "mastercard-16",
            "--de55",
            de55,
            "--imk-ac",
            IMK,
            "--pan",
            "1234567890123456",
            "--arc",
            "0010",
        ];
        a.extend_from_slice(extra);
        a
    };
    refused(
        &cvn(de55, &["--cvr", "A00003220000"]),
        "--de55",
        "invalid-tlv",
        "9F37 (unpredictable number) is missing",
    );
    refused(
        &cvn("9F0206000000", &["--cvr", "A00003220000"]),
        "--de55",
        "invalid-tlv",
        "not well-formed BER-TLV",
    );
    refused(
        &cvn(de55, &["--cvr", "A000032200"]),
        "--cvr",
        "invalid-length",
        "5 bytes; mastercard-16's CVR is 6 bytes",
    );
    // The CVR read from a 9F10 too short for it.
    let with_9f37 = "9F02060000000099999F03060000000000009F1A020124950580000000005F2A0201249A032099069C01009F3704ABCDEF12820218009F3602001C9F260824CCF3DEE3158C709F10020110";
    refused(
        &cvn(with_9f37, &[]),
        "--de55",
        "invalid-length",
        "9F10 (issuer application data) has 2 bytes",
    );
}

#[test]
fn dukpt() {
    let mac = |ksn: &'static str, bdk: &'static str| {
        [
            "dukpt", "tdes", "mac", "--bdk", bdk, "--ksn", ksn, "--data", "00",
        ]
    };
    refused(
        &mac("FFFF98", TDES16),
        "--ksn",
        "invalid-ksn",
        "3 bytes; a TDES DUKPT KSN is 10 bytes",
    );
    refused(
        &mac("FFFF9876543210E00001", "0123456789ABCDEF"),
        "--bdk",
        "invalid-key",
        "8 bytes; this key is 16 bytes",
    );
    // A block that does not open under the transaction's PIN key: the
    // key's option is named (X9.24-1 A.4: counter 1's block, counter 2's
    // KSN).
    refused(
        &[
            "dukpt",
            "tdes",
            "translate-pin",
            "--bdk",
            TDES16,
            "--ksn",
            "FFFF9876543210E00002",
            "--block",
            PIN_BLOCK,
            "--pan",
            PAN,
            "--to-key",
            PIN_KEY,
            "--to-format",
            "0",
        ],
        "--bdk",
        "invalid-pin-block",
        "a wrong --bdk or --ksn, a wrong --pan, or a damaged --block",
    );
    let aes = |cmd: &'static str, extra: &[&'static str]| {
        let mut a = vec![
            "dukpt",
            "aes",
            cmd,
            "--bdk",
            "FEDCBA9876543210F1F1F1F1F1F1F1F1",
            "--ksn",
            "123456789012345600000001",
        ];
        a.extend_from_slice(extra);
        a
    };
    refused(
        &aes("encrypt-data", &["--data", "0011"]),
        "--data",
        "invalid-length",
        "2 bytes; the data key's cipher takes whole 16-byte blocks, at least one",
    );
    refused(
        &aes(
            "encrypt-data",
            &["--data", "00112233445566778899AABBCCDDEEFF", "--iv", "00"],
        ),
        "--iv",
        "invalid-length",
        "1 byte; the data key's cipher takes a 16-byte IV",
    );
    refused(
        &aes("mac", &["--data", "00", "--key-type", "2TDEA"]),
        "--key-type",
        "unsupported",
        "cannot make a MAC",
    );
    // A usage that cannot make a MAC: the option that chose it is named.
    refused(
        &aes("mac", &["--data", "00", "--usage", "data-encrypt"]),
        "--usage",
        "unsupported",
        "cannot make a MAC",
    );
    refused(
        &aes("mac", &["--data", "00", "--verify", "A2EB5C"]),
        "--verify",
        "invalid-length",
        "3 bytes; a MAC is checked on 4 to 16 bytes",
    );
    refused(
        &aes(
            "translate-pin",
            &[
                "--block",
                PIN_BLOCK,
                "--format",
                "0",
                "--pan",
                PAN,
                "--to-key",
                PIN_KEY,
                "--to-format",
                "0",
            ],
        ),
        "--format",
        "unsupported",
        "0; a AES128 PIN key enciphers format 4",
    );
    refused(
        &[
            "dukpt",
            "aes",
            "key",
            "--bdk",
            "FEDCBA9876543210F1F1F1F1F1F1F1F1",
            "--ksn",
            "123456789012345600000001",
            "--key-type",
            "AES256",
            "--usage",
            "pin",
        ],
        "--key-type",
        "unsupported",
        "no stronger than the initial key",
    );
}

// ASC X9 TR-31:2018 A.7.3.1, a version C block (vectors/tr31-x9.143-examples.json;
// openemv/tr31 transcribes it too).
const KBPK: &str = "B8ED59E0A279A295E9F5ED7944FD06B9";
const BLOCK: &str = "C0096B0TX12S0100KS1800604B120F9292800000BFB9B689CB567E66FC3FEE5AD5F52161FC6545B9D60989015D02155C";

#[test]
fn key_blocks_records_signatures_tlv() {
    refused(
        &["tr31", "unwrap", "--kbpk", "B8ED59E0", "--block", BLOCK],
        "--kbpk",
        "invalid-key",
        "4 bytes; a version C block takes a TDES key of 16 or 24 bytes",
    );
    refused(
        &["tr31", "unwrap", "--kbpk", KBPK, "--block", &BLOCK[..95]],
        "--block",
        "invalid-key-block",
        "not a well-formed X9.143 / TR-31 key block",
    );
    // A wrong KBPK is a failed verification (exit 1) that names it.
    let o = run(&[
        "tr31",
        "unwrap",
        "--kbpk",
        "C8ED59E0A279A295E9F5ED7944FD06B9",
        "--block",
        BLOCK,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8(o.stdout)
            .unwrap()
            .contains("a wrong --kbpk")
    );
    refused(
        &["record", "verify", "--issuer-key", "00", "--record", "00"],
        "--issuer-key",
        "invalid-key",
        "1 byte; an issuer key is 16 or 32 bytes",
    );
    refused(
        &["record", "inspect", "--record", "00"],
        "--record",
        "invalid-record",
        "1 byte; an SVR1 record is 96 bytes",
    );
    refused(
        &[
            "ecdsa",
            "sign",
            "--key",
            "0000000000000000000000000000000000000000000000000000000000000000",
            "--msg",
            "00",
        ],
        "--key",
        "invalid-key",
        "the scalar must be 1 to n - 1",
    );
    refused(
        &[
            "ecdsa",
            "verify",
            "--public-key",
            "0102",
            "--msg",
            "00",
            "--sig",
            "00",
        ],
        "--public-key",
        "invalid-public-key",
        "2 bytes; a SEC1 P-256 key is 33 (compressed) or 65 bytes",
    );
    // tlv decode's operand is positional: its name is DATA.
    let o = run(&["--json", "tlv", "decode", "9F0206000000"]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"], "invalid-tlv");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .starts_with("DATA: not well-formed BER-TLV")
    );
}
