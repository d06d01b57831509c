#!/usr/bin/env python3
"""QA generator for card and PIN verification (docs/vectors.md, "Card and PIN verification").

Ops: `cvv.generate`, `cvv.verify`, `cvc3.generate`, `pin.visa_pvv`,
`pin.ibm3624.offset`, `pin.ibm3624.pin`, `pin.verify`. Every value is
computed twice: from docs/vectors.md over pyca/cryptography, and by psec 1.3.0
(CVV, PVV, IBM 3624, PIN blocks of formats 0, 2, 3 and 4) or pyemv 1.5.0
(CVC3), which must agree (psec takes only 16-byte PVKs and PINs of 4 to 12
digits; outside that the first computation stands alone). Refusals follow
docs/vectors.md's kinds.

    python3 vectors/tools/qa/card_qa.py --seed 1 --count 200 --out /tmp/qa/card.json
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import psec.cvv  # noqa: E402
import psec.pin  # noqa: E402
import psec.pinblock  # noqa: E402
import pyemv.cvv  # noqa: E402

from qacommon import (  # noqa: E402
    Gen,
    aes_ecb_enc,
    args,
    decimalize,
    pad2,
    retail_mac,
    tdes_ecb_dec,
    tdes_ecb_enc,
    version,
    write_suite,
    xor,
)

HEX = "0123456789ABCDEF"


# ------------------------------------------------------------- algorithms (from docs/vectors.md)


def cvv(cvk: bytes, pan: str, expiry: str, sc: str) -> str:
    d = (pan + expiry + sc).ljust(32, "0")
    d1, d2 = bytes.fromhex(d[:16]), bytes.fromhex(d[16:])
    x = tdes_ecb_enc(cvk[:8], d1)
    y = tdes_ecb_enc(cvk, xor(x, d2))
    return decimalize(y.hex(), 3)


def cvc3(key: bytes, track: bytes, atc: bytes, un: bytes) -> str:
    iv = retail_mac(key, pad2(track))[-2:]
    r = tdes_ecb_enc(key, iv + un + atc)[-2:]
    return f"{int.from_bytes(r, 'big'):05d}"


def pvv(pvk: bytes, pvki: str, pin: str, pan: str) -> str:
    tsp = pan[-12:-1] + pvki + pin[:4]
    return decimalize(tdes_ecb_enc(pvk, bytes.fromhex(tsp)).hex(), 4)


def natural_pin(pvk: bytes, table: str, pan: str, off: int, ln: int, pad: str, n: int) -> str:
    vd = pan[off : off + ln].ljust(16, pad.upper())
    e = tdes_ecb_enc(pvk, bytes.fromhex(vd)).hex().upper()
    return "".join(table[int(c, 16)] for c in e)[:n]


def ibm_offset(pvk, table, pin, pan, off, ln, pad) -> str:
    nat = natural_pin(pvk, table, pan, off, ln, pad, len(pin))
    return "".join(str((int(a) - int(b)) % 10) for a, b in zip(pin, nat))


def ibm_pin(pvk, table, offset, pan, off, ln, pad) -> str:
    nat = natural_pin(pvk, table, pan, off, ln, pad, len(offset))
    return "".join(str((int(a) + int(b)) % 10) for a, b in zip(nat, offset))


def pan_field_0(pan: str) -> bytes:
    return bytes.fromhex("0000" + pan[:-1][-12:].rjust(12, "0"))


def pin_field(fmt: int, pin: str, fill: str) -> str:
    """The clear PIN field's hex digits (16 for formats 0-3, 32 for format 4)."""
    n = len(pin)
    if fmt == 0:
        return "0" + f"{n:X}" + pin + "F" * (14 - n)
    if fmt == 1:
        return "1" + f"{n:X}" + pin + fill
    if fmt == 2:
        return "2" + f"{n:X}" + pin + "F" * (14 - n)
    if fmt == 3:
        return "3" + f"{n:X}" + pin + fill
    return "4" + f"{n:X}" + pin + "A" * (14 - n) + fill


