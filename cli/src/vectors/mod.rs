//! `paykernel vectors run`: runs suites in the `paykernel-vectors/1` format
//! (`docs/vectors.md`).

pub mod ops;
pub mod params;

use crate::out::outln;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use self::ops::Output;
use self::params::{Fail, Params};

/// The format string every suite must carry.
pub const FORMAT: &str = "paykernel-vectors/1";

/// A suite file that was read and parsed.
#[derive(Debug)]
pub struct Suite {
    /// Its `suite` name (the file stem when absent).
    pub name: String,
    /// Its cases, as found.
    pub cases: Vec<Value>,
}

/// Why a file could not be run at all (exit 2).
#[derive(Debug)]
pub struct FileError {
    /// The file.
    pub path: PathBuf,
    /// What was wrong.
    pub reason: String,
}

/// The outcome of one case.
#[derive(Debug)]
pub struct CaseResult {
    /// The case's `id` (or its position when it has none).
    pub id: String,
    /// The case's `op` (empty when it has none).
    pub op: String,
    /// `None` for a pass; why it failed otherwise.
    pub failure: Option<String>,
}

/// Every `*.json` file named by `paths` (files as given, folders walked),
/// in a stable order, with the paths that could not be listed.
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<FileError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_dir() {
            let before = files.len();
            walk(path, &mut files, &mut errors);
            if files.len() == before {
                errors.push(FileError {
                    path: path.clone(),
                    reason: "no *.json files below this folder".to_owned(),
                });
            }
        } else if path.exists() {
            files.push(path.clone());
        } else {
            errors.push(FileError {
                path: path.clone(),
                reason: "no such file or folder".to_owned(),
            });
        }
    }
    (files, errors)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<FileError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(FileError {
                path: dir.to_path_buf(),
                reason: e.to_string(),
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, files, errors);
        } else if p.extension().is_some_and(|x| x == "json") {
            files.push(p);
        }
    }
}

/// Reads and checks one suite file.
pub fn load(path: &Path) -> Result<Suite, FileError> {
    let fail = |reason: String| FileError {
        path: path.to_path_buf(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| fail(format!("not JSON: {e}")))?;
    let Value::Object(mut obj) = doc else {
        return Err(fail("not a JSON object".to_owned()));
    };
    match obj.get("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        Some(f) => return Err(fail(format!("format is {f}, not \"{FORMAT}\""))),
        None => return Err(fail(format!("no \"format\": \"{FORMAT}\""))),
    }
    let Some(Value::Array(cases)) = obj.remove("cases") else {
        return Err(fail("no \"cases\" array".to_owned()));
    };
    let name = match obj.get("suite") {
        Some(Value::String(s)) => s.clone(),
        _ => path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    Ok(Suite { name, cases })
}

/// Runs one case.
pub fn run_case(index: usize, case: &Value) -> CaseResult {
    let fallback_id = format!("#{index}");
    let Some(obj) = case.as_object() else {
        return CaseResult {
            id: fallback_id,
            op: String::new(),
            failure: Some("case is not a JSON object".to_owned()),
        };
    };
    let id = match obj.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(v @ Value::Number(_)) => v.to_string(),
        _ => fallback_id,
    };
    let op_name = obj
        .get("op")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let failure = check_case(obj);
    CaseResult {
        id,
        op: op_name,
        failure,
    }
}

fn check_case(obj: &Map<String, Value>) -> Option<String> {
    for field in ["id", "op", "params", "expect"] {
        if !obj.contains_key(field) {
            return Some(format!("malformed case: no \"{field}\""));
        }
    }
    let Some(op_name) = obj.get("op").and_then(Value::as_str) else {
        return Some("malformed case: \"op\" is not a string".to_owned());
    };
    let Some(params) = obj.get("params").and_then(Value::as_object) else {
        return Some("malformed case: \"params\" is not an object".to_owned());
    };
    let Some(expect) = obj.get("expect").and_then(Value::as_object) else {
        return Some("malformed case: \"expect\" is not an object".to_owned());
    };
    if expect.is_empty() {
        return Some("malformed case: \"expect\" is empty".to_owned());
    }
    let Some(op) = ops::find(op_name) else {
        return Some(format!(
            "expected {}, got unsupported op '{op_name}'",
            compact(expect)
        ));
    };
    let params = Params::new(params);
    let result = match params.names().find(|n| !op.params.contains(&n.as_str())) {
        Some(unknown) => Err(Fail::Param(format!(
            "unknown parameter '{unknown}' (takes {})",
            op.params.join(", ")
        ))),
        None => {
            // A panic is a defect of the kernel or the runner: report it as
            // this case's failure rather than losing the whole run.
            panic::catch_unwind(AssertUnwindSafe(|| (op.run)(&params))).unwrap_or_else(|_| {
                Err(Fail::Param("PANIC (a defect): the op panicked".to_owned()))
            })
        }
    };
    compare(expect, &result)
}

