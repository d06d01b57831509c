#!/usr/bin/env python3
"""QA generator for CBC and DUKPT keys in use (docs/vectors.md, "DUKPT keys in use").

Ops: `cbc.encrypt`, `cbc.decrypt`, `dukpt.tdes.encrypt_data`,
`dukpt.tdes.decrypt_data`, `dukpt.tdes.mac`, `dukpt.aes.encrypt_data`,
`dukpt.aes.decrypt_data`, `dukpt.aes.mac`, and the key ops under them
(`dukpt.tdes.key`, `dukpt.aes.key`).

TDES DUKPT keys come from pydukpt 0.1.0 (an independent X9.24-1
implementation on PyPI). AES DUKPT keys come from this script's own
transcription of X9.24-3-2017 6.3 (derivation data, usage and algorithm
indicators as the standard's tables give them), which first reproduces every
published value in vectors/x9.24-3-2017.json (the supplement's test
vectors) and stops if one differs. Ciphers, CMAC and HMAC: pyca/cryptography.

    python3 vectors/tools/qa/dukpt_data_qa.py --seed 1 --count 200 --out /tmp/qa/dukpt.json
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pydukpt  # noqa: E402

from qacommon import (  # noqa: E402
    Gen,
    aes_cbc_dec,
    aes_cbc_enc,
    aes_ecb_enc,
    args,
    cmac_aes,
    hmac_sha256,
    pad1,
    retail_mac,
    tdes_cbc_dec,
    tdes_cbc_enc,
    version,
    write_suite,
)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))

# ------------------------------------------------------------- AES DUKPT (X9.24-3-2017 6.3)

USAGE = {"kek": 0x0002, "pin": 0x1000, "mac-generate": 0x2000, "mac-verify": 0x2001, "mac-both": 0x2002,
         "data-encrypt": 0x3000, "data-decrypt": 0x3001, "data-both": 0x3002}
KTYPE = {"2TDEA": (0x0000, 128), "3TDEA": (0x0001, 192), "AES128": (0x0002, 128), "AES192": (0x0003, 192),
         "AES256": (0x0004, 256), "HMAC128": (0x0005, 128), "HMAC192": (0x0005, 192), "HMAC256": (0x0005, 256)}
STRENGTH = {"2TDEA": 0, "3TDEA": 1, "AES128": 2, "HMAC128": 2, "AES192": 3, "HMAC192": 3, "AES256": 4,
            "HMAC256": 4}
AES_OF_LEN = {16: "AES128", 24: "AES192", 32: "AES256"}


def dd(usage: int, ktype: str, data8: bytes) -> bytearray:
    alg, bits = KTYPE[ktype]
    return bytearray([1, 1]) + usage.to_bytes(2, "big") + alg.to_bytes(2, "big") + bits.to_bytes(2, "big") + data8


def derive(key: bytes, d: bytearray) -> bytes:
    bits = int.from_bytes(d[6:8], "big")
    out = b""
    i = 1
    while len(out) * 8 < bits:
        d[1] = i
        out += aes_ecb_enc(key, bytes(d))
        i += 1
    return out[: bits // 8]


def aes_initial_key(bdk: bytes, ikid: bytes) -> bytes:
    return derive(bdk, dd(0x8001, AES_OF_LEN[len(bdk)], ikid))


def aes_working_key(ik: bytes, ksn: bytes, ktype: str, usage: str) -> bytes:
    ikid, tc = ksn[:8], int.from_bytes(ksn[8:], "big")
    base = AES_OF_LEN[len(ik)]
    k = ik
    w = 0
    for bit in range(31, -1, -1):
        m = 1 << bit
        if tc & m:
            w |= m
            k = derive(k, dd(0x8000, base, ikid[4:] + w.to_bytes(4, "big")))
    return derive(k, dd(USAGE[usage], ktype, ikid[4:] + tc.to_bytes(4, "big")))


def self_check() -> int:
    """Reproduce the supplement's published AES DUKPT values."""
    path = os.path.join(REPO, "vectors", "x9.24-3-2017.json")
    n = 0
    for c in json.load(open(path))["cases"]:
        p, e = c["params"], c["expect"]
        if "key" not in e:
            continue
        if c["op"] == "dukpt.aes.initial_key":
            got = aes_initial_key(bytes.fromhex(p["bdk"]), bytes.fromhex(p["initial_key_id"]))
        elif c["op"] == "dukpt.aes.key":
            ksn = bytes.fromhex(p["ksn"])
            ik = bytes.fromhex(p["initial_key"]) if "initial_key" in p else aes_initial_key(
                bytes.fromhex(p["bdk"]), ksn[:8])
            got = aes_working_key(ik, ksn, p["key_type"], p["usage"])
        else:
            continue
        assert got.hex().upper() == e["key"].upper(), c["id"]
        n += 1
    assert n >= 40, n
    return n


