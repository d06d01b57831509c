//! DUKPT, Derived Unique Key Per Transaction: TDES DUKPT of ANSI
//! X9.24-1:2009 ([`tdes`]) and AES DUKPT of ANSI X9.24-3-2017 ([`aes`]).
//!
//! Every PIN block and MAC a terminal sends is protected by a key of its
//! own. Two parties compute the same key, each in its own way:
//!
//! - **Host side** (the receiving party: a switch, an HSM; the standards'
//!   "receiving SCD"). It holds the base derivation key (BDK) and derives
//!   the key of any transaction straight from the BDK and the key serial
//!   number (KSN) that came with the message. A switch deriving keys for
//!   many messages at once uses the batch entry points, which write into
//!   slices the caller provides.
//! - **Terminal side** (the "transaction-originating SCD": a PIN pad, a POS
//!   terminal). It never holds the BDK, nor, after loading, even its own
//!   initial key: it keeps a set of future keys (21 future key registers
//!   for TDES, 32 intermediate derivation key registers for AES), uses one
//!   per transaction, derives the next ones and wipes what it used:
//!   [`tdes::TdesTerminal`], [`aes::AesTerminal`].
//!
//! ## The same names on both sides
//!
//! | | TDES ([`tdes`]) | AES ([`aes`]) |
//! |---|---|---|
//! | initial key from the BDK | [`tdes::derive_initial_key`] | [`aes::derive_initial_key`] |
//! | transaction key from the initial key | [`tdes::derive_transaction_key`] | [`aes::derive_transaction_key`] |
//! | working key from the initial key | [`tdes::derive_working_key`] | [`aes::derive_working_key`] |
//! | working key from the BDK | [`tdes::derive_working_key_from_bdk`] | [`aes::derive_working_key_from_bdk`] |
//! | many working keys from the BDK | [`tdes::derive_working_keys_many`] | [`aes::derive_working_keys_many`] |
//! | what the working key is for | [`tdes::Variant`] | [`aes::KeyType`] and [`aes::KeyUsage`] |
//! | terminal | [`tdes::TdesTerminal`] | [`aes::AesTerminal`] |
//!
//! Both terminals answer to `new`, `load_initial_key`,
//! `update_initial_key`, `current_ksn`, `remaining`, `is_exhausted`,
//! `derive_working_key`, `advance`, `next_transaction`, `to_bytes`,
//! `save_into`, `from_bytes`, `restore`, `state_len` and `MAX_STATE_LEN`.
//! Only AES DUKPT has an update key ([`aes::derive_update_key`],
//! [`aes::AesTerminal::derive_update_key`]) and several key lengths
//! ([`aes::AesTerminal::key_length`], [`aes::AesTerminal::state_len_for`],
//! [`aes::AesTerminal::saved_len`]). The former TDES names
//! `derive_key`, `derive_key_from_bdk`, `derive_keys_many` and
//! `TdesTerminal::key` remain, deprecated.
//!
//! ## A terminal's saved state
//!
//! A terminal's whole state is a few hundred bytes that firmware keeps in
//! flash and saves after every transaction: [`tdes::TdesTerminal::to_bytes`]
//! (352 bytes) and [`aes::AesTerminal::to_bytes`] (531, 787 or 1043 bytes:
//! registers of the initial key's length), or `save_into` a buffer of the
//! caller's. The first byte names the format and its version (`D2`, `A2`),
//! the last four are a CRC-32C of the rest. Loading refuses erased storage
//! (all `00` or all `FF`) with [`Error::NoState`](crate::Error::NoState)
//! and any corruption with [`Error::BadMac`](crate::Error::BadMac): a state
//! with one bit gone wrong never loads, so a terminal never makes wrong
//! keys from it. Why a CRC and not a MAC: see [`SavedState`].
//!
//! The terminals are about 350 bytes (TDES) and 1 KiB (AES), and every
//! move of one leaves a copy of its keys behind: firmware that keeps its
//! terminal in one place starts from `new()` and loads and restores it in
//! place (`update_initial_key`, `restore`). Every DUKPT operation then
//! needs about 1.2 KiB of stack beyond the terminal and the buffers the
//! caller owns (Cortex-M4, opt-level "s").
//!
//! The KSN types ([`TdesKsn`], [`AesKsn`], [`InitialKeyId`]) are public
//! data: they may steer control flow, print, and compare. Every key is a
//! [`TdesKey`](crate::TdesKey), an [`AesKey`](crate::AesKey) or, for the
//! HMAC key types of AES DUKPT, an [`HmacKey`](crate::HmacKey): wiped on drop, never
//! printed.
//!
//! ## The transaction counter
//!
//! A terminal may only use a counter with at most 10 (TDES, 21-bit
//! counter) or 16 (AES, 32-bit counter) one-bits: that bounds the host's
//! work to 10 or 16 derivation steps. The terminal skips the other counters
//! and stops ([`Error::CounterExhausted`](crate::Error::CounterExhausted))
//! after the last usable one, `0x1FF800` (TDES) or `0xFFFF0000` (AES).
//! The host derives a key for any counter it is given, whatever its number
//! of one-bits: the rule binds the terminal, and a host that refused would
//! only hide a faulty terminal.
//!
//! ## Constant time
//!
//! No branch, loop bound or memory index depends on a key. The counter and
//! the rest of the KSN are public and do steer loops: which derivation steps
//! run, which register a terminal reads. Both DUKPTs pass valgrind's
//! secret-taint check (`ct-check`: host derivations of every variant, key
//! type and usage, the batches, terminal steps, saved states). Loading a
//! saved state reads secret bytes to three answers, each through the
//! kernel's one verdict: erased storage or not, the check value matching
//! or not, and stray bytes in empty registers or not.
//!
//! ## Speed
//!
//! Every derivation step makes the key schedule of a key it will never use
//! again, so the steps run in place in one register, with each schedule
//! made for its one or two blocks and nothing moved; what held a secret is
//! wiped once, at the end. TDES DUKPT's two DES per step share one key
//! schedule (the second key is the first XOR `C0C0C0C000000000`, and the
//! DES key schedule is linear).

