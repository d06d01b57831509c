//! Ops of the stored-value records (`SVR1`): card keys from AES-128 and
//! AES-256 issuer keys, seal, verify (a good tag, a bad one, another
//! card's record), debit and credit, the successor check, the two-slot
//! select, the audit of a signed chain, and signing a record.
//!
//! Secret: issuer and card keys, the terminal's signing key, and the tag
//! of every record being verified (the record's other fields are public by
//! design: anyone may read a card). Once verified, a record's tag is still
//! marked secret here, so that whatever the kernel does with a verified
//! record (the successor check compares `prev_tag` with it) stays under
//! the check. The chain audit also verifies ECDSA signatures over the
//! records, and ECDSA verification is variable time on its (public)
//! inputs: there the records stay public and the issuer key is the secret.
//! Known answers: the `vectors/svr1-*.json` suites.

use paykernel::Error;
use paykernel::record::{
    Amount, CardKey, ChainVerdict, Fields, IssuerKey, Slot, SuccessorFault, VerifiedRecord,
    sign_record,
};
use paykernel::sign::{PublicKey, SigningKey};

use crate::check::{Check, OpResult, fail, secret_hex, unhex};

ops! {
    "record.card_key" aes=true => card_keys,
    "record.seal" aes=true => seal,
    "record.verify" aes=true => verify,
    "record.verify-bad-tag" aes=true => verify_bad,
    "record.debit" aes=true => update::<false>,
    "record.credit" aes=true => update::<true>,
    "record.successor" aes=true => successor,
    "record.select" aes=true => select,
    "record.chain" aes=true => chain::<0>,
    "record.chain-bad-mac" aes=true => chain::<1>,
    "record.chain-replay" aes=true => chain::<2>,
    "record.sign" => sign,
}

/// The record's bytes with its tag (the last 16) marked secret.
fn record_with_secret_tag(c: &mut Check, hex: &str) -> Result<Vec<u8>, String> {
    let mut r = unhex(hex)?;
    let (_, tag) = r.split_at_mut(80);
    c.secret(tag);
    Ok(r)
}

fn issuer(c: &mut Check, hex: &str) -> Result<IssuerKey, String> {
    IssuerKey::from_slice(&secret_hex(c, hex)?).map_err(fail("issuer key"))
}

/// A verified record's bytes, declassified and checked.
fn record_is(c: &mut Check, r: &VerifiedRecord<'_>, want: &str) -> OpResult {
    c.output_eq("record", &mut r.as_bytes().to_vec(), want)
}

/// Card keys from AES-128 and AES-256 issuer keys (svr1-card-key.json,
/// `aes128-1`, `aes256-1`).
fn card_keys(c: &mut Check) -> OpResult {
    for (ik, id, want) in [
        (
            "3B583BAD38C275F34AED056AD6EA8EEC",
            1u64,
            "93EE34CE38D76C9253CD91884E8D5FB5",
        ),
        (
            "A4192FA1FEB9DC4B1EBE55E5B8F9B680EFF76C81D4E9AB304D4896F9E17FD8F0",
            1,
            "0DF862373D0E6983A5FFEBFC1E3EB3644E17F79FA239075F36C44D61083C0844",
        ),
    ] {
        let card = issuer(c, ik)?.card_key(id);
        c.secret_eq("card key", card.expose_secret(), want)?;
    }
    Ok(())
}

