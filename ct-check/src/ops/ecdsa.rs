//! Ops of ECDSA P-256 signing: none yet.

use crate::check::Op;

/// The ops of this file.
pub const OPS: &[Op] = &[];
