//! The ASN.1 DER form of an ECDSA signature, `SEQUENCE { INTEGER r,
//! INTEGER s }` (SEC 1 v2, C.8; X.690 for the encoding rules), for P-256:
//! at most 72 bytes, so every length is in DER's short form.
//!
//! Parsing is strict: the input must be exactly the one DER encoding of
//! the pair. Refused: long-form or indefinite lengths, a length that does
//! not match, integers with a redundant leading `00` or without the `00`
//! that keeps a set top bit positive (a negative integer), empty integers,
//! integers longer than 32 bytes once their sign byte is gone, another tag,
//! anything after the sequence. (The range `0 < r, s < n` is the caller's
//! check.)

/// The longest encoding: `30 46 02 21 00 r 02 21 00 s`.
pub(crate) const MAX_LEN: usize = 72;

/// `r` and `s` (32-byte big-endian each) from a strict DER encoding.
pub(crate) fn parse(der: &[u8]) -> Option<([u8; 32], [u8; 32])> {
    let (&tag, rest) = der.split_first()?;
    let (&len, body) = rest.split_first()?;
    if tag != 0x30 || len >= 0x80 || usize::from(len) != body.len() {
        return None;
    }
    let (r, rest) = integer(body)?;
    let (s, rest) = integer(rest)?;
    rest.is_empty().then_some((r, s))
}

/// One strict DER INTEGER at the start of `input`, as a non-negative
/// 32-byte big-endian number, and what follows it.
fn integer(input: &[u8]) -> Option<([u8; 32], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&len, rest) = rest.split_first()?;
    if tag != 0x02 || len >= 0x80 {
        return None;
    }
    let (content, rest) = rest.split_at_checked(usize::from(len))?;
    let magnitude = match content {
        // Empty, or negative.
        [] | [0x80..=0xFF, ..] => return None,
        // A 00 is only there to keep the next byte's top bit from
        // reading as a sign.
        [0x00, next, ..] if *next < 0x80 => return None,
        [0x00, tail @ ..] if !tail.is_empty() => tail,
        _ => content,
    };
    let mut out = [0u8; 32];
    let start = out.len().checked_sub(magnitude.len())?;
    out.get_mut(start..)?.copy_from_slice(magnitude);
    Some((out, rest))
}

/// Writes the DER encoding of `(r, s)` into `out` and returns its length.
pub(crate) fn encode(r: &[u8; 32], s: &[u8; 32], out: &mut [u8; MAX_LEN]) -> usize {
    let mut body = [0u8; MAX_LEN];
    let mut len = 0usize;
    for v in [r, s] {
        // Minimal: no leading zero bytes (but at least one byte), and a 00
        // in front of a set top bit.
        let first = v.iter().position(|b| *b != 0).unwrap_or(31);
        let digits = v.get(first..).unwrap_or(&[]);
        let pad = digits.first().is_some_and(|b| *b >= 0x80);
        let int_len = digits.len().wrapping_add(usize::from(pad));
        let mut header = [0x02, 0, 0];
        let header_len = if pad { 3 } else { 2 };
        // int_len ≤ 33.
        header[1] = u8::try_from(int_len).unwrap_or(0);
        let parts: [&[u8]; 2] = [header.get(..header_len).unwrap_or(&[]), digits];
        for part in parts {
            if let Some(dst) = body.get_mut(len..len.wrapping_add(part.len())) {
                dst.copy_from_slice(part);
                len = len.wrapping_add(part.len());
            }
        }
    }
    out[0] = 0x30;
    out[1] = u8::try_from(len).unwrap_or(0);
    if let (Some(dst), Some(src)) = (out.get_mut(2..len.wrapping_add(2)), body.get(..len)) {
        dst.copy_from_slice(src);
    }
    len.wrapping_add(2)
}
