#!/usr/bin/env python3
"""QA generator for EMV cryptogram versions and BER-TLV (docs/vectors.md).

Ops: `emv.cvn.ac`, `emv.cvn.arpc`, `emv.cvn.command_mac`,
`emv.cvn.encrypt_command_data`, `emv.cvn.pin_change`, `tlv.decode`.
Every value is computed from docs/vectors.md's table over pyca/cryptography and
by pyemv 1.5.0 (`pyemv.cvn`, `pyemv.sm`, `pyemv.tlv`), which must agree.
Where pyemv is laxer than docs/vectors.md (it checks few lengths, reads `00`
as a tag, keeps the last of repeated tags) the kind is docs/vectors.md's.

    python3 vectors/tools/qa/emv_qa.py --seed 1 --count 200 --out /tmp/qa/emv.json
"""

from __future__ import annotations

import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pyemv.cvn  # noqa: E402
import pyemv.tlv  # noqa: E402

from qacommon import (  # noqa: E402
    Gen,
    args,
    decimalize,
    odd_parity,
    pad1,
    pad2,
    retail_mac,
    tdes_cbc_enc,
    tdes_ecb_enc,
    version,
    write_suite,
    xor,
)

# ------------------------------------------------------------- docs/vectors.md's table

CVNS = {
    #  name: (mk option, ac sk, tail, padding, arpc (method, key), script sk, encipherment)
    "visa-10": ("A", "none", "cvr4", 1, (1, "mk"), "visa-sm", "visa"),
    "visa-18": ("B", "atc0", "9F10", 2, (2, "sk"), "visa-sm", "visa"),
    "visa-22": ("B", "atc0", "9F10", 2, (2, "sk"), "common", "visa"),
    "interac-133": ("A", "atcun", "9F10", 2, (1, "sk"), "common", "mc"),
    "mastercard-16": ("A", "atcun", "cvr6", 2, (1, "mk"), "common", "mc"),
    "mastercard-17": ("A", "atcun", "cvr6+ctr", 2, (1, "mk"), "common", "mc"),
    "mastercard-20": ("A", "atc0", "cvr6", 2, (1, "sk"), "common", "mc"),
    "mastercard-21": ("A", "atc0", "cvr6+ctr", 2, (1, "sk"), "common", "mc"),
}
PYEMV = {
    "visa-10": pyemv.cvn.VisaCVN10,
    "visa-18": pyemv.cvn.VisaCVN18,
    "visa-22": pyemv.cvn.VisaCVN22,
    "interac-133": pyemv.cvn.InteracCVN133,
    "mastercard-16": pyemv.cvn.MasterCardCVN16,
    "mastercard-17": pyemv.cvn.MasterCardCVN17,
    "mastercard-20": pyemv.cvn.MasterCardCVN20,
    "mastercard-21": pyemv.cvn.MasterCardCVN21,
}
LENS = {"9F02": 6, "9F03": 6, "9F1A": 2, "5F2A": 2, "82": 2, "9F36": 2, "95": 5, "9A": 3, "9C": 1, "9F37": 4,
        "9F26": 8}
AC_TAGS = ["9F02", "9F03", "9F1A", "95", "5F2A", "9A", "9C", "9F37", "82", "9F36"]


def icc_mk(imk: bytes, pan: str, psn: str, option: str) -> bytes:
    if option == "B" and len(pan) > 16:
        digits = pan + psn
        if len(digits) % 2:
            digits = "0" + digits
        h = hashlib.sha1(bytes.fromhex(digits)).hexdigest()
        y = decimalize(h, 16)
    else:
        y = (pan + psn)[-16:].rjust(16, "0")
    yb = bytes.fromhex(y)
    return odd_parity(tdes_ecb_enc(imk, yb) + tdes_ecb_enc(imk, xor(yb, b"\xff" * 8)))


