//! The command behaves as a Unix tool: a closed pipe ends it quietly, and
//! with `--json` its errors are JSON too, naming the option and the kind.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

use std::io::Read;
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_paykernel"))
}

fn vectors_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors")
}

#[test]
fn a_reader_that_goes_away_ends_the_runner_quietly() {
    for json in [false, true] {
        let mut cmd = bin();
        cmd.args(["vectors", "run"]);
        if json {
            cmd.arg("--json");
        }
        let mut child = cmd
            .arg(vectors_dir())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one line, as `head -1` does, then close the pipe.
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 1];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(141), "json={json}: {stderr}");
        assert!(stderr.is_empty(), "json={json}: {stderr}");
    }
}

fn json_error(args: &[&str]) -> serde_json::Value {
    let out = bin().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert!(out.stderr.is_empty(), "{args:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn json_errors_are_json_and_name_the_option() {
    // A key of the wrong length.
    let e = json_error(&[
        "--json", "tdes", "encrypt", "--key", "0011", "--block", "00",
    ]);
    assert_eq!(e["error"], "invalid-key");
    assert_eq!(e["option"], "--key");

    // Bad hex in a key is reported as bad hex, not as a parity problem.
    let e = json_error(&["tdes", "encrypt", "--key", "0G", "--block", "00", "--json"]);
    assert_eq!(e["error"], "invalid-key");
    assert_eq!(e["option"], "--key");
    assert!(e["message"].as_str().unwrap().contains("not hex"), "{e}");
    assert!(!e["message"].as_str().unwrap().contains("parity"), "{e}");

    // A command line clap refuses.
    let e = json_error(&["--json", "tdes", "encrypt", "--key", "0123456789ABCDEF"]);
    assert_eq!(e["error"], "usage");
    assert!(e["message"].as_str().unwrap().contains("--block"), "{e}");
}

#[test]
fn help_is_not_an_error() {
    let out = bin().args(["--help", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout).unwrap().contains("Usage:"));
}
