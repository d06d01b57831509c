//! What an op sees: marking its secrets, declassifying its outputs, and
//! checking its answers.

use core::hint::black_box;

use crate::taint;

/// An op's result: `Err` says what went wrong outside memcheck's reports.
pub type OpResult = Result<(), String>;

/// An op of the check.
#[derive(Debug)]
pub struct Op {
    /// Its name on the command line, e.g. `tdes16.encrypt`.
    pub name: &'static str,
    /// What memcheck must say about it.
    pub expect: Expect,
    /// Whether it goes through AES (and so runs again with the software
    /// AES backend).
    pub aes: bool,
    /// The op.
    pub run: fn(&mut Check) -> OpResult,
}

/// What memcheck must say about an op.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// No report, and every output carried the secret.
    Clean,
    /// At least one report: a positive control, a planted leak.
    Leak,
    /// No report, but an output that carried no secret: a control of the
    /// harness's own taint check.
    Untainted,
}

impl Expect {
    /// The word `list` prints.
    pub fn word(self) -> &'static str {
        match self {
            Expect::Clean => "clean",
            Expect::Leak => "leak",
            Expect::Untainted => "untainted",
        }
    }
}

/// One declassified output.
#[derive(Debug)]
pub struct Output {
    /// What it is.
    pub what: String,
    /// Its length in bytes.
    pub len: usize,
    /// How many of its bytes carried secret data (`None` outside valgrind).
    pub tainted: Option<usize>,
    /// Whether it must carry the secret (every output but a verdict the
    /// kernel has already made public by branching on it).
    pub must_carry: bool,
}

/// The state of one op's run.
#[derive(Debug, Default)]
pub struct Check {
    /// Every output, in order.
    pub outputs: Vec<Output>,
}

impl Check {
    /// Marks `bytes` secret.
    pub fn secret(&mut self, bytes: &mut [u8]) {
        taint::secret(bytes);
    }

    /// Declassifies an output, recording whether it carried the secret.
    pub fn output(&mut self, what: &str, bytes: &mut [u8]) {
        self.declassify(what, bytes, true);
    }

    fn declassify(&mut self, what: &str, bytes: &mut [u8], must_carry: bool) {
        let tainted = taint::declassify(bytes);
        black_box(&mut *bytes);
        self.outputs.push(Output {
            what: what.to_owned(),
            len: bytes.len(),
            tainted,
            must_carry,
        });
    }

    /// Declassifies a verdict the kernel made public itself (a branch the
    /// suppressions name), which therefore need not carry the secret.
    pub fn public_verdict(&mut self, what: &str, v: bool) -> bool {
        let mut b = [u8::from(v)];
        self.declassify(what, &mut b, false);
        let [x] = b;
        x != 0
    }

    /// Declassifies a `bool` output and returns it.
    pub fn output_bool(&mut self, what: &str, v: bool) -> bool {
        let mut b = [u8::from(v)];
        self.output(what, &mut b);
        let [x] = b;
        x != 0
    }

    /// Declassifies `got` and checks it against the hex `want`.
    pub fn output_eq(&mut self, what: &str, got: &mut [u8], want: &str) -> OpResult {
        self.output(what, got);
        let want = unhex(want)?;
        if got == want.as_slice() {
            Ok(())
        } else {
            Err(format!(
                "{what}: got {}, want {}",
                hex::encode_upper(&*got),
                hex::encode_upper(&want)
            ))
        }
    }
}

/// Bytes from hex (test inputs of the harness, public until marked).
pub fn unhex(s: &str) -> Result<Vec<u8>, String> {
    hex::decode(s).map_err(|e| format!("bad hex {s}: {e}"))
}

/// Bytes from hex, marked secret.
pub fn secret_hex(c: &mut Check, s: &str) -> Result<Vec<u8>, String> {
    let mut v = unhex(s)?;
    c.secret(&mut v);
    Ok(v)
}

/// A fixed-size array from hex, marked secret.
pub fn secret_array<const N: usize>(c: &mut Check, s: &str) -> Result<[u8; N], String> {
    let v = unhex(s)?;
    let mut a: [u8; N] = v
        .as_slice()
        .try_into()
        .map_err(|_| format!("{s}: not {N} bytes"))?;
    c.secret(&mut a);
    Ok(a)
}

/// Turns a kernel error into an op failure.
pub fn fail<E: core::fmt::Debug>(what: &'static str) -> impl Fn(E) -> String {
    move |e| format!("{what}: {e:?}")
}
