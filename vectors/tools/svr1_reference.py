#!/usr/bin/env python3
"""An independent implementation of docs/svr1.md (SVR1 stored-value records),
and the generator of the vectors/svr1-*.json suites.

Written from docs/svr1.md and docs/vectors.md only, not from the Rust code. The
cryptography comes from other libraries:

- KBKDF (NIST SP 800-108, counter mode, AES-CMAC PRF, 32-bit counter before
  the fixed data label || 00 || context || L): pyca/cryptography 48,
  cryptography.hazmat.primitives.kdf.kbkdf.KBKDFCMAC.
- AES-CMAC: pyca/cryptography 48, cryptography.hazmat.primitives.cmac.
- ECDSA P-256 with SHA-256 and RFC 6979 nonces: python-ecdsa 0.19.2
  (PyPI `ecdsa`), SigningKey.sign_deterministic; every signature is checked
  again with pyca/cryptography's ECDSA verify, and the RFC 6979 A.2.5
  values are checked before anything is written.

Run by hand (the tests do not run it):

    pip install cryptography==48.0.0 ecdsa==0.19.2
    python3 vectors/tools/svr1_reference.py vectors/

It writes the same files every time (a fixed seed per suite).

Decisions of this project where docs/svr1.md is silent, mirrored here and
marked "project decision" in the case ids:
- record.select with both slots valid and equal counters: the lower balance,
  then slot A.
- record.chain with records and sigs of different lengths: the first index
  missing its partner is the broken link; an empty chain is valid.
- Parameters: card_id, terminal_id, prev_tag of the wrong length are
  invalid-record; a signing scalar of 0 or >= n is invalid-key; record.sign
  of a record that is not 96 bytes is invalid-record.
"""

import hashlib
import json
import os
import random
import struct
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import cmac, hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.kdf.kbkdf import (
    KBKDFCMAC,
    CounterLocation,
    Mode,
)
import ecdsa as pyecdsa
from ecdsa.util import sigencode_string

FORMAT = "paykernel-vectors/1"
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
P = 2**256 - 2**224 + 2**192 + 2**96 - 1
U64 = 2**64 - 1
I64 = 2**63 - 1
U32 = 2**32 - 1

SOURCE = (
    "Independent Python implementation of docs/svr1.md (vectors/tools/svr1_reference.py): "
    "KBKDF and AES-CMAC from pyca/cryptography 48.0.0, ECDSA P-256/SHA-256 with "
    "RFC 6979 nonces from python-ecdsa 0.19.2 (checked with pyca/cryptography)."
)


class Refused(Exception):
    """The operation refuses with an error kind of docs/vectors.md."""

    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind


# ---------------------------------------------------------------- layout

LAYOUT = ">4sQHBBQQIq8sQ8s12s16s"
assert struct.calcsize(LAYOUT) == 96
FIELDS = [
    "card_id", "currency", "exponent", "flags", "balance", "limit",
    "counter", "amount", "terminal_id", "timestamp", "prev_tag",
]


def pack(f, tag=bytes(16), magic=b"SVR1", reserved=bytes(12)):
    return struct.pack(
        LAYOUT, magic, f["card_id"], f["currency"], f["exponent"], f["flags"],
        f["balance"], f["limit"], f["counter"], f["amount"], f["terminal_id"],
        f["timestamp"], f["prev_tag"], reserved, tag,
    )


def unpack(rec):
    v = struct.unpack(LAYOUT, rec)
    f = dict(zip(FIELDS, v[1:12]))
    return v[0], f, v[12], v[13]


def printable(b):
    return all(0x20 <= c <= 0x7E for c in b)


def structure_ok(magic, f, reserved):
    return (
        magic == b"SVR1"
        and reserved == bytes(12)
        and f["flags"] & 0xFE == 0
        and f["exponent"] <= 4
        and 1 <= f["currency"] <= 999
        and printable(f["terminal_id"])
        and f["balance"] <= f["limit"]
    )


# ------------------------------------------------------------------ keys

def card_key(issuer_key, card_id):
    if len(issuer_key) not in (16, 32):
        raise Refused("invalid-key")
    kdf = KBKDFCMAC(
        algorithm=algorithms.AES,
        mode=Mode.CounterMode,
        length=len(issuer_key),
        rlen=4,
        llen=4,
        location=CounterLocation.BeforeFixed,
        label=b"SVR1 card key",
        context=card_id.to_bytes(8, "big"),
        fixed=None,
    )
    return kdf.derive(issuer_key)


def aes_cmac(key, data):
    c = cmac.CMAC(algorithms.AES(key))
    c.update(data)
    return c.finalize()


# ------------------------------------------------------ seal and verify

def seal(issuer_key, f):
    if len(issuer_key) not in (16, 32):
        raise Refused("invalid-key")
    body = pack(f)
    magic, _, reserved, _ = unpack(body)
    if not structure_ok(magic, f, reserved):
        raise Refused("invalid-record")
    k = card_key(issuer_key, f["card_id"])
    return body[:80] + aes_cmac(k, body[:80])


def verify(issuer_key, rec):
    if len(issuer_key) not in (16, 32):
        raise Refused("invalid-key")
    if len(rec) != 96:
        raise Refused("invalid-record")
    magic, f, reserved, tag = unpack(rec)
    if not structure_ok(magic, f, reserved):
        raise Refused("invalid-record")
    k = card_key(issuer_key, f["card_id"])
    if aes_cmac(k, rec[:80]) != tag:
        raise Refused("bad-mac")
    return f, tag


