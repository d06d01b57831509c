#!/usr/bin/env python3
"""QA generator for `tr31.wrap` / `tr31.unwrap` (docs/vectors.md, "Key blocks").

An implementation of the key-block layout and of versions A, B, C and D
written from docs/vectors.md, over pyca/cryptography (TDES, AES, CMAC). Every
block made here that psec 1.3.0 can read (psec reads short-form optional
blocks and the extended form as `00` `02` LLLL, not docs/vectors.md's `04`) is
also unwrapped by psec's `tr31.unwrap`, which must give back the same key
and header fields: psec is the oracle for the cryptography, this script's
reading of docs/vectors.md for the layout and for every refusal.

    python3 vectors/tools/qa/tr31_qa.py --seed 1 --count 200 --out /tmp/qa/tr31.json
"""

from __future__ import annotations

import os
import string
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import psec.tr31  # noqa: E402

from qacommon import (  # noqa: E402
    Gen,
    aes_cbc_dec,
    aes_cbc_enc,
    args,
    cbc_mac_tdes,
    cmac_aes,
    cmac_tdes,
    tdes_cbc_dec,
    tdes_cbc_enc,
    version,
    write_suite,
    xor,
)

ALNUM = string.ascii_uppercase + string.ascii_lowercase + string.digits
PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))
BS = {"A": 8, "B": 8, "C": 8, "D": 16}
MACLEN = {"A": 4, "B": 8, "C": 4, "D": 16}
KBPK_LENS = {"A": (16, 24), "B": (16, 24), "C": (16, 24), "D": (16, 24, 32)}
USAGES = (
    "B0 B1 B2 B3 C0 D0 D1 D2 E0 E1 E2 E3 E4 E5 E6 I0 K0 K1 K2 K3 M0 M1 M2 M3 M4 M5 M6 M7 M8 "
    "P0 P1 S0 S1 S2 V0 V1 V2 V3 V4".split()
)
KNOWN_IDS = ["KS", "IK", "KC", "KP", "TS", "HM", "KV", "CT", "DA", "LB", "WP", "BI", "PK", "AL"]


# ------------------------------------------------------------- the crypto


def derive_b(kbpk: bytes) -> tuple[bytes, bytes]:
    alg, bits = {16: (b"\x00\x00", b"\x00\x80"), 24: (b"\x00\x01", b"\x00\xc0")}[len(kbpk)]
    n = len(kbpk) // 8
    kbek = b"".join(cmac_tdes(kbpk, bytes([i]) + b"\x00\x00\x00" + alg + bits) for i in range(1, n + 1))
    kbak = b"".join(cmac_tdes(kbpk, bytes([i]) + b"\x00\x01\x00" + alg + bits) for i in range(1, n + 1))
    return kbek, kbak


def derive_d(kbpk: bytes) -> tuple[bytes, bytes]:
    alg, bits = {
        16: (b"\x00\x02", b"\x00\x80"),
        24: (b"\x00\x03", b"\x00\xc0"),
        32: (b"\x00\x04", b"\x01\x00"),
    }[len(kbpk)]
    n = 1 if len(kbpk) == 16 else 2
    kbek = b"".join(cmac_aes(kbpk, bytes([i]) + b"\x00\x00\x00" + alg + bits) for i in range(1, n + 1))
    kbak = b"".join(cmac_aes(kbpk, bytes([i]) + b"\x00\x01\x00" + alg + bits) for i in range(1, n + 1))
    return kbek[: len(kbpk)], kbak[: len(kbpk)]


def seal(version_id: str, kbpk: bytes, header: str, clear: bytes) -> tuple[str, str]:
    """Enciphered key data and MAC (both as uppercase hex) of `clear` under `header`
    (the full header text, length filled in)."""
    h = header.encode("ascii")
    if version_id in "AC":
        kbek = bytes(b ^ 0x45 for b in kbpk)
        kbak = bytes(b ^ 0x4D for b in kbpk)
        enc = tdes_cbc_enc(kbek, h[:8], clear)
        m = h + enc
        m += bytes((-len(m)) % 8)  # whole blocks in a well-formed block; fault cases only
        mac = cbc_mac_tdes(kbak, m)[:4]
    elif version_id == "B":
        kbek, kbak = derive_b(kbpk)
        mac = cmac_tdes(kbak, h + clear)
        enc = tdes_cbc_enc(kbek, mac, clear)
    else:
        kbek, kbak = derive_d(kbpk)
        mac = cmac_aes(kbak, h + clear)
        enc = aes_cbc_enc(kbek, mac, clear)
    return enc.hex().upper(), mac.hex().upper()