def common_sk(mk: bytes, r: bytes) -> bytes:
    a = bytearray(r)
    a[2] = 0xF0
    b = bytearray(r)
    b[2] = 0x0F
    return odd_parity(tdes_ecb_enc(mk, bytes(a)) + tdes_ecb_enc(mk, bytes(b)))


def visa_sm_sk(mk: bytes, atc: bytes) -> bytes:
    a = xor(mk[:8], bytes(6) + atc)
    b = xor(mk[8:], bytes(6) + xor(atc, b"\xff\xff"))
    return odd_parity(a + b)


def ac_sk(cvn: str, mk: bytes, tags: dict) -> bytes:
    how = CVNS[cvn][1]
    atc = tags["9F36"]
    if how == "none":
        return mk
    if how == "atc0":
        return common_sk(mk, atc + bytes(6))
    return common_sk(mk, atc + bytes(2) + tags["9F37"])


def script_sk(cvn: str, mk: bytes, tags: dict) -> bytes:
    if CVNS[cvn][5] == "visa-sm":
        return visa_sm_sk(mk, tags["9F36"])
    return common_sk(mk, tags["9F26"])


def cvn_ac(cvn, imk, pan, psn, tags, cvr, counters) -> bytes:
    opt, _, tail, padding, _, _, _ = CVNS[cvn]
    mk = icc_mk(imk, pan, psn, opt)
    data = b"".join(tags[t] for t in AC_TAGS)
    if tail == "9F10":
        data += tags["9F10"]
    elif tail.startswith("cvr"):
        data += cvr
        if tail.endswith("+ctr"):
            data += counters
    sk = ac_sk(cvn, mk, tags)
    return retail_mac(sk, pad1(data) if padding == 1 else pad2(data))


def cvn_arpc(cvn, imk, pan, psn, tags, arpc_rc, csu, prop) -> bytes:
    opt, _, _, _, (method, key), _, _ = CVNS[cvn]
    mk = icc_mk(imk, pan, psn, opt)
    k = mk if key == "mk" else ac_sk(cvn, mk, tags)
    arqc = tags["9F26"]
    if method == 1:
        return tdes_ecb_enc(k, xor(arqc, arpc_rc + bytes(6)))
    return retail_mac(k, pad2(arqc + csu + prop))[:4]


def cvn_command_mac(cvn, imk_smi, pan, psn, tags, header, data) -> bytes:
    mk = icc_mk(imk_smi, pan, psn, CVNS[cvn][0])
    sk = script_sk(cvn, mk, tags)
    if cvn == "interac-133":
        m = header + data
    else:
        m = header + tags["9F36"] + tags["9F26"] + data
    return retail_mac(sk, pad2(m))


def cvn_encrypt(cvn, imk_smc, pan, psn, tags, data) -> bytes:
    mk = icc_mk(imk_smc, pan, psn, CVNS[cvn][0])
    sk = script_sk(cvn, mk, tags)
    if CVNS[cvn][6] == "visa":
        return tdes_ecb_enc(sk, pad2(bytes([len(data)]) + data))
    # "padded with method 2 only when it is not already whole blocks": empty data is
    # zero whole blocks, so it is enciphered as it is (pyemv agrees)
    d = data if len(data) % 8 == 0 else pad2(data)
    return tdes_cbc_enc(sk, bytes(8), d) if d else b""


def cvn_pin_change(cvn, imk_smi, imk_smc, imk_ac, pan, psn, tags, pin, current) -> bytes:
    visa = CVNS[cvn][6] == "visa"
    vis = cvn in ("visa-10", "visa-18") or (cvn == "visa-22" and current is not None)
    if vis:
        mk_ac = icc_mk(imk_ac, pan, psn, CVNS[cvn][0])
        a = bytes(4) + mk_ac[4:8]
        b = bytes([len(pin)]) + bytes.fromhex((pin + "F" * (14 - len(pin))))
        blk = xor(a, b)
        if current is not None:
            blk = xor(blk, bytes.fromhex(current.ljust(16, "0")))
    else:
        blk = bytes.fromhex(("2" + f"{len(pin):X}" + pin).ljust(16, "F"))
    enc = cvn_encrypt(cvn, imk_smc, pan, psn, tags, blk)
    header = bytes([0x84, 0x24, 0x00, 0x01 if current is not None else 0x02, 0x18 if visa else 0x10])
    mac = cvn_command_mac(cvn, imk_smi, pan, psn, tags, header, enc)
    return header + enc + mac


