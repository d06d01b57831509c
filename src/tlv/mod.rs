//! BER-TLV as EMV uses it (EMV 4.4 Book 3 Annex B, "Rules for BER-TLV
//! Data Objects"; ISO/IEC 8825-1 restricted as EMV restricts it): the
//! encoding of DE 55 (ICC system-related data), of GENERATE AC and READ
//! RECORD responses, and of issuer scripts. [`Encoder`] writes any of
//! them; [`Tlv::parse`] is made for lookups by tag and refuses an input in
//! which a primitive tag repeats, so it does not take issuer scripts with
//! more than one command (`86`), nor two scripts with a script ID
//! (`9F18`) each.
//!
//! - A **tag** is one byte, or more when the first byte has its five low
//!   bits set (`xxx1 1111`): each following byte with bit 8 set announces
//!   one more. Bit 6 of the first byte marks a **constructed** object,
//!   whose value is itself a sequence of data objects (a template); the
//!   others are **primitive**.
//! - A **length** is one byte below `80`, or `81` to `84` followed by that
//!   many bytes of big-endian length (the long form is accepted even where
//!   the short form would do). `80` (BER's indefinite form) and `85`–`FF`
//!   are refused.
//! - `00` bytes before, between and after data objects, at any level, are
//!   padding (Annex B: left by erased or modified objects) and are skipped.
//!
//! [`Tlv::parse`] checks a whole input once: every tag, length and value
//! lies inside its object and the input, templates nest at most
//! [`MAX_DEPTH`] deep, and no primitive tag occurs twice (anywhere: a
//! lookup by tag must have one answer). Anything else is
//! [`Error::InvalidTlv`]; nothing panics and
//! nothing is read past the input. A parsed [`Tlv`] borrows the input
//! (zero copy) and gives the top-level objects ([`Tlv::objects`]), every
//! primitive object depth first ([`Tlv::primitives`]), and lookups by tag
//! ([`Tlv::find`], [`Tlv::find_template`]). [`Encoder`] writes data
//! objects, templates included, into a caller's buffer.
//!
//! TLV data is public here (card and terminal data, not keys): lengths
//! and tags steer control flow.

mod encode;

use core::fmt;

use crate::Error;

pub use self::encode::Encoder;

/// The deepest nesting of templates accepted: a data object may sit inside
/// at most this many constructed objects. EMV's own templates nest two or
/// three deep (`70` in `77`, `86` in `71`); deeper input is refused with
/// [`Error::InvalidTlv`].
pub const MAX_DEPTH: usize = 32;

/// A tag: its bytes as they appear in the encoding, one or more.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tag<'a> {
    bytes: &'a [u8],
}

impl<'a> Tag<'a> {
    /// A tag from its encoded bytes, checked against Annex B: one byte
    /// unless the first has its five low bits set; then each following byte
    /// but the last has bit 8 set and the last has it clear. A first byte
    /// `00` is padding, not a tag.
    ///
    /// ```
    /// use paykernel::tlv::Tag;
    /// let arqc = Tag::new(&[0x9F, 0x26])?;
    /// assert!(!arqc.is_constructed());
    /// assert_eq!(arqc.to_string(), "9F26");
    /// assert!(Tag::new(&[0x70])?.is_constructed());
    /// assert!(Tag::new(&[0x9F]).is_err()); // a second byte must follow
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidTlv`] for bytes that are not exactly one tag.
    pub fn new(bytes: &'a [u8]) -> Result<Self, Error> {
        match read_tag(bytes, 0, bytes.len()) {
            Ok(end) if end == bytes.len() => Ok(Tag { bytes }),
            _ => Err(Error::InvalidTlv),
        }
    }

    /// The tag's bytes.
    ///
    /// ```
    /// use paykernel::tlv::Tag;
    /// assert_eq!(Tag::new(&[0x5F, 0x2A])?.as_bytes(), [0x5F, 0x2A]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Whether the tag is constructed (bit 6 of its first byte): its value
    /// is a sequence of data objects.
    #[must_use]
    pub fn is_constructed(&self) -> bool {
        self.bytes.first().is_some_and(|b| b & 0x20 != 0)
    }
}

impl fmt::Display for Tag<'_> {
    /// Upper-case hex, as EMV writes tags (`9F26`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.bytes {
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Tag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tag({self})")
    }
}

