//! The runner's contract (docs/vectors.md, "Runner"): output lines, closing
//! line, exit codes, and how malformed suites and cases are reported.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_paykernel"))
}

mod common;
use common::{Scratch, stderr, stdout};

/// A fresh folder for one test's files, removed after the test.
fn scratch() -> Scratch {
    Scratch::new("runner")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn suite(cases: &str) -> String {
    format!(
        r#"{{"format": "paykernel-vectors/1", "suite": "t", "source": "test", "cases": [{cases}]}}"#
    )
}

// FIPS 197 C.1.
const AES_OK: &str = r#"{"id": "ok", "op": "aes.encrypt",
    "params": {"key": "000102030405060708090a0b0c0d0e0f", "block": "00112233445566778899AABBCCDDEEFF"},
    "expect": {"block": "69c4e0d86a7b0430d8cdb78070b4c55a"}}"#;
const AES_WRONG: &str = r#"{"id": "wrong", "op": "aes.encrypt",
    "params": {"key": "000102030405060708090A0B0C0D0E0F", "block": "00112233445566778899AABBCCDDEEFF"},
    "expect": {"block": "00000000000000000000000000000000"}}"#;

#[test]
fn all_passing_exits_0_with_the_closing_line() {
    let d = scratch();
    let f = write(&d, "a.json", &suite(AES_OK));
    let o = run(&["vectors", "run", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let out = stdout(&o);
    assert_eq!(out.lines().last(), Some("1 passed, 0 failed"));
    assert!(out.lines().any(|l| l == "t: 1 of 1 passed"), "{out}");
}

#[test]
fn a_failing_case_is_one_line_and_exit_1() {
    let d = scratch();
    let f = write(&d, "a.json", &suite(&format!("{AES_OK}, {AES_WRONG}")));
    let o = run(&["vectors", "run", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let failing: Vec<&str> = out.lines().filter(|l| l.starts_with("t wrong: ")).collect();
    assert_eq!(failing.len(), 1, "{out}");
    assert!(failing[0].starts_with("t wrong: expected {\"block\":\"00000000000000000000000000000000\"}, got {\"block\":\"69C4E0D86A7B0430D8CDB78070B4C55A\"}"), "{}", failing[0]);
    assert!(!out.contains("t ok:"), "passing cases print no line: {out}");
    assert_eq!(out.lines().last(), Some("1 passed, 1 failed"));
}

#[test]
fn json_output_is_one_object_per_case_then_the_closing_line() {
    let d = scratch();
    let f = write(&d, "a.json", &suite(&format!("{AES_OK}, {AES_WRONG}")));
    let o = run(&["vectors", "run", "--json", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    let a: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    let b: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(a["suite"], "t");
    assert_eq!(a["id"], "ok");
    assert_eq!(a["op"], "aes.encrypt");
    assert_eq!(a["status"], "pass");
    assert!(a["detail"].is_string());
    assert_eq!(b["id"], "wrong");
    assert_eq!(b["status"], "fail");
    assert!(b["detail"].as_str().unwrap().contains("expected"));
    assert_eq!(lines[2], "1 passed, 1 failed");
}

#[test]
fn bad_files_exit_2_naming_the_file_and_the_reason() {
    let d = scratch();
    let cases: [(&str, &str, &str); 6] = [
        ("notjson.json", "{ this is not json", "not JSON"),
        ("array.json", "[1, 2]", "not a JSON object"),
        ("noformat.json", r#"{"suite": "x", "cases": []}"#, "format"),
        (
            "badformat.json",
            r#"{"format": "paykernel-vectors/2", "cases": []}"#,
            "format",
        ),
        (
            "nocases.json",
            r#"{"format": "paykernel-vectors/1", "suite": "x"}"#,
            "cases",
        ),
        (
            "casesobj.json",
            r#"{"format": "paykernel-vectors/1", "cases": {}}"#,
            "cases",
        ),
    ];
    for (name, text, reason) in cases {
        let f = write(&d, name, text);
        let o = run(&["vectors", "run", f.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        let err = stderr(&o);
        assert!(err.contains(name) && err.contains(reason), "{name}: {err}");
    }
    let o = run(&["vectors", "run", d.join("missing.json").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.json"));
    // A bad file among good ones still exits 2; the good ones still run.
    let g = write(&d, "good.json", &suite(AES_OK));
    let bad = d.join("notjson.json");
    let o = run(&["vectors", "run", g.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o).lines().last(), Some("1 passed, 0 failed"));
}

#[test]
fn folders_are_walked_for_json_files() {
    let d = scratch();
    std::fs::create_dir_all(d.join("sub/deeper")).unwrap();
    write(&d, "a.json", &suite(AES_OK));
    write(&d.join("sub/deeper"), "b.json", &suite(AES_OK));
    write(&d, "notes.txt", "not a suite");
    let o = run(&["vectors", "run", d.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().last(), Some("2 passed, 0 failed"));
}

/// Runs one case and returns (exit code, the failing line or "").
fn one(case: &str) -> (i32, String) {
    let d = scratch();
    let f = write(&d, "c.json", &suite(case));
    let o = run(&["vectors", "run", f.to_str().unwrap()]);
    let line = stdout(&o)
        .lines()
        .find(|l| l.starts_with("t "))
        .unwrap_or_default()
        .to_owned();
    (o.status.code().unwrap(), line)
}

#[test]
fn malformed_cases_fail_with_a_reason_and_are_never_skipped() {
    for (case, why) in [
        ("42", "not a JSON object"),
        (
            r#"{"op": "aes.encrypt", "params": {}, "expect": {"block": "00"}}"#,
            "no \"id\"",
        ),
        (
            r#"{"id": "x", "params": {}, "expect": {"block": "00"}}"#,
            "no \"op\"",
        ),
        (
            r#"{"id": "x", "op": "aes.encrypt", "expect": {"block": "00"}}"#,
            "no \"params\"",
        ),
        (
            r#"{"id": "x", "op": "aes.encrypt", "params": {}}"#,
            "no \"expect\"",
        ),
        (
            r#"{"id": "x", "op": "no.such.op", "params": {}, "expect": {"valid": true}}"#,
            "unsupported op 'no.such.op'",
        ),
        (
            r#"{"id": "x", "op": "aes.encrypt", "params": {"key": "000102030405060708090A0B0C0D0E0F"}, "expect": {"block": "00"}}"#,
            "missing parameter 'block'",
        ),
        (
            r#"{"id": "x", "op": "aes.encrypt", "params": {"key": "000102030405060708090A0B0C0D0E0F", "block": "00112233445566778899AABBCCDDEEFF", "iv": "00"}, "expect": {"block": "00"}}"#,
            "unknown parameter 'iv'",
        ),
        (
            r#"{"id": "x", "op": "kcv", "params": {"alg": "rc4", "key": "00", "method": "encrypt-zeros", "len": 3}, "expect": {"kcv": "00"}}"#,
            "parameter 'alg' must be one of tdes|aes",
        ),
        (
            r#"{"id": "x", "op": "kcv", "params": {"alg": "tdes", "key": "0123456789ABCDEF", "method": "encrypt-zeros", "len": -1}, "expect": {"kcv": "00"}}"#,
            "parameter 'len' must be a non-negative integer",
        ),
        (
            r#"{"id": "x", "op": "cmac", "params": {"cipher": "aes", "key": "000102030405060708090A0B0C0D0E0F", "msg": "XYZ0"}, "expect": {"mac": "00"}}"#,
            "parameter 'msg'",
        ),
    ] {
        let (code, line) = one(case);
        assert_eq!(code, 1, "{case}");
        assert!(line.contains(why), "{case}: {line}");
    }
}

#[test]
fn refusals_pass_only_with_exactly_the_expected_kind() {
    // A malformed key is refused as invalid-key; so is a wrong length.
    for key in ["0011", "00112233445566778899AABBCCDDEEZZ", "001"] {
        let case = format!(
            r#"{{"id": "x", "op": "aes.encrypt", "params": {{"key": "{key}", "block": "00112233445566778899AABBCCDDEEFF"}}, "expect": {{"error": "invalid-key"}}}}"#
        );
        assert_eq!(one(&case).0, 0, "{key}");
    }
    // The wrong kind fails.
    let case = r#"{"id": "x", "op": "aes.encrypt", "params": {"key": "0011", "block": "00112233445566778899AABBCCDDEEFF"}, "expect": {"error": "invalid-length"}}"#;
    let (code, line) = one(case);
    assert_eq!(code, 1);
    assert!(line.contains("got error invalid-key"), "{line}");
    // An expected error that does not happen fails.
    let case = AES_OK.replace(
        r#""expect": {"block": "69c4e0d86a7b0430d8cdb78070b4c55a"}"#,
        r#""expect": {"error": "invalid-key"}"#,
    );
    assert_eq!(one(&case).0, 1);
    // A block of the wrong size is invalid-length.
    let case = r#"{"id": "x", "op": "tdes.encrypt", "params": {"key": "0123456789ABCDEF", "block": "0011"}, "expect": {"error": "invalid-length"}}"#;
    assert_eq!(one(case).0, 0);
}

#[test]
fn verify_ops_answer_valid_false_for_malformed_tags() {
    // SP 800-38B D.1 example 2 key and message.
    let base = r#"{"id": "x", "op": "cmac.verify", "params": {"cipher": "aes", "key": "2B7E151628AED2A6ABF7158809CF4F3C", "msg": "6BC1BEE22E409F96E93D7E117393172A", "mac": "MAC"}, "expect": {"valid": VALID}}"#;
    for (mac, valid) in [
        ("070A16B46B4D4144F79BDD9DD04A287C", "true"),
        ("070a16b46b4d4144f79bdd9dd04a287c", "true"),
        ("070A16B46B4D4144F79BDD9DD04A287D", "false"),
        ("070A16B46B4D4144", "false"),
        ("not hex", "false"),
        ("", "false"),
    ] {
        let case = base.replace("MAC", mac).replace("VALID", valid);
        assert_eq!(one(&case).0, 0, "{mac}");
    }
}

#[test]
fn cmac_verify_refuses_a_len_under_four() {
    // docs/vectors.md: for `cmac.verify` a `len` under 4 is `invalid-length` (a
    // tag of 1 to 3 bytes is guessed too easily), even with the right
    // leftmost byte of the tag (SP 800-38B D.1 example 2: 070A16B4...).
    let base = r#"{"id": "x", "op": "cmac.verify", "params": {"cipher": "CIPHER", "key": "KEY", "msg": "6BC1BEE22E409F96E93D7E117393172A", "mac": "MAC", "len": LEN}, "expect": EXPECT}"#;
    let aes = "2B7E151628AED2A6ABF7158809CF4F3C";
    for (mac, len, expect) in [
        ("07", "1", r#"{"error": "invalid-length"}"#),
        ("070A", "2", r#"{"error": "invalid-length"}"#),
        ("070A16", "3", r#"{"error": "invalid-length"}"#),
        ("", "0", r#"{"error": "invalid-length"}"#),
        ("070A16B4", "4", r#"{"valid": true}"#),
        ("070A16B5", "4", r#"{"valid": false}"#),
    ] {
        let case = base
            .replace("CIPHER", "aes")
            .replace("KEY", aes)
            .replace("MAC", mac)
            .replace("LEN", len)
            .replace("EXPECT", expect);
        assert_eq!(one(&case).0, 0, "len {len}");
    }
    // The same rule for TDES (SP 800-38B D.5, two-key TDEA, example 18: key,
    // message and tag 4FF2AB81...: the right leftmost byte is refused too).
    let case = base
        .replace("CIPHER", "tdes")
        .replace("KEY", "4CF15134A2850DD58A3D10BA80570D38")
        .replace("6BC1BEE22E409F96E93D7E117393172A", "6BC1BEE22E409F96")
        .replace("MAC", "4F")
        .replace("LEN", "1")
        .replace("EXPECT", r#"{"error": "invalid-length"}"#);
    assert_eq!(one(&case).0, 0);
}

#[test]
fn garbage_never_panics() {
    // Parameters of every JSON type for every op the runner has: the
    // answer may be anything but a crash (exit 101).
    let listed = run(&["vectors", "ops"]);
    assert_eq!(listed.status.code(), Some(0));
    let ops = stdout(&listed);
    // Every op of docs/vectors.md's tables (56): the loop below must have
    // something to run.
    assert_eq!(ops.lines().count(), 56, "{ops}");
    let values = [
        "null",
        "true",
        "1",
        "-1",
        "18446744073709551615",
        "1e300",
        "\"\"",
        "\"00\"",
        "\"zz\"",
        "[]",
        "{}",
        "[\"00\"]",
        "{\"format\": 0}",
    ];
    let names = [
        "key",
        "block",
        "alg",
        "method",
        "len",
        "msg",
        "mac",
        "cipher",
        "fixed_input",
        "counter_bits",
        "counter_location",
        "format",
        "pin",
        "pan",
        "fill",
        "from",
        "to",
        "bdk",
        "ipek",
        "ksn",
        "variant",
        "count",
        "initial_key",
        "initial_key_id",
        "key_type",
        "usage",
        "data",
        "padding",
        "option",
        "imk",
        "psn",
        "mk",
        "r",
        "atc",
        "height",
        "branch_factor",
        "iv",
        "sk",
        "arqc",
        "arc",
        "csu",
        "prop",
        "issuer_key",
        "card_id",
        "record",
        "amount",
        "terminal_id",
        "timestamp",
        "previous",
        "next",
        "slot_a",
        "slot_b",
        "public_key",
        "records",
        "sigs",
        "sig",
        "sig_der",
        "currency",
        "exponent",
        "flags",
        "balance",
        "limit",
        "counter",
        "prev_tag",
    ];
    let mut cases = Vec::new();
    for (i, op) in ops.lines().enumerate() {
        for (j, v) in values.iter().enumerate() {
            let params: Vec<String> = names
                .iter()
                .enumerate()
                .filter(|(k, _)| (k + i + j) % 3 != 0)
                .map(|(_, n)| format!("\"{n}\": {v}"))
                .collect();
            cases.push(format!(
                r#"{{"id": "g{i}-{j}", "op": "{op}", "params": {{{}}}, "expect": {{"valid": true}}}}"#,
                params.join(", ")
            ));
            let all: Vec<String> = names.iter().map(|n| format!("\"{n}\": {v}")).collect();
            cases.push(format!(
                r#"{{"id": "h{i}-{j}", "op": "{op}", "params": {{{}}}, "expect": {{"valid": true}}}}"#,
                all.join(", ")
            ));
        }
    }
    let d = scratch();
    let f = write(&d, "g.json", &suite(&cases.join(", ")));
    let o = run(&["vectors", "run", f.to_str().unwrap()]);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{:?} {}",
        o.status,
        stderr(&o)
    );
    assert!(!stdout(&o).contains("PANIC"), "{}", stdout(&o));
}

#[test]
fn text_fields_compare_exactly_hex_fields_without_case() {
    // TR-31:2018 Annex A.7.2.2 (version B), as in vectors/tr31-x9.143-examples.json.
    let case = |expect: &str| {
        format!(
            r#"{{"id": "t", "op": "tr31.unwrap",
            "params": {{"kbpk": "DD7515F2BFC17F85CE48F3CA25CB21F6",
              "key_block": "B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E"}},
            "expect": {expect}}}"#
        )
    };
    // The key is hex: its case does not matter.
    let (code, _) = one(&case(
        r#"{"key": "3f419e1cb7079442aa37474c2efbf8b8", "version_id": "B"}"#,
    ));
    assert_eq!(code, 0);
    // Header fields and optional blocks are text: compared exactly.
    for expect in [
        r#"{"version_id": "b"}"#,
        r#"{"key_usage": "p0"}"#,
        r#"{"blocks": {"KS": "x"}}"#,
    ] {
        let (code, out) = one(&case(expect));
        assert_eq!(code, 1, "{expect}: {out}");
    }
    let (code, _) = one(&case(r#"{"key_usage": "P0", "blocks": {}}"#));
    assert_eq!(code, 0);
}
