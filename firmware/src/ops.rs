//! The operations the budget measures, each as a caller makes it: from key
//! and input bytes to the output (key schedules included), on inputs that
//! the optimizer cannot see (`black_box`), with outputs kept alive.
//!
//! The inputs are the published values no_std-test checks (X9.24-1 Annex
//! A, the X9.24-3-2017 supplement, ISO 9564-1's format 4 example, SP
//! 800-38B, RFC 6979, the SVR1 suites); this module does not check the
//! answers (no_std-test does), it only runs the calls.

use core::convert::Infallible;
use core::hint::black_box;

use paykernel::card::{
    Cvk, Cvv, DecimalizationTable, Ibm3624, Offset, Pvki, Pvv, ValidationData, VisaPvv,
};
use paykernel::dukpt::aes::{self as aes_dukpt, AesTerminal, KeyType, KeyUsage};
use paykernel::dukpt::tdes::{self as tdes_dukpt, TdesTerminal, Variant};
use paykernel::dukpt::txn::aes::{self as aes_txn, KeyTypes};
use paykernel::dukpt::txn::tdes as tdes_txn;
use paykernel::dukpt::txn::{PinEntry, TerminalInput};
use paykernel::dukpt::{AesKsn, TdesKsn};
use paykernel::emv::{self, AcPadding, AcSessionKey, AuthorisationResponse, Cvn, CvrSource};
use paykernel::emv::{MasterKeyOption, Psn};
use paykernel::kdf::{self, CounterLocation, CounterWidth};
use paykernel::keyblock::{Kbpk, Version, load_aes_terminal_into, load_tdes_terminal_into};
use paykernel::mac::{AesCmac, RetailMac, TdesCmac};
use paykernel::mode::cbc::{self, AesIv, TdesIv};
use paykernel::pin::{AesPinBlockCipher, Format, Pin, PinBlockCipher, PinTranslator, PinVerifier};
use paykernel::record::{self, Amount, IssuerKey};
use paykernel::sign::{PublicKey, SigningKey};
use paykernel::{AesCipher, AesKey, Error, Pan, TdesCipher, TdesKey};
use rand_core::{TryCryptoRng, TryRng};

/// An operation: `prepare` (not measured) makes what `run` starts from
/// (a terminal's saved state, a PIN block); `run` is the call measured.
/// Either gives `Err` only if the kernel refused a valid input.
#[derive(Clone, Copy)]
pub struct Op {
    /// What the row of the budget table says.
    pub name: &'static str,
    /// Makes the inputs of `run`.
    pub prepare: fn(&mut Scratch) -> Result<(), Error>,
    /// The operation.
    pub run: fn(&mut Scratch) -> Result<(), Error>,
}

/// What a terminal's firmware keeps in one place (a `static`, a
/// long-lived frame), outside the measured calls: its DUKPT terminals,
/// which it loads and restores in place (`update_initial_key`,
/// `load_*_terminal_into`, `restore`: no 1 KiB move), and the flash page
/// buffer it saves them into (`save_into`).
pub struct Scratch {
    state: [u8; STATE_MAX],
    state_len: usize,
    aes: AesTerminal,
    tdes: TdesTerminal,
}

impl Scratch {
    /// No key anywhere.
    pub const fn new() -> Self {
        Scratch {
            state: [0; STATE_MAX],
            state_len: 0,
            aes: AesTerminal::new(),
            tdes: TdesTerminal::new(),
        }
    }
}

impl Default for Scratch {
    fn default() -> Self {
        Self::new()
    }
}

/// Room for either terminal's saved state.
const STATE_MAX: usize = if TdesTerminal::MAX_STATE_LEN > AesTerminal::MAX_STATE_LEN {
    TdesTerminal::MAX_STATE_LEN
} else {
    AesTerminal::MAX_STATE_LEN
};