/// One data object: its tag and its value, borrowed from the input.
///
/// ```
/// use paykernel::tlv::Tlv;
/// // pyemv 1.5.0's tlv.decode example: 9C, a template E0 holding 5F2A,
/// // and an empty 9F02.
/// let de55 = [0x9C, 0x01, 0x01, 0xE0, 0x05, 0x5F, 0x2A, 0x02, 0x02, 0x08, 0x9F, 0x02, 0x00];
/// let tlv = Tlv::parse(&de55)?;
/// assert_eq!(tlv.as_bytes(), de55);
/// let top: Vec<_> = tlv.objects().collect();
/// assert_eq!(top.len(), 3);
/// assert_eq!(top[0].tag().as_bytes(), [0x9C]);
/// assert_eq!(top[0].value(), [0x01]);
/// assert!(!top[0].is_constructed());
/// assert_eq!(top[0].children().count(), 0);
/// // The template: its value is its children, encoded.
/// let e0 = top[1];
/// assert!(e0.is_constructed() && e0.tag().is_constructed());
/// assert_eq!(e0.value(), [0x5F, 0x2A, 0x02, 0x02, 0x08]);
/// let inner: Vec<_> = e0.children().collect();
/// assert_eq!(inner.len(), 1);
/// assert_eq!(inner[0].tag().to_string(), "5F2A");
/// assert_eq!(format!("{:?}", inner[0]), "DataObject(5F2A 0208)");
/// # Ok::<(), paykernel::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DataObject<'a> {
    tag: Tag<'a>,
    value: &'a [u8],
}

impl<'a> DataObject<'a> {
    /// Its tag.
    #[must_use]
    pub fn tag(&self) -> Tag<'a> {
        self.tag
    }

    /// Its value: the bytes of a primitive object, the encoded children of
    /// a constructed one.
    #[must_use]
    pub fn value(&self) -> &'a [u8] {
        self.value
    }

    /// Whether it is a template (constructed).
    #[must_use]
    pub fn is_constructed(&self) -> bool {
        self.tag.is_constructed()
    }

    /// The objects directly inside a template (none for a primitive
    /// object). Only for objects of a [`Tlv`], whose templates were checked
    /// whole.
    #[must_use]
    pub fn children(&self) -> Objects<'a> {
        let data = if self.is_constructed() {
            self.value
        } else {
            &[]
        };
        Objects { data, pos: 0 }
    }
}

impl fmt::Debug for DataObject<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DataObject({} ", self.tag)?;
        if self.is_constructed() {
            write!(f, "[{} bytes of objects]", self.value.len())?;
        } else {
            for b in self.value {
                write!(f, "{b:02X}")?;
            }
        }
        f.write_str(")")
    }
}

