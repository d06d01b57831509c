"""Shared helpers of the QA generators (vectors/tools/qa/).

Written from docs/vectors.md alone; nothing here is imported from the other
scripts of vectors/tools/. The block ciphers, CMAC and HMAC come from
pyca/cryptography; everything built on them (ISO/IEC 9797-1 MACs, padding,
decimalization, ...) is written here from the standards as docs/vectors.md
states them, and cross-checked against psec / pyemv / pydukpt in the
generators where those libraries agree with docs/vectors.md.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac as _hmac
import json
import os
import random
import warnings
from importlib import metadata

warnings.filterwarnings("ignore")

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES  # noqa: E402
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # noqa: E402
from cryptography.hazmat.primitives.cmac import CMAC  # noqa: E402

FORMAT = "paykernel-vectors/1"


def version(pkg: str) -> str:
    return metadata.version(pkg)


# ---------------------------------------------------------------- arguments


def args(description: str, default_out: str) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--seed", type=int, default=None, help="random seed (fresh when absent)")
    ap.add_argument("--count", type=int, default=200, help="rounds of random cases")
    ap.add_argument("--out", default=default_out, help="output file")
    a = ap.parse_args()
    if a.seed is None:
        a.seed = int.from_bytes(os.urandom(6), "big")
    return a


class Gen:
    """Collects cases; `rng` is the only source of randomness."""

    def __init__(self, seed: int, prefix: str):
        self.rng = random.Random(seed)
        self.seed = seed
        self.prefix = prefix
        self.cases: list[dict] = []
        self.n = 0

    def add(self, tag: str, op: str, params: dict, expect: dict) -> None:
        self.n += 1
        self.cases.append(
            {"id": f"{self.prefix}-{self.n}-{tag}", "op": op, "params": params, "expect": expect}
        )

    # random helpers
    def bytes(self, n: int) -> bytes:
        return bytes(self.rng.getrandbits(8) for _ in range(n))

    def hexs(self, n: int) -> str:
        return self.bytes(n).hex().upper()

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def choice(self, seq):
        return self.rng.choice(seq)

    def randint(self, a: int, b: int) -> int:
        return self.rng.randint(a, b)

    def pan(self, n: int | None = None) -> str:
        if n is None:
            n = self.rng.choice([12, 13, 14, 15, 16, 16, 16, 17, 18, 19])
        return self.digits(n)

    def case_mix(self, s: str) -> str:
        """The same hex in random letter case (inputs accept either)."""
        return "".join(c.lower() if c.isalpha() and self.rng.random() < 0.5 else c for c in s)


def write_suite(path: str, suite: str, source: str, cases: list[dict]) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    doc = {"format": FORMAT, "suite": suite, "source": source, "cases": cases}
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


# ---------------------------------------------------------------- ciphers


def des_key(k: bytes) -> bytes:
    assert len(k) in (8, 16, 24)
    return k


def tdes_ecb_enc(k: bytes, data: bytes) -> bytes:
    e = Cipher(TripleDES(des_key(k)), modes.ECB()).encryptor()
    return e.update(data) + e.finalize()


def tdes_ecb_dec(k: bytes, data: bytes) -> bytes:
    d = Cipher(TripleDES(des_key(k)), modes.ECB()).decryptor()
    return d.update(data) + d.finalize()


def tdes_cbc_enc(k: bytes, iv: bytes, data: bytes) -> bytes:
    e = Cipher(TripleDES(des_key(k)), modes.CBC(iv)).encryptor()
    return e.update(data) + e.finalize()


def tdes_cbc_dec(k: bytes, iv: bytes, data: bytes) -> bytes:
    d = Cipher(TripleDES(des_key(k)), modes.CBC(iv)).decryptor()
    return d.update(data) + d.finalize()


def aes_ecb_enc(k: bytes, data: bytes) -> bytes:
    e = Cipher(algorithms.AES(k), modes.ECB()).encryptor()
    return e.update(data) + e.finalize()


def aes_cbc_enc(k: bytes, iv: bytes, data: bytes) -> bytes:
    e = Cipher(algorithms.AES(k), modes.CBC(iv)).encryptor()
    return e.update(data) + e.finalize()


def aes_cbc_dec(k: bytes, iv: bytes, data: bytes) -> bytes:
    d = Cipher(algorithms.AES(k), modes.CBC(iv)).decryptor()
    return d.update(data) + d.finalize()


def cmac_tdes(k: bytes, msg: bytes) -> bytes:
    c = CMAC(TripleDES(k))
    c.update(msg)
    return c.finalize()


def cmac_aes(k: bytes, msg: bytes) -> bytes:
    c = CMAC(algorithms.AES(k))
    c.update(msg)
    return c.finalize()


def hmac_sha256(k: bytes, msg: bytes) -> bytes:
    return _hmac.new(k, msg, hashlib.sha256).digest()


def xor(a: bytes, b: bytes) -> bytes:
    assert len(a) == len(b)
    return bytes(x ^ y for x, y in zip(a, b))


def odd_parity(k: bytes) -> bytes:
    out = bytearray()
    for b in k:
        b &= 0xFE
        if bin(b).count("1") % 2 == 0:
            b |= 1
        out.append(b)
    return bytes(out)


# ---------------------------------------------------------------- ISO/IEC 9797-1


def pad1(data: bytes, bs: int = 8) -> bytes:
    """Method 1: zeros to a whole block; none on whole blocks; one zero block for empty data."""
    if len(data) == 0:
        return bytes(bs)
    r = len(data) % bs
    return data if r == 0 else data + bytes(bs - r)


def pad2(data: bytes, bs: int = 8) -> bytes:
    d = data + b"\x80"
    r = len(d) % bs
    return d if r == 0 else d + bytes(bs - r)


def retail_mac(k: bytes, padded: bytes) -> bytes:
    """ISO/IEC 9797-1 algorithm 3 on already padded data, 16-byte key (K ‖ K')."""
    assert len(k) == 16 and len(padded) % 8 == 0 and padded
    kl, kr = k[:8], k[8:]
    h = bytes(8)
    for i in range(0, len(padded), 8):
        h = tdes_ecb_enc(kl, xor(h, padded[i : i + 8]))
    h = tdes_ecb_dec(kr, h)
    return tdes_ecb_enc(kl, h)


def cbc_mac_tdes(k: bytes, padded: bytes) -> bytes:
    assert len(padded) % 8 == 0 and padded
    return tdes_cbc_enc(k, bytes(8), padded)[-8:]


# ---------------------------------------------------------------- decimalization


def decimalize(hexdigits: str, n: int) -> str:
    """docs/vectors.md: the decimal digits left to right, then A-F minus 10 left to right."""
    hexdigits = hexdigits.upper()
    first = [c for c in hexdigits if c in "0123456789"]
    second = [str(int(c, 16) - 10) for c in hexdigits if c in "ABCDEF"]
    return "".join(first + second)[:n]


def luhn_digit(s: str) -> str:
    total = 0
    for i, c in enumerate(reversed(s)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)
