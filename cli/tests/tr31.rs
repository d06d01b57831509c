//! `paykernel tr31 inspect|unwrap|wrap`, and the exact output of the
//! `tr31.*` vector ops (text compared exactly, `blocks` with exactly the
//! expected keys, as docs/vectors.md says; the runner's own comparison is
//! looser).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

mod common;
use common::{stderr, stdout};

use std::io::Write;
use std::process::{Command, Output, Stdio};

// ASC X9 TR-31:2018 A.7.3.1: a BDK in a version C block with a KS block.
const KBPK: &str = "B8ED59E0A279A295E9F5ED7944FD06B9";
const BLOCK: &str = "C0096B0TX12S0100KS1800604B120F9292800000BFB9B689CB567E66FC3FEE5AD5F52161FC6545B9D60989015D02155C";
const KEY: &str = "EDB380DD340BC2620247D445F5B8D678";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_paykernel"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

#[test]
fn inspect_needs_no_key() {
    let o = run(&["tr31", "inspect", "--block", BLOCK]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for line in [
        "length: 96",
        "version_id: C (TDES key variant binding)",
        "key_usage: B0 (Base Derivation Key (BDK))",
        "algorithm: T (Triple DES (TDES))",
        "mode_of_use: X (Key used to derive other key(s))",
        "version_num: 12 (key version)",
        "exportability: S (Sensitive, exportable under an untrusted key)",
        "  KS 00604B120F9292800000",
        "key_data_len: 24",
    ] {
        assert!(out.lines().any(|l| l == line), "{line:?} not in\n{out}");
    }
    let o = run(&["--json", "tr31", "inspect", "--block", BLOCK]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["key_usage"], "B0");
    assert_eq!(v["optional_blocks"][0]["id"], "KS");
    assert_eq!(v["optional_blocks"][0]["data"], "00604B120F9292800000");
}

#[test]
fn unwrap_prints_the_kcv_and_the_key_only_when_asked() {
    let o = run(&["tr31", "unwrap", "--kbpk", KBPK, "--block", BLOCK]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains(KEY), "{out}");
    assert!(out.lines().any(|l| l == "key_length: 16"), "{out}");
    // The legacy KCV of EDB380DD340BC2620247D445F5B8D678 (psec 1.3.0,
    // des.generate_kcv(key, 3)).
    assert!(out.lines().any(|l| l == "kcv: F4B08D"), "{out}");
    let o = run(&[
        "--json",
        "tr31",
        "unwrap",
        "--kbpk",
        KBPK,
        "--block",
        BLOCK,
        "--show-key",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["key"], KEY);
    assert_eq!(v["valid"], true);
}

#[test]
fn unwrap_refusals() {
    // A wrong KBPK: a failed verification, exit 1, no key.
    let o = run(&[
        "tr31",
        "unwrap",
        "--kbpk",
        "B8ED59E0A279A295E9F5ED7944FD16B9",
        "--block",
        BLOCK,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("bad-mac"));
    // A KBPK of the wrong length, a malformed block: exit 2, naming the option.
    let o = run(&["tr31", "unwrap", "--kbpk", "B8ED59E0", "--block", BLOCK]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "--kbpk: 4 bytes; a version C block takes a TDES key of 16 or 24 bytes (invalid-key)"
        ),
        "{}",
        stderr(&o)
    );
    let o = run(&["tr31", "unwrap", "--kbpk", KBPK, "--block", &BLOCK[..95]]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--block: not a well-formed X9.143 / TR-31 key block"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn keys_and_blocks_from_files_environment_and_stdin() {
    let dir = std::env::temp_dir().join(format!("pk-tr31-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("block.txt");
    std::fs::write(&path, format!("{BLOCK}\n")).unwrap();
    let child = bin()
        .args(["tr31", "unwrap", "--kbpk", "env:PK_KBPK", "--block"])
        .arg(format!("@{}", path.display()))
        .arg("--show-key")
        .env("PK_KBPK", KBPK)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(stdout(&o).lines().any(|l| l == format!("key: {KEY}")));
    let mut child = bin()
        .args([
            "tr31",
            "unwrap",
            "--kbpk",
            "-",
            "--block",
            BLOCK,
            "--show-key",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{KBPK}\n").as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(stdout(&o).lines().any(|l| l == format!("key: {KEY}")));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn wrap_with_given_and_random_padding() {
    // TR-31:2018 A.7.3.1 again, from its header and its padding.
    let o = run(&[
        "tr31",
        "wrap",
        "--kbpk",
        KBPK,
        "--header",
        "C0000B0TX12S0100KS1800604B120F9292800000",
        "--key",
        KEY,
        "--pad",
        "8546A8ED98D1",
    ]);
    assert_eq!(
        stdout(&o),
        format!("key_block: {BLOCK}\n"),
        "{}",
        stderr(&o)
    );
    // Random padding, masked to 24 bytes by default: 16 + 2 * 32 + 8.
    let o = run(&[
        "tr31",
        "wrap",
        "--kbpk",
        KBPK,
        "--header",
        "C0000P0TE00N0000",
        "--key",
        KEY,
    ]);
    let block = stdout(&o)
        .trim()
        .strip_prefix("key_block: ")
        .unwrap()
        .to_owned();
    assert_eq!(block.len(), 88);
    let o = run(&[
        "tr31",
        "unwrap",
        "--kbpk",
        KBPK,
        "--block",
        &block,
        "--show-key",
    ]);
    assert!(stdout(&o).lines().any(|l| l == format!("key: {KEY}")));
    // Errors name the option.
    for (args, want) in [
        (
            vec!["--header", "C0000P0TE00N000", "--key", KEY],
            "--header: not an X9.143 / TR-31 header",
        ),
        (
            vec!["--header", "C0000P0TE00N0000", "--key", KEY, "--pad", "00"],
            "--pad:",
        ),
        (vec!["--header", "C0000P0TE00N0000", "--key", "XY"], "--key"),
        (
            vec![
                "--header",
                "C0000P0TE00N0000",
                "--key",
                KEY,
                "--masked-key-len",
                "8",
            ],
            "--masked-key-len: 8; at least the key's length (16 bytes) (invalid-length)",
        ),
    ] {
        let mut all = vec!["tr31", "wrap", "--kbpk", KBPK];
        all.extend(args);
        let o = run(&all);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(want), "{want}: {}", stderr(&o));
    }
}

/// A `tr31.unwrap` case through the runner: the published answer passes,
/// a changed text field fails.
#[test]
fn vector_text_fields_are_exact() {
    let suite = |expect: &str| {
        format!(
            r#"{{"format":"paykernel-vectors/1","suite":"t","source":"test","cases":[
            {{"id":"c","op":"tr31.unwrap","params":{{"kbpk":"{KBPK}","key_block":"{BLOCK}"}},
              "expect":{expect}}}]}}"#
        )
    };
    let dir = std::env::temp_dir().join(format!("pk-tr31-v-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let check = |expect: &str| {
        let f = dir.join("s.json");
        std::fs::write(&f, suite(expect)).unwrap();
        run(&["vectors", "run", f.to_str().unwrap()]).status.code()
    };
    let exact = r#"{"key":"EDB380DD340BC2620247D445F5B8D678","version_id":"C","key_usage":"B0",
        "algorithm":"T","mode_of_use":"X","version_num":"12","exportability":"S",
        "blocks":{"KS":"00604B120F9292800000"}}"#;
    assert_eq!(check(exact), Some(0));
    assert_eq!(
        check(r#"{"blocks":{"KS":"00604B120F9292800001"}}"#),
        Some(1)
    );
    assert_eq!(check(r#"{"version_num":"13"}"#), Some(1));
    std::fs::remove_dir_all(&dir).unwrap();
}
