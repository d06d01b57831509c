#!/usr/bin/env python3
"""Generate vectors/tr31-psec.json: TR-31 / ANSI X9.143 key block cases
whose cryptography comes from psec 1.3.0 (PyPI, `psec.tr31`), an
implementation independent of paykernel.

What psec does here:
- every key block is wrapped by psec's own version A/B/C/D wrap functions
  (`KeyBlock._wrap_dispatch`, given the header text as this script lays it
  out, so that the header reaches the MAC exactly as written: psec's public
  `wrap` re-lays every header out itself, drops any `PB` block it is given
  and writes its own, and cannot write the extended length form of
  docs/vectors.md); its padding comes from psec, whose random source this script
  seeds;
- the padding of each block, for the `tr31.wrap` cases that must reproduce
  it, is recovered by deciphering with psec's own key derivations
  (`_c_derive`, `_b_derive`, `_d_derive`) and psec's TDES/AES-CBC;
- blocks whose key length field is wrong (zero, not whole bytes, longer
  than the key data) are enciphered and MACed with psec's primitives
  (`_b_generate_mac`, `_c_generate_mac`, `_d_generate_mac`,
  `psec.des.encrypt_tdes_cbc`, `psec.aes.encrypt_aes_cbc`);
- every block without an extended-length optional block is also unwrapped
  by psec's public `unwrap`, which must give the key and header fields
  this script expects.

What this script does itself: it lays out headers and optional blocks (at
random: every key usage of X9.143's table and unknown codes, algorithms,
modes of use, key version numbers, exportability, reserved characters,
optional blocks KS, IK, KC, KP, TS, HM, LB, CT, BI, ... with printable
data, in short or extended length form, `PB` padding with random
printable characters), chooses fresh random KBPKs, keys of every length
and masked key lengths, and decides each refusal's error kind by its own
reading of docs/vectors.md ("Key blocks"), the function `ref_parse` below.

Where psec's behaviour differs from docs/vectors.md, docs/vectors.md wins (and the
cases follow it):
- psec takes an 8-byte KBPK for versions A and C; docs/vectors.md takes 16 or
  24 bytes only (`invalid-key`).
- psec reads an extended length's two hex digits as a count of bytes
  (`0002` + 4 hex digits); docs/vectors.md (and X9.143's own example, `0004`)
  as a count of hex digits. Blocks with extended lengths are therefore
  wrapped through psec's internal functions and not unwrapped by psec.
- psec accepts lowercase hex in key data, MAC and optional block lengths;
  docs/vectors.md does not (`invalid-key-block`).
- psec does not check that the optional blocks end on a cipher block
  boundary, that every character is printable, nor IDs twice; docs/vectors.md
  does (`invalid-key-block`).
- psec returns an empty key for a key length field of zero; docs/vectors.md
  refuses it (`invalid-key-block`).
- psec's wrap always pads by 1 to a whole cipher block beyond the masked
  length (a full block when 2 + masked length is already whole blocks);
  docs/vectors.md's `masked_key_len` takes the fewest bytes (0 to one less than
  a block). Each wrap case gives `pad` exactly as psec drew it, and a
  `masked_key_len` (when it has one) that docs/vectors.md's rule maps to that
  padding.

The random choices come from a fixed seed: running the script again
writes the same file. Run by hand:

    pip install psec==1.3.0
    python3 vectors/tools/tr31_psec.py
"""

from __future__ import annotations

import random
import string
import sys
import warnings

import psec.aes as paes
import psec.des as pdes
import psec.tr31 as tr31

from common import case, dist_version, hx, write_suite

warnings.filterwarnings("ignore")

SEED = 143_2022
rng = random.Random(SEED)

MAC_LEN = {"A": 4, "B": 8, "C": 4, "D": 16}
BLOCK = {"A": 8, "B": 8, "C": 8, "D": 16}
KBPK_LENS = {"A": [16, 24], "B": [16, 24], "C": [16, 24], "D": [16, 24, 32]}
BAD_KBPK_LENS = {"A": [0, 8, 15, 17, 32], "B": [8, 12, 23, 32], "C": [8, 25, 32],
                 "D": [8, 15, 20, 33, 48]}

# X9.143-2022 table 2, and codes it does not define.
USAGES = ("B0 B1 B2 B3 C0 D0 D1 D2 D3 E0 E1 E2 E3 E4 E5 E6 E7 I0 K0 K1 K2 K3 K4 "
          "M0 M1 M2 M3 M4 M5 M6 M7 M8 P0 P1 S0 S1 S2 V0 V1 V2 V3 V4 V5").split()