/// A BER-TLV input that [`Tlv::parse`] found well-formed.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tlv<'a> {
    data: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// Checks `data` whole (see the module documentation): every object
    /// well-formed and inside its template and the input, templates at
    /// most [`MAX_DEPTH`] deep, each primitive tag at most once. Empty
    /// input (or only padding) is a valid input with no objects.
    ///
    /// ```
    /// use paykernel::tlv::Tlv;
    /// // pyemv 1.5.0's tlv.decode example: 9C, a template E0 holding 5F2A,
    /// // and an empty 9F02.
    /// let de55 = [0x9C, 0x01, 0x01, 0xE0, 0x05, 0x5F, 0x2A, 0x02, 0x02, 0x08, 0x9F, 0x02, 0x00];
    /// let tlv = Tlv::parse(&de55)?;
    /// assert_eq!(tlv.find(&[0x5F, 0x2A]), Some(&[0x02, 0x08][..]));
    /// assert_eq!(tlv.find(&[0x9F, 0x02]), Some(&[][..]));
    /// assert_eq!(tlv.primitives().count(), 3);
    /// assert_eq!(Tlv::parse(&[0x9F, 0x02, 0x05, 0x00]), Err(paykernel::Error::InvalidTlv));
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidTlv`] for a tag, length or value running past its
    /// template or the input, a length byte `80` or `85`–`FF`, a length
    /// beyond the address space, templates nested deeper than
    /// [`MAX_DEPTH`], or a primitive tag that occurs twice.
    ///
    /// # Cost
    /// Every primitive tag is compared with every later one (there is no
    /// heap for a set of seen tags): quadratic in the number of data
    /// objects. DE 55 holds tens; a caller that takes TLV of unbounded size
    /// from outside should bound its length first (64 KiB of empty
    /// three-byte tags is some 16 000 objects: seconds of work).
    pub fn parse(data: &'a [u8]) -> Result<Self, Error> {
        let mut walk = Walk::new(data);
        while let Some(object) = walk.next_object()? {
            // Each primitive tag against every later one: quadratic, but
            // without a heap there is no set to remember tags in, and EMV
            // messages hold tens of objects (see the cost in the docs).
            let mut rest = walk.clone();
            while let Some(later) = rest.next_object()? {
                if later.tag == object.tag {
                    return Err(Error::InvalidTlv);
                }
            }
        }
        Ok(Tlv { data })
    }

    /// The input, as given.
    #[must_use]
    pub fn as_bytes(&self) -> &'a [u8] {
        self.data
    }

    /// The top-level objects, in order (templates as one object each).
    ///
    /// ```
    /// use paykernel::tlv::Tlv;
    /// // pyemv 1.5.0's tlv.decode example: 9C, the template E0, 9F02.
    /// let de55 = [0x9C, 0x01, 0x01, 0xE0, 0x05, 0x5F, 0x2A, 0x02, 0x02, 0x08, 0x9F, 0x02, 0x00];
    /// let tlv = Tlv::parse(&de55)?;
    /// assert_eq!(tlv.as_bytes(), de55);
    /// let tags: Vec<String> = tlv.objects().map(|o| o.tag().to_string()).collect();
    /// assert_eq!(tags, ["9C", "E0", "9F02"]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn objects(&self) -> Objects<'a> {
        Objects {
            data: self.data,
            pos: 0,
        }
    }

    /// Every primitive object at any depth, in the order of the input
    /// (depth first): what DE 55 carries, flattened.
    ///
    /// ```
    /// use paykernel::tlv::Tlv;
    /// // pyemv 1.5.0's tlv.decode example, flattened as pyemv shows it.
    /// let de55 = [0x9C, 0x01, 0x01, 0xE0, 0x05, 0x5F, 0x2A, 0x02, 0x02, 0x08, 0x9F, 0x02, 0x00];
    /// let tags: Vec<String> = Tlv::parse(&de55)?.primitives().map(|o| o.tag().to_string()).collect();
    /// assert_eq!(tags, ["9C", "5F2A", "9F02"]);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn primitives(&self) -> Primitives<'a> {
        Primitives {
            walk: Walk::new(self.data),
        }
    }

    /// The value of the primitive object tagged `tag` (its encoded bytes,
    /// e.g. `[0x9F, 0x26]`), at any depth. There is at most one.
    #[must_use]
    pub fn find(&self, tag: &[u8]) -> Option<&'a [u8]> {
        self.primitives()
            .find(|o| o.tag.bytes == tag)
            .map(|o| o.value)
    }

    /// The first template tagged `tag`, at any depth (templates, unlike
    /// primitive objects, may repeat, as long as no primitive tag inside
    /// them does).
    ///
    /// ```
    /// use paykernel::tlv::Tlv;
    /// // pyemv 1.5.0's tlv.decode example: template E0 holds 5F2A.
    /// let de55 = [0x9C, 0x01, 0x01, 0xE0, 0x05, 0x5F, 0x2A, 0x02, 0x02, 0x08, 0x9F, 0x02, 0x00];
    /// let e0 = Tlv::parse(&de55)?.find_template(&[0xE0]).unwrap();
    /// assert_eq!(e0.value(), [0x5F, 0x2A, 0x02, 0x02, 0x08]);
    /// assert_eq!(e0.children().count(), 1);
    /// # Ok::<(), paykernel::Error>(())
    /// ```
    #[must_use]
    pub fn find_template(&self, tag: &[u8]) -> Option<DataObject<'a>> {
        let mut walk = Walk::new(self.data);
        while let Ok(Some(o)) = walk.next_any() {
            if o.is_constructed() && o.tag.bytes == tag {
                return Some(o);
            }
        }
        None
    }
}

impl fmt::Debug for Tlv<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.primitives()).finish()
    }
}

/// The objects of one level (the top of a [`Tlv`], or a template's
/// children), in order.
#[derive(Clone, Debug)]
pub struct Objects<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for Objects<'a> {
    type Item = DataObject<'a>;

    fn next(&mut self) -> Option<DataObject<'a>> {
        let end = self.data.len();
        self.pos = skip_padding(self.data, self.pos, end);
        match read_object(self.data, self.pos, end) {
            Ok((object, next)) => {
                self.pos = next;
                Some(object)
            }
            Err(_) => {
                // Only at the end for checked input; stop for good.
                self.pos = end;
                None
            }
        }
    }
}

/// Every primitive object of a [`Tlv`], depth first.
#[derive(Clone, Debug)]
pub struct Primitives<'a> {
    walk: Walk<'a>,
}

impl<'a> Iterator for Primitives<'a> {
    type Item = DataObject<'a>;

    fn next(&mut self) -> Option<DataObject<'a>> {
        // Checked input: an error cannot happen; it would end the walk.
        self.walk.next_object().ok().flatten()
    }
}

/// A depth-first walk over unchecked input, with the end offset of every
/// open template on a fixed stack (`ends[0]` is the input's end).
#[derive(Clone, Debug)]
struct Walk<'a> {
    data: &'a [u8],
    pos: usize,
    ends: [usize; MAX_DEPTH + 1],
    depth: usize,
}

