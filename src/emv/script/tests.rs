//! Known answers: pyemv 1.5.0 `tests/test_cvn_hsm.py` (HSM-checked
//! command MACs and PIN change commands), the `pyemv.sm` docstring
//! examples, and values computed with pyemv 1.5.0 (`pyemv.cvn`,
//! `pyemv.sm`) for this test where named so.

extern crate std;

use std::vec::Vec;

use super::*;
use crate::test_util::h;

const IMK_AC: &str = "0123456789ABCDEFFEDCBA9876543210";
const IMK_SMI: &str = "FEDCBA98765432100123456789ABCDEF";
const IMK_SMC: &str = "89ABCDEF0123456776543210FEDCBA98";

fn key(k: &str) -> TdesKey {
    TdesKey::from_slice(&h(k)).unwrap()
}

fn pan() -> Pan {
    "1234567890123456".parse().unwrap()
}

fn pin(p: &str) -> Pin {
    Pin::from_digits(p.as_bytes()).unwrap()
}

fn tags(arqc: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
    std::vec![(h("9F26"), h(arqc)), (h("9F36"), h("001C"))]
}

/// One CVN of the HSM suite: the ARQC, a command header and its MAC, the
/// PIN change command for 9999, and the one with current PIN 8888.
type HsmCase = (
    Cvn,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

/// The HSM suite, every CVN.
const HSM: [HsmCase; 8] = [
    (
        Cvn::Visa10,
        "29CCA15AE665FA2E",
        "8418000008",
        "DB56BA60087CEFD3",
        "8424000218BB221AF527377A2811D2B6EBC396A9391A965A5CB2CE62DA",
        Some("84240001182EE025E554BCD87E11D2B6EBC396A939C4A8393B57DD2F3F"),
    ),
    (
        Cvn::Visa18,
        "7A788EA6B8A3E733",
        "8418000008",
        "04EDE90BC24CC35E",
        "8424000218BB221AF527377A2811D2B6EBC396A9391A22B480EF312F40",
        Some("84240001182EE025E554BCD87E11D2B6EBC396A9390FB94A4E4EC10F41"),
    ),
    (
        Cvn::Visa22,
        "7A788EA6B8A3E733",
        "8418000008",
        "A4805748F846D851",
        "84240002181B2943BED3D298F9C75848D17317CD1D25B70F7E26613E5F",
        Some("8424000118AD6CF0C44DD96B7323A1B51B694E99295A640C9E585FF059"),
    ),
    (
        Cvn::Interac133,
        "18932FECA2D84326",
        "8424000008",
        "B574ABB0A485A330",
        "8424000210382F36D5920D23915CC7573F770298C9",
        None,
    ),
    (
        Cvn::Mastercard16,
        "24CCF3DEE3158C70",
        "8424000008",
        "ED0AB162BAB1DE61",
        "842400021000859B8FE53F316DEB4B64C36BF88E39",
        None,
    ),
    (
        Cvn::Mastercard17,
        "EAE8A620A75648D8",
        "8424000008",
        "4D1858456CD0F22A",
        "84240002108661C474E4940A4378390C64CB96756E",
        None,
    ),
    (
        Cvn::Mastercard20,
        "CD29615D6452E70E",
        "8424000008",
        "01C0F0DFBF6AA230",
        "84240002107647E71F85AA6A35AE4B4E838666773D",
        None,
    ),
    (
        Cvn::Mastercard21,
        "C30E54BE496CF5E5",
        "8424000008",
        "5E89E990C51CEE94",
        "8424000210D9F5896BE8E283C682264E1D32DF1D51",
        None,
    ),
];

#[test]
fn hsm_command_macs_and_pin_changes() {
    let (ac, smi, smc) = (key(IMK_AC), key(IMK_SMI), key(IMK_SMC));
    let keys = PinChangeKeys {
        imk_smi: &smi,
        imk_smc: &smc,
        imk_ac: Some(&ac),
    };
    for (cvn, arqc, header, mac, command, with_current) in HSM {
        let mut data = tags(arqc);
        if cvn == Cvn::Interac133 {
            // Interac's MAC and keys use the ARQC only.
            data.truncate(1);
        }
        let header: [u8; 5] = h(header).try_into().unwrap();
        let got = cvn
            .command_mac(&smi, &pan(), Psn::ABSENT, data.as_slice(), &header, &[])
            .unwrap();
        assert_eq!(got.to_vec(), h(mac), "{cvn}");
        let got = cvn
            .pin_change(
                &keys,
                &pan(),
                Psn::ABSENT,
                data.as_slice(),
                &pin("9999"),
                None,
            )
            .unwrap();
        assert_eq!(got.as_bytes(), h(command), "{cvn}");
        let current = pin("8888");
        match with_current {
            Some(want) => {
                let got = cvn
                    .pin_change(
                        &keys,
                        &pan(),
                        Psn::ABSENT,
                        data.as_slice(),
                        &pin("9999"),
                        Some(&current),
                    )
                    .unwrap();
                assert_eq!(got.as_bytes(), h(want), "{cvn}");
            }
            None => assert_eq!(
                cvn.pin_change(
                    &keys,
                    &pan(),
                    Psn::ABSENT,
                    data.as_slice(),
                    &pin("9999"),
                    Some(&current)
                ),
                Err(Error::Unsupported),
                "{cvn}"
            ),
        }
        // The PIN change's MAC is the command MAC of its header and data.
        let cmd = h(command);
        let n = cmd.len();
        let header: [u8; 5] = cmd[..5].try_into().unwrap();
        let mac = cvn
            .command_mac(
                &smi,
                &pan(),
                Psn::ABSENT,
                data.as_slice(),
                &header,
                &cmd[5..n - 8],
            )
            .unwrap();
        assert_eq!(mac[..], cmd[n - 8..], "{cvn}");
    }
}

/// Values computed with pyemv 1.5.0 (`encrypt_command_data` of VisaCVN10,
/// VisaCVN22, MasterCardCVN16 with the HSM suite's keys and ARQCs), data
/// bytes `(7i + 3) mod 256`: lengths around the block size, and 255.
#[test]
fn pyemv_encipherment() {
    let smc = key(IMK_SMC);
    let data: Vec<u8> = (0..255u32).map(|i| ((i * 7 + 3) & 0xFF) as u8).collect();
    type Lengths = &'static [(usize, &'static str)];
    let cases: [(Cvn, &str, Lengths); 3] = [
        (
            Cvn::Visa10,
            "29CCA15AE665FA2E",
            &[
                (0, "E8E9189DCB7B8175"),
                (7, "5BBA25CCF2350E5CD4DB0B0ADFC2A4CB"),
                (8, "E6C29FCD33417AF5E057E46BA4635565"),
                (9, "E79D243F19CAA8CED3BCE80F4C0DB946"),
                (16, "39E90451D3A8887B0A16B99921E7C3ED1454C3AF6EFA8E78"),
            ],
        ),
        (
            Cvn::Visa22,
            "7A788EA6B8A3E733",
            &[
                (0, "D780BC571B4B45E6"),
                (7, "BA7414373C5B1CBE04C49D8B5E62CBED"),
                (8, "4B0ACBD921A80A7E36D76B459584910C"),
                (9, "A13E8461453E79C4D4637F1759B59C38"),
                (16, "5CB409D5A5E965CE52171E69FBB60810ECE92726A6CA9EB4"),
            ],
        ),
        (
            Cvn::Mastercard16,
            "24CCF3DEE3158C70",
            &[
                (0, ""),
                (7, "1CCD1C97E9DF41BC"),
                (8, "67F25027F464428A"),
                (9, "67F25027F464428A54B4A5285AABF967"),
                (16, "67F25027F464428A9AD806FBBDC3BCF0"),
            ],
        ),
    ];
    let mut out = [0u8; ENCIPHERED_MAX];
    for (cvn, arqc, want) in cases {
        let t = tags(arqc);
        for (n, want) in want {
            let got = cvn
                .encrypt_command_data(
                    &smc,
                    &pan(),
                    Psn::ABSENT,
                    t.as_slice(),
                    &data[..*n],
                    &mut out,
                )
                .unwrap();
            assert_eq!(got, &h(want)[..], "{cvn} {n}");
            assert_eq!(cvn.enciphered_len(*n), got.len());
        }
    }
    // 255 bytes: 264 (Visa), 256 (Mastercard); first 16 and last 8 bytes.
    for (cvn, arqc, len, head, tail) in [
        (
            Cvn::Visa10,
            "29CCA15AE665FA2E",
            264,
            "02FE45AC5F674D8E0A16B99921E7C3ED",
            "D4DB0B0ADFC2A4CB",
        ),
        (
            Cvn::Visa22,
            "7A788EA6B8A3E733",
            264,
            "AC42B4FEBC161F3452171E69FBB60810",
            "04C49D8B5E62CBED",
        ),
        (
            Cvn::Mastercard16,
            "24CCF3DEE3158C70",
            256,
            "67F25027F464428A9AD806FBBDC3BCF0",
            "A5DFDAB33BC0E54D",
        ),
    ] {
        let got = cvn
            .encrypt_command_data(
                &smc,
                &pan(),
                Psn::ABSENT,
                tags(arqc).as_slice(),
                &data,
                &mut out,
            )
            .unwrap();
        assert_eq!(got.len(), len);
        assert_eq!(&got[..16], &h(head)[..], "{cvn}");
        assert_eq!(&got[len - 8..], &h(tail)[..], "{cvn}");
    }
}

