//! Ops of EMV key derivation, session keys, cryptograms: none yet.

use crate::check::Op;

/// The ops of this file.
pub const OPS: &[Op] = &[];