# ------------------------------------------------------------- TDES DUKPT (pydukpt)


def tdes_key(bdk_or_ipek: tuple[str, bytes], ksn: bytes, which: str) -> bytes:
    kind, k = bdk_or_ipek
    ipek = pydukpt.derive_ipek(k, ksn) if kind == "bdk" else k
    base = pydukpt.derive_key(ipek, ksn)
    return {
        "base": lambda b: b,
        "pin": pydukpt.pin_key,
        "mac-request": pydukpt.mac_request_key,
        "mac-response": pydukpt.mac_response_key,
        "data-request": pydukpt.data_request_key,
        "data-response": pydukpt.data_response_key,
    }[which](base)


# ------------------------------------------------------------- helpers


def rnd_counter(g: Gen, bits: int, max_ones: int) -> int:
    r = g.rng.random()
    if r < 0.5:
        # a counter a terminal may use
        while True:
            c = g.randint(1, (1 << bits) - 1)
            if bin(c).count("1") <= max_ones:
                return c
    if r < 0.8:
        return g.randint(1, (1 << bits) - 1)  # any counter: the host derives it
    return g.choice([1, 2, (1 << bits) - 1, 1 << (bits - 1), g.randint(1, 64)])


def tdes_ksn(g: Gen) -> bytes:
    c = rnd_counter(g, 21, 10)
    top = g.bytes(10)
    v = int.from_bytes(top, "big") & ~((1 << 21) - 1) | c
    return v.to_bytes(10, "big")


def aes_ksn(g: Gen) -> bytes:
    return g.bytes(8) + rnd_counter(g, 32, 16).to_bytes(4, "big")


def data_len(g: Gen, bs: int) -> int:
    return bs * g.choice([1, 1, 2, 3, 4, 8, 16, g.randint(1, 64), g.randint(100, 300)])


def mac_data_len(g: Gen) -> int:
    return g.choice([0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, g.randint(0, 100), g.randint(100, 2000)])


def bad_ksn(g: Gen, n: int) -> str:
    return g.hexs(g.choice([k for k in (0, 1, 8, 9, 11, 12, 16) if k != n]))


H = lambda b: b.hex().upper()  # noqa: E731

# ------------------------------------------------------------- cases


def gen_cbc(g: Gen) -> None:
    cipher = g.choice(["tdes", "aes"])
    if cipher == "tdes":
        key = g.bytes(g.choice([8, 16, 24])); bs = 8
        enc, dec = tdes_cbc_enc, tdes_cbc_dec
        badlens = (0, 7, 9, 15, 17, 23, 25, 32)
    else:
        key = g.bytes(g.choice([16, 24, 32])); bs = 16
        enc, dec = aes_cbc_enc, aes_cbc_dec
        badlens = (0, 8, 15, 17, 23, 25, 31, 33, 48)
    iv = g.bytes(bs) if g.rng.random() < 0.7 else None
    pt = g.bytes(data_len(g, bs))
    ct = enc(key, iv or bytes(bs), pt)
    assert dec(key, iv or bytes(bs), ct) == pt
    p = {"cipher": cipher, "key": g.case_mix(H(key)), "data": g.case_mix(H(pt))}
    if iv is not None:
        p["iv"] = H(iv)
    g.add(f"cbc-enc-{cipher}{len(key)}", "cbc.encrypt", p, {"data": H(ct)})
    q = {**p, "data": H(ct)}
    g.add(f"cbc-dec-{cipher}{len(key)}", "cbc.decrypt", q, {"data": H(pt)})
    op = g.choice(["cbc.encrypt", "cbc.decrypt"])
    g.add("cbc-partial", op, {**p, "data": H(pt + g.bytes(g.randint(1, bs - 1)))}, {"error": "invalid-length"})
    g.add("cbc-empty", op, {**p, "data": ""}, {"error": "invalid-length"})
    g.add("cbc-iv", op, {**p, "iv": g.hexs(g.choice([n for n in (0, 4, 8, 12, 15, 16, 17, 32) if n != bs]))},
          {"error": "invalid-length"})
    g.add("cbc-key", op, {**p, "key": g.hexs(g.choice(badlens))}, {"error": "invalid-key"})
    g.add("cbc-key-hex", op, {**p, "key": g.choice([H(key)[:-1], "ZZ" + H(key)[2:]])}, {"error": "invalid-key"})


