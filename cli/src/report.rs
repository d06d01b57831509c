//! What a command prints: `name: value` lines for people, one JSON object
//! with `--json`.

use crate::out::outln;
use serde_json::{Map, Value};

/// An ordered set of named results, and the exit status of the command.
#[derive(Debug, Default)]
pub struct Report {
    fields: Map<String, Value>,
    /// 0 unless the command says otherwise (a failed verification is 1).
    pub exit: i32,
}

#[allow(
    dead_code,
    reason = "builders for the commands of every concern; some are not used yet"
)]
impl Report {
    /// An empty report.
    pub fn new() -> Self {
        Report::default()
    }

    /// Adds upper-case hex of `bytes`.
    pub fn hex(mut self, name: &str, bytes: &[u8]) -> Self {
        self.fields
            .insert(name.to_owned(), Value::String(hex::encode_upper(bytes)));
        self
    }

    /// Adds any JSON value.
    pub fn value(mut self, name: &str, v: impl Into<Value>) -> Self {
        self.fields.insert(name.to_owned(), v.into());
        self
    }

    /// Adds a verification verdict; a `false` verdict makes the exit status 1.
    pub fn valid(mut self, valid: bool) -> Self {
        self.fields.insert("valid".to_owned(), Value::Bool(valid));
        if !valid {
            self.exit = 1;
        }
        self
    }

    /// Prints the report.
    pub fn print(&self, json: bool) {
        if json {
            outln!("{}", Value::Object(self.fields.clone()));
            return;
        }
        for (k, v) in &self.fields {
            match v {
                Value::Array(items) => {
                    outln!("{k}:");
                    for item in items {
                        outln!("  {}", human(item));
                    }
                }
                other => outln!("{k}: {}", human(other)),
            }
        }
    }
}

fn human(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| format!("{k}={}", human(v)))
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}
