//! The operation commands, one file per concern.

pub mod card;
pub mod dukpt;
pub mod dukpt_data;
pub mod ecdsa;
pub mod emv;
pub mod mac;
pub mod pin;
pub mod primitives;
pub mod record;
pub mod tlv;
pub mod tr31;
