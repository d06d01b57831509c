extern crate std;

use std::vec;
use std::vec::Vec;

use proptest::prelude::*;

use super::*;
use crate::test_util::h;

/// Every primitive object of `data` as (tag hex, value hex), or the error.
fn flat(data: &[u8]) -> Result<Vec<(std::string::String, std::string::String)>, Error> {
    let tlv = Tlv::parse(data)?;
    Ok(tlv
        .primitives()
        .map(|o| (std::format!("{}", o.tag()), hex::encode_upper(o.value())))
        .collect())
}

fn pairs(p: &[(&str, &str)]) -> Vec<(std::string::String, std::string::String)> {
    p.iter().map(|(t, v)| ((*t).into(), (*v).into())).collect()
}

#[test]
fn pyemv_example() {
    // pyemv 1.5.0 tlv.decode docstring: 9C 01 01, E0 05 {5F2A 02 0208},
    // 9F02 00; flattened.
    let data = h("9C0101E0055F2A0202089F0200");
    assert_eq!(
        flat(&data).unwrap(),
        pairs(&[("9C", "01"), ("5F2A", "0208"), ("9F02", "")])
    );
    let tlv = Tlv::parse(&data).unwrap();
    let top: Vec<_> = tlv.objects().collect();
    assert_eq!(top.len(), 3);
    assert!(top[1].is_constructed());
    assert_eq!(top[1].tag().as_bytes(), [0xE0]);
    assert_eq!(top[1].children().count(), 1);
    assert_eq!(top[0].children().count(), 0);
    assert_eq!(tlv.find_template(&[0xE0]).unwrap().value(), h("5F2A020208"));
    assert_eq!(tlv.find_template(&[0x9C]), None);
    assert_eq!(tlv.find(&[0xE0]), None);
    assert_eq!(tlv.find(&[0x9F]), None);
}

#[test]
fn debug_shows_tags_and_values() {
    // The pyemv 1.5.0 tlv.decode docstring's data: 9C 01 01,
    // E0 05 {5F2A 02 0208}, 9F02 00. Tags and values are public (DE 55 is
    // not a secret); Debug shows them in hex, a template by its size.
    let data = h("9C0101E0055F2A0202089F0200");
    let tlv = Tlv::parse(&data).unwrap();
    let top: Vec<_> = tlv.objects().collect();
    assert_eq!(std::format!("{:?}", top[0].tag()), "Tag(9C)");
    assert_eq!(std::format!("{:?}", top[0]), "DataObject(9C 01)");
    assert_eq!(
        std::format!("{:?}", top[1]),
        "DataObject(E0 [5 bytes of objects])"
    );
    assert_eq!(std::format!("{:?}", top[2]), "DataObject(9F02 )");
    assert_eq!(
        std::format!("{tlv:?}"),
        "[DataObject(9C 01), DataObject(5F2A 0208), DataObject(9F02 )]"
    );
}

#[test]
fn published_objects() {
    // Issuer authentication data of an M/Chip response (techqa.club, "EMV
    // Tag 91", parsed there as ARPC BCF266A64FF13663 and ARPC RC 0010).
    let data = h("910ABCF266A64FF136630010");
    assert_eq!(
        flat(&data).unwrap(),
        pairs(&[("91", "BCF266A64FF136630010")])
    );
    // A Visa issuer application data (codewithsundeep.com, "how is the
    // 9F10 EMV token constructed": length 06, DKI 01, CVN 0A, CVR
    // 03A02000), as the TLV the question quotes.
    let data = h("9F101706010A03A020000F04000000000000000000006232E4F9");
    let tlv = Tlv::parse(&data).unwrap();
    assert_eq!(
        tlv.find(&[0x9F, 0x10]).unwrap(),
        h("06010A03A020000F04000000000000000000006232E4F9")
    );
}