const fn op(name: &'static str, run: fn(&mut Scratch) -> Result<(), Error>) -> Op {
    Op {
        name,
        prepare: nothing,
        run,
    }
}

fn nothing(_: &mut Scratch) -> Result<(), Error> {
    Ok(())
}

/// Runs `prepare` then `run` of every op, unmeasured: what the flash
/// programs call. Returns the first refusal.
pub fn run_all(ops: &[Op]) -> Result<(), Error> {
    let mut s = Scratch::new();
    for op in ops {
        (op.prepare)(&mut s)?;
        (op.run)(&mut s)?;
    }
    Ok(())
}

/// A terminal's subset: ISO 9564-1 format 4 PIN blocks under an AES key,
/// the AES DUKPT terminal (load, next transaction, save, restore), CMAC.
pub const TERMINAL: &[Op] = &[
    op("PIN encipher (format 4, AES-128)", pin_encipher_iso4),
    op(
        "AES DUKPT terminal: load initial key, save",
        aes_terminal_load,
    ),
    Op {
        name: "AES DUKPT terminal: restore, next transaction, save",
        prepare: aes_terminal_prepare,
        run: aes_terminal_next,
    },
    op("AES-CMAC generate (64 B)", cmac_aes_generate),
    op("AES-CMAC verify (64 B)", cmac_aes_verify),
];

/// The rest of the kernel of issue 15's flash goal: what a switch, a TDES
/// terminal, an EMV issuer or a stored-value card reader adds (PIN blocks,
/// DUKPT, MACs, EMV, records, ECDSA).
pub const KERNEL: &[Op] = &[
    op("TDES block (key schedule + 1 block)", tdes_block),
    op("AES-128 block (key schedule + 1 block)", aes_block),
    op("PIN encipher (format 0, TDES)", pin_encipher_iso0),
    op("PIN decipher (format 4, AES-256)", pin_decipher_iso4),
    op("PIN translate (format 0 TDES -> 4 AES)", pin_translate),
    op("TDES DUKPT host: PIN key from BDK", tdes_host),
    op(
        "TDES DUKPT terminal: load initial key, save",
        tdes_terminal_load,
    ),
    Op {
        name: "TDES DUKPT terminal: restore, next transaction, save",
        prepare: tdes_terminal_prepare,
        run: tdes_terminal_next,
    },
    op("AES DUKPT host: PIN key from BDK", aes_host),
    op("retail MAC (64 B)", retail_mac),
    op("TDES-CMAC generate (64 B)", cmac_tdes),
    op("KBKDF AES-CMAC (16 B)", kbkdf),
    op("EMV ICC master key (option A)", emv_icc_mk),
    op("EMV session key + ARQC verify", emv_arqc),
    op("record verify + debit + seal", record_debit),
    op("record sign (ECDSA P-256)", record_sign),
    op("ECDSA P-256 public key", ecdsa_public_key),
    op("ECDSA P-256 sign", ecdsa_sign),
    op("ECDSA P-256 verify", ecdsa_verify),
];

/// What landed after issue 15's set: CBC, DUKPT transactions in one call,
/// key blocks into a terminal, card and PIN verification, the card
/// schemes' cryptogram versions. In the stack and instruction table, and
/// in a flash row of their own (no goal).
pub const LATER: &[Op] = &[
    op("AES-128-CBC encrypt (64 B)", cbc_aes),
    op("TDES-CBC decrypt (64 B)", cbc_tdes),
    Op {
        name: "AES DUKPT terminal request: PIN, 32 B data, CMAC, save",
        prepare: aes_terminal_prepare,
        run: aes_request,
    },
    Op {
        name: "TDES DUKPT terminal request: PIN, 24 B data, MAC, save",
        prepare: tdes_terminal_prepare,
        run: tdes_request,
    },
    op(
        "key block (D) into an AES DUKPT terminal, save",
        keyblock_aes_terminal,
    ),
    op(
        "key block (B) into a TDES DUKPT terminal, save",
        keyblock_tdes_terminal,
    ),
    op("PIN verify: format 0 block, Visa PVV", pin_verify_pvv),
    op(
        "PIN verify: format 0 block, IBM 3624 offset",
        pin_verify_ibm,
    ),
    op("CVV verify", cvv_verify),
    op("EMV Visa CVN 18: ARQC + ARPC from DE 55", emv_cvn18),
];

