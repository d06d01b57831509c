#!/usr/bin/env python3
"""QA generator for the older ops that have an independent Python library.

- `pin.encipher`, `pin.decipher`, `pin.translate` (ISO 9564-1): psec 1.3.0
  builds the clear blocks of formats 0, 2, 3 and 4 (format 4 enciphered by
  psec itself); format 1 and the fills are laid out from docs/vectors.md.
- `mac.iso9797` (algorithms 1 and 3, paddings 1 to 3): psec 1.3.0's
  `generate_cbc_mac` / `generate_retail_mac`; `cmac`, `cmac.verify`:
  pyca/cryptography.
- `emv.icc_mk`, `emv.session_key`, `emv.ac`, `emv.arpc`: pyemv 1.5.0.
- `dukpt.tdes.ipek`, `dukpt.tdes.key`: pydukpt 0.1.0.

    python3 vectors/tools/qa/older_qa.py --seed 1 --count 200 --out /tmp/qa/older.json
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import psec.mac  # noqa: E402
import psec.pinblock  # noqa: E402
import pydukpt  # noqa: E402
import pyemv.ac  # noqa: E402
import pyemv.kd  # noqa: E402

from qacommon import (  # noqa: E402
    Gen,
    aes_ecb_enc,
    args,
    cmac_aes,
    cmac_tdes,
    tdes_ecb_dec,
    tdes_ecb_enc,
    version,
    write_suite,
    xor,
)

HEX = "0123456789ABCDEF"
H = lambda b: b.hex().upper()  # noqa: E731


# ------------------------------------------------------------- PIN blocks


def clear_block(g: Gen, fmt: int, pin: str, pan: str) -> tuple[bytes, str]:
    """(the clear block as the cipher sees it (format 4: the PIN field), fill)."""
    n = len(pin)
    if fmt == 0:
        return psec.pinblock.encode_pinblock_iso_0(pin, pan), ""
    if fmt == 1:
        fill = "".join(g.choice(HEX) for _ in range(14 - n))
        return bytes.fromhex("1" + f"{n:X}" + pin + fill), fill
    if fmt == 2:
        return psec.pinblock.encode_pinblock_iso_2(pin), ""
    if fmt == 3:
        fill = "".join(g.choice("ABCDEF") for _ in range(14 - n))
        blk = bytes.fromhex("3" + f"{n:X}" + pin + fill)
        # psec draws its own fill; its PAN field is the same as format 0's
        pf = xor(psec.pinblock.encode_pinblock_iso_0(pin, pan), bytes.fromhex("0" + f"{n:X}" + pin + "F" * (14 - n)))
        return xor(blk, pf), fill
    fill = "".join(g.choice(HEX) for _ in range(16))
    return bytes.fromhex("4" + f"{n:X}" + pin + "A" * (14 - n) + fill), fill


def encipher(key: bytes, fmt: int, clear: bytes, pan: str) -> bytes:
    if fmt < 4:
        return tdes_ecb_enc(key, clear)
    m = len(pan) - 12
    pf = bytes.fromhex((f"{m:X}" + pan).ljust(32, "0"))
    out = aes_ecb_enc(key, xor(aes_ecb_enc(key, clear), pf))
    assert psec.pinblock.decipher_pinblock_iso_4(key, out, pan) == clear.hex()[2 : 2 + int(clear.hex()[1], 16)]
    return out


def pin_key(g: Gen, fmt: int) -> bytes:
    return g.bytes(g.choice([16, 24, 32])) if fmt == 4 else g.bytes(g.choice([8, 16, 24]))


def gen_pin(g: Gen) -> None:
    fmt = g.choice([0, 1, 2, 3, 4])
    pan = g.pan(g.choice([13, 14, 15, 16, 16, 17, 18, 19]))  # psec: formats 0 and 3 need 13 digits or more
    if g.rng.random() < 0.15 and fmt in (1, 2, 4):
        pan = g.pan(12)
    pin = g.digits(g.choice([4, 4, 5, 6, 12, g.randint(4, 12)]))
    key = pin_key(g, fmt)
    clear, fill = clear_block(g, fmt, pin, pan)
    blk = encipher(key, fmt, clear, pan)
    p = {"format": fmt, "key": H(key), "pin": pin}
    if fmt in (0, 3, 4):
        p["pan"] = pan
    if fill:
        p["fill"] = fill
    g.add(f"pin-enc-f{fmt}", "pin.encipher", p, {"block": H(blk)})
    dp = {"format": fmt, "key": g.case_mix(H(key)), "block": g.case_mix(H(blk))}
    if fmt in (0, 3, 4):
        dp["pan"] = pan
    g.add(f"pin-dec-f{fmt}", "pin.decipher", dp, {"pin": pin})
    # translate to another format and key
    to = g.choice([1, 2, 4] if len(pan) < 13 else [0, 1, 2, 3, 4])
    tkey = pin_key(g, to)
    tclear, tfill = clear_block(g, to, pin, pan)
    tblk = encipher(tkey, to, tclear, pan)
    tp = {"from": {"format": fmt, "key": H(key)}, "to": {"format": to, "key": H(tkey)}, "block": H(blk)}
    if fmt in (0, 3, 4) or to in (0, 3, 4):
        tp["pan"] = pan
    if tfill:
        tp["fill"] = tfill
    g.add(f"pin-tr-f{fmt}-f{to}", "pin.translate", tp, {"block": H(tblk)})
    # refusals
    g.add("pin-enc-pin", "pin.encipher", {**p, "pin": g.choice([g.digits(3), g.digits(13), g.digits(3) + "A", ""])},
          {"error": "invalid-pin"})
    if fmt in (0, 3, 4):
        g.add("pin-enc-pan", "pin.encipher", {**p, "pan": g.choice([g.digits(11), g.digits(20), g.digits(14) + "X"])},
              {"error": "invalid-pan"})
        g.add("pin-dec-pan", "pin.decipher", {**dp, "pan": g.choice([g.digits(11), g.digits(20)])},
              {"error": "invalid-pan"})
    badk = g.hexs(g.choice([8, 15, 17, 33]) if fmt == 4 else g.choice([0, 7, 9, 15, 17, 32]))
    g.add("pin-enc-key", "pin.encipher", {**p, "key": badk}, {"error": "invalid-key"})
    g.add("pin-dec-key", "pin.decipher", {**dp, "key": badk}, {"error": "invalid-key"})
    g.add("pin-enc-fmt", "pin.encipher", {**p, "format": g.choice([5, 6, 9])}, {"error": "unsupported"})
    bs = 16 if fmt == 4 else 8
    g.add("pin-dec-size", "pin.decipher", {**dp, "block": g.hexs(g.choice([n for n in (0, 7, 8, 9, 16, 17) if n != bs]))},
          {"error": "invalid-pin-block"})
    # a block whose clear field breaks its control nibble
    c = bytearray(clear)
    c[0] = (c[0] & 0x0F) | (g.choice([x for x in range(16) if x != fmt]) << 4)
    g.add("pin-dec-control", "pin.decipher", {**dp, "block": H(encipher_raw(key, fmt, bytes(c), pan))},
          {"error": "invalid-pin-block"})


def encipher_raw(key: bytes, fmt: int, clear: bytes, pan: str) -> bytes:
    if fmt < 4:
        return tdes_ecb_enc(key, clear)
    m = len(pan) - 12
    pf = bytes.fromhex((f"{m:X}" + pan).ljust(32, "0"))
    return aes_ecb_enc(key, xor(aes_ecb_enc(key, clear), pf))


# ------------------------------------------------------------- MACs


def gen_mac(g: Gen) -> None:
    data = g.bytes(g.choice([0, 1, 7, 8, 9, 15, 16, 17, 32, g.randint(0, 200)]))
    padding = g.choice([1, 2, 3])
    alg = g.choice([1, 3])
    if alg == 1:
        cipher = g.choice(["des", "tdes", "aes"])
        if cipher == "des":
            key = g.bytes(8)
        elif cipher == "tdes":
            key = g.bytes(g.choice([16, 24]))
        else:
            key = g.bytes(g.choice([16, 24, 32]))
        bs = 16 if cipher == "aes" else 8
        algo = psec.mac.Algorithm.AES if cipher == "aes" else psec.mac.Algorithm.DES
        full = psec.mac.generate_cbc_mac(key, data, padding, bs, algo)
    else:
        cipher = "des"
        key = g.bytes(16)
        bs = 8
        full = psec.mac.generate_retail_mac(key[:8], key[8:], data, padding, 8)
    ln = g.randint(4, bs)
    p = {"alg": alg, "cipher": cipher, "key": H(key), "data": H(data), "padding": padding, "len": ln}
    g.add(f"mac-a{alg}-{cipher}-p{padding}", "mac.iso9797", p, {"mac": H(full[:ln])})
    g.add("mac-padding", "mac.iso9797", {**p, "padding": g.choice([0, 4, 5])}, {"error": "invalid-padding"})
    g.add("mac-key", "mac.iso9797", {**p, "key": g.hexs(g.choice([0, 5, 12, 20]))}, {"error": "invalid-key"})
    # CMAC
    c = g.choice(["aes", "tdes"])
    key = g.bytes(g.choice([16, 24, 32]) if c == "aes" else g.choice([16, 24]))
    msg = g.bytes(g.choice([0, 1, 15, 16, 17, 64, g.randint(0, 300)]))
    tag = cmac_aes(key, msg) if c == "aes" else cmac_tdes(key, msg)
    bs = len(tag)
    ln = g.choice([4, 8, bs, g.randint(4, bs)])
    cp = {"cipher": c, "key": H(key), "msg": H(msg), "len": ln}
    g.add(f"cmac-{c}{len(key)}", "cmac", cp, {"mac": H(tag[:ln])})
    vp = {**cp, "mac": H(tag[:ln])}
    g.add("cmac-verify", "cmac.verify", vp, {"valid": True})
    bad = bytearray(tag[:ln])
    bad[g.randint(0, ln - 1)] ^= 1 << g.randint(0, 7)
    g.add("cmac-verify-bad", "cmac.verify", {**vp, "mac": H(bytes(bad))}, {"valid": False})
    g.add("cmac-verify-len", "cmac.verify", {**vp, "mac": H(tag[: ln - 1])}, {"valid": False})
    g.add("cmac-verify-short", "cmac.verify", {**vp, "len": g.choice([1, 2, 3]), "mac": H(tag[:2])},
          {"error": "invalid-length"})
    bad = [8, 15, 17, 33] if c == "aes" else [0, 7, 9, 15, 17, 32]  # TDES takes 8 (single DES), 16, 24
    g.add("cmac-key", "cmac", {**cp, "key": g.hexs(g.choice(bad))}, {"error": "invalid-key"})
    g.add("cmac-verify-key", "cmac.verify", {**vp, "key": g.hexs(g.choice(bad))}, {"error": "invalid-key"})


# ------------------------------------------------------------- EMV Book 2


def gen_emv(g: Gen) -> None:
    imk = g.bytes(16)
    opt = g.choice(["A", "B"])
    pan = g.pan(g.choice([12, 16, 17, 18, 19, g.randint(12, 19)]))
    psn = g.digits(2)
    mk = (pyemv.kd.derive_icc_mk_a if opt == "A" else pyemv.kd.derive_icc_mk_b)(imk, pan, psn)
    g.add(f"icc-mk-{opt}", "emv.icc_mk", {"option": opt, "imk": H(imk), "pan": pan, "psn": psn}, {"mk": H(mk)})
    g.add("icc-mk-psn", "emv.icc_mk", {"option": opt, "imk": H(imk), "pan": pan, "psn": g.choice(["0", "123", "AB"])},
          {"error": "invalid-pan"})
    g.add("icc-mk-pan", "emv.icc_mk", {"option": opt, "imk": H(imk), "pan": g.digits(11), "psn": psn},
          {"error": "invalid-pan"})
    method = g.choice(["common", "visa-sm", "emv2000-tree"])
    if method == "common":
        r = g.bytes(8)
        sk = pyemv.kd.derive_common_sk(mk, r)
        g.add("sk-common", "emv.session_key", {"method": method, "mk": H(mk), "r": H(r)}, {"sk": H(sk)})
    elif method == "visa-sm":
        atc = g.bytes(2)
        sk = pyemv.kd.derive_visa_sm_sk(mk, atc)
        g.add("sk-visa-sm", "emv.session_key", {"method": method, "mk": H(mk), "atc": H(atc)}, {"sk": H(sk)})
    else:
        h, b = g.choice([(8, 4), (16, 2), (4, 16), (2, 256)])
        atc = (g.randint(0, b**h - 1) % 65536).to_bytes(2, "big")
        iv = g.bytes(16)
        sk = pyemv.kd.derive_emv2000_tree_sk(mk, atc, h, b, iv)
        g.add("sk-tree", "emv.session_key", {"method": method, "mk": H(mk), "atc": H(atc), "height": h,
                                             "branch_factor": b, "iv": H(iv)}, {"sk": H(sk)})
    data = g.bytes(g.choice([0, 1, 7, 8, 9, 32, 37, g.randint(0, 100)]))
    padding = g.choice([1, 2])
    ln = g.choice([None, 4, 8, g.randint(4, 8)])
    ac = pyemv.ac.generate_ac(sk, data, pyemv.ac.PaddingType(padding), ln or 8)
    p = {"sk": H(sk), "data": H(data), "padding": padding}
    if ln is not None:
        p["len"] = ln
    g.add(f"ac-p{padding}", "emv.ac", p, {"ac": H(ac)})
    arqc = g.bytes(8)
    if g.rng.random() < 0.5:
        arc = g.bytes(2)
        arpc = pyemv.ac.generate_arpc_1(sk, arqc, arc)
        g.add("arpc-1", "emv.arpc", {"method": 1, "sk": H(sk), "arqc": H(arqc), "arc": H(arc)}, {"arpc": H(arpc)})
        g.add("arpc-1-arc", "emv.arpc", {"method": 1, "sk": H(sk), "arqc": H(arqc), "arc": g.hexs(3)},
              {"error": "invalid-length"})
    else:
        csu = g.bytes(4)
        prop = g.bytes(g.randint(0, 8))
        arpc = pyemv.ac.generate_arpc_2(sk, arqc, csu, prop)
        q = {"method": 2, "sk": H(sk), "arqc": H(arqc), "csu": H(csu), "prop": H(prop)}
        g.add("arpc-2", "emv.arpc", q, {"arpc": H(arpc)})
        g.add("arpc-2-prop", "emv.arpc", {**q, "prop": g.hexs(9)}, {"error": "invalid-length"})


# ------------------------------------------------------------- TDES DUKPT keys


def gen_dukpt(g: Gen) -> None:
    bdk = g.bytes(16)
    ksn = bytearray(g.bytes(10))
    c = g.randint(1, (1 << 21) - 1)
    v = int.from_bytes(ksn, "big") & ~((1 << 21) - 1) | c
    ksn = v.to_bytes(10, "big")
    ipek = pydukpt.derive_ipek(bdk, ksn)
    g.add("ipek", "dukpt.tdes.ipek", {"bdk": H(bdk), "ksn": H(ksn)}, {"ipek": H(ipek)})
    base = pydukpt.derive_key(ipek, ksn)
    var = g.choice(["base", "pin", "mac-request", "mac-response", "data-request", "data-response"])
    f = {"base": lambda k: k, "pin": pydukpt.pin_key, "mac-request": pydukpt.mac_request_key,
         "mac-response": pydukpt.mac_response_key, "data-request": pydukpt.data_request_key,
         "data-response": pydukpt.data_response_key}[var]
    root = g.choice([{"bdk": H(bdk)}, {"ipek": H(ipek)}])
    g.add(f"key-{var}", "dukpt.tdes.key", {**root, "ksn": H(ksn), "variant": var}, {"key": H(f(base))})
    g.add("key-ksn", "dukpt.tdes.key", {**root, "ksn": g.hexs(g.choice([0, 8, 9, 11, 12])), "variant": var},
          {"error": "invalid-ksn"})
    _ = tdes_ecb_dec


# ------------------------------------------------------------- terminals, KBKDF, KCV, block ciphers


def tdes_next(c: int) -> int | None:
    c += 1
    while bin(c).count("1") > 10:
        c += c & -c
    return c if c <= 0x1FFFFF else None


def aes_next(c: int) -> int | None:
    c += 1
    while bin(c).count("1") > 16:
        c += c & -c
    return c if c <= 0xFFFFFFFF else None


def gen_terminal(g: Gen) -> None:
    from dukpt_data_qa import aes_initial_key, aes_working_key  # the checked X9.24-3 transcription

    # TDES
    bdk = g.bytes(16)
    top = int.from_bytes(g.bytes(10), "big") & ~0x1FFFFF
    r = g.rng.random()
    if r < 0.5:
        c0 = 0
    elif r < 0.8:
        while True:
            c0 = g.randint(1, 0x1FFFFF)
            if bin(c0).count("1") <= 10:
                break
    else:
        # near a skip or the end
        c0 = g.choice([0x7FE, 0x7FF - 1, 0xFFC00, 0x1FF7FF & ~1, 0x1FF800, 0x1FF000, 0x1FE000 | 0x3FF])
        if bin(c0).count("1") > 10:
            c0 = 0x1FF800
    ksn0 = (top | c0).to_bytes(10, "big")
    ipek = pydukpt.derive_ipek(bdk, ksn0)
    n = g.randint(1, 12)
    var = g.choice(["base", "pin", "mac-request", "mac-response", "data-request", "data-response"])
    f = {"base": lambda k: k, "pin": pydukpt.pin_key, "mac-request": pydukpt.mac_request_key,
         "mac-response": pydukpt.mac_response_key, "data-request": pydukpt.data_request_key,
         "data-response": pydukpt.data_response_key}[var]
    ctrs: list[int] = []
    c = c0 if c0 else tdes_next(0)
    exhausted = False
    for _ in range(n):
        if c is None:
            exhausted = True
            break
        ctrs.append(c)
        c = tdes_next(c)
    p = {"ipek": H(ipek), "ksn": H(ksn0), "count": n, "variant": var}
    if exhausted:
        g.add("tdes-terminal-end", "dukpt.tdes.terminal", p, {"error": "counter-exhausted"})
    else:
        ks = [(top | x).to_bytes(10, "big") for x in ctrs]
        # pydukpt's own counter walk agrees
        k = ksn0 if c0 else pydukpt.next_ksn(ksn0)
        assert k == ks[0]
        for a, b in zip(ks, ks[1:]):
            assert pydukpt.next_ksn(a) == b
        g.add(f"tdes-terminal-{var}", "dukpt.tdes.terminal", p,
              {"ksn": [H(x) for x in ks], "key": [H(f(pydukpt.derive_key(ipek, x))) for x in ks]})
    # AES
    blen = g.choice([16, 24, 32])
    bdk = g.bytes(blen)
    ikid = g.bytes(8)
    r = g.rng.random()
    if r < 0.5:
        c0 = 0
    elif r < 0.8:
        while True:
            c0 = g.randint(1, 0xFFFFFFFF)
            if bin(c0).count("1") <= 16:
                break
    else:
        c0 = g.choice([0x1FFFE, 0xFFFF0000, 0xFFFE0000, 0xFFFF0000 - 2, 0x7FFF8000])
        if bin(c0).count("1") > 16:
            c0 = 0xFFFF0000
    ksn0 = ikid + c0.to_bytes(4, "big")
    ik = aes_initial_key(bdk, ikid)
    n = g.randint(1, 8)
    kts = {16: ["2TDEA", "3TDEA", "AES128"], 24: ["2TDEA", "3TDEA", "AES128", "AES192"],
           32: ["2TDEA", "3TDEA", "AES128", "AES192", "AES256"]}[blen]
    kt = g.choice(kts)
    usage = g.choice(["kek", "pin", "mac-generate", "mac-verify", "mac-both", "data-encrypt", "data-decrypt",
                      "data-both"])
    ctrs = []
    c = c0 if c0 else aes_next(0)
    exhausted = False
    for _ in range(n):
        if c is None:
            exhausted = True
            break
        ctrs.append(c)
        c = aes_next(c)
    p = {"initial_key": H(ik), "ksn": H(ksn0), "count": n, "key_type": kt, "usage": usage}
    if exhausted:
        g.add("aes-terminal-end", "dukpt.aes.terminal", p, {"error": "counter-exhausted"})
    else:
        ks = [ikid + x.to_bytes(4, "big") for x in ctrs]
        g.add(f"aes-terminal-{kt}-{usage}", "dukpt.aes.terminal", p,
              {"ksn": [H(x) for x in ks], "key": [H(aes_working_key(ik, x, kt, usage)) for x in ks]})


def gen_misc(g: Gen) -> None:
    from cryptography.hazmat.primitives.ciphers.algorithms import AES
    from cryptography.hazmat.primitives.kdf.kbkdf import CounterLocation, KBKDFCMAC, Mode

    key = g.bytes(g.choice([16, 24, 32]))
    fixed = g.bytes(g.randint(1, 60))
    rbits = g.choice([8, 16, 24, 32])
    loc = g.choice(["before", "after"])
    ln = g.choice([1, 15, 16, 17, 32, 33, 64, g.randint(1, 200)])
    k = KBKDFCMAC(AES, Mode.CounterMode, ln, rbits // 8, None,
                  CounterLocation.BeforeFixed if loc == "before" else CounterLocation.AfterFixed,
                  None, None, fixed).derive(key)
    p = {"key": H(key), "fixed_input": H(fixed), "counter_bits": rbits, "counter_location": loc, "len": ln}
    g.add(f"kbkdf-r{rbits}-{loc}", "kdf.kbkdf_cmac", p, {"key": H(k)})
    if g.rng.random() < 0.2:
        g.add("kbkdf-too-many", "kdf.kbkdf_cmac", {**p, "counter_bits": 8, "len": 16 * 256 - g.randint(0, 15)},
              {"error": "invalid-length"})
    # KCV
    alg = g.choice(["tdes", "aes"])
    key = g.bytes(g.choice([8, 16, 24]) if alg == "tdes" else g.choice([16, 24, 32]))
    method = g.choice(["encrypt-zeros", "cmac-zeros"])
    bs = 8 if alg == "tdes" else 16
    if method == "encrypt-zeros":
        full = tdes_ecb_enc(key, bytes(8)) if alg == "tdes" else aes_ecb_enc(key, bytes(16))
    else:
        full = cmac_tdes(key, bytes(8)) if alg == "tdes" else cmac_aes(key, bytes(16))
    ln = g.randint(1, bs)
    g.add(f"kcv-{alg}-{method}", "kcv", {"alg": alg, "key": H(key), "method": method, "len": ln},
          {"kcv": H(full[:ln])})
    # single blocks
    key = g.bytes(g.choice([8, 16, 24]))
    blk = g.bytes(8)
    g.add("tdes-enc", "tdes.encrypt", {"key": H(key), "block": H(blk)}, {"block": H(tdes_ecb_enc(key, blk))})
    g.add("tdes-dec", "tdes.decrypt", {"key": H(key), "block": H(blk)}, {"block": H(tdes_ecb_dec(key, blk))})
    g.add("tdes-key", "tdes.encrypt", {"key": g.hexs(g.choice([0, 7, 9, 15, 17, 32])), "block": H(blk)},
          {"error": "invalid-key"})


def edges(g: Gen) -> None:
    """Fixed edges, once per suite: cmac.verify with a len under 4 (docs/vectors.md:
    invalid-length, even for the right leftmost bytes of the tag)."""
    for c, klen in (("aes", 16), ("tdes", 16)):
        key = g.bytes(klen)
        msg = g.bytes(20)
        tag = cmac_aes(key, msg) if c == "aes" else cmac_tdes(key, msg)
        for ln in (0, 1, 2, 3):
            g.add(f"edge-cmac-verify-len{ln}-{c}", "cmac.verify",
                  {"cipher": c, "key": H(key), "msg": H(msg), "mac": H(tag[:ln]), "len": ln},
                  {"error": "invalid-length"})
        g.add(f"edge-cmac-verify-len4-{c}", "cmac.verify",
              {"cipher": c, "key": H(key), "msg": H(msg), "mac": H(tag[:4]), "len": 4}, {"valid": True})


def main() -> None:
    a = args(__doc__.splitlines()[1], "/tmp/qa/older.json")
    g = Gen(a.seed, f"older-s{a.seed}")
    edges(g)
    for _ in range(a.count):
        gen_pin(g)
        gen_mac(g)
        gen_emv(g)
        gen_dukpt(g)
        gen_terminal(g)
        gen_misc(g)
    src = (
        f"vectors/tools/qa/older_qa.py --seed {a.seed} --count {a.count}: PIN blocks by psec {version('psec')} "
        f"(formats 0, 2, 3, 4; format 1 from docs/vectors.md), ISO 9797-1 MACs by psec, CMAC by pyca/cryptography "
        f"{version('cryptography')}, EMV Book 2 by pyemv {version('pyemv')}, TDES DUKPT by pydukpt "
        f"{version('pydukpt')}; refusals from docs/vectors.md's rules"
    )
    write_suite(a.out, f"qa-older-s{a.seed}", src, g.cases)
    print(f"{a.out}: {len(g.cases)} cases (seed {a.seed})", file=sys.stderr)


if __name__ == "__main__":
    main()
