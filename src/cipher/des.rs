//! The DES rounds under [`super::TdesCipher`].
//!
//! Today this wraps the `des` crate's table implementation. Its S-box
//! lookups are indexed by key- and data-dependent bits, so it is not
//! constant time; the kernel's own bitsliced DES replaces this file.

use des::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};

/// The three DES key schedules of a TDES key (EDE).
pub(crate) struct TdesSchedule {
    k1: des::Des,
    k2: des::Des,
    k3: des::Des,
}

impl TdesSchedule {
    /// The schedules of K1, K2, K3.
    pub(crate) fn new(keys: &[[u8; 8]; 3]) -> Self {
        let [a, b, c] = keys;
        TdesSchedule {
            k1: des::Des::new(a.into()),
            k2: des::Des::new(b.into()),
            k3: des::Des::new(c.into()),
        }
    }

    /// E(K3, D(K2, E(K1, x))).
    pub(crate) fn encrypt(&self, x: u64) -> u64 {
        let mut b = x.to_be_bytes().into();
        self.k1.encrypt_block(&mut b);
        self.k2.decrypt_block(&mut b);
        self.k3.encrypt_block(&mut b);
        u64::from_be_bytes(b.into())
    }

    /// E(K1, x): single DES under the first key alone.
    pub(crate) fn encrypt_k1(&self, x: u64) -> u64 {
        let mut b = x.to_be_bytes().into();
        self.k1.encrypt_block(&mut b);
        u64::from_be_bytes(b.into())
    }

    /// D(K1, E(K2, D(K3, x))).
    pub(crate) fn decrypt(&self, x: u64) -> u64 {
        let mut b = x.to_be_bytes().into();
        self.k3.decrypt_block(&mut b);
        self.k2.encrypt_block(&mut b);
        self.k1.decrypt_block(&mut b);
        u64::from_be_bytes(b.into())
    }
}
