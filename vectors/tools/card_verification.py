#!/usr/bin/env python3
"""Generate vectors/card-verification-independent.json: card and PIN
verification cases whose expected values come from implementations other
than paykernel.

- CVV / CVV2 / iCVV: psec 1.3.0 `psec.cvv.generate_cvv`.
- Visa PVV: psec 1.3.0 `psec.pin.generate_visa_pvv` (it takes exactly 4 PIN
  digits: it is given the PIN's 4 leftmost, as docs/vectors.md defines the TSP).
- IBM 3624: psec 1.3.0 `psec.pin.generate_ibm3624_offset` and
  `generate_ibm3624_pin`.
- CVC3: pyemv 1.5.0 `pyemv.cvv.generate_cvc3`, with the card's CVC3 key
  derived from a random issuer key by pyemv's `derive_icc_mk_a` /
  `derive_icc_mk_b`; pyemv returns `str(int)`, written here with the
  leading zeros docs/vectors.md keeps (5 digits).
- pin.verify: the PIN blocks are made by psec (formats 0, 2, 3 encoded,
  format 4 enciphered) and pyca/cryptography 48 (TDES), format 1 and the
  12-digit-PAN account field laid out here from ISO 9564-1; the reference
  values (PVV, offset) come from psec as above, and the expected answer is
  whether psec's value for the PIN in the block equals the one given.

Every value psec or pyemv gives is recomputed here from docs/vectors.md's
definitions with pyca/cryptography's TDES and AES ("reference_*" below),
and the script stops on any disagreement. Where psec cannot give a value
the case is computed by that reference alone and its id says so:
`cvv-letters-*` (a block with fewer than 3 decimal digits: psec's CVV
takes decimal digits only and would return fewer than 3). Refusals follow
docs/vectors.md (psec accepts some of them: a validation-data length of 0, for
instance).

Keys, PANs (12 to 19 digits), PINs (4 to 12; 4 to 16 for IBM 3624),
decimalization tables (every digit 0-9 in a random order, then 6 random
repeats, shuffled), validation-data parameters, fills and blocks are
random from a fixed seed, so running the script again writes the same
file. Run by hand:

    pip install psec==1.3.0 pyemv==1.5.0 cryptography==48.0.0
    python3 vectors/tools/card_verification.py
"""

from __future__ import annotations

import random
import sys
import warnings
from importlib.metadata import version

import psec.cvv
import psec.pin
import psec.pinblock as pb
import pyemv.cvv
import pyemv.kd
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

try:
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
except ImportError:  # older pyca/cryptography
    from cryptography.hazmat.primitives.ciphers.algorithms import TripleDES

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
from common import case, write_suite  # noqa: E402

warnings.filterwarnings("ignore")

SEED = 3624
rng = random.Random(SEED)

DIGITS = "0123456789"
HEX = "0123456789ABCDEF"


# --- primitives (pyca/cryptography) ---------------------------------------


def tdes(key: bytes, block: bytes) -> bytes:
    e = Cipher(TripleDES(key), modes.ECB()).encryptor()
    return e.update(block) + e.finalize()


def tdes_dec(key: bytes, block: bytes) -> bytes:
    d = Cipher(TripleDES(key), modes.ECB()).decryptor()
    return d.update(block) + d.finalize()


def aes(key: bytes, block: bytes) -> bytes:
    e = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return e.update(block) + e.finalize()


def aes_dec(key: bytes, block: bytes) -> bytes:
    d = Cipher(algorithms.AES(key), modes.ECB()).decryptor()
    return d.update(block) + d.finalize()


def xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b))


def digits(n: int) -> str:
    return "".join(rng.choice(DIGITS) for _ in range(n))


def hexs(n: int, alphabet: str = HEX) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def hx(b: bytes) -> str:
    return b.hex().upper()


def pan_of(n: int | None = None) -> str:
    return digits(n or rng.randint(12, 19))


def table() -> str:
    """A valid table: 0-9 once each, 6 random repeats, shuffled."""
    t = list(DIGITS) + [rng.choice(DIGITS) for _ in range(6)]
    rng.shuffle(t)
    return "".join(t)


# --- references from docs/vectors.md (independent of psec and pyemv) -----------


def decimalize(block: bytes, n: int) -> str:
    h = block.hex().upper()
    out = [c for c in h if c in DIGITS] + [str(int(c, 16) - 10) for c in h if c not in DIGITS]
    return "".join(out[:n])