// ANSI X9.24-1:2009 Annex A.
const BDK: [u8; 16] = hex("0123456789ABCDEFFEDCBA9876543210");
const IPEK: [u8; 16] = hex("6AC292FAA1315B4D858AB3A3D7D5933A");
const TDES_KSN0: [u8; 10] = hex("FFFF9876543210E00000");
const PIN_KEY_0: [u8; 16] = hex("042666B49184CF5C68DE9628D0397B36");
const PAN: &[u8] = b"4012345678909";
const BLOCK_0: [u8; 8] = hex("1B9C1845EB993A7A");
// ISO 9564-1 format 4 example (Wpay developer hub), AES-256.
const F4_KEY: [u8; 32] = hex("62CB437131C129DF001D42676011975150506E2A382145FD9BDEA7EC5A339F63");
const F4_PAN: &[u8] = b"5237481234567895";
const F4_BLOCK: [u8; 16] = hex("060E768D21D709B5D2A3F9660A704B9D");
// The ANSI X9.24-3-2017 supplement.
const AES_BDK: [u8; 16] = hex("FEDCBA9876543210F1F1F1F1F1F1F1F1");
const AES_IK: [u8; 16] = hex("1273671EA26AC29AFA4D1084127652A1");
const AES_KSN0: [u8; 12] = hex("123456789012345600000000");
const AES_PIN_1: [u8; 16] = hex("AF8CB133A78F8DC2D1359F18527593FB");
// NIST SP 800-38B D.1 and D.5 keys; the message is 64 bytes of the
// examples' plaintext pattern.
const CMAC_AES_KEY: [u8; 16] = hex("2B7E151628AED2A6ABF7158809CF4F3C");
const CMAC_TDES_KEY: [u8; 16] = hex("4CF15134A2850DD58A3D10BA80570D38");
const MSG: [u8; 64] = hex(
    "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E5130C81C46A35CE411E5FBC1191A0A52EFF69F2445DF4F9B17AD2B417BE66C3710",
);
const CMAC_AES_TAG: [u8; 16] = hex("51F0BEBF7E3B9D92FC49741779363CFE");
// RFC 6979 A.2.5.
const ECDSA_X: [u8; 32] = hex("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721");
const ECDSA_U: [u8; 65] = hex(
    "0460FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB67903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299",
);
const ECDSA_SIG: [u8; 64] = hex(
    "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8",
);
// svr1-seal-verify.json seal-2.
const ISSUER: [u8; 16] = hex("DA443ED335F1E10F6CE5B7C2080E5C5C");
const RECORD: [u8; 96] = hex(
    "53565231BB1E386C4FD5079E01880300FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0005DD960000000000000000414D47442D4420200000000062256AA6973AAEE0EA1BC1850000000000000000000000003336F6A5AF28BDE638B439A3B2CF34A8",
);
// pyemv's examples (EMV 4.3 Book 2 Annex A).
const IMK: [u8; 16] = hex("0123456789ABCDEFFEDCBA9876543210");
const AC_DATA: [u8; 33] = hex("000000002000000000000000012400000080000124110309003804823E58000001");
const AC: [u8; 8] = hex("3B76CF10FECD8789");

fn pin_encipher_iso4(_: &mut Scratch) -> Result<(), Error> {
    let key = AesKey::from_slice(&black_box(AES_PIN_1))?;
    let c = AesPinBlockCipher::new(&key);
    let pin = Pin::from_digits(black_box(b"1234"))?;
    let pan = Pan::from_digits(black_box(PAN))?;
    let block = c.encipher(&pin, Some(&pan), &mut TestRng(black_box(7)))?;
    black_box(block.as_bytes());
    Ok(())
}

