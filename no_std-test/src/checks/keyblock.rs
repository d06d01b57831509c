//! Key blocks (ANSI X9.143 / TR-31): one known answer per version, unwrap
//! and wrap, and a terminal's initial key injected from a `B1` block.

use paykernel::Error;
use paykernel::dukpt::tdes::Variant;
use paykernel::keyblock::{Kbpk, KeyBlock, Version, load_tdes_terminal};

use super::{Check, Outcome};

/// The checks of this group.
pub const ALL: &[Check] = &[
    ("tr31 version a tr31:2018 a.7.2.1", version_a),
    ("tr31 version b tr31:2018 a.7.2.2", version_b),
    ("tr31 version c tr31:2018 a.7.3.1", version_c),
    ("tr31 version d tr31:2018 a.7.4", version_d),
    ("tr31 b1 block into a tdes dukpt terminal", inject),
    ("tr31 refusals", refusals),
];

/// Unwraps `block` under `kbpk` to `key`, and wraps `key` with `pad` under
/// `header` back to `block` (ASC X9 TR-31:2018 Annex A.7, as transcribed in
/// openemv/tr31's tests; vectors/tr31-x9.143-examples.json).
fn both_ways(
    version: Version,
    kbpk: &[u8],
    header: &[u8],
    key: &[u8],
    pad: &[u8],
    block: &[u8],
) -> Outcome {
    let kbpk = Kbpk::from_slice(kbpk, version)?;
    let kb = KeyBlock::parse(block)?;
    let mut work = [0u8; 64];
    let unwrapped = kbpk.unwrap(&kb, &mut work)?;
    let same_key = unwrapped.expose_secret() == key;
    drop(unwrapped);
    let mut out = [0u8; 128];
    let wrapped = kbpk.wrap(header, key, pad, &mut out)?;
    Ok(same_key && wrapped == block)
}

fn version_a() -> Outcome {
    both_ways(
        Version::A,
        &h!("89E88CF7931444F334BD7547FC3F380C"),
        b"A0000P0TE00E0000",
        &h!("F039121BEC83D26B169BDCD5B22AAF8F"),
        &h!("720DF563BB07"),
        b"A0072P0TE00E0000F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE8701",
    )
}

fn version_b() -> Outcome {
    both_ways(
        Version::B,
        &h!("DD7515F2BFC17F85CE48F3CA25CB21F6"),
        b"B0000P0TE00E0000",
        &h!("3F419E1CB7079442AA37474C2EFBF8B8"),
        &h!("1C2965473CE2"),
        b"B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E",
    )
}

fn version_c() -> Outcome {
    both_ways(
        Version::C,
        &h!("B8ED59E0A279A295E9F5ED7944FD06B9"),
        b"C0000B0TX12S0100KS1800604B120F9292800000",
        &h!("EDB380DD340BC2620247D445F5B8D678"),
        &h!("8546A8ED98D1"),
        b"C0096B0TX12S0100KS1800604B120F9292800000BFB9B689CB567E66FC3FEE5AD5F52161FC6545B9D60989015D02155C",
    )
}

fn version_d() -> Outcome {
    both_ways(
        Version::D,
        &h!("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6"),
        b"D0000P0AE00E0000",
        &h!("3F419E1CB7079442AA37474C2EFBF8B8"),
        &h!("1C2965473CE206BB855B01533782"),
        b"D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34",
    )
}

/// The README's example: psec 1.3.0 wrapped the IPEK and initial KSN of
/// ANSI X9.24-1:2009 A.4 in this block; the terminal's first PIN key is the
/// annex's.
fn inject() -> Outcome {
    let kbpk = Kbpk::from_slice(&h!("B8ED59E0A279A295E9F5ED7944FD06B9"), Version::B)?;
    let block = b"B0120B1TX00N0100KS18FFFF9876543210E00000C88E27C8C1F2B49A1864A4BA9591EAB367EE5BDF0C6310DD914BC4404EF5BC13E536D8BE126D529D";
    let mut t = load_tdes_terminal(&kbpk, block)?;
    let (ksn, key) = t.next_transaction(Variant::Pin)?;
    let want_ksn: paykernel::dukpt::TdesKsn = "FFFF9876543210E00001".parse()?;
    Ok(ksn == want_ksn && key.expose_secret() == h!("042666B49184CF5C68DE9628D0397B36"))
}

/// A changed block, a wrong KBPK length, a malformed block.
fn refusals() -> Outcome {
    let kbpk = Kbpk::from_slice(&h!("DD7515F2BFC17F85CE48F3CA25CB21F6"), Version::B)?;
    let mut block =
        *b"B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E";
    block[11] = b'N';
    let mut work = [0u8; 64];
    let bad_mac = kbpk.unwrap(&KeyBlock::parse(&block)?, &mut work).err() == Some(Error::BadMac);
    let bad_len = Kbpk::from_slice(&[0u8; 8], Version::B).err() == Some(Error::InvalidKey);
    let bad_block = KeyBlock::parse(&block[..79]).err() == Some(Error::InvalidKeyBlock);
    Ok(bad_mac && bad_len && bad_block && work == [0u8; 64])
}
