//! EMV: ICC master keys from arbitrary PANs and PSNs (options A and B),
//! session keys (common, Visa SM, EMV2000 tree with arbitrary shapes),
//! application cryptograms and ARPCs with arbitrary lengths.
//!
//! Compared with references written here from EMV Book 2 Annex A over the
//! kernel's bare TDES: option A and B inputs, the common and Visa session
//! keys, ARPC method 1; the AC and ARPC method 2 against the ISO 9797-1
//! retail MAC. Every derived key has odd parity.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use paykernel::emv::{self, AcPadding, AcSessionKey, Emv2000Tree, MasterKeyOption, Psn};
use paykernel::mac::{BlockCipher, Iso9797Algorithm, Iso9797Mac, Padding};
use paykernel::{Error, Pan, TdesCipher, TdesKey};
use paykernel_fuzz::{bytes, digits, key, pan_digits};
use sha1::{Digest, Sha1};

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn parity(mut k: [u8; 16]) -> [u8; 16] {
    for b in &mut k {
        if b.count_ones() % 2 == 0 {
            *b ^= 1;
        }
    }
    k
}

fn tdes2(key: &[u8], l: [u8; 8], r: [u8; 8]) -> [u8; 16] {
    let c = TdesCipher::new(&TdesKey::from_slice(key).expect("16 bytes"));
    let (mut l, mut r) = (l, r);
    c.encrypt_block(&mut l);
    c.encrypt_block(&mut r);
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&l);
    out[8..].copy_from_slice(&r);
    out
}

fn bcd(d: &[u8]) -> Vec<u8> {
    d.chunks(2).map(|p| (p[0] << 4) | p[1]).collect()
}