def encipher(fmt: int, key: bytes, clear_field: str, pan: str) -> bytes:
    f = bytes.fromhex(clear_field)
    if fmt in (0, 3):
        return tdes_ecb_enc(key, xor(f, pan_field_0(pan)))
    if fmt in (1, 2):
        return tdes_ecb_enc(key, f)
    m = len(pan) - 12
    pf = bytes.fromhex((f"{m:X}" + pan).ljust(32, "0"))
    return aes_ecb_enc(key, xor(aes_ecb_enc(key, f), pf))


def fill_for(g: Gen, fmt: int, n: int) -> str:
    if fmt == 1:
        return "".join(g.choice(HEX) for _ in range(14 - n))
    if fmt == 3:
        return "".join(g.choice("ABCDEF") for _ in range(14 - n))
    if fmt == 4:
        return "".join(g.choice(HEX) for _ in range(16))
    return ""


def pin_block(g: Gen, fmt: int, key: bytes, pin: str, pan: str) -> bytes:
    field = pin_field(fmt, pin, fill_for(g, fmt, len(pin)))
    blk = encipher(fmt, key, field, pan)
    # psec decodes the same block to the same PIN (formats 0, 2, 3, 4)
    if fmt in (0, 3) and len(pan) < 13:
        pass  # psec takes PANs of 13 digits or more for formats 0 and 3
    elif fmt == 0:
        assert psec.pinblock.decode_pinblock_iso_0(tdes_ecb_dec(key, blk), pan) == pin
        if g.rng.random() < 0.3:
            assert tdes_ecb_enc(key, psec.pinblock.encode_pinblock_iso_0(pin, pan)) == blk
    elif fmt == 2:
        assert psec.pinblock.decode_pinblock_iso_2(tdes_ecb_dec(key, blk)) == pin
        assert tdes_ecb_enc(key, psec.pinblock.encode_pinblock_iso_2(pin)) == blk
    elif fmt == 3:
        assert psec.pinblock.decode_pinblock_iso_3(tdes_ecb_dec(key, blk), pan) == pin
    elif fmt == 4:
        assert psec.pinblock.decipher_pinblock_iso_4(key, blk, pan) == pin
    return blk


def broken_field(g: Gen, fmt: int, pin: str) -> str:
    """A clear PIN field that breaks exactly one rule of its format."""
    n = len(pin)
    fill = fill_for(g, fmt, n)
    good = pin_field(fmt, pin, fill)
    size = len(good)
    rules = ["control", "length", "digit"]
    if fmt in (0, 2):
        rules.append("pad-F")
    if fmt == 3:
        rules.append("fill-AF")
    if fmt == 4:
        rules.append("pad-A")
    rule = g.choice(rules)
    f = list(good)
    if rule == "control":
        f[0] = g.choice([c for c in HEX if c != str(fmt)])
    elif rule == "length":
        bad = g.choice([0, 1, 2, 3, 13, 14, 15])
        f[1] = f"{bad:X}"
        if fmt == 4 and bad > 12:
            pass
        if bad > 14 and fmt in (0, 1, 2, 3):
            pass
    elif rule == "digit":
        f[2 + g.randint(0, n - 1)] = g.choice("ABCDEF")
    elif rule == "pad-F":
        if n == 14:
            return broken_field(g, fmt, pin)
        f[2 + n + g.randint(0, 13 - n)] = g.choice(HEX[:15])
    elif rule == "fill-AF":
        f[2 + n + g.randint(0, 13 - n)] = g.choice("0123456789")
    elif rule == "pad-A":
        f[2 + n + g.randint(0, 13 - n)] = g.choice([c for c in HEX if c != "A"])
    out = "".join(f)
    assert len(out) == size
    return out


# ------------------------------------------------------------- random inputs


def table(g: Gen) -> str:
    while True:
        t = "".join(g.choice("0123456789") for _ in range(16))
        if set(t) == set("0123456789"):
            return t
        if g.rng.random() < 0.5:
            # a permutation-based table: every digit, six repeated
            d = list("0123456789") + [g.choice("0123456789") for _ in range(6)]
            g.rng.shuffle(d)
            return "".join(d)