ODD_USAGES = ["00", "10", "9Z", "p0", "ZZ", "42"]
ALGORITHMS = "ADEHRST"
MODES = "BCDEGNSTVXY"
EXPORTS = "ENS"
ALNUM = string.ascii_letters + string.digits
PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))
HEXU = "0123456789ABCDEF"


def rbytes(n: int) -> bytes:
    return bytes(rng.getrandbits(8) for _ in range(n))


def rtext(n: int, alphabet: str = PRINTABLE) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


# psec draws its padding from os.urandom: here from the seeded generator.
tr31._urandom = rbytes


# --- layout ---------------------------------------------------------------

def opt_block(bid: str, data: str, ext_digits: int | None = None) -> str:
    """An optional block: ID, length (short, or extended with `ext_digits`
    hex digits), data."""
    if ext_digits is None:
        n = 4 + len(data)
        assert n <= 255
        return f"{bid}{n:02X}{data}"
    n = 6 + ext_digits + len(data)
    return f"{bid}00{ext_digits:02X}{n:0{ext_digits}X}{data}"


def block_data(bid: str) -> str:
    """Plausible data for an optional block of `bid`."""
    if bid == "KS":
        return rtext(20, HEXU)
    if bid == "IK":
        return rtext(16, HEXU)
    if bid in ("KC", "KP"):
        return rng.choice(["00" + rtext(6, HEXU), "01" + rtext(10, HEXU)])
    if bid in ("TS", "TC"):
        return (f"20{rng.randint(10, 39)}{rng.randint(1, 12):02}{rng.randint(1, 28):02}"
                f"{rng.randint(0, 23):02}{rng.randint(0, 59):02}{rng.randint(0, 59):02}Z")
    if bid == "HM":
        return rng.choice(["10", "20", "21", "22", "23", "31"])
    if bid == "BI":
        return rng.choice(["00" + rtext(10, HEXU), "01" + rtext(8, HEXU)])
    if bid == "CT":
        return "00" + rtext(rng.randint(20, 400), string.ascii_letters + string.digits + "+/=")
    if bid == "LB":
        return rtext(rng.randint(0, 40), string.ascii_letters + string.digits + " ")
    return rtext(rng.randint(0, 30))


IDS = ["KS", "IK", "KC", "KP", "TS", "TC", "HM", "BI", "CT", "LB", "DA", "WP", "FL",
       "KV", "AL", "TT", "Z9", "1A", "x1"]


def random_header(version: str, with_blocks: bool = True, ext: bool | None = None
                  ) -> tuple[str, dict[str, str]]:
    """A header with length field 0000 and its optional blocks' data
    (PB excluded), laid out at random."""
    usage = rng.choice(USAGES) if rng.random() < 0.85 else rng.choice(ODD_USAGES)
    alg = rng.choice(ALGORITHMS) if rng.random() < 0.9 else rng.choice(ALNUM)
    mode = rng.choice(MODES) if rng.random() < 0.9 else rng.choice(ALNUM)
    vn = rng.choice(["00", "00", "01", "12", "c1", "c2", rtext(2, ALNUM)])
    exp = rng.choice(EXPORTS) if rng.random() < 0.9 else rng.choice(ALNUM)
    reserved = "00" if rng.random() < 0.85 else rtext(2, ALNUM)
    blocks: list[str] = []
    data: dict[str, str] = {}
    if with_blocks:
        n = rng.choice([0, 0, 1, 1, 2, 3, 4, 6])
        for bid in rng.sample(IDS, n):
            d = block_data(bid)
            use_ext = len(d) > 251 or (ext if ext is not None else rng.random() < 0.15)
            digits = rng.choice([4, 4, 4, 2, 3, 6]) if use_ext else None
            if digits == 2 and 6 + 2 + len(d) > 255:
                digits = 4
            blocks.append(opt_block(bid, d, digits))
            data[bid] = d
        if ext and not any(True for b in blocks if b[2:4] == "00"):
            d = block_data("LB")
            blocks.append(opt_block("LB" if "LB" not in data else "L2", d, 4))
            data["LB" if "LB" not in data else "L2"] = d
    total = sum(len(b) for b in blocks)
    b = BLOCK[version]
    if total % b or (blocks and rng.random() < 0.1):
        fill = (-(total + 4)) % b
        if fill == 0 and total % b == 0:
            fill = b - 4
        blocks.append(opt_block("PB", rtext(fill)))
    opt = "".join(blocks)
    assert len(opt) % b == 0
    count = len(blocks)
    header = f"{version}0000{usage}{alg}{mode}{vn}{exp}{count:02}{reserved}{opt}"
    return header, data


def with_length(text: str, n: int) -> str:
    return text[0] + f"{n:04}" + text[5:]