/// Seals fields under card keys derived from an AES-256 and an AES-128
/// issuer key (svr1-seal-verify.json, `seal-0`, `seal-3`).
fn seal(c: &mut Check) -> OpResult {
    let cases = [
        (
            "8BEF718044E609DE075D77EE51E8616CE4E2862A8F2D3C3B062D532C2282825C",
            Fields {
                card_id: 0x15BA_2BDD_1772_19D3,
                currency: 36,
                exponent: 1,
                flags: 0,
                balance: 771_720,
                limit: 905_036,
                counter: 848_258,
                amount: -87_783,
                terminal_id: *b" C_K    ",
                timestamp: 1_731_214_002,
                prev_tag: [0xA3, 0x64, 0xCD, 0xB9, 0xDC, 0xFE, 0x82, 0xF3],
            },
            "5356523115BA2BDD177219D30024010000000000000BC68800000000000DCF4C000CF182FFFFFFFFFFFEA91920435F4B202020200000000067303AB2A364CDB9DCFE82F3000000000000000000000000DE1F1D1B75CC1F09F8690FB4ED64020B",
        ),
        (
            "0158F09DA0BEBF1C49567D074E728DC4",
            Fields {
                card_id: 0x1D7F_4275_1539_2480,
                currency: 840,
                exponent: 0,
                flags: 0,
                balance: 0,
                limit: 0,
                counter: 764_855,
                amount: -2772,
                terminal_id: *b"KL7     ",
                timestamp: 1_871_243_783,
                prev_tag: [0x00, 0x62, 0x96, 0x0B, 0xCB, 0xFD, 0x3F, 0x26],
            },
            "535652311D7F4275153924800348000000000000000000000000000000000000000BABB7FFFFFFFFFFFFF52C4B4C372020202020000000006F88EA070062960BCBFD3F260000000000000000000000007DEAED15AA9B4920A3C70FE3B3A12F4C",
        ),
    ];
    for (ik, fields, want) in cases {
        let card = issuer(c, ik)?.card_key(fields.card_id);
        let r = card.seal(&fields).map_err(fail("seal"))?;
        record_is(c, &r, want)?;
    }
    Ok(())
}

/// The records of `seal`, verified with their tags secret
/// (svr1-seal-verify.json, `verify-0`, `verify-3`).
const VERIFY: [(&str, &str); 2] = [
    (
        "8BEF718044E609DE075D77EE51E8616CE4E2862A8F2D3C3B062D532C2282825C",
        "5356523115BA2BDD177219D30024010000000000000BC68800000000000DCF4C000CF182FFFFFFFFFFFEA91920435F4B202020200000000067303AB2A364CDB9DCFE82F3000000000000000000000000DE1F1D1B75CC1F09F8690FB4ED64020B",
    ),
    (
        "0158F09DA0BEBF1C49567D074E728DC4",
        "535652311D7F4275153924800348000000000000000000000000000000000000000BABB7FFFFFFFFFFFFF52C4B4C372020202020000000006F88EA070062960BCBFD3F260000000000000000000000007DEAED15AA9B4920A3C70FE3B3A12F4C",
    ),
];

/// ... and once more under a card key made with `CardKey::from_slice` from
/// the derived key's (still secret) bytes, as a card holds it.
fn verify(c: &mut Check) -> OpResult {
    for (ik, record) in VERIFY {
        let issuer = issuer(c, ik)?;
        let bytes = record_with_secret_tag(c, record)?;
        let card = issuer.card_key_for(&bytes).map_err(fail("card key"))?;
        let r = c
            .accepted("tag accepted", card.verify(&bytes), None)?
            .ok_or("no record")?;
        record_is(c, &r, record)?;
        let held = CardKey::from_slice(card.expose_secret(), card.card_id())
            .map_err(fail("card key"))?;
        let r = c
            .accepted("tag accepted", held.verify(&bytes), None)?
            .ok_or("no record")?;
        record_is(c, &r, record)?;
    }
    Ok(())
}