def reference_cvv(cvk: bytes, pan: str, expiry: str, sc: str) -> str:
    d = (pan + expiry + sc).ljust(32, "0")
    d1, d2 = bytes.fromhex(d[:16]), bytes.fromhex(d[16:])
    return decimalize(tdes(cvk, xor(tdes(cvk[:8], d1), d2)), 3)


def reference_pvv(pvk: bytes, pvki: str, pin: str, pan: str) -> str:
    tsp = pan[:-1][-11:] + pvki + pin[:4]
    return decimalize(tdes(pvk, bytes.fromhex(tsp)), 4)


def reference_natural(pvk: bytes, table_: str, pan: str, start: int, length: int, pad: str) -> str:
    vd = pan[start : start + length].ljust(16, pad.upper())
    h = tdes(pvk, bytes.fromhex(vd)).hex().upper()
    return "".join(table_[int(c, 16)] for c in h)


def reference_offset(pvk, table_, pan, start, length, pad, pin) -> str:
    nat = reference_natural(pvk, table_, pan, start, length, pad)
    return "".join(str((int(p) - int(n)) % 10) for p, n in zip(pin, nat))


def reference_pin(pvk, table_, pan, start, length, pad, offset) -> str:
    nat = reference_natural(pvk, table_, pan, start, length, pad)
    return "".join(str((int(o) + int(n)) % 10) for o, n in zip(offset, nat))


def retail_mac_pad2(key: bytes, data: bytes) -> bytes:
    """ISO/IEC 9797-1 MAC algorithm 3, padding method 2, 8 bytes."""
    m = data + b"\x80"
    m += b"\x00" * (-len(m) % 8)
    h = bytes(8)
    for i in range(0, len(m), 8):
        h = tdes(key[:8], xor(h, m[i : i + 8]))
    return tdes(key[:8], tdes_dec(key[8:], h))


def reference_cvc3(key: bytes, track: bytes, atc: bytes, un: bytes) -> str:
    iv = retail_mac_pad2(key, track)[-2:]
    v = tdes(key, iv + un + atc)[-2:]
    return f"{int.from_bytes(v, 'big'):05d}"


# --- PIN blocks (psec and ISO 9564-1 layout) ------------------------------


class Patched:
    """Feeds psec's random draws with chosen values (format 3 draws with
    secrets.choice, format 4 with os.urandom)."""

    def __init__(self, fmt: int, fill: str):
        self.fmt, self.fill = fmt, fill

    def __enter__(self):
        self.saved = (pb._secrets, pb._urandom)
        if self.fmt == 3:
            chars = iter(self.fill + "A" * (10 - len(self.fill)))

            class Choice:
                @staticmethod
                def choice(_alphabet):
                    return next(chars)

            pb._secrets = Choice
        if self.fmt == 4:
            data = bytes.fromhex(self.fill)
            pb._urandom = lambda n: data[:n]
        return self

    def __exit__(self, *exc):
        pb._secrets, pb._urandom = self.saved


def account_field(pan: str) -> bytes:
    return bytes.fromhex("0000" + pan[:-1][-12:].rjust(12, "0"))


def fill_for(fmt: int, pin: str) -> str:
    if fmt == 1:
        return hexs(14 - len(pin))
    if fmt == 3:
        return hexs(14 - len(pin), "ABCDEF")
    if fmt == 4:
        return hexs(16)
    return ""


def make_block(fmt: int, key: bytes, pin: str, pan: str) -> bytes:
    fill = fill_for(fmt, pin)
    if fmt == 4:
        with Patched(4, fill):
            return pb.encipher_pinblock_iso_4(key, pin, pan)
    if fmt == 1:
        clear = bytes.fromhex(f"1{len(pin):X}{pin}{fill}")
    elif fmt == 2:
        clear = pb.encode_pinblock_iso_2(pin)
    elif len(pan) == 12:
        pad = "F" * (14 - len(pin)) if fmt == 0 else fill
        clear = xor(bytes.fromhex(f"{fmt}{len(pin):X}{pin}{pad}"), account_field(pan))
    elif fmt == 0:
        clear = pb.encode_pinblock_iso_0(pin, pan)
    else:
        with Patched(3, fill):
            clear = pb.encode_pinblock_iso_3(pin, pan)
    return tdes(key, clear)