fn aes_terminal_load(s: &mut Scratch) -> Result<(), Error> {
    s.aes.update_initial_key(
        &AesKey::from_slice(&black_box(AES_IK))?,
        &AesKsn::from_bytes(black_box(AES_KSN0)),
    )?;
    s.state_len = s.aes.save_into(&mut s.state)?;
    black_box(&s.state);
    Ok(())
}

/// A state saved after Load Initial Key, and a terminal with no key (as
/// after a restart).
fn aes_terminal_prepare(s: &mut Scratch) -> Result<(), Error> {
    s.aes
        .update_initial_key(&AesKey::from_slice(&AES_IK)?, &AesKsn::from_bytes(AES_KSN0))?;
    s.state_len = s.aes.save_into(&mut s.state)?;
    s.aes = AesTerminal::new();
    Ok(())
}

fn aes_terminal_next(s: &mut Scratch) -> Result<(), Error> {
    let Scratch {
        state,
        state_len,
        aes,
        ..
    } = s;
    aes.restore(black_box(
        state.get(..*state_len).ok_or(Error::InvalidLength)?,
    ))?;
    let (ksn, key) = aes.next_transaction(KeyType::Aes128, KeyUsage::PinEncryption)?;
    black_box((ksn.as_bytes(), key.expose_secret()));
    *state_len = aes.save_into(state)?;
    black_box(state);
    Ok(())
}

fn cmac_aes_generate(_: &mut Scratch) -> Result<(), Error> {
    let c = AesCmac::new(&AesKey::from_slice(&black_box(CMAC_AES_KEY))?);
    black_box(c.compute(black_box(&MSG)));
    Ok(())
}

fn cmac_aes_verify(_: &mut Scratch) -> Result<(), Error> {
    let c = AesCmac::new(&AesKey::from_slice(&black_box(CMAC_AES_KEY))?);
    black_box(bool::from(c.verify(
        black_box(&MSG),
        black_box(&CMAC_AES_TAG),
        16,
    )?));
    Ok(())
}

fn tdes_block(_: &mut Scratch) -> Result<(), Error> {
    let c = TdesCipher::new(&TdesKey::from_slice(&black_box(BDK))?);
    let mut b = black_box(BLOCK_0);
    c.encrypt_block(&mut b);
    black_box(b);
    Ok(())
}

fn aes_block(_: &mut Scratch) -> Result<(), Error> {
    let c = AesCipher::new(&AesKey::from_slice(&black_box(AES_BDK))?);
    let mut b = black_box(AES_PIN_1);
    c.encrypt_block(&mut b);
    black_box(b);
    Ok(())
}

fn pin_encipher_iso0(_: &mut Scratch) -> Result<(), Error> {
    let c = PinBlockCipher::new(black_box(Format::Iso0), &black_box(PIN_KEY_0))?;
    let pin = Pin::from_digits(black_box(b"1234"))?;
    let pan = Pan::from_digits(black_box(PAN))?;
    let block = c.encipher(&pin, Some(&pan), &mut TestRng(black_box(7)))?;
    black_box(block.as_bytes());
    Ok(())
}

fn pin_decipher_iso4(_: &mut Scratch) -> Result<(), Error> {
    let key = AesKey::from_slice(&black_box(F4_KEY))?;
    let c = PinBlockCipher::aes(&key);
    let pan = Pan::from_digits(black_box(F4_PAN))?;
    let pin = c.decipher(black_box(&F4_BLOCK), Some(&pan))?;
    black_box(pin.expose_secret());
    Ok(())
}

