//! CBC and DUKPT keys in use with arbitrary inputs: the cipher, key bytes,
//! IV bytes and data of any length for CBC; BDKs, KSNs, directions, key
//! types, usages, data, IVs and MAC lengths for TDES and AES DUKPT data and
//! MACs; requests with arbitrary MACs at the host.
//!
//! Asserts: CBC accepts exactly whole, non-zero numbers of blocks and IVs
//! of one block, equals a reference chain written here over the bare
//! block ciphers, decrypts back, and leaves refused data untouched; DUKPT
//! data and MACs accept and refuse exactly as docs/vectors.md says (the
//! expected error is computed here from the rules), data round-trips, a MAC
//! verifies and a changed one does not, a shorter MAC is a prefix; the host
//! accepts a request exactly when its MAC is the terminal's (a prefix of
//! the full MAC of 4 bytes or more), and only then touches the data.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use paykernel::dukpt::aes::{KeyType, KeyUsage};
use paykernel::dukpt::txn::aes::{self as aes_txn, KeyTypes};
use paykernel::dukpt::txn::tdes as tdes_txn;
use paykernel::dukpt::txn::{Direction, Request, mac_input};
use paykernel::dukpt::{AesKsn, TdesKsn};
use paykernel::mode::cbc::{self, AesIv, Iv, TdesIv};
use paykernel::pin::{Format, PinBlockCipher};
use paykernel::{AesCipher, AesKey, Error, TdesCipher, TdesKey};
use paykernel_fuzz::{FuzzRng, bytes, key, length};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let _ = match u.int_in_range(0..=3u8) {
        Ok(0) => cbc_case(&mut u),
        Ok(1) => tdes_case(&mut u),
        Ok(2) => aes_case(&mut u),
        _ => host_case(&mut u),
    };
});

fn data_len(u: &mut Unstructured<'_>, block: usize) -> Result<usize> {
    length(u, &[block, 2 * block, 3 * block, 8 * block, 65 * 8], 600)
}

fn cbc_case(u: &mut Unstructured<'_>) -> Result<()> {
    let aes = u.arbitrary::<bool>()?;
    let block = if aes { 16 } else { 8 };
    let k = key(u, if aes { &[16, 24, 32] } else { &[8, 16, 24] })?;
    let iv = { let n = length(u, &[block], 20)?; bytes(u, n)? };
    let n = data_len(u, block)?;
    let data = bytes(u, n)?;
    let mut buf = data.clone();
    let whole = n != 0 && n % block == 0;
    if aes {
        let Ok(k) = AesKey::from_slice(&k) else {
            assert!(![16, 24, 32].contains(&k.len()));
            return Ok(());
        };
        let c = AesCipher::new(&k);
        let Ok(iv) = AesIv::from_slice(&iv) else {
            assert_ne!(iv.len(), 16);
            return Ok(());
        };
        let r = cbc::aes_encrypt(&c, &iv, &mut buf);
        assert_eq!(r.is_ok(), whole);
        if !whole {
            assert_eq!(r, Err(Error::InvalidLength));
            assert_eq!(buf, data);
            return Ok(());
        }
        // Reference chain.
        let mut chain = *iv.as_bytes();
        for (p, c_) in data.chunks(16).zip(buf.chunks(16)) {
            let mut x = [0u8; 16];
            for i in 0..16 {
                x[i] = p[i] ^ chain[i];
            }
            c.encrypt_block(&mut x);
            assert_eq!(&x[..], c_);
            chain = x;
        }
        cbc::aes_decrypt(&c, &iv, &mut buf).expect("whole blocks");
        assert_eq!(buf, data);
    } else {
        let Ok(k) = TdesKey::from_slice(&k) else {
            assert!(![8, 16, 24].contains(&k.len()));
            return Ok(());
        };
        let c = TdesCipher::new(&k);
        let Ok(iv) = TdesIv::from_slice(&iv) else {
            assert_ne!(iv.len(), 8);
            return Ok(());
        };
        let r = cbc::tdes_encrypt(&c, &iv, &mut buf);
        assert_eq!(r.is_ok(), whole);
        if !whole {
            assert_eq!(r, Err(Error::InvalidLength));
            assert_eq!(cbc::tdes_decrypt(&c, &iv, &mut buf), Err(Error::InvalidLength));
            assert_eq!(buf, data);
            return Ok(());
        }
        let mut chain = *iv.as_bytes();
        for (p, c_) in data.chunks(8).zip(buf.chunks(8)) {
            let mut x = [0u8; 8];
            for i in 0..8 {
                x[i] = p[i] ^ chain[i];
            }
            c.encrypt_block(&mut x);
            assert_eq!(&x[..], c_);
            chain = x;
        }
        cbc::tdes_decrypt(&c, &iv, &mut buf).expect("whole blocks");
        assert_eq!(buf, data);
    }
    Ok(())
}