/// A tag with one bit flipped, and a good record checked under another
/// card's key: both refused as `BadMac`, by the kernel's one verdict.
fn verify_bad(c: &mut Check) -> OpResult {
    let (ik, record) = VERIFY[1];
    let issuer = issuer(c, ik)?;
    let mut bytes = unhex(record)?;
    if let Some(b) = bytes.get_mut(90) {
        *b ^= 0x10;
    }
    let (_, tag) = bytes.split_at_mut(80);
    c.secret(tag);
    let card = issuer.card_key_for(&bytes).map_err(fail("card key"))?;
    c.accepted("tag accepted", card.verify(&bytes), Some(Error::BadMac))?;
    let good = record_with_secret_tag(c, record)?;
    let other = issuer.card_key(42);
    c.accepted("tag accepted", other.verify(&good), Some(Error::BadMac))?;
    Ok(())
}

/// A debit and a credit of records verified with their tags secret
/// (svr1-update.json, `seq0-0-debit`, `seq1-2-credit`): the new record
/// carries the old tag as `prev_tag` and a new tag under the card key.
fn update<const CREDIT: bool>(c: &mut Check) -> OpResult {
    let (ik, record, amount, terminal, timestamp, want) = if CREDIT {
        (
            "DAA3FD7B1658CC1169E526054B6DC46ADF1E0B9A9DC20B60B796548DE1ECFB47",
            "53565231998A0E311BADB4F503E7000000000000000001710000000000001388000686EAFFFFFFFFFFFFFF0C31513754392020200000000064F074479475D12385A156C8000000000000000000000000187052908D92680A028A64CE59599F21",
            3402,
            *b"BY_IDV  ",
            1_693_541_119,
            "53565231998A0E311BADB4F503E700000000000000000EBB0000000000001388000686EB0000000000000D4A42595F49445620200000000064F162FF187052908D92680A000000000000000000000000506BE92A526A3A2B8AE28F00016199C9",
        )
    } else {
        (
            "978B215EEA9A79A094109B03E8D67842",
            "53565231D62256758A7D43B503E70300000000000000077F0000000000001388000A399F00000000000076BF3759412020202020000000006EE462EBC61028C2F5970A4D000000000000000000000000BA080A5310003DFD97D6B9CB071ACE9A",
            1687,
            *b"4 Y1Z   ",
            1_860_556_727,
            "53565231D62256758A7D43B503E7030000000000000000E80000000000001388000A39A0FFFFFFFFFFFFF969342059315A202020000000006EE5D7B7BA080A5310003DFD000000000000000000000000C3BACFD82D969B33E1843DEAB8DEEA24",
        )
    };
    let issuer = issuer(c, ik)?;
    let bytes = record_with_secret_tag(c, record)?;
    let card = issuer.card_key_for(&bytes).map_err(fail("card key"))?;
    let now = c
        .accepted("tag accepted", card.verify(&bytes), None)?
        .ok_or("no record")?;
    let amount = Amount::new(amount).map_err(fail("amount"))?;
    let next = if CREDIT {
        now.credit(amount, &terminal, timestamp)
    } else {
        now.debit(amount, &terminal, timestamp)
    }
    .map_err(fail("update"))?;
    record_is(c, &next, want)
}

/// The successor check on records verified with their tags secret
/// (svr1-successor.json, `good-0`; `reversed-0`, a rollback, is not a
/// successor), and on a record against its own debit, whose `prev_tag`
/// is the (secret) tag of the record before.
fn successor(c: &mut Check) -> OpResult {
    let ik = "4D1AB8657A27171105668CEA4ACCFDC3";
    let a = "53565231C79D679346D4AC7A033A000000000000000186A000000000000F4240000CCEA200000000000000005358462056202020000000006EE6C30F63813F2D3F79471600000000000000000000000023737D41469025D890C8F669CFB48CB5";
    let b = "53565231C79D679346D4AC7A033A00000000000000029F0500000000000F4240000CCEA3000000000001186541532D54362020200000000031F3B92323737D41469025D8000000000000000000000000761306104E976855ABA0897C71ED7757";
    let issuer = issuer(c, ik)?;
    let a = record_with_secret_tag(c, a)?;
    let b = record_with_secret_tag(c, b)?;
    let card = issuer.card_key_for(&a).map_err(fail("card key"))?;
    let ra = c
        .accepted("tag accepted", card.verify(&a), None)?
        .ok_or("no record")?;
    let rb = c
        .accepted("tag accepted", card.verify(&b), None)?
        .ok_or("no record")?;
    let got = [rb.successor_fault(&ra), ra.successor_fault(&rb)];
    let want = [None, Some(SuccessorFault::Counter)];
    if got != want {
        return Err(format!("successor faults {got:?}, want {want:?}"));
    }
    let next = rb
        .debit(Amount::new(1).map_err(fail("amount"))?, b"CT CHECK", 1_900_000_000)
        .map_err(fail("debit"))?;
    let mut skipped = next.fields().to_owned();
    skipped.prev_tag[0] ^= 1;
    let forged = card.seal(&skipped).map_err(fail("seal"))?;
    let got = [next.successor_fault(&rb), forged.successor_fault(&rb)];
    let want = [None, Some(SuccessorFault::PrevTag)];
    if got != want {
        return Err(format!("successor faults {got:?}, want {want:?}"));
    }
    Ok(())
}