#[test]
fn lengths_long_form_and_padding() {
    // 81..84 long forms, also where the short form would do (Annex B).
    for (data, tag, value) in [
        ("9F02810106", "9F02", "06"),
        ("9F0282000106", "9F02", "06"),
        ("9F028300000106", "9F02", "06"),
        ("9F02840000000106", "9F02", "06"),
        ("5A8100", "5A", ""),
    ] {
        assert_eq!(flat(&h(data)).unwrap(), pairs(&[(tag, value)]), "{data}");
    }
    let long = vec![0xABu8; 200];
    let mut data = h("DF0181C8");
    data.extend_from_slice(&long);
    assert_eq!(
        Tlv::parse(&data).unwrap().find(&[0xDF, 0x01]),
        Some(&long[..])
    );
    // Padding before, between, after, and inside templates.
    let data = h("00009A03250101000000E20600009C0100000000");
    assert_eq!(
        flat(&data).unwrap(),
        pairs(&[("9A", "250101"), ("9C", "00")])
    );
    for empty in ["", "00", "000000"] {
        assert_eq!(flat(&h(empty)).unwrap(), pairs(&[]));
    }
    // Empty templates.
    assert_eq!(flat(&h("7000E100")).unwrap(), pairs(&[]));
}

#[test]
fn multi_byte_tags() {
    let data = h("9F8101020102DF7F00BF8F8F0103C20100");
    assert_eq!(
        flat(&data).unwrap(),
        pairs(&[("9F8101", "0102"), ("DF7F", ""), ("C2", "00")])
    );
    assert_eq!(Tag::new(&h("9F8101")).unwrap().as_bytes(), h("9F8101"));
    for bad in ["", "00", "9F", "9F81", "9F0102", "5A5A", "1F80"] {
        assert_eq!(Tag::new(&h(bad)), Err(Error::InvalidTlv), "{bad}");
    }
    assert!(Tag::new(&[0x70]).unwrap().is_constructed());
    assert!(!Tag::new(&[0x9F, 0x26]).unwrap().is_constructed());
    assert_eq!(std::format!("{}", Tag::new(&h("9f26")).unwrap()), "9F26");
}

#[test]
fn nesting() {
    // MAX_DEPTH templates around a primitive: accepted; one more: refused.
    let nest = |depth: usize| {
        let mut data = h("9C0101");
        for _ in 0..depth {
            let mut outer = vec![0xE0, u8::try_from(data.len()).unwrap()];
            outer.extend_from_slice(&data);
            data = outer;
        }
        data
    };
    assert_eq!(flat(&nest(MAX_DEPTH)).unwrap(), pairs(&[("9C", "01")]));
    assert_eq!(Tlv::parse(&nest(MAX_DEPTH + 1)), Err(Error::InvalidTlv));
    // Siblings at depth: the stack unwinds.
    let data = h("70087703950101820100");
    let data = [data, h("9A03010203")].concat();
    assert_eq!(
        flat(&data).unwrap(),
        pairs(&[("95", "01"), ("82", "00"), ("9A", "010203")])
    );
}

#[test]
fn refusals() {
    for bad in [
        "9F",                   // tag runs past the input
        "9F81",                 // tag continues past the input
        "9C",                   // no length
        "9C02",                 // value runs past the input
        "9C0201",               // value runs past the input
        "9C80",                 // indefinite length
        "9C8501",               // 85..FF length
        "9CFF",                 //
        "9C81",                 // long form runs past
        "9C8200",               //
        "9C84FFFFFFFF00",       // value far past the input
        "E0039C0201",           // child's value runs past its template
        "E0029F02",             // child's length byte outside the template
        "E0019C9C0101",         // child's length byte outside the template
        "E0039C02029A0101",     // child's value runs past its template
        "9C01019C0102",         // primitive tag twice
        "9C0101E0039C0102",     // twice, at different depths
        "E0039C0101E0039C0101", // twice, in two templates
    ] {
        assert_eq!(Tlv::parse(&h(bad)), Err(Error::InvalidTlv), "{bad}");
    }
    // Templates may repeat.
    assert_eq!(
        flat(&h("7103860101710386010102")).err(),
        Some(Error::InvalidTlv)
    );
    assert_eq!(
        flat(&h("71038601017203860102")).err(),
        Some(Error::InvalidTlv)
    );
    assert_eq!(
        flat(&h("710386010171049F180101")).unwrap(),
        pairs(&[("86", "01"), ("9F18", "01")])
    );
}