fn pin_translate(_: &mut Scratch) -> Result<(), Error> {
    let t = PinTranslator::new(
        PinBlockCipher::new(Format::Iso0, &black_box(PIN_KEY_0))?,
        PinBlockCipher::new(Format::Iso4, &black_box(AES_PIN_1))?,
    );
    let pan = Pan::from_digits(black_box(PAN))?;
    let out = t.translate(black_box(&BLOCK_0), Some(&pan), &mut TestRng(black_box(9)))?;
    black_box(out.as_bytes());
    Ok(())
}

fn tdes_host(_: &mut Scratch) -> Result<(), Error> {
    let key = tdes_dukpt::derive_working_key_from_bdk(
        &TdesKey::from_slice(&black_box(BDK))?,
        &TdesKsn::from_bytes(black_box(hex("FFFF9876543210E00015"))),
        Variant::Pin,
    )?;
    black_box(key.expose_secret());
    Ok(())
}

fn tdes_terminal_load(s: &mut Scratch) -> Result<(), Error> {
    s.tdes.update_initial_key(
        &TdesKey::from_slice(&black_box(IPEK))?,
        &TdesKsn::from_bytes(black_box(TDES_KSN0)),
    )?;
    s.state_len = s.tdes.save_into(&mut s.state)?;
    black_box(&s.state);
    Ok(())
}

/// A state saved after Load Initial Key, and a terminal with no key.
fn tdes_terminal_prepare(s: &mut Scratch) -> Result<(), Error> {
    s.tdes.update_initial_key(
        &TdesKey::from_slice(&IPEK)?,
        &TdesKsn::from_bytes(TDES_KSN0),
    )?;
    s.state_len = s.tdes.save_into(&mut s.state)?;
    s.tdes = TdesTerminal::new();
    Ok(())
}

fn tdes_terminal_next(s: &mut Scratch) -> Result<(), Error> {
    let Scratch {
        state,
        state_len,
        tdes,
        ..
    } = s;
    tdes.restore(black_box(
        state.get(..*state_len).ok_or(Error::InvalidLength)?,
    ))?;
    let (ksn, key) = tdes.next_transaction(Variant::Pin)?;
    black_box((ksn.as_bytes(), key.expose_secret()));
    *state_len = tdes.save_into(state)?;
    black_box(state);
    Ok(())
}

fn aes_host(_: &mut Scratch) -> Result<(), Error> {
    let key = aes_dukpt::derive_working_key_from_bdk(
        &AesKey::from_slice(&black_box(AES_BDK))?,
        &AesKsn::from_bytes(black_box(hex("123456789012345600000001"))),
        KeyType::Aes128,
        KeyUsage::PinEncryption,
    )?;
    black_box(key.expose_secret());
    Ok(())
}

fn retail_mac(_: &mut Scratch) -> Result<(), Error> {
    let m = RetailMac::new(&TdesKey::from_slice(&black_box(CMAC_TDES_KEY))?)?;
    black_box(m.compute(black_box(&MSG), paykernel::mac::Padding::Method2)?);
    Ok(())
}

fn cmac_tdes(_: &mut Scratch) -> Result<(), Error> {
    let c = TdesCmac::new(&TdesKey::from_slice(&black_box(CMAC_TDES_KEY))?);
    black_box(c.compute(black_box(&MSG)));
    Ok(())
}

fn kbkdf(_: &mut Scratch) -> Result<(), Error> {
    let mut out = [0u8; 16];
    kdf::kbkdf_cmac(
        &AesKey::from_slice(&black_box(CMAC_AES_KEY))?,
        black_box(&MSG),
        CounterWidth::Bits8,
        CounterLocation::Before,
        &mut out,
    )?;
    black_box(out);
    Ok(())
}

fn emv_icc_mk(_: &mut Scratch) -> Result<(), Error> {
    let pan: Pan = Pan::from_digits(black_box(b"12345678901234567"))?;
    let psn: Psn = "01".parse()?;
    let mk = emv::derive_icc_master_key(
        &TdesKey::from_slice(&black_box(IMK))?,
        &pan,
        psn,
        MasterKeyOption::A,
    )?;
    black_box(mk.expose_secret());
    Ok(())
}