fn direction(u: &mut Unstructured<'_>) -> Result<Direction> {
    Ok(if u.arbitrary()? {
        Direction::Request
    } else {
        Direction::Response
    })
}

fn tdes_case(u: &mut Unstructured<'_>) -> Result<()> {
    let bdk = key(u, &[16])?;
    let ksn = TdesKsn::from_bytes(u.arbitrary()?);
    let dir = direction(u)?;
    let Ok(bdk) = TdesKey::from_slice(&bdk) else {
        return Ok(());
    };
    let t = match tdes_txn::Transaction::from_bdk(&bdk, &ksn) {
        Ok(t) => t,
        Err(e) => {
            assert_eq!(e, Error::InvalidKey);
            assert_ne!(bdk.expose_secret().len(), 16);
            return Ok(());
        }
    };
    let n = data_len(u, 8)?;
    let data = bytes(u, n)?;
    let iv = TdesIv::from_bytes(u.arbitrary()?);
    let mut buf = data.clone();
    let r = t.encrypt_data(dir, &iv, &mut buf);
    if n == 0 || n % 8 != 0 {
        assert_eq!(r, Err(Error::InvalidLength));
        assert_eq!(buf, data);
    } else {
        r.expect("whole blocks");
        t.decrypt_data(dir, &iv, &mut buf).expect("whole blocks");
        assert_eq!(buf, data);
    }
    let len = length(u, &[4, 8], 40)?;
    match t.mac(dir, &data, len) {
        Ok(m) => {
            assert!((4..=8).contains(&len));
            assert!(bool::from(t.verify_mac(dir, &data, m.as_bytes()).expect("4 to 8 bytes")));
            let full = t.mac(dir, &data, 8).expect("len 8");
            assert_eq!(&full.as_bytes()[..len], m.as_bytes());
            let mut bad = m.as_bytes().to_vec();
            let i = u.choose_index(bad.len())?;
            bad[i] ^= 1 << u.int_in_range(0..=7u8)?;
            assert!(!bool::from(t.verify_mac(dir, &data, &bad).expect("4 to 8 bytes")));
            assert_eq!(t.verify_mac(dir, &data, &m.as_bytes()[..3]).err(), Some(Error::InvalidLength));
        }
        Err(e) => {
            assert_eq!(e, Error::InvalidLength);
            assert!(!(4..=8).contains(&len));
        }
    }
    Ok(())
}

const TYPES: [KeyType; 8] = KeyType::ALL;
const USAGES: [KeyUsage; 8] = KeyUsage::ALL;

fn strength(t: KeyType) -> u8 {
    match t {
        KeyType::Tdea2 => 0,
        KeyType::Tdea3 => 1,
        KeyType::Aes128 | KeyType::Hmac128 => 2,
        KeyType::Aes192 | KeyType::Hmac192 => 3,
        KeyType::Aes256 | KeyType::Hmac256 => 4,
    }
}

