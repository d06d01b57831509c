//! Modes of operation over the kernel's block ciphers: CBC (NIST SP
//! 800-38A, 6.2) for TDES and AES ([`cbc`]).

pub mod cbc;
