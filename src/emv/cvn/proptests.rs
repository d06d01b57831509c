//! Property tests of the cryptogram versions: for every CVN, any issuer
//! master key, PAN, PSN and transaction data of the lengths EMV gives, the
//! AC `generate_ac` makes is the one `verify_arqc` accepts (from a table
//! and from DE 55 bytes), and `authorise` agrees with `verify_arqc` and
//! `arpc`; a changed bit of the ARQC, another amount, ATC or unpredictable
//! number, another PSN or PAN, is refused. (The values themselves are
//! checked against pyemv's HSM-checked suite in `tests.rs` and the vector
//! suites.)
#![allow(
    clippy::arithmetic_side_effects,
    clippy::integer_division_remainder_used,
    clippy::cast_possible_truncation,
    reason = "test arithmetic on small public values"
)]

extern crate std;
use std::vec::Vec;

use proptest::prelude::*;

use super::*;

type Table = Vec<(Vec<u8>, Vec<u8>)>;

/// The transaction data every CVN reads, with random values of EMV's
/// lengths (amount, other amount, country, TVR, currency, date, type, UN,
/// AIP, ATC), and an IAD of the card's layout.
fn transaction() -> impl Strategy<Value = Table> {
    let lens: [(&[u8], usize); 10] = [
        (&[0x9F, 0x02], 6),
        (&[0x9F, 0x03], 6),
        (&[0x9F, 0x1A], 2),
        (&[0x95], 5),
        (&[0x5F, 0x2A], 2),
        (&[0x9A], 3),
        (&[0x9C], 1),
        (&[0x9F, 0x37], 4),
        (&[0x82], 2),
        (&[0x9F, 0x36], 2),
    ];
    let values: Vec<_> = lens
        .iter()
        .map(|(t, n)| (Just(t.to_vec()), prop::collection::vec(any::<u8>(), *n)))
        .collect();
    values
}

/// A CVN, its CVR source's bytes (CVR, counters) and IAD.
fn card() -> impl Strategy<Value = (Cvn, Vec<u8>, Vec<u8>, Vec<u8>)> {
    (0usize..Cvn::ALL.len(), any::<bool>()).prop_flat_map(|(i, long)| {
        let cvn = Cvn::ALL[i];
        let (cvr, counters, iad) = match cvn {
            Cvn::Visa10 => (4, 0, 7),
            Cvn::Visa18 | Cvn::Visa22 => (0, 0, 7),
            Cvn::Interac133 => (0, 0, 22),
            Cvn::Mastercard17 | Cvn::Mastercard21 => (6, if long { 16 } else { 8 }, 18),
            _ => (6, 0, 18),
        };
        (
            Just(cvn),
            prop::collection::vec(any::<u8>(), cvr),
            prop::collection::vec(any::<u8>(), counters),
            prop::collection::vec(any::<u8>(), iad),
        )
    })
}

fn pan_digits() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(b'0'..=b'9', 12..=19)
}

fn psn() -> impl Strategy<Value = Psn> {
    prop_oneof![
        Just(Psn::ABSENT),
        prop::array::uniform2(b'0'..=b'9').prop_map(|d| Psn::from_digits(&d).unwrap()),
    ]
}

/// BER-TLV of a table whose tags and lengths are short (DE 55).
fn de55(table: &Table) -> Vec<u8> {
    let mut out = Vec::new();
    for (t, v) in table {
        out.extend_from_slice(t);
        out.push(u8::try_from(v.len()).unwrap());
        out.extend_from_slice(v);
    }
    out
}

/// The response the CVN's ARPC method takes.
fn response(cvn: Cvn, arc: [u8; 2], csu: [u8; 4]) -> AuthorisationResponse<'static> {
    match cvn {
        Cvn::Visa18 | Cvn::Visa22 => AuthorisationResponse::Method2 { csu, prop: &[] },
        _ => AuthorisationResponse::Method1 { arc },
    }
}

fn verify(cvn: Cvn, imk: &TdesKey, pan: &Pan, psn: Psn, t: &Table, cvr: CvrSource<'_>) -> bool {
    bool::from(cvn.verify_arqc(imk, pan, psn, t.as_slice(), cvr).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn generated_ac_verifies_and_nothing_else_does(
        (cvn, cvr, counters, iad) in card(),
        imk in prop::array::uniform16(any::<u8>()),
        pan in pan_digits(),
        psn in psn(),
        other_psn in psn(),
        mut data in transaction(),
        arc in any::<[u8; 2]>(),
        csu in any::<[u8; 4]>(),
        bit in 0usize..64,
        which in prop::sample::select(std::vec![0usize, 7, 9]),
    ) {
        let imk = TdesKey::from_slice(&imk).unwrap();
        let pan = Pan::from_digits(&pan).unwrap();
        data.push((std::vec![0x9F, 0x10], iad));
        let source = CvrSource::Given { cvr: &cvr, counters: &counters };
        let ac = cvn.generate_ac(&imk, &pan, psn, data.as_slice(), source).unwrap();
        let mut full = data.clone();
        full.push((std::vec![0x9F, 0x26], ac.to_vec()));
        prop_assert!(verify(cvn, &imk, &pan, psn, &full, source));

        // authorise = verify + arpc, from a table and from DE 55.
        let r = response(cvn, arc, csu);
        let arpc = cvn.arpc(&imk, &pan, psn, full.as_slice(), r).unwrap();
        let a = cvn.authorise(&imk, &pan, psn, full.as_slice(), source, r).unwrap();
        prop_assert!(a.valid());
        prop_assert_eq!(a.arpc(), arpc);
        let bytes = de55(&full);
        let a = cvn.authorise_de55(&imk, &pan, psn, &bytes, source, r).unwrap();
        prop_assert!(a.valid());
        prop_assert_eq!(a.arpc(), arpc);
        prop_assert_eq!(arpc.as_bytes().len(), if matches!(r, AuthorisationResponse::Method1 { .. }) { 8 } else { 4 });

        // One bit of the ARQC changed: refused; the ARPC is over what came.
        let mut bad = full.clone();
        let last = bad.len() - 1;
        bad[last].1[bit >> 3] ^= 1 << (bit & 7);
        prop_assert!(!verify(cvn, &imk, &pan, psn, &bad, source));
        let a = cvn.authorise(&imk, &pan, psn, bad.as_slice(), source, r).unwrap();
        prop_assert!(!a.valid());
        prop_assert_eq!(a.arpc(), cvn.arpc(&imk, &pan, psn, bad.as_slice(), r).unwrap());

        // Another amount (9F02), unpredictable number (9F37) or ATC (9F36).
        let mut bad = full.clone();
        bad[which].1[0] ^= 0x01;
        prop_assert!(!verify(cvn, &imk, &pan, psn, &bad, source));

        // Another card: the PSN, or the PAN's last digit.
        if other_psn.digits() != psn.digits() {
            prop_assert!(!verify(cvn, &imk, &pan, other_psn, &full, source));
        }
        let mut digits = pan.digits().iter().map(|d| d + b'0').collect::<Vec<u8>>();
        let l = digits.len() - 1;
        digits[l] = b'0' + (digits[l] - b'0' + 1) % 10;
        let other = Pan::from_digits(&digits).unwrap();
        prop_assert!(!verify(cvn, &imk, &other, psn, &full, source));
    }
}
