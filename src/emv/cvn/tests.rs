//! Known answers: pyemv 1.5.0 `tests/test_cvn_hsm.py` (the values pyemv
//! checked against an HSM), and values computed with pyemv 1.5.0
//! (`pyemv.cvn`) for the cases that suite does not cover (named so).

extern crate std;

use std::vec::Vec;

use super::*;
use crate::test_util::h;

const IMK_AC: &str = "0123456789ABCDEFFEDCBA9876543210";
const PAN: &str = "1234567890123456";

fn key(k: &str) -> TdesKey {
    TdesKey::from_slice(&h(k)).unwrap()
}

fn pan(p: &str) -> Pan {
    p.parse().unwrap()
}

type Table = Vec<(Vec<u8>, Vec<u8>)>;

fn tags(pairs: &[(&str, &str)]) -> Table {
    pairs.iter().map(|(t, v)| (h(t), h(v))).collect()
}

/// The HSM suite's Visa transaction data (ATC 001C, UN 52BF4585).
const VISA: [(&str, &str); 10] = [
    ("9F02", "000000004000"),
    ("9F03", "000000000000"),
    ("9F1A", "0124"),
    ("95", "8000048000"),
    ("5F2A", "0124"),
    ("9A", "191105"),
    ("9C", "01"),
    ("9F37", "52BF4585"),
    ("82", "1800"),
    ("9F36", "001C"),
];

/// The HSM suite's Mastercard and Interac transaction data (UN ABCDEF12).
const MC: [(&str, &str); 10] = [
    ("9F02", "000000009999"),
    ("9F03", "000000000000"),
    ("9F1A", "0124"),
    ("95", "8000000000"),
    ("5F2A", "0124"),
    ("9A", "209906"),
    ("9C", "00"),
    ("9F37", "ABCDEF12"),
    ("82", "1800"),
    ("9F36", "001C"),
];

const VISA_IAD: &str = "06011203A0B800";
const INTERAC_IAD: &str = "1501850440B100000000B00000000000000000000000";
const MC_CVR: &str = "A00003220000";
const MC_COUNTERS: &str = "00000000000322FF";

fn with(base: &[(&str, &str)], extra: &[(&str, &str)]) -> Table {
    let mut t = tags(base);
    t.extend(tags(extra));
    t
}