pub mod aes;
mod ksn;
mod state;
pub mod tdes;
pub mod txn;

pub use ksn::{AesKsn, InitialKeyId, TdesKsn};
pub use state::SavedState;

/// The counter rules of a DUKPT: how many bits the transaction counter has
/// and how many of them a terminal may set.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CounterRules {
    /// One past the largest counter value: 2^21 or 2^32.
    limit: u64,
    /// Bits of the counter: 21 or 32.
    bits: u32,
    /// The most one-bits a terminal may use: 10 or 16.
    max_ones: u32,
}

impl CounterRules {
    /// TDES DUKPT: a 21-bit counter, at most 10 one-bits.
    pub(crate) const TDES: CounterRules = CounterRules {
        limit: 0x20_0000,
        bits: 21,
        max_ones: 10,
    };

    /// AES DUKPT: a 32-bit counter, at most 16 one-bits.
    pub(crate) const AES: CounterRules = CounterRules {
        limit: 0x1_0000_0000,
        bits: 32,
        max_ones: 16,
    };

    /// Whether a terminal may use `counter`: not 0 (the initial key itself
    /// is never a transaction key), inside the counter, and with few enough
    /// one-bits.
    pub(crate) fn is_usable(self, counter: u64) -> bool {
        counter != 0 && counter < self.limit && counter.count_ones() <= self.max_ones
    }

    /// The smallest counter at or above `counter` that a terminal may use,
    /// or `None` when there is none left.
    pub(crate) fn first_usable_from(self, counter: u64) -> Option<u64> {
        let mut c = counter.max(1);
        // Each turn either answers or adds the lowest one-bit, which clears
        // a run of ones: at most `bits` + 1 turns.
        loop {
            if c >= self.limit {
                return None;
            }
            if c.count_ones() <= self.max_ones {
                return Some(c);
            }
            // Every value between c and c + lowbit(c) keeps all of c's
            // one-bits and adds more: none of them is usable either.
            c = c.checked_add(lowest_bit(c))?;
        }
    }

    /// The counter a terminal uses after `counter`: X9.24-1 A.2 and
    /// X9.24-3 6.5 add one, or, when the counter already has the most
    /// one-bits allowed, its lowest one-bit.
    pub(crate) fn next_after(self, counter: u64) -> Option<u64> {
        self.first_usable_from(counter.checked_add(1)?)
    }

    /// How many counters at or above `counter` a terminal may still use.
    pub(crate) fn remaining_from(self, counter: u64) -> u64 {
        if counter >= self.limit {
            return 0;
        }
        let rows = binomial_rows::<33>();
        let Some(row) = rows.get(usize::try_from(self.bits).unwrap_or(0)) else {
            return 0;
        };
        let max = usize::try_from(self.max_ones).unwrap_or(0);
        // Counters below `limit` with at most `max` one-bits, 0 included.
        let total: u64 = row.iter().take(max.saturating_add(1)).sum();
        // Those below `counter`: for each one-bit of `counter`, from the
        // top, the numbers sharing the bits above it, with a zero there and
        // anything below.
        let mut below = 0u64;
        let mut ones = 0usize;
        for i in (0..self.bits).rev() {
            if (counter >> i) & 1 == 1 {
                if let (Some(row_i), Some(free)) = (
                    rows.get(usize::try_from(i).unwrap_or(0)),
                    max.checked_sub(ones),
                ) {
                    below = below.saturating_add(row_i.iter().take(free.saturating_add(1)).sum());
                }
                ones = ones.saturating_add(1);
            }
        }
        // Counter 0 is never used: remove it when it is not already below.
        let zero = u64::from(counter == 0);
        total.saturating_sub(below).saturating_sub(zero)
    }
}

/// The lowest one-bit of `x` (0 for 0).
pub(crate) fn lowest_bit(x: u64) -> u64 {
    x & x.wrapping_neg()
}

