#!/usr/bin/env python3
"""Converts the NIST CAVP TDES ECB response files (CAVS 11.1: TECBvartext,
TECBvarkey, TECBinvperm, TECBpermop, TECBsubtab, TECBMMT1-3) into the test
data file src/cipher/des/testdata/cavp-tdes-ecb.txt: one line per block,
`E|D key1 key2 key3 input output` in hex. Multi-block MMT messages are
split into their ECB blocks.

The .rsp files ship in the PyPI package cryptography-vectors
(cryptography_vectors/ciphers/3DES/ECB/).

Usage: tools/cavp_tdes_ecb.py DIR > src/cipher/des/testdata/cavp-tdes-ecb.txt
"""
import os
import sys

FILES = ['TECBvartext', 'TECBvarkey', 'TECBinvperm', 'TECBpermop', 'TECBsubtab',
         'TECBMMT1', 'TECBMMT2', 'TECBMMT3']


def records(path):
    mode, rec = None, {}
    for line in open(path):
        line = line.strip()
        if line in ('[ENCRYPT]', '[DECRYPT]'):
            mode = line[1]
            continue
        if not line or line.startswith('#'):
            if rec:
                yield mode, rec
                rec = {}
            continue
        k, _, v = line.partition(' = ')
        rec[k] = v.lower()
    if rec:
        yield mode, rec


def main():
    d = sys.argv[1]
    print('# NIST CAVP TDES ECB (CAVS 11.1) known answers, converted by')
    print('# tools/cavp_tdes_ecb.py from cryptography-vectors 50.0.2,')
    print('# ciphers/3DES/ECB/{%s}.rsp.' % ','.join(FILES))
    print('# E|D key1 key2 key3 input output')
    for name in FILES:
        print('# %s' % name)
        for mode, r in records(os.path.join(d, name + '.rsp')):
            if 'COUNT' not in r:
                continue
            if 'KEYs' in r:
                keys = [r['KEYs']] * 3
            else:
                keys = [r['KEY1'], r['KEY2'], r['KEY3']]
            src, dst = (r['PLAINTEXT'], r['CIPHERTEXT']) if mode == 'E' else (r['CIPHERTEXT'], r['PLAINTEXT'])
            for i in range(0, len(src), 16):
                print(mode, *keys, src[i:i + 16], dst[i:i + 16])


if __name__ == '__main__':
    main()