def open_clear(version_id: str, kbpk: bytes, header: str, enc: bytes, mac: bytes) -> bytes:
    if version_id in "AC":
        kbek = bytes(b ^ 0x45 for b in kbpk)
        return tdes_cbc_dec(kbek, header.encode()[:8], enc)
    if version_id == "B":
        return tdes_cbc_dec(derive_b(kbpk)[0], mac, enc)
    return aes_cbc_dec(derive_d(kbpk)[0], mac, enc)


# ------------------------------------------------------------- the layout


def opt_block(bid: str, data: str, form: str) -> str:
    """One optional block; form 's' short, 'x2'/'x4'/'x6' extended with that many length digits."""
    if form == "s":
        n = 4 + len(data)
        assert n <= 255
        return bid + f"{n:02X}" + data
    nd = int(form[1:])
    n = 2 + 2 + 2 + nd + len(data)
    assert n < 16**nd
    return bid + "00" + f"{nd:02X}" + f"{n:0{nd}X}" + data


class Spec:
    """A header being built: fields, then a list of (id, data, form)."""

    def __init__(self, g: Gen, version_id: str):
        self.v = version_id
        r = g.rng.random()
        if r < 0.7:
            self.usage = g.choice(USAGES)
        else:
            self.usage = g.choice(ALNUM) + g.choice(ALNUM)
        self.alg = g.choice("TADHRE" if g.rng.random() < 0.8 else ALNUM)
        self.mode = g.choice("BCDEGNSTVXY" if g.rng.random() < 0.8 else ALNUM)
        self.vnum = g.choice(["00", "01", "c1", "99"]) if g.rng.random() < 0.5 else g.choice(ALNUM) + g.choice(ALNUM)
        self.exp = g.choice("NESX" if g.rng.random() < 0.8 else ALNUM)
        self.reserved = "00" if g.rng.random() < 0.8 else g.choice(ALNUM) + g.choice(ALNUM)
        self.blocks: list[tuple[str, str, str]] = []

    def fixed(self, length: int, count: int) -> str:
        return (
            self.v + f"{length:04d}" + self.usage + self.alg + self.mode + self.vnum + self.exp
            + f"{count:02d}" + self.reserved
        )

    def opt_text(self) -> str:
        return "".join(opt_block(i, d, f) for i, d, f in self.blocks)

    def header(self, length: int) -> str:
        return self.fixed(length, len(self.blocks)) + self.opt_text()


def random_data(g: Gen, n: int) -> str:
    r = g.rng.random()
    if r < 0.3:
        return "".join(g.choice("0123456789ABCDEF") for _ in range(n))
    if r < 0.5:
        return "".join(g.choice(ALNUM) for _ in range(n))
    return "".join(g.choice(PRINTABLE) for _ in range(n))


