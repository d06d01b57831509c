//! Ops of the card schemes' cryptogram versions: `emv.cvn.ac`,
//! `emv.cvn.arpc`, `emv.cvn.command_mac`, `emv.cvn.encrypt_command_data`,
//! `emv.cvn.pin_change` (`docs/vectors.md`, "EMV cryptogram versions").
//!
//! Choices made where `docs/vectors.md` is silent:
//! - `cvn` that is not a string naming a CVN of the table: `unsupported`.
//! - `psn` may be absent (`00`), as in `emv.icc_mk`.
//! - `tags` must be an object. A key that is not hex names no tag the op
//!   uses and is ignored, like any unused tag; a value that is not a hex
//!   string fails the case only if the op reads that tag.
//! - The parameters a CVN needs (`cvr`, `counters`, `arpc_rc`, `csu`,
//!   `imk_ac` for the VIS PIN block) are parameters: missing, they fail
//!   the case; given where the CVN does not use them, they are ignored
//!   (keys are still checked: a bad key is `invalid-key` wherever it is
//!   given, as pyemv refuses it when it makes the card's keys).
//! - `pin` and `current_pin` that are not 4 to 12 digits (or not strings):
//!   `invalid-pin`.

use std::cell::RefCell;

use paykernel::emv::{
    AcTail, ArpcMethod, AuthorisationResponse, Cvn, CvrSource, DataObjects, ENCIPHERED_MAX,
    PinChangeKeys, Psn,
};
use paykernel::pin::Pin;
use paykernel::{Error, Pan, TdesKey};

use super::{Op, Output, hexv, out};
use crate::vectors::params::{Fail, Kind, Params, decode_hex};

/// The ops of this file.
pub const OPS: &[Op] = &[
    Op {
        name: "emv.cvn.ac",
        params: &["cvn", "imk_ac", "pan", "psn", "tags", "cvr", "counters"],
        run: ac,
    },
    Op {
        name: "emv.cvn.arpc",
        params: &[
            "cvn", "imk_ac", "pan", "psn", "tags", "arpc_rc", "csu", "prop",
        ],
        run: arpc,
    },
    Op {
        name: "emv.cvn.command_mac",
        params: &[
            "cvn",
            "imk_smi",
            "pan",
            "psn",
            "tags",
            "command_header",
            "command_data",
        ],
        run: command_mac,
    },
    Op {
        name: "emv.cvn.encrypt_command_data",
        params: &["cvn", "imk_smc", "pan", "psn", "tags", "command_data"],
        run: encrypt_command_data,
    },
    Op {
        name: "emv.cvn.pin_change",
        params: &[
            "cvn",
            "imk_smi",
            "imk_smc",
            "imk_ac",
            "pan",
            "psn",
            "tags",
            "pin",
            "current_pin",
        ],
        run: pin_change,
    },
];

/// The data objects of `tags`, remembering whether the kernel asked for
/// one whose value was not hex.
struct Tags {
    good: Vec<(Vec<u8>, Vec<u8>)>,
    bad: Vec<(Vec<u8>, String)>,
    asked_bad: RefCell<Option<String>>,
}

impl DataObjects for Tags {
    fn data_object(&self, tag: &[u8]) -> Option<&[u8]> {
        if let Some((_, key)) = self.bad.iter().find(|(t, _)| t == tag) {
            self.asked_bad
                .borrow_mut()
                .get_or_insert_with(|| format!("tags: the value of '{key}' must be a hex string"));
            return None;
        }
        self.good.as_slice().data_object(tag)
    }
}

impl Tags {
    fn read(p: &Params<'_>) -> Result<Tags, Fail> {
        let map = p
            .get("tags")?
            .as_object()
            .ok_or_else(|| Fail::Param("parameter 'tags' must be an object".to_owned()))?;
        let mut tags = Tags {
            good: Vec::new(),
            bad: Vec::new(),
            asked_bad: RefCell::new(None),
        };
        for (key, value) in map {
            let Ok(tag) = decode_hex(key) else { continue };
            match value.as_str().map(decode_hex) {
                Some(Ok(v)) => tags.good.push((tag, v)),
                _ => tags.bad.push((tag, key.clone())),
            }
        }
        Ok(tags)
    }

    /// The kernel's answer, unless it read a tag whose value was not hex
    /// (then the case is malformed).
    fn check<T>(&self, r: Result<T, Error>) -> Result<T, Fail> {
        match self.asked_bad.borrow_mut().take() {
            Some(why) => Err(Fail::Param(why)),
            None => r.map_err(Fail::Kernel),
        }
    }
}

/// `cvn`: a name of the table, else `unsupported`.
fn cvn(p: &Params<'_>) -> Result<Cvn, Fail> {
    let name = p.str_as("cvn", Kind::Refuse(Error::Unsupported))?;
    Ok(Cvn::from_name(name)?)
}

/// A 16-byte issuer master key.
fn imk(p: &Params<'_>, name: &str) -> Result<TdesKey, Fail> {
    let k = TdesKey::from_slice(&p.key(name)?)?;
    if k.expose_secret().len() == 16 {
        Ok(k)
    } else {
        Err(Fail::Kernel(Error::InvalidKey))
    }
}