/// `None` when every field of `expect` matches; the detail otherwise.
fn compare(expect: &Map<String, Value>, got: &Result<Output, Fail>) -> Option<String> {
    let want = compact(expect);
    match (expect.get("error"), got) {
        (Some(kind), Err(Fail::Kernel(e))) => {
            if kind.as_str() == Some(e.kind()) {
                None
            } else {
                Some(format!("expected {want}, got error {}", e.kind()))
            }
        }
        (_, Err(Fail::Param(why))) => Some(format!("expected {want}, got malformed case: {why}")),
        (Some(_), Ok(out)) => Some(format!("expected {want}, got {}", compact(out))),
        (None, Err(Fail::Kernel(e))) => Some(format!("expected {want}, got error {}", e.kind())),
        (None, Ok(out)) => {
            let mut diff = Map::new();
            for (k, v) in expect {
                let equal = if TEXT_FIELDS.contains(&k.as_str()) {
                    same_text
                } else {
                    same
                };
                match out.get(k) {
                    Some(g) if equal(v, g) => {}
                    Some(g) => {
                        diff.insert(k.clone(), g.clone());
                    }
                    None => {
                        diff.insert(k.clone(), Value::String("<absent>".to_owned()));
                    }
                }
            }
            if diff.is_empty() {
                None
            } else {
                Some(format!("expected {want}, got {}", compact(&diff)))
            }
        }
    }
}

/// The output fields whose strings are text, compared exactly (docs/vectors.md:
/// the TR-31 key block and header fields, and the optional blocks' data),
/// rather than hex compared without regard to case.
const TEXT_FIELDS: &[&str] = &[
    "key_block",
    "header",
    "version_id",
    "key_usage",
    "algorithm",
    "mode_of_use",
    "version_num",
    "exportability",
    "blocks",
];

/// Equality of text fields: strings exactly, objects with exactly the
/// expected keys, each value exactly.
fn same_text(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|g| v == g))
        }
        _ => want == got,
    }
}

/// Field equality of `docs/vectors.md`: strings (hex) compare without regard to
/// case, numbers exactly, arrays and objects field by field (an object with
/// exactly the expected keys).
fn same(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        // An object output has exactly the expected keys (docs/vectors.md).
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|g| same(v, g)))
        }
        (Value::Number(a), Value::Number(b)) => {
            match (a.as_u64(), b.as_u64(), a.as_i64(), b.as_i64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => a == b,
            }
        }
        _ => want == got,
    }
}

fn compact(m: &Map<String, Value>) -> String {
    serde_json::to_string(m).unwrap_or_default()
}

/// Totals of a run.
#[derive(Debug, Default)]
pub struct Totals {
    /// Cases that passed.
    pub passed: u64,
    /// Cases that failed.
    pub failed: u64,
}

/// Runs every suite under `paths`, printing as `docs/vectors.md` says; returns
/// the exit status (0 all passed, 1 a case failed, 2 a file was bad).
pub fn run(paths: &[PathBuf], json: bool) -> i32 {
    let (files, mut bad) = collect(paths);
    let mut totals = Totals::default();
    for path in &files {
        let suite = match load(path) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {}: {}", e.path.display(), e.reason);
                bad.push(e);
                continue;
            }
        };
        let (mut passed, mut failed) = (0u64, 0u64);
        for (i, case) in suite.cases.iter().enumerate() {
            let r = run_case(i, case);
            match &r.failure {
                None => passed = passed.saturating_add(1),
                Some(_) => failed = failed.saturating_add(1),
            }
            if json {
                let line = serde_json::json!({
                    "suite": suite.name,
                    "id": r.id,
                    "op": r.op,
                    "status": if r.failure.is_none() { "pass" } else { "fail" },
                    "detail": r.failure.clone().unwrap_or_default(),
                });
                outln!("{line}");
            } else if let Some(why) = &r.failure {
                outln!("{} {}: {why}", suite.name, r.id);
            }
        }
        if !json {
            let mut line = String::new();
            let total = passed.saturating_add(failed);
            let _ = write!(line, "{}: {passed} of {total} passed", suite.name);
            outln!("{line}");
        }
        totals.passed = totals.passed.saturating_add(passed);
        totals.failed = totals.failed.saturating_add(failed);
    }
    for e in bad.iter().filter(|e| !files.contains(&e.path)) {
        eprintln!("error: {}: {}", e.path.display(), e.reason);
    }
    outln!("{} passed, {} failed", totals.passed, totals.failed);
    if !bad.is_empty() {
        2
    } else if totals.failed > 0 {
        1
    } else {
        0
    }
}
