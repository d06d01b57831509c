//! `paykernel dukpt tdes|aes terminal --save/--state`: the state file is
//! written owner-only and atomically, resumes where it stopped, and an
//! erased, corrupt, truncated or foreign file is refused with a message
//! that names `--state`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

mod common;
use common::{run, stderr, stdout};

use std::path::{Path, PathBuf};
use std::process::Output;

// ANSI X9.24-1:2009 A.4: the IPEK, the initial KSN, and the base keys of
// counters 3 and 4 (A.4.2).
const IPEK: &str = "6AC292FAA1315B4D858AB3A3D7D5933A";
const KSN0: &str = "FFFF9876543210E00000";
const KEY3: &str = "0DF3D9422ACA56E547676D07AD6BADFA";
const KEY4: &str = "279C0F6AEED0BE652B2C733E1383AE91";

// The X9.24-3-2017 supplement: the AES-128 initial key and the PIN key of
// counter 2.
const IK128: &str = "1273671EA26AC29AFA4D1084127652A1";
const AES_KSN0: &str = "123456789012345600000000";
const AES_PIN2: &str = "D30BDC73EC9714B000BEC66BDB7B6D09";

/// A folder of its own, removed when the test ends (pass or fail).
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("paykernel-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }

    fn files(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `dukpt tdes terminal --state FILE`, one transaction, base key.
fn tdes_resume(file: &Path) -> Output {
    run(&[
        "dukpt",
        "tdes",
        "terminal",
        "--state",
        s(file),
        "--variant",
        "base",
    ])
}

/// Runs a terminal command that must be refused (exit 2) with a message
/// naming `--state` and containing `why`.
fn refused(o: &Output, why: &str) {
    assert_eq!(o.status.code(), Some(2), "{}", stderr(o));
    let e = stderr(o);
    assert!(e.contains("--state"), "{e}");
    assert!(e.contains(why), "{e}");
    assert!(stdout(o).is_empty());
}

#[test]
fn tdes_state_saves_owner_only_atomically_and_resumes() {
    let dir = TempDir::new("tdes-state");
    let file = dir.path("terminal.state");
    let o = run(&[
        "dukpt",
        "tdes",
        "terminal",
        "--initial-key",
        IPEK,
        "--ksn",
        KSN0,
        "--count",
        "2",
        "--save",
        s(&file),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Only the state: no temporary file left beside it.
    assert_eq!(dir.files(), ["terminal.state"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.trim().len(), 2 * 352);
    assert!(text.starts_with("D200FFFF9876543210E00003"), "{text}");

    // Resume, saving back to the same file: counter 3, then 4.
    let o = run(&[
        "dukpt",
        "tdes",
        "terminal",
        "--state",
        s(&file),
        "--variant",
        "base",
        "--save",
        s(&file),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains(KEY3), "{}", stdout(&o));
    let o = tdes_resume(&file);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains(KEY4), "{}", stdout(&o));
    assert_eq!(dir.files(), ["terminal.state"]);

    // A file that exists with other permissions is replaced, owner-only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let other = dir.path("shared.state");
        std::fs::write(&other, "x").unwrap();
        std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o644)).unwrap();
        let o = run(&[
            "dukpt",
            "tdes",
            "terminal",
            "--state",
            s(&file),
            "--save",
            s(&other),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let mode = std::fs::metadata(&other).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn tdes_state_files_that_are_refused() {
    let dir = TempDir::new("tdes-refused");
    let file = dir.path("t.state");
    let o = run(&[
        "dukpt",
        "tdes",
        "terminal",
        "--ipek",
        IPEK,
        "--ksn",
        KSN0,
        "--save",
        s(&file),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let good = std::fs::read_to_string(&file).unwrap();
    let good = good.trim();

    // One bit flipped in a register (hex digit 40: byte 20).
    let bad = dir.path("flipped.state");
    let mut flipped = good.as_bytes().to_vec();
    flipped[40] = if flipped[40] == b'0' { b'1' } else { b'0' };
    std::fs::write(&bad, &flipped).unwrap();
    refused(&tdes_resume(&bad), "corrupt");

    // Erased flash, and an empty file.
    for (name, content) in [
        ("ff.state", "FF".repeat(352)),
        ("zero.state", "00".repeat(352)),
        ("empty.state", String::new()),
    ] {
        let p = dir.path(name);
        std::fs::write(&p, content).unwrap();
        refused(&tdes_resume(&p), "no saved state");
    }

    // Cut short.
    let p = dir.path("short.state");
    std::fs::write(&p, &good[..200]).unwrap();
    refused(
        &tdes_resume(&p),
        "100 bytes, but a TDES terminal state is 352 bytes",
    );

    // Not hex.
    let p = dir.path("text.state");
    std::fs::write(&p, "not a state").unwrap();
    refused(&tdes_resume(&p), "--state");

    // An AES state given to the TDES terminal.
    let aes = dir.path("aes.state");
    let o = run(&[
        "dukpt",
        "aes",
        "terminal",
        "--initial-key",
        IK128,
        "--ksn",
        AES_KSN0,
        "--key-type",
        "AES128",
        "--usage",
        "pin",
        "--save",
        s(&aes),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    refused(
        &tdes_resume(&aes),
        "not a TDES terminal state this version reads",
    );

    // A missing file.
    refused(&tdes_resume(&dir.path("missing.state")), "cannot read it");
}

#[test]
fn aes_state_saves_sized_to_the_key_and_resumes() {
    let dir = TempDir::new("aes-state");
    let file = dir.path("aes.state");
    let o = run(&[
        "dukpt",
        "aes",
        "terminal",
        "--initial-key",
        IK128,
        "--ksn",
        AES_KSN0,
        "--key-type",
        "AES128",
        "--usage",
        "pin",
        "--save",
        s(&file),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&file).unwrap();
    // AES-128: 16-byte registers, 531 bytes.
    assert_eq!(text.trim().len(), 2 * 531);
    assert!(text.starts_with("A20010123456789012345600000002"), "{text}");
    let resume = |p: &Path| {
        run(&[
            "dukpt",
            "aes",
            "terminal",
            "--state",
            s(p),
            "--key-type",
            "AES128",
            "--usage",
            "pin",
        ])
    };
    let o = resume(&file);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains(AES_PIN2), "{}", stdout(&o));

    let mut flipped = text.trim().as_bytes().to_vec();
    let last = flipped.len() - 1;
    flipped[last] = if flipped[last] == b'0' { b'1' } else { b'0' };
    let bad = dir.path("flipped.state");
    std::fs::write(&bad, &flipped).unwrap();
    refused(&resume(&bad), "corrupt");
    let erased = dir.path("erased.state");
    std::fs::write(&erased, "FF".repeat(1043)).unwrap();
    refused(&resume(&erased), "no saved state");
    let short = dir.path("short.state");
    std::fs::write(&short, &text.trim()[..1000]).unwrap();
    refused(&resume(&short), "500 bytes, but an AES terminal state");
    assert_eq!(
        dir.files(),
        ["aes.state", "erased.state", "flipped.state", "short.state"]
    );
}