/// The longest command data, 255 bytes `(7i + 3) mod 256` under header
/// 84 DA 00 FF 00: MACs computed with pyemv 1.5.0
/// (`VisaCVN10` / `MasterCardCVN16(...).generate_command_mac`, the HSM
/// suite's keys and ARQCs, ATC 001C).
#[test]
fn pyemv_command_mac_of_255_bytes() {
    let smi = key(IMK_SMI);
    let data: Vec<u8> = (0..255u32).map(|i| ((i * 7 + 3) & 0xFF) as u8).collect();
    let header = [0x84, 0xDA, 0x00, 0xFF, 0x00];
    for (cvn, arqc, mac) in [
        (Cvn::Visa10, "29CCA15AE665FA2E", "5B74D78769DE0807"),
        (Cvn::Mastercard16, "24CCF3DEE3158C70", "76A010334D8B499F"),
    ] {
        let got = cvn
            .command_mac(
                &smi,
                &pan(),
                Psn::ABSENT,
                tags(arqc).as_slice(),
                &header,
                &data,
            )
            .unwrap();
        assert_eq!(got.to_vec(), h(mac), "{cvn}");
    }
}

#[test]
fn debug() {
    // A script command is public (its PIN is enciphered): Debug is its hex,
    // here the HSM suite's Mastercard CVN 16 PIN change to 9999. The keys
    // are redacted.
    let (ac, smi, smc) = (key(IMK_AC), key(IMK_SMI), key(IMK_SMC));
    let keys = PinChangeKeys {
        imk_smi: &smi,
        imk_smc: &smc,
        imk_ac: Some(&ac),
    };
    let (_, arqc, _, _, command, _) = HSM
        .iter()
        .find(|c| c.0 == Cvn::Mastercard16)
        .copied()
        .unwrap();
    let got = Cvn::Mastercard16
        .pin_change(
            &keys,
            &pan(),
            Psn::ABSENT,
            tags(arqc).as_slice(),
            &pin("9999"),
            None,
        )
        .unwrap();
    assert_eq!(
        std::format!("{got:?}"),
        std::format!("ScriptCommand({command})")
    );
    let shown = std::format!("{keys:?}");
    assert_eq!(shown, "PinChangeKeys { .. }");
    for k in [IMK_AC, IMK_SMI, IMK_SMC] {
        assert!(!shown.contains(&k[..8]));
    }
}

