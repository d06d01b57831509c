//! Ops of the primitives: DES/TDES (one block and the batch interface),
//! AES, key check values, key parity, CMAC compute and verify, KBKDF.
//!
//! Keys and data blocks are secret; so are the messages of MACs (a MAC may
//! cover secret data) and the tags being verified. Answers are checked
//! against published values where there are some (FIPS 81, SP 800-67,
//! FIPS 197, SP 800-38B, CAVP KBKDF) and otherwise against the same call on
//! untainted inputs.

use paykernel::kdf::{self, CounterLocation, CounterWidth};
use paykernel::mac::{AesCmac, TdesCmac};
use paykernel::{
    AesCipher, AesEncryptor, AesKey, KcvMethod, TdesCipher, TdesKey, tdes_decrypt_many,
    tdes_encrypt_many,
};

use crate::check::{Check, OpResult, fail, secret_array, secret_hex, unhex};

ops! {
    "tdes8.schedule" => tdes_schedule::<0>,
    "tdes16.schedule" => tdes_schedule::<1>,
    "tdes24.schedule" => tdes_schedule::<2>,
    "tdes8.encrypt" => tdes_encrypt::<0>,
    "tdes16.encrypt" => tdes_encrypt::<1>,
    "tdes24.encrypt" => tdes_encrypt::<2>,
    "tdes8.decrypt" => tdes_decrypt::<0>,
    "tdes16.decrypt" => tdes_decrypt::<1>,
    "tdes24.decrypt" => tdes_decrypt::<2>,
    "tdes16.secret-data-only" => tdes_data_only,
    "tdes.encrypt_many-1" => tdes_many::<1, false>,
    "tdes.encrypt_many-4" => tdes_many::<4, false>,
    "tdes.encrypt_many-6" => tdes_many::<6, false>,
    "tdes.encrypt_many-7" => tdes_many::<7, false>,
    "tdes.encrypt_many-67" => tdes_many::<67, false>,
    "tdes.decrypt_many-3" => tdes_many::<3, true>,
    "tdes.decrypt_many-70" => tdes_many::<70, true>,
    "tdes.parity" => tdes_parity,
    "tdes.from_slice_odd_parity" => tdes_from_slice_odd_parity::<true>,
    "tdes.from_slice_odd_parity-refused" => tdes_from_slice_odd_parity::<false>,
    "aes128.encrypt" aes=true => aes_encrypt::<0>,
    "aes192.encrypt" aes=true => aes_encrypt::<1>,
    "aes256.encrypt" aes=true => aes_encrypt::<2>,
    "aes128.decrypt" aes=true => aes_decrypt::<0>,
    "aes192.decrypt" aes=true => aes_decrypt::<1>,
    "aes256.decrypt" aes=true => aes_decrypt::<2>,
    "aes128.encryptor" aes=true => aes_encryptor::<0>,
    "aes256.encryptor" aes=true => aes_encryptor::<2>,
    "kcv.tdes8.encrypt-zeros" => kcv_tdes::<0, false>,
    "kcv.tdes16.encrypt-zeros" => kcv_tdes::<1, false>,
    "kcv.tdes24.encrypt-zeros" => kcv_tdes::<2, false>,
    "kcv.tdes8.cmac-zeros" => kcv_tdes::<0, true>,
    "kcv.tdes16.cmac-zeros" => kcv_tdes::<1, true>,
    "kcv.tdes24.cmac-zeros" => kcv_tdes::<2, true>,
    "kcv.aes128.encrypt-zeros" aes=true => kcv_aes::<0, false>,
    "kcv.aes192.encrypt-zeros" aes=true => kcv_aes::<1, false>,
    "kcv.aes256.encrypt-zeros" aes=true => kcv_aes::<2, false>,
    "kcv.aes128.cmac-zeros" aes=true => kcv_aes::<0, true>,
    "kcv.aes192.cmac-zeros" aes=true => kcv_aes::<1, true>,
    "kcv.aes256.cmac-zeros" aes=true => kcv_aes::<2, true>,
    "cmac.aes128.compute" aes=true => cmac_aes::<0>,
    "cmac.aes192.compute" aes=true => cmac_aes::<1>,
    "cmac.aes256.compute" aes=true => cmac_aes::<2>,
    "cmac.aes128.mac-truncated" aes=true => cmac_aes_mac,
    "cmac.aes256.compute_parts" aes=true => cmac_aes_parts,
    "cmac.aes128.verify" aes=true => cmac_aes_verify::<0, true, 16>,
    "cmac.aes128.verify-truncated" aes=true => cmac_aes_verify::<0, true, 8>,
    "cmac.aes128.verify-fail" aes=true => cmac_aes_verify::<0, false, 16>,
    "cmac.aes256.verify" aes=true => cmac_aes_verify::<2, true, 16>,
    "cmac.aes256.verify-fail" aes=true => cmac_aes_verify::<2, false, 4>,
    "cmac.tdes16.compute" => cmac_tdes::<0>,
    "cmac.tdes24.compute" => cmac_tdes::<1>,
    "cmac.tdes16.mac-truncated" => cmac_tdes_mac,
    "cmac.tdes16.verify" => cmac_tdes_verify::<0, true, 8>,
    "cmac.tdes16.verify-fail" => cmac_tdes_verify::<0, false, 8>,
    "cmac.tdes24.verify" => cmac_tdes_verify::<1, true, 4>,
    "cmac.tdes24.verify-fail" => cmac_tdes_verify::<1, false, 4>,
    "kdf.kbkdf_cmac-before-8" aes=true => kbkdf::<0>,
    "kdf.kbkdf_cmac-before-8b" aes=true => kbkdf::<1>,
    "kdf.kbkdf_cmac-after-32" aes=true => kbkdf_after,
    "kdf.kbkdf_cmac_labeled" aes=true => kbkdf_labeled,
}