impl<'a> Walk<'a> {
    fn new(data: &'a [u8]) -> Self {
        let mut ends = [0usize; MAX_DEPTH + 1];
        if let Some(e) = ends.first_mut() {
            *e = data.len();
        }
        Walk {
            data,
            pos: 0,
            ends,
            depth: 0,
        }
    }

    /// The next object at any depth, templates included (then the walk
    /// goes into them); `None` at the end of the input.
    fn next_any(&mut self) -> Result<Option<DataObject<'a>>, Error> {
        loop {
            let end = self.ends.get(self.depth).copied().unwrap_or(0);
            self.pos = skip_padding(self.data, self.pos, end);
            if self.pos >= end {
                if self.depth == 0 {
                    return Ok(None);
                }
                self.depth = self.depth.saturating_sub(1);
                continue;
            }
            let (object, next) = match read_object(self.data, self.pos, end) {
                Ok(x) => x,
                Err(e) => {
                    self.stop();
                    return Err(e);
                }
            };
            if object.is_constructed() {
                let depth = self.depth.saturating_add(1);
                let Some(slot) = self.ends.get_mut(depth) else {
                    self.stop();
                    return Err(Error::InvalidTlv);
                };
                *slot = next;
                self.depth = depth;
                // The children start where the value does.
                self.pos = next.saturating_sub(object.value.len());
            } else {
                self.pos = next;
            }
            return Ok(Some(object));
        }
    }

    /// The next primitive object.
    fn next_object(&mut self) -> Result<Option<DataObject<'a>>, Error> {
        loop {
            match self.next_any()? {
                Some(o) if o.is_constructed() => {}
                other => return Ok(other),
            }
        }
    }

    fn stop(&mut self) {
        self.pos = self.data.len();
        self.depth = 0;
    }
}

/// The first offset at or after `pos` (and before `end`) that is not a
/// `00` padding byte.
fn skip_padding(data: &[u8], pos: usize, end: usize) -> usize {
    let mut pos = pos;
    while pos < end && data.get(pos) == Some(&0) {
        pos = pos.saturating_add(1);
    }
    pos
}

/// The end of the tag that starts at `pos`, which must lie before `end`
/// (`end <= data.len()`).
fn read_tag(data: &[u8], pos: usize, end: usize) -> Result<usize, Error> {
    let byte = |i: usize| -> Result<u8, Error> {
        if i < end {
            data.get(i).copied().ok_or(Error::InvalidTlv)
        } else {
            Err(Error::InvalidTlv)
        }
    };
    let first = byte(pos)?;
    if first == 0 {
        return Err(Error::InvalidTlv);
    }
    let mut next = pos.checked_add(1).ok_or(Error::InvalidTlv)?;
    if first & 0x1F == 0x1F {
        loop {
            let b = byte(next)?;
            next = next.checked_add(1).ok_or(Error::InvalidTlv)?;
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    Ok(next)
}

/// The object whose tag starts at `pos` (not padding) and which must end
/// by `end` (`end <= data.len()`), and the offset after it.
fn read_object(data: &[u8], pos: usize, end: usize) -> Result<(DataObject<'_>, usize), Error> {
    let tag_end = read_tag(data, pos, end)?;
    let tag = data.get(pos..tag_end).ok_or(Error::InvalidTlv)?;
    let first = *data
        .get(tag_end)
        .filter(|_| tag_end < end)
        .ok_or(Error::InvalidTlv)?;
    let mut value_start = tag_end.checked_add(1).ok_or(Error::InvalidTlv)?;
    let len = match first {
        0x00..=0x7F => usize::from(first),
        0x81..=0x84 => {
            let n = usize::from(first & 0x7F);
            let len_end = value_start.checked_add(n).ok_or(Error::InvalidTlv)?;
            if len_end > end {
                return Err(Error::InvalidTlv);
            }
            let mut len = 0u64;
            for b in data.get(value_start..len_end).ok_or(Error::InvalidTlv)? {
                len = (len << 8) | u64::from(*b);
            }
            value_start = len_end;
            usize::try_from(len).map_err(|_| Error::InvalidTlv)?
        }
        _ => return Err(Error::InvalidTlv),
    };
    let value_end = value_start.checked_add(len).ok_or(Error::InvalidTlv)?;
    if value_end > end {
        return Err(Error::InvalidTlv);
    }
    let value = data.get(value_start..value_end).ok_or(Error::InvalidTlv)?;
    Ok((
        DataObject {
            tag: Tag { bytes: tag },
            value,
        },
        value_end,
    ))
}

#[cfg(test)]
mod tests;