def broken_block(fmt: int, key: bytes, pan: str, fault: str) -> bytes:
    """A block whose clear field breaks one ISO 9564-1 rule."""
    pin = digits(rng.randint(4, 10))
    n = len(pin)
    fill = {0: "F" * 16, 1: hexs(16), 2: "F" * 16, 3: hexs(16, "ABCDEF"), 4: "A" * 16}[fmt]
    control, length, body = str(fmt), f"{n:X}", pin + fill[: 14 - n]
    if fault == "control":
        control = rng.choice([c for c in "0123456789ABCDEF" if c != str(fmt)])
    elif fault == "length":
        length = rng.choice("0123DEF")
        body = (pin + fill)[:14]
    elif fault == "digit":
        body = pin[:1] + rng.choice("ABCDEF") + pin[2:] + fill[: 14 - n]
    elif fault == "fill":
        bad = {0: "0123456789ABCDE", 2: "0123456789ABCDE", 3: DIGITS, 4: "0123456789BCDEF"}[fmt]
        body = pin + fill[: 13 - n] + rng.choice(bad)
    field = bytes.fromhex(control + length + body)
    if fmt == 4:
        a = aes(key, field + bytes.fromhex(hexs(16)))
        pan_field = bytes.fromhex((str(len(pan) - 12) + pan).ljust(32, "0"))
        return aes(key, xor(a, pan_field))
    if fmt in (0, 3):
        field = xor(field, account_field(pan))
    return tdes(key, field)


def reference_decipher(fmt: int, key: bytes, block: bytes, pan: str) -> str | None:
    """The PIN in a block by the ISO 9564-1 rules, or None if it breaks one."""
    if fmt == 4:
        pan_field = bytes.fromhex((str(len(pan) - 12) + pan).ljust(32, "0"))
        field = aes_dec(key, xor(aes_dec(key, block), pan_field))[:8]
    else:
        field = tdes_dec(key, block)
        if fmt in (0, 3):
            field = xor(field, account_field(pan))
    h = field.hex().upper()
    n = int(h[1], 16)
    if h[0] != str(fmt) or not 4 <= n <= 12 or not h[2 : 2 + n].isdigit():
        return None
    rest = h[2 + n :]
    ok = {
        0: all(c == "F" for c in rest),
        1: True,
        2: all(c == "F" for c in rest),
        3: all(c in "ABCDEF" for c in rest),
        4: all(c == "A" for c in rest),
    }[fmt]
    return h[2 : 2 + n] if ok else None


def pin_key(fmt: int, length: int | None = None) -> bytes:
    return rng.randbytes(length or rng.choice([16, 24, 32] if fmt == 4 else [8, 16, 24]))


# --- the values, psec / pyemv checked against the references --------------


def cvv(cvk: bytes, pan: str, expiry: str, sc: str) -> str:
    got = psec.cvv.generate_cvv(cvk, pan, expiry, sc)
    ref = reference_cvv(cvk, pan, expiry, sc)
    if len(got) == 3:
        assert got == ref, (hx(cvk), pan, expiry, sc, got, ref)
    else:  # psec found fewer than 3 decimal digits
        assert ref.startswith(got)
    return ref


def pvv(pvk: bytes, pvki: str, pin: str, pan: str) -> str:
    got = psec.pin.generate_visa_pvv(pvk, pvki, pin[:4], pan)
    assert got == reference_pvv(pvk, pvki, pin, pan), (hx(pvk), pvki, pin, pan)
    return got


def ibm_offset(pvk, table_, pan, start, length, pad, pin) -> str:
    got = psec.pin.generate_ibm3624_offset(pvk, table_, pin, pan, start, length, pad)
    assert got == reference_offset(pvk, table_, pan, start, length, pad, pin)
    return got


def ibm_pin(pvk, table_, pan, start, length, pad, offset) -> str:
    got = psec.pin.generate_ibm3624_pin(pvk, table_, offset, pan, start, length, pad)
    assert got == reference_pin(pvk, table_, pan, start, length, pad, offset)
    return got


def cvc3(key: bytes, track: bytes, atc: bytes, un: bytes) -> str:
    got = pyemv.cvv.generate_cvc3(key, track, atc, un).zfill(5)
    assert got == reference_cvc3(key, track, atc, un)
    return got