/// A known answer: key, input, output (hex).
struct Kat {
    key: &'static str,
    input: &'static str,
    output: &'static str,
}

/// TDES with 8-, 16- and 24-byte keys.
const TDES: [Kat; 3] = [
    // FIPS 81 Appendix B: "Now is t".
    Kat {
        key: "0123456789ABCDEF",
        input: "4E6F772069732074",
        output: "3FA40E8A984D4815",
    },
    // Two-key TDES of the zero block (pyca/cryptography 48).
    Kat {
        key: "0123456789ABCDEFFEDCBA9876543210",
        input: "0000000000000000",
        output: "08D7B4FB629D0885",
    },
    // NIST SP 800-67 Rev. 1 TDEA example, first block.
    Kat {
        key: "0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123",
        input: "5468652071756663",
        output: "A826FD8CE53B855F",
    },
];

/// FIPS 197 Appendix C.1, C.2, C.3.
const AES: [Kat; 3] = [
    Kat {
        key: "000102030405060708090A0B0C0D0E0F",
        input: "00112233445566778899AABBCCDDEEFF",
        output: "69C4E0D86A7B0430D8CDB78070B4C55A",
    },
    Kat {
        key: "000102030405060708090A0B0C0D0E0F1011121314151617",
        input: "00112233445566778899AABBCCDDEEFF",
        output: "DDA97CA4864CDFE06EAF70A0EC0D7191",
    },
    Kat {
        key: "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
        input: "00112233445566778899AABBCCDDEEFF",
        output: "8EA2B7CA516745BFEAFC49904B496089",
    },
];