/// The position of the lowest one-bit of a non-zero `x`.
pub(crate) fn lowest_bit_index(x: u64) -> usize {
    usize::try_from(x.trailing_zeros()).unwrap_or(0)
}

/// Pascal's triangle: `rows[n][k]` = C(n, k) for n < N (additions only, no
/// division).
fn binomial_rows<const N: usize>() -> [[u64; N]; N] {
    let mut rows = [[0u64; N]; N];
    let mut prev = [0u64; N];
    for row in rows.iter_mut() {
        let mut cur = [0u64; N];
        let mut left = 0u64;
        for (k, (c, p)) in cur.iter_mut().zip(prev.iter()).enumerate() {
            *c = if k == 0 { 1 } else { left.saturating_add(*p) };
            left = *p;
        }
        *row = cur;
        prev = cur;
    }
    rows
}

/// A hex digit's value.
pub(crate) fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c.wrapping_sub(b'0')),
        b'a'..=b'f' => Some(c.wrapping_sub(b'a').wrapping_add(10)),
        b'A'..=b'F' => Some(c.wrapping_sub(b'A').wrapping_add(10)),
        _ => None,
    }
}

#[cfg(test)]
#[allow(
    clippy::arithmetic_side_effects,
    reason = "test arithmetic on small known values"
)]
mod tests {
    use super::*;

    #[test]
    fn usable_counters() {
        let t = CounterRules::TDES;
        assert!(!t.is_usable(0));
        assert!(t.is_usable(1));
        assert!(t.is_usable(0x1F_F800)); // ten one-bits, the last one
        assert!(!t.is_usable(0x1F_FC00)); // eleven
        assert!(!t.is_usable(0x20_0000)); // past the 21 bits
        assert_eq!(t.first_usable_from(0), Some(1));
        assert_eq!(t.first_usable_from(0x0F_F7FF), Some(0x0F_F800));
        // X9.24-1:2009 A.4.3 rollover: 0FF801 has ten one-bits, the next
        // counters are 0FF802, 0FF804, ... 0FFC00, then 100000.
        assert_eq!(t.next_after(0x0F_F800), Some(0x0F_F801));
        assert_eq!(t.next_after(0x0F_F801), Some(0x0F_F802));
        assert_eq!(t.next_after(0x0F_F802), Some(0x0F_F804));
        assert_eq!(t.next_after(0x0F_FC00), Some(0x10_0000));
        assert_eq!(t.next_after(0x1F_F800), None);
        let a = CounterRules::AES;
        // X9.24-3-2017 supplement: 0x1FFFF (17 one-bits) is skipped.
        assert_eq!(a.next_after(0x1_FFFE), Some(0x2_0000));
        assert_eq!(a.next_after(0xFFFE_8000), Some(0xFFFF_0000));
        assert_eq!(a.next_after(0xFFFF_0000), None);
        assert_eq!(a.next_after(0xFFFF_FFFF), None);
        assert_eq!(a.first_usable_from(0xFFFF_FFFF), None);
    }

    #[test]
    fn remaining_counts_the_usable_counters() {
        // sum_{k=1}^{10} C(21, k) = 2^20 - 1 usable TDES counters.
        assert_eq!(CounterRules::TDES.remaining_from(0), 1_048_575);
        assert_eq!(CounterRules::TDES.remaining_from(1), 1_048_575);
        assert_eq!(CounterRules::TDES.remaining_from(2), 1_048_574);
        assert_eq!(CounterRules::TDES.remaining_from(0x1F_F800), 1);
        assert_eq!(CounterRules::TDES.remaining_from(0x1F_F801), 0);
        assert_eq!(CounterRules::TDES.remaining_from(0x20_0000), 0);
        // sum_{k=1}^{16} C(32, k) = 2^31 + C(32,16)/2 - 1.
        assert_eq!(
            CounterRules::AES.remaining_from(0),
            2_147_483_648 + 300_540_195 - 1
        );
        assert_eq!(CounterRules::AES.remaining_from(0xFFFE_2000), 4);
        // Short tails, walked one counter at a time and counted: the counts
        // are those of a direct count of the counters with 1 to 10 (TDES,
        // 21 bits) or 1 to 16 (AES, 32 bits) one-bits from the start on
        // (Python: sum(1 for c in range(start, 2**bits) if
        // bin(c).count('1') <= k)).
        for (rules, start, count) in [
            (CounterRules::TDES, 0x1F_C000u64, 470u64),
            (CounterRules::TDES, 0x1F_E000, 92),
            (CounterRules::AES, 0xFFFE_0000, 18),
            (CounterRules::AES, 0xFFF0_0000, 6196),
        ] {
            let mut n = 0u64;
            let mut c = rules.first_usable_from(start);
            while let Some(x) = c {
                n += 1;
                c = rules.next_after(x);
            }
            assert_eq!(n, count, "{start:x}");
            assert_eq!(rules.remaining_from(start), count, "{start:x}");
        }
    }
}
