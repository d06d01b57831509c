//! Ops of ISO 9797-1 MACs and their verification: none yet.

use crate::check::Op;

/// The ops of this file.
pub const OPS: &[Op] = &[];