#[test]
fn encoder_lengths_and_templates() {
    let mut buf = [0u8; 600];
    let mut enc = Encoder::new(&mut buf);
    let t = |b: &'static [u8]| Tag::new(b).unwrap();
    enc.open(t(&[0x70])).unwrap();
    enc.primitive(t(&[0x5A]), &[0x12; 127]).unwrap();
    enc.open(t(&[0xBF, 0x0C])).unwrap();
    enc.primitive(t(&[0x9F, 0x4D]), &[0x34; 300]).unwrap();
    enc.close().unwrap();
    enc.close().unwrap();
    enc.primitive(t(&[0x9C]), &[]).unwrap();
    let out = enc.finish().unwrap().to_vec();
    // 70 82 01B7 | 5A 7F .. | BF0C 82 0131 | 9F4D 82 012C ..
    let mut want = h("708201B75A7F");
    want.extend_from_slice(&[0x12; 127]);
    want.extend_from_slice(&h("BF0C8201319F4D82012C"));
    want.extend_from_slice(&[0x34; 300]);
    want.extend_from_slice(&h("9C00"));
    assert_eq!(out, want);
    // A template that fills the buffer exactly: 70 03 | 9C 01 01.
    let mut buf = [0u8; 5];
    let mut enc = Encoder::new(&mut buf);
    enc.open(t(&[0x70])).unwrap();
    enc.primitive(t(&[0x9C]), &[0x01]).unwrap();
    enc.close().unwrap();
    assert_eq!(enc.finish().unwrap(), h("70039C0101"));
    // 128 bytes takes 81 80.
    let mut buf = [0u8; 140];
    let mut enc = Encoder::new(&mut buf);
    enc.primitive(t(&[0x5A]), &[0; 128]).unwrap();
    assert_eq!(&enc.finish().unwrap()[..3], h("5A8180"));
}

#[test]
fn encoder_refusals() {
    let t = |b: &'static [u8]| Tag::new(b).unwrap();
    let mut buf = [0u8; 8];
    let mut enc = Encoder::new(&mut buf);
    assert_eq!(enc.primitive(t(&[0x70]), &[]), Err(Error::InvalidTlv));
    assert_eq!(enc.open(t(&[0x9C])), Err(Error::InvalidTlv));
    assert_eq!(enc.close(), Err(Error::InvalidTlv));
    assert_eq!(
        enc.primitive(t(&[0x9C]), &[0; 7]),
        Err(Error::InvalidLength)
    );
    assert!(enc.is_empty());
    enc.primitive(t(&[0x9C]), &[0; 6]).unwrap();
    assert_eq!(enc.len(), 8);
    assert!(!enc.is_empty());
    assert_eq!(enc.open(t(&[0x70])), Err(Error::InvalidLength));
    // A template whose length outgrows the buffer when closed.
    let mut buf = [0u8; 130];
    let mut enc = Encoder::new(&mut buf);
    enc.open(t(&[0x70])).unwrap();
    enc.primitive(t(&[0x5A]), &[0; 126]).unwrap();
    assert_eq!(enc.close(), Err(Error::InvalidLength));
    let mut buf = [0u8; 8];
    let mut enc = Encoder::new(&mut buf);
    enc.open(t(&[0x70])).unwrap();
    // Debug shows the bytes written (tag 70 and its reserved length byte)
    // and the templates open, not the buffer.
    assert_eq!(std::format!("{enc:?}"), "Encoder { len: 2, open: 1, .. }");
    assert_eq!(enc.finish().err(), Some(Error::InvalidTlv));
    // Too deep.
    let mut buf = [0u8; 200];
    let mut enc = Encoder::new(&mut buf);
    for _ in 0..MAX_DEPTH {
        enc.open(t(&[0xE0])).unwrap();
    }
    assert_eq!(enc.open(t(&[0xE0])), Err(Error::InvalidTlv));
}