# --- the reference reading of docs/vectors.md ------------------------------------

class Refused(Exception):
    pass


def _hexval(s: str) -> int:
    if not s or any(c not in HEXU for c in s):
        raise Refused
    return int(s, 16)


def ref_header(text: str, check_len: bool) -> tuple[dict, str]:
    """Parses a header at the start of `text` by docs/vectors.md; returns its
    fields and the rest. Raises Refused for invalid-key-block."""
    if any(not (0x20 <= ord(c) <= 0x7E) for c in text):
        raise Refused
    fixed = text[:16]
    if len(fixed) < 16 or not all(c in ALNUM for c in fixed):
        raise Refused
    v = fixed[0]
    if v not in "ABCD":
        raise Refused
    if not fixed[1:5].isdigit() or not fixed[12:14].isdigit():
        raise Refused
    if check_len and int(fixed[1:5]) != len(text):
        raise Refused
    rest = text[16:]
    blocks: list[tuple[str, str]] = []
    used = 0
    for _ in range(int(fixed[12:14])):
        bid = rest[:2]
        if len(bid) < 2 or not all(c in ALNUM for c in bid):
            raise Refused
        n = _hexval(rest[2:4]) if len(rest) >= 4 else None
        if n is None:
            raise Refused
        if n == 0:
            if len(rest) < 6:
                raise Refused
            nd = _hexval(rest[4:6])
            if nd == 0 or len(rest) < 6 + nd:
                raise Refused
            total = _hexval(rest[6:6 + nd])
            start = 6 + nd
        else:
            total, start = n, 4
        if total < start or total > len(rest):
            raise Refused
        if bid in [b for b, _ in blocks]:
            raise Refused
        blocks.append((bid, rest[start:total]))
        used += total
        rest = rest[total:]
    if used % BLOCK[v]:
        raise Refused
    fields = {
        "version_id": v, "key_usage": fixed[5:7], "algorithm": fixed[7],
        "mode_of_use": fixed[8], "version_num": fixed[9:11], "exportability": fixed[11],
        "blocks": {b: d for b, d in blocks if b != "PB"},
        "header": text[:16 + used],
    }
    return fields, rest


def ref_block(text: str) -> dict:
    """A key block's format by docs/vectors.md (no cryptography)."""
    fields, rest = ref_header(text, True)
    v = fields["version_id"]
    m = 2 * MAC_LEN[v]
    kd, mac = rest[:-m] if len(rest) >= m else "", rest[-m:] if len(rest) >= m else ""
    if len(rest) < m or not kd or len(kd) % (2 * BLOCK[v]):
        raise Refused
    if any(c not in HEXU for c in kd + mac):
        raise Refused
    fields["key_data"], fields["mac"] = bytes.fromhex(kd), bytes.fromhex(mac)
    return fields


def ref_kind(text: str) -> str | None:
    """`invalid-key-block` if the text breaks the format, else None."""
    try:
        ref_block(text)
        return None
    except Refused:
        return "invalid-key-block"


# --- psec ------------------------------------------------------------------

def psec_kb(kbpk: bytes, version: str) -> tr31.KeyBlock:
    kb = tr31.KeyBlock(kbpk)
    kb.header.version_id = version
    return kb


def psec_wrap(kbpk: bytes, header: str, key: bytes, extra_pad: int) -> str:
    """psec's own wrap of `key` under the header text as given (its length
    field filled in here)."""
    v = header[0]
    pad_len = BLOCK[v] - ((2 + len(key) + extra_pad) % BLOCK[v])
    total = len(header) + 2 * (2 + len(key) + extra_pad + pad_len) + 2 * MAC_LEN[v]
    kb = psec_kb(kbpk, v)
    return kb._wrap_dispatch[v](kb, with_length(header, total), key, extra_pad)


def psec_clear(kbpk: bytes, block: str) -> bytes:
    """The clear key data of a block, deciphered with psec's keys."""
    f = ref_block(block)
    v, kd, mac = f["version_id"], f["key_data"], f["mac"]
    kb = psec_kb(kbpk, v)
    if v in "AC":
        kbek, _ = kb._c_derive()
        return pdes.decrypt_tdes_cbc(kbek, f["header"][:8].encode(), kd)
    if v == "B":
        kbek, _ = kb._b_derive()
        return pdes.decrypt_tdes_cbc(kbek, mac, kd)
    kbek, _ = kb._d_derive()
    return paes.decrypt_aes_cbc(kbek, mac, kd)