def bad_table(g: Gen) -> str:
    kind = g.choice(["missing", "short", "long", "nondigit"])
    t = table(g)
    if kind == "missing":
        gone = g.choice("0123456789")
        rest = [c for c in "0123456789" if c != gone]
        return "".join(g.choice(rest) for _ in range(16))
    if kind == "short":
        return t[: g.choice([0, 10, 15])]
    if kind == "long":
        return t + g.digits(g.randint(1, 4))
    p = g.randint(0, 15)
    return t[:p] + g.choice("ABCF x") + t[p + 1 :]


def bad_pan(g: Gen) -> str:
    return g.choice([g.digits(g.randint(0, 11)), g.digits(g.randint(20, 24)),
                     g.digits(7) + g.choice("ABF =") + g.digits(8), g.digits(15) + " "])


def bad_digits(g: Gen, n: int) -> str:
    """A string that is not exactly n decimal digits."""
    return g.choice([g.digits(n - 1), g.digits(n + 1), g.digits(n - 1) + g.choice("ABF x-"), ""])


def bad_tdes_len(g: Gen, allowed) -> str:
    return g.hexs(g.choice([n for n in (0, 7, 9, 15, 17, 23, 25, 32) if n not in allowed]))


def bad_hex(g: Gen, h: str) -> str:
    return g.choice([h[:-1], h[:-2] + "ZZ", h + "0", "0x" + h[2:]])


# ------------------------------------------------------------- cases


def gen_cvv(g: Gen) -> None:
    cvk = g.bytes(16)
    pan = g.pan()
    exp = g.digits(4)
    sc = g.choice(["000", "999", "101", "201", g.digits(3)])
    want = cvv(cvk, pan, exp, sc)
    assert psec.cvv.generate_cvv(cvk, pan, exp, sc) == want
    base = {"cvk": g.case_mix(cvk.hex().upper()), "pan": pan, "expiry": exp, "service_code": sc}
    g.add("cvv", "cvv.generate", base, {"cvv": want})
    g.add("cvv-verify", "cvv.verify", {**base, "cvv": want}, {"valid": True})
    wrong = g.choice([w for w in (g.digits(3), str((int(want) + 1) % 1000).zfill(3)) if w != want] or ["x"])
    g.add("cvv-verify-wrong", "cvv.verify", {**base, "cvv": wrong}, {"valid": False})
    g.add("cvv-verify-malformed", "cvv.verify",
          {**base, "cvv": g.choice([want[:2], want + "0", want[:2] + "A", "", want + " "])}, {"valid": False})
    for op in ("cvv.generate", "cvv.verify"):
        extra = {"cvv": want} if op == "cvv.verify" else {}
        g.add("cvv-bad-pan", op, {**base, "pan": bad_pan(g), **extra}, {"error": "invalid-pan"})
        g.add("cvv-bad-expiry", op, {**base, "expiry": bad_digits(g, 4), **extra}, {"error": "invalid-digits"})
        g.add("cvv-bad-sc", op, {**base, "service_code": bad_digits(g, 3), **extra}, {"error": "invalid-digits"})
        g.add("cvv-bad-key", op, {**base, "cvk": bad_tdes_len(g, (16,)), **extra}, {"error": "invalid-key"})
        g.add("cvv-bad-hex", op, {**base, "cvk": bad_hex(g, base["cvk"]), **extra}, {"error": "invalid-key"})