/// A tree of data objects for the round trip: primitive (tag, value) or a
/// template of children.
#[derive(Clone, Debug)]
enum Node {
    Primitive(Vec<u8>, Vec<u8>),
    Template(Vec<u8>, Vec<Node>),
}

/// A well-formed tag: one byte (not 00, five low bits not all set), or a
/// first byte with them set and 1 to 3 more bytes.
fn tag_bytes(constructed: bool) -> impl Strategy<Value = Vec<u8>> {
    let class_and_form = move |b: u8| (b & 0xC0) | if constructed { 0x20 } else { 0 };
    prop_oneof![
        (1u8..0x1F, any::<u8>()).prop_map(move |(low, hi)| vec![class_and_form(hi) | low]),
        (
            any::<u8>(),
            prop::collection::vec(0x80u8..=0xFF, 0..3),
            0u8..0x80
        )
            .prop_map(move |(hi, mid, last)| {
                let mut t = vec![class_and_form(hi) | 0x1F];
                t.extend(mid);
                t.push(last);
                t
            }),
    ]
}

fn tree() -> impl Strategy<Value = Vec<Node>> {
    let leaf = (tag_bytes(false), prop::collection::vec(any::<u8>(), 0..300))
        .prop_map(|(t, v)| Node::Primitive(t, v));
    let node = leaf.prop_recursive(4, 24, 4, |inner| {
        (tag_bytes(true), prop::collection::vec(inner, 0..4))
            .prop_map(|(t, c)| Node::Template(t, c))
    });
    prop::collection::vec(node, 0..6)
}

fn encode_nodes(enc: &mut Encoder<'_>, nodes: &[Node]) -> Result<(), Error> {
    for n in nodes {
        match n {
            Node::Primitive(t, v) => enc.primitive(Tag::new(t)?, v)?,
            Node::Template(t, c) => {
                enc.open(Tag::new(t)?)?;
                encode_nodes(enc, c)?;
                enc.close()?;
            }
        }
    }
    Ok(())
}

fn flatten(nodes: &[Node], out: &mut Vec<(Vec<u8>, Vec<u8>)>) {
    for n in nodes {
        match n {
            Node::Primitive(t, v) => out.push((t.clone(), v.clone())),
            Node::Template(_, c) => flatten(c, out),
        }
    }
}

proptest! {
    #[test]
    fn encode_then_decode(nodes in tree()) {
        let mut want = Vec::new();
        flatten(&nodes, &mut want);
        let mut buf = vec![0u8; 40_000];
        let mut enc = Encoder::new(&mut buf);
        encode_nodes(&mut enc, &nodes).unwrap();
        let out = enc.finish().unwrap();
        let mut tags: Vec<_> = want.iter().map(|(t, _)| t.clone()).collect();
        tags.sort();
        tags.dedup();
        let parsed = Tlv::parse(out);
        if tags.len() == want.len() {
            let tlv = parsed.unwrap();
            let got: Vec<_> = tlv
                .primitives()
                .map(|o| (o.tag().as_bytes().to_vec(), o.value().to_vec()))
                .collect();
            prop_assert_eq!(&got, &want);
            for (t, v) in &want {
                prop_assert_eq!(tlv.find(t), Some(&v[..]));
            }
            prop_assert_eq!(tlv.objects().count(), nodes.len());
        } else {
            // A primitive tag drawn twice.
            prop_assert_eq!(parsed, Err(Error::InvalidTlv));
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(tlv) = Tlv::parse(&data) {
            // Whatever parses yields values inside the input.
            for o in tlv.primitives() {
                prop_assert!(o.value().len() <= data.len());
                prop_assert_eq!(tlv.find(o.tag().as_bytes()), Some(o.value()));
            }
        }
    }
}
