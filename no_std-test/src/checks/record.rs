//! Stored-value records (`SVR1`): card key, seal, verify, debit, credit,
//! refusals, successor check, two-slot select.
//!
//! Every value is from the independent Python implementation of docs/svr1.md
//! (`vectors/tools/svr1_reference.py`: KBKDF and AES-CMAC from
//! pyca/cryptography 48.0.0), as the `vectors/svr1-*.json` suites hold
//! them; the case id is given beside each.

use paykernel::Error;
use paykernel::record::{Amount, Fields, IssuerKey, Slot, UntrustedFields, select};

use super::{Check, Outcome};

/// The checks of this group.
pub const ALL: &[Check] = &[
    ("record card key", card_key),
    ("record seal", seal),
    ("record verify", verify),
    ("record verify refusals", verify_refusals),
    ("record debit", debit),
    ("record credit", credit),
    ("record update refusals", update_refusals),
    ("record successor", successor),
    ("record select", select_slots),
];

fn card_key() -> Outcome {
    // svr1-card-key.json aes128-1 and aes256-1.
    let k128 = IssuerKey::from_slice(&h!("3B583BAD38C275F34AED056AD6EA8EEC"))?.card_key(1);
    let k256 = IssuerKey::from_slice(&h!(
        "A4192FA1FEB9DC4B1EBE55E5B8F9B680EFF76C81D4E9AB304D4896F9E17FD8F0"
    ))?
    .card_key(1);
    Ok(
        k128.expose_secret() == h!("93EE34CE38D76C9253CD91884E8D5FB5")
            && k256.expose_secret()
                == h!("0DF862373D0E6983A5FFEBFC1E3EB3644E17F79FA239075F36C44D61083C0844"),
    )
}

// svr1-seal-verify.json seal-2 / verify-2: AES-128 issuer key, balance and
// limit at u64::MAX.
const ISSUER_2: [u8; 16] = h!("DA443ED335F1E10F6CE5B7C2080E5C5C");
const RECORD_2: [u8; 96] = h!(
    "53565231BB1E386C4FD5079E01880300FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0005DD960000000000000000414D47442D4420200000000062256AA6973AAEE0EA1BC1850000000000000000000000003336F6A5AF28BDE638B439A3B2CF34A8"
);
const FIELDS_2: Fields = Fields {
    card_id: 0xBB1E_386C_4FD5_079E,
    currency: 392,
    exponent: 3,
    flags: 0,
    balance: u64::MAX,
    limit: u64::MAX,
    counter: 384_406,
    amount: 0,
    terminal_id: *b"AMGD-D  ",
    timestamp: 1_646_619_302,
    prev_tag: h!("973AAEE0EA1BC185"),
};

fn seal() -> Outcome {
    let issuer = IssuerKey::from_slice(&ISSUER_2)?;
    let card = issuer.card_key(FIELDS_2.card_id);
    let sealed = card.seal(&FIELDS_2)?;
    Ok(*sealed.as_bytes() == RECORD_2)
}

fn verify() -> Outcome {
    let issuer = IssuerKey::from_slice(&ISSUER_2)?;
    let card = issuer.card_key_for(&RECORD_2)?;
    let v = card.verify(&RECORD_2)?;
    Ok(*v.fields() == FIELDS_2 && *v.as_bytes() == RECORD_2)
}

fn verify_refusals() -> Outcome {
    // svr1-seal-verify.json verify-tag-bit-88 (bad-mac) and
    // verify-reserved-73 (invalid-record), same issuer key.
    let issuer = IssuerKey::from_slice(&h!("3BEC9FA2211076149B247A072660307A"))?;
    let tag_bit: [u8; 96] = h!(
        "53565231F1007AFD6ED8112501880000574F15FF5682ADC8A6EC5D8C85D3D8180004EFC300000000000000003455414341202020000000005D174731354B0ECA71EF80C20000000000000000000000003AE727D5CD3F950D1AFD3E807E603A22"
    );
    let reserved: [u8; 96] = h!(
        "53565231F1007AFD6ED8112501880000574F15FF5682ADC8A6EC5D8C85D3D8180004EFC300000000000000003455414341202020000000005D174731354B0ECA71EF80C2000000000001000000000000562ABA7270F15B0C6B9C0992A7E5CE61"
    );
    let card = issuer.card_key_for(&tag_bit)?;
    let untrusted = UntrustedFields::decode(&reserved)?;
    Ok(card.verify(&tag_bit).err() == Some(Error::BadMac)
        && card.verify(&reserved).err() == Some(Error::InvalidRecord)
        && card.verify(&tag_bit[..95]).err() == Some(Error::InvalidRecord)
        && untrusted.fault().is_some()
        && UntrustedFields::decode(&tag_bit)?.fault().is_none())
}

fn debit() -> Outcome {
    // svr1-update.json seq0-0-debit.
    let issuer = IssuerKey::from_slice(&h!("978B215EEA9A79A094109B03E8D67842"))?;
    let record: [u8; 96] = h!(
        "53565231D62256758A7D43B503E70300000000000000077F0000000000001388000A399F00000000000076BF3759412020202020000000006EE462EBC61028C2F5970A4D000000000000000000000000BA080A5310003DFD97D6B9CB071ACE9A"
    );
    let expected: [u8; 96] = h!(
        "53565231D62256758A7D43B503E7030000000000000000E80000000000001388000A39A0FFFFFFFFFFFFF969342059315A202020000000006EE5D7B7BA080A5310003DFD000000000000000000000000C3BACFD82D969B33E1843DEAB8DEEA24"
    );
    let card = issuer.card_key_for(&record)?;
    let next =
        card.verify(&record)?
            .debit(Amount::new(1687)?, &h!("342059315A202020"), 1_860_556_727)?;
    Ok(*next.as_bytes() == expected)
}

