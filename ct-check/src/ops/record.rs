//! Ops of stored-value records: seal, verify, debit, credit: none yet.

use crate::check::Op;

/// The ops of this file.
pub const OPS: &[Op] = &[];
