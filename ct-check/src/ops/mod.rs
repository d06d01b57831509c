//! Every op of the check, one file per concern. A concern lists its ops in
//! its own file's `OPS` array; a new concern is one line in `concerns!`.
//!
//! An op makes its secret inputs (keys, PINs, tags being checked, derived
//! keys it feeds on), marks them with `Check::secret` (or `secret_hex`),
//! calls the kernel's public API, and hands every result to
//! `Check::output*` before looking at it: that records whether the result
//! carried the secret and marks it public.

use crate::check::Op;

/// A concern's `OPS` table: `"name" => run,` for a clean op, and
/// `"name" aes=true => run,` for one that also runs on the software AES
/// backend. Defined here, before the concern modules, so each can use it.
macro_rules! ops {
    ($($name:literal $(aes=$aes:literal)? => $run:expr,)*) => {
        /// The ops of this file.
        pub const OPS: &[$crate::check::Op] = &[$($crate::check::Op {
            name: $name,
            expect: $crate::check::Expect::Clean,
            aes: ops!(@aes $($aes)?),
            run: $run,
        },)*];
    };
    (@aes) => { false };
    (@aes $aes:literal) => { $aes };
}

macro_rules! concerns {
    ($($m:ident),* $(,)?) => {
        $(mod $m;)*
        /// Every concern's ops.
        const TABLES: &[&[Op]] = &[$($m::OPS),*];
    };
}

concerns! {
    controls,
    primitives,
    pin,
    dukpt,
    dukpt_data,
    mac,
    emv,
    record,
    ecdsa,
    cvn,
    card,
    keyblock,
}

/// Every op, in table order.
pub fn all() -> impl Iterator<Item = &'static Op> {
    TABLES.iter().flat_map(|t| t.iter())
}

/// The op named `name`.
pub fn find(name: &str) -> Option<&'static Op> {
    all().find(|op| op.name == name)
}
