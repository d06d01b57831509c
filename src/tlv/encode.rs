//! Writing BER-TLV into a caller's buffer.

use core::fmt;

use super::{MAX_DEPTH, Tag};
use crate::Error;

/// Writes data objects into a caller's buffer, in the shortest length form
/// (EMV Book 3 Annex B), templates included: [`Encoder::open`] a template,
/// write its children, [`Encoder::close`] it; the encoder moves the
/// children when the template's length needs more than one byte.
///
/// ```
/// use paykernel::tlv::{Encoder, Tag, Tlv};
/// let mut buf = [0u8; 32];
/// let mut enc = Encoder::new(&mut buf);
/// enc.primitive(Tag::new(&[0x9C])?, &[0x01])?;
/// enc.open(Tag::new(&[0xE0])?)?;
/// enc.primitive(Tag::new(&[0x5F, 0x2A])?, &[0x02, 0x08])?;
/// enc.close()?;
/// enc.primitive(Tag::new(&[0x9F, 0x02])?, &[])?;
/// let out = enc.finish()?;
/// // pyemv 1.5.0's tlv.encode example.
/// assert_eq!(out, [0x9C, 0x01, 0x01, 0xE0, 0x05, 0x5F, 0x2A, 0x02, 0x02, 0x08, 0x9F, 0x02, 0x00]);
/// assert_eq!(Tlv::parse(out)?.find(&[0x5F, 0x2A]), Some(&[0x02, 0x08][..]));
/// # Ok::<(), paykernel::Error>(())
/// ```
///
/// The encoder does not look for repeated primitive tags (which
/// [`super::Tlv::parse`] refuses): the caller writes each one once.
pub struct Encoder<'b> {
    buf: &'b mut [u8],
    len: usize,
    /// Where each open template's children start (after one reserved
    /// length byte).
    open: [usize; MAX_DEPTH],
    depth: usize,
}

impl<'b> Encoder<'b> {
    /// An encoder that writes from the start of `buf`.
    pub fn new(buf: &'b mut [u8]) -> Self {
        Encoder {
            buf,
            len: 0,
            open: [0; MAX_DEPTH],
            depth: 0,
        }
    }

    /// How many bytes are written so far.
    ///
    /// ```
    /// use paykernel::tlv::{Encoder, Tag};
    /// let mut buf = [0u8; 8];
    /// let mut enc = Encoder::new(&mut buf);
    /// assert!(enc.is_empty());
    /// enc.primitive(Tag::new(&[0x9C])?, &[0x01])?;
    /// assert_eq!(enc.len(), 3);
    /// assert!(!enc.is_empty());
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing is written yet.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Writes a primitive data object.
    ///
    /// # Errors
    /// [`Error::InvalidTlv`] when `tag` is constructed;
    /// [`Error::InvalidLength`] when the buffer is too small or the value
    /// longer than four length bytes can say.
    pub fn primitive(&mut self, tag: Tag<'_>, value: &[u8]) -> Result<(), Error> {
        if tag.is_constructed() {
            return Err(Error::InvalidTlv);
        }
        let mut len = [0u8; 5];
        let len = encode_len(value.len(), &mut len)?;
        let total = tag
            .as_bytes()
            .len()
            .checked_add(len.len())
            .and_then(|n| n.checked_add(value.len()))
            .ok_or(Error::InvalidLength)?;
        let start = self.len;
        let end = start.checked_add(total).ok_or(Error::InvalidLength)?;
        let out = self.buf.get_mut(start..end).ok_or(Error::InvalidLength)?;
        let (t, rest) = out.split_at_mut(tag.as_bytes().len());
        t.copy_from_slice(tag.as_bytes());
        let (l, v) = rest.split_at_mut(len.len());
        l.copy_from_slice(len);
        v.copy_from_slice(value);
        self.len = end;
        Ok(())
    }