def gen_tdes(g: Gen) -> None:
    bdk = g.bytes(16)
    ksn = tdes_ksn(g)
    root = ("bdk", bdk) if g.rng.random() < 0.5 else ("ipek", pydukpt.derive_ipek(bdk, ksn))
    rp = {root[0]: H(root[1])}
    direction = g.choice(["request", "response"])
    dk = tdes_key(root, ksn, "data-" + direction)
    mk = tdes_key(root, ksn, "mac-" + direction)
    # the key op agrees with pydukpt (variants and the one-way step)
    variant = g.choice(["base", "pin", "mac-request", "mac-response", "data-request", "data-response"])
    g.add(f"tdes-key-{variant}", "dukpt.tdes.key", {**rp, "ksn": H(ksn), "variant": variant},
          {"key": H(tdes_key(root, ksn, variant))})
    iv = g.bytes(8) if g.rng.random() < 0.6 else None
    pt = g.bytes(data_len(g, 8))
    ct = tdes_cbc_enc(dk, iv or bytes(8), pt)
    p = {**rp, "ksn": g.case_mix(H(ksn)), "direction": direction, "data": H(pt)}
    if iv is not None:
        p["iv"] = H(iv)
    g.add(f"tdes-enc-{direction}", "dukpt.tdes.encrypt_data", p, {"data": H(ct)})
    g.add(f"tdes-dec-{direction}", "dukpt.tdes.decrypt_data", {**p, "data": H(ct)}, {"data": H(pt)})
    msg = g.bytes(mac_data_len(g))
    full = retail_mac(mk, pad1(msg))
    ln = g.choice([None, 4, 5, 6, 7, 8])
    mp = {**rp, "ksn": H(ksn), "direction": direction, "data": H(msg)}
    if ln is not None:
        mp["len"] = ln
    g.add(f"tdes-mac-{direction}", "dukpt.tdes.mac", mp, {"mac": H(full[: ln or 4])})
    # refusals
    op = g.choice(["dukpt.tdes.encrypt_data", "dukpt.tdes.decrypt_data"])
    g.add("tdes-partial", op, {**p, "data": H(pt + g.bytes(g.randint(1, 7)))}, {"error": "invalid-length"})
    g.add("tdes-empty", op, {**p, "data": ""}, {"error": "invalid-length"})
    g.add("tdes-iv", op, {**p, "iv": g.hexs(g.choice([0, 4, 7, 9, 16]))}, {"error": "invalid-length"})
    o, pp = g.choice([(op, p), ("dukpt.tdes.mac", mp)])
    g.add("tdes-ksn", o, {**pp, "ksn": bad_ksn(g, 10)}, {"error": "invalid-ksn"})
    g.add("tdes-mac-len", "dukpt.tdes.mac", {**mp, "len": g.choice([0, 1, 2, 3, 9, 16])}, {"error": "invalid-length"})
    o, pp = g.choice([(op, p), ("dukpt.tdes.mac", mp)])
    g.add("tdes-key-len", o, {**pp, root[0]: g.hexs(g.choice([8, 15, 17, 32]))}, {"error": "invalid-key"})


