"""AES known answers: NIST SP 800-38A F.1.1-F.1.6 and the CAVP AES ECB KATs.

Writes
  vectors/sp800-38a-aes-ecb.json   (F.1.1-F.1.6, one case per block)
  vectors/cavp-aes-ecb-kat.json    (ECBGFSbox, ECBKeySbox, ECBVarKey,
                                    ECBVarTxt; 128/192/256; both directions)

Sources:
  - SP 800-38A Appendix F.1 values as carried by PyPI `pycryptodome`
    (Crypto/SelfTest/Cipher/test_AES.py, the `test_data` entries labelled
    "NIST 800-38A"); the values are read from that file with `ast`, nothing
    of it is executed.
  - NIST CAVP KAT_AES files as shipped by PyPI `cryptography-vectors`
    (cryptography_vectors/ciphers/AES/ECB/*.rsp).
Every expected block is recomputed with pyca/cryptography before writing.

Run: python vectors/tools/aes_ecb.py   (with both packages installed)
"""

from __future__ import annotations

import ast
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

sys.dont_write_bytecode = True  # no __pycache__ in vectors/tools

from common import case, dist_version, hx, package_file, parse_rsp, unhex, write_suite


def pyca_aes(key: bytes, block: bytes, encrypt: bool) -> bytes:
    c = Cipher(algorithms.AES(key), modes.ECB())
    ctx = c.encryptor() if encrypt else c.decryptor()
    return ctx.update(block) + ctx.finalize()


def checked(key: bytes, block: bytes, expect: bytes, encrypt: bool, what: str) -> None:
    got = pyca_aes(key, block, encrypt)
    if got != expect:
        sys.exit(f"{what}: pyca/cryptography gives {hx(got)}, source says {hx(expect)}")


def _eval_str(node: ast.AST) -> str:
    """A string literal, or a `+` of string literals."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _eval_str(node.left) + _eval_str(node.right)
    raise ValueError("not a string literal")


def sp800_38a() -> None:
    rel = "SelfTest/Cipher/test_AES.py"
    path = package_file("Crypto", rel)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    entries = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "test_data" for t in node.targets)
            and isinstance(node.value, ast.List)
        ):
            for elt in node.value.elts:
                if not isinstance(elt, ast.Tuple) or len(elt.elts) < 4:
                    continue
                try:
                    pt, ct, key, label = (_eval_str(e) for e in elt.elts[:4])
                except ValueError:
                    continue
                if label.startswith("NIST 800-38A"):
                    entries.append((pt, ct, key, label))
    # F.1.1/F.1.2 are ECB-AES128 encrypt/decrypt, F.1.3/F.1.4 AES-192,
    # F.1.5/F.1.6 AES-256; the four blocks are the same in each direction.
    sections = {16: ("F.1.1", "F.1.2"), 24: ("F.1.3", "F.1.4"), 32: ("F.1.5", "F.1.6")}
    if sorted(len(unhex(k)) for _, _, k, _ in entries) != [16, 24, 32]:
        sys.exit(f"{rel}: expected one SP 800-38A ECB entry per key size, found {len(entries)}")
    cases = []
    for pt, ct, key, _ in sorted(entries, key=lambda e: len(e[2])):
        k, p, c = unhex(key), unhex(pt), unhex(ct)
        if len(p) != 64 or len(c) != 64:
            sys.exit(f"{rel}: SP 800-38A entry is not four blocks")
        bits = len(k) * 8
        enc, dec = sections[len(k)]
        for i in range(4):
            pb, cb = p[16 * i : 16 * i + 16], c[16 * i : 16 * i + 16]
            checked(k, pb, cb, True, f"{enc} block {i + 1}")
            cases.append(
                case(
                    f"{enc}-ecb-aes{bits}-encrypt-block{i + 1}",
                    "aes.encrypt",
                    {"key": hx(k), "block": hx(pb)},
                    {"block": hx(cb)},
                )
            )
        for i in range(4):
            pb, cb = p[16 * i : 16 * i + 16], c[16 * i : 16 * i + 16]
            checked(k, cb, pb, False, f"{dec} block {i + 1}")
            cases.append(
                case(
                    f"{dec}-ecb-aes{bits}-decrypt-block{i + 1}",
                    "aes.decrypt",
                    {"key": hx(k), "block": hx(cb)},
                    {"block": hx(pb)},
                )
            )
    write_suite(
        "sp800-38a-aes-ecb.json",
        "sp800-38a-aes-ecb",
        "NIST SP 800-38A (2001) Appendix F.1.1-F.1.6, ECB-AES128/192/256 encrypt "
        "and decrypt, each of the four blocks a case. Values read from "
        f"Crypto/SelfTest/Cipher/test_AES.py of PyPI pycryptodome {dist_version('pycryptodome')} "
        "(test_data entries labelled 'NIST 800-38A'); every block re-checked with "
        f"pyca/cryptography {dist_version('cryptography')}. "
        "Produced by vectors/tools/aes_ecb.py.",
        cases,
    )


KAT_KINDS = ["GFSbox", "KeySbox", "VarKey", "VarTxt"]


def cavp_kat() -> None:
    cases = []
    counts = {}
    for kind in KAT_KINDS:
        for bits in (128, 192, 256):
            rel = f"ciphers/AES/ECB/ECB{kind}{bits}.rsp"
            path = package_file("cryptography_vectors", rel)
            n = 0
            for section, rec in parse_rsp(path):
                if "ENCRYPT" in section:
                    encrypt = True
                elif "DECRYPT" in section:
                    encrypt = False
                else:
                    sys.exit(f"{rel}: record outside [ENCRYPT]/[DECRYPT]")
                k = unhex(rec["KEY"])
                pt, ct = unhex(rec["PLAINTEXT"]), unhex(rec["CIPHERTEXT"])
                if len(k) * 8 != bits or len(pt) != 16 or len(ct) != 16:
                    sys.exit(f"{rel}: COUNT {rec['COUNT']}: unexpected sizes")
                src, dst = (pt, ct) if encrypt else (ct, pt)
                d = "encrypt" if encrypt else "decrypt"
                checked(k, src, dst, encrypt, f"{rel} {d} COUNT {rec['COUNT']}")
                cases.append(
                    case(
                        f"{kind.lower()}{bits}-{d}-{int(rec['COUNT'])}",
                        f"aes.{d}",
                        {"key": hx(k), "block": hx(src)},
                        {"block": hx(dst)},
                    )
                )
                n += 1
            counts[f"ECB{kind}{bits}.rsp"] = n
    listing = ", ".join(f"{f} ({n})" for f, n in counts.items())
    write_suite(
        "cavp-aes-ecb-kat.json",
        "cavp-aes-ecb-kat",
        "NIST CAVP AES Known Answer Tests (KAT_AES, CAVS 11.1), ECB, every "
        "[ENCRYPT] and [DECRYPT] record of cryptography_vectors/ciphers/AES/ECB/: "
        f"{listing}; from PyPI cryptography-vectors {dist_version('cryptography-vectors')}. "
        f"Every block re-checked with pyca/cryptography {dist_version('cryptography')}. "
        "Produced by vectors/tools/aes_ecb.py.",
        cases,
    )


if __name__ == "__main__":
    sp800_38a()
    cavp_kat()
