//! Every op of the check, one file per concern. A concern lists its ops in
//! its own file's `OPS` array; a new concern is one line in `concerns!`.
//!
//! An op makes its secret inputs (keys, PINs, tags being checked, derived
//! keys it feeds on), marks them with `Check::secret` (or `secret_hex`),
//! calls the kernel's public API, and hands every result to
//! `Check::output*` before looking at it: that records whether the result
//! carried the secret and marks it public.

use crate::check::Op;

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
    mac,
    emv,
    record,
    ecdsa,
}

/// Every op, in table order.
pub fn all() -> impl Iterator<Item = &'static Op> {
    TABLES.iter().flat_map(|t| t.iter())
}

/// The op named `name`.
pub fn find(name: &str) -> Option<&'static Op> {
    all().find(|op| op.name == name)
}
