//! Typed access to a case's `params`, with the error each malformed
//! parameter stands for.

use paykernel::Error;
use serde_json::{Map, Value};

/// Why a case could not produce an answer.
#[derive(Debug)]
pub enum Fail {
    /// The kernel refused the input with this error kind.
    Kernel(Error),
    /// The case itself is malformed (a missing, unknown or ill-typed
    /// parameter): a failing case whatever it expects.
    Param(String),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::Kernel(e)
    }
}

/// What a parameter's bad value means: the error kind the kernel would give
/// for it, or none (the case is malformed).
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A malformed value is the case's fault.
    Plain,
    /// A malformed value is refused by the kernel with this error kind.
    Refuse(Error),
}

/// A case's `params` object.
#[derive(Clone, Copy, Debug)]
pub struct Params<'a> {
    map: &'a Map<String, Value>,
}

#[allow(
    dead_code,
    reason = "getters for the ops of every concern; some are not used yet"
)]
impl<'a> Params<'a> {
    /// Wraps a `params` object.
    pub fn new(map: &'a Map<String, Value>) -> Self {
        Params { map }
    }

    /// The names present, for the unknown-parameter check.
    pub fn names(&self) -> impl Iterator<Item = &'a String> {
        self.map.keys()
    }

    /// Whether `name` is present (and not null).
    pub fn has(&self, name: &str) -> bool {
        self.map.get(name).is_some_and(|v| !v.is_null())
    }

    /// The raw value of `name`, or `None` when absent or null.
    pub fn opt(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    /// The raw value of `name`.
    pub fn get(&self, name: &str) -> Result<&'a Value, Fail> {
        self.opt(name)
            .ok_or_else(|| Fail::Param(format!("missing parameter '{name}'")))
    }

    /// A string parameter.
    pub fn str(&self, name: &str) -> Result<&'a str, Fail> {
        self.get(name)?
            .as_str()
            .ok_or_else(|| Fail::Param(format!("parameter '{name}' must be a string")))
    }

    /// A string parameter whose bad type means `kind`.
    pub fn str_as(&self, name: &str, kind: Kind) -> Result<&'a str, Fail> {
        match self.get(name)?.as_str() {
            Some(s) => Ok(s),
            None => Err(bad(kind, || format!("parameter '{name}' must be a string"))),
        }
    }

    /// Hex bytes; a value that is not a string of hex digits pairs is
    /// refused as `kind`.
    pub fn hex(&self, name: &str, kind: Kind) -> Result<Vec<u8>, Fail> {
        let v = self.get(name)?;
        hex_value(name, v, kind)
    }

    /// Hex bytes that may be absent.
    pub fn opt_hex(&self, name: &str, kind: Kind) -> Result<Option<Vec<u8>>, Fail> {
        match self.opt(name) {
            None => Ok(None),
            Some(v) => hex_value(name, v, kind).map(Some),
        }
    }

    /// A key given in hex: malformed hex is `invalid-key`.
    pub fn key(&self, name: &str) -> Result<Vec<u8>, Fail> {
        self.hex(name, Kind::Refuse(Error::InvalidKey))
    }

    /// Plain hex data (a message, a block): malformed hex fails the case.
    pub fn bytes(&self, name: &str) -> Result<Vec<u8>, Fail> {
        self.hex(name, Kind::Plain)
    }

    /// An unsigned integer (a JSON number, read exactly).
    pub fn u64(&self, name: &str) -> Result<u64, Fail> {
        let v = self.get(name)?;
        uint_value(v).ok_or_else(|| {
            Fail::Param(format!("parameter '{name}' must be a non-negative integer"))
        })
    }

    /// An unsigned integer that may be absent.
    pub fn opt_u64(&self, name: &str) -> Result<Option<u64>, Fail> {
        match self.opt(name) {
            None => Ok(None),
            Some(_) => self.u64(name).map(Some),
        }
    }

    /// A size or count.
    pub fn usize(&self, name: &str) -> Result<usize, Fail> {
        let n = self.u64(name)?;
        usize::try_from(n).map_err(|_| Fail::Param(format!("parameter '{name}' is too large")))
    }

    /// A size or count that may be absent.
    pub fn opt_usize(&self, name: &str) -> Result<Option<usize>, Fail> {
        match self.opt(name) {
            None => Ok(None),
            Some(_) => self.usize(name).map(Some),
        }
    }

    /// A nested object (e.g. `from` and `to` of `pin.translate`).
    pub fn object(&self, name: &str) -> Result<Params<'a>, Fail> {
        self.get(name)?
            .as_object()
            .map(Params::new)
            .ok_or_else(|| Fail::Param(format!("parameter '{name}' must be an object")))
    }

    /// An array parameter.
    pub fn array(&self, name: &str) -> Result<&'a Vec<Value>, Fail> {
        self.get(name)?
            .as_array()
            .ok_or_else(|| Fail::Param(format!("parameter '{name}' must be an array")))
    }

    /// One of a fixed set of string choices; anything else fails the case
    /// and lists the choices.
    pub fn choice<T: Copy>(&self, name: &str, choices: &[(&str, T)]) -> Result<T, Fail> {
        self.choice_as(name, choices, Kind::Plain)
    }

    /// One of a fixed set of choices, given as a string or a number; a
    /// value outside the set is refused as `unknown` (a value of another
    /// JSON type always fails the case).
    pub fn choice_as<T: Copy>(
        &self,
        name: &str,
        choices: &[(&str, T)],
        unknown: Kind,
    ) -> Result<T, Fail> {
        let v = self.get(name)?;
        let s = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return Err(Fail::Param(format!("parameter '{name}' must be a string"))),
        };
        choices
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(&s))
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                bad(unknown, || {
                    let names: Vec<&str> = choices.iter().map(|(c, _)| *c).collect();
                    format!(
                        "parameter '{name}' must be one of {}, got {v}",
                        names.join("|")
                    )
                })
            })
    }

    /// A signed integer of any size, read exactly ([`int_value`]).
    pub fn int(&self, name: &str) -> Result<i128, Fail> {
        int_value(self.get(name)?)
            .ok_or_else(|| Fail::Param(format!("parameter '{name}' must be an integer")))
    }

    /// A signed integer that may be absent.
    pub fn opt_int(&self, name: &str) -> Result<Option<i128>, Fail> {
        match self.opt(name) {
            None => Ok(None),
            Some(_) => self.int(name).map(Some),
        }
    }
}

