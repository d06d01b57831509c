//! An option that the chosen method would ignore is refused with a message
//! that names it, never silently dropped (a PAN given to a format without
//! one usually means the wrong format was chosen). One test per command
//! family; each also runs the same command without the stray option and
//! checks its known answer, so that the refusal is of that option alone.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code"
)]

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_paykernel"))
}

/// Runs `args`; asserts exit 2, nothing on standard output, and that
/// standard error names `option` and says to leave it out (or that clap
/// refused the combination).
///
/// With `--json` the refusal is one JSON object on standard output whose
/// `option` is `option` (or whose message names it, for clap's refusals).
fn refused(args: &[&str], option: &str) {
    let o = bin().args(args).output().unwrap();
    let mut err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    if args.contains(&"--json") {
        assert!(err.is_empty(), "{args:?}: {err}");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["error"], "usage", "{args:?}: {v}");
        let message = v["message"].as_str().unwrap();
        assert!(
            v["option"] == option || message.contains(option),
            "{args:?}: {v}"
        );
        err = message.to_owned();
    } else {
        assert!(o.stdout.is_empty(), "{args:?}");
    }
    assert!(err.contains(option), "{args:?}: {err}");
    assert!(
        err.contains("leave it out") || err.contains("cannot be used with"),
        "{args:?}: {err}"
    );
}

/// `base` plus `extra`.
fn plus<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(extra).copied().collect()
}

/// Runs `args`; asserts exit `code` and standard output `out`.
fn answers(args: &[&str], code: i32, out: &str) {
    let o = bin().args(args).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(code),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(String::from_utf8(o.stdout).unwrap(), out, "{args:?}");
}

// ANSI X9.24-1:2009 Annex A.4, transaction 1's PIN key.
const KEY: &str = "042666B49184CF5C68DE9628D0397B36";

#[test]
fn pin_options_a_format_does_not_use() {
    let enc = [
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
    ];
    // Annex A.4's block.
    answers(&enc, 0, "format: 0\nblock: 1B9C1845EB993A7A\n");
    refused(&plus(&enc, &["--fill", "FFFFFFFFFF"]), "--fill");
    let mut f1 = enc.to_vec();
    f1[3] = "1";
    refused(&f1, "--pan");
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
    // Translating to format 0 (no random part) with a fill; between
    // formats 1 and 2 (no PAN) with a PAN.
    let tr = [
        "pin",
        "translate",
        "--from-format",
        "0",
        "--from-key",
        KEY,
        "--to-format",
        "0",
        "--to-key",
        KEY,
        "--block",
        "1B9C1845EB993A7A",
        "--pan",
        "4012345678909",
    ];
    answers(&tr, 0, "format: 0\nblock: 1B9C1845EB993A7A\n");
    refused(&plus(&tr, &["--fill", "FFFFFFFFFF"]), "--fill");
    refused(
        &[
            "pin",
            "translate",
            "--from-format",
            "1",
            "--from-key",
            KEY,
            "--to-format",
            "2",
            "--to-key",
            KEY,
            "--block",
            "1B9C1845EB993A7A",
            "--pan",
            "4012345678909",
        ],
        "--pan",
    );
}

#[test]
fn pin_verification_options_of_the_other_method() {
    // card-verification-independent.json `verify-f0-pvv-01` (values from
    // psec): a format-0 block against a Visa PVV.
    let pvv = [
        "pin",
        "verify",
        "--format",
        "0",
        "--key",
        "10CF624D3B24FD09",
        "--block",
        "01F3C705531A229A",
        "--pan",
        "972357482376",
        "--pvk",
        "70215F108D1036E7C5E58775B3F31F50",
        "--pvki",
        "0",
        "--pvv",
        "7583",
    ];
    answers(&pvv, 0, "valid: true\n");
    for (opt, value) in [
        ("--table", "0123456789012345"),
        ("--pan-verify-offset", "0"),
        ("--pan-verify-length", "12"),
        ("--pan-pad", "F"),
        ("--offset", "1234"),
    ] {
        refused(&plus(&pvv, &[opt, value]), opt);
    }
    // IBM 3624 with a PVKI.
    let ibm = [
        "pin",
        "verify",
        "--format",
        "0",
        "--key",
        "10CF624D3B24FD09",
        "--block",
        "01F3C705531A229A",
        "--pan",
        "972357482376",
        "--pvk",
        "70215F108D1036E7C5E58775B3F31F50",
        "--offset",
        "1234",
        "--table",
        "0123456789012345",
        "--pan-verify-offset",
        "0",
        "--pan-verify-length",
        "11",
    ];
    refused(&plus(&ibm, &["--pvki", "0"]), "--pvki");
    // ibm3624: 16 PAN digits leave nothing to pad. psec 1.3.0: PIN 4524,
    // PAN 1122334455667788, table 1234567890123456 -> offset 0000.
    let offset = [
        "pin",
        "ibm3624",
        "--pvk",
        "0123456789ABCDEFFEDCBA9876543210",
        "--table",
        "1234567890123456",
        "--pan-verify-offset",
        "0",
        "--pan-verify-length",
        "16",
        "--pin",
        "4524",
        "--pan",
        "1122334455667788",
    ];
    answers(&offset, 0, "offset: 0000\n");
    refused(&plus(&offset, &["--pan-pad", "F"]), "--pan-pad");
}

