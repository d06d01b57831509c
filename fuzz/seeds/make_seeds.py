#!/usr/bin/env python3
"""Writes the committed seed corpora of the fuzz targets, fuzz/seeds/TARGET/.

Run by hand from the repository root (never by CI or the tests):

    python3 fuzz/seeds/make_seeds.py

It rewrites every seed folder it knows (not `tlv`, whose seeds were made
with its target) byte for byte; a rerun over unchanged suites gives the
same files.

Where the values come from: the known answers of the vector suites in
`vectors/` (ISO 9564-1 PIN blocks, ANSI X9.24-1/-3 DUKPT, ISO 9797-1 and
CMAC, SP 800-108, EMV Book 2, SVR1 records, RFC 6979 / Wycheproof / CAVP
ECDSA), each seed named after the suite case it encodes.

How: most targets read their input through `arbitrary::Unstructured`
(arbitrary 1.5, the version in fuzz/Cargo.lock), so a seed is the byte
string that makes the target draw a given known answer. `Enc` below writes
those bytes, mirroring the draws (`int_in_range`, `ratio`, `choose`,
`arbitrary::<u8/u32/u64/[u8; N]>`, `bytes`) and the helpers of
`fuzz/src/lib.rs`; each `seed_*` function mirrors its target's `run`
step by step. If a target's draws change, its function here must change
with it (a seed that no longer lines up is still a valid input, only a
less useful one).

Unstructured 1.5, as used here: `int_in_range(a..=b)` reads just enough
big-endian bytes to cover b - a and takes the value modulo (b - a + 1);
`ratio(n, d)` is `int_in_range(1..=d) <= n`; `choose` is
`int_in_range(0..=len-1)` (no byte for one choice); integers are
little-endian `size_of` bytes; `bool` is the low bit of a byte.
"""

import json
import os
import re
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VECTORS = os.path.join(ROOT, "vectors")
SEEDS = os.path.join(ROOT, "fuzz", "seeds")


class Enc:
    """The inverse of `arbitrary::Unstructured` for the draws the targets make."""

    def __init__(self):
        self.out = bytearray()

    def int(self, lo, hi, v):
        assert lo <= v <= hi, (lo, hi, v)
        delta = hi - lo
        n = 0
        while n < 8 and (delta >> (8 * n)) > 0:
            n += 1
        self.out += (v - lo).to_bytes(n, "big")

    def ratio(self, num, den, yes):
        self.int(1, den, 1 if yes else den)

    def choose(self, n, i):
        self.int(0, n - 1, i)

    def u8(self, v):
        self.out.append(v)

    def bool(self, b):
        self.u8(1 if b else 0)

    def le(self, v, n):
        self.out += (v % (1 << (8 * n))).to_bytes(n, "little")

    def raw(self, b):
        self.out += bytes(b)

    # fuzz/src/lib.rs
    def length(self, usual, mx, n):
        if n in usual:
            self.ratio(7, 8, True)
            self.choose(len(usual), usual.index(n))
        else:
            self.ratio(7, 8, False)
            self.int(0, mx, n)

    def key(self, usual, k):
        self.length(usual, 80, len(k))
        self.raw(k)

    def digits(self, lo, hi, s):
        """`digits`: ASCII digits, at most one stray byte among them."""
        stray = [i for i, c in enumerate(s) if not c.isdigit()]
        assert len(stray) <= 1, s
        self.int(lo, hi, len(s))
        for c in s:
            self.int(0, 9, int(c) if c.isdigit() else 0)
        if s:
            self.ratio(1, 16, bool(stray))
        if stray:
            self.choose(len(s), stray[0])
            self.u8(ord(s[stray[0]]))

    def pan_digits(self, s):
        if 12 <= len(s) <= 19:
            self.ratio(15, 16, True)
            self.digits(12, 19, s)
        else:
            self.ratio(15, 16, False)
            self.digits(0, 24, s)


def h(s):
    return bytes.fromhex(s)


def load(name):
    with open(os.path.join(VECTORS, name)) as f:
        return json.load(f)["cases"]


def case(name, cid):
    for c in load(name):
        if c["id"] == cid:
            return c
    sys.exit(f"{name}: no case {cid}")


def cases(name, op, pattern=".*", ok=None):
    out = []
    for c in load(name):
        if c["op"] != op or not re.fullmatch(pattern, c["id"]):
            continue
        if ok is not None and ok == ("error" in c["expect"]):
            continue
        out.append(c)
    return out