fn emv_arqc(_: &mut Scratch) -> Result<(), Error> {
    let sk = emv::common_session_key(
        &TdesKey::from_slice(&black_box(IMK))?,
        &black_box(hex("001C000000000000")),
    )?;
    let k = AcSessionKey::new(&sk)?;
    black_box(bool::from(k.verify_ac(
        black_box(&AC_DATA),
        AcPadding::Method2,
        black_box(&AC),
        8,
    )?));
    Ok(())
}

fn record_debit(_: &mut Scratch) -> Result<(), Error> {
    let issuer = IssuerKey::from_slice(&black_box(ISSUER))?;
    let rec = black_box(RECORD);
    let card = issuer.card_key_for(&rec)?;
    let v = card.verify(&rec)?;
    // The sample record's balance is the largest there is: a debit of 1.
    let next = v.debit(Amount::new(1)?, b"TERM0001", black_box(1_700_000_000))?;
    black_box(next.as_bytes());
    Ok(())
}

fn ecdsa_public_key(_: &mut Scratch) -> Result<(), Error> {
    let k = SigningKey::from_slice(&black_box(ECDSA_X))?;
    black_box(k.public_key().to_compressed());
    Ok(())
}

fn ecdsa_sign(_: &mut Scratch) -> Result<(), Error> {
    let k = SigningKey::from_slice(&black_box(ECDSA_X))?;
    black_box(*k.sign(black_box(b"sample")).as_bytes());
    Ok(())
}

fn ecdsa_verify(_: &mut Scratch) -> Result<(), Error> {
    let pk = PublicKey::from_sec1(&black_box(ECDSA_U))?;
    black_box(pk.verify(black_box(b"sample"), black_box(&ECDSA_SIG)));
    Ok(())
}

fn record_sign(_: &mut Scratch) -> Result<(), Error> {
    let k = SigningKey::from_slice(&black_box(ECDSA_X))?;
    black_box(*record::sign_record(&k, black_box(&RECORD))?.as_bytes());
    Ok(())
}

fn cbc_aes(_: &mut Scratch) -> Result<(), Error> {
    // NIST SP 800-38A F.2.1.
    let c = AesCipher::new(&AesKey::from_slice(&black_box(CMAC_AES_KEY))?);
    let iv = AesIv::from_bytes(black_box(hex("000102030405060708090A0B0C0D0E0F")));
    let mut data = black_box(MSG);
    cbc::aes_encrypt(&c, &iv, &mut data)?;
    black_box(data);
    Ok(())
}

fn cbc_tdes(_: &mut Scratch) -> Result<(), Error> {
    let c = TdesCipher::new(&TdesKey::from_slice(&black_box(CMAC_TDES_KEY))?);
    let iv = TdesIv::from_bytes(black_box(hex("7D7FBF19E8562D32")));
    let mut data = black_box(MSG);
    cbc::tdes_decrypt(&c, &iv, &mut data)?;
    black_box(data);
    Ok(())
}

/// The terminal's whole transaction in one call, on the terminal kept in
/// place: restore, PIN block, data, request MAC, advance, save.
fn aes_request(s: &mut Scratch) -> Result<(), Error> {
    let Scratch {
        state,
        state_len,
        aes,
        ..
    } = s;
    aes.restore(black_box(
        state.get(..*state_len).ok_or(Error::InvalidLength)?,
    ))?;
    let pin = Pin::from_digits(black_box(b"1234"))?;
    let pan = Pan::from_digits(black_box(PAN))?;
    let mut data = [0u8; 32];
    if let Some(d) = data.get_mut(..17) {
        d.copy_from_slice(black_box(b"4012345678909D987"));
    }
    let out = aes_txn::terminal_request(
        aes,
        &KeyTypes::AES128,
        TerminalInput {
            pin: Some(PinEntry {
                pin: &pin,
                format: Format::Iso4,
                pan: Some(&pan),
            }),
            message: black_box(b"0200"),
            data: &mut data,
            iv: None,
            mac_len: 8,
        },
        &mut TestRng(black_box(11)),
    )?;
    black_box((&out, &data));
    *state_len = aes.save_into(state)?;
    black_box(state);
    Ok(())
}