#[test]
fn pyemv_sm_doc_examples() {
    // pyemv.sm docstrings: encrypt_command_data (MASTERCARD), format_vis_pin_block,
    // format_iso9564_2_pin_block; and a VIS block with a 12-digit new and
    // current PIN (computed with pyemv 1.5.0 for this test).
    let sk = key(IMK_AC);
    let mut out = [0u8; 8];
    let n = encipher(
        Encipherment::Mastercard,
        &TdesCipher::new(&sk),
        &h("241234FFFFFFFFFF"),
        &mut out,
    )
    .unwrap();
    assert_eq!(out[..n], h("9859240AE52820C3")[..]);
    assert_eq!(
        vis_pin_block(&sk, &pin("1234"), None).to_vec(),
        h("041234FF76543210")
    );
    assert_eq!(
        vis_pin_block(&sk, &pin("123456789012"), Some(&pin("987654321098"))).to_vec(),
        h("94646064E1A3DF10")
    );
    assert_eq!(
        iso2_pin_block(&pin("123456789012")).to_vec(),
        h("2C123456789012FF")
    );
    assert_eq!(iso2_pin_block(&pin("1234")).to_vec(), h("241234FFFFFFFFFF"));
}

#[test]
fn refusals() {
    let (ac, smi, smc) = (key(IMK_AC), key(IMK_SMI), key(IMK_SMC));
    let short = key("0123456789ABCDEF");
    let data = tags("29CCA15AE665FA2E");
    let header = [0x84, 0x24, 0x00, 0x00, 0x08];
    let p = pin("1234");
    let mut out = [0u8; ENCIPHERED_MAX];
    assert_eq!(
        Cvn::Visa10.command_mac(&short, &pan(), Psn::ABSENT, data.as_slice(), &header, &[]),
        Err(Error::InvalidKey)
    );
    assert_eq!(
        Cvn::Visa10.command_mac(
            &smi,
            &pan(),
            Psn::ABSENT,
            data.as_slice(),
            &header,
            &[0; 256]
        ),
        Err(Error::InvalidLength)
    );
    assert_eq!(
        Cvn::Visa10
            .encrypt_command_data(
                &smc,
                &pan(),
                Psn::ABSENT,
                data.as_slice(),
                &[0; 256],
                &mut out
            )
            .err(),
        Some(Error::InvalidLength)
    );
    assert_eq!(
        Cvn::Visa10
            .encrypt_command_data(
                &smc,
                &pan(),
                Psn::ABSENT,
                data.as_slice(),
                &[0; 8],
                &mut out[..15]
            )
            .err(),
        Some(Error::InvalidLength)
    );
    // Missing and short data objects.
    for (cvn, t, want) in [
        (
            Cvn::Visa10,
            std::vec![(h("9F26"), h("29CCA15AE665FA2E"))],
            Error::InvalidTlv,
        ),
        (
            Cvn::Mastercard16,
            std::vec![(h("9F26"), h("29CCA15AE665FA2E"))],
            Error::InvalidTlv,
        ),
        (
            Cvn::Mastercard16,
            std::vec![(h("9F36"), h("001C"))],
            Error::InvalidTlv,
        ),
        (
            Cvn::Mastercard16,
            std::vec![(h("9F26"), h("29CCA15AE665FA")), (h("9F36"), h("001C"))],
            Error::InvalidLength,
        ),
        (
            Cvn::Visa18,
            std::vec![(h("9F26"), h("29CCA15AE665FA2E")), (h("9F36"), h("1C"))],
            Error::InvalidLength,
        ),
        (
            Cvn::Interac133,
            std::vec![(h("9F36"), h("001C"))],
            Error::InvalidTlv,
        ),
    ] {
        assert_eq!(
            cvn.command_mac(&smi, &pan(), Psn::ABSENT, t.as_slice(), &header, &[]),
            Err(want),
            "{cvn}"
        );
        let keys = PinChangeKeys {
            imk_smi: &smi,
            imk_smc: &smc,
            imk_ac: Some(&ac),
        };
        assert_eq!(
            cvn.pin_change(&keys, &pan(), Psn::ABSENT, t.as_slice(), &p, None),
            Err(want),
            "{cvn}"
        );
    }
    // Encryption reads 9F36 (Visa SM key) or 9F26 only.
    assert!(
        Cvn::Visa10
            .encrypt_command_data(
                &smc,
                &pan(),
                Psn::ABSENT,
                [(h("9F36"), h("001C"))].as_slice(),
                &[1],
                &mut out
            )
            .is_ok()
    );
    assert!(
        Cvn::Visa22
            .encrypt_command_data(
                &smc,
                &pan(),
                Psn::ABSENT,
                [(h("9F26"), h("29CCA15AE665FA2E"))].as_slice(),
                &[1],
                &mut out
            )
            .is_ok()
    );
    // The VIS PIN block needs imk_ac; every key is 16 bytes.
    let no_ac = PinChangeKeys {
        imk_smi: &smi,
        imk_smc: &smc,
        imk_ac: None,
    };
    for cvn in [Cvn::Visa10, Cvn::Visa18] {
        assert_eq!(
            cvn.pin_change(&no_ac, &pan(), Psn::ABSENT, data.as_slice(), &p, None),
            Err(Error::InvalidKey)
        );
    }
    assert!(
        Cvn::Visa22
            .pin_change(&no_ac, &pan(), Psn::ABSENT, data.as_slice(), &p, None)
            .is_ok()
    );
    assert_eq!(
        Cvn::Visa22.pin_change(&no_ac, &pan(), Psn::ABSENT, data.as_slice(), &p, Some(&p)),
        Err(Error::InvalidKey)
    );
    for keys in [
        PinChangeKeys {
            imk_smi: &short,
            imk_smc: &smc,
            imk_ac: Some(&ac),
        },
        PinChangeKeys {
            imk_smi: &smi,
            imk_smc: &short,
            imk_ac: Some(&ac),
        },
        PinChangeKeys {
            imk_smi: &smi,
            imk_smc: &smc,
            imk_ac: Some(&short),
        },
    ] {
        assert_eq!(
            Cvn::Visa10.pin_change(&keys, &pan(), Psn::ABSENT, data.as_slice(), &p, None),
            Err(Error::InvalidKey)
        );
        // The IMKs are checked before the data objects: a bad key is
        // `InvalidKey` even when 9F26 and 9F36 are missing too (which
        // alone is `InvalidTlv`, above).
        let no_tags = [(h("9F37"), h("52BF4585"))];
        assert_eq!(
            Cvn::Visa10.pin_change(&keys, &pan(), Psn::ABSENT, no_tags.as_slice(), &p, None),
            Err(Error::InvalidKey)
        );
    }
}
