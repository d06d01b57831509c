#!/usr/bin/env python3
"""Independent P-256 point values for the kernel's curve arithmetic, from
pyca/cryptography (OpenSSL), written to src/sign/testdata/p256-points.txt.

Lines (hex, big-endian, x and y of affine points):
  G k x y          k·G: the public key of the private scalar k
                   (ec.derive_private_key(k, SECP256R1()).public_key())
  DH k qx qy x     the x coordinate of k·Q for the public point Q = (qx, qy)
                   (ECDH: private key k, peer public key Q)

The scalars are the ones the scalar multiplications find hardest: small
values, each 4-bit digit at its extremes (all 8s: every digit the top of
the signed window; all 9s: every digit −7 with a carry), single bits at
window edges, the top of the range (n − 1, n − 2, (n − 1)/2), the
half-order neighbourhood, and a few pseudo-random ones (SHA-256 of a
counter, reduced mod n). Deterministic: the same file on every run.

Usage: python3 tools/p256_points.py > src/sign/testdata/p256-points.txt
"""
import hashlib

import cryptography
from cryptography.hazmat.primitives.asymmetric import ec

N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def point(k):
    pub = ec.derive_private_key(k, ec.SECP256R1()).public_key().public_numbers()
    return pub.x, pub.y


def scalars():
    ks = list(range(1, 21))
    ks += [0x88, int('8' * 64, 16) % N, int('9' * 64, 16) % N, int('7' * 64, 16)]
    ks += [1 << i for i in (4, 7, 8, 63, 64, 127, 128, 191, 192, 255)]
    ks += [(1 << i) - 1 for i in (8, 64, 128, 255)]
    ks += [N - 1, N - 2, N - 16, N - 17, (N - 1) // 2, (N + 1) // 2, N - (1 << 128)]
    ks += [int.from_bytes(hashlib.sha256(b'paykernel p256 %d' % i).digest(), 'big') % N for i in range(16)]
    seen, out = set(), []
    for k in ks:
        if 0 < k < N and k not in seen:
            seen.add(k)
            out.append(k)
    return out


def main():
    print('# P-256 points from pyca/cryptography %s (%s), by tools/p256_points.py.'
          % (cryptography.__version__, 'OpenSSL'))
    print('# G k x y: k·G.  DH k qx qy x: x(k·Q).')
    ks = scalars()
    for k in ks:
        x, y = point(k)
        print('G %064x %064x %064x' % (k, x, y))
    # Variable-base: each scalar against a few public points Q = j·G.
    for j, k in enumerate(ks[::3]):
        qpriv = ec.derive_private_key(int.from_bytes(hashlib.sha256(b'Q %d' % j).digest(), 'big') % N,
                                      ec.SECP256R1())
        q = qpriv.public_key()
        shared = ec.derive_private_key(k, ec.SECP256R1()).exchange(ec.ECDH(), q)
        qn = q.public_numbers()
        print('DH %064x %064x %064x %s' % (k, qn.x, qn.y, shared.hex()))


if __name__ == '__main__':
    main()
