//! The EMV data objects the cryptogram versions read (EMV 4.4 Book 3
//! Annex A, data element dictionary), and where they come from.

use crate::Error;
use crate::tlv::Tlv;

/// Where an EMV operation finds its data objects: DE 55 as BER-TLV (a
/// parsed [`Tlv`]), or a table of `(tag, value)` pairs (tags as their
/// encoded bytes, e.g. `[0x9F, 0x26]`) that a host already split out.
///
/// ```
/// use paykernel::emv::DataObjects;
/// let table: &[(&[u8], &[u8])] = &[(&[0x9F, 0x36], &[0x00, 0x1C])];
/// assert_eq!(table.data_object(&[0x9F, 0x36]), Some(&[0x00, 0x1C][..]));
/// assert_eq!(table.data_object(&[0x9F, 0x26]), None);
/// ```
pub trait DataObjects {
    /// The value of the primitive data object tagged `tag`, if present.
    fn data_object(&self, tag: &[u8]) -> Option<&[u8]>;
}

impl DataObjects for Tlv<'_> {
    fn data_object(&self, tag: &[u8]) -> Option<&[u8]> {
        self.find(tag)
    }
}

impl<K: AsRef<[u8]>, V: AsRef<[u8]>> DataObjects for [(K, V)] {
    /// The first pair with this tag.
    fn data_object(&self, tag: &[u8]) -> Option<&[u8]> {
        self.iter()
            .find(|(k, _)| k.as_ref() == tag)
            .map(|(_, v)| v.as_ref())
    }
}

/// A data object an operation reads: its tag and the lengths EMV allows
/// it (Book 3 Annex A).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ObjectSpec {
    /// The tag's encoded bytes.
    pub tag: &'static [u8],
    /// The fewest bytes its value has.
    pub min: usize,
    /// The most bytes its value has.
    pub max: usize,
}

const fn spec(tag: &'static [u8], min: usize, max: usize) -> ObjectSpec {
    ObjectSpec { tag, min, max }
}

/// `9F02` Amount, Authorised (n 12).
pub const AMOUNT_AUTHORISED: ObjectSpec = spec(&[0x9F, 0x02], 6, 6);
/// `9F03` Amount, Other (n 12).
pub const AMOUNT_OTHER: ObjectSpec = spec(&[0x9F, 0x03], 6, 6);
/// `9F1A` Terminal Country Code (n 3).
pub const TERMINAL_COUNTRY: ObjectSpec = spec(&[0x9F, 0x1A], 2, 2);
/// `95` Terminal Verification Results.
pub const TVR: ObjectSpec = spec(&[0x95], 5, 5);
/// `5F2A` Transaction Currency Code (n 3).
pub const CURRENCY: ObjectSpec = spec(&[0x5F, 0x2A], 2, 2);
/// `9A` Transaction Date (n 6, YYMMDD).
pub const DATE: ObjectSpec = spec(&[0x9A], 3, 3);
/// `9C` Transaction Type (n 2).
pub const TRANSACTION_TYPE: ObjectSpec = spec(&[0x9C], 1, 1);
/// `9F37` Unpredictable Number.
pub const UNPREDICTABLE_NUMBER: ObjectSpec = spec(&[0x9F, 0x37], 4, 4);
/// `82` Application Interchange Profile.
pub const AIP: ObjectSpec = spec(&[0x82], 2, 2);
/// `9F36` Application Transaction Counter.
pub const ATC: ObjectSpec = spec(&[0x9F, 0x36], 2, 2);
/// `9F10` Issuer Application Data (1 to 32 bytes).
pub const IAD: ObjectSpec = spec(&[0x9F, 0x10], 1, 32);
/// `9F26` Application Cryptogram (the ARQC, TC or AAC).
pub const CRYPTOGRAM: ObjectSpec = spec(&[0x9F, 0x26], 8, 8);

/// The data objects every cryptogram version puts first in its AC data,
/// in this order (EMV Book 2 8.1.1's recommended minimum set; pyemv's
/// `generate_ac` of every CVN): amounts, terminal country, TVR, currency,
/// date, type, UN, AIP, ATC.
pub const AC_DATA: [ObjectSpec; 10] = [
    AMOUNT_AUTHORISED,
    AMOUNT_OTHER,
    TERMINAL_COUNTRY,
    TVR,
    CURRENCY,
    DATE,
    TRANSACTION_TYPE,
    UNPREDICTABLE_NUMBER,
    AIP,
    ATC,
];

/// The value of `spec` in `data`.
///
/// # Errors
/// [`Error::InvalidTlv`] when it is missing; [`Error::InvalidLength`] when
/// its length is not one EMV allows.
pub(crate) fn fetch<D: DataObjects + ?Sized>(data: &D, spec: ObjectSpec) -> Result<&[u8], Error> {
    let v = data.data_object(spec.tag).ok_or(Error::InvalidTlv)?;
    if (spec.min..=spec.max).contains(&v.len()) {
        Ok(v)
    } else {
        Err(Error::InvalidLength)
    }
}

/// The value of `spec` in `data` as exactly `N` bytes (`spec` has a fixed
/// length `N`).
pub(crate) fn fetch_array<D: DataObjects + ?Sized, const N: usize>(
    data: &D,
    spec: ObjectSpec,
) -> Result<[u8; N], Error> {
    fetch(data, spec)?
        .try_into()
        .map_err(|_| Error::InvalidLength)
}