cases: list[dict] = []


def add(cid: str, op: str, params: dict, expect: dict) -> None:
    cases.append(case(cid, op, params, expect))


def error(kind: str) -> dict:
    return {"error": kind}


# --- CVV -------------------------------------------------------------------


def cvv_params(cvk, pan, expiry, sc):
    return {"cvk": hx(cvk), "pan": pan, "expiry": expiry, "service_code": sc}


def other_cvv(right: str) -> str:
    while True:
        c = digits(3)
        if c != right:
            return c


for i in range(60):
    cvk = rng.randbytes(16)
    pan = pan_of(12 + i % 8 if i < 16 else None)
    expiry = digits(4)
    sc = ["000", "999", digits(3)][i % 3]
    value = cvv(cvk, pan, expiry, sc)
    params = cvv_params(cvk, pan, expiry, sc)
    add(f"cvv-{i + 1:03}", "cvv.generate", params, {"cvv": value})
    if i < 40:
        add(f"cvv-{i + 1:03}-verify", "cvv.verify", {**params, "cvv": value}, {"valid": True})
        add(f"cvv-{i + 1:03}-wrong", "cvv.verify", {**params, "cvv": other_cvv(value)}, {"valid": False})
for i, bad in enumerate(["12", "1234", "12A", "", " 12", "1 2"]):
    cvk, pan, expiry = rng.randbytes(16), pan_of(), digits(4)
    add(
        f"cvv-malformed-{i + 1}",
        "cvv.verify",
        {**cvv_params(cvk, pan, expiry, "101"), "cvv": bad},
        {"valid": False},
    )

# Blocks with fewer than 3 decimal digits: the A-F pass (reference only).
found = 0
while found < 3:
    cvk, pan, expiry, sc = rng.randbytes(16), pan_of(16), digits(4), digits(3)
    d = (pan + expiry + sc).ljust(32, "0")
    block = tdes(cvk, xor(tdes(cvk[:8], bytes.fromhex(d[:16])), bytes.fromhex(d[16:])))
    if sum(c in DIGITS for c in block.hex()) < 3:
        found += 1
        value = reference_cvv(cvk, pan, expiry, sc)
        params = cvv_params(cvk, pan, expiry, sc)
        add(f"cvv-letters-{found}", "cvv.generate", params, {"cvv": value})
        add(f"cvv-letters-{found}-verify", "cvv.verify", {**params, "cvv": value}, {"valid": True})

# Refusals, for both ops.
base = cvv_params(rng.randbytes(16), pan_of(16), digits(4), "101")
refusals = [
    ("cvk-8", {"cvk": hx(rng.randbytes(8))}, "invalid-key"),
    ("cvk-24", {"cvk": hx(rng.randbytes(24))}, "invalid-key"),
    ("cvk-15", {"cvk": hx(rng.randbytes(15))}, "invalid-key"),
    ("cvk-not-hex", {"cvk": "0123456789ABCDEG" * 2}, "invalid-key"),
    ("pan-11", {"pan": pan_of(11)}, "invalid-pan"),
    ("pan-20", {"pan": pan_of(20)}, "invalid-pan"),
    ("pan-letter", {"pan": pan_of(15) + "A"}, "invalid-pan"),
    ("expiry-3", {"expiry": digits(3)}, "invalid-digits"),
    ("expiry-5", {"expiry": digits(5)}, "invalid-digits"),
    ("expiry-slash", {"expiry": "12/5"}, "invalid-digits"),
    ("service-code-2", {"service_code": digits(2)}, "invalid-digits"),
    ("service-code-4", {"service_code": digits(4)}, "invalid-digits"),
    ("service-code-letter", {"service_code": "1O1"}, "invalid-digits"),
]
for name, change, kind in refusals:
    add(f"cvv-refuse-{name}", "cvv.generate", {**base, **change}, error(kind))
    add(f"cvv-verify-refuse-{name}", "cvv.verify", {**base, **change, "cvv": "123"}, error(kind))

# --- Visa PVV --------------------------------------------------------------

for i in range(60):
    pvk = rng.randbytes([8, 16, 24][i % 3])
    pvki, pin, pan = digits(1), digits(rng.randint(4, 12)), pan_of(12 + i % 8 if i < 16 else None)
    add(
        f"pvv-{i + 1:03}",
        "pin.visa_pvv",
        {"pvk": hx(pvk), "pvki": pvki, "pin": pin, "pan": pan},
        {"pvv": pvv(pvk, pvki, pin, pan)},
    )