/// The two-slot select on records verified with their tags secret
/// (svr1-select.json, `both-good-a-newer-0`), and with one slot torn.
fn select(c: &mut Check) -> OpResult {
    let ik = "BD5BCBB0F1D7BDA6EC8707D777C6F13FA60DE6281C5F78DE3F618B1A923F03BB";
    let a = "53565231DE11CC9DEA959C21007C010000000000000182C700000000000F42400009E307FFFFFFFFFFFFFC27384E4C4D2020202000000000F770C2260077D1DC1B0438730000000000000000000000001B6BE0835E1D66EAC6736CE032503899";
    let b = "53565231DE11CC9DEA959C21007C010000000000000186A000000000000F42400009E306000000000000000041414E2020202020000000007229769537F5FB2ADF2A4A500000000000000000000000000077D1DC1B04387326DC3FECD5530BC4";
    let issuer = issuer(c, ik)?;
    let a_bytes = record_with_secret_tag(c, a)?;
    let b_bytes = record_with_secret_tag(c, b)?;
    let card: CardKey = issuer.card_key_for(&a_bytes).map_err(fail("card key"))?;
    let (slot, r) = c
        .accepted("selected", card.select(&a_bytes, &b_bytes), None)?
        .ok_or("nothing selected")?;
    if slot != Slot::A {
        return Err(format!("slot {slot:?}, want A"));
    }
    record_is(c, &r, a)?;
    let torn = b_bytes.get(..43).ok_or("short")?;
    let (slot, r) = c
        .accepted("selected", card.select(&a_bytes, torn), None)?
        .ok_or("nothing selected")?;
    if slot != Slot::A {
        return Err(format!("slot {slot:?}, want A"));
    }
    record_is(c, &r, a)
}

/// A signed chain (svr1-chain.json).
struct ChainKat {
    issuer_key: &'static str,
    public_key: &'static str,
    records: &'static [&'static str],
    sigs: &'static [&'static str],
    broken_at: Option<usize>,
}