def psec_seal(kbpk: bytes, header: str, clear: bytes) -> str:
    """A block of arbitrary clear key data (any key length field), MACed
    and enciphered with psec's primitives."""
    v = header[0]
    total = len(header) + 2 * len(clear) + 2 * MAC_LEN[v]
    header = with_length(header, total)
    kb = psec_kb(kbpk, v)
    if v in "AC":
        kbek, kbak = kb._c_derive()
        enc = pdes.encrypt_tdes_cbc(kbek, header[:8].encode(), clear)
        mac = kb._c_generate_mac(kbak, header, enc)
    elif v == "B":
        kbek, kbak = kb._b_derive()
        mac = kb._b_generate_mac(kbak, header, clear)
        enc = pdes.encrypt_tdes_cbc(kbek, mac, clear)
    else:
        kbek, kbak = kb._d_derive()
        mac = kb._d_generate_mac(kbak, header, clear)
        enc = paes.encrypt_aes_cbc(kbek, mac, clear)
    return header + hx(enc) + hx(mac)


def psec_agrees(kbpk: bytes, block: str, key: bytes, fields: dict) -> None:
    """psec's public unwrap gives the same key and header fields."""
    h, k = tr31.unwrap(kbpk, block)
    assert k == key, block
    assert (h.version_id, h.key_usage, h.algorithm, h.mode_of_use, h.version_num,
            h.exportability) == tuple(fields[x] for x in (
                "version_id", "key_usage", "algorithm", "mode_of_use", "version_num",
                "exportability")), block
    assert dict(h.blocks) == fields["blocks"], (block, dict(h.blocks))


def has_extended(header_fields: dict, text: str) -> bool:
    rest = text[16:len(header_fields["header"])]
    while rest:
        if rest[2:4] == "00":
            return True
        n = int(rest[2:4], 16)
        rest = rest[n:]
    return False


def expect_unwrap(key: bytes, fields: dict) -> dict:
    e = {"key": hx(key)}
    for k in ("version_id", "key_usage", "algorithm", "mode_of_use", "version_num",
              "exportability"):
        e[k] = fields[k]
    e["blocks"] = fields["blocks"]
    return e


def masked_for(version: str, key_len: int, pad_len: int) -> int:
    """A masked_key_len that docs/vectors.md's rule maps to `pad_len` bytes of
    padding (one at random when several do)."""
    b = BLOCK[version]
    choices = [m for m in range(key_len, key_len + pad_len + 1)
               if (m - key_len) + ((-(m + 2)) % b) == pad_len]
    assert choices
    return rng.choice(choices)


# --- cases -------------------------------------------------------------------

cases: list[dict] = []


def add(cid: str, op: str, params: dict, expect: dict) -> None:
    cases.append(case(cid, op, params, expect))


def key_lengths() -> list[int]:
    return [1, 2, 5, 7, 8, 9, 15, 16, 17, 20, 23, 24, 25, 31, 32, 33, 40, 48, 63, 64, 65, 100,
            121, 255, 256, 600]


def algorithm_for(key_len: int) -> str:
    if key_len in (8,):
        return rng.choice("DT")
    if key_len in (16, 24):
        return rng.choice("TA")
    if key_len == 32:
        return "A"
    return rng.choice("HER")


# 1. The blocks of paykernel's own documentation (README, rustdoc): made
#    here by psec's public wrap, in this order, from their own seed.
def doc_blocks() -> None:
    doc_rng = random.Random(20260)
    tr31._urandom = lambda n: bytes(doc_rng.getrandbits(8) for _ in range(n))
    kt = bytes.fromhex("B8ED59E0A279A295E9F5ED7944FD06B9")
    ka = bytes.fromhex("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6")
    ik = tr31.Header("D", "B1", "A", "X", "00", "N")
    ik.blocks["IK"] = "1234567890123456"
    docs = [
        # X9.24-1:2009 A.4 IPEK and initial KSN.
        ("doc-tdes-ipek-b1", kt, "B0000B1TX00N0100KS18FFFF9876543210E00000",
         "6AC292FAA1315B4D858AB3A3D7D5933A"),
        # X9.24-3-2017 test vectors: AES-128 initial key, initial key ID.
        ("doc-aes-initial-key-b1", ka, ik, "1273671EA26AC29AFA4D1084127652A1"),
        # X9.24-1:2009 A.4 BDK.
        ("doc-tdes-bdk-b0", kt, "B0000B0TX00N0000", "0123456789ABCDEFFEDCBA9876543210"),
        # X9.24-3-2017 AES-128 BDK.
        ("doc-aes-bdk-b0", ka, "D0000B0AX00N0000", "FEDCBA9876543210F1F1F1F1F1F1F1F1"),
        # NIST SP 800-38B D.1 AES key as a CMAC key, generate only / verify only.
        ("doc-cmac-generate-m6", ka, "D0000M6AG00E0000", "2B7E151628AED2A6ABF7158809CF4F3C"),
        ("doc-cmac-verify-m6", ka, "D0000M6AV00E0000", "2B7E151628AED2A6ABF7158809CF4F3C"),
        # The X9.24-1 BDK as a PIN key (it must not become a BDK).
        ("doc-tdes-p0", kt, "B0000P0TE00N0000", "0123456789ABCDEFFEDCBA9876543210"),
    ]
    for cid, kbpk, header, key in docs:
        block = tr31.wrap(kbpk, header, bytes.fromhex(key))
        fields = ref_block(block)
        add(cid, "tr31.unwrap", {"kbpk": hx(kbpk), "key_block": block},
            expect_unwrap(bytes.fromhex(key), fields))
    tr31._urandom = rbytes


