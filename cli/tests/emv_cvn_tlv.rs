//! `paykernel emv verify-arqc --cvn ...` and `paykernel tlv decode`:
//! outputs (text and JSON) and exit statuses (0 valid, 1 not valid, 2
//! refused). Expected values: pyemv 1.5.0 `tests/test_cvn_hsm.py` (checked
//! against an HSM) and the `pyemv.tlv` docstring.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code"
)]

mod common;
use common::{check, run, stderr, stdout};

use std::process::Command;

fn refused(args: &[&str], what: &str) {
    let o = run(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}");
    assert!(stderr(&o).contains(what), "{args:?}: {}", stderr(&o));
    assert_eq!(stdout(&o), "", "{args:?}");
}

const IMK_AC: &str = "0123456789ABCDEFFEDCBA9876543210";
const PAN: &str = "1234567890123456";

/// The HSM suite's Mastercard CVN 16 transaction as DE 55, with its ARQC
/// 24CCF3DEE3158C70, a PAN 5A (to be masked) and an M/Chip 4 IAD whose CVR
/// is the suite's A00003220000.
const MC16_DE55: &str = "9F02060000000099999F03060000000000009F1A020124950580000000005F2A0201249A032099069C01009F3704ABCDEF12820218009F3602001C9F260824CCF3DEE3158C705A0854133300890104349F10120110A00003220000ABCD00000000000322FF";

fn mc16(extra: &[&str]) -> Vec<String> {
    let mut a: Vec<String> = [
        "emv",
        "verify-arqc",
        "--cvn",
        "mastercard-16",
        "--de55",
        MC16_DE55,
        "--imk-ac",
        IMK_AC,
        "--pan",
        PAN,
        "--arc",
        "0010",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    a.extend(extra.iter().map(|s| (*s).to_owned()));
    a
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn verify_arqc_from_de55() {
    let want = "cvn: mastercard-16\n\
        9F02 (amount, authorised): 000000009999\n\
        9F03 (amount, other): 000000000000\n\
        9F1A (terminal country code): 0124\n\
        95 (terminal verification results): 8000000000\n\
        5F2A (transaction currency code): 0124\n\
        9A (transaction date): 209906\n\
        9C (transaction type): 00\n\
        9F37 (unpredictable number): ABCDEF12\n\
        82 (application interchange profile): 1800\n\
        9F36 (application transaction counter): 001C\n\
        9F26 (application cryptogram): 24CCF3DEE3158C70\n\
        5A (PAN): 541333******0434\n\
        9F10 (issuer application data): 0110A00003220000ABCD00000000000322FF\n\
        valid: true\n\
        arpc: 73F6BBF389A6586C\n";
    // CVR read from 9F10 (M/Chip 4 layout), or given.
    check(&refs(&mc16(&[])), 0, want);
    check(&refs(&mc16(&["--cvr", "A00003220000"])), 0, want);
    // The key from the environment instead of the command line.
    let mut a = mc16(&[]);
    a[7] = "env:PK_TEST_IMK_AC".to_owned();
    let o = Command::new(env!("CARGO_BIN_EXE_paykernel"))
        .args(&a)
        .env("PK_TEST_IMK_AC", IMK_AC)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), want);
    // JSON.
    let o = run(&refs(&mc16(&["--json"])));
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["cvn"], "mastercard-16");
    assert_eq!(v["valid"], true);
    assert_eq!(v["arpc"], "73F6BBF389A6586C");
    assert_eq!(v["tags"]["9F26"], "24CCF3DEE3158C70");
    assert_eq!(v["tags"]["5A"], "541333******0434");
    assert_eq!(v["tags"].as_object().unwrap().len(), 13);
    // Nothing prints the PAN or the key.
    assert!(!stdout(&o).contains("5413330089010434"));
    assert!(!stdout(&o).contains(IMK_AC));
}

#[test]
fn verify_arqc_not_valid_exits_1() {
    // Another CVR: the ARQC does not verify; the ARPC is still given.
    let o = run(&refs(&mc16(&["--cvr", "A00003220001"])));
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).ends_with("valid: false\narpc: 73F6BBF389A6586C\n"));
    // Another IMK.
    let mut a = mc16(&[]);
    a[7] = "0123456789ABCDEFFEDCBA9876543212".to_owned();
    let o = run(&refs(&a));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // Visa CVN 18 (HSM suite): ARQC 7A788EA6B8A3E733, ARPC 9AF514C1.
    let visa = "9F02060000000040009F03060000000000009F1A020124950580000480005F2A0201249A031911059C01019F370452BF4585820218009F3602001C9F100706011203A0B8009F26087A788EA6B8A3E733";
    check(
        &[
            "--json",
            "emv",
            "verify-arqc",
            "--cvn",
            "visa-18",
            "--de55",
            visa,
            "--imk-ac",
            IMK_AC,
            "--pan",
            PAN,
            "--csu",
            "00000000",
        ],
        0,
        "{\"cvn\":\"visa-18\",\"tags\":{\"9F02\":\"000000004000\",\"9F03\":\"000000000000\",\"9F1A\":\"0124\",\"95\":\"8000048000\",\"5F2A\":\"0124\",\"9A\":\"191105\",\"9C\":\"01\",\"9F37\":\"52BF4585\",\"82\":\"1800\",\"9F36\":\"001C\",\"9F10\":\"06011203A0B800\",\"9F26\":\"7A788EA6B8A3E733\"},\"valid\":true,\"arpc\":\"9AF514C1\"}\n",
    );
}

