//! The known answers, one function per check. Each value comes from a
//! standard (cited beside it).

use paykernel::kdf::{self, CounterLocation, CounterWidth};
use paykernel::mac::{AesCmac, TdesCmac};
use paykernel::{AesCipher, AesKey, KcvMethod, TdesCipher, TdesKey};

/// A named check: true when the kernel gave the known answer.
pub type Check = (&'static str, fn() -> bool);

/// Every check, by name.
pub const ALL: &[Check] = &[
    ("tdes sp800-67 example", tdes_sp800_67),
    ("des 'Now is t'", des_single),
    ("aes fips197 c.1 c.3", aes_fips197),
    ("kcv tdes encrypt-zeros", kcv_tdes),
    ("cmac aes sp800-38b d.1", cmac_aes),
    ("cmac tdes sp800-38b d.5", cmac_tdes),
    ("kbkdf cavp ctr8 before", kbkdf),
    ("refusals", refusals),
];

/// Hex to a fixed-size array; bad hex gives zeros (the inputs are fixed).
pub fn hex<const N: usize>(s: &str) -> [u8; N] {
    let mut out = [0u8; N];
    let b = s.as_bytes();
    if b.len() != 2 * N {
        return out;
    }
    for (i, o) in out.iter_mut().enumerate() {
        let hi = nibble(b[2 * i]);
        let lo = nibble(b[2 * i + 1]);
        *o = (hi << 4) | lo;
    }
    out
}

fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

fn tdes_sp800_67() -> bool {
    // NIST SP 800-67 Rev. 1, TDEA example, first block.
    let Ok(k) = TdesKey::from_slice(&hex::<24>(
        "0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123",
    )) else {
        return false;
    };
    let c = TdesCipher::new(&k);
    let mut b = hex::<8>("5468652071756663");
    c.encrypt_block(&mut b);
    let ok = b == hex::<8>("A826FD8CE53B855F");
    c.decrypt_block(&mut b);
    ok && b == hex::<8>("5468652071756663")
}

fn des_single() -> bool {
    // FIPS 81 Appendix B: key 0123456789ABCDEF, "Now is t" -> 3FA40E8A984D4815.
    let Ok(k) = TdesKey::from_slice(&hex::<8>("0123456789ABCDEF")) else {
        return false;
    };
    let mut b = hex::<8>("4E6F772069732074");
    TdesCipher::new(&k).encrypt_block(&mut b);
    b == hex::<8>("3FA40E8A984D4815")
}

fn aes_fips197() -> bool {
    // FIPS 197 Appendix C.1 and C.3.
    let pt = hex::<16>("00112233445566778899AABBCCDDEEFF");
    let Ok(k128) = AesKey::from_slice(&hex::<16>("000102030405060708090A0B0C0D0E0F")) else {
        return false;
    };
    let Ok(k256) = AesKey::from_slice(&hex::<32>(
        "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
    )) else {
        return false;
    };
    let mut a = pt;
    AesCipher::new(&k128).encrypt_block(&mut a);
    let mut b = pt;
    let c256 = AesCipher::new(&k256);
    c256.encrypt_block(&mut b);
    let ok = a == hex::<16>("69C4E0D86A7B0430D8CDB78070B4C55A")
        && b == hex::<16>("8EA2B7CA516745BFEAFC49904B496089");
    c256.decrypt_block(&mut b);
    ok && b == pt
}

fn kcv_tdes() -> bool {
    // psec 1.3.0 documentation, des.generate_kcv: 08D7 for this key.
    let Ok(k) = TdesKey::from_slice(&hex::<16>("0123456789ABCDEFFEDCBA9876543210")) else {
        return false;
    };
    matches!(k.kcv(KcvMethod::EncryptZeros, 2), Ok(kcv) if kcv.as_bytes() == hex::<2>("08D7"))
}

fn cmac_aes() -> bool {
    // NIST SP 800-38B Appendix D.1, Example 2 (Mlen = 128).
    let Ok(k) = AesKey::from_slice(&hex::<16>("2B7E151628AED2A6ABF7158809CF4F3C")) else {
        return false;
    };
    let c = AesCmac::new(&k);
    let m = hex::<16>("6BC1BEE22E409F96E93D7E117393172A");
    let tag = hex::<16>("070A16B46B4D4144F79BDD9DD04A287C");
    c.compute(&m) == tag && c.verify(&m, &tag, 16) && !c.verify(&m, &tag[..8], 16)
}

fn cmac_tdes() -> bool {
    // NIST SP 800-38B Appendix D.5 (two-key TDEA), Mlen = 64.
    let Ok(k) = TdesKey::from_slice(&hex::<16>("4CF15134A2850DD58A3D10BA80570D38")) else {
        return false;
    };
    TdesCmac::new(&k).compute(&hex::<8>("6BC1BEE22E409F96")) == hex::<8>("4FF2AB813C53CE83")
}

fn kbkdf() -> bool {
    // NIST CAVP KDFCTR_gen.txt, CMAC_AES128, BEFORE_FIXED, RLEN 8, COUNT 0.
    let Ok(k) = AesKey::from_slice(&hex::<16>("DFF1E50AC0B69DC40F1051D46C2B069C")) else {
        return false;
    };
    let fixed = hex::<60>(
        "C16E6E02C5A3DCC8D78B9AC1306877761310455B4E41469951D9E6C2245A064B33FD8C3B01203A7824485BF0A64060C4648B707D2607935699316EA5",
    );
    let mut out = [0u8; 16];
    kdf::kbkdf_cmac(
        &k,
        &fixed,
        CounterWidth::Bits8,
        CounterLocation::Before,
        &mut out,
    )
    .is_ok()
        && out == hex::<16>("8BE8F0869B3C0BA97B71863D1B9F7813")
}

fn refusals() -> bool {
    use paykernel::Error;
    TdesKey::from_slice(&[0u8; 15]).err() == Some(Error::InvalidKey)
        && AesKey::from_slice(&[0u8; 20]).err() == Some(Error::InvalidKey)
        && "12345".parse::<paykernel::Pan>().err() == Some(Error::InvalidPan)
}