def gen_cvc3(g: Gen) -> None:
    key = g.bytes(16)
    tl = g.choice([0, 1, 7, 8, 9, 16, 19, 40, 79, g.randint(0, 200)])
    track = g.bytes(tl)
    atc, un = g.bytes(2), g.bytes(4)
    want = cvc3(key, track, atc, un)
    # pyemv writes the number without leading zeros; docs/vectors.md asks for 5 digits
    assert pyemv.cvv.generate_cvc3(key, track, atc, un).zfill(5) == want, (key.hex(), track.hex())
    base = {"key": key.hex().upper(), "track": g.case_mix(track.hex().upper()), "atc": atc.hex().upper(),
            "un": un.hex().upper()}
    g.add("cvc3", "cvc3.generate", base, {"cvc3": want})
    g.add("cvc3-atc", "cvc3.generate", {**base, "atc": g.hexs(g.choice([0, 1, 3, 4]))}, {"error": "invalid-length"})
    g.add("cvc3-un", "cvc3.generate", {**base, "un": g.hexs(g.choice([0, 2, 3, 5, 8]))}, {"error": "invalid-length"})
    g.add("cvc3-key", "cvc3.generate", {**base, "key": bad_tdes_len(g, (16,))}, {"error": "invalid-key"})


def gen_pvv(g: Gen) -> None:
    klen = g.choice([8, 16, 16, 24])
    pvk = g.bytes(klen)
    pan = g.pan()
    pin = g.digits(g.randint(4, 12))
    pvki = g.digits(1)
    want = pvv(pvk, pvki, pin, pan)
    if klen == 16:
        # psec takes the 4 PIN digits the TSP uses
        assert psec.pin.generate_visa_pvv(pvk, pvki, pin[:4], pan) == want
    base = {"pvk": pvk.hex().upper(), "pvki": pvki, "pin": pin, "pan": pan}
    g.add(f"pvv-{klen}", "pin.visa_pvv", base, {"pvv": want})
    g.add("pvv-pin", "pin.visa_pvv", {**base, "pin": g.choice([g.digits(3), g.digits(13), g.digits(3) + "A", ""])},
          {"error": "invalid-pin"})
    g.add("pvv-pan", "pin.visa_pvv", {**base, "pan": bad_pan(g)}, {"error": "invalid-pan"})
    g.add("pvv-pvki", "pin.visa_pvv", {**base, "pvki": bad_digits(g, 1)}, {"error": "invalid-digits"})
    g.add("pvv-key", "pin.visa_pvv", {**base, "pvk": bad_tdes_len(g, (8, 16, 24))}, {"error": "invalid-key"})


def ibm_inputs(g: Gen, pan: str) -> tuple[int, int, str]:
    ln = g.randint(1, min(16, len(pan)))
    off = g.randint(0, len(pan) - ln)
    if g.rng.random() < 0.3:
        ln = min(16, len(pan))
        off = len(pan) - ln
    pad = g.choice(HEX + "abcdef") if g.rng.random() < 0.9 else "F"
    return off, ln, pad