    /// Starts a template: the objects written until the matching
    /// [`Encoder::close`] are its value.
    ///
    /// # Errors
    /// [`Error::InvalidTlv`] when `tag` is primitive or [`MAX_DEPTH`]
    /// templates are already open; [`Error::InvalidLength`] when the
    /// buffer is too small.
    pub fn open(&mut self, tag: Tag<'_>) -> Result<(), Error> {
        if !tag.is_constructed() {
            return Err(Error::InvalidTlv);
        }
        let slot = self.open.get_mut(self.depth).ok_or(Error::InvalidTlv)?;
        let start = self.len;
        let children = start
            .checked_add(tag.as_bytes().len())
            .and_then(|n| n.checked_add(1))
            .ok_or(Error::InvalidLength)?;
        let out = self
            .buf
            .get_mut(start..children)
            .ok_or(Error::InvalidLength)?;
        let (t, l) = out.split_at_mut(tag.as_bytes().len());
        t.copy_from_slice(tag.as_bytes());
        l.fill(0);
        *slot = children;
        self.depth = self.depth.saturating_add(1);
        self.len = children;
        Ok(())
    }

    /// Ends the template opened last, writing its length.
    ///
    /// # Errors
    /// [`Error::InvalidTlv`] when no template is open;
    /// [`Error::InvalidLength`] when the buffer has no room for a longer
    /// length field.
    pub fn close(&mut self) -> Result<(), Error> {
        let depth = self.depth.checked_sub(1).ok_or(Error::InvalidTlv)?;
        let children = *self.open.get(depth).ok_or(Error::InvalidTlv)?;
        let content = self.len.checked_sub(children).ok_or(Error::InvalidTlv)?;
        let mut len = [0u8; 5];
        let len = encode_len(content, &mut len)?;
        let len_at = children.checked_sub(1).ok_or(Error::InvalidTlv)?;
        // One byte was reserved; move the children for a longer form.
        let extra = len.len().saturating_sub(1);
        let new_len = self.len.checked_add(extra).ok_or(Error::InvalidLength)?;
        if new_len > self.buf.len() {
            return Err(Error::InvalidLength);
        }
        self.buf
            .copy_within(children..self.len, children.saturating_add(extra));
        let field = len_at.saturating_add(len.len());
        self.buf
            .get_mut(len_at..field)
            .ok_or(Error::InvalidLength)?
            .copy_from_slice(len);
        self.len = new_len;
        self.depth = depth;
        Ok(())
    }

    /// The encoding written.
    ///
    /// # Errors
    /// [`Error::InvalidTlv`] when a template is still open.
    pub fn finish(self) -> Result<&'b [u8], Error> {
        if self.depth != 0 {
            return Err(Error::InvalidTlv);
        }
        let buf: &'b [u8] = self.buf;
        buf.get(..self.len).ok_or(Error::InvalidLength)
    }
}

impl fmt::Debug for Encoder<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Encoder")
            .field("len", &self.len)
            .field("open", &self.depth)
            .finish_non_exhaustive()
    }
}

/// The shortest length field for `len` (Annex B): one byte below 128,
/// else `81`–`84` and the big-endian length.
fn encode_len(len: usize, out: &mut [u8; 5]) -> Result<&[u8], Error> {
    let len = u32::try_from(len).map_err(|_| Error::InvalidLength)?;
    if len < 0x80 {
        if let Some(o) = out.first_mut() {
            *o = u8::try_from(len).map_err(|_| Error::InvalidLength)?;
        }
        return Ok(out.get(..1).unwrap_or(&[]));
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    let n = 4usize.saturating_sub(skip);
    let (head, tail) = out.split_at_mut(1);
    if let Some(h) = head.first_mut() {
        // n is 1 to 4.
        *h = 0x80 | u8::try_from(n).map_err(|_| Error::InvalidLength)?;
    }
    for (o, b) in tail.iter_mut().zip(bytes.iter().skip(skip)) {
        *o = *b;
    }
    Ok(out.get(..n.saturating_add(1)).unwrap_or(&[]))
}