/// `svr1-chain.json`, `intact-3`.
const CHAIN_INTACT: ChainKat = ChainKat {
    issuer_key: "EB5DE2FE54D7B69763DE45A6A9CCF71142210A1C969A9CB8FD27D181811DC8B0",
    public_key: "0472CC51EE95B9E569A1EDBBB3721539EDD8C5F5DA3DC7DB5812815F8A7ECBEBBF2E4B04B10D0B490340431BCE89C0F6BA1F81BBB0FB08C29E63299BB177513F7C",
    records: &[
        "5356523128830469569E15040188010000000000000F424000000000009896800000000000000000000000004849334D2D584A56000000006D7046990000000000000000000000000000000000000000F5A0855AB6161F5F52170332BDB1F5F7",
        "5356523128830469569E15040188010000000000000F3FA1000000000098968000000001FFFFFFFFFFFFFD61342020202020202000000000FE5EE98BF5A0855AB6161F5F00000000000000000000000002E9BB167E902D307FA549ADFF9879DA",
        "5356523128830469569E15040188010000000000000F3E5B000000000098968000000002FFFFFFFFFFFFFEBA412020202020202000000000464FFF7902E9BB167E902D3000000000000000000000000014A3646A3D6F085829E45F788273F31A",
    ],
    sigs: &[
        "9669A7ED84D297256A792DBFE4AC905DD6AEF1ABE7F91426EFC45F9A8B2DAD57A51828FECDF30B738F0457B9AF53FEAC10B502DCEE15293E63D041846A710DCD",
        "4A35F248C09DCDDF91DD5E5D741054F9C2132F16AC01A4FC3842C265E681D796C5FC7C2008EDF80CAB750275825AE2A4B7CF4723B8C32A1BE5A637D54AB4DD07",
        "457A3F6E90C4F581E4FA7E4074125DED8DB179C29B1D204074625265D40591364E07A1450D1248631592669A7E1373FAC58687080DE93AF98B14D0C0DB4C7C45",
    ],
    broken_at: None,
};
/// `svr1-chain.json`, `bad-mac-at-2`.
const CHAIN_BAD_MAC: ChainKat = ChainKat {
    issuer_key: "E3A3B947D730BED0E78F0E80333366F9",
    public_key: "043988D42F9E6F11EBA2B910B52FC3AC1CC37D2C7F474600AB356FDEE647FD237A3577F4474E4EDB884C753BDF8443431ED65652798A537589EFE1C54D137384CF",
    records: &[
        "5356523114E641D2BB6A717C0348040000000000000F42400000000000989680000000000000000000000000564C324E414F554E000000006AC39500000000000000000000000000000000000000000048223CD634C62EB8FA50EB7F23DCE45D",
        "5356523114E641D2BB6A717C0348040000000000000F40A1000000000098968000000001FFFFFFFFFFFFFE614E30392020202020000000008B064AA148223CD634C62EB800000000000000000000000026C9272DB0E3ACA482CEF94CDEF32C59",
        "5356523114E641D2BB6A717C0348040000000000000F3E3C000000000098968000000002FFFFFFFFFFFFFD9B463120384B49204D00000000A16F3E4E26C9272DB0E3ACA4000000000000000000000000D8CBD48EA737C0A2775A49A67C0BE952",
        "5356523114E641D2BB6A717C0348040000000000000F3D1A000000000098968000000003FFFFFFFFFFFFFEDE545A43324E4D5420000000003B9B1D19D8CBD48EA737C0A2000000000000000000000000FAC6C2B497AC9F471C089F7A54E95B68",
        "5356523114E641D2BB6A717C0348040000000000000F3BA6000000000098968000000004FFFFFFFFFFFFFE8C5520202020202020000000005CD4ECD0FAC6C2B497AC9F47000000000000000000000000BE7E47D3F313649A794E92393AAFAD6F",
        "5356523114E641D2BB6A717C0348040000000000000F3A06000000000098968000000005FFFFFFFFFFFFFE60573730534A2020200000000041F64677BE7E47D3F313649A00000000000000000000000021FED303241FAB56BDC0DF7AB6C1449A",
    ],
    sigs: &[
        "6748F378155F1139EB606EC5BEFCBE5AEB389A849282EAED9CB83EE8C171C887E79D1330B0BD313F99AD63460075C7E39CD87FC53688ACEB2DC8F43C28A73874",
        "F62FEEAEC42FF2F6383BE77B0767A99221FBD8EBF0E8BFF7272A8FBE7CB75CFE64FE1B29D59EF71D52B120F42D4C98764EB1F71F98A3F06DA4AD4D06F22BE3EE",
        "E6D1A77D55DF2E1E43959ACDF98E8655C6E9DE4706F960F1D6D5AA737BEFA6F3B6DA1753BF8C61F7D53F19876DCE9319B2B355A6A1004B502FA7344099C159F4",
        "C77414EEF496015FB80382EEB11FF31A3226F8AD54574CD2AA45DFACE49CBEF5D4B1E8C32AFFA7217A749D69529080B42541C0DF5C35626E1ECF843DE4CC3B21",
        "2845538835903F29D14AE1E6456E298D4D10DFE46EAAAB9F5532BBD6B3B71B50DCD6E79965B9BA45B02BE77BFE45AC606605E8139FF15DDE7E7168A88EA1076D",
        "E32D673EFC9E49390F7814E476BAE0CCA71B380EE64FE888F34787D51AC5880A9CA49CB58F18C9D1EBB8DB4911118A617E8DABF1D904139C11C8C4E00E51F03D",
    ],
    broken_at: Some(2),
};
/// `svr1-chain.json`, `replay-at-3`.
const CHAIN_REPLAY: ChainKat = ChainKat {
    issuer_key: "E3A3B947D730BED0E78F0E80333366F9",
    public_key: "043988D42F9E6F11EBA2B910B52FC3AC1CC37D2C7F474600AB356FDEE647FD237A3577F4474E4EDB884C753BDF8443431ED65652798A537589EFE1C54D137384CF",
    records: &[
        "5356523114E641D2BB6A717C0348040000000000000F42400000000000989680000000000000000000000000564C324E414F554E000000006AC39500000000000000000000000000000000000000000048223CD634C62EB8FA50EB7F23DCE45D",
        "5356523114E641D2BB6A717C0348040000000000000F40A1000000000098968000000001FFFFFFFFFFFFFE614E30392020202020000000008B064AA148223CD634C62EB800000000000000000000000026C9272DB0E3ACA482CEF94CDEF32C59",
        "5356523114E641D2BB6A717C0348040000000000000F3E3C000000000098968000000002FFFFFFFFFFFFFD9B463120384B49204D00000000A16F3E4E26C9272DB0E3ACA4000000000000000000000000D8CBD48EA737C0A2765A49A67C0BE952",
        "5356523114E641D2BB6A717C0348040000000000000F3E3C000000000098968000000002FFFFFFFFFFFFFD9B463120384B49204D00000000A16F3E4E26C9272DB0E3ACA4000000000000000000000000D8CBD48EA737C0A2765A49A67C0BE952",
        "5356523114E641D2BB6A717C0348040000000000000F3D1A000000000098968000000003FFFFFFFFFFFFFEDE545A43324E4D5420000000003B9B1D19D8CBD48EA737C0A2000000000000000000000000FAC6C2B497AC9F471C089F7A54E95B68",
        "5356523114E641D2BB6A717C0348040000000000000F3BA6000000000098968000000004FFFFFFFFFFFFFE8C5520202020202020000000005CD4ECD0FAC6C2B497AC9F47000000000000000000000000BE7E47D3F313649A794E92393AAFAD6F",
        "5356523114E641D2BB6A717C0348040000000000000F3A06000000000098968000000005FFFFFFFFFFFFFE60573730534A2020200000000041F64677BE7E47D3F313649A00000000000000000000000021FED303241FAB56BDC0DF7AB6C1449A",
    ],
    sigs: &[
        "6748F378155F1139EB606EC5BEFCBE5AEB389A849282EAED9CB83EE8C171C887E79D1330B0BD313F99AD63460075C7E39CD87FC53688ACEB2DC8F43C28A73874",
        "F62FEEAEC42FF2F6383BE77B0767A99221FBD8EBF0E8BFF7272A8FBE7CB75CFE64FE1B29D59EF71D52B120F42D4C98764EB1F71F98A3F06DA4AD4D06F22BE3EE",
        "E6D1A77D55DF2E1E43959ACDF98E8655C6E9DE4706F960F1D6D5AA737BEFA6F3B6DA1753BF8C61F7D53F19876DCE9319B2B355A6A1004B502FA7344099C159F4",
        "E6D1A77D55DF2E1E43959ACDF98E8655C6E9DE4706F960F1D6D5AA737BEFA6F3B6DA1753BF8C61F7D53F19876DCE9319B2B355A6A1004B502FA7344099C159F4",
        "C77414EEF496015FB80382EEB11FF31A3226F8AD54574CD2AA45DFACE49CBEF5D4B1E8C32AFFA7217A749D69529080B42541C0DF5C35626E1ECF843DE4CC3B21",
        "2845538835903F29D14AE1E6456E298D4D10DFE46EAAAB9F5532BBD6B3B71B50DCD6E79965B9BA45B02BE77BFE45AC606605E8139FF15DDE7E7168A88EA1076D",
        "E32D673EFC9E49390F7814E476BAE0CCA71B380EE64FE888F34787D51AC5880A9CA49CB58F18C9D1EBB8DB4911118A617E8DABF1D904139C11C8C4E00E51F03D",
    ],
    broken_at: Some(3),
};