fn tdes_request(s: &mut Scratch) -> Result<(), Error> {
    let Scratch {
        state,
        state_len,
        tdes,
        ..
    } = s;
    tdes.restore(black_box(
        state.get(..*state_len).ok_or(Error::InvalidLength)?,
    ))?;
    let pin = Pin::from_digits(black_box(b"1234"))?;
    let pan = Pan::from_digits(black_box(PAN))?;
    let mut data = [0u8; 24];
    if let Some(d) = data.get_mut(..17) {
        d.copy_from_slice(black_box(b"4012345678909D987"));
    }
    let out = tdes_txn::terminal_request(
        tdes,
        TerminalInput {
            pin: Some(PinEntry {
                pin: &pin,
                format: Format::Iso0,
                pan: Some(&pan),
            }),
            message: black_box(b"0200"),
            data: &mut data,
            iv: None,
            mac_len: 8,
        },
        &mut TestRng(black_box(13)),
    )?;
    black_box((&out, &data));
    *state_len = tdes.save_into(state)?;
    black_box(state);
    Ok(())
}

/// psec 1.3.0 wrapped the X9.24-3-2017 AES-128 initial key (ID
/// 1234567890123456) in this version D block (`keyblock::inject`'s
/// example).
const KBPK_D: [u8; 32] = hex("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6");
const BLOCK_D: &[u8] = b"D0176B1AX00N0200IK141234567890123456PB0C0000000093DCD1147C2D9B29F29516146BD50C7FADB07AA049AFD9A2505497DE18D7AE35DF599BD73C3950751B7182FE68234FF5E7CAC62BAEE7F547D3E54475C5667D54";
/// psec 1.3.0 wrapped the IPEK and initial KSN of X9.24-1:2009 A.4 in this
/// version B block.
const KBPK_B: [u8; 16] = hex("B8ED59E0A279A295E9F5ED7944FD06B9");
const BLOCK_B: &[u8] = b"B0120B1TX00N0100KS18FFFF9876543210E00000C88E27C8C1F2B49A1864A4BA9591EAB367EE5BDF0C6310DD914BC4404EF5BC13E536D8BE126D529D";

fn keyblock_aes_terminal(s: &mut Scratch) -> Result<(), Error> {
    let kbpk = Kbpk::from_slice(&black_box(KBPK_D), Version::D)?;
    load_aes_terminal_into(&kbpk, black_box(BLOCK_D), &mut s.aes)?;
    s.state_len = s.aes.save_into(&mut s.state)?;
    black_box(&s.state);
    Ok(())
}

fn keyblock_tdes_terminal(s: &mut Scratch) -> Result<(), Error> {
    let kbpk = Kbpk::from_slice(&black_box(KBPK_B), Version::B)?;
    load_tdes_terminal_into(&kbpk, black_box(BLOCK_B), &mut s.tdes)?;
    s.state_len = s.tdes.save_into(&mut s.state)?;
    black_box(&s.state);
    Ok(())
}

// psec 1.3.0's PVV and IBM 3624 examples (PIN 4524, PAN 1122334455667788);
// the block is format 0 of that PIN under X9.24-1 A.4's first PIN key.
const PVK: [u8; 16] = hex("0123456789ABCDEFFEDCBA9876543210");
const PSEC_PAN: &[u8] = b"1122334455667788";