def update(issuer_key, rec, amount, terminal_id, timestamp, credit):
    f, tag = verify(issuer_key, rec)
    if not (0 < amount <= I64):
        raise Refused("invalid-amount")
    if len(terminal_id) != 8 or not printable(terminal_id):
        raise Refused("invalid-record")
    if f["flags"] & 1:
        raise Refused("card-blocked")
    if f["counter"] == U32:
        raise Refused("counter-exhausted")
    n = dict(f)
    if credit:
        if f["balance"] + amount > f["limit"]:
            raise Refused("limit-exceeded")
        n["balance"] = f["balance"] + amount
        n["amount"] = amount
    else:
        if amount > f["balance"]:
            raise Refused("insufficient-funds")
        n["balance"] = f["balance"] - amount
        n["amount"] = -amount
    n["counter"] = f["counter"] + 1
    n["terminal_id"] = terminal_id
    n["timestamp"] = timestamp
    n["prev_tag"] = tag[:8]
    return seal(issuer_key, n)


def successor(issuer_key, prev, nxt):
    try:
        pf, ptag = verify(issuer_key, prev)
        nf, _ = verify(issuer_key, nxt)
    except Refused as e:
        if e.kind == "invalid-key":
            raise
        return False
    return successor_fields(pf, ptag, nf)


def successor_fields(pf, ptag, nf):
    return (
        nf["card_id"] == pf["card_id"]
        and nf["currency"] == pf["currency"]
        and nf["exponent"] == pf["exponent"]
        and nf["limit"] == pf["limit"]
        and nf["counter"] == pf["counter"] + 1
        and nf["prev_tag"] == ptag[:8]
        and nf["balance"] == pf["balance"] + nf["amount"]
    )


def select(issuer_key, a, b):
    res = []
    for s in (a, b):
        try:
            res.append((verify(issuer_key, s), None))
        except Refused as e:
            if e.kind == "invalid-key":
                raise
            res.append((None, e.kind))
    (ra, ea), (rb, eb) = res
    if ra and rb:
        fa, fb = ra[0], rb[0]
        if fb["counter"] > fa["counter"]:
            return b
        if fb["counter"] == fa["counter"] and fb["balance"] < fa["balance"]:
            return b  # project decision: equal counters, lower balance
        return a
    if ra:
        return a
    if rb:
        return b
    raise Refused("bad-mac" if "bad-mac" in (ea, eb) else "invalid-record")


# ----------------------------------------------------------------- ECDSA

def ecdsa_public(d, compressed=False):
    sk = pyecdsa.SigningKey.from_secret_exponent(d, curve=pyecdsa.NIST256p, hashfunc=hashlib.sha256)
    return sk.get_verifying_key().to_string("compressed" if compressed else "uncompressed")


def ecdsa_sign(d, msg):
    if not (0 < d < N):
        raise Refused("invalid-key")
    sk = pyecdsa.SigningKey.from_secret_exponent(d, curve=pyecdsa.NIST256p, hashfunc=hashlib.sha256)
    sig = sk.sign_deterministic(msg, hashfunc=hashlib.sha256, sigencode=sigencode_string)
    assert pyca_verify(ecdsa_public(d), msg, sig), "pyca disagrees with python-ecdsa"
    return sig


def pyca_verify(pub, msg, sig):
    """Independent check with pyca/cryptography (r || s)."""
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), pub)
    r, s = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")
    if not (0 < r < N and 0 < s < N):
        return False
    try:
        key.verify(encode_dss_signature(r, s), msg, ec.ECDSA(hashes.SHA256()))
        return True
    except InvalidSignature:
        return False


def to_der(sig):
    return encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))


def chain(issuer_key, pub, records, sigs):
    """(valid, broken_at) as docs/svr1.md walks a signed chain."""
    if len(issuer_key) not in (16, 32):
        raise Refused("invalid-key")
    prev = None
    for i in range(max(len(records), len(sigs))):
        if i >= len(records):
            return False, i
        try:
            f, tag = verify(issuer_key, records[i])
        except Refused:
            return False, i
        if i >= len(sigs) or not pyca_verify(pub, records[i], sigs[i]):
            return False, i
        if prev is not None and not successor_fields(prev[0], prev[1], f):
            return False, i
        prev = (f, tag)
    return True, None


def self_check():
    # RFC 6979 A.2.5, P-256, SHA-256.
    x = 0xC9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721
    assert ecdsa_sign(x, b"sample").hex().upper() == (
        "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716"
        "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8")
    assert ecdsa_sign(x, b"test").hex().upper() == (
        "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367"
        "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083")
    # NIST CAVP KBKDF, KDFCTR_gen.txt, CMAC_AES128, BEFORE_FIXED, RLEN=8: the
    # same PRF through pyca's raw API, so that the KBKDF source is sound.
    fixed = bytes.fromhex(
        "C16E6E02C5A3DCC8D78B9AC1306877761310455B4E41469951D9E6C2245A064B"
        "33FD8C3B01203A7824485BF0A64060C4648B707D2607935699316EA5")
    k = bytes.fromhex("DFF1E50AC0B69DC40F1051D46C2B069C")
    assert aes_cmac(k, b"\x01" + fixed).hex().upper() == "8BE8F0869B3C0BA97B71863D1B9F7813"


# ------------------------------------------------------------ suite data

def hx(b):
    return b.hex().upper()


def fields_json(f):
    out = {}
    for k in FIELDS:
        v = f[k]
        out[k] = hx(v) if isinstance(v, bytes) else v
    if isinstance(f["card_id"], int):
        out["card_id"] = hx(f["card_id"].to_bytes(8, "big"))
    return out