# ------------------------------------------------------------- pyemv cross-check


def pyemv_obj(cvn, imk_ac, imk_smi, imk_smc, pan, psn):
    return PYEMV[cvn](imk_ac, imk_smi, imk_smc, pan, psn)


def check_pyemv(cvn, imks, pan, psn, tags, cvr, counters, arpc_rc, csu, prop, header, data, pin, current,
                ours: dict) -> None:
    o = pyemv_obj(cvn, *imks, pan, psn)
    t = tags
    args10 = [t[x] for x in AC_TAGS]
    if CVNS[cvn][2] == "9F10":
        ac = o.generate_ac(*args10, t["9F10"])
    elif CVNS[cvn][2].endswith("+ctr"):
        ac = o.generate_ac(*args10, cvr, counters)
    else:
        ac = o.generate_ac(*args10, cvr)
    assert ac == ours["ac"], cvn
    if cvn in ("visa-18", "visa-22"):
        arpc = o.generate_arpc(t["9F26"], t["9F36"], csu, prop)
    elif cvn == "interac-133":
        arpc = o.generate_arpc(t["9F26"], t["9F37"], t["9F36"], arpc_rc)
    elif cvn in ("mastercard-20", "mastercard-21"):
        arpc = o.generate_arpc(t["9F26"], t["9F36"], arpc_rc)
    else:
        arpc = o.generate_arpc(t["9F26"], arpc_rc)
    assert arpc == ours["arpc"], cvn
    if cvn == "interac-133":
        mac = o.generate_command_mac(header, t["9F26"], data)
    else:
        mac = o.generate_command_mac(header, t["9F26"], t["9F36"], data)
    assert mac == ours["mac"], cvn
    key_tag = t["9F36"] if CVNS[cvn][5] == "visa-sm" else t["9F26"]
    enc = o.encrypt_command_data(data, key_tag)
    assert enc == ours["enc"], (cvn, len(data))
    if cvn == "interac-133":
        cmd = o.generate_pin_change_command(pin, t["9F26"])
    elif cvn.startswith("visa"):
        cmd = o.generate_pin_change_command(pin, t["9F26"], t["9F36"], current)
    else:
        cmd = o.generate_pin_change_command(pin, t["9F26"], t["9F36"])
    assert cmd == ours["cmd"], cvn


# ------------------------------------------------------------- EMV cases


def rnd_tags(g: Gen, cvn: str) -> dict:
    t = {k: g.bytes(n) for k, n in LENS.items()}
    t["9F10"] = g.bytes(g.choice([1, 7, 18, 32, g.randint(1, 32)]))
    return t


def tags_json(g: Gen, t: dict, extra: bool = True) -> dict:
    out = {k: v.hex().upper() for k, v in t.items()}
    if extra and g.rng.random() < 0.5:
        # tags no op uses, some of odd lengths: ignored
        for k in g.rng.sample(["5A", "5F34", "9F27", "84", "9F33", "9F35", "9F09", "9F1E", "57", "DF01"], 3):
            out[k] = g.hexs(g.randint(0, 40))
    return out


