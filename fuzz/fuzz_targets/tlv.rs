//! BER-TLV (EMV Book 3 Annex B) and the cryptogram versions that read it.
//!
//! Feeds arbitrary bytes to `Tlv::parse` and compares it with a reference
//! decoder written here from docs/vectors.md's rules (recursive, with the same
//! depth limit): both accept or both refuse, and what is accepted has the
//! same primitive objects in the same order. Values lie inside the input;
//! `find` finds each; `objects`/`children` re-encoded with `Encoder` parse
//! to the same primitives. Then every CVN op runs on the parsed data
//! objects (never a panic; an error only of the kinds the ops have).
#![no_main]

use libfuzzer_sys::fuzz_target;
use paykernel::emv::{AuthorisationResponse, Cvn, CvrSource, PinChangeKeys, Psn};
use paykernel::pin::Pin;
use paykernel::tlv::{DataObject, Encoder, MAX_DEPTH, Tlv};
use paykernel::{Error, Pan, TdesKey};

fuzz_target!(|data: &[u8]| {
    let reference = reference(data);
    let parsed = Tlv::parse(data);
    match (&parsed, &reference) {
        (Ok(tlv), Ok(want)) => {
            let got: Vec<(Vec<u8>, Vec<u8>)> = tlv
                .primitives()
                .map(|o| (o.tag().as_bytes().to_vec(), o.value().to_vec()))
                .collect();
            assert_eq!(&got, want);
            check_parsed(data, tlv);
        }
        (Err(e), Err(())) => assert_eq!(*e, Error::InvalidTlv),
        _ => panic!(
            "parse {:?} but reference {:?}",
            parsed.is_ok(),
            reference.is_ok()
        ),
    }
    if let Ok(tlv) = parsed {
        run_cvns(data, &tlv);
    }
});

/// Invariants of a parsed input.
fn check_parsed(data: &[u8], tlv: &Tlv<'_>) {
    let range = data.as_ptr_range();
    for o in tlv.primitives() {
        let v = o.value().as_ptr_range();
        assert!(range.start <= v.start && v.end <= range.end);
        assert_eq!(tlv.find(o.tag().as_bytes()), Some(o.value()));
        assert!(!o.is_constructed());
    }
    // Re-encode the tree (shortest lengths, no padding) and parse again.
    let mut buf = vec![0u8; data.len() * 2 + 16];
    let mut enc = Encoder::new(&mut buf);
    for o in tlv.objects() {
        encode(&mut enc, &o);
    }
    let out = enc.finish().expect("finish").to_vec();
    assert!(out.len() <= data.len());
    let again = Tlv::parse(&out).expect("re-encoded parses");
    assert!(again.primitives().eq(tlv.primitives()));
}

fn encode(enc: &mut Encoder<'_>, o: &DataObject<'_>) {
    if o.is_constructed() {
        enc.open(o.tag()).expect("open");
        for child in o.children() {
            encode(enc, &child);
        }
        enc.close().expect("close");
    } else {
        enc.primitive(o.tag(), o.value()).expect("primitive");
    }
}

type Flat = Vec<(Vec<u8>, Vec<u8>)>;

/// docs/vectors.md's `tlv.decode`, written independently: recursive.
fn reference(data: &[u8]) -> Result<Flat, ()> {
    let mut out = Vec::new();
    walk(data, 0, &mut out)?;
    for (i, (t, _)) in out.iter().enumerate() {
        if out[i + 1..].iter().any(|(u, _)| u == t) {
            return Err(());
        }
    }
    Ok(out)
}