def random_blocks(g: Gen, spec: Spec, psec_readable: bool) -> None:
    """Random optional blocks, then a PB block (or none) to reach the boundary."""
    bs = BS[spec.v]
    k = g.choice([0, 0, 1, 1, 2, 3, 5]) if g.rng.random() < 0.97 else g.randint(10, 40)
    used = set()
    for _ in range(k):
        while True:
            bid = g.choice(KNOWN_IDS) if g.rng.random() < 0.5 else g.choice(ALNUM) + g.choice(ALNUM)
            if bid not in used and bid.upper() != "PB" and bid != "PB":
                break
        used.add(bid)
        if bid == "KS":
            data = "".join(g.choice("0123456789ABCDEF") for _ in range(g.choice([20, 24])))
        elif bid == "IK":
            data = "".join(g.choice("0123456789ABCDEF") for _ in range(16))
        elif bid in ("KC", "KP"):
            data = "0" + g.choice("01") + "".join(g.choice("0123456789ABCDEF") for _ in range(g.choice([6, 10])))
        elif bid == "TS":
            data = "20" + g.digits(12) + "Z"
        else:
            size = g.choice([0, 0, 1, 2, 5, 10, 30, 100, 251]) if g.rng.random() < 0.9 else g.randint(252, 900)
            data = random_data(g, size)
        r = g.rng.random()
        if 4 + len(data) > 255 or r < 0.15:
            form = "x2" if psec_readable else g.choice(["x4", "x4", "x4", "x2", "x6", "x8"])
            nd = int(form[1:])
            if 6 + nd + len(data) >= 16**nd:
                form = "x4"
        else:
            form = "s"
        spec.blocks.append((bid, data, form))
    # Pad block to the boundary (when needed, or sometimes a full extra block).
    cur = 16 + len(spec.opt_text())
    need = (-cur) % bs
    if need == 0 and spec.blocks and g.rng.random() < 0.1:
        need = bs
    if need:
        # A PB block is at least 4 characters.
        while need < 4:
            need += bs
        fill = g.choice(["0", "random"])
        data = "0" * (need - 4) if fill == "0" else random_data(g, need - 4)
        spec.blocks.append(("PB", data, "s"))
    assert (16 + len(spec.opt_text())) % bs == 0


def psec_readable(spec: Spec) -> bool:
    return all(f == "s" for _, _, f in spec.blocks)


class Block:
    """A complete key block with everything that went into it."""

    def __init__(self, spec: Spec, kbpk: bytes, key: bytes, pad: bytes):
        self.spec, self.kbpk, self.key, self.pad = spec, kbpk, key, pad
        v = spec.v
        clear = len(key).__mul__(8).to_bytes(2, "big") + key + pad
        assert len(clear) % BS[v] == 0
        self.clear = clear
        length = 16 + len(spec.opt_text()) + 2 * len(clear) + 2 * MACLEN[v]
        self.length = length
        self.header = spec.header(length)
        self.enc, self.mac = seal(v, kbpk, self.header, clear)
        self.text = self.header + self.enc + self.mac
        assert len(self.text) == length

    def expect(self) -> dict:
        s = self.spec
        return {
            "key": self.key.hex().upper(),
            "version_id": s.v,
            "key_usage": s.usage,
            "algorithm": s.alg,
            "mode_of_use": s.mode,
            "version_num": s.vnum,
            "exportability": s.exp,
            "blocks": {i: d for i, d, _ in s.blocks if i != "PB"},
        }


PSEC_READ = [0, 0]


def psec_check(b: Block) -> None:
    """psec must read the block as we wrote it (when it can read the layout)."""
    PSEC_READ[1] += 1
    if not psec_readable(b.spec):
        return
    PSEC_READ[0] += 1
    hdr, key = psec.tr31.unwrap(b.kbpk, b.text)
    assert key == b.key, (b.text, key.hex(), b.key.hex())
    s = b.spec
    assert (hdr.version_id, hdr.key_usage, hdr.algorithm, hdr.mode_of_use, hdr.version_num, hdr.exportability) == (
        s.v, s.usage, s.alg, s.mode, s.vnum, s.exp), b.text
    assert dict(hdr.blocks) == {i: d for i, d, _ in s.blocks if i != "PB"}


# ------------------------------------------------------------- cases


def random_block(g: Gen, v: str | None = None, readable_only: bool = False) -> Block:
    v = v or g.choice("ABCD")
    kbpk = g.bytes(g.choice(KBPK_LENS[v]))
    spec = Spec(g, v)
    random_blocks(g, spec, readable_only or g.rng.random() < 0.5)
    bs = BS[v]
    r = g.rng.random()
    if r < 0.6:
        klen = g.choice([8, 16, 24, 32, 16, 24])
    elif r < 0.9:
        klen = g.randint(1, 64)
    else:
        klen = g.randint(65, 600)
    key = g.bytes(klen)
    # padding: the fewest bytes, or more (masked length)
    fewest = (-(2 + klen)) % bs
    extra = 0 if g.rng.random() < 0.4 else g.choice([bs, 2 * bs, g.randint(1, 40)])
    if (fewest + extra + 2 + klen) % bs:
        extra += (-(fewest + extra + 2 + klen)) % bs
    pad = g.bytes(fewest + extra)
    b = Block(spec, kbpk, key, pad)
    if b.length > 9999:
        return random_block(g, v, readable_only)
    return b


