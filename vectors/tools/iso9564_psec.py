#!/usr/bin/env python3
"""Generate vectors/iso9564-1-psec.json: ISO 9564-1 PIN block cases whose
expected values come from implementations other than paykernel.

- Formats 0, 2, 3 and 4: the plain-text PIN blocks / fields come from
  psec 1.3.0 (PyPI, `psec.pinblock`); format 4 is enciphered by psec's own
  `encipher_pinblock_iso_4`. Formats 0 to 3 are enciphered with TDES from
  pyca/cryptography 48 (ECB, one block).
- Format 1, which psec does not implement, is laid out here from ISO 9564-1
  (control 1, PIN length, PIN digits, the transaction-unique fill) and
  enciphered with pyca/cryptography.
- PANs of 12 digits for formats 0 and 3 (psec requires 13 or more) get the
  account number field of ISO 9564-1 built here: the 11 digits before the
  check digit, right-justified with one zero.

Every refusal case is checked here to be refused by psec's decoders too
(formats 0, 2, 3, 4) or by this script's reading of ISO 9564-1 (format 1).

The random PINs, PANs, keys and fills come from a fixed seed, so running
the script again writes the same file. Run by hand:

    pip install psec==1.3.0 cryptography==48.0.0
    python3 vectors/tools/iso9564_psec.py > vectors/iso9564-1-psec.json
"""

import json
import random
import sys
import warnings
from importlib.metadata import version

import psec.pinblock as pb
from cryptography.hazmat.primitives.ciphers import Cipher, modes

try:
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
except ImportError:  # older pyca/cryptography
    from cryptography.hazmat.primitives.ciphers.algorithms import TripleDES

warnings.filterwarnings("ignore")

SEED = 9564
rng = random.Random(SEED)

TDES_LENS = [8, 16, 24]
AES_LENS = [16, 24, 32]


def tdes_encrypt(key: bytes, block: bytes) -> bytes:
    e = Cipher(TripleDES(key), modes.ECB()).encryptor()
    return e.update(block) + e.finalize()


def tdes_decrypt(key: bytes, block: bytes) -> bytes:
    d = Cipher(TripleDES(key), modes.ECB()).decryptor()
    return d.update(block) + d.finalize()


def xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b))


