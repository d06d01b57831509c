//! The batch checks against the single-message answers: every MAC of the
//! project's suites that the batch functions cover (independent values:
//! NIST CAVP, SP 800-38B, FIPS 113, ICAO 9303, Bouncy Castle, psec, and
//! pyca/cryptography under an independent CBC-MAC), checked in batches that
//! span several passes, right and with one bit flipped; random batches
//! against the single-message verifiers; and the refusals.

extern crate std;
use std::string::String;
use std::vec::Vec;

use proptest::prelude::*;

use super::*;
use crate::mac::{CbcMac, RetailMac, TdesCmac};
use crate::test_util::h;

/// A known answer: key, data, padding (ISO/IEC 9797-1 only), MAC.
struct Kat {
    key: TdesKey,
    data: Vec<u8>,
    padding: Padding,
    mac: Vec<u8>,
}

fn suite(name: &str) -> serde_json::Value {
    let path = std::format!("{}/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn s(v: &serde_json::Value, k: &str) -> String {
    v[k].as_str().unwrap().into()
}

/// The suites' cases with a MAC to expect, of `op`, chosen by `keep`.
fn kats(files: &[&str], op: &str, keep: impl Fn(&serde_json::Value) -> bool) -> Vec<Kat> {
    let mut out = Vec::new();
    for f in files {
        for c in suite(f)["cases"].as_array().unwrap() {
            let p = &c["params"];
            if c["op"] != op || c["expect"]["mac"].is_null() || !keep(p) {
                continue;
            }
            let data = if p["data"].is_null() {
                s(p, "msg")
            } else {
                s(p, "data")
            };
            out.push(Kat {
                key: TdesKey::from_slice(&h(&s(p, "key"))).unwrap(),
                data: h(&data),
                padding: Padding::from_number(p["padding"].as_u64().unwrap_or(1)).unwrap(),
                mac: h(&s(&c["expect"], "mac")),
            });
        }
    }
    out
}

const ISO: [&str; 2] = ["iso9797-independent.json", "iso9797-published.json"];
const CMAC: [&str; 3] = [
    "nist-sp800-38b-cmac.json",
    "cavp-cmac-gen.json",
    "cmac-independent.json",
];

type Batch = fn(&[MacCheck<'_>], Padding, usize, &mut [bool]) -> Result<(), Error>;

/// Whether item `i` carries its right MAC in pattern 0 (all right), 1 (all
/// flipped) or 2 (every other one flipped).
fn wanted(pattern: usize, i: usize) -> bool {
    match pattern {
        0 => true,
        1 => false,
        _ => i & 1 == 0,
    }
}

/// A CAVP verification case: key, message, MAC, MAC length, verdict.
type VerifyCase = (TdesKey, Vec<u8>, Vec<u8>, usize, bool);

/// Checks `kats` in batches of equal padding and MAC length (all at once:
/// several passes), with the right MACs, all flipped, and every other one
/// flipped; returns how many were checked.
fn check_all(kats: &[Kat], batch: Batch) -> usize {
    let mut groups: Vec<(Padding, usize)> = kats.iter().map(|k| (k.padding, k.mac.len())).collect();
    groups.sort_by_key(|(p, l)| (p.number(), *l));
    groups.dedup();
    let mut n = 0usize;
    for (padding, len) in groups {
        let group: Vec<&Kat> = kats
            .iter()
            .filter(|k| k.padding == padding && k.mac.len() == len)
            .collect();
        if len < crate::mac::MIN_MAC_LEN {
            // Too short to check: the batch refuses the length itself.
            let items: Vec<MacCheck<'_>> = group
                .iter()
                .map(|k| MacCheck {
                    key: &k.key,
                    data: &k.data,
                    tag: &k.mac,
                })
                .collect();
            let mut verdicts = std::vec![false; items.len()];
            assert_eq!(
                batch(&items, padding, len, &mut verdicts),
                Err(Error::InvalidLength)
            );
            n = n.saturating_add(group.len());
            continue;
        }
        let flipped: Vec<Vec<u8>> = group
            .iter()
            .map(|k| {
                let mut t = k.mac.clone();
                *t.last_mut().unwrap() ^= 1;
                t
            })
            .collect();
        for pattern in [0usize, 1, 2] {
            let items: Vec<MacCheck<'_>> = group
                .iter()
                .zip(&flipped)
                .enumerate()
                .map(|(i, (k, bad))| {
                    let good = wanted(pattern, i);
                    MacCheck {
                        key: &k.key,
                        data: &k.data,
                        tag: if good { &k.mac } else { bad },
                    }
                })
                .collect();
            // Start from the opposite of every expected verdict.
            let mut verdicts: Vec<bool> = (0..items.len()).map(|i| !wanted(pattern, i)).collect();
            batch(&items, padding, len, &mut verdicts).unwrap();
            for (i, v) in verdicts.iter().enumerate() {
                assert_eq!(
                    *v,
                    wanted(pattern, i),
                    "padding {padding:?}, len {len}, item {i}, pattern {pattern}"
                );
            }
        }
        n = n.checked_add(group.len()).unwrap();
    }
    n
}

#[test]
fn retail_macs_of_the_suites() {
    // Algorithm 3 with DES keys K || K' (cipher "des", or "tdes" with a
    // 16-byte key: the retail MAC either way).
    let kats = kats(&ISO, "mac.iso9797", |p| {
        p["alg"] == 3 && (p["cipher"] == "des" || p["key"].as_str().unwrap().len() == 32)
    });
    assert!(kats.len() > 90, "{}", kats.len());
    assert_eq!(check_all(&kats, verify_retail_macs), kats.len());
}

#[test]
fn cbc_macs_of_the_suites() {
    // Algorithm 1 with DES and TDES keys of every length, mixed in a batch.
    let kats = kats(&ISO, "mac.iso9797", |p| {
        p["alg"] == 1 && (p["cipher"] == "des" || p["cipher"] == "tdes")
    });
    assert!(kats.len() > 170, "{}", kats.len());
    assert_eq!(check_all(&kats, verify_cbc_macs), kats.len());
}

#[test]
fn tdes_cmacs_of_the_suites() {
    let kats = kats(&CMAC, "cmac", |p| p["cipher"] == "tdes");
    assert!(kats.len() > 200, "{}", kats.len());
    let cmac: Batch = |items, _, len, out| verify_tdes_cmacs(items, len, out);
    assert_eq!(check_all(&kats, cmac), kats.len());
}

#[test]
fn tdes_cmac_verify_cases_of_cavp() {
    // CAVP's verification cases: right MACs, wrong ones and ones shorter
    // than the MAC length, with the expected verdicts, in one batch per
    // MAC length.
    let mut cases: Vec<VerifyCase> = Vec::new();
    for c in suite("cavp-cmac-gen.json")["cases"].as_array().unwrap() {
        let p = &c["params"];
        if c["op"] == "cmac.verify" && p["cipher"] == "tdes" {
            cases.push((
                TdesKey::from_slice(&h(&s(p, "key"))).unwrap(),
                h(&s(p, "msg")),
                h(&s(p, "mac")),
                usize::try_from(p["len"].as_u64().unwrap()).unwrap(),
                c["expect"]["valid"].as_bool().unwrap(),
            ));
        }
    }
    assert!(cases.len() > 40);
    let lens: std::collections::BTreeSet<usize> = cases.iter().map(|c| c.3).collect();
    for len in lens {
        let group: Vec<_> = cases.iter().filter(|c| c.3 == len).collect();
        let items: Vec<MacCheck<'_>> = group
            .iter()
            .map(|(key, data, tag, _, _)| MacCheck { key, data, tag })
            .collect();
        let mut verdicts = std::vec![false; items.len()];
        if len < crate::mac::MIN_MAC_LEN {
            // The suite refuses these as invalid-length too.
            assert_eq!(
                verify_tdes_cmacs(&items, len, &mut verdicts),
                Err(Error::InvalidLength)
            );
            continue;
        }
        verify_tdes_cmacs(&items, len, &mut verdicts).unwrap();
        let want: Vec<bool> = group.iter().map(|c| c.4).collect();
        assert_eq!(verdicts, want, "len {len}");
    }
}

#[test]
fn refusals() {
    let k16 = TdesKey::from_slice(&h("0123456789ABCDEFFEDCBA9876543210")).unwrap();
    let k8 = TdesKey::from_slice(&h("0123456789ABCDEF")).unwrap();
    let k24 = TdesKey::from_slice(&h("0123456789ABCDEFFEDCBA987654321089ABCDEF01234567")).unwrap();
    let item = |key| MacCheck {
        key,
        data: b"data",
        tag: &[0; 8],
    };
    let mut one = [true];
    for len in [0usize, 1, 3, 9] {
        for f in [verify_retail_macs, verify_cbc_macs] {
            assert_eq!(
                f(&[item(&k16)], Padding::Method1, len, &mut one),
                Err(Error::InvalidLength)
            );
        }
        assert_eq!(
            verify_tdes_cmacs(&[item(&k16)], len, &mut one),
            Err(Error::InvalidLength)
        );
    }
    // One verdict per item, no more, no fewer.
    let mut two = [true; 2];
    assert_eq!(
        verify_retail_macs(&[item(&k16)], Padding::Method1, 8, &mut two),
        Err(Error::InvalidLength)
    );
    assert_eq!(
        verify_cbc_macs(&[item(&k16)], Padding::Method1, 8, &mut []),
        Err(Error::InvalidLength)
    );
    assert_eq!(
        verify_tdes_cmacs(&[], 8, &mut two),
        Err(Error::InvalidLength)
    );
    // The retail MAC takes K || K' only.
    for k in [&k8, &k24] {
        assert_eq!(
            verify_retail_macs(&[item(&k16), item(k)], Padding::Method2, 8, &mut two),
            Err(Error::InvalidKey)
        );
    }
    // An empty batch is fine.
    assert_eq!(verify_tdes_cmacs(&[], 8, &mut []), Ok(()));
    // A tag of another length than `len` is not valid (the right MAC's
    // first 4 bytes, checked as 8; then as 4).
    let full = RetailMac::new(&k16)
        .unwrap()
        .compute(b"data", Padding::Method1)
        .unwrap();
    let items = [MacCheck {
        key: &k16,
        data: b"data",
        tag: &full[..4],
    }];
    verify_retail_macs(&items, Padding::Method1, 8, &mut one).unwrap();
    assert_eq!(one, [false]);
    verify_retail_macs(&items, Padding::Method1, 4, &mut one).unwrap();
    assert_eq!(one, [true]);
}

fn key_of(bytes: &[u8], len: usize) -> TdesKey {
    TdesKey::from_slice(&bytes[..len]).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Random batches (up to three passes, messages of mixed lengths, mixed
    /// key lengths where the MAC allows them, right and wrong tags) give
    /// the single-message verifiers' verdicts.
    #[test]
    fn batches_agree_with_single_messages(
        msgs in proptest::collection::vec(
            (
                proptest::collection::vec(any::<u8>(), 24),
                proptest::collection::vec(any::<u8>(), 0..41),
                0usize..3,
                any::<bool>(),
            ),
            0..140,
        ),
        padding in 1u64..4,
        len in 4usize..9,
    ) {
        let padding = Padding::from_number(padding).unwrap();
        let keys: Vec<(TdesKey, TdesKey)> = msgs
            .iter()
            .map(|(k, _, which, _)| (key_of(k, 16), key_of(k, [8, 16, 24][*which])))
            .collect();
        let mut tags: Vec<[Vec<u8>; 3]> = Vec::new();
        for ((retail_key, key), (_, data, _, good)) in keys.iter().zip(&msgs) {
            let mut t = [
                RetailMac::new(retail_key).unwrap().compute(data, padding).unwrap()[..len].to_vec(),
                CbcMac::tdes(key).mac(data, padding, len).unwrap().as_bytes().to_vec(),
                TdesCmac::new(key).compute(data)[..len].to_vec(),
            ];
            if !*good {
                for x in &mut t {
                    x[0] ^= 0x80;
                }
            }
            tags.push(t);
        }
        let mut verdicts = std::vec![false; msgs.len()];
        for which in 0..3 {
            let items: Vec<MacCheck<'_>> = keys
                .iter()
                .zip(&msgs)
                .zip(&tags)
                .map(|(((rk, k), (_, data, _, _)), t)| MacCheck {
                    key: if which == 0 { rk } else { k },
                    data,
                    tag: &t[which],
                })
                .collect();
            match which {
                0 => verify_retail_macs(&items, padding, len, &mut verdicts).unwrap(),
                1 => verify_cbc_macs(&items, padding, len, &mut verdicts).unwrap(),
                _ => verify_tdes_cmacs(&items, len, &mut verdicts).unwrap(),
            }
            for (i, item) in items.iter().enumerate() {
                let single = match which {
                    0 => RetailMac::new(item.key).unwrap().verify(item.data, padding, item.tag, len),
                    1 => CbcMac::tdes(item.key).verify(item.data, padding, item.tag, len),
                    _ => TdesCmac::new(item.key).verify(item.data, item.tag, len),
                };
                prop_assert_eq!(verdicts[i], bool::from(single.unwrap()));
                prop_assert_eq!(verdicts[i], msgs[i].3);
            }
        }
    }
}

#[test]
fn a_check_prints_lengths_not_the_key() {
    let key = TdesKey::from_slice(&h("0123456789ABCDEFFEDCBA9876543210")).unwrap();
    let check = MacCheck {
        key: &key,
        data: b"Now is the time for all ",
        tag: &[0xA1, 0xC7, 0x2E, 0x74],
    };
    assert_eq!(
        std::format!("{check:?}"),
        "MacCheck { data_len: 24, tag_len: 4, .. }"
    );
}
