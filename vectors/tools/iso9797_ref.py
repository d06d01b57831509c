"""ISO/IEC 9797-1 MAC algorithms 1 and 3, written from the standard's
definition over raw block encryption from pyca/cryptography.

A reference for generating test suites, independent of paykernel: it pads
the data into a byte string, chains the blocks by hand and applies the
output transformation, using only the ECB block functions of
pyca/cryptography (48.0). It is deliberately plain and slow.

ISO/IEC 9797-1:2011, clause 6:
- padding method 1: zero bits up to a positive multiple of the block
  (empty data becomes one zero block);
- padding method 2: one 1 bit, then zero bits up to a multiple of the block;
- padding method 3: a block L holding the bit length of the data, then the
  data padded as by method 1.
Clause 7: initial transformation 1 (H1 = E(K, D1)), iteration
Hi = E(K, D_i XOR H_{i-1}); output transformation 1 (G = Hq, algorithm 1)
or 3 (G = E(K, D(K', Hq)), algorithm 3); the MAC is the leftmost bits of G.
"""

import warnings

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES


def _ecb(alg):
    return Cipher(alg, modes.ECB())


def des_encrypt(key8: bytes, block: bytes) -> bytes:
    """Single DES (TripleDES with an 8-byte key is single DES)."""
    assert len(key8) == 8
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        e = _ecb(TripleDES(key8)).encryptor()
    return e.update(block) + e.finalize()


def des_decrypt(key8: bytes, block: bytes) -> bytes:
    assert len(key8) == 8
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = _ecb(TripleDES(key8)).decryptor()
    return d.update(block) + d.finalize()


def tdes_encrypt(key: bytes, block: bytes) -> bytes:
    """TDES EDE with an 8-, 16- or 24-byte key."""
    assert len(key) in (8, 16, 24)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        e = _ecb(TripleDES(key)).encryptor()
    return e.update(block) + e.finalize()


def aes_encrypt(key: bytes, block: bytes) -> bytes:
    assert len(key) in (16, 24, 32)
    e = _ecb(algorithms.AES(key)).encryptor()
    return e.update(block) + e.finalize()


def pad(data: bytes, method: int, n: int) -> bytes:
    """ISO/IEC 9797-1 padding method 1, 2 or 3 for an n-byte block."""
    if method == 1:
        if len(data) == 0:
            return bytes(n)
        return data + bytes((-len(data)) % n)
    if method == 2:
        d = data + b"\x80"
        return d + bytes((-len(d)) % n)
    if method == 3:
        bits = len(data) * 8
        assert bits < 2 ** (8 * n)
        return bits.to_bytes(n, "big") + pad(data, 1, n)
    raise ValueError("padding method must be 1, 2 or 3")


def _blocks(padded: bytes, n: int):
    assert len(padded) % n == 0 and len(padded) > 0
    return [padded[i : i + n] for i in range(0, len(padded), n)]


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b))


def alg1(cipher: str, key: bytes, data: bytes, padding: int, length: int) -> bytes:
    """MAC algorithm 1 (CBC-MAC): cipher 'des' (8-byte key), 'tdes'
    (8/16/24) or 'aes' (16/24/32)."""
    if cipher == "des":
        assert len(key) == 8
        enc, n = (lambda b: des_encrypt(key, b)), 8
    elif cipher == "tdes":
        enc, n = (lambda b: tdes_encrypt(key, b)), 8
    elif cipher == "aes":
        enc, n = (lambda b: aes_encrypt(key, b)), 16
    else:
        raise ValueError(cipher)
    assert 1 <= length <= n
    h = bytes(n)
    for block in _blocks(pad(data, padding, n), n):
        h = enc(_xor(h, block))
    return h[:length]


def alg3(key16: bytes, data: bytes, padding: int, length: int) -> bytes:
    """MAC algorithm 3 (retail MAC) with DES, K = key16[:8], K' = key16[8:]."""
    assert len(key16) == 16 and 1 <= length <= 8
    k, k2 = key16[:8], key16[8:]
    h = bytes(8)
    for block in _blocks(pad(data, padding, 8), 8):
        h = des_encrypt(k, _xor(h, block))
    g = des_encrypt(k, des_decrypt(k2, h))
    return g[:length]