fn kat<const I: usize>(table: &'static [Kat; 3]) -> Result<&'static Kat, String> {
    table.get(I).ok_or_else(|| format!("no known answer {I}"))
}

fn tdes_key(c: &mut Check, hex: &str) -> Result<TdesKey, String> {
    TdesKey::from_slice(&secret_hex(c, hex)?).map_err(fail("TDES key"))
}

fn aes_key(c: &mut Check, hex: &str) -> Result<AesKey, String> {
    AesKey::from_slice(&secret_hex(c, hex)?).map_err(fail("AES key"))
}

fn array<const N: usize>(hex: &str) -> Result<[u8; N], String> {
    unhex(hex)?
        .as_slice()
        .try_into()
        .map_err(|_| format!("{hex}: not {N} bytes"))
}

/// The key schedule with a secret key, on a public block.
fn tdes_schedule<const I: usize>(c: &mut Check) -> OpResult {
    let k = kat::<I>(&TDES)?;
    let key = tdes_key(c, k.key)?;
    let cipher = TdesCipher::new(&key);
    let mut block = array::<8>(k.input)?;
    cipher.encrypt_block(&mut block);
    c.output_eq("ciphertext", &mut block, k.output)
}

fn tdes_encrypt<const I: usize>(c: &mut Check) -> OpResult {
    let k = kat::<I>(&TDES)?;
    let key = tdes_key(c, k.key)?;
    let mut block = secret_array::<8>(c, k.input)?;
    TdesCipher::new(&key).encrypt_block(&mut block);
    c.output_eq("ciphertext", &mut block, k.output)
}

fn tdes_decrypt<const I: usize>(c: &mut Check) -> OpResult {
    let k = kat::<I>(&TDES)?;
    let key = tdes_key(c, k.key)?;
    let mut block = secret_array::<8>(c, k.output)?;
    TdesCipher::new(&key).decrypt_block(&mut block);
    c.output_eq("plaintext", &mut block, k.input)
}

/// A public key and a secret block (a PIN block under a known key).
fn tdes_data_only(c: &mut Check) -> OpResult {
    let k = kat::<1>(&TDES)?;
    let key = TdesKey::from_slice(&unhex(k.key)?).map_err(fail("key"))?;
    let mut block = secret_array::<8>(c, k.input)?;
    TdesCipher::new(&key).encrypt_block(&mut block);
    c.output_eq("ciphertext", &mut block, k.output)
}

/// SplitMix64, for the batch's public-then-secret inputs.
fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(0x2545_F491_4F6C_DD1D);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `N` blocks under `N` keys of 8, 16 and 24 bytes in turn: the answers of
/// the batch against `TdesCipher` on untainted copies.
fn tdes_many<const N: usize, const DECRYPT: bool>(c: &mut Check) -> OpResult {
    let mut raw_keys = Vec::with_capacity(N);
    let mut blocks = Vec::with_capacity(N);
    let mut want = Vec::with_capacity(N);
    for (i, len) in (0u64..).zip([8usize, 16, 24].into_iter().cycle()).take(N) {
        let mut k = [0u8; 24];
        for (chunk, j) in k.chunks_mut(8).zip(0u64..) {
            chunk.copy_from_slice(&mix(i.wrapping_mul(4).wrapping_add(j)).to_be_bytes());
        }
        let k = k.get(..len).unwrap_or(&[]).to_vec();
        let b = mix(i ^ 0xB10C).to_be_bytes();
        let cipher = TdesCipher::new(&TdesKey::from_slice(&k).map_err(fail("key"))?);
        let mut w = b;
        if DECRYPT {
            cipher.decrypt_block(&mut w);
        } else {
            cipher.encrypt_block(&mut w);
        }
        raw_keys.push(k);
        blocks.push(b);
        want.push(w);
    }
    let mut keys = Vec::with_capacity(N);
    for k in &mut raw_keys {
        c.secret(k);
        keys.push(TdesKey::from_slice(k).map_err(fail("key"))?);
    }
    for b in &mut blocks {
        c.secret(b);
    }
    if DECRYPT {
        tdes_decrypt_many(&keys, &mut blocks).map_err(fail("decrypt_many"))?;
    } else {
        tdes_encrypt_many(&keys, &mut blocks).map_err(fail("encrypt_many"))?;
    }
    let mut flat = blocks.concat();
    c.output("blocks", &mut flat);
    if flat == want.concat() {
        Ok(())
    } else {
        Err("the batch differs from one block at a time".to_owned())
    }
}

/// Parity check and fix on a secret key.
fn tdes_parity(c: &mut Check) -> OpResult {
    let odd = tdes_key(c, "0123456789ABCDEFFEDCBA9876543210")?;
    if !c.output_bool("odd parity", odd.has_odd_parity()) {
        return Err("0123...3210 has odd parity".to_owned());
    }
    let mut even = tdes_key(c, "0023456789ABCDEFFEDCBA9876543211")?;
    if c.output_bool("odd parity", even.has_odd_parity()) {
        return Err("0023...3211 has even bytes".to_owned());
    }
    even.set_odd_parity();
    let mut fixed = even.expose_secret().to_vec();
    c.output_eq("fixed key", &mut fixed, "0123456789ABCDEFFEDCBA9876543210")
}

/// The checked constructor on a secret key: odd parity accepted, even
/// refused. Its one branch is the kernel's one verdict (`ct::verdict`,
/// suppressed by name in `suppressions.supp`); the verdict is then public.
fn tdes_from_slice_odd_parity<const ODD: bool>(c: &mut Check) -> OpResult {
    let hex = if ODD {
        "0123456789ABCDEFFEDCBA9876543210"
    } else {
        "0123456789ABCDEFFEDCBA9876543211"
    };
    let key = secret_hex(c, hex)?;
    let r = TdesKey::from_slice_odd_parity(&key);
    let accepted = c.public_verdict("accepted", r.is_ok());
    match (accepted, r) {
        (true, Ok(k)) if ODD => {
            let kcv = k.kcv(KcvMethod::EncryptZeros, 3).map_err(fail("kcv"))?;
            c.output_eq("kcv", &mut kcv.as_bytes().to_vec(), "08D7B4")
        }
        (false, Err(paykernel::Error::InvalidKey)) if !ODD => Ok(()),
        _ => Err(format!("odd parity {ODD}: wrong verdict")),
    }
}

fn aes_encrypt<const I: usize>(c: &mut Check) -> OpResult {
    let k = kat::<I>(&AES)?;
    let key = aes_key(c, k.key)?;
    let mut block = secret_array::<16>(c, k.input)?;
    AesCipher::new(&key).encrypt_block(&mut block);
    c.output_eq("ciphertext", &mut block, k.output)
}

fn aes_decrypt<const I: usize>(c: &mut Check) -> OpResult {
    let k = kat::<I>(&AES)?;
    let key = aes_key(c, k.key)?;
    let mut block = secret_array::<16>(c, k.output)?;
    AesCipher::new(&key).decrypt_block(&mut block);
    c.output_eq("plaintext", &mut block, k.input)
}

fn aes_encryptor<const I: usize>(c: &mut Check) -> OpResult {
    let k = kat::<I>(&AES)?;
    let key = aes_key(c, k.key)?;
    let mut block = secret_array::<16>(c, k.input)?;
    AesEncryptor::new(&key).encrypt_block(&mut block);
    c.output_eq("ciphertext", &mut block, k.output)
}

/// KCVs of the TDES keys above (pyca/cryptography 48): encrypt-zeros and
/// CMAC of a zero block, 8 bytes.
const TDES_KCV: [[&str; 2]; 3] = [
    ["D5D44FF720683D0D", "03C8153AD5D08330"],
    ["08D7B4FB629D0885", "0A8245866490475B"],
    ["4EBA739C998BCB60", "2978795155358F5A"],
];

fn kcv_tdes<const I: usize, const CMAC: bool>(c: &mut Check) -> OpResult {
    let key = tdes_key(c, kat::<I>(&TDES)?.key)?;
    let method = if CMAC {
        KcvMethod::CmacZeros
    } else {
        KcvMethod::EncryptZeros
    };
    let kcv = key.kcv(method, 8).map_err(fail("kcv"))?;
    let want = TDES_KCV
        .get(I)
        .and_then(|w| w.get(usize::from(CMAC)))
        .ok_or("no KCV")?;
    c.output_eq("kcv", &mut kcv.as_bytes().to_vec(), want)
}

/// AES keys for the KCVs (SP 800-38B D.1, D.2, D.3) and their KCVs
/// (pyca/cryptography 48): encrypt-zeros, CMAC of a zero block.
const AES_KCV: [[&str; 3]; 3] = [
    [
        "2B7E151628AED2A6ABF7158809CF4F3C",
        "7DF76B0C1AB899B33E42F047B91B546F",
        "7AD386C3760FB3498361A1CB5563BD70",
    ],
    [
        "8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B",
        "22452D8E49A8A5939F7321CEEA6D514B",
        "3A072A425D0DD4AF48D35AD89BF71E68",
    ],
    [
        "603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4",
        "E568F68194CF76D6174D4CC04310A854",
        "1A0B2DF26763CFD6AFB9D3B1A2A846DA",
    ],
];

fn kcv_aes<const I: usize, const CMAC: bool>(c: &mut Check) -> OpResult {
    let [key, enc, cmac] = AES_KCV.get(I).ok_or("no KCV")?;
    let key = aes_key(c, key)?;
    let (method, want) = if CMAC {
        (KcvMethod::CmacZeros, cmac)
    } else {
        (KcvMethod::EncryptZeros, enc)
    };
    let kcv = key.kcv(method, 16).map_err(fail("kcv"))?;
    c.output_eq("kcv", &mut kcv.as_bytes().to_vec(), want)
}

/// SP 800-38B Appendix D: AES examples 2 (AES-128), 6 (AES-192) and 12
/// (AES-256): key, message, tag.
const CMAC_AES: [Kat; 3] = [
    Kat {
        key: "2B7E151628AED2A6ABF7158809CF4F3C",
        input: "6BC1BEE22E409F96E93D7E117393172A",
        output: "070A16B46B4D4144F79BDD9DD04A287C",
    },
    Kat {
        key: "8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B",
        input: "6BC1BEE22E409F96E93D7E117393172A",
        output: "9E99A7BF31E710900662F65E617C5184",
    },
    Kat {
        key: "603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4",
        input: "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E5130C81C46A35CE411E5FBC1191A0A52EFF69F2445DF4F9B17AD2B417BE66C3710",
        output: "E1992190549F6ED5696A2C056C315410",
    },
];

/// SP 800-38B Appendix D.5 (two-key) and D.4 (three-key) TDEA, examples
/// with Mlen = 64.
const CMAC_TDES: [Kat; 2] = [
    Kat {
        key: "4CF15134A2850DD58A3D10BA80570D38",
        input: "6BC1BEE22E409F96",
        output: "4FF2AB813C53CE83",
    },
    Kat {
        key: "8AA83BF8CBDA10620BC1BF19FBB6CD58BC313D4A371CA8B5",
        input: "6BC1BEE22E409F96",
        output: "8E8F293136283797",
    },
];

fn cmac_aes<const I: usize>(c: &mut Check) -> OpResult {
    let k = CMAC_AES.get(I).ok_or("no example")?;
    let mac = AesCmac::new(&aes_key(c, k.key)?);
    let msg = secret_hex(c, k.input)?;
    c.output_eq("tag", &mut mac.compute(&msg), k.output)
}

/// A truncated tag as a `Tag` (SP 800-38B D.1 example 2, 8 bytes).
fn cmac_aes_mac(c: &mut Check) -> OpResult {
    let k = CMAC_AES.first().ok_or("no example")?;
    let mac = AesCmac::new(&aes_key(c, k.key)?);
    let msg = secret_hex(c, k.input)?;
    let tag = mac.mac(&msg, 8).map_err(fail("mac"))?;
    c.output_eq("tag", &mut tag.as_bytes().to_vec(), "070A16B46B4D4144")
}

/// The message in three parts (SP 800-38B D.3 example 12).
fn cmac_aes_parts(c: &mut Check) -> OpResult {
    let k = CMAC_AES.get(2).ok_or("no example")?;
    let mac = AesCmac::new(&aes_key(c, k.key)?);
    let msg = secret_hex(c, k.input)?;
    let (a, rest) = msg.split_at(7);
    let (b, d) = rest.split_at(30);
    c.output_eq("tag", &mut mac.compute_parts(&[a, b, d]), k.output)
}

/// Verifies a secret candidate tag of `LEN` bytes: the right one, or one
/// with its last byte flipped.
fn cmac_aes_verify<const I: usize, const GOOD: bool, const LEN: usize>(c: &mut Check) -> OpResult {
    let k = CMAC_AES.get(I).ok_or("no example")?;
    let mac = AesCmac::new(&aes_key(c, k.key)?);
    let msg = secret_hex(c, k.input)?;
    let tag = candidate::<LEN, GOOD>(c, k.output)?;
    let v = mac.verify(&msg, &tag, LEN).map_err(fail("verify"))?;
    if c.output_bool("valid", bool::from(v)) == GOOD {
        Ok(())
    } else {
        Err(format!("verify gave {}", !GOOD))
    }
}

fn cmac_tdes<const I: usize>(c: &mut Check) -> OpResult {
    let k = CMAC_TDES.get(I).ok_or("no example")?;
    let mac = TdesCmac::new(&tdes_key(c, k.key)?);
    let msg = secret_hex(c, k.input)?;
    c.output_eq("tag", &mut mac.compute(&msg), k.output)
}

/// A truncated TDES tag (SP 800-38B D.5, 4 bytes).
fn cmac_tdes_mac(c: &mut Check) -> OpResult {
    let k = CMAC_TDES.first().ok_or("no example")?;
    let mac = TdesCmac::new(&tdes_key(c, k.key)?);
    let msg = secret_hex(c, k.input)?;
    let tag = mac.mac(&msg, 4).map_err(fail("mac"))?;
    c.output_eq("tag", &mut tag.as_bytes().to_vec(), "4FF2AB81")
}

fn cmac_tdes_verify<const I: usize, const GOOD: bool, const LEN: usize>(
    c: &mut Check,
) -> OpResult {
    let k = CMAC_TDES.get(I).ok_or("no example")?;
    let mac = TdesCmac::new(&tdes_key(c, k.key)?);
    let msg = secret_hex(c, k.input)?;
    let tag = candidate::<LEN, GOOD>(c, k.output)?;
    let v = mac.verify(&msg, &tag, LEN).map_err(fail("verify"))?;
    if c.output_bool("valid", bool::from(v)) == GOOD {
        Ok(())
    } else {
        Err(format!("verify gave {}", !GOOD))
    }
}

/// The leftmost `LEN` bytes of `tag`, the last one flipped unless `GOOD`,
/// marked secret.
fn candidate<const LEN: usize, const GOOD: bool>(c: &mut Check, tag: &str) -> Result<Vec<u8>, String> {
    let mut t = unhex(tag)?;
    t.truncate(LEN);
    if !GOOD && let Some(last) = t.last_mut() {
        *last ^= 0x01;
    }
    c.secret(&mut t);
    Ok(t)
}

/// CAVP KDFCTR_gen.txt, CMAC_AES128, BEFORE_FIXED, RLEN = 8, L = 128,
/// COUNT = 0 and 1: key, fixed input, output.
const KBKDF: [Kat; 2] = [
    Kat {
        key: "DFF1E50AC0B69DC40F1051D46C2B069C",
        input: "C16E6E02C5A3DCC8D78B9AC1306877761310455B4E41469951D9E6C2245A064B33FD8C3B01203A7824485BF0A64060C4648B707D2607935699316EA5",
        output: "8BE8F0869B3C0BA97B71863D1B9F7813",
    },
    Kat {
        key: "E4D94DA336FADA7C0EE4A9591DD0327A",
        input: "538FEFB2EEB7C50C84BF603A7BEDDFF4BBA049F0052C45F13C56E9AE5944EB22D677F280E5A29C588CF40C7C57F7767AAD3D595069FB40D02C01F866",
        output: "268A1D44BA5A5B1A28B9A611C76671F7",
    },
];

fn kbkdf<const I: usize>(c: &mut Check) -> OpResult {
    let k = KBKDF.get(I).ok_or("no example")?;
    let key = aes_key(c, k.key)?;
    let mut out = [0u8; 16];
    kdf::kbkdf_cmac(
        &key,
        &unhex(k.input)?,
        CounterWidth::Bits8,
        CounterLocation::Before,
        &mut out,
    )
    .map_err(fail("kbkdf"))?;
    c.output_eq("derived key", &mut out, k.output)
}

/// A 256-bit key, counter after the fixed data, 40 bytes out (three PRF
/// blocks); checked against the same call on an untainted key.
fn kbkdf_after(c: &mut Check) -> OpResult {
    let hex = "603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4";
    let fixed = unhex("00112233445566778899AABBCCDDEEFF0011")?;
    let derive = |key: &AesKey| -> Result<[u8; 40], String> {
        let mut out = [0u8; 40];
        kdf::kbkdf_cmac(
            key,
            &fixed,
            CounterWidth::Bits32,
            CounterLocation::After,
            &mut out,
        )
        .map_err(fail("kbkdf"))?;
        Ok(out)
    };
    let want = derive(&AesKey::from_slice(&unhex(hex)?).map_err(fail("key"))?)?;
    let mut got = derive(&aes_key(c, hex)?)?;
    c.output_eq("derived key", &mut got, &hex::encode(want))
}

/// The labeled layout; checked against the same call on an untainted key.
fn kbkdf_labeled(c: &mut Check) -> OpResult {
    let hex = "000102030405060708090A0B0C0D0E0F";
    let derive = |key: &AesKey| -> Result<[u8; 32], String> {
        let mut out = [0u8; 32];
        kdf::kbkdf_cmac_labeled(key, b"paykernel", b"ct-check", &mut out)
            .map_err(fail("kbkdf"))?;
        Ok(out)
    };
    let want = derive(&AesKey::from_slice(&unhex(hex)?).map_err(fail("key"))?)?;
    let mut got = derive(&aes_key(c, hex)?)?;
    c.output_eq("derived key", &mut got, &hex::encode(want))
}
