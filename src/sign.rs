//! ECDSA P-256 with SHA-256: RFC 6979 signing and verification.
