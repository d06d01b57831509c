//! Block ciphers, key check values, CMAC and KBKDF.

use super::{Check, Outcome};
use paykernel::kdf::{self, CounterLocation, CounterWidth};
use paykernel::mac::{AesCmac, TdesCmac};
use paykernel::{AesCipher, AesKey, KcvMethod, TdesCipher, TdesKey};

/// The checks of this group.
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

fn tdes_sp800_67() -> Outcome {
    // NIST SP 800-67 Rev. 1, TDEA example, first block.
    let k = TdesKey::from_slice(&h!("0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123"))?;
    let c = TdesCipher::new(&k);
    let mut b = h!("5468652071756663");
    c.encrypt_block(&mut b);
    let ok = b == h!("A826FD8CE53B855F");
    c.decrypt_block(&mut b);
    Ok(ok && b == h!("5468652071756663"))
}

fn des_single() -> Outcome {
    // FIPS 81 Appendix B: key 0123456789ABCDEF, "Now is t" -> 3FA40E8A984D4815.
    let k = TdesKey::from_slice(&h!("0123456789ABCDEF"))?;
    let mut b = h!("4E6F772069732074");
    TdesCipher::new(&k).encrypt_block(&mut b);
    Ok(b == h!("3FA40E8A984D4815"))
}

fn aes_fips197() -> Outcome {
    // FIPS 197 Appendix C.1 and C.3.
    let pt = h!("00112233445566778899AABBCCDDEEFF");
    let k128 = AesKey::from_slice(&h!("000102030405060708090A0B0C0D0E0F"))?;
    let k256 = AesKey::from_slice(&h!(
        "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"
    ))?;
    let mut a = pt;
    AesCipher::new(&k128).encrypt_block(&mut a);
    let mut b = pt;
    let c256 = AesCipher::new(&k256);
    c256.encrypt_block(&mut b);
    let ok =
        a == h!("69C4E0D86A7B0430D8CDB78070B4C55A") && b == h!("8EA2B7CA516745BFEAFC49904B496089");
    c256.decrypt_block(&mut b);
    Ok(ok && b == pt)
}

fn kcv_tdes() -> Outcome {
    // psec 1.3.0 documentation, des.generate_kcv: 08D7 for this key.
    let k = TdesKey::from_slice(&h!("0123456789ABCDEFFEDCBA9876543210"))?;
    Ok(k.kcv(KcvMethod::EncryptZeros, 2)?.as_bytes() == h!("08D7"))
}

fn cmac_aes() -> Outcome {
    // NIST SP 800-38B Appendix D.1, Example 2 (Mlen = 128).
    let k = AesKey::from_slice(&h!("2B7E151628AED2A6ABF7158809CF4F3C"))?;
    let c = AesCmac::new(&k);
    let m = h!("6BC1BEE22E409F96E93D7E117393172A");
    let tag = super::planted(h!("070A16B46B4D4144F79BDD9DD04A287C"));
    Ok(c.compute(&m) == tag
        && bool::from(c.verify(&m, &tag, 16)?)
        && !bool::from(c.verify(&m, &tag[..8], 16)?))
}

fn cmac_tdes() -> Outcome {
    // NIST SP 800-38B Appendix D.5 (two-key TDEA), Mlen = 64.
    let k = TdesKey::from_slice(&h!("4CF15134A2850DD58A3D10BA80570D38"))?;
    Ok(TdesCmac::new(&k).compute(&h!("6BC1BEE22E409F96")) == h!("4FF2AB813C53CE83"))
}

fn kbkdf() -> Outcome {
    // NIST CAVP KDFCTR_gen.txt, CMAC_AES128, BEFORE_FIXED, RLEN 8, COUNT 0.
    let k = AesKey::from_slice(&h!("DFF1E50AC0B69DC40F1051D46C2B069C"))?;
    let fixed = h!(
        "C16E6E02C5A3DCC8D78B9AC1306877761310455B4E41469951D9E6C2245A064B33FD8C3B01203A7824485BF0A64060C4648B707D2607935699316EA5"
    );
    let mut out = [0u8; 16];
    kdf::kbkdf_cmac(
        &k,
        &fixed,
        CounterWidth::Bits8,
        CounterLocation::Before,
        &mut out,
    )?;
    Ok(out == h!("8BE8F0869B3C0BA97B71863D1B9F7813"))
}

fn refusals() -> Outcome {
    use paykernel::Error;
    Ok(
        TdesKey::from_slice(&[0u8; 15]).err() == Some(Error::InvalidKey)
            && AesKey::from_slice(&[0u8; 20]).err() == Some(Error::InvalidKey)
            && "12345".parse::<paykernel::Pan>().err() == Some(Error::InvalidPan),
    )
}