fn bad(kind: Kind, msg: impl FnOnce() -> String) -> Fail {
    match kind {
        Kind::Plain => Fail::Param(msg()),
        Kind::Refuse(e) => Fail::Kernel(e),
    }
}

/// Decodes one hex string value (used for arrays of hex too).
pub fn hex_value(name: &str, v: &Value, kind: Kind) -> Result<Vec<u8>, Fail> {
    let Some(s) = v.as_str() else {
        return Err(bad(kind, || {
            format!("parameter '{name}' must be a hex string")
        }));
    };
    decode_hex(s).map_err(|why| bad(kind, || format!("parameter '{name}': {why}")))
}

/// Strict hex: an even number of hex digits, either case, nothing else.
pub fn decode_hex(s: &str) -> Result<Vec<u8>, String> {
    if !s.len().is_multiple_of(2) {
        return Err(format!("odd number of hex digits ({})", s.len()));
    }
    hex::decode(s).map_err(|e| format!("not hex: {e}"))
}

/// A JSON integer >= 0, or a string of decimal digits.
pub fn uint_value(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()
        }
        _ => None,
    }
}

/// An integer read exactly, whatever its size; `None` if `v` is not an
/// integer. Beyond the range of `i128` the value saturates (it is out of
/// every field's range either way).
pub fn int_value(v: &Value) -> Option<i128> {
    match v {
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Some(i128::from(u))
            } else if let Some(i) = n.as_i64() {
                Some(i128::from(i))
            } else {
                // serde_json reads integers beyond 64 bits as floats; such a
                // float is an integer far outside every field.
                let f = n.as_f64()?;
                if f.is_finite() && f.fract() == 0.0 {
                    #[allow(
                        clippy::cast_possible_truncation,
                        reason = "saturating float-to-int cast of an out-of-range integer"
                    )]
                    Some(f as i128)
                } else {
                    None
                }
            }
        }
        Value::String(s) => {
            let (neg, digits) = match s.strip_prefix('-') {
                Some(d) => (true, d),
                None => (false, s.as_str()),
            };
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let mag = digits.parse::<i128>().unwrap_or(i128::MAX);
            Some(if neg { -mag } else { mag })
        }
        _ => None,
    }
}