def valid_blocks() -> list[tuple[str, bytes, str, bytes]]:
    """Random well-formed blocks: (id, kbpk, block, key)."""
    made = []
    n = 0
    for version in "ABCD":
        for key_len in key_lengths():
            for rep in range(2):
                n += 1
                kbpk = rbytes(rng.choice(KBPK_LENS[version]))
                key = rbytes(key_len)
                header, _ = random_header(version, ext=True if rep == 1 and key_len % 3 == 0 else None)
                alg = algorithm_for(key_len)
                header = header[:7] + alg + header[8:]
                extra = rng.choice([0, 0, 0, 1, 4, 8, 16, 24 - key_len % 24])
                extra = max(0, extra)
                block = psec_wrap(kbpk, header, key, extra)
                if len(block) > 9999:
                    continue
                made.append((f"{version}-k{key_len}-{rep}", kbpk, block, key))
    return made


def unwrap_and_wrap_cases(made) -> None:
    for cid, kbpk, block, key in made:
        fields = ref_block(block)
        if not has_extended(fields, block):
            psec_agrees(kbpk, block, key, fields)
        add(f"unwrap-{cid}", "tr31.unwrap", {"kbpk": hx(kbpk), "key_block": block},
            expect_unwrap(key, fields))
        v = fields["version_id"]
        clear = psec_clear(kbpk, block)
        assert clear[:2] == (8 * len(key)).to_bytes(2, "big") and clear[2:2 + len(key)] == key
        pad = clear[2 + len(key):]
        header = fields["header"]
        length_field = rng.choice(["0000", "0000", f"{len(block):04}", f"{rng.randint(0, 9999):04}"])
        params = {"kbpk": hx(kbpk), "header": header[0] + length_field + header[5:],
                  "key": hx(key), "pad": hx(pad)}
        if rng.random() < 0.5:
            params["masked_key_len"] = masked_for(v, len(key), len(pad))
        add(f"wrap-{cid}", "tr31.wrap", params, {"key_block": block})