def gen_ibm(g: Gen) -> None:
    klen = g.choice([8, 16, 16, 24])
    pvk = g.bytes(klen)
    pan = g.pan()
    t = table(g)
    off, ln, pad = ibm_inputs(g, pan)
    pin = g.digits(g.choice([4, 4, 5, 6, 8, 12, g.randint(4, 16), 16]))
    offset = ibm_offset(pvk, t, pin, pan, off, ln, pad)
    assert ibm_pin(pvk, t, offset, pan, off, ln, pad) == pin
    if klen == 16 and len(pin) <= 12:
        assert psec.pin.generate_ibm3624_offset(pvk, t, pin, pan, off, ln, pad) == offset
        assert psec.pin.generate_ibm3624_pin(pvk, t, offset, pan, off, ln, pad) == pin
    base = {"pvk": pvk.hex().upper(), "conversion_table": t, "pan": pan, "pan_verify_offset": off,
            "pan_verify_length": ln, "pan_pad": pad}
    g.add(f"ibm-offset-{klen}", "pin.ibm3624.offset", {**base, "pin": pin}, {"offset": offset})
    g.add(f"ibm-pin-{klen}", "pin.ibm3624.pin", {**base, "offset": offset}, {"pin": pin})
    for op, extra in (("pin.ibm3624.offset", {"pin": pin}), ("pin.ibm3624.pin", {"offset": offset})):
        g.add("ibm-table", op, {**base, **extra, "conversion_table": bad_table(g)},
              {"error": "invalid-decimalization-table"})
        g.add("ibm-pan", op, {**base, **extra, "pan": bad_pan(g)}, {"error": "invalid-pan"})
        g.add("ibm-pad", op, {**base, **extra, "pan_pad": g.choice(["", "00", "G", "z", " "])},
              {"error": "invalid-digits"})
        g.add("ibm-key", op, {**base, **extra, "pvk": bad_tdes_len(g, (8, 16, 24))}, {"error": "invalid-key"})
        bl = g.choice([0, 17, 18, 100])
        g.add("ibm-vlen", op, {**base, **extra, "pan_verify_length": bl, "pan_verify_offset": 0},
              {"error": "invalid-length"})
        # digits past the end of the PAN
        ln2 = g.randint(1, min(16, len(pan)))
        off2 = len(pan) - ln2 + g.randint(1, 5)
        g.add("ibm-past-end", op, {**base, **extra, "pan_verify_length": ln2, "pan_verify_offset": off2},
              {"error": "invalid-length"})
    g.add("ibm-bad-pin", "pin.ibm3624.offset",
          {**base, "pin": g.choice([g.digits(3), g.digits(17), g.digits(5) + "F", ""])}, {"error": "invalid-pin"})
    g.add("ibm-bad-offset", "pin.ibm3624.pin",
          {**base, "offset": g.choice([g.digits(3), g.digits(17), g.digits(5) + "F", ""])},
          {"error": "invalid-digits"})


def pin_key(g: Gen, fmt: int) -> bytes:
    return g.bytes(g.choice([16, 24, 32]) if fmt == 4 else g.choice([8, 16, 16, 24]))


