"""TDES known answers: the NIST CAVP TDES ECB KATs and single blocks of the
ECB multi-block message tests (two- and three-key).

Writes vectors/cavp-tdes-ecb-kat.json.

Source: NIST CAVP KAT_TDES and tdesmmt files as shipped by PyPI
`cryptography-vectors` (cryptography_vectors/ciphers/3DES/ECB/):
TECBinvperm, TECBpermop, TECBsubtab, TECBvarkey, TECBvartext (every record,
[ENCRYPT] and [DECRYPT]) and TECBMMT2, TECBMMT3 (every record, each 8-byte
block of its multi-block message a case of its own: ECB blocks are
independent).

Keys: the KAT files give one `KEYs` (the same 8 bytes for all three DES
keys), which is single DES: an 8-byte key. The MMT files give KEY1, KEY2,
KEY3: KEY1 = KEY3 gives the 16-byte two-key form KEY1||KEY2, three
distinct keys the 24-byte KEY1||KEY2||KEY3 (and three equal keys, if any,
the 8-byte single-DES form).

Every expected block is recomputed with pyca/cryptography before writing.

Run: python vectors/tools/tdes_ecb.py
"""

from __future__ import annotations

import sys

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, modes

sys.dont_write_bytecode = True  # no __pycache__ in vectors/tools

from common import case, dist_version, hx, package_file, parse_rsp, unhex, write_suite


def pyca_tdes(key: bytes, block: bytes, encrypt: bool) -> bytes:
    # The 24-byte form of single DES (K1K1K1) and two-key TDES (K1K2K1).
    full = {8: key * 3, 16: key + key[:8], 24: key}[len(key)]
    c = Cipher(TripleDES(full), modes.ECB())
    ctx = c.encryptor() if encrypt else c.decryptor()
    return ctx.update(block) + ctx.finalize()


def build_key(rec: dict, where: str) -> bytes:
    if "KEYs" in rec:
        k = unhex(rec["KEYs"])
        if len(k) != 8:
            sys.exit(f"{where}: KEYs is not 8 bytes")
        return k
    k1, k2, k3 = (unhex(rec[f"KEY{i}"]) for i in (1, 2, 3))
    if not all(len(k) == 8 for k in (k1, k2, k3)):
        sys.exit(f"{where}: KEY1/2/3 not 8 bytes each")
    if k1 == k2 == k3:
        return k1
    if k1 == k3:
        return k1 + k2
    return k1 + k2 + k3


KAT_FILES = ["TECBinvperm", "TECBpermop", "TECBsubtab", "TECBvarkey", "TECBvartext"]
MMT_FILES = ["TECBMMT2", "TECBMMT3"]

KEY_FORM = {8: "1key", 16: "2key", 24: "3key"}


def main() -> None:
    cases = []
    notes = []
    for name in KAT_FILES + MMT_FILES:
        rel = f"ciphers/3DES/ECB/{name}.rsp"
        path = package_file("cryptography_vectors", rel)
        n_rec = n_case = 0
        forms = set()
        for section, rec in parse_rsp(path):
            if "ENCRYPT" in section:
                encrypt = True
            elif "DECRYPT" in section:
                encrypt = False
            else:
                sys.exit(f"{rel}: record outside [ENCRYPT]/[DECRYPT]")
            d = "encrypt" if encrypt else "decrypt"
            where = f"{rel} {d} COUNT {rec['COUNT']}"
            key = build_key(rec, where)
            forms.add(KEY_FORM[len(key)])
            pt, ct = unhex(rec["PLAINTEXT"]), unhex(rec["CIPHERTEXT"])
            if len(pt) != len(ct) or len(pt) % 8 or not pt:
                sys.exit(f"{where}: bad lengths")
            if name in KAT_FILES and len(pt) != 8:
                sys.exit(f"{where}: KAT record is not one block")
            src_all, dst_all = (pt, ct) if encrypt else (ct, pt)
            n_blocks = len(pt) // 8
            n_rec += 1
            for i in range(n_blocks):
                src, dst = src_all[8 * i : 8 * i + 8], dst_all[8 * i : 8 * i + 8]
                got = pyca_tdes(key, src, encrypt)
                if got != dst:
                    sys.exit(f"{where} block {i}: pyca gives {hx(got)}, source {hx(dst)}")
                cid = f"{name.lower()}-{d}-{int(rec['COUNT'])}"
                if name in MMT_FILES:
                    cid += f"-block{i + 1}"
                cases.append(
                    case(cid, f"tdes.{d}", {"key": hx(key), "block": hx(src)}, {"block": hx(dst)})
                )
                n_case += 1
        if name in MMT_FILES:
            notes.append(f"{name}.rsp ({n_rec} records, {n_case} blocks, {'/'.join(sorted(forms))})")
        else:
            notes.append(f"{name}.rsp ({n_case}, {'/'.join(sorted(forms))})")
    write_suite(
        "cavp-tdes-ecb-kat.json",
        "cavp-tdes-ecb-kat",
        "NIST CAVP TDES (CAVS 11.1) ECB known answers from "
        "cryptography_vectors/ciphers/3DES/ECB/ of PyPI cryptography-vectors "
        f"{dist_version('cryptography-vectors')}: " + ", ".join(notes) + ". "
        "Every [ENCRYPT] and [DECRYPT] record is used; the MMT records' "
        "multi-block ECB messages are split into one case per 8-byte block. "
        "Keys: KEYs (KAT files) is an 8-byte single-DES key; KEY1=KEY3 "
        "(TECBMMT2) gives the 16-byte KEY1||KEY2, three distinct keys "
        "(TECBMMT3) the 24-byte KEY1||KEY2||KEY3. Every block re-checked with "
        f"pyca/cryptography {dist_version('cryptography')}. "
        "Produced by vectors/tools/tdes_ecb.py.",
        cases,
    )


if __name__ == "__main__":
    main()