def gen_emv(g: Gen) -> None:
    cvn = g.choice(list(CVNS))
    imk_ac, imk_smi, imk_smc = g.bytes(16), g.bytes(16), g.bytes(16)
    if CVNS[cvn][0] == "B" and g.rng.random() < 0.6:
        pan = g.pan(g.choice([17, 18, 19]))
    else:
        pan = g.pan()
    psn = g.digits(2)
    t = rnd_tags(g, cvn)
    cvr = g.bytes(4 if cvn == "visa-10" else 6)
    counters = g.bytes(g.choice([8, 16]))
    arpc_rc = g.bytes(2)
    csu = g.bytes(4)
    prop = g.bytes(g.randint(0, 8))
    header = g.bytes(5)
    data = g.bytes(g.choice([0, 1, 7, 8, 9, 16, 23, 24, 100, 254, 255, g.randint(0, 255)]))
    pin = g.digits(g.randint(4, 12))
    current = g.digits(g.randint(4, 12)) if cvn.startswith("visa") and g.rng.random() < 0.5 else None

    ours = {
        "ac": cvn_ac(cvn, imk_ac, pan, psn, t, cvr, counters),
        "arpc": cvn_arpc(cvn, imk_ac, pan, psn, t, arpc_rc, csu, prop),
        "mac": cvn_command_mac(cvn, imk_smi, pan, psn, t, header, data),
        "enc": cvn_encrypt(cvn, imk_smc, pan, psn, t, data),
        "cmd": cvn_pin_change(cvn, imk_smi, imk_smc, imk_ac, pan, psn, t, pin, current),
    }
    check_pyemv(cvn, (imk_ac, imk_smi, imk_smc), pan, psn, t, cvr, counters, arpc_rc, csu, prop, header, data,
                pin, current, ours)
    H = lambda b: b.hex().upper()  # noqa: E731
    base = {"cvn": cvn, "pan": pan, "psn": psn}

    # ac
    acp = {**base, "imk_ac": H(imk_ac), "tags": tags_json(g, t)}
    if CVNS[cvn][2].startswith("cvr"):
        acp["cvr"] = H(cvr)
        if CVNS[cvn][2].endswith("+ctr"):
            acp["counters"] = H(counters)
    g.add(f"ac-{cvn}", "emv.cvn.ac", acp, {"ac": H(ours["ac"])})
    # arpc
    arp = {**base, "imk_ac": H(imk_ac), "tags": tags_json(g, t)}
    if cvn in ("visa-18", "visa-22"):
        arp["csu"] = H(csu)
        if prop or g.rng.random() < 0.5:
            arp["prop"] = H(prop)
    else:
        arp["arpc_rc"] = H(arpc_rc)
    g.add(f"arpc-{cvn}", "emv.cvn.arpc", arp, {"arpc": H(ours["arpc"])})
    # command mac
    cmp_ = {**base, "imk_smi": H(imk_smi), "tags": tags_json(g, t), "command_header": H(header)}
    if data or g.rng.random() < 0.5:
        cmp_["command_data"] = H(data)
    g.add(f"cmac-{cvn}", "emv.cvn.command_mac", cmp_, {"mac": H(ours["mac"])})
    # encrypt
    enp = {**base, "imk_smc": H(imk_smc), "tags": tags_json(g, t), "command_data": H(data)}
    g.add(f"enc-{cvn}", "emv.cvn.encrypt_command_data", enp, {"data": H(ours["enc"])})
    # pin change
    pcp = {**base, "imk_smi": H(imk_smi), "imk_smc": H(imk_smc), "tags": tags_json(g, t), "pin": pin}
    if cvn in ("visa-10", "visa-18") or current is not None or g.rng.random() < 0.5:
        pcp["imk_ac"] = H(imk_ac)
    if current is not None:
        pcp["current_pin"] = current
    g.add(f"pin-{cvn}{'-cur' if current else ''}", "emv.cvn.pin_change", pcp, {"command": H(ours["cmd"])})

    # only the tags each op reads: the minimal set must be enough
    need = {
        "ac": AC_TAGS + (["9F10"] if CVNS[cvn][2] == "9F10" else []),
        "arpc": ["9F26"] + (["9F36"] if (CVNS[cvn][4][1] == "sk" and CVNS[cvn][1] != "none") else [])
        + (["9F37"] if cvn == "interac-133" else []),
        "cmac": ["9F26"] if cvn == "interac-133" else ["9F26", "9F36"],
        "enc": ["9F36"] if CVNS[cvn][5] == "visa-sm" else ["9F26"],
        "pin": ["9F26"] if cvn == "interac-133" else ["9F26", "9F36"],
    }
    ops = {"ac": ("emv.cvn.ac", acp, {"ac": H(ours["ac"])}),
           "arpc": ("emv.cvn.arpc", arp, {"arpc": H(ours["arpc"])}),
           "cmac": ("emv.cvn.command_mac", cmp_, {"mac": H(ours["mac"])}),
           "enc": ("emv.cvn.encrypt_command_data", enp, {"data": H(ours["enc"])}),
           "pin": ("emv.cvn.pin_change", pcp, {"command": H(ours["cmd"])})}
    for name, (op, p, e) in ops.items():
        minimal = {k: t[k].hex().upper() for k in need[name]}
        # and every tag the op does not read with a wrong length: still ignored
        for k in LENS:
            if k not in need[name] and g.rng.random() < 0.5:
                minimal[k] = g.hexs(LENS[k] + g.choice([-1, 1, 3]))
        if "9F10" not in need[name] and g.rng.random() < 0.5:
            minimal["9F10"] = g.hexs(g.choice([0, 33, 40]))
        g.add(f"min-{name}-{cvn}", op, {**p, "tags": minimal}, e)
        # a tag it reads, missing
        miss = g.choice(need[name])
        g.add(f"missing-{name}-{miss}", op, {**p, "tags": {k: v for k, v in minimal.items() if k != miss}},
              {"error": "invalid-tlv"})
        # a tag it reads, of a wrong length
        bad = g.choice(need[name])
        if bad == "9F10":
            wl = g.choice([0, 33, 34, 64])
        else:
            wl = g.choice([n for n in (0, LENS[bad] - 1, LENS[bad] + 1, LENS[bad] * 2) if n >= 0 and n != LENS[bad]])
        g.add(f"taglen-{name}-{bad}", op, {**p, "tags": {**minimal, bad: g.hexs(wl)}}, {"error": "invalid-length"})
        # keys, PAN, PSN, CVN
        for kn in [k for k in ("imk_ac", "imk_smi", "imk_smc") if k in p]:
            g.add(f"key-{name}-{kn}", op, {**p, kn: g.hexs(g.choice([0, 8, 15, 17, 24, 32]))}, {"error": "invalid-key"})
        g.add(f"pan-{name}", op, {**p, "pan": g.choice([g.digits(11), g.digits(20), g.digits(15) + "D"])},
              {"error": "invalid-pan"})
        g.add(f"psn-{name}", op, {**p, "psn": g.choice(["", "0", "000", "A1", "1 "])}, {"error": "invalid-pan"})
        g.add(f"cvn-{name}", op, {**p, "cvn": g.choice(["visa-11", "mastercard-22", "interac-134", "VISA10",
                                                         "visa", "", "amex-1", "visa-17"])},
              {"error": "unsupported"})

    # lengths of the other inputs
    if "cvr" in acp:
        g.add("cvr-len", "emv.cvn.ac", {**acp, "cvr": g.hexs(g.choice([0, 3, 5, 7, 8]))}, {"error": "invalid-length"})
    if "counters" in acp:
        g.add("counters-len", "emv.cvn.ac", {**acp, "counters": g.hexs(g.choice([0, 4, 7, 9, 12, 15, 17, 32]))},
              {"error": "invalid-length"})
    if "arpc_rc" in arp:
        g.add("arc-len", "emv.cvn.arpc", {**arp, "arpc_rc": g.hexs(g.choice([0, 1, 3, 4]))},
              {"error": "invalid-length"})
    else:
        g.add("csu-len", "emv.cvn.arpc", {**arp, "csu": g.hexs(g.choice([0, 2, 3, 5, 8]))},
              {"error": "invalid-length"})
        g.add("prop-len", "emv.cvn.arpc", {**arp, "prop": g.hexs(g.choice([9, 10, 16]))},
              {"error": "invalid-length"})
    g.add("hdr-len", "emv.cvn.command_mac", {**cmp_, "command_header": g.hexs(g.choice([0, 4, 6, 8]))},
          {"error": "invalid-length"})
    g.add("data-len", "emv.cvn.encrypt_command_data", {**enp, "command_data": g.hexs(g.choice([256, 257, 300]))},
          {"error": "invalid-length"})
    # PINs
    g.add("pin-bad", "emv.cvn.pin_change",
          {**pcp, "pin": g.choice([g.digits(3), g.digits(13), g.digits(4) + "A", ""])}, {"error": "invalid-pin"})
    if cvn.startswith("visa"):
        g.add("curpin-bad", "emv.cvn.pin_change",
              {**pcp, "imk_ac": H(imk_ac), "current_pin": g.choice([g.digits(3), g.digits(13), "12a4"])},
              {"error": "invalid-pin"})
    else:
        g.add("curpin-unsupported", "emv.cvn.pin_change", {**pcp, "current_pin": g.digits(g.randint(4, 12))},
              {"error": "unsupported"})