def wrap_params(g: Gen, b: Block, masked: bool) -> dict:
    length_field = g.choice(["0000", f"{b.length:04d}", g.digits(4)])
    hdr = b.spec.v + length_field + b.header[5:]
    p = {
        "kbpk": g.case_mix(b.kbpk.hex().upper()),
        "header": hdr,
        "key": g.case_mix(b.key.hex().upper()),
        "pad": g.case_mix(b.pad.hex().upper()),
    }
    if masked:
        bs = BS[b.spec.v]
        fewest = (-(2 + len(b.key) + len(b.pad))) % bs
        assert fewest == 0
        # masked_key_len M with pad == M - klen + f, f fewest to fill
        # 2 + M + f = 2 + klen + len(pad)  =>  any M = klen + len(pad) - f, f in 0..bs-1 with (2+M) % bs == (bs - f) % bs
        ok = [len(b.key) + len(b.pad) - f for f in range(bs) if len(b.pad) - f >= 0]
        if ok:
            p["masked_key_len"] = g.choice(ok)
    return p


def gen(g: Gen) -> None:
    b = random_block(g)
    psec_check(b)
    v = b.spec.v
    g.add(f"unwrap-{v}", "tr31.unwrap", {"kbpk": g.case_mix(b.kbpk.hex().upper()), "key_block": b.text}, b.expect())
    masked = "masked_key_len" in wrap_params(g, b, True)
    g.add(f"wrap-{v}", "tr31.wrap", wrap_params(g, b, masked and g.rng.random() < 0.5), {"key_block": b.text})

    # --- refusals of unwrap
    t = b.text
    L = len(t)
    hl = len(b.header)
    kb = b.kbpk.hex().upper()

    def un(tag, text, err, kbpk=kb):
        g.add(tag, "tr31.unwrap", {"kbpk": kbpk, "key_block": text}, {"error": err})

    # wrong KBPK of a right length
    other = g.bytes(g.choice(KBPK_LENS[v]))
    un("wrong-kbpk", t, "bad-mac", other.hex().upper())
    # KBPK of a wrong length
    bad_len = g.choice([n for n in (0, 8, 15, 16, 17, 23, 24, 25, 31, 32, 33, 48) if n not in KBPK_LENS[v]])
    un("kbpk-len", t, "invalid-key", g.hexs(bad_len))
    # KBPK malformed hex
    un("kbpk-hex", t, "invalid-key", g.choice([kb[:-1], kb[:-2] + "G0", kb + "0", kb[:4] + " " + kb[5:]]))
    # a key-data or MAC hex digit changed to another uppercase hex digit
    pos = g.randint(hl, L - 1)
    c = t[pos]
    nc = g.choice([x for x in "0123456789ABCDEF" if x != c])
    un("tamper-data", t[:pos] + nc + t[pos + 1 :], "bad-mac")
    # the same digit in lowercase (when it is a letter), or a non-hex character
    lc = g.choice("abcdefGHZ-.")
    un("nonhex-data", t[:pos] + lc + t[pos + 1 :], "invalid-key-block")
    # a header field changed to another alphanumeric character (not the version,
    # the length or the count): bad-mac
    pos = g.choice([5, 6, 7, 8, 9, 10, 11, 14, 15])
    nc = g.choice([x for x in ALNUM if x != t[pos]])
    un("tamper-header", t[:pos] + nc + t[pos + 1 :], "bad-mac")
    # a non-alphanumeric character in the 16-character header
    pos = g.randint(0, 15)
    nc = g.choice("!#$%&*+-./:;<=>?@[]^_{|}~ ")
    un("header-nonalnum", t[:pos] + nc + t[pos + 1 :], "invalid-key-block")
    # a non-printable character anywhere
    pos = g.randint(0, L - 1)
    nc = g.choice(["\x00", "\x09", "\x0a", "\x1f", "\x7f", "\u00e9"])
    un("nonprintable", t[:pos] + nc + t[pos + 1 :], "invalid-key-block")
    # version other than A-D
    nv = g.choice([x for x in ALNUM if x not in "ABCD"])
    un("version", nv + t[1:], "invalid-key-block")
    # length field that disagrees with the text
    wrong = g.choice([x for x in (L - 1, L + 1, L - 8, L + 16, 0, 9999) if 0 <= x <= 9999 and x != L])
    un("length-mismatch", t[0] + f"{wrong:04d}" + t[5:], "invalid-key-block")
    # truncated (length field left alone), or with a byte appended
    cut = g.randint(1, min(L - 1, 40))
    un("truncated", t[:-cut], "invalid-key-block")
    un("extended", t + g.choice("0123456789ABCDEF"), "invalid-key-block")
    # truncated by whole cipher blocks of key data, length fixed: well formed, wrong MAC
    nblk = len(b.enc) // (2 * BS[v])
    if nblk > 1:
        drop = 2 * BS[v] * g.randint(1, nblk - 1)
        nt = t[0] + f"{L - drop:04d}" + t[5:hl] + b.enc[drop:] + b.mac
        un("drop-blocks", nt, "bad-mac")
    # key data not a whole number of cipher blocks (length fixed)
    if len(b.enc) > 2:
        drop = 2 * g.randint(1, BS[v] - 1) + 2 * BS[v] * g.randint(0, nblk - 1)
        nt = t[0] + f"{L - drop:04d}" + t[5:hl] + b.enc[drop:] + b.mac
        un("partial-block", nt, "invalid-key-block")
    # no key data at all
    nt = t[0] + f"{hl + len(b.mac):04d}" + t[5:hl] + b.mac
    un("no-key-data", nt, "invalid-key-block")
    # block count not digits, or not matching
    pos = g.choice([12, 13])
    un("count-nondigit", t[:pos] + g.choice("ABZa") + t[pos + 1 :], "invalid-key-block")
    n = len(b.spec.blocks)
    last = opt_block(*b.spec.blocks[-1]) if n else ""
    if n > 0 and any(c not in "0123456789ABCDEF" for c in last):
        un("count-minus", t[:12] + f"{n - 1:02d}" + t[14:], "invalid-key-block")
    nxt = b.enc[:4]
    nl = int(nxt[2:4], 16)
    opt_end = len(b.header)
    if n < 99 and nl != 0 and (nl < 4 or (opt_end + nl) % BS[v] != 0):
        un("count-plus", t[:12] + f"{n + 1:02d}" + t[14:], "invalid-key-block")
    # a length field that is not digits
    pos = g.randint(1, 4)
    un("length-nondigit", t[:pos] + g.choice("ABF") + t[pos + 1 :], "invalid-key-block")

    # bad key length field, MAC right (we re-seal a clear key data of our own)
    bs = BS[v]
    klen = len(b.key)
    room = len(b.clear) - 2
    choices = [0, 8 * room + 8, 8 * room + g.randint(1, 7), 0xFFFF, 8 * g.randint(1, max(1, room)) + g.randint(1, 7)]
    bits = g.choice(choices)
    clear = bits.to_bytes(2, "big") + b.clear[2:]
    enc, mac = seal(v, b.kbpk, b.header, clear)
    un("key-length-field", b.header + enc + mac, "invalid-key-block")
    # a key length field that says less than the key (fits): the shorter key comes back
    if room >= 2:
        short = g.randint(1, room)
        clear = (8 * short).to_bytes(2, "big") + b.clear[2:]
        enc, mac = seal(v, b.kbpk, b.header, clear)
        e = b.expect()
        e["key"] = b.clear[2 : 2 + short].hex().upper()
        g.add(f"unwrap-short-{v}", "tr31.unwrap", {"kbpk": kb, "key_block": b.header + enc + mac}, e)

    # optional-block faults (in the header; the MAC is recomputed so only the fault remains)
    if b.spec.blocks:
        for _ in range(3):
            opt_faults(g, b)

    # --- refusals of wrap
    wp = wrap_params(g, b, False)

    def wr(tag, err, **kw):
        p = dict(wp)
        p.update(kw)
        g.add(tag, "tr31.wrap", p, {"error": err})

    wr("wrap-kbpk-len", "invalid-key", kbpk=g.hexs(bad_len))
    wr("wrap-key-empty", "invalid-length", key="", pad=g.hexs(bs - 2))
    # pad one byte off (one byte short or long, or a block short)
    if len(b.pad) > 0:
        wr("wrap-pad-short", "invalid-length", pad=b.pad[:-1].hex().upper())
    wr("wrap-pad-long", "invalid-length", pad=(b.pad + g.bytes(g.randint(1, bs - 1))).hex().upper())
    # masked key length: shorter than the key, or disagreeing with the pad
    wr("wrap-masked-short", "invalid-length", masked_key_len=max(0, klen - g.randint(1, klen)))
    m = klen + len(b.pad) - ((-(2 + klen + len(b.pad))) % bs)
    wrong_m = [x for x in range(klen, klen + len(b.pad) + 3 * bs)
               if len(b.pad) != x - klen + ((-(2 + x)) % bs)]
    if wrong_m:
        wr("wrap-masked-wrong", "invalid-length", masked_key_len=g.choice(wrong_m))
    # text after the optional blocks
    wr("wrap-trailing", "invalid-key-block", header=wp["header"] + g.choice(["0", "00000000", "X", "AB12"]))
    # header too short
    wr("wrap-short-header", "invalid-key-block", header=wp["header"][: g.randint(0, 15)])
    wr("wrap-version", "invalid-key-block", header=g.choice([x for x in ALNUM if x not in "ABCD"]) + wp["header"][1:])
    pos = g.randint(1, 15)
    h = wp["header"]
    wr("wrap-header-nonalnum", "invalid-key-block", header=h[:pos] + g.choice("!#-./ _") + h[pos + 1 :])
    # optional blocks off the boundary (no PB block), or a count the text does not have
    nb = [x for x in b.spec.blocks if x[0] != "PB"]
    opt = "".join(opt_block(i, d, f) for i, d, f in nb)
    if (16 + len(opt)) % bs:
        wr("wrap-boundary", "invalid-key-block", header=b.spec.fixed(0, len(nb)) + opt)
    if len(b.spec.blocks) < 99:
        wr("wrap-count", "invalid-key-block", header=b.spec.fixed(0, len(b.spec.blocks) + 1) + b.spec.opt_text())
    # a block longer than 9999 characters
    big = (9999 - len(b.header) - 2 * MACLEN[v]) // 2 - 2
    big_key = g.bytes(big + g.randint(1, 64))
    bp = (-(2 + len(big_key))) % bs
    wr("wrap-too-long", "invalid-length", key=big_key.hex().upper(), pad=g.hexs(bp))
    # the longest block that fits
    maxkey = (9999 - len(b.header) - 2 * MACLEN[v]) // 2 - 2
    while (2 + maxkey) % bs:
        maxkey -= 1
    if maxkey > 0 and maxkey <= 8191 and g.rng.random() < 0.1:
        bb = Block(b.spec, b.kbpk, g.bytes(maxkey), b"")
        assert bb.length <= 9999
        g.add(f"wrap-longest-{v}", "tr31.wrap", wrap_params(g, bb, False), {"key_block": bb.text})
        g.add(f"unwrap-longest-{v}", "tr31.unwrap", {"kbpk": kb, "key_block": bb.text}, bb.expect())