# TSPs whose encipherment has fewer than 4 decimal digits: psec's A-F pass.
found = 0
while found < 4:
    pvk, pvki, pin, pan = rng.randbytes(16), digits(1), digits(4), pan_of(16)
    enc = tdes(pvk, bytes.fromhex(pan[:-1][-11:] + pvki + pin))
    if sum(c in DIGITS for c in enc.hex()) < 4:
        found += 1
        add(
            f"pvv-letters-{found}",
            "pin.visa_pvv",
            {"pvk": hx(pvk), "pvki": pvki, "pin": pin, "pan": pan},
            {"pvv": pvv(pvk, pvki, pin, pan)},
        )
base = {"pvk": hx(rng.randbytes(16)), "pvki": "1", "pin": digits(4), "pan": pan_of(16)}
for name, change, kind in [
    ("pvk-7", {"pvk": hx(rng.randbytes(7))}, "invalid-key"),
    ("pvk-32", {"pvk": hx(rng.randbytes(32))}, "invalid-key"),
    ("pvki-empty", {"pvki": ""}, "invalid-digits"),
    ("pvki-2", {"pvki": "12"}, "invalid-digits"),
    ("pvki-letter", {"pvki": "A"}, "invalid-digits"),
    ("pin-3", {"pin": digits(3)}, "invalid-pin"),
    ("pin-13", {"pin": digits(13)}, "invalid-pin"),
    ("pin-letter", {"pin": "12A4"}, "invalid-pin"),
    ("pan-11", {"pan": pan_of(11)}, "invalid-pan"),
    ("pan-20", {"pan": pan_of(20)}, "invalid-pan"),
]:
    add(f"pvv-refuse-{name}", "pin.visa_pvv", {**base, **change}, error(kind))

# --- IBM 3624 --------------------------------------------------------------


def validation(pan: str) -> tuple[int, int, str]:
    length = rng.randint(1, min(16, len(pan)))
    start = rng.randint(0, len(pan) - length)
    pad = rng.choice(HEX + "abcdef")
    return start, length, pad


def ibm_params(pvk, table_, pan, start, length, pad) -> dict:
    return {
        "pvk": hx(pvk),
        "conversion_table": table_,
        "pan": pan,
        "pan_verify_offset": start,
        "pan_verify_length": length,
        "pan_pad": pad,
    }


for i in range(70):
    pvk, t, pan = rng.randbytes([8, 16, 24][i % 3]), table(), pan_of()
    start, length, pad = validation(pan)
    if i < 8:  # the common layouts: the whole PAN, or 12 digits from 0
        start, length, pad = 0, min(16, len(pan)), "F"
    pin = digits(4 + i % 13)  # 4 to 16 digits
    params = ibm_params(pvk, t, pan, start, length, pad)
    offset = ibm_offset(pvk, t, pan, start, length, pad, pin)
    add(f"ibm3624-offset-{i + 1:03}", "pin.ibm3624.offset", {**params, "pin": pin}, {"offset": offset})
    other = digits(rng.randint(4, 16))
    add(
        f"ibm3624-pin-{i + 1:03}",
        "pin.ibm3624.pin",
        {**params, "offset": other},
        {"pin": ibm_pin(pvk, t, pan, start, length, pad, other)},
    )
    if i < 20:  # the natural PIN and the round trip
        zeros = "0" * len(pin)
        add(
            f"ibm3624-natural-{i + 1:03}",
            "pin.ibm3624.pin",
            {**params, "offset": zeros},
            {"pin": ibm_pin(pvk, t, pan, start, length, pad, zeros)},
        )
        add(f"ibm3624-back-{i + 1:03}", "pin.ibm3624.pin", {**params, "offset": offset}, {"pin": pin})

