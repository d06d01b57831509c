//! Ops of ISO 9564 PIN blocks: encipher, decipher, translate: none yet.

use crate::check::Op;

/// The ops of this file.
pub const OPS: &[Op] = &[];
