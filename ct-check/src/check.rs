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

    /// Declassifies a verdict of several bytes that the kernel made public
    /// itself (through its one verdict), which need not carry the secret.
    pub fn public_verdict_bytes(&mut self, what: &str, v: &mut [u8]) {
        self.declassify(what, v, false);
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
        self.output_is(what, got, &unhex(want)?)
    }

    /// Declassifies `got` and checks it against the bytes `want`.
    pub fn output_is(&mut self, what: &str, got: &mut [u8], want: &[u8]) -> OpResult {
        self.output(what, got);
        if got == want {
            Ok(())
        } else {
            Err(format!(
                "{what}: got {}, want {}",
                hex::encode_upper(&*got),
                hex::encode_upper(want)
            ))
        }
    }

    /// Declassifies a copy of a secret the kernel handed back (a key, a
    /// PIN) and checks it against the hex `want`.
    pub fn secret_eq(&mut self, what: &str, got: &[u8], want: &str) -> OpResult {
        self.output_eq(what, &mut got.to_vec(), want)
    }

    /// Declassifies an output the kernel returns as a struct, as a whole,
    /// before any of its accessors is called (see
    /// `taint::declassify_value`).
    pub fn output_value<T>(&mut self, what: &str, value: &mut T) {
        let tainted = taint::declassify_value(value);
        core::hint::black_box(&mut *value);
        self.outputs.push(Output {
            what: what.to_owned(),
            len: core::mem::size_of::<T>(),
            tainted,
            must_carry: true,
        });
    }

    /// Declassifies a verifier's `bool` and checks it is `want`.
    pub fn verdict_is(&mut self, what: &str, got: bool, want: bool) -> OpResult {
        if self.output_bool(what, got) == want {
            Ok(())
        } else {
            Err(format!("{what}: got {}, want {want}", !want))
        }
    }

    /// The outcome of a call that ends in the kernel's one verdict
    /// (`ct::verdict`, whose branch the suppressions name): whether it was
    /// `Ok` is public, and the error, if any, must be `want_err`.
    pub fn accepted<T, E: PartialEq + core::fmt::Debug>(
        &mut self,
        what: &str,
        r: Result<T, E>,
        want_err: Option<E>,
    ) -> Result<Option<T>, String> {
        self.public_verdict(what, r.is_ok());
        match (r, want_err) {
            (Ok(v), None) => Ok(Some(v)),
            (Err(e), Some(w)) if e == w => Ok(None),
            (Ok(_), Some(w)) => Err(format!("{what}: accepted, want {w:?}")),
            (Err(e), w) => Err(format!("{what}: refused with {e:?}, want {w:?}")),
        }
    }
}

/// A deterministic random source whose every byte is marked secret as it
/// is handed out: what the kernel draws for a PIN block's fill is clear
/// PIN material. (SplitMix64; never a real source of randomness.)
#[derive(Debug)]
pub struct SecretRng(u64);

impl SecretRng {
    /// A source starting from `seed`.
    pub fn new(seed: u64) -> Self {
        SecretRng(seed)
    }
}

impl rand_core::TryRng for SecretRng {
    type Error = core::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(8) {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            for (d, s) in chunk.iter_mut().zip(z.to_le_bytes()) {
                *d = s;
            }
        }
        taint::secret(dst);
        Ok(())
    }
}

impl rand_core::TryCryptoRng for SecretRng {}

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