def expect_of(fn):
    try:
        return fn()
    except Refused as e:
        return {"error": e.kind}


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def bytes(self, n):
        return bytes(self.r.getrandbits(8) for _ in range(n))

    def issuer(self):
        return self.bytes(self.r.choice([16, 32]))

    def terminal(self):
        n = self.r.randint(1, 8)
        s = "".join(self.r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ ") for _ in range(n))
        return s.encode().ljust(8, b" ")

    def fields(self, **kw):
        limit = self.r.choice([self.r.randint(1, 10**6), self.r.randint(1, U64), U64, 10**9])
        f = {
            "card_id": self.r.getrandbits(64),
            "currency": self.r.choice([978, 840, 826, 392, 756, 36, 124, 1, 999]),
            "exponent": self.r.randint(0, 4),
            "flags": 0,
            "balance": self.r.randint(0, limit),
            "limit": limit,
            "counter": self.r.randint(0, 10**6),
            "amount": self.r.choice([0, -self.r.randint(1, 10**5), self.r.randint(1, 10**5)]),
            "terminal_id": self.terminal(),
            "timestamp": self.r.randint(1_500_000_000, 2_000_000_000),
            "prev_tag": self.bytes(8),
        }
        f.update(kw)
        return f

    def scalar(self):
        return self.r.randrange(1, N)


def suite(name, desc, cases):
    return {
        "format": FORMAT,
        "suite": name,
        "source": SOURCE + " " + desc,
        "cases": cases,
    }


def case(cid, op, params, expect):
    return {"id": cid, "op": op, "params": params, "expect": expect}


# ------------------------------------------------------------ the suites

def suite_card_key():
    g = Gen(1)
    cases = []
    ids = [0, 1, U64, 0x0102030405060708] + [g.r.getrandbits(64) for _ in range(6)]
    for n, cid in enumerate(ids):
        for klen in (16, 32):
            ik = g.bytes(klen)
            cases.append(case(f"aes{klen * 8}-{n}", "record.card_key",
                              {"issuer_key": hx(ik), "card_id": hx(cid.to_bytes(8, "big"))},
                              {"key": hx(card_key(ik, cid))}))
    for klen in (0, 8, 15, 17, 24, 31, 33):
        cases.append(case(f"issuer-key-{klen}-bytes", "record.card_key",
                          {"issuer_key": hx(bytes(klen)), "card_id": "0000000000000001"},
                          {"error": "invalid-key"}))
    cases.append(case("issuer-key-not-hex", "record.card_key",
                      {"issuer_key": "00112233445566778899AABBCCDDEEGG", "card_id": "0000000000000001"},
                      {"error": "invalid-key"}))
    for n in (7, 9):
        cases.append(case(f"card-id-{n}-bytes-project-decision", "record.card_key",
                          {"issuer_key": hx(bytes(16)), "card_id": hx(bytes(n))},
                          {"error": "invalid-record"}))
    return suite("svr1-card-key", "Card keys (record.card_key).", cases)


def seal_params(ik, f):
    p = {"issuer_key": hx(ik)}
    p.update(fields_json(f))
    return p


def verify_expect(f):
    e = {"valid": True}
    e.update(fields_json(f))
    return e


def suite_seal_verify():
    g = Gen(2)
    cases = []
    # Round trips over random fields and the edges of every field.
    edges = [
        {},
        {"balance": 0},
        {"balance": U64, "limit": U64},
        {"limit": 0, "balance": 0},
        {"currency": 1, "exponent": 0},
        {"currency": 999, "exponent": 4},
        {"flags": 1},
        {"counter": 0, "amount": 0, "prev_tag": bytes(8)},
        {"counter": U32},
        {"amount": -(2**63)},
        {"amount": I64},
        {"timestamp": 0},
        {"timestamp": U64},
        {"card_id": 0},
        {"card_id": U64},
        {"terminal_id": b" " * 8},
        {"terminal_id": b"~!@#$%^&"},
    ]
    for n in range(40):
        kw = edges[n] if n < len(edges) else {}
        f = g.fields(**kw)
        ik = g.issuer()
        rec = seal(ik, f)
        cases.append(case(f"seal-{n}", "record.seal", seal_params(ik, f), {"record": hx(rec)}))
        cases.append(case(f"verify-{n}", "record.verify",
                          {"issuer_key": hx(ik), "record": hx(rec)}, verify_expect(f)))
    # Refusals, each from its own cause.
    ik = g.bytes(16)
    f = g.fields()
    good = seal(ik, f)

    def bad_fields(cid, **kw):
        bf = dict(f)
        bf.update(kw)
        cases.append(case(f"seal-refuses-{cid}", "record.seal", seal_params(ik, bf),
                          expect_of(lambda: seal(ik, bf))))
        # The same bytes with a tag that is right for them: still refused.
        body = pack(bf)
        k = card_key(ik, bf["card_id"])
        rec = body[:80] + aes_cmac(k, body[:80])
        cases.append(case(f"verify-refuses-{cid}", "record.verify",
                          {"issuer_key": hx(ik), "record": hx(rec)},
                          expect_of(lambda: verify(ik, rec))))

    bad_fields("flags-2", flags=2)
    bad_fields("flags-80", flags=0x80)
    bad_fields("flags-3", flags=3)
    bad_fields("exponent-5", exponent=5)
    bad_fields("exponent-255", exponent=255)
    bad_fields("currency-0", currency=0)
    bad_fields("currency-1000", currency=1000)
    bad_fields("currency-65535", currency=65535)
    bad_fields("terminal-1f", terminal_id=b"TERM\x1f001")
    bad_fields("terminal-7f", terminal_id=b"TERM001\x7f")
    bad_fields("terminal-00", terminal_id=b"\x00" * 8)
    bad_fields("terminal-ff", terminal_id=b"\xffTERM001")
    bad_fields("balance-over-limit", balance=1001, limit=1000)
    bad_fields("balance-max-limit-0", balance=U64, limit=0)

    def raw(cid, rec, note=""):
        cases.append(case(f"verify-{cid}", "record.verify",
                          {"issuer_key": hx(ik), "record": hx(rec)},
                          expect_of(lambda: verify(ik, rec))))

    body = good[:80]
    k = card_key(ik, f["card_id"])
    retag = lambda b: b[:80] + aes_cmac(k, b[:80])
    raw("magic", retag(b"SVR2" + body[4:]))
    raw("magic-lower", retag(b"svr1" + body[4:]))
    for i in (68, 73, 79):
        b = bytearray(body)
        b[i] = 1
        raw(f"reserved-{i}", retag(bytes(b)))
    raw("length-95", good[:95])
    raw("length-97", good + b"\x00")
    raw("length-0", b"")
    raw("length-80", good[:80])
    for i in (80, 88, 95):
        b = bytearray(good)
        b[i] ^= 0x01
        raw(f"tag-bit-{i}", bytes(b))
    for i in (4, 16, 24, 32, 36, 44, 52, 60):
        b = bytearray(good)
        b[i] ^= 0x01
        raw(f"field-bit-{i}", bytes(b))
    raw("tag-zero", good[:80] + bytes(16))
    other = g.bytes(16)
    cases.append(case("verify-other-issuer", "record.verify",
                      {"issuer_key": hx(other), "record": hx(good)},
                      expect_of(lambda: verify(other, good))))
    other32 = ik + ik
    cases.append(case("verify-aes256-of-aes128-record", "record.verify",
                      {"issuer_key": hx(other32), "record": hx(good)},
                      expect_of(lambda: verify(other32, good))))
    # Structure before the tag: a bad structure with a bad tag is invalid-record.
    b = bytearray(good)
    b[14] = 9
    b[90] ^= 0xFF
    raw("structure-before-tag", bytes(b))
    for klen in (0, 24, 31):
        cases.append(case(f"verify-issuer-key-{klen}", "record.verify",
                          {"issuer_key": hx(bytes(klen)), "record": hx(good)}, {"error": "invalid-key"}))
        cases.append(case(f"seal-issuer-key-{klen}", "record.seal", seal_params(bytes(klen), f),
                          {"error": "invalid-key"}))
    for fld, n in (("terminal_id", 7), ("terminal_id", 9), ("prev_tag", 7), ("card_id", 9)):
        p = seal_params(ik, f)
        p[fld] = hx(bytes(n) if fld != "terminal_id" else b" " * n)
        cases.append(case(f"seal-{fld}-{n}-bytes-project-decision", "record.seal", p,
                          {"error": "invalid-record"}))
    return suite("svr1-seal-verify",
                 "Sealing and opening records, every structural refusal and tag failure.", cases)


def upd_params(ik, rec, amount, tid, ts):
    return {"issuer_key": hx(ik), "record": hx(rec), "amount": amount,
            "terminal_id": hx(tid), "timestamp": ts}


def suite_update():
    g = Gen(3)
    cases = []

    def add(cid, op, ik, rec, amount, tid, ts):
        credit = op == "record.credit"
        cases.append(case(cid, op, upd_params(ik, rec, amount, tid, ts),
                          expect_of(lambda: {"record": hx(update(ik, rec, amount, tid, ts, credit))})))

    # Sequences of random updates.
    for n in range(12):
        ik = g.issuer()
        limit = g.r.choice([10**6, U64, 5000])
        rec = seal(ik, g.fields(limit=limit, balance=g.r.randint(0, limit)))
        for m in range(5):
            f, _ = verify(ik, rec)
            credit = g.r.random() < 0.4
            room = f["limit"] - f["balance"] if credit else f["balance"]
            if room == 0:
                credit = not credit
                room = f["limit"] - f["balance"] if credit else f["balance"]
            amount = g.r.randint(1, min(room, I64)) if room else 1
            tid, ts = g.terminal(), f["timestamp"] + g.r.randint(0, 10**5)
            op = "record.credit" if credit else "record.debit"
            add(f"seq{n}-{m}-{op.split('.')[1]}", op, ik, rec, amount, tid, ts)
            try:
                rec = update(ik, rec, amount, tid, ts, credit)
            except Refused:
                pass
    # Edges that succeed.
    ik = g.bytes(32)
    f = g.fields(balance=5000, limit=10000, counter=U32 - 1)
    rec = seal(ik, f)
    t = b"EDGE-01 "
    add("debit-whole-balance", "record.debit", ik, rec, 5000, t, 1)
    add("credit-to-limit", "record.credit", ik, rec, 5000, t, 2)
    add("debit-1", "record.debit", ik, rec, 1, t, U64)
    add("counter-to-max", "record.credit", ik, rec, 1, t, 0)
    big = seal(ik, g.fields(balance=U64, limit=U64))
    add("debit-i64-max", "record.debit", ik, big, I64, t, 3)
    zero = seal(ik, g.fields(balance=0, limit=U64))
    add("credit-i64-max", "record.credit", ik, zero, I64, t, 4)
    # Every refusal from its own cause.
    for amt in (0, -1, -(2**63), I64 + 1, U64):
        add(f"debit-amount-{amt}", "record.debit", ik, rec, amt, t, 5)
        add(f"credit-amount-{amt}", "record.credit", ik, rec, amt, t, 5)
    # 2**64 does not fit in a JSON reader's u64: still invalid-amount.
    cases.append(case("debit-amount-2^64", "record.debit", upd_params(ik, rec, 2**64, t, 5),
                      {"error": "invalid-amount"}))
    for bad in (b"TERM\x00001", b"TERM001\x7f", b"\x80TERM001", b"TERM\n001"):
        add(f"debit-terminal-{hx(bad)}", "record.debit", ik, rec, 1, bad, 6)
        add(f"credit-terminal-{hx(bad)}", "record.credit", ik, rec, 1, bad, 6)
    for n in (7, 9, 0):
        cases.append(case(f"debit-terminal-{n}-bytes-project-decision", "record.debit",
                          upd_params(ik, rec, 1, b" " * n, 6), {"error": "invalid-record"}))
    blocked = seal(ik, dict(f, flags=1))
    add("debit-blocked", "record.debit", ik, blocked, 1, t, 7)
    add("credit-blocked", "record.credit", ik, blocked, 1, t, 7)
    spent = seal(ik, dict(f, counter=U32))
    add("debit-counter-exhausted", "record.debit", ik, spent, 1, t, 8)
    add("credit-counter-exhausted", "record.credit", ik, spent, 1, t, 8)
    add("debit-insufficient", "record.debit", ik, rec, 5001, t, 9)
    add("debit-insufficient-big", "record.debit", ik, rec, I64, t, 9)
    add("credit-limit-exceeded", "record.credit", ik, rec, 5001, t, 10)
    add("credit-limit-exceeded-big", "record.credit", ik, big, 1, t, 10)
    # Order of the checks (docs/svr1.md): amount, terminal, blocked, counter, funds.
    all_bad = seal(ik, dict(f, flags=1, counter=U32, balance=0, limit=0))
    add("order-amount-first", "record.debit", ik, all_bad, 0, b"\x00" * 8, 11)
    add("order-terminal-second", "record.debit", ik, all_bad, 1, b"\x00" * 8, 11)
    add("order-blocked-third", "record.debit", ik, all_bad, 1, t, 11)
    add("order-blocked-third-credit", "record.credit", ik, all_bad, 1, t, 11)
    spent_empty = seal(ik, dict(f, counter=U32, balance=0, limit=0))
    add("order-counter-before-funds", "record.debit", ik, spent_empty, 1, t, 12)
    add("order-counter-before-limit", "record.credit", ik, spent_empty, 1, t, 12)
    # The record itself: it must open first.
    b = bytearray(rec)
    b[85] ^= 4
    add("debit-bad-mac", "record.debit", ik, bytes(b), 1, t, 13)
    add("credit-bad-mac", "record.credit", ik, bytes(b), 1, t, 13)
    add("debit-short-record", "record.debit", ik, rec[:90], 1, t, 13)
    b = bytearray(rec)
    b[0] = 0
    add("credit-bad-magic", "record.credit", ik, bytes(b), 1, t, 13)
    cases.append(case("debit-issuer-key-24", "record.debit", upd_params(bytes(24), rec, 1, t, 1),
                      {"error": "invalid-key"}))
    return suite("svr1-update", "Debit and credit: results, every refusal, the order of the checks.",
                 cases)


def suite_successor():
    g = Gen(4)
    cases = []

    def add(cid, ik, prev, nxt):
        cases.append(case(cid, "record.successor",
                          {"issuer_key": hx(ik), "previous": hx(prev), "next": hx(nxt)},
                          expect_of(lambda: {"valid": successor(ik, prev, nxt)})))

    for n in range(10):
        ik = g.issuer()
        rec = seal(ik, g.fields(balance=10**5, limit=10**6))
        credit = n % 2 == 0
        nxt = update(ik, rec, g.r.randint(1, 10**5), g.terminal(), g.r.getrandbits(32), credit)
        add(f"good-{n}", ik, rec, nxt)
        add(f"reversed-{n}", ik, nxt, rec)
        add(f"replay-{n}", ik, nxt, nxt)
    ik = g.bytes(16)
    f = g.fields(balance=10**5, limit=10**6, counter=10)
    prev = seal(ik, f)
    _, ptag = verify(ik, prev)
    ok = dict(f, counter=11, amount=-100, balance=f["balance"] - 100, prev_tag=ptag[:8],
              terminal_id=b"NEXT    ", timestamp=f["timestamp"] + 1)
    add("crafted-good", ik, prev, seal(ik, ok))
    for cid, kw in [
        ("card-id", {"card_id": f["card_id"] ^ 1}),
        ("currency", {"currency": 1 if f["currency"] != 1 else 2}),
        ("exponent", {"exponent": (f["exponent"] + 1) % 5}),
        ("limit", {"limit": f["limit"] + 1}),
        ("counter-skip", {"counter": 12}),
        ("counter-same", {"counter": 10}),
        ("counter-back", {"counter": 9}),
        ("prev-tag", {"prev_tag": bytes(8)}),
        ("prev-tag-bit", {"prev_tag": bytes([ptag[0] ^ 1]) + ptag[1:8]}),
        ("balance", {"balance": ok["balance"] + 1}),
        ("amount-sign", {"amount": 100}),
        ("amount-zero", {"amount": 0}),
    ]:
        bad = dict(ok, **kw)
        add(f"fault-{cid}", ik, prev, seal(ik, bad))
    # Counter at u32::MAX has no successor; a balance that would wrap.
    top = seal(ik, dict(f, counter=U32))
    _, ttag = verify(ik, top)
    add("counter-max-wrap", ik, top, seal(ik, dict(ok, counter=0, prev_tag=ttag[:8],
                                                   balance=f["balance"] - 100)))
    low = seal(ik, dict(f, balance=5))
    _, ltag = verify(ik, low)
    add("balance-below-zero", ik, low, seal(ik, dict(ok, prev_tag=ltag[:8], amount=-6, balance=0)))
    # Records that do not open.
    good_next = seal(ik, ok)
    b = bytearray(good_next)
    b[95] ^= 1
    add("next-bad-mac", ik, prev, bytes(b))
    b = bytearray(prev)
    b[80] ^= 1
    add("previous-bad-mac", ik, bytes(b), good_next)
    add("next-short", ik, prev, good_next[:95])
    add("previous-empty", ik, b"", good_next)
    b = bytearray(good_next)
    b[14] = 7
    add("next-bad-structure", ik, prev, bytes(b))
    add("other-issuer", g.bytes(16), prev, good_next)
    cases.append(case("issuer-key-24", "record.successor",
                      {"issuer_key": hx(bytes(24)), "previous": hx(prev), "next": hx(good_next)},
                      {"error": "invalid-key"}))
    return suite("svr1-successor", "The successor check: good links and every failure mode.", cases)


def torn(new, old, cut):
    """A write of `new` over `old` torn after `cut` bytes."""
    return new[:cut] + old[cut:]


def suite_select():
    g = Gen(5)
    cases = []

    def add(cid, ik, a, b):
        cases.append(case(cid, "record.select",
                          {"issuer_key": hx(ik), "slot_a": hx(a), "slot_b": hx(b)},
                          expect_of(lambda: {"record": hx(select(ik, a, b))})))

    for n in range(10):
        ik = g.issuer()
        r0 = seal(ik, g.fields(balance=10**5, limit=10**6))
        r1 = update(ik, r0, g.r.randint(1, 1000), g.terminal(), g.r.getrandbits(32), n % 2 == 1)
        r2 = update(ik, r1, g.r.randint(1, 1000), g.terminal(), g.r.getrandbits(32), n % 3 == 1)
        add(f"both-good-a-newer-{n}", ik, r1, r0)
        add(f"both-good-b-newer-{n}", ik, r1, r2)
        cut = g.r.randint(1, 95)
        add(f"b-torn-{n}-cut{cut}", ik, r1, torn(r2, r0, cut))
        cut = g.r.randint(1, 95)
        add(f"a-torn-{n}-cut{cut}", ik, torn(r2, r0, cut), r1)
        add(f"a-garbage-{n}", ik, g.bytes(96), r1)
        add(f"b-empty-{n}", ik, r2, b"")
    ik = g.bytes(16)
    r = seal(ik, g.fields())
    bad_tag = r[:90] + bytes([r[90] ^ 1]) + r[91:]
    bad_struct = b"XVR1" + r[4:]
    add("neither-both-tag", ik, bad_tag, bad_tag)
    add("neither-a-tag-b-structure", ik, bad_tag, bad_struct)
    add("neither-a-structure-b-tag", ik, bad_struct, bad_tag)
    add("neither-a-short-b-tag", ik, r[:50], bad_tag)
    add("neither-both-structure", ik, bad_struct, bad_struct)
    add("neither-both-short", ik, r[:95], b"")
    add("neither-structure-and-short", ik, bad_struct, r + b"\x00")
    add("neither-other-issuer", g.bytes(16), r, r)
    add("same-record-both", ik, r, r)
    # Project decision: equal counters, both valid: the lower balance, then A.
    f = g.fields(balance=500, limit=1000, counter=5)
    lo = seal(ik, dict(f, balance=400))
    hi = seal(ik, dict(f, balance=600))
    add("equal-counter-lower-balance-b-project-decision", ik, hi, lo)
    add("equal-counter-lower-balance-a-project-decision", ik, lo, hi)
    same_bal = seal(ik, dict(f, timestamp=f["timestamp"] + 1))
    add("equal-counter-equal-balance-a-project-decision", ik, same_bal, seal(ik, f))
    cases.append(case("issuer-key-24", "record.select",
                      {"issuer_key": hx(bytes(24)), "slot_a": hx(r), "slot_b": hx(r)},
                      {"error": "invalid-key"}))
    return suite("svr1-select", "Two-slot select: newer slot, torn writes, neither slot valid.", cases)


def suite_chain():
    g = Gen(6)
    cases = []
    # record.sign: signatures over the 96 bytes.
    for n in range(8):
        ik = g.issuer()
        rec = seal(ik, g.fields())
        d = g.scalar()
        cases.append(case(f"sign-{n}", "record.sign", {"key": hx(d.to_bytes(32, "big")), "record": hx(rec)},
                          {"sig": hx(ecdsa_sign(d, rec))}))
    rec = seal(g.bytes(16), g.fields())
    for cid, key in (("zero", 0), ("n", N), ("n-plus-1", N + 1), ("all-ff", 2**256 - 1)):
        cases.append(case(f"sign-key-{cid}", "record.sign",
                          {"key": hx(key.to_bytes(32, "big")), "record": hx(rec)}, {"error": "invalid-key"}))
    cases.append(case("sign-key-31-bytes", "record.sign", {"key": hx(bytes(30) + b"\x01"), "record": hx(rec)},
                      {"error": "invalid-key"}))
    for n in (95, 97, 0):
        r = (rec + b"\x00")[:n]
        cases.append(case(f"sign-record-{n}-bytes-project-decision", "record.sign",
                          {"key": hx((1).to_bytes(32, "big")), "record": hx(r)}, {"error": "invalid-record"}))

    def add(cid, ik, pub, records, sigs):
        ok, at = chain(ik, pub, records, sigs)
        e = {"valid": ok}
        if not ok:
            e["broken_at"] = at
        cases.append(case(cid, "record.chain",
                          {"issuer_key": hx(ik), "public_key": hx(pub),
                           "records": [hx(r) for r in records], "sigs": [hx(s) for s in sigs]}, e))

    def make_chain(ik, d, length):
        recs = [seal(ik, g.fields(balance=10**6, limit=10**7, counter=0, amount=0, prev_tag=bytes(8)))]
        for _ in range(length - 1):
            recs.append(update(ik, recs[-1], g.r.randint(1, 1000), g.terminal(),
                               g.r.getrandbits(32), g.r.random() < 0.3))
        return recs, [ecdsa_sign(d, r) for r in recs]

    for n, length in enumerate([1, 2, 3, 5, 8, 12]):
        ik, d = g.issuer(), g.scalar()
        recs, sigs = make_chain(ik, d, length)
        pub = ecdsa_public(d, compressed=n % 2 == 1)
        add(f"intact-{length}", ik, pub, recs, sigs)
    ik, d = g.bytes(16), g.scalar()
    pub = ecdsa_public(d)
    recs, sigs = make_chain(ik, d, 6)
    add("empty-project-decision", ik, pub, [], [])
    for i in range(6):
        b = bytearray(recs[i])
        b[88] ^= 1
        add(f"bad-mac-at-{i}", ik, pub, recs[:i] + [bytes(b)] + recs[i + 1:], sigs)
        s = bytearray(sigs[i])
        s[10] ^= 1
        add(f"bad-sig-at-{i}", ik, pub, recs, sigs[:i] + [bytes(s)] + sigs[i + 1:])
    b = bytearray(recs[2])
    b[14] = 5
    add("bad-structure-at-2", ik, pub, recs[:2] + [bytes(b)] + recs[3:], sigs)
    add("short-record-at-3", ik, pub, recs[:3] + [recs[3][:95]] + recs[4:], sigs)
    other_d = g.scalar()
    add("other-terminal-sig-at-4", ik, pub, recs, sigs[:4] + [ecdsa_sign(other_d, recs[4])] + sigs[5:])
    add("sig-of-other-record-at-1", ik, pub, recs, [sigs[0], sigs[2]] + sigs[2:])
    add("sig-zero-at-0", ik, pub, recs, [bytes(64)] + sigs[1:])
    add("sig-short-at-5", ik, pub, recs, sigs[:5] + [sigs[5][:63]])
    add("sig-der-at-2", ik, pub, recs, sigs[:2] + [to_der(sigs[2])] + sigs[3:])
    # Successor breaks: replay, skip, rollback, swap, a record of another chain.
    add("replay-at-3", ik, pub, recs[:3] + [recs[2]] + recs[3:], sigs[:3] + [sigs[2]] + sigs[3:])
    add("skip-at-2", ik, pub, recs[:2] + recs[3:], sigs[:2] + sigs[3:])
    add("rollback-at-4", ik, pub, recs[:4] + [recs[1]], sigs[:4] + [sigs[1]])
    add("swap-at-1", ik, pub, [recs[0], recs[2], recs[1]], [sigs[0], sigs[2], sigs[1]])
    other_recs, other_sigs = make_chain(ik, d, 3)
    add("other-card-at-2", ik, pub, recs[:2] + other_recs[2:], sigs[:2] + other_sigs[2:])
    # A fork: a second, different successor of record 2 (same counter).
    fork = update(ik, recs[2], 1, b"FORK    ", 99, False)
    add("fork-at-4", ik, pub, recs[:4] + [fork], sigs[:4] + [ecdsa_sign(d, fork)])
    # A chain that starts mid-way is fine: the walk checks links, not issuance.
    add("starts-mid-way", ik, pub, recs[3:], sigs[3:])
    # Lengths that differ (project decision: the first index missing its partner).
    add("missing-last-sig-project-decision", ik, pub, recs, sigs[:5])
    add("extra-sig-project-decision", ik, pub, recs[:4], sigs[:5])
    add("no-sigs-project-decision", ik, pub, recs, [])
    add("no-records-project-decision", ik, pub, [], sigs[:1])
    add("missing-sig-after-break", ik, pub, recs[:2] + [recs[3]], sigs[:2])
    # Keys.
    add("other-issuer", g.bytes(16), pub, recs, sigs)
    add("other-public-key", ik, ecdsa_public(other_d), recs, sigs)
    add("compressed-public-key", ik, ecdsa_public(d, compressed=True), recs, sigs)
    base = {"issuer_key": hx(ik), "public_key": hx(pub),
            "records": [hx(r) for r in recs], "sigs": [hx(s) for s in sigs]}
    cases.append(case("issuer-key-24", "record.chain", dict(base, issuer_key=hx(bytes(24))),
                      {"error": "invalid-key"}))
    off = bytearray(pub)
    off[64] ^= 1
    for cid, pk in (("off-curve", bytes(off)), ("identity", b"\x00"), ("short", pub[:64]),
                    ("hybrid", b"\x06" + pub[1:]), ("empty", b"")):
        cases.append(case(f"public-key-{cid}", "record.chain", dict(base, public_key=hx(pk)),
                          {"error": "invalid-public-key"}))
    return suite("svr1-chain",
                 "Terminal signatures over records (record.sign) and the audit of signed chains "
                 "(record.chain): intact chains, and every kind of broken link.", cases)


def suite_ecdsa():
    g = Gen(7)
    cases = []
    for n in range(12):
        d = g.scalar()
        msg = g.bytes(g.r.choice([0, 1, 32, 96, 200]))
        sig = ecdsa_sign(d, msg)
        cases.append(case(f"sign-{n}", "ecdsa.p256.sign", {"key": hx(d.to_bytes(32, "big")), "msg": hx(msg)},
                          {"sig": hx(sig)}))
        comp = n % 2 == 1
        pub = ecdsa_public(d, compressed=comp)
        form = "compressed" if comp else "uncompressed"
        cases.append(case(f"verify-{n}-{form}", "ecdsa.p256.verify",
                          {"public_key": hx(pub), "msg": hx(msg), "sig": hx(sig)}, {"valid": True}))
        cases.append(case(f"verify-{n}-{form}-der", "ecdsa.p256.verify",
                          {"public_key": hx(pub), "msg": hx(msg), "sig_der": hx(to_der(sig))}, {"valid": True}))
        # s -> n - s: still valid for P-256 (no low-S rule); pyca agrees.
        r, s = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")
        flipped = r.to_bytes(32, "big") + (N - s).to_bytes(32, "big")
        assert pyca_verify(ecdsa_public(d), msg, flipped)
        cases.append(case(f"verify-{n}-negated-s", "ecdsa.p256.verify",
                          {"public_key": hx(pub), "msg": hx(msg), "sig": hx(flipped)}, {"valid": True}))
        tampered = msg + b"\x00"
        assert not pyca_verify(ecdsa_public(d), tampered, sig)
        cases.append(case(f"verify-{n}-other-msg", "ecdsa.p256.verify",
                          {"public_key": hx(pub), "msg": hx(tampered), "sig": hx(sig)}, {"valid": False}))
    d = g.scalar()
    msg = b"paykernel"
    sig = ecdsa_sign(d, msg)
    pub = ecdsa_public(d)
    for cid, s in (("r-zero", bytes(32) + sig[32:]), ("s-zero", sig[:32] + bytes(32)),
                   ("r-n", N.to_bytes(32, "big") + sig[32:]), ("s-n", sig[:32] + N.to_bytes(32, "big")),
                   ("short", sig[:63]), ("long", sig + b"\x00"), ("empty", b"")):
        cases.append(case(f"verify-malformed-{cid}", "ecdsa.p256.verify",
                          {"public_key": hx(pub), "msg": hx(msg), "sig": hx(s)}, {"valid": False}))
    der = to_der(sig)
    for cid, s in (("trailing", der + b"\x00"), ("long-length", b"\x30\x81" + der[1:]),
                   ("truncated", der[:-1]), ("raw-as-der", sig)):
        cases.append(case(f"verify-der-malformed-{cid}", "ecdsa.p256.verify",
                          {"public_key": hx(pub), "msg": hx(msg), "sig_der": hx(s)}, {"valid": False}))
    x1 = b"\x02" + (1).to_bytes(32, "big")  # 1 - 3 + b is not a square mod p
    off = bytearray(pub)
    off[64] ^= 1
    for cid, pk in (("off-curve", bytes(off)), ("x-no-point", x1), ("x-p", b"\x02" + P.to_bytes(32, "big")),
                    ("identity", b"\x00"), ("hybrid", b"\x06" + pub[1:]), ("short", pub[:33]),
                    ("tag-05", b"\x05" + pub[1:]), ("empty", b"")):
        cases.append(case(f"public-key-{cid}", "ecdsa.p256.verify",
                          {"public_key": hx(pk), "msg": hx(msg), "sig": hx(sig)}, {"error": "invalid-public-key"}))
    for cid, key in (("zero", 0), ("n", N), ("all-ff", 2**256 - 1)):
        cases.append(case(f"sign-key-{cid}", "ecdsa.p256.sign",
                          {"key": hx(key.to_bytes(32, "big")), "msg": hx(msg)}, {"error": "invalid-key"}))
    cases.append(case("sign-key-n-minus-1", "ecdsa.p256.sign",
                      {"key": hx((N - 1).to_bytes(32, "big")), "msg": hx(msg)}, {"sig": hx(ecdsa_sign(N - 1, msg))}))
    cases.append(case("sign-key-1", "ecdsa.p256.sign",
                      {"key": hx((1).to_bytes(32, "big")), "msg": hx(msg)}, {"sig": hx(ecdsa_sign(1, msg))}))
    return suite("svr1-ecdsa-p256",
                 "ECDSA P-256/SHA-256 sign (RFC 6979) and verify: both key forms, r||s and DER, "
                 "negated s, malformed signatures and public keys.", cases)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "vectors"
    self_check()
    for s in (suite_card_key(), suite_seal_verify(), suite_update(), suite_successor(),
              suite_select(), suite_chain(), suite_ecdsa()):
        path = os.path.join(out, s["suite"] + ".json")
        with open(path, "w") as fh:
            json.dump(s, fh, indent=1)
            fh.write("\n")
        print(f"{path}: {len(s['cases'])} cases")


if __name__ == "__main__":
    main()