/// `pan` and `psn` (default `00`).
fn card(p: &Params<'_>) -> Result<(Pan, Psn), Fail> {
    let pan: Pan = p.str_as("pan", Kind::Refuse(Error::InvalidPan))?.parse()?;
    let psn = match p.opt("psn") {
        None => Psn::ABSENT,
        Some(_) => p.str_as("psn", Kind::Refuse(Error::InvalidPan))?.parse()?,
    };
    Ok((pan, psn))
}

/// Exactly `N` bytes of hex; another size is `invalid-length`.
fn fixed<const N: usize>(p: &Params<'_>, name: &str) -> Result<[u8; N], Fail> {
    p.bytes(name)?
        .try_into()
        .map_err(|_| Fail::Kernel(Error::InvalidLength))
}

/// A PIN parameter: 4 to 12 digits, else `invalid-pin`.
fn pin(p: &Params<'_>, name: &str) -> Result<Pin, Fail> {
    let s = p.str_as(name, Kind::Refuse(Error::InvalidPin))?;
    Ok(Pin::from_digits(s.as_bytes())?)
}

fn ac(p: &Params<'_>) -> Result<Output, Fail> {
    let cvn = cvn(p)?;
    let imk_ac = imk(p, "imk_ac")?;
    let (pan, psn) = card(p)?;
    let tags = Tags::read(p)?;
    let cvr = match cvn.ac_tail() {
        AcTail::Iad => Vec::new(),
        _ => p.bytes("cvr")?,
    };
    let counters = match cvn.ac_tail() {
        AcTail::Cvr6Counters => p.bytes("counters")?,
        _ => Vec::new(),
    };
    let source = CvrSource::Given {
        cvr: &cvr,
        counters: &counters,
    };
    let ac = tags.check(cvn.generate_ac(&imk_ac, &pan, psn, &tags, source))?;
    Ok(out([("ac", hexv(&ac))]))
}

fn arpc(p: &Params<'_>) -> Result<Output, Fail> {
    let cvn = cvn(p)?;
    let imk_ac = imk(p, "imk_ac")?;
    let (pan, psn) = card(p)?;
    let tags = Tags::read(p)?;
    let prop = match p.opt("prop") {
        None => Vec::new(),
        Some(_) => p.bytes("prop")?,
    };
    let response = match cvn.arpc_method() {
        ArpcMethod::Method1(_) => AuthorisationResponse::Method1 {
            arc: fixed::<2>(p, "arpc_rc")?,
        },
        ArpcMethod::Method2 => AuthorisationResponse::Method2 {
            csu: fixed::<4>(p, "csu")?,
            prop: &prop,
        },
    };
    let arpc = tags.check(cvn.arpc(&imk_ac, &pan, psn, &tags, response))?;
    Ok(out([("arpc", hexv(arpc.as_bytes()))]))
}

fn command_mac(p: &Params<'_>) -> Result<Output, Fail> {
    let cvn = cvn(p)?;
    let imk_smi = imk(p, "imk_smi")?;
    let (pan, psn) = card(p)?;
    let tags = Tags::read(p)?;
    let header = fixed::<5>(p, "command_header")?;
    let data = match p.opt("command_data") {
        None => Vec::new(),
        Some(_) => p.bytes("command_data")?,
    };
    let mac = tags.check(cvn.command_mac(&imk_smi, &pan, psn, &tags, &header, &data))?;
    Ok(out([("mac", hexv(&mac))]))
}

fn encrypt_command_data(p: &Params<'_>) -> Result<Output, Fail> {
    let cvn = cvn(p)?;
    let imk_smc = imk(p, "imk_smc")?;
    let (pan, psn) = card(p)?;
    let tags = Tags::read(p)?;
    let data = p.bytes("command_data")?;
    let mut buf = [0u8; ENCIPHERED_MAX];
    let enc = tags.check(cvn.encrypt_command_data(&imk_smc, &pan, psn, &tags, &data, &mut buf))?;
    Ok(out([("data", hexv(enc))]))
}

fn pin_change(p: &Params<'_>) -> Result<Output, Fail> {
    let cvn = cvn(p)?;
    let imk_smi = imk(p, "imk_smi")?;
    let imk_smc = imk(p, "imk_smc")?;
    let imk_ac = match p.opt("imk_ac") {
        Some(_) => Some(imk(p, "imk_ac")?),
        None => None,
    };
    let (pan, psn) = card(p)?;
    let tags = Tags::read(p)?;
    let new_pin = pin(p, "pin")?;
    let current = match p.opt("current_pin") {
        Some(_) => Some(pin(p, "current_pin")?),
        None => None,
    };
    let vis = match cvn {
        Cvn::Visa10 | Cvn::Visa18 => true,
        Cvn::Visa22 => current.is_some(),
        _ => false,
    };
    if vis && imk_ac.is_none() {
        // The VIS PIN block needs the card's AC master key.
        p.get("imk_ac")?;
    }
    let keys = PinChangeKeys {
        imk_smi: &imk_smi,
        imk_smc: &imk_smc,
        imk_ac: imk_ac.as_ref(),
    };
    let command =
        tags.check(cvn.pin_change(&keys, &pan, psn, &tags, &new_pin, current.as_ref()))?;
    Ok(out([("command", hexv(command.as_bytes()))]))
}