# ------------------------------------------------------------- TLV


def enc_len(g: Gen, n: int, long_ok: bool = True) -> bytes:
    forms = []
    if n < 0x80:
        forms.append(bytes([n]))
    for k in (1, 2, 3, 4):
        if n < 256**k:
            forms.append(bytes([0x80 | k]) + n.to_bytes(k, "big"))
    if n >= 0x80 or (long_ok and g.rng.random() < 0.3):
        return g.choice([f for f in forms if f[0] >= 0x80])
    return forms[0]


def rnd_tag(g: Gen, constructed: bool) -> bytes:
    while True:
        if g.rng.random() < 0.5:
            first = g.randint(0, 255) & ~0x1F | g.randint(0, 0x1E)
        else:
            first = g.randint(0, 255) | 0x1F
        first = (first | 0x20) if constructed else (first & ~0x20)
        if first == 0:
            continue
        tag = bytes([first])
        if first & 0x1F == 0x1F:
            n = g.choice([1, 1, 1, 2, 3])
            for i in range(n):
                last = i == n - 1
                b = g.randint(0, 0x7F) if last else g.randint(0x80, 0xFF)
                tag += bytes([b])
        return tag


class Tlv:
    def __init__(self, g: Gen):
        self.g = g
        self.prims: dict[str, bytes] = {}
        self.padded = False
        self.long = False

    def pad(self) -> bytes:
        if self.g.rng.random() < 0.15:
            self.padded = True
            return bytes(self.g.randint(1, 3))
        return b""

    def objects(self, depth: int, budget: int) -> bytes:
        g = self.g
        out = self.pad()
        for _ in range(g.randint(0, budget)):
            if depth < 6 and g.rng.random() < 0.25:
                tag = rnd_tag(g, True)
                inner = self.objects(depth + 1, max(0, budget - 1))
                ln = enc_len(g, len(inner))
                out += tag + ln + inner
            else:
                tag = rnd_tag(g, False)
                key = tag.hex().upper()
                if key in self.prims:
                    continue
                n = g.choice([0, 1, 2, 4, 8, 16, 127, 128, 255, 256, g.randint(0, 40)]) if g.rng.random() < 0.95 \
                    else g.randint(257, 70000)
                v = g.bytes(n)
                self.prims[key] = v
                ln = enc_len(g, n)
                if ln[0] >= 0x80:
                    self.long = True
                out += tag + ln + v
            out += self.pad()
        return out