FORMATS = [0, 1, 2, 3, 4]
BLOCK_LEN = {0: 8, 1: 8, 2: 8, 3: 8, 4: 16}


def pin_key_usual(fmt):
    return [16, 24, 32] if fmt == 4 else [8, 16, 24]


# ---------------------------------------------------------------- pin_decipher


def seed_pin_decipher_block(fmt, key, pan, block, to_fmt, to_key, fill=b""):
    """A published block as the target's "arbitrary block", then a
    translation to `to_fmt` under `to_key` (with a given fill)."""
    e = Enc()
    e.choose(5, fmt)
    e.key(pin_key_usual(fmt), key)
    e.pan_digits(pan)
    e.bool(True)  # arbitrary bytes for the block
    e.length([BLOCK_LEN[fmt]], 40, len(block))
    e.raw(block)
    e.le(0, 8)  # RNG seed
    e.choose(5, to_fmt)
    e.choose(3, pin_key_usual(to_fmt).index(len(to_key)))
    e.raw(to_key)
    e.int(0, 18, len(fill))
    e.raw(fill)
    return bytes(e.out)


def seed_pin_decipher_field(fmt, key, pan, pin, fill_nibbles, random_half, to_fmt, to_key):
    """A published clear PIN field (format, PIN, fill) that the target
    enciphers itself and checks against its reference reading."""
    e = Enc()
    e.choose(5, fmt)
    e.key(pin_key_usual(fmt), key)
    e.pan_digits(pan)
    e.bool(False)  # a clear field
    e.ratio(7, 8, True)
    e.int(4, 12, len(pin))
    e.ratio(15, 16, True)  # control field = format number
    fill = list(fill_nibbles)
    for i in range(2, 16):
        if i - 2 < len(pin):
            e.int(0, 9, int(pin[i - 2]))
        elif fmt == 1:
            e.int(0, 15, fill.pop(0))
        elif fmt == 3:
            e.int(0xA, 0xF, fill.pop(0))
        e.ratio(31, 32, True)
    if fmt == 4:
        e.raw(random_half)
    e.le(0, 8)
    e.choose(5, to_fmt)
    e.choose(3, pin_key_usual(to_fmt).index(len(to_key)))
    e.raw(to_key)
    e.int(0, 18, 0)
    return bytes(e.out)


def pin_decipher():
    seeds = {}
    other = {  # a key of each format's usual lengths, for the translation
        0: h("0123456789ABCDEFFEDCBA9876543210"),
        1: h("0123456789ABCDEF"),
        2: h("0123456789ABCDEFFEDCBA987654321089ABCDEF01234567"),
        3: h("FEDCBA98765432100123456789ABCDEF"),
        4: h("00112233445566778899AABBCCDDEEFF"),
    }
    no_pan = "4012345678909"
    # Published blocks, each format, translated to the next format.
    picks = [
        ("iso9564-1-published-examples.json", "x9.24-1-a4-decipher-1"),
        ("iso9564-1-published-examples.json", "x9.24-1-a4-decipher-2"),
        ("iso9564-1-published-examples.json", "x9.24-3-f4-txn1-wrong-pan"),
        ("iso9564-1-format4-example.json", "f4-aes256-decipher"),
        ("psec-doc-examples.json", "iso4-decipher"),
    ]
    for fmt in FORMATS:
        for c in cases("iso9564-1-psec.json", "pin.decipher", rf"f{fmt}-dec-01"):
            picks.append(("iso9564-1-psec.json", c["id"]))
    picks += [
        ("iso9564-1-psec.json", "f0-dec-pan-11-digits"),
        ("iso9564-1-psec.json", "f0-dec-pan-non-digit"),
    ]
    for name, cid in picks:
        p = case(name, cid)["params"]
        fmt = p["format"]
        to = (fmt + 1) % 5
        seeds[f"decipher-{cid}"] = seed_pin_decipher_block(
            fmt, h(p["key"]), p.get("pan", no_pan), h(p["block"]), to, other[to],
            fill=bytes([0xF] * (14 - 4)) if to in (0, 2) else b"",
        )
    # Published translations: each format to two others, and refusals.
    wanted = {f"translate-{a}-to-{(a + d) % 5}" for a in FORMATS for d in (1, 3)}
    wanted |= {"translate-0-to-4-bad-block", "translate-4-to-0-block-size", "translate-0-to-3-bad-pan"}
    for c in cases("iso9564-1-psec.json", "pin.translate"):
        p = c["params"]
        fr, to = p["from"], p["to"]
        if c["id"] not in wanted:
            continue
        seeds[c["id"]] = seed_pin_decipher_block(
            fr["format"], h(fr["key"]), p.get("pan", no_pan), h(p["block"]), to["format"], h(to["key"])
        )
    # Published clear fields (PIN and fill), enciphered by the target.
    for fmt in FORMATS:
        for c in cases("iso9564-1-psec.json", "pin.encipher", rf"f{fmt}-enc-0[1-2]"):
            p = c["params"]
            # Format 4's "fill" is the random second half of its field.
            fill = [] if fmt == 4 else [int(x, 16) for x in p.get("fill", "")]
            half = h(p["fill"]) if fmt == 4 else b""
            seeds[f"field-{c['id']}"] = seed_pin_decipher_field(
                fmt, h(p["key"]), p.get("pan", no_pan), p["pin"], fill, half, (fmt + 2) % 5, other[(fmt + 2) % 5]
            )
    for name, cid in [
        ("iso9564-1-format4-example.json", "f4-aes256"),
        ("iso9564-1-published-examples.json", "x9.24-3-f4-txn1-encipher"),
    ]:
        p = case(name, cid)["params"]
        seeds[f"field-{cid}"] = seed_pin_decipher_field(
            4, h(p["key"]), p["pan"], p["pin"], [], h(p["fill"]), 0, other[0]
        )
    return seeds