pvk, pan = rng.randbytes(16), pan_of(16)
base = ibm_params(pvk, table(), pan, 0, 16, "F")
bad_tables = [
    ("table-missing-9", "0123456780123456"),
    ("table-missing-0", "1234567891234567"),
    ("table-one-digit", "0000000000000000"),
    ("table-15", "012345678901234"),
    ("table-17", "01234567890123456"),
    ("table-hex", "0123456789ABCDEF"),
    ("table-space", "0123456789 12345"),
    ("table-empty", ""),
]
ibm_refusals = [(n, {"conversion_table": t}, "invalid-decimalization-table") for n, t in bad_tables] + [
    ("length-0", {"pan_verify_length": 0}, "invalid-length"),
    ("length-17", {"pan_verify_length": 17}, "invalid-length"),
    ("past-pan-end", {"pan_verify_offset": 1}, "invalid-length"),
    ("offset-past-pan", {"pan_verify_offset": 16, "pan_verify_length": 1}, "invalid-length"),
    ("pad-G", {"pan_pad": "G"}, "invalid-digits"),
    ("pad-2", {"pan_pad": "FF"}, "invalid-digits"),
    ("pad-empty", {"pan_pad": ""}, "invalid-digits"),
    ("pvk-9", {"pvk": hx(rng.randbytes(9))}, "invalid-key"),
    ("pan-11", {"pan": pan_of(11)}, "invalid-pan"),
]
for name, change, kind in ibm_refusals:
    add(f"ibm3624-offset-refuse-{name}", "pin.ibm3624.offset", {**base, **change, "pin": "1234"}, error(kind))
    add(f"ibm3624-pin-refuse-{name}", "pin.ibm3624.pin", {**base, **change, "offset": "0000"}, error(kind))
for name, pin in [("pin-3", "123"), ("pin-17", digits(17)), ("pin-letter", "12B4")]:
    add(f"ibm3624-offset-refuse-{name}", "pin.ibm3624.offset", {**base, "pin": pin}, error("invalid-pin"))
for name, offset in [("offset-3", "000"), ("offset-17", "0" * 17), ("offset-letter", "00A0")]:
    add(f"ibm3624-pin-refuse-{name}", "pin.ibm3624.pin", {**base, "offset": offset}, error("invalid-digits"))

# --- CVC3 ------------------------------------------------------------------


def track2(pan: str) -> bytes:
    t = pan + "D" + digits(4) + digits(3) + digits(rng.randint(0, 13))
    if len(t) % 2:
        t += "F"
    return bytes.fromhex(t)


def track1(pan: str) -> bytes:
    name = rng.choice(["SMITH/JOHN", "DOE/JANE", "CARDHOLDER/VALUED", "TEST/CARD"])
    return f"B{pan}^{name}^{digits(4)}{digits(3)}{digits(rng.randint(0, 13))}".encode("ascii")


def cvc3_key(i: int) -> tuple[bytes, str]:
    imk, psn = rng.randbytes(16), digits(2)
    if i % 3 == 2:
        pan = pan_of(rng.randint(17, 19))
        return pyemv.kd.derive_icc_mk_b(imk, pan, psn), pan
    pan = pan_of()
    return pyemv.kd.derive_icc_mk_a(imk, pan, psn), pan


for i in range(40):
    key, pan = cvc3_key(i)
    track = track1(pan) if i % 4 == 3 else track2(pan)
    atc, un = rng.randbytes(2), rng.randbytes(4)
    if i < 4:  # small values: the leading zeros
        while int(cvc3(key, track, atc, un)) >= 10 ** (1 + i):
            un = rng.randbytes(4)
    add(
        f"cvc3-{i + 1:03}",
        "cvc3.generate",
        {"key": hx(key), "track": hx(track), "atc": hx(atc), "un": hx(un)},
        {"cvc3": cvc3(key, track, atc, un)},
    )
key, pan = cvc3_key(0)
base = {"key": hx(key), "track": hx(track2(pan)), "atc": hx(rng.randbytes(2)), "un": hx(rng.randbytes(4))}
for name, change, kind in [
    ("atc-1", {"atc": hx(rng.randbytes(1))}, "invalid-length"),
    ("atc-3", {"atc": hx(rng.randbytes(3))}, "invalid-length"),
    ("un-3", {"un": hx(rng.randbytes(3))}, "invalid-length"),
    ("un-5", {"un": hx(rng.randbytes(5))}, "invalid-length"),
    ("un-empty", {"un": ""}, "invalid-length"),
    ("key-8", {"key": hx(rng.randbytes(8))}, "invalid-key"),
    ("key-24", {"key": hx(rng.randbytes(24))}, "invalid-key"),
]:
    add(f"cvc3-refuse-{name}", "cvc3.generate", {**base, **change}, error(kind))