/// Every CVN's ARQC and ARPC from the HSM suite, by generate, verify,
/// arpc and the one-call authorise (from a table and from DE 55).
#[test]
fn hsm_suite_ac_and_arpc() {
    let cvr_visa = h("03A06010");
    let mc_cvr = h(MC_CVR);
    let mc_counters = h(MC_COUNTERS);
    let none = CvrSource::Given {
        cvr: &[],
        counters: &[],
    };
    let mc_given = CvrSource::Given {
        cvr: &mc_cvr,
        counters: &mc_counters,
    };
    let m1 = |arc: &str| AuthorisationResponse::Method1 {
        arc: h(arc).try_into().unwrap(),
    };
    let m2 = AuthorisationResponse::Method2 {
        csu: [0; 4],
        prop: &[],
    };
    let cases = [
        (
            Cvn::Visa10,
            tags(&VISA),
            CvrSource::Given {
                cvr: &cvr_visa,
                counters: &[],
            },
            "29CCA15AE665FA2E",
            m1("3030"),
            "28993816AFAE4AEB",
        ),
        (
            Cvn::Visa18,
            with(&VISA, &[("9F10", VISA_IAD)]),
            none,
            "7A788EA6B8A3E733",
            m2,
            "9AF514C1",
        ),
        (
            Cvn::Visa22,
            with(&VISA, &[("9F10", VISA_IAD)]),
            none,
            "7A788EA6B8A3E733",
            m2,
            "9AF514C1",
        ),
        (
            Cvn::Interac133,
            with(&MC, &[("9F10", INTERAC_IAD)]),
            none,
            "18932FECA2D84326",
            m1("0000"),
            "4DF171A49396C363",
        ),
        (
            Cvn::Mastercard16,
            tags(&MC),
            mc_given,
            "24CCF3DEE3158C70",
            m1("0010"),
            "73F6BBF389A6586C",
        ),
        (
            Cvn::Mastercard17,
            tags(&MC),
            mc_given,
            "EAE8A620A75648D8",
            m1("0010"),
            "29CF11FBDB9CA650",
        ),
        (
            Cvn::Mastercard20,
            tags(&MC),
            mc_given,
            "CD29615D6452E70E",
            m1("0010"),
            "DFD0956606B68D64",
        ),
        (
            Cvn::Mastercard21,
            tags(&MC),
            mc_given,
            "C30E54BE496CF5E5",
            m1("0010"),
            "4F51F9CC63CE8B3C",
        ),
    ];
    let imk = key(IMK_AC);
    let pan = pan(PAN);
    for (cvn, data, cvr, ac, response, arpc) in cases {
        let got = cvn
            .generate_ac(&imk, &pan, Psn::ABSENT, data.as_slice(), cvr)
            .unwrap();
        assert_eq!(got.to_vec(), h(ac), "{cvn}");
        let mut full = data.clone();
        full.push((h("9F26"), h(ac)));
        assert!(
            bool::from(
                cvn.verify_arqc(&imk, &pan, Psn::ABSENT, full.as_slice(), cvr)
                    .unwrap()
            ),
            "{cvn}"
        );
        let got = cvn
            .arpc(&imk, &pan, Psn::ABSENT, full.as_slice(), response)
            .unwrap();
        assert_eq!(got.as_bytes(), h(arpc), "{cvn}");
        // Debug shows the ARPC in uppercase hex (an ARPC is public).
        assert_eq!(std::format!("{got:?}"), std::format!("Arpc({arpc})"));
        let answer = cvn
            .authorise(&imk, &pan, Psn::ABSENT, full.as_slice(), cvr, response)
            .unwrap();
        assert!(answer.valid(), "{cvn}");
        assert_eq!(answer.arpc().as_bytes(), h(arpc), "{cvn}");
        // The same from DE 55 bytes.
        let mut de55 = Vec::new();
        for (t, v) in &full {
            de55.extend_from_slice(t);
            de55.push(u8::try_from(v.len()).unwrap());
            de55.extend_from_slice(v);
        }
        let answer = cvn
            .authorise_de55(&imk, &pan, Psn::ABSENT, &de55, cvr, response)
            .unwrap();
        assert!(answer.valid(), "{cvn}");
        assert_eq!(answer.arpc().as_bytes(), h(arpc), "{cvn}");
        // Any flipped bit of the ARQC: not valid, same ARPC function.
        for bit in [0usize, 7, 31, 63] {
            let mut bad = full.clone();
            let last = bad.len() - 1;
            bad[last].1[bit >> 3] ^= 1 << (bit & 7);
            let answer = cvn
                .authorise(&imk, &pan, Psn::ABSENT, bad.as_slice(), cvr, response)
                .unwrap();
            assert!(!answer.valid(), "{cvn} bit {bit}");
            assert!(!bool::from(
                cvn.verify_arqc(&imk, &pan, Psn::ABSENT, bad.as_slice(), cvr)
                    .unwrap()
            ));
        }
        // Another amount: not valid.
        let mut bad = full.clone();
        bad[0].1[5] ^= 0x01;
        assert!(!bool::from(
            cvn.verify_arqc(&imk, &pan, Psn::ABSENT, bad.as_slice(), cvr)
                .unwrap()
        ));
    }
}

/// CVR and counters read from 9F10 by the published layouts give the
/// HSM suite's cryptograms: Visa's IAD 06 DKI 0A CVR, M/Chip 4's IAD
/// DKI CVN CVR(6) DAC(2) counters(8).
#[test]
fn cvr_from_iad() {
    let imk = key(IMK_AC);
    let pan = pan(PAN);
    let visa = with(&VISA, &[("9F10", "06010A03A06010")]);
    assert_eq!(
        Cvn::Visa10
            .generate_ac(&imk, &pan, Psn::ABSENT, visa.as_slice(), CvrSource::FromIad)
            .unwrap()
            .to_vec(),
        h("29CCA15AE665FA2E")
    );
    for (cvn, cvn_byte, ac) in [
        (Cvn::Mastercard16, "10", "24CCF3DEE3158C70"),
        (Cvn::Mastercard17, "11", "EAE8A620A75648D8"),
        (Cvn::Mastercard20, "14", "CD29615D6452E70E"),
        (Cvn::Mastercard21, "15", "C30E54BE496CF5E5"),
    ] {
        let iad = std::format!("01{cvn_byte}{MC_CVR}1234{MC_COUNTERS}");
        let data = with(&MC, &[("9F10", &iad)]);
        assert_eq!(
            cvn.generate_ac(&imk, &pan, Psn::ABSENT, data.as_slice(), CvrSource::FromIad)
                .unwrap()
                .to_vec(),
            h(ac),
            "{cvn}"
        );
        // An IAD too short for the fields.
        let short = with(&MC, &[("9F10", "0110A000032200")]);
        assert_eq!(
            cvn.generate_ac(
                &imk,
                &pan,
                Psn::ABSENT,
                short.as_slice(),
                CvrSource::FromIad
            ),
            Err(Error::InvalidLength)
        );
        assert_eq!(
            cvn.generate_ac(
                &imk,
                &pan,
                Psn::ABSENT,
                tags(&MC).as_slice(),
                CvrSource::FromIad
            ),
            Err(Error::InvalidTlv)
        );
    }
}