# ---------------------------------------------------------------- pin_parse


def pin_parse():
    seeds = {}
    picks = []
    for fmt in FORMATS:
        picks += cases("iso9564-1-psec.json", "pin.encipher", rf"f{fmt}-enc-0[1-2]")
    picks += [
        case("x9.24-1-2009-annex-a.json", "pin-block-1"),
        case("iso9564-1-format4-example.json", "f4-aes256"),
        case("iso9564-1-published-examples.json", "x9.24-3-f4-txn1-encipher"),
        case("iso9564-1-psec.json", "f0-enc-pin-short"),
        case("iso9564-1-psec.json", "f0-enc-pin-long"),
        case("iso9564-1-psec.json", "f0-enc-pin-non-digit"),
    ]
    psns = ["00", "01", "51", "24"]
    for n, c in enumerate(picks):
        p = c["params"]
        e = Enc()
        pin = p["pin"]
        if all(ch.isdigit() for ch in pin):
            e.ratio(3, 4, True)
            e.digits(0, 14, pin)
        else:
            e.ratio(3, 4, False)
            e.int(0, 16, len(pin))
            e.raw(pin.encode())
        e.pan_digits(p.get("pan", "4012345678909"))
        psn = psns[n % len(psns)].encode()
        e.int(0, 3, len(psn))
        e.raw(psn)
        fill = p.get("fill", "").encode()
        e.int(0, 18, len(fill))
        e.raw(fill)
        block = h(c["expect"].get("block", "0000000000000000"))
        e.int(0, 20, len(block))
        e.raw(block)
        e.le(p["format"], 8)
        e.le(n, 8)  # RNG seed
        for fmt in FORMATS:  # key table index per format
            e.choose(3 if fmt == 4 else 4, n % 3)
        seeds[f"encipher-{c['id']}"] = bytes(e.out)
    return seeds


# ---------------------------------------------------------------- ksn

HEX = "0123456789ABCDEFabcdef"


def hex_text(e, s):
    e.ratio(3, 4, True)
    for ch in s:
        e.choose(len(HEX), HEX.index(ch))
    e.ratio(1, 8, False)


def seed_ksn(tdes, tdes_c, aes, aes_c, ikid_c):
    e = Enc()
    e.int(0, 14, 10)
    e.raw(h(tdes))
    hex_text(e, tdes)
    e.raw(h(tdes))
    e.le(tdes_c, 4)
    e.int(0, 16, 12)
    e.raw(h(aes))
    hex_text(e, aes)
    hex_text(e, aes[:16])
    e.le(ikid_c, 4)
    e.raw(h(aes))
    e.le(aes_c, 4)
    return bytes(e.out)