# --- pin.verify: every format, both methods --------------------------------


def verify_base(fmt: int, key: bytes, block: bytes, pan: str) -> dict:
    return {"format": fmt, "key": hx(key), "block": hx(block), "pan": pan}


def other_pin(pin: str) -> str:
    while True:
        p = digits(len(pin))
        if p != pin:
            return p


for fmt in range(5):
    for i in range(12):
        key = pin_key(fmt, ([16, 24, 32] if fmt == 4 else [8, 16, 24])[i % 3])
        pan = pan_of(12 + i if i < 8 else None)
        pin = digits(4 + (i * 5 + fmt) % 9)
        block = make_block(fmt, key, pin, pan)
        assert reference_decipher(fmt, key, block, pan) == pin

        # Visa PVV.
        pvk, pvki = rng.randbytes([16, 8, 24][i % 3]), digits(1)
        ref = pvv(pvk, pvki, pin, pan)
        p = {**verify_base(fmt, key, block, pan), "method": "visa-pvv", "pvk": hx(pvk), "pvki": pvki}
        add(f"verify-f{fmt}-pvv-{i + 1:02}", "pin.verify", {**p, "pvv": ref}, {"valid": True})
        wrong = other_pin(pin)
        wrong_block = make_block(fmt, key, wrong, pan)
        add(
            f"verify-f{fmt}-pvv-{i + 1:02}-wrong-pin",
            "pin.verify",
            {**p, "block": hx(wrong_block), "pvv": ref},
            {"valid": pvv(pvk, pvki, wrong, pan) == ref},
        )
        if len(pin) > 4:  # only the 4 leftmost digits enter a PVV
            tail = pin[:4] + other_pin(pin[4:])
            add(
                f"verify-f{fmt}-pvv-{i + 1:02}-same-first-4",
                "pin.verify",
                {**p, "block": hx(make_block(fmt, key, tail, pan)), "pvv": ref},
                {"valid": True},
            )
        if i < 3:
            bad_pvv = ["402", "40211", "40A1"][i]
            add(f"verify-f{fmt}-pvv-malformed-{i + 1}", "pin.verify", {**p, "pvv": bad_pvv}, {"valid": False})

        # IBM 3624.
        pvk, t = rng.randbytes([8, 16, 24][i % 3]), table()
        start, length, pad = validation(pan)
        offset = ibm_offset(pvk, t, pan, start, length, pad, pin)
        p = {
            **verify_base(fmt, key, block, pan),
            "method": "ibm3624",
            **ibm_params(pvk, t, pan, start, length, pad),
        }
        add(f"verify-f{fmt}-ibm-{i + 1:02}", "pin.verify", {**p, "offset": offset}, {"valid": True})
        add(
            f"verify-f{fmt}-ibm-{i + 1:02}-wrong-pin",
            "pin.verify",
            {**p, "block": hx(wrong_block), "offset": offset},
            {"valid": ibm_offset(pvk, t, pan, start, length, pad, wrong) == offset},
        )
        # The same digits and one more: the offset of the longer PIN
        # matches the block's PIN on its first digits, not in length.
        if len(pin) < 12:
            longer = pin + digits(1)
            longer_offset = ibm_offset(pvk, t, pan, start, length, pad, longer)
            add(
                f"verify-f{fmt}-ibm-{i + 1:02}-longer-offset",
                "pin.verify",
                {**p, "offset": longer_offset},
                {"valid": False},
            )
        if i < 3:
            bad = ["000", "0" * 17, "00F0"][i]
            add(f"verify-f{fmt}-ibm-malformed-{i + 1}", "pin.verify", {**p, "offset": bad}, {"valid": False})
        if i == 3:  # an offset longer than any PIN block can carry
            long_offset = ibm_offset(pvk, t, pan, start, length, pad, pin + digits(16 - len(pin)))
            add(f"verify-f{fmt}-ibm-offset-16", "pin.verify", {**p, "offset": long_offset}, {"valid": False})

    # Blocks that break the format's rules.
    key, pan = pin_key(fmt), pan_of(16)
    pvk = rng.randbytes(16)
    faults = ["control", "length", "digit"] + ([] if fmt == 1 else ["fill"])
    for fault in faults:
        block = broken_block(fmt, key, pan, fault)
        assert reference_decipher(fmt, key, block, pan) is None
        for method, extra in [
            ("visa-pvv", {"pvk": hx(pvk), "pvki": "1", "pvv": "1234"}),
            ("ibm3624", {**ibm_params(pvk, table(), pan, 0, 16, "F"), "offset": "1234"}),
        ]:
            add(
                f"verify-f{fmt}-{method}-broken-{fault}",
                "pin.verify",
                {**verify_base(fmt, key, block, pan), "method": method, **extra},
                error("invalid-pin-block"),
            )
    wrong_size = rng.randbytes(16 if fmt != 4 else 8)
    add(
        f"verify-f{fmt}-wrong-size",
        "pin.verify",
        {**verify_base(fmt, key, wrong_size, pan), "method": "visa-pvv", "pvk": hx(pvk), "pvki": "1", "pvv": "1234"},
        error("invalid-pin-block"),
    )