fn pin_verify_pvv(_: &mut Scratch) -> Result<(), Error> {
    let pan = Pan::from_digits(black_box(PSEC_PAN))?;
    let block = PinBlockCipher::new(Format::Iso0, &PIN_KEY_0)?.encipher(
        &Pin::from_digits(b"4524")?,
        Some(&pan),
        &mut TestRng(1),
    )?;
    let v = PinVerifier::new(
        PinBlockCipher::new(Format::Iso0, &black_box(PIN_KEY_0))?,
        VisaPvv::new(&TdesKey::from_slice(&black_box(PVK))?),
    );
    let pvki = Pvki::from_digits(black_box(b"3"))?;
    let ok = v.verify(
        black_box(block.as_bytes()),
        &pan,
        pvki,
        &Pvv::from_digits(black_box(b"4021"))?,
    )?;
    black_box(bool::from(ok));
    Ok(())
}

fn pin_verify_ibm(_: &mut Scratch) -> Result<(), Error> {
    let pan = Pan::from_digits(black_box(PSEC_PAN))?;
    let block = PinBlockCipher::new(Format::Iso0, &PIN_KEY_0)?.encipher(
        &Pin::from_digits(b"4524")?,
        Some(&pan),
        &mut TestRng(1),
    )?;
    let v = PinVerifier::new(
        PinBlockCipher::new(Format::Iso0, &black_box(PIN_KEY_0))?,
        Ibm3624::new(
            &TdesKey::from_slice(&black_box(PVK))?,
            DecimalizationTable::from_digits(black_box(b"1234567890123456"))?,
            ValidationData::new(0, 16, b'F')?,
        ),
    );
    let ok = v.verify(
        black_box(block.as_bytes()),
        &pan,
        &Offset::from_digits(black_box(b"0000"))?,
    )?;
    black_box(bool::from(ok));
    Ok(())
}

fn cvv_verify(_: &mut Scratch) -> Result<(), Error> {
    // The classic Visa CVV example: 561.
    let cvk = Cvk::new(&TdesKey::from_slice(&black_box(PVK))?)?;
    let pan = Pan::from_digits(black_box(b"4123456789012345"))?;
    let ok = cvk.verify(
        &pan,
        &"8701".parse()?,
        &"101".parse()?,
        &Cvv::from_digits(black_box(b"561"))?,
    );
    black_box(ok);
    Ok(())
}

fn emv_cvn18(_: &mut Scratch) -> Result<(), Error> {
    // pyemv 1.5.0 tests/test_cvn_hsm.py: Visa CVN 18 from DE 55.
    let imk = TdesKey::from_slice(&black_box(IMK))?;
    let pan = Pan::from_digits(black_box(b"1234567890123456"))?;
    let de55: [u8; 80] = black_box(hex(
        "9F02060000000040009F03060000000000009F1A020124950580000480005F2A0201249A031911059C01019F370452BF4585820218009F3602001C9F100706011203A0B8009F26087A788EA6B8A3E733",
    ));
    let r = Cvn::Visa18.authorise_de55(
        &imk,
        &pan,
        Psn::ABSENT,
        &de55,
        CvrSource::FromIad,
        AuthorisationResponse::Method2 {
            csu: [0; 4],
            prop: &[],
        },
    )?;
    black_box((r.valid(), r.arpc().as_bytes()));
    Ok(())
}

/// SplitMix64 with a public seed: the PIN fill's random source. Not
/// secure: only for measuring.
struct TestRng(u64);

impl TryRng for TestRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.try_next_u64()? >> 32) as u32)
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Ok(z ^ (z >> 31))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let v = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        Ok(())
    }
}

impl TryCryptoRng for TestRng {}

/// Hex digits to bytes at compile time.
const fn hex<const N: usize>(s: &str) -> [u8; N] {
    let b = s.as_bytes();
    assert!(b.len() == 2 * N);
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = (nibble(b[2 * i]) << 4) | nibble(b[2 * i + 1]);
        i += 1;
    }
    out
}

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'A'..=b'F' => c - b'A' + 10,
        _ => panic!("not a hex digit"),
    }
}