#[test]
fn verify_arqc_refusals() {
    let mut a = mc16(&[]);
    a[3] = "mastercard-18".to_owned();
    refused(&refs(&a), "unsupported");
    let mut a = mc16(&[]);
    a[7] = "0123456789ABCDEF".to_owned();
    refused(&refs(&a), "invalid-key");
    let mut a = mc16(&[]);
    a[9] = "12345678901".to_owned();
    refused(&refs(&a), "invalid-pan");
    let mut a = mc16(&[]);
    a[5] = "9F02".to_owned();
    refused(&refs(&a), "invalid-tlv");
    // Without 9F37 (the session key's UN).
    let mut a = mc16(&[]);
    a[5] = MC16_DE55.replace("9F3704ABCDEF12", "");
    refused(&refs(&a), "invalid-tlv");
    refused(&refs(&mc16(&["--cvr", "A000032200"])), "invalid-length");
    let mut a = mc16(&[]);
    a.truncate(10);
    refused(&refs(&a), "--arc is needed");
    // Options the CVN (or the session-key form) would ignore are refused.
    refused(&refs(&mc16(&["--csu", "00000000"])), "--csu");
    refused(&refs(&mc16(&["--prop", "00"])), "--prop");
    refused(
        &refs(&mc16(&[
            "--cvr",
            "A00003220000",
            "--counters",
            "0000000000000000",
        ])),
        "--counters",
    );
    let mut a = mc16(&[]);
    a[3] = "interac-133".to_owned();
    a.extend(["--cvr".to_owned(), "A00003220000".to_owned()]);
    refused(&refs(&a), "--cvr");
    refused(
        &[
            "emv",
            "verify-arqc",
            "--sk",
            IMK_AC,
            "--data",
            "00",
            "--arqc",
            "00",
            "--pan",
            PAN,
        ],
        "--pan",
    );
    // The old form still needs its options.
    refused(&["emv", "verify-arqc", "--sk", IMK_AC], "--data");
    refused(&["emv", "verify-arqc", "--cvn", "visa-10"], "--de55");
}

#[test]
fn tlv_decode() {
    // pyemv 1.5.0 tlv.decode docstring example, flattened.
    check(
        &["tlv", "decode", "9C0101E0055F2A0202089F0200"],
        0,
        "9C (transaction type): 01\n5F2A (transaction currency code): 0208\n9F02 (amount, authorised): \n",
    );
    check(
        &["--json", "tlv", "decode", "9C 0101 E005 5F2A020208 9F0200"],
        0,
        "{\"tags\":{\"9C\":\"01\",\"5F2A\":\"0208\",\"9F02\":\"\"}}\n",
    );
    // Padding, long form, an unnamed tag, track 2 masked.
    check(
        &[
            "tlv",
            "decode",
            "00DF7F810201020057115413330089010434D2512201123400000F",
        ],
        0,
        "DF7F: 0102\n57 (track 2 equivalent data): 541333******0434D*****************\n",
    );
    // Track 1 and 2 discretionary data (EMV Book 3 Annex A: 9F1F, 9F20) can
    // carry card verification values: only their length is shown.
    check(
        &["tlv", "decode", "9F1F0531323334359F200312345F"],
        0,
        "9F1F (track 1 discretionary data): <discretionary data, 5 bytes, masked>\n\
         9F20 (track 2 discretionary data): <discretionary data, 3 bytes, masked>\n",
    );
    check(
        &["--json", "tlv", "decode", "9F200312345F"],
        0,
        "{\"tags\":{\"9F20\":\"<discretionary data, 3 bytes, masked>\"}}\n",
    );
    check(&["--json", "tlv", "decode", ""], 0, "{\"tags\":{}}\n");
    for bad in ["9C02", "9C01019C0101", "9C8001", "9F"] {
        refused(&["tlv", "decode", bad], "invalid-tlv");
    }
    refused(&["tlv", "decode", "9C0"], "DATA");
}