/// Values computed with pyemv 1.5.0 for this test: option B with a
/// 19-digit PAN and PSN 01 (Visa 18), 16-byte counters (Mastercard 21),
/// ARPC method 2 with proprietary data.
#[test]
fn pyemv_more() {
    let imk = key("8A2C4E5B9D1F3A6C7E0B2D4F6A8C1E3B");
    let pan = pan("4761739001010010123");
    let psn: Psn = "01".parse().unwrap();
    let data = with(&VISA, &[("9F10", VISA_IAD)]);
    let ac = Cvn::Visa18
        .generate_ac(&imk, &pan, psn, data.as_slice(), CvrSource::FromIad)
        .unwrap();
    assert_eq!(ac.to_vec(), h("1B823E1D2FA92F23"));
    let mut full = data.clone();
    full.push((h("9F26"), ac.to_vec()));
    let prop = h("0102030405060708");
    let arpc = Cvn::Visa18
        .arpc(
            &imk,
            &pan,
            psn,
            full.as_slice(),
            AuthorisationResponse::Method2 {
                csu: h("00820000").try_into().unwrap(),
                prop: &prop,
            },
        )
        .unwrap();
    assert_eq!(arpc.as_bytes(), h("33FC25E6"));
    let counters = h("0000000000032200FFFFFFFF00001111");
    let cvr = h(MC_CVR);
    let ac = Cvn::Mastercard21
        .generate_ac(
            &imk,
            &pan,
            psn,
            tags(&MC).as_slice(),
            CvrSource::Given {
                cvr: &cvr,
                counters: &counters,
            },
        )
        .unwrap();
    assert_eq!(ac.to_vec(), h("43D164148661566B"));
}

#[test]
fn names_and_table() {
    for cvn in Cvn::ALL {
        assert_eq!(Cvn::from_name(cvn.name()), Ok(cvn));
        assert_eq!(std::format!("{cvn}"), cvn.name());
    }
    for bad in ["", "visa-11", "VISA-10", "mastercard-18", "visa10", "amex"] {
        assert_eq!(Cvn::from_name(bad), Err(Error::Unsupported), "{bad}");
    }
    assert_eq!(Cvn::Visa22.master_key_option(), MasterKeyOption::B);
    assert_eq!(Cvn::Interac133.master_key_option(), MasterKeyOption::A);
    assert_eq!(Cvn::Visa10.ac_padding(), AcPadding::Method1);
    assert_eq!(Cvn::Mastercard17.ac_tail(), AcTail::Cvr6Counters);
    assert_eq!(Cvn::Visa18.arpc_method(), ArpcMethod::Method2);
    assert_eq!(
        Cvn::Mastercard20.arpc_method(),
        ArpcMethod::Method1(ArpcKey::AcSessionKey)
    );
    assert_eq!(Cvn::Visa22.script_key(), ScriptKeyDerivation::CommonArqc);
    assert_eq!(Cvn::Interac133.encipherment(), Encipherment::Mastercard);
}

