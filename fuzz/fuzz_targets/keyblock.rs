//! Key blocks (ANSI X9.143 / TR-31): the header and block parsers on the
//! input as it is, unwrap under fixed KBPKs, and a structured round trip.
//!
//! 1. The whole input is a key block and a header: parsing must agree with
//!    what it returns (lengths, counts, the optional blocks it iterates),
//!    and unwrapping a parsed block under any KBPK must end in `bad-mac`
//!    (or, with odds of 2^-32 for A and C, a key that fits its data).
//! 2. The input also drives a generator: a header with random fields and
//!    optional blocks (short and extended form, padding), a key, padding
//!    from a seeded RNG; the block wraps and unwraps back to the key and
//!    header; then one character is changed, and the changed block must
//!    not unwrap (bad MAC, or a format or KBPK error), and truncated at a
//!    random length must not either.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use paykernel::Error;
use paykernel::keyblock::{Header, Kbpk, KeyBlock, MAX_BLOCK_LEN, Version, padding_len};
use paykernel_fuzz::FuzzRng;

fuzz_target!(|data: &[u8]| {
    parse_as_is(data);
    let _ = round_trip(&mut Unstructured::new(data));
});

fn kbpk_for(v: Version) -> Kbpk {
    let bytes = [0x5Cu8; 32];
    let n = if v == Version::D { 32 } else { 16 };
    Kbpk::from_slice(&bytes[..n], v).expect("a KBPK of a valid length")
}

fn parse_as_is(data: &[u8]) {
    if let Ok(h) = Header::parse(data) {
        assert_eq!(h.len(), data.len());
        assert_eq!(h.optional_blocks().count(), h.optional_block_count());
        let blocks_len = h.len() - 16;
        assert_eq!(blocks_len % h.version().block_len(), 0);
        for b in h.optional_blocks() {
            assert!(b.data_bytes().iter().all(|c| (0x20..0x7F).contains(c)));
        }
    }
    let Ok(kb) = KeyBlock::parse(data) else {
        return;
    };
    let h = kb.header();
    assert_eq!(h.declared_len(), data.len());
    let v = h.version();
    assert_eq!(kb.mac_hex().len(), 2 * v.mac_len());
    assert_eq!(kb.key_data_hex().len() % (2 * v.block_len()), 0);
    assert!(kb.key_data_len() > 0);
    assert_eq!(
        h.len() + kb.key_data_hex().len() + kb.mac_hex().len(),
        data.len()
    );
    let mut work = vec![0u8; kb.key_data_len()];
    match kbpk_for(v).unwrap(&kb, &mut work) {
        Ok(k) => assert!(k.key_len() > 0 && k.key_len() + 2 <= kb.key_data_len()),
        Err(e) => assert!(matches!(e, Error::BadMac | Error::InvalidKeyBlock), "{e:?}"),
    }
    assert_eq!(
        kbpk_for(v).unwrap(&kb, &mut work[..kb.key_data_len() - 1]).err(),
        Some(Error::InvalidLength)
    );
}

fn printable(u: &mut Unstructured<'_>, n: usize) -> Result<String> {
    (0..n)
        .map(|_| Ok(char::from(u.int_in_range(0x20u8..=0x7E)?)))
        .collect()
}

fn alnum(u: &mut Unstructured<'_>) -> Result<char> {
    let set = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    Ok(char::from(*u.choose(set)?))
}

fn round_trip(u: &mut Unstructured<'_>) -> Result<()> {
    let v = *u.choose(&Version::ALL)?;
    let b = v.block_len();
    let lens: &[usize] = if v == Version::D { &[16, 24, 32] } else { &[16, 24] };
    let kbpk_len = *u.choose(lens)?;
    let kbpk_bytes = u.bytes(kbpk_len)?.to_vec();
    if kbpk_bytes.len() != kbpk_len {
        return Ok(());
    }
    let kbpk = Kbpk::from_slice(&kbpk_bytes, v).expect("a KBPK of a valid length");
    // Header fields and optional blocks.
    let mut fields = String::new();
    for _ in 0..7 {
        fields.push(alnum(u)?);
    }
    let mut opt = String::new();
    let mut ids: Vec<String> = Vec::new();
    for _ in 0..u.int_in_range(0..=5)? {
        let id: String = [alnum(u)?, alnum(u)?].iter().collect();
        if ids.contains(&id) || id == "PB" {
            continue;
        }
        let n = u.int_in_range(0..=60)?;
        let data = printable(u, n)?;
        if u.ratio(1, 4)? {
            let digits = u.int_in_range(2..=6)?;
            opt.push_str(&format!("{id}00{digits:02X}{:0digits$X}{data}", 6 + digits + n));
        } else {
            opt.push_str(&format!("{id}{:02X}{data}", 4 + n));
        }
        ids.push(id);
    }
    if opt.len() % b != 0 {
        let fill = (b - (opt.len() + 4) % b) % b;
        let data = printable(u, fill)?;
        opt.push_str(&format!("PB{:02X}{data}", 4 + fill));
        ids.push("PB".into());
    }
    let header = format!(
        "{}0000{}{:02}{}{}{}",
        char::from(v.id()),
        fields,
        ids.len(),
        alnum(u)?,
        alnum(u)?,
        opt
    );
    let h = Header::parse(header.as_bytes()).expect("a well-formed header");
    assert_eq!(h.optional_block_count(), ids.len());
    // The key, and padding given or random.
    let key_len = u.int_in_range(1..=80)?;
    let key = u.bytes(key_len)?.to_vec();
    if key.is_empty() {
        return Ok(());
    }
    let masked = key.len() + u.int_in_range(0..=40)?;
    let mut out = vec![0u8; MAX_BLOCK_LEN];
    let text = if u.arbitrary()? {
        let pad = vec![0xA5; padding_len(v, key.len(), masked).expect("masked >= key")];
        kbpk.wrap(header.as_bytes(), &key, &pad, &mut out)
    } else {
        let mut rng = FuzzRng::new(u.arbitrary()?);
        kbpk.wrap_random(header.as_bytes(), &key, Some(masked), &mut rng, &mut out)
    };
    let text = match text {
        Ok(t) => t.to_vec(),
        Err(Error::InvalidLength) => return Ok(()), // longer than 9999
        Err(e) => panic!("wrap: {e:?}"),
    };
    let kb = KeyBlock::parse(&text).expect("a wrapped block parses");
    assert_eq!(&kb.header().as_bytes()[5..], &header.as_bytes()[5..]);
    let mut work = vec![0u8; kb.key_data_len()];
    {
        let k = kbpk.unwrap(&kb, &mut work).expect("a wrapped block unwraps");
        assert_eq!(k.expose_secret(), &key[..]);
    }
    // One character changed: never the key.
    let pos = u.choose_index(text.len())?;
    let c = u.int_in_range(0x20u8..=0x7E)?;
    if c != text[pos] {
        let mut t = text.clone();
        t[pos] = c;
        if let Ok(kb) = KeyBlock::parse(&t) {
            let r = kbpk.unwrap(&kb, &mut work).map(|_| ());
            if kb.header().version() == v {
                assert_eq!(r, Err(Error::BadMac), "pos {pos}");
            } else {
                assert!(r.is_err());
            }
        }
    }
    // Truncated: never the key either.
    let cut = u.choose_index(text.len())?;
    if let Ok(kb) = KeyBlock::parse(&text[..cut]) {
        assert!(kbpk.unwrap(&kb, &mut work).is_err());
    }
    Ok(())
}