def ksn():
    seeds = {}
    tdes = [c["params"]["ksn"] for c in load("x9.24-1-2009-annex-a.json") if c["op"] == "dukpt.tdes.key"]
    aes = [c["params"]["ksn"] for c in load("x9.24-3-2017.json") if c["op"] == "dukpt.aes.key"]
    tdes = sorted(set(tdes))
    aes = sorted(set(aes))
    # Spread over the published KSNs: counters 1, 2, ..., the ones near a
    # register boundary, the last.
    picks = sorted(set([0, 1, 2, len(tdes) // 2, len(tdes) - 2, len(tdes) - 1]))
    for i in picks:
        t = tdes[i]
        a = aes[min(i, len(aes) - 1)]
        seeds[f"x9.24-{t}-{a}"] = seed_ksn(t, int(t[-5:], 16) & 0x1FFFFF, a, int(a[-8:], 16), 1)
    # The counters' edges: the last usable ones, past the last, none.
    # (The TDES counter is the KSN's low 21 bits; `with_counter` also gets
    # one past them.)
    base_t, base_a = int(tdes[0], 16) & ~0x1FFFFF, aes[0][:16]
    for tc, ac in [(0x1FF800, 0xFFFF0000), (0x1FFFFF, 0xFFFFFFFF), (0, 0), (0x200000, 0x7FFFFFFF)]:
        t = f"{base_t | (tc & 0x1FFFFF):020X}"
        seeds[f"edge-{tc:06X}-{ac:08X}"] = seed_ksn(t, tc, base_a + f"{ac:08X}", ac, ac)
    return seeds


# ---------------------------------------------------------------- dukpt_state


def tdes_state(ipek, ksn, counter_sel, counter_v, steps, reload_steps):
    e = Enc()
    e.bool(True)  # TDES
    e.ratio(1, 4, False)  # a real state
    e.raw(ipek)
    e.int(0, 3, counter_sel)
    if counter_sel == 3:
        e.le(counter_v, 4)
    else:
        e.int(0, 64, counter_v)
    e.raw(ksn)
    e.int(0, 4, len(steps))
    for v in steps:
        e.choose(6, v)
    e.int(0, 3, 0)  # no byte changed
    e.int(0, 6, len(reload_steps))
    for v in reload_steps:
        e.choose(6, v)
    return bytes(e.out)


def aes_state(ik, ksn, counter_sel, counter_v, steps, reload_steps):
    e = Enc()
    e.bool(False)  # AES
    e.ratio(1, 4, False)
    e.choose(3, [16, 24, 32].index(len(ik)))
    e.raw(ik)
    e.int(0, 3, counter_sel)
    if counter_sel == 3:
        e.le(counter_v, 4)
    else:
        e.int(0, 64, counter_v)
    e.raw(ksn)
    e.int(0, 3, len(steps))
    for kt, usage in steps:
        e.choose(8, kt)
        e.choose(8, usage)
    e.int(0, 3, 0)
    e.int(0, 4, len(reload_steps))
    for kt, usage in reload_steps:
        e.choose(8, kt)
        e.choose(8, usage)
    return bytes(e.out)


# KeyType::ALL and KeyUsage::ALL indexes (src/dukpt/aes.rs).
TDEA2, TDEA3, AES128, AES192, AES256, HMAC128 = 0, 1, 2, 3, 4, 5
KEK, PIN, MAC_GEN, MAC_VER, MAC_BOTH, DATA_ENC, DATA_DEC, DATA_BOTH = range(8)


def dukpt_state():
    seeds = {}
    ipek_case = case("x9.24-1-2009-annex-a.json", "ipek")
    ipek = h(ipek_case["expect"]["ipek"])
    ksn = h(ipek_case["params"]["ksn"])
    # ANSI X9.24-1:2009 A.4: the IPEK and initial KSN, counter 0; every
    # variant in the first transactions (Variant::ALL order).
    seeds["x9.24-1-a4-start"] = tdes_state(ipek, ksn, 0, 0, [0, 1, 2, 3], [4, 5, 1, 0])
    seeds["x9.24-1-a4-counter-9"] = tdes_state(ipek, ksn, 0, 9, [1, 1], [1, 2, 3])
    seeds["x9.24-1-a4-near-end"] = tdes_state(ipek, ksn, 1, 2, [1, 1, 1, 1], [1, 1, 1])
    seeds["x9.24-1-a4-at-end"] = tdes_state(ipek, ksn, 1, 0, [1, 1], [1])
    for c in cases("x9.24-1-independent.json", "dukpt.tdes.ipek", ok=True)[:2]:
        seeds[f"x9.24-1-{c['id']}"] = tdes_state(
            h(c["expect"]["ipek"]), h(c["params"]["ksn"]), 3, 0x1FF7FF, [0, 1], [2, 3]
        )
    # ANSI X9.24-3-2017: the initial keys of BDK-128/192/256 for the
    # initial key ID 1234567890123456, counter 0.
    base = h("123456789012345600000000")
    for name, cid in [
        ("x9.24-3-2017.json", "initial-key-aes128"),
        ("x9.24-3-2017-more.json", "initial-key-aes192"),
        ("x9.24-3-2017.json", "initial-key-aes256"),
    ]:
        ik = h(case(name, cid)["expect"]["key"])
        seeds[f"x9.24-3-{cid}"] = aes_state(
            ik, base, 0, 0,
            [(AES128, PIN), (TDEA2, MAC_GEN), (AES256, DATA_BOTH)],
            [(AES128, PIN), (HMAC128, MAC_VER), (TDEA3, DATA_ENC), (AES192, KEK)],
        )
    ik = h(case("x9.24-3-2017.json", "initial-key-aes128")["expect"]["key"])
    seeds["x9.24-3-aes128-near-end"] = aes_state(ik, base, 1, 3, [(AES128, PIN)] * 3, [(AES128, MAC_BOTH)] * 4)
    seeds["x9.24-3-aes128-at-end"] = aes_state(ik, base, 1, 0, [(AES128, PIN)], [(AES128, PIN)])
    return seeds


# ---------------------------------------------------------------- mac

CIPHERS = ["des", "tdes", "aes"]


def seed_mac(alg, padding, cipher, key, length, data, kbkdf=None):
    e = Enc()
    e.ratio(7, 8, True)
    e.choose(2, [1, 3].index(alg))
    e.ratio(7, 8, True)
    e.int(1, 3, padding)
    e.choose(3, CIPHERS.index(cipher))
    e.key([8, 16, 24, 32, 48, 64], key)
    e.length([4, 8, 16], 20, length)
    e.int(0, 80, len(data))
    e.raw(data)
    block = 16 if cipher == "aes" else 8
    if 1 <= length <= block:
        e.int(0, length - 1, 0)  # byte of the tag to change
        e.int(1, 255, 1)
        e.int(0, len(data), len(data) // 2)  # where CMAC splits the data
        if kbkdf is None:
            e.ratio(1, 4, False)
        else:
            kk, bits, before, out_len = kbkdf
            e.ratio(1, 4, True)
            e.raw(kk)
            e.choose(7, [8, 16, 24, 32, 0, 12, 64].index(bits))
            e.bool(before)
            e.int(0, 5000, out_len)
    return bytes(e.out)


def mac():
    seeds = {}
    picks = [
        case("iso9797-published.json", "fips113-des-cbc-mac"),
        case("iso9797-published.json", "psec-cbc-mac-tdes-pad2"),
    ]
    for pattern in [
        r"alg1-des64-pad1-1B-len5",
        r"alg1-tdes128-pad2-.*",
        r"alg1-aes.*-pad3-.*",
        r"alg3-des128-pad1-.*",
        r"alg3-.*-pad2-.*",
        r"alg3-.*-pad3-.*",
    ]:
        picks += cases("iso9797-independent.json", "mac.iso9797", pattern, ok=True)[:2]
    for c in picks:
        p = c["params"]
        if len(h(p["data"])) > 80:
            continue
        seeds[f"iso9797-{c['id']}"] = seed_mac(p["alg"], p["padding"], p["cipher"], h(p["key"]), p["len"], h(p["data"]))
    # CMAC (SP 800-38B D.1 to D.3, TDES from CAVP) as algorithm 1 over AES/TDES.
    for c in cases("nist-sp800-38b-cmac.json", "cmac", ok=True)[:6] + cases("cavp-cmac-gen.json", "cmac", r"tdes.*", ok=True)[:2]:
        p = c["params"]
        if len(h(p["msg"])) > 80:
            continue
        cipher = "aes" if p["cipher"] == "aes" else "tdes"
        seeds[f"cmac-{c['id']}"] = seed_mac(1, 1, cipher, h(p["key"]), min(p["len"], 16), h(p["msg"]))
    # KBKDF (CAVP, CMAC-AES128): the fixed input as the data.
    for c in cases("cavp-kbkdf-ctr-cmac.json", "kdf.kbkdf_cmac", r"aes128-.*", ok=True)[::5][:6]:
        p = c["params"]
        fixed = h(p["fixed_input"])
        if len(fixed) > 80:
            continue
        seeds[f"kbkdf-{c['id']}"] = seed_mac(
            1, 2, "aes", h(p["key"]), 16, fixed,
            kbkdf=(h(p["key"]), p["counter_bits"], p["counter_location"] == "before", p["len"]),
        )
    return seeds


# ---------------------------------------------------------------- emv


def emv():
    seeds = {}
    mk_cases = []
    for name in ["pyemv-doc-examples.json", "emv-published.json", "emv-independent.json"]:
        mk_cases += [c for c in load(name) if c["op"] == "emv.icc_mk" and "error" not in c["expect"]]
    r_cases = [c for c in load("emv-independent.json") if c["op"] == "emv.session_key" and "r" in c["params"] and "error" not in c["expect"]]
    tree_cases = [c for c in load("emv-independent.json") if c["op"] == "emv.session_key" and "height" in c["params"] and "error" not in c["expect"]]
    ac_cases = [c for c in load("emv-independent.json") if c["op"] == "emv.ac" and "error" not in c["expect"]]
    arpc1 = [c for c in load("emv-independent.json") if c["op"] == "emv.arpc" and c["params"].get("method") == 1 and "error" not in c["expect"]]
    arpc2 = [c for c in load("emv-independent.json") if c["op"] == "emv.arpc" and c["params"].get("method") == 2 and "error" not in c["expect"]]
    for n, c in enumerate((mk_cases[:4] + mk_cases[4::4])[:16]):
        p = c["params"]
        e = Enc()
        e.key([16, 8, 24], h(p["imk"]))
        e.pan_digits(p["pan"])
        e.ratio(15, 16, True)
        e.digits(2, 2, p["psn"])
        e.bool(p["option"] == "A")
        r = r_cases[n % len(r_cases)]["params"]["r"]
        e.raw(h(r))
        e.le(0x1234 + n, 2)  # ATC
        t = tree_cases[n % len(tree_cases)]["params"]
        for v in (t["height"], t["branch_factor"]):
            if v <= 20:
                e.ratio(7, 8, True)
                e.int(0, 20, v)
            else:
                e.ratio(7, 8, False)
                e.le(v, 4)
        e.raw(h(t["iv"]))
        a = ac_cases[n % len(ac_cases)]["params"]
        data = h(a["data"])[:64]
        e.int(0, 64, len(data))
        e.raw(data)
        e.bool(a["padding"] == 1)
        e.int(0, 10, a.get("len", 8))
        a1 = arpc1[n % len(arpc1)]["params"]
        e.raw(h(a1["arqc"]))
        e.raw(h(a1["arc"]))
        a2 = arpc2[n % len(arpc2)]["params"]
        e.raw(h(a2["csu"]))
        e.int(0, 10, len(h(a2.get("prop", ""))))
        e.raw(h(a2.get("prop", "")))
        seeds[f"icc-mk-{c['id']}"] = bytes(e.out)
    return seeds


# ---------------------------------------------------------------- record


def decode_record(rec):
    """The fields of a 96-byte SVR1 record (docs/svr1.md)."""
    be = lambda a, b: int.from_bytes(rec[a:b], "big")  # noqa: E731
    return {
        "card_id": be(4, 12),
        "currency": be(12, 14),
        "exponent": rec[14],
        "flags": rec[15],
        "balance": be(16, 24),
        "limit": be(24, 32),
        "counter": be(32, 36),
        "amount": int.from_bytes(rec[36:44], "big", signed=True),
        "terminal_id": rec[44:52],
        "timestamp": be(52, 60),
        "prev_tag": rec[60:68],
    }


def seed_record(raw, issuer_key, fields, amount, debit, terminal, timestamp, sign):
    e = Enc()
    if len(raw) == 96:
        e.ratio(3, 4, True)
    else:
        e.ratio(3, 4, False)
        e.int(0, 120, len(raw))
    e.raw(raw)
    e.key([16, 32], issuer_key)
    e.le(fields["card_id"], 8)
    e.ratio(1, 2, True)  # the card key from the issuer key
    # fields(): limit, balance, terminal id, then the struct in order.
    e.ratio(1, 4, False)
    e.le(fields["limit"], 8)
    e.ratio(15, 16, True)
    e.int(0, fields["limit"], fields["balance"])
    for b in fields["terminal_id"]:
        e.ratio(15, 16, True)
        e.int(0x20, 0x7E, b)
    e.ratio(15, 16, True)
    e.int(1, 999, fields["currency"])
    e.ratio(15, 16, True)
    e.int(0, 4, fields["exponent"])
    e.ratio(15, 16, True)
    e.int(0, 1, fields["flags"])
    e.ratio(1, 8, False)
    e.le(fields["counter"], 4)
    e.le(fields["amount"], 8)
    e.le(fields["timestamp"], 8)
    e.raw(fields["prev_tag"])
    # One byte changed, then the update.
    e.int(0, 95, 80)
    e.int(1, 255, 1)
    e.ratio(1, 2, False)
    e.le(amount, 8)
    assert len(terminal) == 8
    for b in terminal:
        e.ratio(1, 16, True)  # this byte from the input
        e.u8(b)
    e.le(timestamp, 8)
    e.bool(debit)
    e.int(0, 96, 48)  # where the torn write cuts
    e.ratio(1, 8, sign)
    return bytes(e.out)


def sound(f):
    return (
        f["balance"] <= f["limit"]
        and f["flags"] <= 1
        and 1 <= f["currency"] <= 999
        and f["exponent"] <= 4
        and all(0x20 <= b <= 0x7E for b in f["terminal_id"])
    )


def record():
    """SVR1 update cases: the record as the arbitrary bytes (it verifies
    under the issuer key), its own fields resealed (they seal to the same
    record), then the case's debit or credit (amount, terminal id,
    timestamp): the successor is the case's expected record, or the
    refusal it names."""
    seeds = {}
    ids = [
        "seq0-0-debit", "seq1-2-credit", "seq2-3-credit", "seq3-4-debit", "seq4-1-credit",
        "seq5-0-debit", "seq9-0-credit", "seq10-1-debit",
        "debit-whole-balance", "credit-to-limit", "debit-1", "counter-to-max",
        "debit-i64-max", "credit-i64-max", "debit-amount-0", "debit-amount-18446744073709551615",
        "debit-terminal-5445524D00303031", "credit-terminal-805445524D303031",
        "debit-blocked", "credit-counter-exhausted", "debit-insufficient",
        "credit-limit-exceeded-big", "order-terminal-second", "order-counter-before-funds",
        "debit-bad-mac", "credit-bad-magic",
    ]
    for n, cid in enumerate(ids):
        c = case("svr1-update.json", cid)
        p = c["params"]
        raw = h(p["record"])
        f = decode_record(raw)
        if not sound(f):
            f = dict(f, flags=f["flags"] & 1, currency=978, exponent=2, balance=min(f["balance"], f["limit"]))
        amount = p["amount"]
        if not isinstance(amount, int):
            amount = int(amount.replace("2^64", str(1 << 64)))
        terminal = h(p["terminal_id"])
        if len(terminal) != 8:
            continue
        seeds[cid] = seed_record(
            raw, h(p["issuer_key"]), f, amount, c["op"] == "record.debit", terminal, p["timestamp"],
            sign=n % 4 == 0,
        )
    # Records refused for their structure (magic, reserved, flags, ...).
    for c in load("svr1-seal-verify.json"):
        if c["op"] != "record.verify" or not c["id"].startswith(("verify-refuses-", "verify-magic", "verify-reserved", "verify-tag")):
            continue
        if sum(1 for k in seeds if k.startswith("verify")) >= 8:
            break
        p = c["params"]
        raw = h(p["record"])
        if len(raw) != 96:
            continue
        f = decode_record(raw)
        if not sound(f):
            f = dict(f, flags=0, currency=978, exponent=2, balance=0, terminal_id=b"TERM0001")
        seeds[c["id"]] = seed_record(raw, h(p["issuer_key"]), f, 100, True, b"TERM0001", 1700000000, sign=False)
    return seeds


# ---------------------------------------------------------------- ecdsa


def der_int(x):
    b = x.to_bytes(32, "big").lstrip(b"\0") or b"\0"
    if b[0] & 0x80:
        b = b"\0" + b
    return bytes([0x02, len(b)]) + b


def der_sig(sig):
    body = der_int(int.from_bytes(sig[:32], "big")) + der_int(int.from_bytes(sig[32:], "big"))
    return bytes([0x30, len(body)]) + body


def seed_ecdsa(msg, pk, sig, der, signing_key):
    e = Enc()
    e.int(0, 64, len(msg))
    e.raw(msg)
    e.int(0, 2, 1)  # a public key of any bytes
    e.int(0, 70, len(pk))
    e.raw(pk)
    if len(sig) == 64:
        e.ratio(7, 8, True)
    else:
        e.ratio(7, 8, False)
        e.int(0, 70, len(sig))
    e.raw(sig)
    e.int(0, 2, 0)  # a DER signature of any bytes
    e.int(0, 80, len(der))
    e.raw(der)
    if signing_key is None:
        e.ratio(1, 4, False)
    else:
        e.ratio(1, 4, True)
        e.ratio(7, 8, True)
        e.raw(signing_key)
    return bytes(e.out)


def ecdsa():
    seeds = {}
    rfc = load("rfc6979-p256.json")
    key = h(next(c for c in rfc if c["op"] == "ecdsa.p256.sign")["params"]["key"])
    p1363 = load("wycheproof-ecdsa-p256-sha256-p1363.json")
    derc = load("wycheproof-ecdsa-p256-sha256-der.json")
    # Valid Wycheproof signatures with their DER form; some invalid ones.
    valid = [c for c in p1363 if c["expect"].get("valid") is True and len(h(c["params"]["msg"])) <= 64]
    invalid = [c for c in p1363 if c["expect"].get("valid") is False and len(h(c["params"]["msg"])) <= 64]
    for n, c in enumerate(valid[::9][:8] + invalid[::40][:5]):
        p = c["params"]
        sig = h(p["sig"])
        der = der_sig(sig) if len(sig) == 64 else b""
        seeds[f"p1363-{c['id']}"] = seed_ecdsa(h(p["msg"]), h(p["public_key"]), sig, der, key if n % 4 == 0 else None)
    # BER/DER deviations Wycheproof refuses, with a good fixed signature.
    bad_der = [c for c in derc if c["expect"].get("valid") is False and len(h(c["params"]["sig_der"])) <= 80 and len(h(c["params"]["msg"])) <= 64]
    for c in bad_der[::25][:8]:
        p = c["params"]
        good = valid[0]["params"]
        seeds[f"der-{c['id']}"] = seed_ecdsa(h(p["msg"]), h(p["public_key"]), h(good["sig"]), h(p["sig_der"]), None)
    # RFC 6979 A.2.5: the key, "sample" and "test", signed; the RFC's
    # public key.
    rfc_pk = h(next(c for c in rfc if c["op"] == "ecdsa.p256.verify")["params"]["public_key"])
    for c in rfc:
        if c["op"] != "ecdsa.p256.sign" or "error" in c["expect"]:
            continue
        p = c["params"]
        msg = h(p["msg"])
        if len(msg) > 64:
            continue
        sig = h(c["expect"]["sig"])
        seeds[f"rfc6979-{c['id']}"] = seed_ecdsa(msg, rfc_pk, sig, der_sig(sig), h(p["key"]))
    return seeds


# ---------------------------------------------------------------- vectors


def vectors():
    """One small suite per op: its first case, and its first refusal."""
    by_op = {}
    for name in sorted(os.listdir(VECTORS)):
        if not name.endswith(".json"):
            continue
        for c in load(name):
            picked = by_op.setdefault(c["op"], {})
            kind = "error" in c["expect"]
            if kind in picked or len(json.dumps(c, separators=(",", ":"))) > 1500:
                continue
            picked[kind] = c
    seeds = {}
    for op, picked in by_op.items():
        suite = {"cases": [picked[k] for k in (False, True) if k in picked]}
        seeds[f"{op}.json"] = json.dumps(suite, separators=(",", ":")).encode() + b"\n"
    return seeds


TARGETS = {
    "pin_decipher": pin_decipher,
    "pin_parse": pin_parse,
    "ksn": ksn,
    "dukpt_state": dukpt_state,
    "mac": mac,
    "emv": emv,
    "record": record,
    "ecdsa": ecdsa,
    "vectors": vectors,
}


def main():
    only = sys.argv[1:] or list(TARGETS)
    for target in only:
        seeds = TARGETS[target]()
        assert 0 < len(seeds) <= 48, (target, len(seeds))
        d = os.path.join(SEEDS, target)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        for name, data in sorted(seeds.items()):
            safe = re.sub(r"[^A-Za-z0-9._-]", "_", name)
            with open(os.path.join(d, safe), "wb") as f:
                f.write(data)
        print(f"{target}: {len(seeds)} seeds")


if __name__ == "__main__":
    main()