/// The host's audit of a signed chain under the issuer key, and the
/// card's under the card key: intact (AES-256 issuer key, three links), a
/// bad tag at link 2, a replay at link 3.
fn chain<const I: usize>(c: &mut Check) -> OpResult {
    let k = match I {
        0 => &CHAIN_INTACT,
        1 => &CHAIN_BAD_MAC,
        _ => &CHAIN_REPLAY,
    };
    let issuer = issuer(c, k.issuer_key)?;
    let pk = PublicKey::from_sec1(&unhex(k.public_key)?).map_err(fail("public key"))?;
    let links = k
        .records
        .iter()
        .zip(k.sigs)
        .map(|(r, s)| Ok((unhex(r)?, unhex(s)?)))
        .collect::<Result<Vec<_>, String>>()?;
    let first = links.first().ok_or("empty chain")?;
    let card = issuer.card_key_for(&first.0).map_err(fail("card key"))?;
    for verdict in [
        issuer.verify_chain(&pk, links.iter().map(|(r, s)| (r, s))),
        card.verify_chain(&pk, links.iter().map(|(r, s)| (r, s))),
    ] {
        let mut at = [0u8; 9];
        if let ChainVerdict::Broken { at: i, .. } = verdict {
            at[0] = 1;
            at[1..].copy_from_slice(&u64::try_from(i).unwrap_or(0).to_le_bytes());
        }
        c.public_verdict_bytes("broken at", &mut at);
        if verdict.broken_at() != k.broken_at {
            return Err(format!("{verdict:?}, want broken at {:?}", k.broken_at));
        }
    }
    Ok(())
}

/// A terminal signs a record (svr1-chain.json, `sign-0`).
fn sign(c: &mut Check) -> OpResult {
    let key = SigningKey::from_slice(&secret_hex(
        c,
        "96AC828F0BB1E330F38D2E6418F918E24A8B0188CBE19514A28A0AAAB3642B1A",
    )?);
    let key = c
        .accepted("key accepted", key, None)?
        .ok_or("no key")?;
    let record = unhex("53565231DF5CA32EBAD5CCC2007C0400AE9AF1698A0C5100CD4A55577D24B397000181E200000000000120794631564658202020000000007304198168CE4071B318C132000000000000000000000000BE1B56CCCD0226CE730AEAA243EF92E2")?;
    let sig = sign_record(&key, &record).map_err(fail("sign"))?;
    c.output_eq(
        "signature",
        &mut sig.as_bytes().to_vec(),
        "C27E9A2807EAD4BAE5FE00FBF29162CE9C3146F45F11D8AE1513C36E6FCC0EAB46D13E693C1F208AAB3FE0A306990DA93719D0BA67C8FFA904CCF88848409257",
    )
}