#[test]
fn emv_options_a_method_does_not_use() {
    // emv-independent.json (pyemv 1.5.0 values): common-0, visa-sm-0,
    // emv2000-tree-h8-b4-0.
    let common = [
        "emv",
        "session-key",
        "--method",
        "common",
        "--mk",
        "6D9994B8AC17595BC4A37D2E9EF4FA98",
        "--r",
        "B160000000000000",
    ];
    let o = bin().args(common).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(
        String::from_utf8(o.stdout)
            .unwrap()
            .starts_with("sk: C423F8A42A19087F192FAB752C514901\n")
    );
    refused(&plus(&common, &["--atc", "B160"]), "--atc");
    for (opt, value) in [
        ("--height", "8"),
        ("--branch-factor", "4"),
        ("--iv", "00000000000000000000000000000000"),
    ] {
        refused(&plus(&common, &[opt, value]), opt);
    }
    let visa = [
        "emv",
        "session-key",
        "--method",
        "visa-sm",
        "--mk",
        "6B3C9884D464D4C0261DC32313EB4B1B",
        "--atc",
        "0000",
    ];
    let o = bin().args(visa).output().unwrap();
    assert!(
        String::from_utf8(o.stdout)
            .unwrap()
            .starts_with("sk: 6B3D9885D564D5C1261CC22313EAB5E5\n")
    );
    refused(&plus(&visa, &["--r", "0000000000000000"]), "--r");
    refused(&plus(&visa, &["--height", "8"]), "--height");
    let tree = [
        "emv",
        "session-key",
        "--method",
        "emv2000-tree",
        "--mk",
        "84F54C37545415081081FC4E70345E5B",
        "--atc",
        "0000",
        "--height",
        "8",
        "--branch-factor",
        "4",
    ];
    let o = bin().args(tree).output().unwrap();
    assert!(
        String::from_utf8(o.stdout)
            .unwrap()
            .starts_with("sk: 31C192618FBA105EBC3BC4B9DC9B89EA\n")
    );
    refused(&plus(&tree, &["--r", "0000000000000000"]), "--r");

    // ARPC: emv-independent.json arpc1-1.
    let arpc1 = [
        "emv",
        "arpc",
        "--method",
        "1",
        "--sk",
        "5A98D13C6A6EA956FA02406027DD2997",
        "--arqc",
        "59A6E4B54DED6A17",
        "--arc",
        "3030",
    ];
    answers(&arpc1, 0, "arpc: BD41CB14DB538025\n");
    refused(&plus(&arpc1, &["--csu", "00000000"]), "--csu");
    refused(&plus(&arpc1, &["--prop", "00"]), "--prop");
    let mut arpc2 = arpc1.to_vec();
    arpc2[3] = "2";
    refused(&plus(&arpc2, &["--csu", "00000000"]), "--arc");
}

/// The HSM suite's Mastercard CVN 16 transaction (pyemv 1.5.0
/// tests/test_cvn_hsm.py) as DE 55, with an M/Chip 4 IAD; and Visa CVN 18.
const MC16_DE55: &str = "9F02060000000099999F03060000000000009F1A020124950580000000005F2A0201249A032099069C01009F3704ABCDEF12820218009F3602001C9F260824CCF3DEE3158C705A0854133300890104349F10120110A00003220000ABCD00000000000322FF";
const VISA18_DE55: &str = "9F02060000000040009F03060000000000009F1A020124950580000480005F2A0201249A031911059C01019F370452BF4585820218009F3602001C9F100706011203A0B8009F26087A788EA6B8A3E733";
const IMK_AC: &str = "0123456789ABCDEFFEDCBA9876543210";