def opt_faults(g: Gen, b: Block) -> None:
    """Malformed optional blocks. The header is rebuilt and the block re-sealed so the
    fault is the only one (lengths and MAC right)."""
    v = b.spec.v
    kb = b.kbpk.hex().upper()
    s = b.spec
    fixed_count = len(s.blocks)

    def resealed(opt: str, count: int) -> str:
        base = s.fixed(0, count) + opt
        total = len(base) + 2 * len(b.clear) + 2 * MACLEN[v]
        hdr = s.fixed(total, count) + opt
        enc, mac = seal(v, b.kbpk, hdr, b.clear)
        return hdr + enc + mac

    kind = g.choice(["dup", "short-len", "overrun", "lowercase-len", "nonhex-len", "boundary", "ext-bad",
                     "id-nonalnum"])
    blocks = list(s.blocks)
    if kind == "dup" and any(i != "PB" for i, _, _ in blocks):
        i0, d0, f0 = next(x for x in blocks if x[0] != "PB")
        blocks.insert(0, (i0, d0, f0))
        opt = "".join(opt_block(i, d, f) for i, d, f in blocks)
        # re-pad
        cur = 16 + len(opt)
        opt_list = blocks
        if cur % BS[v]:
            opt_list = [x for x in blocks if x[0] != "PB"]
            opt = "".join(opt_block(i, d, f) for i, d, f in opt_list)
            need = (-(16 + len(opt))) % BS[v]
            while need and need < 4:
                need += BS[v]
            if need:
                opt_list.append(("PB", "0" * (need - 4), "s"))
            opt = "".join(opt_block(i, d, f) for i, d, f in opt_list)
        g.add("opt-dup", "tr31.unwrap", {"kbpk": kb, "key_block": resealed(opt, len(opt_list))},
              {"error": "invalid-key-block"})
    elif kind in ("short-len", "lowercase-len", "nonhex-len"):
        # corrupt the first short-form block's length field
        idx = next((k for k, x in enumerate(blocks) if x[2] == "s"), None)
        if idx is None:
            return
        texts = [opt_block(i, d, f) for i, d, f in blocks]
        t0 = texts[idx]
        if kind == "short-len":
            ln = g.choice(["00"[:0] + "01", "02", "03"])
        elif kind == "lowercase-len":
            real = t0[2:4]
            if not any(c in "ABCDEF" for c in real):
                return
            ln = real.lower()
        else:
            ln = g.choice(["G0", "0Z", " 8", "-1"])
        texts[idx] = t0[:2] + ln + t0[4:]
        g.add(f"opt-{kind}", "tr31.unwrap", {"kbpk": kb, "key_block": resealed("".join(texts), fixed_count)},
              {"error": "invalid-key-block"})
    elif kind == "overrun":
        # the last block's length runs past the optional blocks into the key data
        texts = [opt_block(i, d, f) for i, d, f in blocks]
        i, d, f = blocks[-1]
        if f != "s":
            return
        n = 4 + len(d) + g.randint(1, 200)
        if n > 255 or (16 + len("".join(texts)) - 4 - len(d) + n) % BS[v] == 0:
            return
        texts[-1] = i + f"{n:02X}" + d
        g.add("opt-overrun", "tr31.unwrap", {"kbpk": kb, "key_block": resealed("".join(texts), fixed_count)},
              {"error": "invalid-key-block"})
    elif kind == "boundary":
        # drop the PB block (or add one character to a block): off the boundary
        nb = [x for x in blocks if x[0] != "PB"]
        opt = "".join(opt_block(i, d, f) for i, d, f in nb)
        if (16 + len(opt)) % BS[v] == 0:
            if not nb or nb[-1][2] != "s" or len(nb[-1][1]) > 250:
                return
            i, d, f = nb[-1]
            nb[-1] = (i, d + "0", f)
            opt = "".join(opt_block(i, d, f) for i, d, f in nb)
        if (16 + len(opt)) % BS[v] == 0:
            return
        # keep the total length a multiple of the block? the fault is the boundary
        g.add("opt-boundary", "tr31.unwrap", {"kbpk": kb, "key_block": resealed(opt, len(nb))},
              {"error": "invalid-key-block"})
    elif kind == "id-nonalnum":
        # an ID that is not 2 alphanumeric characters (docs/vectors.md; X9.143's IDs are AN)
        idx = g.randint(0, len(blocks) - 1)
        texts = [opt_block(i, d, f) for i, d, f in blocks]
        t0 = texts[idx]
        pos = g.randint(0, 1)
        t0 = t0[:pos] + g.choice("!#$%&*+-./:;<=>?@[]^_{|}~ ") + t0[pos + 1 :]
        texts[idx] = t0
        g.add("opt-id-nonalnum", "tr31.unwrap", {"kbpk": kb, "key_block": resealed("".join(texts), fixed_count)},
              {"error": "invalid-key-block"})
    elif kind == "ext-bad":
        # extended length whose length-of-length digits are not hex, or whose length is too small
        idx = g.randint(0, len(blocks) - 1)
        texts = [opt_block(i, d, f) for i, d, f in blocks]
        i, d, f = blocks[idx]
        sub = g.choice(["nonhex", "small"])
        if sub == "nonhex":
            texts[idx] = i + "00" + g.choice(["0G", "Z4", "x4"]) + f"{10 + len(d):04X}" + d
        else:
            texts[idx] = i + "00" + "04" + f"{g.randint(0, 7):04X}" + d
        g.add(f"opt-ext-{sub}", "tr31.unwrap", {"kbpk": kb, "key_block": resealed("".join(texts), fixed_count)},
              {"error": "invalid-key-block"})