fn credit() -> Outcome {
    // svr1-update.json seq1-2-credit (AES-256 issuer key).
    let issuer = IssuerKey::from_slice(&h!(
        "DAA3FD7B1658CC1169E526054B6DC46ADF1E0B9A9DC20B60B796548DE1ECFB47"
    ))?;
    let record: [u8; 96] = h!(
        "53565231998A0E311BADB4F503E7000000000000000001710000000000001388000686EAFFFFFFFFFFFFFF0C31513754392020200000000064F074479475D12385A156C8000000000000000000000000187052908D92680A028A64CE59599F21"
    );
    let expected: [u8; 96] = h!(
        "53565231998A0E311BADB4F503E700000000000000000EBB0000000000001388000686EB0000000000000D4A42595F49445620200000000064F162FF187052908D92680A000000000000000000000000506BE92A526A3A2B8AE28F00016199C9"
    );
    let card = issuer.card_key_for(&record)?;
    let next =
        card.verify(&record)?
            .credit(Amount::new(3402)?, &h!("42595F4944562020"), 1_693_541_119)?;
    Ok(*next.as_bytes() == expected)
}

fn update_refusals() -> Outcome {
    // svr1-update.json debit-insufficient and credit-limit-exceeded
    // (balance 5000, limit 10000, amount 5001); amount 0 is refused when
    // the amount is made (debit-amount-0).
    let issuer = IssuerKey::from_slice(&h!(
        "0034FBC5CB775AFAF7C95CFA8D087D2F3D03466EE756D50D9A8BCF18734F433F"
    ))?;
    let record: [u8; 96] = h!(
        "5356523142A69FBCB90F8BF70024000000000000000013880000000000002710FFFFFFFE00000000000141462D504920202020200000000071343BA2C2D7CA6982C0D4560000000000000000000000008BAC1C2A3ADB1BB12C4E792F3291D6CB"
    );
    let card = issuer.card_key_for(&record)?;
    let v = card.verify(&record)?;
    let amount = Amount::new(5001)?;
    let terminal = h!("454447452D303120");
    Ok(
        v.debit(amount, &terminal, 9).err() == Some(Error::InsufficientFunds)
            && v.credit(amount, &terminal, 10).err() == Some(Error::LimitExceeded)
            && Amount::new(0).err() == Some(Error::InvalidAmount)
            && v.debit(amount, b"TERM\x00001", 9).err() == Some(Error::InvalidRecord),
    )
}

// svr1-successor.json good-0 and reversed-0.
const SUCC_ISSUER: [u8; 16] = h!("4D1AB8657A27171105668CEA4ACCFDC3");
const SUCC_PREV: [u8; 96] = h!(
    "53565231C79D679346D4AC7A033A000000000000000186A000000000000F4240000CCEA200000000000000005358462056202020000000006EE6C30F63813F2D3F79471600000000000000000000000023737D41469025D890C8F669CFB48CB5"
);
const SUCC_NEXT: [u8; 96] = h!(
    "53565231C79D679346D4AC7A033A00000000000000029F0500000000000F4240000CCEA3000000000001186541532D54362020200000000031F3B92323737D41469025D8000000000000000000000000761306104E976855ABA0897C71ED7757"
);

fn successor() -> Outcome {
    let issuer = IssuerKey::from_slice(&SUCC_ISSUER)?;
    let card = issuer.card_key_for(&SUCC_PREV)?;
    let prev = card.verify(&SUCC_PREV)?;
    let next = card.verify(&SUCC_NEXT)?;
    Ok(next.is_successor_of(&prev) && !prev.is_successor_of(&next) && !next.is_successor_of(&next))
}

fn select_slots() -> Outcome {
    // svr1-select.json both-good-b-newer-0 and b-torn-0-cut43.
    let issuer = IssuerKey::from_slice(&h!(
        "BD5BCBB0F1D7BDA6EC8707D777C6F13FA60DE6281C5F78DE3F618B1A923F03BB"
    ))?;
    let a: [u8; 96] = h!(
        "53565231DE11CC9DEA959C21007C010000000000000182C700000000000F42400009E307FFFFFFFFFFFFFC27384E4C4D2020202000000000F770C2260077D1DC1B0438730000000000000000000000001B6BE0835E1D66EAC6736CE032503899"
    );
    let b: [u8; 96] = h!(
        "53565231DE11CC9DEA959C21007C01000000000000017EEA00000000000F42400009E308FFFFFFFFFFFFFC23544258304B4A51200000000010ACFF001B6BE0835E1D66EA000000000000000000000000D65443EB06DA0BF9F6D557E33AC4E51B"
    );
    let torn: [u8; 96] = h!(
        "53565231DE11CC9DEA959C21007C01000000000000017EEA00000000000F42400009E308FFFFFFFFFFFFFC0041414E2020202020000000007229769537F5FB2ADF2A4A500000000000000000000000000077D1DC1B04387326DC3FECD5530BC4"
    );
    let card = issuer.card_key_for(&a)?;
    let (slot, newer) = card.select(&a, &b)?;
    let (slot_t, kept) = select(card.verify(&a), card.verify(&torn))?;
    Ok(slot == Slot::B
        && *newer.as_bytes() == b
        && slot_t == Slot::A
        && *kept.as_bytes() == a
        && card.select(&torn, &[]).err() == Some(Error::BadMac))
}