/// Book 2 A1.4: Y for option A (rightmost 16 digits of PAN || PSN, zero
/// padded) or B (PAN of more than 16 digits: SHA-1 of the BCD of PAN ||
/// PSN, decimalized).
fn y_of(pan: &[u8], psn: &[u8], option: MasterKeyOption) -> [u8; 8] {
    let x: Vec<u8> = pan.iter().chain(psn).map(|c| c - b'0').collect();
    let digits: Vec<u8> = if option == MasterKeyOption::B && pan.len() > 16 {
        let mut padded = x.clone();
        if padded.len() % 2 == 1 {
            padded.insert(0, 0);
        }
        let h = Sha1::digest(bcd(&padded));
        let nib: Vec<u8> = h.iter().flat_map(|b| [b >> 4, b & 0x0F]).collect();
        let mut d: Vec<u8> = nib.iter().copied().filter(|v| *v <= 9).collect();
        d.extend(nib.iter().filter(|v| **v > 9).map(|v| v - 10));
        d.truncate(16);
        d
    } else {
        let mut d = vec![0u8; 16usize.saturating_sub(x.len())];
        d.extend_from_slice(&x[x.len().saturating_sub(16)..]);
        d
    };
    bcd(&digits).try_into().expect("16 digits")
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let imk = key(u, &[16, 8, 24])?;
    let pan_raw = pan_digits(u)?;
    let psn_raw = if u.ratio(15, 16)? {
        digits(u, 2, 2)?
    } else {
        digits(u, 0, 3)?
    };
    let option = if u.arbitrary()? {
        MasterKeyOption::A
    } else {
        MasterKeyOption::B
    };
    let (Ok(pan), Ok(psn)) = (Pan::from_digits(&pan_raw), Psn::from_digits(&psn_raw)) else {
        return Ok(());
    };
    let Ok(imk_key) = TdesKey::from_slice(&imk) else {
        return Ok(());
    };
    let mk = emv::derive_icc_master_key(&imk_key, &pan, psn, option);
    assert_eq!(mk.is_ok(), imk.len() == 16);
    let Ok(mk) = mk else {
        assert_eq!(mk.err(), Some(Error::InvalidKey));
        return Ok(());
    };
    let y = y_of(&pan_raw, &psn_raw, option);
    let y_inv = y.map(|b| !b);
    assert_eq!(mk.expose_secret(), parity(tdes2(&imk, y, y_inv)));
    assert!(mk.has_odd_parity());

    // Session keys.
    let r: [u8; 8] = u.arbitrary()?;
    let sk = emv::common_session_key(&mk, &r).expect("double key");
    let (mut l, mut rr) = (r, r);
    l[2] = 0xF0;
    rr[2] = 0x0F;
    assert_eq!(sk.expose_secret(), parity(tdes2(mk.expose_secret(), l, rr)));
    let atc: u16 = u.arbitrary()?;
    let visa = emv::visa_sm_session_key(&mk, atc).expect("double key");
    let mut want: [u8; 16] = mk.expose_secret().try_into().expect("16 bytes");
    let [a, b] = atc.to_be_bytes();
    want[6] ^= a;
    want[7] ^= b;
    want[14] ^= !a;
    want[15] ^= !b;
    assert_eq!(visa.expose_secret(), parity(want));
    let height: u32 = if u.ratio(7, 8)? {
        u.int_in_range(0..=20)?
    } else {
        u.arbitrary()?
    };
    let branch: u32 = if u.ratio(7, 8)? {
        u.int_in_range(0..=20)?
    } else {
        u.arbitrary()?
    };
    let iv: [u8; 16] = u.arbitrary()?;
    // The number of leaves, b^H, capped at 2^20.
    let leaves = (0..height.min(64)).fold(1u128, |a, _| (a * u128::from(branch)).min(1 << 20));
    match Emv2000Tree::new(height, branch, &iv) {
        Ok(tree) => {
            assert!((1..=64).contains(&height) && branch >= 2);
            assert!(leaves >= 1 << 16);
            let k = emv::emv2000_tree_session_key(&mk, atc, &tree).expect("double key");
            assert!(k.has_odd_parity());
        }
        Err(e) => {
            assert_eq!(e, Error::Unsupported);
            assert!(height == 0 || height > 64 || branch < 2 || leaves < 1 << 16);
        }
    }

    // Cryptograms on the session key.
    let ac_key = AcSessionKey::new(&sk).expect("double key");
    let retail = Iso9797Mac::new(Iso9797Algorithm::Alg3, BlockCipher::Des, sk.expose_secret())
        .expect("16 bytes");
    let n = u.int_in_range(0..=64)?;
    let data = bytes(u, n)?;
    let pad = if u.arbitrary()? {
        AcPadding::Method1
    } else {
        AcPadding::Method2
    };
    let iso = if pad == AcPadding::Method1 {
        Padding::Method1
    } else {
        Padding::Method2
    };
    let len = u.int_in_range(0..=10)?;
    match ac_key.generate_ac(&data, pad, len) {
        Ok(ac) => {
            assert!((1..=8).contains(&len));
            assert_eq!(
                ac.as_bytes(),
                retail.mac(&data, iso, len).expect("same").as_bytes()
            );
            let mut bad = ac.as_bytes().to_vec();
            bad[0] ^= 0x40;
            if len < 4 {
                // Generated, but too short to check: refused.
                assert_eq!(
                    ac_key.verify_ac(&data, pad, ac.as_bytes(), len).err(),
                    Some(Error::InvalidLength)
                );
            } else {
                let v = |ac: &[u8]| bool::from(ac_key.verify_ac(&data, pad, ac, len).expect("4 to 8"));
                assert!(v(ac.as_bytes()));
                assert!(!v(&bad));
            }
        }
        Err(e) => {
            assert_eq!(e, Error::InvalidLength);
            assert!(!(1..=8).contains(&len));
        }
    }
    let arqc: [u8; 8] = u.arbitrary()?;
    let arc: [u8; 2] = u.arbitrary()?;
    let mut x = arqc;
    x[0] ^= arc[0];
    x[1] ^= arc[1];
    let c = TdesCipher::new(&sk);
    c.encrypt_block(&mut x);
    assert_eq!(ac_key.arpc_method1(&arqc, &arc), x);
    let csu: [u8; 4] = u.arbitrary()?;
    let n = u.int_in_range(0..=10)?;
    let prop = bytes(u, n)?;
    match ac_key.arpc_method2(&arqc, &csu, &prop) {
        Ok(arpc) => {
            assert!(prop.len() <= 8);
            let mut all = arqc.to_vec();
            all.extend_from_slice(&csu);
            all.extend_from_slice(&prop);
            let m = retail.mac(&all, Padding::Method2, 4).expect("4 bytes");
            assert_eq!(&arpc[..], m.as_bytes());
        }
        Err(e) => {
            assert_eq!(e, Error::InvalidLength);
            assert!(prop.len() > 8);
        }
    }
    Ok(())
}