# Refusals of the other parameters.
key, pan, pin = pin_key(0, 16), pan_of(16), digits(4)
block = make_block(0, key, pin, pan)
pvk = rng.randbytes(16)
pvv_base = {**verify_base(0, key, block, pan), "method": "visa-pvv", "pvk": hx(pvk), "pvki": "2", "pvv": pvv(pvk, "2", pin, pan)}
t = table()
ibm_base = {
    **verify_base(0, key, block, pan),
    "method": "ibm3624",
    **ibm_params(pvk, t, pan, 0, 16, "F"),
    "offset": ibm_offset(pvk, t, pan, 0, 16, "F", pin),
}
add("verify-pvv-control", "pin.verify", pvv_base, {"valid": True})
add("verify-ibm-control", "pin.verify", ibm_base, {"valid": True})
for name, b, change, kind in [
    ("format-5", pvv_base, {"format": 5}, "unsupported"),
    ("key-7", pvv_base, {"key": hx(rng.randbytes(7))}, "invalid-key"),
    ("key-aes-for-tdes", pvv_base, {"key": hx(rng.randbytes(32))}, "invalid-key"),
    ("pvk-12", pvv_base, {"pvk": hx(rng.randbytes(12))}, "invalid-key"),
    ("pvki-2", pvv_base, {"pvki": "10"}, "invalid-digits"),
    ("pvki-letter", pvv_base, {"pvki": "X"}, "invalid-digits"),
    ("pan-11", pvv_base, {"pan": pan_of(11)}, "invalid-pan"),
    ("block-not-hex", pvv_base, {"block": "ZZ" * 8}, "invalid-pin-block"),
    ("ibm-table", ibm_base, {"conversion_table": "1111111111111111"}, "invalid-decimalization-table"),
    ("ibm-table-missing-5", ibm_base, {"conversion_table": "0123467890123467"}, "invalid-decimalization-table"),
    ("ibm-length-0", ibm_base, {"pan_verify_length": 0}, "invalid-length"),
    ("ibm-past-pan", ibm_base, {"pan_verify_offset": 4, "pan_verify_length": 13}, "invalid-length"),
    ("ibm-pad", ibm_base, {"pan_pad": "Z"}, "invalid-digits"),
    ("ibm-pvk-17", ibm_base, {"pvk": hx(rng.randbytes(17))}, "invalid-key"),
    ("ibm-format-9", ibm_base, {"format": 9}, "unsupported"),
]:
    add(f"verify-refuse-{name}", "pin.verify", {**b, **change}, error(kind))

source = (
    "Generated by vectors/tools/card_verification.py (seed 3624): expected values from "
    f"psec {version('psec')} (generate_cvv, generate_visa_pvv with the PIN's 4 leftmost digits, "
    "generate_ibm3624_offset, generate_ibm3624_pin; PIN blocks: encode_pinblock_iso_0/2/3, "
    f"encipher_pinblock_iso_4) and pyemv {version('pyemv')} (generate_cvc3, zero-padded to 5 "
    "digits; ICC keys by derive_icc_mk_a/b), each recomputed from docs/vectors.md's definitions with "
    f"pyca/cryptography {version('cryptography')}; cvv-letters-* (fewer than 3 decimal digits, "
    "where psec's CVV stops short) and format 1 blocks from that reference alone; refusals and "
    "malformed-value answers from docs/vectors.md."
)
write_suite("card-verification-independent.json", "card-verification-independent", source, cases)
