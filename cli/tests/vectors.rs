//! Every suite in `vectors/` through the `paykernel` binary: `cargo test`
//! covers the published values.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

use std::path::Path;
use std::process::Command;

#[test]
fn every_suite_in_vectors_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors");
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 10,
        "expected the suites in {}",
        root.display()
    );
    let mut failures = Vec::new();
    for f in &files {
        let o = Command::new(env!("CARGO_BIN_EXE_paykernel"))
            .args(["vectors", "run"])
            .arg(f)
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        let last = out.lines().last().unwrap_or_default().to_owned();
        // "P passed, 0 failed" with P > 0: a suite that lost its cases
        // does not pass.
        let passed = last
            .strip_suffix(" passed, 0 failed")
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(0);
        if o.status.code() != Some(0) || passed == 0 {
            let detail: Vec<&str> = out.lines().take(20).collect();
            failures.push(format!(
                "{} (exit {:?}): {}\n{}",
                f.display(),
                o.status.code(),
                String::from_utf8_lossy(&o.stderr),
                detail.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