def gen_tlv(g: Gen) -> None:
    t = Tlv(g)
    data = t.objects(0, g.choice([0, 1, 3, 6, 12]))
    want = {k: v.hex().upper() for k, v in t.prims.items()}
    if not t.padded:
        try:
            got = pyemv.tlv.decode(data, flatten=True, convert=lambda _t, v: bytes(v))
            assert {k: bytes(v).hex().upper() for k, v in got.items()} == want
        except pyemv.tlv.DecodeError:
            raise
    g.add("tlv", "tlv.decode", {"data": g.case_mix(data.hex().upper())}, {"tags": want})
    # malformed forms
    if data:
        cut = g.randint(1, min(len(data), 8))
        trunc = data[:-cut]
        # truncation may leave a well-formed prefix (cut in padding); only keep it when it breaks
        if not well_formed(trunc) and trunc.rstrip(b"\x00") == trunc:
            g.add("tlv-truncated", "tlv.decode", {"data": trunc.hex().upper()}, {"error": "invalid-tlv"})
    # a length byte of 80 or 85-FF
    tag = rnd_tag(g, g.rng.random() < 0.3)
    lb = g.choice([0x80] + list(range(0x85, 0x100)))
    g.add("tlv-lenbyte", "tlv.decode", {"data": (tag + bytes([lb]) + g.bytes(g.randint(0, 10))).hex().upper()},
          {"error": "invalid-tlv"})
    # a value past the end
    tag = rnd_tag(g, False)
    n = g.randint(1, 300)
    g.add("tlv-value-past", "tlv.decode",
          {"data": (tag + enc_len(g, n) + g.bytes(n - g.randint(1, n))).hex().upper()}, {"error": "invalid-tlv"})
    # a tag past the end (a multi-byte tag cut)
    tag = bytes([g.randint(0, 255) | 0x1F]) + bytes([g.randint(0x80, 0xFF)]) * g.randint(0, 2)
    g.add("tlv-tag-past", "tlv.decode", {"data": tag.hex().upper()}, {"error": "invalid-tlv"})
    # a tag with no length
    tag = rnd_tag(g, False)
    g.add("tlv-no-length", "tlv.decode", {"data": tag.hex().upper()}, {"error": "invalid-tlv"})
    # long form length cut
    k = g.randint(1, 4)
    g.add("tlv-len-cut", "tlv.decode",
          {"data": (rnd_tag(g, False) + bytes([0x80 | k]) + g.bytes(g.randint(0, k - 1))).hex().upper()},
          {"error": "invalid-tlv"})
    # an inner object past its template (the template is shorter than its content)
    inner_tag = rnd_tag(g, False)
    v = g.bytes(g.randint(1, 20))
    inner = inner_tag + enc_len(g, len(v)) + v
    short = g.randint(1, len(v))
    outer = rnd_tag(g, True)
    after = rnd_tag(g, False) + b"\x01\x00" if g.rng.random() < 0.5 else b""
    blob = outer + enc_len(g, len(inner) - short) + inner[: len(inner)] + after
    # the template's end cuts the inner object; the bytes after are read as the next objects
    g.add("tlv-inner-past", "tlv.decode", {"data": blob.hex().upper()}, {"error": "invalid-tlv"})
    # the same primitive tag twice (at any depth)
    tag = rnd_tag(g, False)
    a, b = g.bytes(g.randint(0, 8)), g.bytes(g.randint(0, 8))
    first = tag + enc_len(g, len(a)) + a
    second = tag + enc_len(g, len(b)) + b
    if g.rng.random() < 0.5:
        outer = rnd_tag(g, True)
        second = outer + enc_len(g, len(second)) + second
    g.add("tlv-dup", "tlv.decode", {"data": (first + second).hex().upper()}, {"error": "invalid-tlv"})
    # nesting: up to 32 templates deep is decoded, deeper is invalid-tlv (docs/vectors.md)
    if g.rng.random() < 0.1:
        depth = g.choice([g.randint(2, 32), 32, 33, g.randint(33, 60)])
        tag = rnd_tag(g, False)
        v = g.bytes(g.randint(0, 4))
        d = tag + enc_len(g, len(v)) + v
        for _ in range(depth):
            d = rnd_tag(g, True) + enc_len(g, len(d)) + d
        g.add(f"tlv-depth-{depth}", "tlv.decode", {"data": d.hex().upper()},
              {"tags": {tag.hex().upper(): v.hex().upper()}} if depth <= 32 else {"error": "invalid-tlv"})
    # an empty input and pure padding
    if g.rng.random() < 0.1:
        g.add("tlv-empty", "tlv.decode", {"data": ""}, {"tags": {}})
        g.add("tlv-zeros", "tlv.decode", {"data": "00" * g.randint(1, 10)}, {"tags": {}})