def refusal_cases(made) -> None:
    n = 0

    def refuse(cid: str, params: dict, kind: str, op: str = "tr31.unwrap") -> None:
        nonlocal n
        n += 1
        add(f"refuse-{n:03}-{cid}", op, params, {"error": kind})

    # Mostly short blocks (each refusal repeats its block), a few long ones.
    sample = rng.sample([m for m in made if len(m[2]) < 700], 50) + rng.sample(made, 6)
    for cid, kbpk, block, key in sample:
        fields = ref_block(block)
        v = fields["version_id"]
        hlen = len(fields["header"])
        kd_end = len(block) - 2 * MAC_LEN[v]

        def tamper(pos: int, alphabet: str, what: str) -> None:
            c = rng.choice([x for x in alphabet if x != block[pos]])
            t = block[:pos] + c + block[pos + 1:]
            kind = ref_kind(t) or "bad-mac"
            refuse(f"{what}-{cid}", {"kbpk": hx(kbpk), "key_block": t}, kind)

        # Tampering, one character of each class.
        tamper(rng.choice([5, 6, 7, 8, 9, 10, 11, 14, 15]), ALNUM, "tamper-header")
        tamper(rng.randrange(hlen, kd_end), HEXU, "tamper-key-data")
        tamper(rng.randrange(kd_end, len(block)), HEXU, "tamper-mac")
        data_positions = []
        rest, at = block[16:hlen], 16
        while rest:
            if rest[2:4] == "00":
                nd = int(rest[4:6], 16)
                total, start = int(rest[6:6 + nd], 16), 6 + nd
            else:
                total, start = int(rest[2:4], 16), 4
            data_positions += range(at + start, at + total)
            rest, at = rest[total:], at + total
        if data_positions:
            tamper(rng.choice(data_positions), PRINTABLE, "tamper-optional-data")
        # The length field, the block count, the version.
        tamper(rng.randint(1, 4), string.digits, "tamper-length")
        tamper(rng.choice([12, 13]), string.digits, "tamper-count")
        t = rng.choice("EFZ019a") + block[1:]
        refuse(f"version-{cid}", {"kbpk": hx(kbpk), "key_block": t}, "invalid-key-block")
        # Truncated: as cut, and with the length field made to agree.
        cut = rng.randrange(1, len(block))
        refuse(f"truncated-{cid}", {"kbpk": hx(kbpk), "key_block": block[:cut]},
               "invalid-key-block")
        for drop in (2 * BLOCK[v], 1, 2):
            t = block[:-drop]
            if len(t) >= 5:
                t = with_length(t, len(t))
            refuse(f"truncated-fixed-{drop}-{cid}", {"kbpk": hx(kbpk), "key_block": t},
                   ref_kind(t) or "bad-mac")
        # A wrong KBPK of the right length, and KBPKs of wrong lengths.
        wrong = rbytes(len(kbpk))
        refuse(f"wrong-kbpk-{cid}", {"kbpk": hx(wrong), "key_block": block}, "bad-mac")
        if rng.random() < 0.1:
            refuse(f"kbpk-not-hex-{cid}", {"kbpk": hx(kbpk)[:-1] + "X", "key_block": block},
                   "invalid-key")
        refuse(f"kbpk-length-{cid}", {"kbpk": hx(rbytes(rng.choice(BAD_KBPK_LENS[v]))),
                                        "key_block": block}, "invalid-key")
        # Non-hex and lowercase key data and MAC.
        pos = rng.randrange(hlen, len(block))
        t = block[:pos] + rng.choice("GZgz -+.") + block[pos + 1:]
        refuse(f"non-hex-{cid}", {"kbpk": hx(kbpk), "key_block": t}, "invalid-key-block")
        letters = [i for i in range(hlen, len(block)) if block[i] in "ABCDEF"]
        if letters:
            pos = rng.choice(letters)
            t = block[:pos] + block[pos].lower() + block[pos + 1:]
            refuse(f"lowercase-hex-{cid}", {"kbpk": hx(kbpk), "key_block": t},
                   "invalid-key-block")
        t = block[:hlen] + block[hlen:].lower()
        if t != block:
            refuse(f"lowercase-all-{cid}", {"kbpk": hx(kbpk), "key_block": t},
                   "invalid-key-block")
        # A character outside printable ASCII in the header.
        pos = rng.randrange(0, hlen)
        t = block[:pos] + rng.choice(["\x7f", "\t", "\n", "\x00", "\u00e9"]) + block[pos + 1:]
        refuse(f"non-printable-{cid}", {"kbpk": hx(kbpk), "key_block": t}, "invalid-key-block")
        # A non-alphanumeric character in the 16-character header.
        pos = rng.choice([0, 2, 5, 7, 8, 9, 11, 12, 14, 15])
        t = block[:pos] + rng.choice(" -*.#_") + block[pos + 1:]
        refuse(f"header-symbol-{cid}", {"kbpk": hx(kbpk), "key_block": t}, "invalid-key-block")

    # Bad optional blocks, each in a block psec MACed (so that only the
    # format can refuse it).
    bad_optional = [
        ("length-below-4", "B0000P0TE00N0100KS0300604B120F9292800000"),
        ("length-lowercase", "B0000P0TE00N0100KS1a00604B120F92928000000"),
        ("length-not-hex", "B0000P0TE00N0100KS1G00604B120F929280000000"),
        ("overrun", "B0000P0TE00N0100KS2000604B120F9292800000"),
        ("overrun-count", "B0000P0TE00N0200KS1800604B120F9292800000"),
        ("repeated-id", "B0000P0TE00N0200KS0CABCDEFGHKS0CABCDEFGH"),
        ("off-boundary", "B0000P0TE00N0100KS1700604B120F929280000"),
        ("off-boundary-d", "D0000P0AE00N0100KS1800604B120F9292800000"),
        ("extended-no-digits", "B0000P0TE00N0100KS0000ABCDEFGHIJKLMNOPQR"),
        ("extended-too-short", "B0000P0TE00N0100KS00040007ABCDEFGHIJKLMN"),
        ("extended-lowercase", "B0000P0TE00N0100KS0004001aABCDEFGHIJKLMN"),
        ("extended-overrun", "B0000P0TE00N0100KS000400FFABCDEFGHIJKLMN"),
        ("id-symbol", "B0000P0TE00N0100K-1800604B120F9292800000"),
        ("id-space", "B0000P0TE00N0100 S1800604B120F9292800000"),
        ("pb-repeated", "B0000P0TE00N0300KS1400604B120F92PB06XXPB06YY"),
    ]
    for name, header in bad_optional:
        v = header[0]
        kbpk = rbytes(rng.choice(KBPK_LENS[v]))
        key = rbytes(16)
        clear = (128).to_bytes(2, "big") + key + rbytes((-(18)) % BLOCK[v])
        block = psec_seal(kbpk, header, clear)
        assert ref_kind(block) == "invalid-key-block", (name, block)
        refuse(f"optional-{name}", {"kbpk": hx(kbpk), "key_block": block}, "invalid-key-block")
        refuse(f"wrap-optional-{name}", {"kbpk": hx(kbpk), "header": header, "key": hx(key),
                                         "pad": hx(clear[18:])}, "invalid-key-block", "tr31.wrap")
    # Well-formed but tricky optional blocks that must be accepted: an
    # extended length where the short form would do, with 2 and 6 digits;
    # an empty PB; PB not last.
    def aligned(version: str, blocks: list[str], pb: bool = True) -> str:
        opt = "".join(blocks)
        count = len(blocks)
        if pb and len(opt) % BLOCK[version]:
            opt += opt_block("PB", rtext((-(len(opt) + 4)) % BLOCK[version]))
            count += 1
        return f"{version}0000P0TE00N{count:02}00{opt}"

    tricky = [
        # Extended lengths where the short form would do: 2, 4 and 6 digits.
        aligned("B", [opt_block("KS", "1234567890ABCDEF1234", 2)]),
        aligned("C", [opt_block("LB", "HELLO WORLD", 4), opt_block("TS", "20240101120000Z", 6)]),
        # An empty PB block, and PB first.
        aligned("D", [opt_block("PB", ""), opt_block("KS", "0123456789ABCDEF0123" + "4567")],
                pb=False),
        aligned("B", [opt_block("PB", "~~~~"), opt_block("KS", "ABCD")], pb=False),
        # Data of spaces and symbols only; an ID of digits.
        aligned("A", [opt_block("12", " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")]),
        # Many optional blocks (the count has two digits).
        aligned("D", [opt_block(f"{a}{b}", rtext(rng.randint(0, 6)))
                      for a, b in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789" * 3)]),
        # A block of exactly 255 characters (the longest short form) and one
        # of 256 (extended).
        aligned("B", [opt_block("LB", rtext(251)), opt_block("CT", rtext(250), 4)]),
    ]
    for i, header in enumerate(tricky):
        v = header[0]
        fields, rest = ref_header(header, False)
        assert rest == "", header
        kbpk = rbytes(rng.choice(KBPK_LENS[v]))
        key = rbytes(rng.choice([16, 24]))
        block = psec_wrap(kbpk, header, key, 0)
        add(f"tricky-{i}-unwrap", "tr31.unwrap", {"kbpk": hx(kbpk), "key_block": block},
            expect_unwrap(key, ref_block(block)))
        pad = psec_clear(kbpk, block)[2 + len(key):]
        add(f"tricky-{i}-wrap", "tr31.wrap", {"kbpk": hx(kbpk), "header": header,
                                               "key": hx(key), "pad": hx(pad)},
            {"key_block": block})

    # Key length fields that the MAC covers but docs/vectors.md refuses after it.
    for v in "ABCD":
        for name, bits, key_len in [("zero", 0, 16), ("not-whole-bytes", 127, 16),
                                    ("too-long", 8 * 40, 16), ("one-past", 8 * 31, 16),
                                    ("odd-bits", 4, 0)]:
            b = BLOCK[v]
            kbpk = rbytes(rng.choice(KBPK_LENS[v]))
            size = 2 + key_len
            size += (-size) % b
            if name == "one-past":
                size = 32  # room for 30 key bytes: 31 does not fit
            clear = bits.to_bytes(2, "big") + rbytes(size - 2)
            header = random_header(v, with_blocks=rng.random() < 0.5)[0]
            block = psec_seal(kbpk, header, clear)
            assert ref_kind(block) is None
            refuse(f"key-length-{name}-{v}", {"kbpk": hx(kbpk), "key_block": block},
                   "invalid-key-block")
        # ...and the longest key that fits, accepted.
        kbpk = rbytes(rng.choice(KBPK_LENS[v]))
        clear = (8 * 30).to_bytes(2, "big") + rbytes(30)
        header = random_header(v, with_blocks=False)[0]
        block = psec_seal(kbpk, header, clear)
        add(f"key-length-fits-{v}", "tr31.unwrap", {"kbpk": hx(kbpk), "key_block": block},
            expect_unwrap(clear[2:], ref_block(block)))

    # Wrap refusals.
    for v in "ABCD":
        b = BLOCK[v]
        kbpk = rbytes(rng.choice(KBPK_LENS[v]))
        header = random_header(v)[0]
        key = rbytes(16)
        good_pad = rbytes((-(18)) % b)
        base = {"kbpk": hx(kbpk), "header": header, "key": hx(key), "pad": hx(good_pad)}

        def wrap_refuse(cid: str, change: dict, kind: str) -> None:
            p = dict(base)
            p.update(change)
            refuse(f"wrap-{cid}-{v}", p, kind, "tr31.wrap")

        wrap_refuse("pad-short", {"pad": hx(good_pad[:-1])}, "invalid-length")
        wrap_refuse("pad-long", {"pad": hx(good_pad + b"\x00")}, "invalid-length")
        wrap_refuse("empty-key", {"key": "", "pad": hx(rbytes(b - 2))}, "invalid-length")
        wrap_refuse("masked-below-key", {"masked_key_len": 15}, "invalid-length")
        mismatch = next(m for m in range(17, 64)
                        if m - 16 + (-(m + 2)) % b != len(good_pad))
        wrap_refuse("masked-mismatch", {"masked_key_len": mismatch}, "invalid-length")
        wrap_refuse("masked-full-block-more", {"masked_key_len": 16,
                                               "pad": hx(good_pad + rbytes(b))}, "invalid-length")
        wrap_refuse("kbpk-length", {"kbpk": hx(rbytes(rng.choice(BAD_KBPK_LENS[v])))},
                    "invalid-key")
        wrap_refuse("text-after-blocks", {"header": header + "X"}, "invalid-key-block")
        wrap_refuse("version", {"header": rng.choice("EFZ0") + header[1:]}, "invalid-key-block")
        wrap_refuse("length-not-digits", {"header": header[0] + "00A0" + header[5:]},
                    "invalid-key-block")
        wrap_refuse("count-not-digits", {"header": header[:12] + "0A" + header[14:]},
                    "invalid-key-block")
        wrap_refuse("header-symbol", {"header": header[:9] + "*" + header[10:]},
                    "invalid-key-block")
        wrap_refuse("header-short", {"header": header[:rng.randint(0, 15)]}, "invalid-key-block")
        # Longer than 9999 characters.
        big = 4990
        wrap_refuse("too-long", {"key": hx(rbytes(big)), "pad": hx(rbytes((-(big + 2)) % b)),
                                 "header": f"{v}0000D0AB00N0000"}, "invalid-length")
        # Masked key lengths that docs/vectors.md accepts, psec-made.
        for masked in (16, 24, 32, 40):
            pad_len = masked - 16 + (-(masked + 2)) % b
            # psec pads as docs/vectors.md does unless 2 + masked is whole blocks.
            extra = masked - 16
            block = psec_wrap(kbpk, header, key, extra)
            pad = psec_clear(kbpk, block)[18:]
            if len(pad) == pad_len:
                add(f"wrap-masked-{masked}-{v}", "tr31.wrap",
                    dict(base, pad=hx(pad), masked_key_len=masked), {"key_block": block})
        # The longest block: 9999 characters exactly is allowed (D: 9984).
        hdr = f"{v}0000D0AB00N0000"
        m2 = 2 * MAC_LEN[v]
        clear_len = (9999 - 16 - m2) // 2
        clear_len -= clear_len % b
        big_key = rbytes(clear_len - 2 - 6 if clear_len > 8 else 1)
        extra = 0
        block = psec_wrap(kbpk, hdr, big_key, extra)
        assert len(block) <= 9999
        add(f"longest-{v}-unwrap", "tr31.unwrap", {"kbpk": hx(kbpk), "key_block": block},
            expect_unwrap(big_key, ref_block(block)))


def main() -> None:
    doc_blocks()
    made = valid_blocks()
    unwrap_and_wrap_cases(made)
    refusal_cases(made)
    source = (
        f"psec {dist_version('psec')} (PyPI, psec.tr31): every block wrapped, and its padding "
        "recovered, by psec's version A/B/C/D functions, and checked by psec's public unwrap "
        "where psec reads the block; headers, optional blocks (short and extended length "
        "form, PB), fresh random KBPKs, keys of every length, masked key lengths, and the "
        "refusals (tampered, truncated, wrong KBPK, KBPK lengths, malformed headers and "
        "optional blocks, non-hex, lowercase, non-printable, key length fields) laid out by "
        "vectors/tools/tr31_psec.py (seed 1432022) by docs/vectors.md 'Key blocks'; the doc-* "
        "blocks are those of paykernel's README and rustdoc (psec's public wrap, seed 20260)"
    )
    write_suite("tr31-psec.json", "tr31-psec", source, cases)


if __name__ == "__main__":
    sys.exit(main())
