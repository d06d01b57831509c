//! The vector runner on arbitrary JSON: every case of a suite-shaped
//! object (or the value itself as one case) goes through the CLI's
//! `run_case`, which parses the case, looks its op up, reads its params,
//! runs the kernel and compares the result.
//!
//! The runner is compiled here from `cli/src/vectors/` as it is (the CLI is
//! a binary crate with no library to link; nothing in it changes for this
//! target). It catches a panicking op and reports the case as failed;
//! under the fuzzer the panic hook aborts first, so a panic anywhere, in
//! the kernel or the runner, is a crash here.
#![no_main]

#[allow(dead_code, unused_imports)]
#[path = "../../cli/src/vectors/mod.rs"]
mod vectors;

// The runner prints through the CLI's `out` module (`outln!`).
#[allow(dead_code, unused_imports, unused_macros)]
#[path = "../../cli/src/out.rs"]
mod out;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let cases = doc.get("cases").and_then(Value::as_array);
    match cases {
        Some(cases) => {
            for (i, case) in cases.iter().enumerate() {
                let r = vectors::run_case(i, case);
                assert!(r.failure.is_none() || !r.failure.as_deref().unwrap_or("").is_empty());
            }
        }
        None => {
            vectors::run_case(0, &doc);
        }
    }
});