def well_formed(data: bytes) -> bool:
    """docs/vectors.md's decoder, to tell whether a cut still decodes."""
    seen: set = set()

    def walk(d: bytes) -> bool:
        i = 0
        while i < len(d):
            if d[i] == 0:
                i += 1
                continue
            j = i + 1
            if d[i] & 0x1F == 0x1F:
                while True:
                    if j >= len(d):
                        return False
                    j += 1
                    if not d[j - 1] & 0x80:
                        break
            tag = d[i:j]
            if j >= len(d):
                return False
            lb = d[j]
            j += 1
            if lb < 0x80:
                n = lb
            elif 0x81 <= lb <= 0x84:
                k = lb & 0x7F
                if j + k > len(d):
                    return False
                n = int.from_bytes(d[j : j + k], "big")
                j += k
            else:
                return False
            if j + n > len(d):
                return False
            v = d[j : j + n]
            if tag[0] & 0x20:
                if not walk(v):
                    return False
            else:
                if tag in seen:
                    return False
                seen.add(tag)
            i = j + n
        return True

    return walk(data)


def edges(g: Gen) -> None:
    """Fixed edges, once per suite: nesting at the bound and past it, every long form,
    padding inside templates."""
    for depth in (1, 31, 32, 33, 64):
        d = bytes.fromhex("9F0201AB")
        for _ in range(depth):
            d = b"\xE1" + enc_len(g, len(d), False) + d
        g.add(f"edge-tlv-depth-{depth}", "tlv.decode", {"data": d.hex().upper()},
              {"tags": {"9F02": "AB"}} if depth <= 32 else {"error": "invalid-tlv"})
    for k in (1, 2, 3, 4):
        v = g.bytes(g.choice([0, 5, 200]))
        d = b"\x00" + b"\x70" + bytes([0x80 | k]) + (2 + 1 + k + len(v) + 1).to_bytes(k, "big") + b"\x00" + \
            b"\x5A" + bytes([0x80 | k]) + len(v).to_bytes(k, "big") + v + b"\x00\x00"
        g.add(f"edge-tlv-long-{k}", "tlv.decode", {"data": d.hex().upper()}, {"tags": {"5A": v.hex().upper()}})
    for lb in (0x80, 0x85, 0xFF):
        g.add(f"edge-tlv-lenbyte-{lb:02X}", "tlv.decode", {"data": f"9F02{lb:02X}00"}, {"error": "invalid-tlv"})


def main() -> None:
    a = args(__doc__.splitlines()[1], "/tmp/qa/emv.json")
    g = Gen(a.seed, f"emv-s{a.seed}")
    edges(g)
    for _ in range(a.count):
        gen_emv(g)
        gen_tlv(g)
    src = (
        f"vectors/tools/qa/emv_qa.py --seed {a.seed} --count {a.count}: values from docs/vectors.md's CVN table "
        f"over pyca/cryptography {version('cryptography')}, each confirmed by pyemv {version('pyemv')} "
        f"(pyemv.cvn for every op and CVN; pyemv.tlv.decode for every TLV without padding); refusals from "
        f"docs/vectors.md's rules"
    )
    write_suite(a.out, f"qa-emv-s{a.seed}", src, g.cases)
    print(f"{a.out}: {len(g.cases)} cases (seed {a.seed})", file=sys.stderr)


if __name__ == "__main__":
    main()