#[test]
fn emv_verify_arqc_options_a_cvn_does_not_use() {
    let mc16 = [
        "--json",
        "emv",
        "verify-arqc",
        "--cvn",
        "mastercard-16",
        "--de55",
        MC16_DE55,
        "--imk-ac",
        IMK_AC,
        "--pan",
        "1234567890123456",
        "--arc",
        "0010",
    ];
    let o = bin().args(mc16).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["arpc"], "73F6BBF389A6586C");
    refused(&plus(&mc16, &["--csu", "00000000"]), "--csu");
    refused(&plus(&mc16, &["--prop", "00"]), "--prop");
    refused(
        &plus(
            &mc16,
            &["--cvr", "A00003220000", "--counters", "0000000000000000"],
        ),
        "--counters",
    );
    let visa18 = [
        "--json",
        "emv",
        "verify-arqc",
        "--cvn",
        "visa-18",
        "--de55",
        VISA18_DE55,
        "--imk-ac",
        IMK_AC,
        "--pan",
        "1234567890123456",
        "--csu",
        "00000000",
    ];
    let o = bin().args(visa18).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["arpc"], "9AF514C1");
    refused(&plus(&visa18, &["--arc", "0010"]), "--arc");
    refused(&plus(&visa18, &["--cvr", "03A0B800"]), "--cvr");
    // The session-key form has no CVN options, and the CVN form no
    // session-key options.
    refused(&plus(&visa18, &["--padding", "1"]), "--padding");
}

#[test]
fn dukpt_options_the_key_choice_does_not_use() {
    // dukpt-data-independent.json `aes128-2TDEA-data-encrypt-encrypt-185`
    // (values from pyca/cryptography over pydukpt's keys).
    let aes = [
        "dukpt",
        "aes",
        "encrypt-data",
        "--bdk",
        "3510DD39FDF74206F3D1FCA0AEBF5113",
        "--ksn",
        "1A2374FC9D09070600000200",
        "--key-type",
        "2TDEA",
        "--usage",
        "data-encrypt",
        "--iv",
        "885B11863BAE8399",
        "--data",
        "969FB58E0A2174F6",
        "--json",
    ];
    answers(
        &aes,
        0,
        "{\"ksn\":\"1A2374FC9D09070600000200\",\"counter\":512,\"key_type\":\"2TDEA\",\"usage\":\"data-encrypt\",\"data\":\"06D8FBD143DAA4DF\"}\n",
    );
    // --usage names the key; --direction would pick another one.
    refused(&plus(&aes, &["--direction", "request"]), "--direction");
    let mut mac = aes.to_vec();
    mac[2] = "mac";
    mac[8] = "AES128";
    mac[10] = "mac-generate";
    mac.drain(11..13);
    refused(&plus(&mac, &["--direction", "response"]), "--direction");
    // TDES translate-pin between formats without a PAN.
    let tr = [
        "dukpt",
        "tdes",
        "translate-pin",
        "--bdk",
        "0123456789ABCDEFFEDCBA9876543210",
        "--ksn",
        "FFFF9876543210E00001",
        "--block",
        "1B9C1845EB993A7A",
        "--pan",
        "4012345678909",
        "--to-key",
        // A.4's counter-2 PIN key: the block becomes A.4's counter-2 block.
        "C46551CEF9FD244FAA9AD834130D3B38",
        "--to-format",
        "0",
    ];
    answers(
        &tr,
        0,
        "ksn: FFFF9876543210E00001\ncounter: 1\nformat: 0\nblock: 10A01C8D02C69107\n",
    );
    let mut no_pan = tr.to_vec();
    no_pan[14] = "2";
    no_pan.extend(["--format", "1"]);
    refused(&no_pan, "--pan");
}

#[test]
fn tr31_wrap_padding_one_way() {
    // Random padding masking the length, or given padding: not both.
    refused(
        &[
            "tr31",
            "wrap",
            "--kbpk",
            "DD7515F2BFC17F85CE48F3CA25CB21F6",
            "--header",
            "B0000P0TE00E0000",
            "--key",
            "3F419E1CB7079442AA37474C2EFBF8B8",
            "--pad",
            "1C2965473CE2",
            "--masked-key-len",
            "24",
        ],
        "--masked-key-len",
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
