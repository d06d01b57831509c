//! Ops of DUKPT, TDES and AES, host and terminal side: none yet.

use crate::check::Op;

/// The ops of this file.
pub const OPS: &[Op] = &[];