fn aes_case(u: &mut Unstructured<'_>) -> Result<()> {
    let bdk = key(u, &[16, 24, 32])?;
    let Ok(bdk) = AesKey::from_slice(&bdk) else {
        return Ok(());
    };
    let ksn = AesKsn::from_bytes(u.arbitrary()?);
    let t = aes_txn::Transaction::from_bdk(&bdk, &ksn).expect("any AES BDK");
    let kt = *u.choose(&TYPES)?;
    let usage = *u.choose(&USAGES)?;
    let ik = 2 + match bdk.expose_secret().len() {
        16 => 0,
        24 => 1,
        _ => 2,
    };
    let too_strong = strength(kt) > ik;
    let hmac = matches!(kt, KeyType::Hmac128 | KeyType::Hmac192 | KeyType::Hmac256);
    let tdea = matches!(kt, KeyType::Tdea2 | KeyType::Tdea3);
    let data_usage = matches!(usage, KeyUsage::DataEncrypt | KeyUsage::DataDecrypt | KeyUsage::DataBoth);
    let mac_usage = matches!(usage, KeyUsage::MacGeneration | KeyUsage::MacVerification | KeyUsage::MacBoth);
    let block = if tdea { 8 } else { 16 };
    let n = data_len(u, block)?;
    let data = bytes(u, n)?;
    let iv_bytes = { let n = length(u, &[block, 8, 16], 20)?; bytes(u, n)? };
    let iv = Iv::from_slice(&iv_bytes).ok();
    let mut buf = data.clone();
    let r = t.encrypt_data(kt, usage, iv.as_ref(), &mut buf);
    let want = if hmac || !data_usage || too_strong {
        Err(Error::Unsupported)
    } else if n == 0 || n % block != 0 || iv.is_some_and(|v| v.as_bytes().len() != block) {
        Err(Error::InvalidLength)
    } else {
        Ok(())
    };
    assert_eq!(r, want, "{kt:?} {usage:?} {n}");
    if r.is_ok() {
        t.decrypt_data(kt, usage, iv.as_ref(), &mut buf).expect("round trip");
    }
    assert_eq!(buf, data);
    let full = if hmac { 32 } else { 16 };
    let len = length(u, &[4, 16, 32], 40)?;
    let r = t.mac(kt, usage, &data, len);
    if tdea || !mac_usage || too_strong {
        assert_eq!(r.err(), Some(Error::Unsupported));
        assert_eq!(t.verify_mac(kt, usage, &data, &[0; 16]).err(), Some(Error::Unsupported));
    } else if !(4..=full).contains(&len) {
        assert_eq!(r.err(), Some(Error::InvalidLength));
    } else {
        let m = r.expect("a MAC");
        assert!(bool::from(t.verify_mac(kt, usage, &data, m.as_bytes()).expect("4 to full")));
        let f = t.mac(kt, usage, &data, full).expect("full");
        assert_eq!(&f.as_bytes()[..len], m.as_bytes());
        let mut bad = m.as_bytes().to_vec();
        let i = u.choose_index(bad.len())?;
        bad[i] ^= 1 << u.int_in_range(0..=7u8)?;
        assert!(!bool::from(t.verify_mac(kt, usage, &data, &bad).expect("4 to full")));
    }
    Ok(())
}

fn host_case(u: &mut Unstructured<'_>) -> Result<()> {
    let aes = u.arbitrary::<bool>()?;
    let message = { let n = length(u, &[0, 16], 64)?; bytes(u, n)? };
    let n = data_len(u, if aes { 16 } else { 8 })?;
    let data = bytes(u, n)?;
    let candidate = { let n = length(u, &[4, 8, 16], 40)?; bytes(u, n)? };
    let zone = PinBlockCipher::new(Format::Iso0, &[0x2C; 16]).expect("zone key");
    let mut rng = FuzzRng::new(u.arbitrary()?);
    let mut buf = data.clone();
    if aes {
        let bdk = AesKey::from_slice(&bytes(u, 16)?).expect("16 bytes");
        let ksn = AesKsn::from_bytes(u.arbitrary()?);
        let host = aes_txn::Host::new(&bdk, KeyTypes::AES128, &zone).expect("AES-128");
        let t = aes_txn::Transaction::from_bdk(&bdk, &ksn).expect("any BDK");
        let real = t
            .mac_parts(KeyType::Aes128, KeyUsage::MacGeneration, &mac_input(&message, None, &data), 16)
            .expect("full CMAC");
        let r = host.process(
            &mut Request { ksn, message: &message, pin: None, data: &mut buf, iv: None, mac: &candidate },
            &mut rng,
        );
        check_host(r.map(|_| ()), &real.as_bytes()[..], &candidate, n, 16, &data, &buf);
    } else {
        let bdk = TdesKey::from_slice(&bytes(u, 16)?).expect("16 bytes");
        let ksn = TdesKsn::from_bytes(u.arbitrary()?);
        let host = tdes_txn::Host::new(&bdk, &zone).expect("double-length BDK");
        let t = tdes_txn::Transaction::from_bdk(&bdk, &ksn).expect("any BDK");
        let real = t
            .mac_parts(Direction::Request, &mac_input(&message, None, &data), 8)
            .expect("full MAC");
        let r = host.process(
            &mut Request { ksn, message: &message, pin: None, data: &mut buf, iv: None, mac: &candidate },
            &mut rng,
        );
        check_host(r.map(|_| ()), &real.as_bytes()[..], &candidate, n, 8, &data, &buf);
    }
    Ok(())
}

fn check_host(
    r: std::result::Result<(), Error>,
    full: &[u8],
    candidate: &[u8],
    n: usize,
    block: usize,
    sent: &[u8],
    after: &[u8],
) {
    // Data that is not whole blocks, or a MAC outside 4 bytes to the full
    // MAC, is refused as invalid-length before any work (docs/vectors.md).
    if n % block != 0 || !(4..=full.len()).contains(&candidate.len()) {
        assert_eq!(r, Err(Error::InvalidLength));
        assert_eq!(after, sent);
        return;
    }
    let ok = full[..candidate.len()] == *candidate;
    if ok {
        assert_eq!(r, Ok(()));
    } else {
        assert_eq!(r, Err(Error::BadMac));
        assert_eq!(after, sent);
    }
}