def digits(n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def hexdigits(n: int, alphabet: str = "0123456789ABCDEF") -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def key_for(fmt: int, length: int | None = None) -> bytes:
    lens = AES_LENS if fmt == 4 else TDES_LENS
    return rng.randbytes(length or rng.choice(lens))


def pan_field_0(pan: str) -> bytes:
    """ISO 9564-1 account number field (formats 0 and 3), from the standard."""
    body = pan[:-1][-12:].rjust(12, "0")
    return bytes.fromhex("0000" + body)


class Patched:
    """Feeds psec's random draws with chosen values, so that a fill can be
    fixed: format 3 draws 10 characters with secrets.choice, format 4 draws
    8 bytes with os.urandom."""

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


def clear_block(fmt: int, pin: str, pan: str, fill: str) -> bytes:
    """The plain-text block XOR the PAN field (formats 0-3), from psec except
    for format 1 and for 12-digit PANs."""
    if fmt == 1:
        return bytes.fromhex(f"1{len(pin):X}{pin}{fill}")
    if fmt == 2:
        return pb.encode_pinblock_iso_2(pin)
    if len(pan) == 12:
        fixed = "F" * (14 - len(pin)) if fmt == 0 else fill
        field = bytes.fromhex(f"{fmt}{len(pin):X}{pin}{fixed}")
        return xor(field, pan_field_0(pan))
    if fmt == 0:
        return pb.encode_pinblock_iso_0(pin, pan)
    with Patched(3, fill):
        return pb.encode_pinblock_iso_3(pin, pan)


def encipher(fmt: int, key: bytes, pin: str, pan: str, fill: str) -> bytes:
    if fmt == 4:
        with Patched(4, fill):
            return pb.encipher_pinblock_iso_4(key, pin, pan)
    return tdes_encrypt(key, clear_block(fmt, pin, pan, fill))


def iso1_decode(block: bytes) -> str:
    """ISO 9564-1 format 1 checks: control 1, length 4-12, digits 0-9."""
    h = block.hex().upper()
    n = int(h[1], 16)
    if h[0] != "1" or not 4 <= n <= 12 or not h[2 : 2 + n].isdigit():
        raise ValueError("not a format 1 block")
    return h[2 : 2 + n]


def decipher_reference(fmt: int, key: bytes, block: bytes, pan: str) -> str:
    """psec's decoders (format 1: this script's), for cross-checks."""
    if fmt == 4:
        return pb.decipher_pinblock_iso_4(key, block, pan)
    clear = tdes_decrypt(key, block)
    if fmt == 1:
        return iso1_decode(clear)
    if fmt == 2:
        return pb.decode_pinblock_iso_2(clear)
    if len(pan) == 12:
        # psec takes pan[-13:-1] and wants 13 digits; a leading zero gives
        # the ISO 9564-1 field of a 12-digit PAN.
        pan = "0" + pan
    if fmt == 0:
        return pb.decode_pinblock_iso_0(clear, pan)
    return pb.decode_pinblock_iso_3(clear, pan)


def random_fill(fmt: int, pin: str) -> str | None:
    if fmt == 1:
        return hexdigits(14 - len(pin))
    if fmt == 3:
        return hexdigits(14 - len(pin), "ABCDEF")
    if fmt == 4:
        return hexdigits(16)
    return None


cases = []


def add(case_id: str, op: str, params: dict, expect: dict) -> None:
    cases.append({"id": case_id, "op": op, "params": params, "expect": expect})


def enc_params(fmt, key, pin, pan, fill):
    p = {"format": fmt, "key": key.hex().upper(), "pin": pin}
    if fmt in (0, 3, 4):
        p["pan"] = pan
    if fill is not None:
        p["fill"] = fill
    return p


def dec_params(fmt, key, block, pan):
    p = {"format": fmt, "key": key.hex().upper(), "block": block.hex().upper()}
    if fmt in (0, 3, 4):
        p["pan"] = pan
    return p


# --- Encipher and decipher, every format, every PIN length ----------------

for fmt in range(5):
    lengths = list(range(4, 13)) + [rng.randint(4, 12) for _ in range(3)]
    for i, n in enumerate(lengths):
        pin = digits(n)
        pan_len = 12 if i % 6 == 5 else rng.randint(13, 19)
        pan = digits(pan_len)
        key_len = (AES_LENS if fmt == 4 else TDES_LENS)[i % 3]
        key = key_for(fmt, key_len)
        fill = random_fill(fmt, pin)
        block = encipher(fmt, key, pin, pan, fill)
        assert decipher_reference(fmt, key, block, pan) == pin
        add(
            f"f{fmt}-enc-{i + 1:02}",
            "pin.encipher",
            enc_params(fmt, key, pin, pan, fill),
            {"block": block.hex().upper()},
        )
        add(
            f"f{fmt}-dec-{i + 1:02}",
            "pin.decipher",
            dec_params(fmt, key, block, pan),
            {"pin": pin},
        )

# A PAN given to a format that takes none is ignored; a fill given to a
# format without a random part too.
key = key_for(2, 16)
pin = digits(6)
block = encipher(2, key, pin, "", None)
add(
    "f2-enc-pan-and-fill-ignored",
    "pin.encipher",
    {"format": 2, "key": key.hex().upper(), "pin": pin, "pan": "4111111111111111", "fill": "ABC"},
    {"block": block.hex().upper()},
)
add(
    "f2-dec-pan-ignored",
    "pin.decipher",
    {"format": 2, "key": key.hex().upper(), "block": block.hex().upper(), "pan": "12"},
    {"pin": pin},
)
key = key_for(1, 24)
pin = digits(7)
fill = random_fill(1, pin)
block = encipher(1, key, pin, "", fill)
add(
    "f1-enc-pan-ignored",
    "pin.encipher",
    {"format": 1, "key": key.hex().upper(), "pin": pin, "pan": "4111111111111111", "fill": fill},
    {"block": block.hex().upper()},
)

# --- Translate: every ordered pair of formats ------------------------------

for src in range(5):
    for dst in range(5):
        pin = digits(rng.randint(4, 12))
        pan = digits(rng.randint(13, 19))
        k_in, k_out = key_for(src), key_for(dst)
        fill_in, fill_out = random_fill(src, pin), random_fill(dst, pin)
        block_in = encipher(src, k_in, pin, pan, fill_in)
        block_out = encipher(dst, k_out, pin, pan, fill_out)
        assert decipher_reference(dst, k_out, block_out, pan) == pin
        params = {
            "from": {"format": src, "key": k_in.hex().upper()},
            "to": {"format": dst, "key": k_out.hex().upper()},
            "block": block_in.hex().upper(),
        }
        if src in (0, 3, 4) or dst in (0, 3, 4) or rng.random() < 0.5:
            params["pan"] = pan
        if fill_out is not None:
            params["fill"] = fill_out
        add(f"translate-{src}-to-{dst}", "pin.translate", params, {"block": block_out.hex().upper()})

# --- Refusals: PIN, PAN, key ----------------------------------------------

def refuse(case_id, op, params, kind):
    add(case_id, op, params, {"error": kind})


good_pan = "4012345678909"
for fmt in range(5):
    key = key_for(fmt)
    for tag, bad in [("short", "123"), ("long", "1234567890123"), ("non-digit", "12a4"), ("empty", ""), ("space", "1234 ")]:
        fill = random_fill(fmt, "1234")
        refuse(f"f{fmt}-enc-pin-{tag}", "pin.encipher", enc_params(fmt, key, bad, good_pan, fill), "invalid-pin")

for fmt in (0, 3, 4):
    key = key_for(fmt)
    fill = random_fill(fmt, "1234")
    for tag, bad in [("11-digits", "40123456789"), ("20-digits", "40123456789012345678"), ("non-digit", "40123456789O9"), ("empty", "")]:
        refuse(f"f{fmt}-enc-pan-{tag}", "pin.encipher", enc_params(fmt, key, "1234", bad, fill), "invalid-pan")
        refuse(
            f"f{fmt}-dec-pan-{tag}",
            "pin.decipher",
            dec_params(fmt, key, bytes(8 if fmt < 4 else 16), bad),
            "invalid-pan",
        )

for fmt in range(5):
    wrong = [7, 15, 32, 33] if fmt < 4 else [8, 15, 17, 40]
    for n in wrong:
        key = rng.randbytes(n)
        fill = random_fill(fmt, "1234")
        refuse(f"f{fmt}-enc-key-{n}-bytes", "pin.encipher", enc_params(fmt, key, "1234", good_pan, fill), "invalid-key")
        refuse(
            f"f{fmt}-dec-key-{n}-bytes",
            "pin.decipher",
            dec_params(fmt, key, bytes(8 if fmt < 4 else 16), good_pan),
            "invalid-key",
        )

# --- Refusals: the fill given for a format with a random part --------------

key = key_for(1, 16)
refuse("f1-enc-fill-short", "pin.encipher", enc_params(1, key, "1234", good_pan, "0123456789"[:9]), "invalid-pin-block")
refuse("f1-enc-fill-long", "pin.encipher", enc_params(1, key, "1234", good_pan, "0123456789A"), "invalid-pin-block")
refuse("f1-enc-fill-not-hex", "pin.encipher", enc_params(1, key, "1234", good_pan, "012345678G"), "invalid-pin-block")
key = key_for(3, 16)
refuse("f3-enc-fill-9", "pin.encipher", enc_params(3, key, "1234", good_pan, "ABCDEF9ABC"), "invalid-pin-block")
refuse("f3-enc-fill-0", "pin.encipher", enc_params(3, key, "123456", good_pan, "0BCDEFAB"), "invalid-pin-block")
refuse("f3-enc-fill-short", "pin.encipher", enc_params(3, key, "1234", good_pan, "ABCDEFABC"), "invalid-pin-block")
key = key_for(4, 16)
refuse("f4-enc-fill-15", "pin.encipher", enc_params(4, key, "1234", good_pan, "0123456789ABCDE"), "invalid-pin-block")
refuse("f4-enc-fill-17", "pin.encipher", enc_params(4, key, "1234", good_pan, "0123456789ABCDEF0"), "invalid-pin-block")

# --- Refusals: blocks of the wrong size ------------------------------------

for fmt in range(5):
    key = key_for(fmt)
    for n in ([7, 9, 16] if fmt < 4 else [8, 15, 17, 32]):
        refuse(f"f{fmt}-dec-block-{n}-bytes", "pin.decipher", dec_params(fmt, key, rng.randbytes(n), good_pan), "invalid-pin-block")
    refuse(
        f"f{fmt}-dec-block-not-hex",
        "pin.decipher",
        {**dec_params(fmt, key, bytes(8), good_pan), "block": "00112233445566GG"},
        "invalid-pin-block",
    )

# --- Refusals: every rule of every format broken in a deciphered block -----

def seal_field(fmt: int, key: bytes, field_hex: str, pan: str) -> bytes:
    """Encipher a plain-text PIN field as the format does, rules or not."""
    field = bytes.fromhex(field_hex)
    if fmt == 4:
        pan_field = pb.encode_pan_field_iso_4(pan)
        a = pb._aes.encrypt_aes_ecb(key, field)
        return pb._aes.encrypt_aes_ecb(key, xor(a, pan_field))
    if fmt in (0, 3):
        field = xor(field, pan_field_0(pan))
    return tdes_encrypt(key, field)


def broken(fmt: int):
    """(name, plain-text field) pairs, each breaking one rule."""
    tail = hexdigits(16) if fmt == 4 else ""
    fill = {0: "F", 1: "7", 2: "F", 3: "C", 4: "A"}[fmt]
    ok = lambda n, pin: f"{fmt}{n:X}{pin}{fill * (14 - len(pin))}"  # noqa: E731
    out = []
    wrong_control = (fmt + 1) % 5
    out.append(("control", f"{wrong_control}4" + "1234" + fill * 10 + tail))
    out.append(("control-F", "F4" + "1234" + fill * 10 + tail))
    out.append(("length-3", ok(3, "123") + tail))
    out.append(("length-0", f"{fmt}0" + fill * 14 + tail))
    # Lengths 13 to 15 with 13+ digits (format 1's fill is free, so its
    # only objection is the length).
    out.append(("length-13", f"{fmt}D" + "1234567890123" + fill + tail))
    out.append(("length-15", f"{fmt}F" + "12345678901234" + tail))
    out.append(("digit-A-first", ok(4, "A234")[:16] + tail))
    out.append(("digit-F-last", ok(12, "12345678901F")[:16] + tail))
    out.append(("digit-C-middle", ok(6, "12C456")[:16] + tail))
    if fmt in (0, 2):
        out.append(("fill-E", f"{fmt}41234" + "F" * 9 + "E" + tail))
        out.append(("fill-0", f"{fmt}41234" + "0" + "F" * 9 + tail))
        out.append(("fill-A", f"{fmt}C123456789012" + "AF" + tail))
    if fmt == 3:
        out.append(("fill-9", "341234" + "ABCDEF" + "9" + "ABC" + tail))
        out.append(("fill-0-first", "341234" + "0" + "BCDEFABCD" + tail))
        out.append(("fill-0-last", "3C123456789012" + "A0" + tail))
    if fmt == 4:
        out.append(("fill-B", "441234" + "A" * 9 + "B" + tail))
        out.append(("fill-F", "441234" + "F" * 10 + tail))
        out.append(("fill-9-first", "4C123456789012" + "9A" + tail))
    return out


for fmt in range(5):
    key = key_for(fmt)
    pan = digits(16)
    for name, field in broken(fmt):
        block = seal_field(fmt, key, field, pan)
        try:
            got = decipher_reference(fmt, key, block, pan)
        except ValueError:
            got = None
        assert got is None, (fmt, name, field, got)
        refuse(f"f{fmt}-dec-bad-{name}", "pin.decipher", dec_params(fmt, key, block, pan), "invalid-pin-block")

# The right block under the wrong PAN (formats that use one): the fill or
# the control field no longer checks out.
for fmt in (0, 3, 4):
    key = key_for(fmt)
    pin = "1234"
    pan = "4012345678909"
    block = encipher(fmt, key, pin, pan, random_fill(fmt, pin))
    other = "4012345678919"
    try:
        got = decipher_reference(fmt, key, block, other)
    except ValueError:
        got = None
    if got is None:
        refuse(f"f{fmt}-dec-wrong-pan", "pin.decipher", dec_params(fmt, key, block, other), "invalid-pin-block")

# --- Refusals in translation ------------------------------------------------

k0, k4 = key_for(0, 16), key_for(4, 16)
pan = "5237481234567895"
bad_block = seal_field(0, k0, "0412A4FFFFFFFFFF", pan)
refuse(
    "translate-0-to-4-bad-block",
    "pin.translate",
    {"from": {"format": 0, "key": k0.hex().upper()}, "to": {"format": 4, "key": k4.hex().upper()},
     "block": bad_block.hex().upper(), "pan": pan, "fill": hexdigits(16)},
    "invalid-pin-block",
)
good_block = encipher(0, k0, "1234", pan, None)
refuse(
    "translate-4-to-0-block-size",
    "pin.translate",
    {"from": {"format": 4, "key": k4.hex().upper()}, "to": {"format": 0, "key": k0.hex().upper()},
     "block": good_block.hex().upper(), "pan": pan},
    "invalid-pin-block",
)
refuse(
    "translate-0-to-4-to-key-tdes-length",
    "pin.translate",
    {"from": {"format": 0, "key": k0.hex().upper()}, "to": {"format": 4, "key": key_for(0, 8).hex().upper()},
     "block": good_block.hex().upper(), "pan": pan, "fill": hexdigits(16)},
    "invalid-key",
)
refuse(
    "translate-4-to-0-from-key-length",
    "pin.translate",
    {"from": {"format": 4, "key": rng.randbytes(20).hex().upper()}, "to": {"format": 0, "key": k0.hex().upper()},
     "block": rng.randbytes(16).hex().upper(), "pan": pan},
    "invalid-key",
)
refuse(
    "translate-0-to-3-bad-pan",
    "pin.translate",
    {"from": {"format": 0, "key": k0.hex().upper()}, "to": {"format": 3, "key": k0.hex().upper()},
     "block": good_block.hex().upper(), "pan": "52374812345", "fill": "ABCDEFABCD"},
    "invalid-pan",
)
refuse(
    "translate-0-to-3-fill-short",
    "pin.translate",
    {"from": {"format": 0, "key": k0.hex().upper()}, "to": {"format": 3, "key": k0.hex().upper()},
     "block": good_block.hex().upper(), "pan": pan, "fill": "ABCDEFABC"},
    "invalid-pin-block",
)
refuse(
    "translate-0-to-1-fill-long",
    "pin.translate",
    {"from": {"format": 0, "key": k0.hex().upper()}, "to": {"format": 1, "key": k0.hex().upper()},
     "block": good_block.hex().upper(), "pan": pan, "fill": "0123456789A"},
    "invalid-pin-block",
)

suite = {
    "format": "paykernel-vectors/1",
    "suite": "iso9564-1-psec",
    "source": (
        f"Generated by vectors/tools/iso9564_psec.py (seed {SEED}) with psec {version('psec')} "
        f"(PyPI; ISO 9564 formats 0, 2, 3 plain-text blocks and format 4 encipherment) and "
        f"pyca/cryptography {version('cryptography')} (TDES and AES); format 1 and the "
        "12-digit-PAN account number field laid out in that script from ISO 9564-1. "
        "Refusals of deciphered blocks are confirmed by psec's decoders (format 1: the "
        "script's ISO 9564-1 checks)."
    ),
    "cases": cases,
}
json.dump(suite, sys.stdout, indent=1)
sys.stdout.write("\n")
print(f"{len(cases)} cases", file=sys.stderr)
