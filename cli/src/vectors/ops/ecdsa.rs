//! Vector ops of this concern (none yet: an op that is not listed fails its
//! case as `unsupported op`).

use super::Op;

/// The ops of this file.
pub const OPS: &[Op] = &[];