fn walk(data: &[u8], depth: usize, out: &mut Flat) -> Result<(), ()> {
    let mut i = 0;
    while i < data.len() {
        if data[i] == 0 {
            i += 1;
            continue;
        }
        let start = i;
        let constructed = data[i] & 0x20 != 0;
        if data[i] & 0x1F == 0x1F {
            loop {
                i += 1;
                let b = *data.get(i).ok_or(())?;
                if b & 0x80 == 0 {
                    break;
                }
            }
        }
        i += 1;
        let tag = data[start..i].to_vec();
        let first = *data.get(i).ok_or(())?;
        i += 1;
        let len = match first {
            0..=0x7F => first as usize,
            0x81..=0x84 => {
                let n = (first & 0x7F) as usize;
                let bytes = data.get(i..i + n).ok_or(())?;
                i += n;
                bytes.iter().fold(0u64, |a, b| (a << 8) | u64::from(*b)) as usize
            }
            _ => return Err(()),
        };
        let value = data.get(i..i.checked_add(len).ok_or(())?).ok_or(())?;
        i += len;
        if constructed {
            if depth == MAX_DEPTH {
                return Err(());
            }
            walk(value, depth + 1, out)?;
        } else {
            out.push((tag, value.to_vec()));
        }
    }
    Ok(())
}

/// Every CVN op over the parsed data objects: results, not panics.
fn run_cvns(data: &[u8], tlv: &Tlv<'_>) {
    let k = |b: u8| TdesKey::from_slice(&[b; 16]).expect("key");
    let (ac, smi, smc) = (k(0x11), k(0x22), k(0x33));
    let pan: Pan = "4761739001010010".parse().expect("pan");
    let long: Pan = "4761739001010010123".parse().expect("pan");
    let pin = Pin::from_digits(b"1234").expect("pin");
    let seed = data.first().copied().unwrap_or(0);
    let cvn = Cvn::ALL[usize::from(seed) % Cvn::ALL.len()];
    let pan = if seed & 0x80 != 0 { &long } else { &pan };
    let cvr = data.get(..usize::from(seed & 7)).unwrap_or(&[]);
    let counters = data.get(..usize::from(seed & 0x1F)).unwrap_or(&[]);
    let ok_kinds = |r: Result<(), Error>| {
        if let Err(e) = r {
            assert!(
                matches!(
                    e,
                    Error::InvalidTlv | Error::InvalidLength | Error::Unsupported
                ),
                "{cvn}: {e:?}"
            );
        }
    };
    for source in [CvrSource::FromIad, CvrSource::Given { cvr, counters }] {
        for response in [
            AuthorisationResponse::Method1 { arc: [0x30, 0x30] },
            AuthorisationResponse::Method2 {
                csu: [0; 4],
                prop: cvr,
            },
        ] {
            let r = cvn.authorise(&ac, pan, Psn::ABSENT, tlv, source, response);
            if let Ok(a) = &r {
                let v = cvn
                    .verify_arqc(&ac, pan, Psn::ABSENT, tlv, source)
                    .expect("verify after authorise");
                assert_eq!(bool::from(v), a.valid());
                if a.valid() {
                    let ac_again = cvn.generate_ac(&ac, pan, Psn::ABSENT, tlv, source);
                    assert_eq!(
                        ac_again.ok().map(|g| g.to_vec()),
                        tlv.find(&[0x9F, 0x26]).map(<[u8]>::to_vec)
                    );
                }
            }
            ok_kinds(r.map(|_| ()));
        }
    }
    let header = [0x84, 0x24, 0x00, 0x00, 0x08];
    ok_kinds(
        cvn.command_mac(&smi, pan, Psn::ABSENT, tlv, &header, cvr)
            .map(|_| ()),
    );
    let mut out = [0u8; paykernel::emv::ENCIPHERED_MAX];
    ok_kinds(
        cvn.encrypt_command_data(
            &smc,
            pan,
            Psn::ABSENT,
            tlv,
            data.get(..255).unwrap_or(data),
            &mut out,
        )
        .map(|e| assert_eq!(e.len(), cvn.enciphered_len(data.len().min(255)))),
    );
    let keys = PinChangeKeys {
        imk_smi: &smi,
        imk_smc: &smc,
        imk_ac: Some(&ac),
    };
    for current in [None, Some(&pin)] {
        ok_kinds(
            cvn.pin_change(&keys, pan, Psn::ABSENT, tlv, &pin, current)
                .map(|c| assert!(matches!(c.as_bytes().len(), 21 | 29))),
        );
    }
}