def gen_aes(g: Gen) -> None:
    blen = g.choice([16, 24, 32])
    bdk = g.bytes(blen)
    ksn = aes_ksn(g)
    ik = aes_initial_key(bdk, ksn[:8])
    root = ("bdk", bdk) if g.rng.random() < 0.5 else ("initial_key", ik)
    rp = {root[0]: H(root[1])}
    top = STRENGTH[AES_OF_LEN[blen]]
    # data
    ktypes = [k for k in ("2TDEA", "3TDEA", "AES128", "AES192", "AES256") if STRENGTH[k] <= top]
    kt = g.choice(ktypes)
    usage = g.choice(["data-encrypt", "data-decrypt", "data-both"])
    wk = aes_working_key(ik, ksn, kt, usage)
    g.add(f"aes-key-{kt}-{usage}", "dukpt.aes.key", {**rp, "ksn": H(ksn), "key_type": kt, "usage": usage},
          {"key": H(wk)})
    bs = 8 if "TDEA" in kt else 16
    enc, dec = (tdes_cbc_enc, tdes_cbc_dec) if bs == 8 else (aes_cbc_enc, aes_cbc_dec)
    iv = g.bytes(bs) if g.rng.random() < 0.6 else None
    pt = g.bytes(data_len(g, bs))
    ct = enc(wk, iv or bytes(bs), pt)
    p = {**rp, "ksn": g.case_mix(H(ksn)), "key_type": kt, "usage": usage, "data": H(pt)}
    if iv is not None:
        p["iv"] = H(iv)
    g.add(f"aes-enc-{kt}", "dukpt.aes.encrypt_data", p, {"data": H(ct)})
    g.add(f"aes-dec-{kt}", "dukpt.aes.decrypt_data", {**p, "data": H(ct)}, {"data": H(pt)})
    # mac
    mts = [k for k in ("AES128", "AES192", "AES256", "HMAC128", "HMAC192", "HMAC256") if STRENGTH[k] <= top]
    mt = g.choice(mts)
    mu = g.choice(["mac-generate", "mac-verify", "mac-both"])
    mk = aes_working_key(ik, ksn, mt, mu)
    msg = g.bytes(mac_data_len(g))
    full = hmac_sha256(mk, msg) if mt.startswith("HMAC") else cmac_aes(mk, msg)
    ln = g.choice([None, 4, 5, 8, 12, 16, len(full)])
    mp = {**rp, "ksn": H(ksn), "key_type": mt, "usage": mu, "data": H(msg)}
    if ln is not None:
        mp["len"] = ln
    g.add(f"aes-mac-{mt}", "dukpt.aes.mac", mp, {"mac": H(full[: ln or len(full)])})
    # refusals
    op = g.choice(["dukpt.aes.encrypt_data", "dukpt.aes.decrypt_data"])
    g.add("aes-partial", op, {**p, "data": H(pt + g.bytes(g.randint(1, bs - 1)))}, {"error": "invalid-length"})
    if bs == 16 and g.rng.random() < 0.5:
        g.add("aes-half-block", op, {**p, "data": H(g.bytes(8 * (2 * g.randint(0, 4) + 1)))},
              {"error": "invalid-length"})
    g.add("aes-empty", op, {**p, "data": ""}, {"error": "invalid-length"})
    g.add("aes-iv", op, {**p, "iv": g.hexs(g.choice([n for n in (0, 8, 12, 16, 17, 32) if n != bs]))},
          {"error": "invalid-length"})
    o, pp = g.choice([(op, p), ("dukpt.aes.mac", mp)])
    g.add("aes-ksn", o, {**pp, "ksn": bad_ksn(g, 12)}, {"error": "invalid-ksn"})
    g.add("aes-mac-len", "dukpt.aes.mac", {**mp, "len": g.choice([0, 1, 2, 3, len(full) + 1, len(full) + 8, 64])},
          {"error": "invalid-length"})
    mp_nolen = {k: v for k, v in mp.items() if k != "len"}
    g.add("aes-mac-tdes", "dukpt.aes.mac", {**mp_nolen, "key_type": g.choice(["2TDEA", "3TDEA"])}, {"error": "unsupported"})
    g.add("aes-data-hmac", op, {**p, "key_type": g.choice(["HMAC128", "HMAC192", "HMAC256"])}, {"error": "unsupported"})
    stronger = [k for k in KTYPE if STRENGTH[k] > top and "TDEA" not in k]
    if stronger:
        s = g.choice(stronger)
        if s.startswith("HMAC"):
            g.add("aes-mac-stronger", "dukpt.aes.mac", {**mp_nolen, "key_type": s}, {"error": "unsupported"})
        else:
            g.add("aes-data-stronger", op, {**p, "key_type": s}, {"error": "unsupported"})
            g.add("aes-mac-stronger", "dukpt.aes.mac", {**mp_nolen, "key_type": s}, {"error": "unsupported"})
    o, pp = g.choice([(op, p), ("dukpt.aes.mac", mp)])
    g.add("aes-key-len", o, {**pp, "key_type": "2TDEA" if o == op else "AES128",
                             root[0]: g.hexs(g.choice([8, 15, 17, 20, 33]))}, {"error": "invalid-key"})


def main() -> None:
    a = args(__doc__.splitlines()[1], "/tmp/qa/dukpt.json")
    n = self_check()
    g = Gen(a.seed, f"dukpt-s{a.seed}")
    for _ in range(a.count):
        gen_cbc(g)
        gen_tdes(g)
        gen_aes(g)
    src = (
        f"vectors/tools/qa/dukpt_data_qa.py --seed {a.seed} --count {a.count}: TDES DUKPT keys by pydukpt "
        f"{version('pydukpt')}; AES DUKPT keys by the script's transcription of X9.24-3-2017 6.3, which first "
        f"reproduces the {n} published supplement values of vectors/x9.24-3-2017.json; CBC, retail MAC, CMAC and "
        f"HMAC-SHA-256 over pyca/cryptography {version('cryptography')}; refusals from docs/vectors.md's rules"
    )
    write_suite(a.out, f"qa-dukpt-data-s{a.seed}", src, g.cases)
    print(f"{a.out}: {len(g.cases)} cases (seed {a.seed})", file=sys.stderr)


if __name__ == "__main__":
    main()