#[test]
fn refusals() {
    let imk = key(IMK_AC);
    let pan = pan(PAN);
    let cvr = h("03A06010");
    let visa10 = CvrSource::Given {
        cvr: &cvr,
        counters: &[],
    };
    let single = key("0123456789ABCDEF");
    let triple = key("0123456789ABCDEFFEDCBA987654321089ABCDEF01234567");
    for bad in [&single, &triple] {
        assert_eq!(
            Cvn::Visa10.generate_ac(bad, &pan, Psn::ABSENT, tags(&VISA).as_slice(), visa10),
            Err(Error::InvalidKey)
        );
    }
    // Each data object missing, then of a wrong length.
    for i in 0..VISA.len() {
        let mut t = tags(&VISA);
        t.remove(i);
        assert_eq!(
            Cvn::Visa10.generate_ac(&imk, &pan, Psn::ABSENT, t.as_slice(), visa10),
            Err(Error::InvalidTlv),
            "{}",
            VISA[i].0
        );
        let mut t = tags(&VISA);
        t[i].1.push(0);
        assert_eq!(
            Cvn::Visa10.generate_ac(&imk, &pan, Psn::ABSENT, t.as_slice(), visa10),
            Err(Error::InvalidLength),
            "{}",
            VISA[i].0
        );
    }
    // 9F10 missing, empty, 33 bytes.
    for iad in [None, Some(""), Some(&"00".repeat(33)[..])] {
        let mut t = tags(&VISA);
        if let Some(iad) = iad {
            t.push((h("9F10"), h(iad)));
        }
        let want = if iad.is_none() {
            Error::InvalidTlv
        } else {
            Error::InvalidLength
        };
        assert_eq!(
            Cvn::Visa18.generate_ac(&imk, &pan, Psn::ABSENT, t.as_slice(), CvrSource::FromIad),
            Err(want)
        );
    }
    // CVR and counters of the wrong length, or absent.
    let five = [0u8; 5];
    let seven = [0u8; 7];
    for (cvn, cvr, counters, want) in [
        (Cvn::Visa10, &five[..], &[][..], Error::InvalidLength),
        (Cvn::Visa10, &[][..], &[][..], Error::InvalidLength),
        (Cvn::Mastercard16, &cvr[..], &[][..], Error::InvalidLength),
        (
            Cvn::Mastercard17,
            &h(MC_CVR)[..],
            &[][..],
            Error::InvalidLength,
        ),
        (
            Cvn::Mastercard21,
            &h(MC_CVR)[..],
            &seven[..],
            Error::InvalidLength,
        ),
        (
            Cvn::Mastercard21,
            &h(MC_CVR)[..],
            &[0u8; 9][..],
            Error::InvalidLength,
        ),
    ] {
        assert_eq!(
            cvn.generate_ac(
                &imk,
                &pan,
                Psn::ABSENT,
                tags(&MC).as_slice(),
                CvrSource::Given { cvr, counters }
            ),
            Err(want),
            "{cvn}"
        );
    }
    // ARPC: 9F26 missing or short; 9F36 missing where the key is a session
    // key; 9F37 for Interac; the other method's response; prop too long.
    let arqc = ("9F26", "29CCA15AE665FA2E");
    let m1 = AuthorisationResponse::Method1 { arc: [0x30, 0x30] };
    let m2 = |prop| AuthorisationResponse::Method2 { csu: [0; 4], prop };
    for (cvn, t, response, want) in [
        (Cvn::Visa10, tags(&[]), m1, Error::InvalidTlv),
        (
            Cvn::Visa10,
            tags(&[("9F26", "29CCA15AE665FA")]),
            m1,
            Error::InvalidLength,
        ),
        (Cvn::Visa10, tags(&[arqc]), m2(&[]), Error::Unsupported),
        (Cvn::Visa18, tags(&[arqc]), m2(&[]), Error::InvalidTlv),
        (
            Cvn::Visa18,
            tags(&[arqc, ("9F36", "001C")]),
            m1,
            Error::Unsupported,
        ),
        (
            Cvn::Visa18,
            tags(&[arqc, ("9F36", "001C")]),
            m2(&[0; 9]),
            Error::InvalidLength,
        ),
        (Cvn::Mastercard20, tags(&[arqc]), m1, Error::InvalidTlv),
        (
            Cvn::Interac133,
            tags(&[arqc, ("9F36", "001C")]),
            m1,
            Error::InvalidTlv,
        ),
    ] {
        assert_eq!(
            cvn.arpc(&imk, &pan, Psn::ABSENT, t.as_slice(), response),
            Err(want),
            "{cvn}"
        );
    }
    // Mastercard 16's ARPC key is the ICC MK: 9F36 is not needed.
    assert!(
        Cvn::Mastercard16
            .arpc(&imk, &pan, Psn::ABSENT, tags(&[arqc]).as_slice(), m1)
            .is_ok()
    );
    // DE 55 that is not BER-TLV; a duplicate tag.
    assert_eq!(
        Cvn::Visa10
            .authorise_de55(&imk, &pan, Psn::ABSENT, &h("9F2608"), visa10, m1)
            .err(),
        Some(Error::InvalidTlv)
    );
    assert_eq!(
        Cvn::Visa10
            .authorise_de55(&imk, &pan, Psn::ABSENT, &h("9C01019C0101"), visa10, m1)
            .err(),
        Some(Error::InvalidTlv)
    );
}