def edges(g: Gen) -> None:
    """Fixed edges, once per suite: every extended-length form docs/vectors.md allows,
    a non-alphanumeric optional block ID, a 1-byte and a maximal key."""
    for v in "ABCD":
        kbpk = g.bytes(KBPK_LENS[v][-1])
        for forms in (["x2"], ["x4"], ["x6"], ["x8"], ["s", "x4"]):
            spec = Spec(g, v)
            spec.blocks = [(f"E{i}", random_data(g, g.randint(0, 40)), f) for i, f in enumerate(forms)]
            need = (-(16 + len(spec.opt_text()))) % BS[v]
            while need and need < 4:
                need += BS[v]
            if need:
                spec.blocks.append(("PB", "0" * (need - 4), "s"))
            b = Block(spec, kbpk, g.bytes(16), g.bytes((-(2 + 16)) % BS[v]))
            g.add(f"edge-ext-{'-'.join(forms)}-{v}", "tr31.unwrap", {"kbpk": H(kbpk), "key_block": b.text},
                  b.expect())
            g.add(f"edge-ext-wrap-{'-'.join(forms)}-{v}", "tr31.wrap", wrap_params(g, b, False),
                  {"key_block": b.text})
        spec = Spec(g, v)
        spec.blocks = [("K!", "00", "s")]
        need = (-(16 + len(spec.opt_text()))) % BS[v]
        while need and need < 4:
            need += BS[v]
        spec.blocks.append(("PB", "0" * (need - 4), "s"))
        b = Block(spec, kbpk, g.bytes(16), g.bytes((-(2 + 16)) % BS[v]))
        g.add(f"edge-id-nonalnum-{v}", "tr31.unwrap", {"kbpk": H(kbpk), "key_block": b.text},
              {"error": "invalid-key-block"})
        spec = Spec(g, v)
        b = Block(spec, kbpk, g.bytes(1), g.bytes((-(2 + 1)) % BS[v]))
        g.add(f"edge-1-byte-key-{v}", "tr31.unwrap", {"kbpk": H(kbpk), "key_block": b.text}, b.expect())


def H(b: bytes) -> str:
    return b.hex().upper()


def main() -> None:
    a = args(__doc__.splitlines()[1], "/tmp/qa/tr31.json")
    g = Gen(a.seed, f"tr31-s{a.seed}")
    edges(g)
    for _ in range(a.count):
        gen(g)
    src = (
        f"vectors/tools/qa/tr31_qa.py --seed {a.seed} --count {a.count}: key blocks built from "
        f"docs/vectors.md over pyca/cryptography {version('cryptography')} (TDES, AES, CMAC), each "
        f"short-form block read back by psec {version('psec')} tr31.unwrap (same key and header); "
        "refusals from docs/vectors.md's rules"
    )
    write_suite(a.out, f"qa-tr31-s{a.seed}", src, g.cases)
    print(f"{a.out}: {len(g.cases)} cases (seed {a.seed}); psec read {PSEC_READ[0]} of {PSEC_READ[1]} blocks",
          file=sys.stderr)


if __name__ == "__main__":
    main()