def gen_verify(g: Gen) -> None:
    fmt = g.choice([0, 1, 2, 3, 4])
    key = pin_key(g, fmt)
    pan = g.pan()
    pin = g.digits(g.choice([4, 4, 5, 6, 12, g.randint(4, 12)]))
    blk = pin_block(g, fmt, key, pin, pan)
    pvk = g.bytes(g.choice([8, 16, 24]))
    common = {"format": fmt, "key": key.hex().upper(), "block": blk.hex().upper(), "pan": pan}
    if g.rng.random() < 0.5:
        pvki = g.digits(1)
        right = pvv(pvk, pvki, pin, pan)
        base = {**common, "method": "visa-pvv", "pvk": pvk.hex().upper(), "pvki": pvki}
        g.add(f"verify-pvv-f{fmt}", "pin.verify", {**base, "pvv": right}, {"valid": True})
        other = g.digits(len(pin))
        if pvv(pvk, pvki, other, pan) != right:
            oblk = pin_block(g, fmt, key, other, pan)
            g.add("verify-pvv-wrong-pin", "pin.verify", {**base, "block": oblk.hex().upper(), "pvv": right},
                  {"valid": False})
        wrong = str((int(right) + g.randint(1, 9999)) % 10000).zfill(4)
        g.add("verify-pvv-wrong", "pin.verify", {**base, "pvv": wrong}, {"valid": False})
        g.add("verify-pvv-malformed", "pin.verify",
              {**base, "pvv": g.choice([right[:3], right + "0", right[:3] + "A", ""])}, {"valid": False})
        g.add("verify-pvv-pvki", "pin.verify", {**base, "pvv": right, "pvki": bad_digits(g, 1)},
              {"error": "invalid-digits"})
        g.add("verify-pvv-pvk", "pin.verify", {**base, "pvv": right, "pvk": bad_tdes_len(g, (8, 16, 24))},
              {"error": "invalid-key"})
        vb = {**base, "pvv": right}
    else:
        t = table(g)
        off, ln, pad = ibm_inputs(g, pan)
        offset = ibm_offset(pvk, t, pin, pan, off, ln, pad)
        base = {**common, "method": "ibm3624", "pvk": pvk.hex().upper(), "conversion_table": t,
                "pan_verify_offset": off, "pan_verify_length": ln, "pan_pad": pad}
        g.add(f"verify-ibm-f{fmt}", "pin.verify", {**base, "offset": offset}, {"valid": True})
        # the offset of a PIN of another length (same leading digits): not valid
        if len(pin) > 4:
            g.add("verify-ibm-shorter", "pin.verify", {**base, "offset": offset[:-1]}, {"valid": False})
        if len(pin) < 16:
            longer = offset + g.digits(1)
            g.add("verify-ibm-longer", "pin.verify", {**base, "offset": longer}, {"valid": False})
        wrong = list(offset)
        i = g.randint(0, len(wrong) - 1)
        wrong[i] = str((int(wrong[i]) + g.randint(1, 9)) % 10)
        g.add("verify-ibm-wrong", "pin.verify", {**base, "offset": "".join(wrong)}, {"valid": False})
        g.add("verify-ibm-malformed", "pin.verify",
              {**base, "offset": g.choice([offset[:3], offset[:3] + "A", "", g.digits(17)])}, {"valid": False})
        g.add("verify-ibm-table", "pin.verify", {**base, "offset": offset, "conversion_table": bad_table(g)},
              {"error": "invalid-decimalization-table"})
        g.add("verify-ibm-pad", "pin.verify", {**base, "offset": offset, "pan_pad": g.choice(["", "0F", "X"])},
              {"error": "invalid-digits"})
        g.add("verify-ibm-vlen", "pin.verify", {**base, "offset": offset, "pan_verify_length": g.choice([0, 17])},
              {"error": "invalid-length"})
        vb = {**base, "offset": offset}
    # refusals common to both methods
    g.add("verify-pan", "pin.verify", {**vb, "pan": bad_pan(g)}, {"error": "invalid-pan"})
    badk = g.hexs(g.choice([7, 15, 17, 20]) if fmt == 4 else g.choice([0, 7, 9, 15, 17, 32]))
    g.add("verify-key", "pin.verify", {**vb, "key": badk}, {"error": "invalid-key"})
    g.add("verify-key-hex", "pin.verify", {**vb, "key": bad_hex(g, vb["key"])}, {"error": "invalid-key"})
    g.add("verify-fmt", "pin.verify", {**vb, "format": g.choice([5, 6, 9, 99])}, {"error": "unsupported"})
    bs = 16 if fmt == 4 else 8
    g.add("verify-blocklen", "pin.verify", {**vb, "block": g.hexs(g.choice([n for n in (0, 4, 8, 9, 15, 16, 17, 32)
                                                                              if n != bs]))},
          {"error": "invalid-pin-block"})
    g.add("verify-blockhex", "pin.verify", {**vb, "block": bad_hex(g, vb["block"])}, {"error": "invalid-pin-block"})
    bf = broken_field(g, fmt, pin)
    g.add("verify-broken", "pin.verify", {**vb, "block": encipher(fmt, key, bf, pan).hex().upper()},
          {"error": "invalid-pin-block"})


def main() -> None:
    a = args(__doc__.splitlines()[1], "/tmp/qa/card.json")
    g = Gen(a.seed, f"card-s{a.seed}")
    for _ in range(a.count):
        gen_cvv(g)
        gen_cvc3(g)
        gen_pvv(g)
        gen_ibm(g)
        gen_verify(g)
        gen_verify(g)
    src = (
        f"vectors/tools/qa/card_qa.py --seed {a.seed} --count {a.count}: values from docs/vectors.md over "
        f"pyca/cryptography {version('cryptography')}, each confirmed by psec {version('psec')} (CVV; PVV and "
        f"IBM 3624 with 16-byte PVKs and PINs up to 12 digits; PIN blocks of formats 0, 2, 3, 4) or "
        f"pyemv {version('pyemv')} (CVC3); refusals from docs/vectors.md's rules"
    )
    write_suite(a.out, f"qa-card-s{a.seed}", src, g.cases)
    print(f"{a.out}: {len(g.cases)} cases (seed {a.seed})", file=sys.stderr)


if __name__ == "__main__":
    main()
