#!/usr/bin/env python3
"""Generate the CBC and "DUKPT keys in use" vector suites of paykernel.

Writes (into vectors/):

- cavp-cbc.json: NIST CAVP CBC multi-block messages (AES-128/192/256
  CBCMMT, TDES TCBCMMT2 two-key and TCBCMMT3 three-key), both directions,
  from PyPI cryptography-vectors (read from the wheel given with
  --cavp-wheel), every value re-checked with pyca/cryptography.
- dukpt-data-published.json: published values of DUKPT data and MACs:
  moov-io/dukpt's tests (pkg/des/des_test.go: ANSI X9.24-1:2009 A.4.2
  request/response data and 8-byte MACs; pkg/aes/aes_test.go: the
  X9.24-3-2017 supplement's AES-128 BDK, CMAC, HMAC-SHA-256 and data of
  both directions), and openemv/dukpt's test data (test/dukpt_aes128_test.c:
  the supplement's MAC-generation and data-encryption keys of transactions
  1-8, its 18-byte MAC message and 32-byte data buffer) with the expected
  values computed by pyca/cryptography under those published keys.
- dukpt-data-independent.json: random BDKs, KSNs, data, IVs and lengths,
  every TDES direction and every AES key type and usage, both roots (BDK
  and IPEK / initial key), and the refusals of docs/vectors.md.

Oracles (none of them paykernel's code): pydukpt 0.1.0 (TDES DUKPT keys);
paysec-dukpt 0.2.0 through ./paysec_oracle (AES DUKPT working keys of the AES
types); for the 2TDEA/3TDEA/HMAC types, which paysec-dukpt does not derive,
the X9.24-3 transcription in dukpt_gen.py, checked here against the
supplement's 2TDEA/3TDEA keys and moov-io's HMAC values before anything is
written; pyca/cryptography for TDES/AES-CBC, AES-CMAC and HMAC-SHA-256; psec
1.3.0 for the retail MAC (cross-checked with a pyca/cryptography
computation).

Usage: python3 vectors/tools/dukpt_data_gen.py [--seed N] --cavp-wheel PATH
"""

import argparse
import os
import random
import sys
import warnings
import zipfile

warnings.filterwarnings("ignore")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import pydukpt  # noqa: E402
import psec  # noqa: E402
import psec.mac  # noqa: E402
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES  # noqa: E402
from cryptography.hazmat.primitives import hashes, hmac  # noqa: E402
from cryptography.hazmat.primitives.cmac import CMAC  # noqa: E402
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # noqa: E402

import dukpt_gen as dg  # noqa: E402
from common import case, dist_version, hx, write_suite  # noqa: E402

# ------------------------------------------------------------ oracles ----


def tdes3(key: bytes) -> bytes:
    """A TDES key as the 24 bytes pyca/cryptography wants."""
    return {8: key * 3, 16: key + key[:8], 24: key}[len(key)]


def cbc(alg: str, key: bytes, iv: bytes, data: bytes, encrypt: bool) -> bytes:
    a = algorithms.AES(key) if alg == "aes" else TripleDES(tdes3(key))
    c = Cipher(a, modes.CBC(iv))
    x = c.encryptor() if encrypt else c.decryptor()
    return x.update(data) + x.finalize()


def retail_mac(key: bytes, data: bytes) -> bytes:
    """X9.19 retail MAC, padding 1: psec, checked against pyca."""
    got = psec.mac.generate_retail_mac(key[:8], key[8:], data, 1)
    padded = data + bytes(-len(data) % 8) if data else bytes(8)
    chain = cbc("tdes", key[:8], bytes(8), padded, True)[-8:]
    ref = cbc("tdes", key, bytes(8), chain, True) if len(padded) == 8 else None
    if ref is None:
        h_prev = cbc("tdes", key[:8], bytes(8), padded[:-8], True)[-8:]
        last = bytes(a ^ b for a, b in zip(h_prev, padded[-8:]))
        ref = cbc("tdes", key, bytes(8), last, True)
    else:
        ref = cbc("tdes", key, bytes(8), padded, True)
    assert got == ref, (key.hex(), data.hex())
    return got


def aes_cmac(key: bytes, data: bytes) -> bytes:
    c = CMAC(algorithms.AES(key))
    c.update(data)
    return c.finalize()


def hmac_sha256(key: bytes, data: bytes) -> bytes:
    m = hmac.HMAC(key, hashes.SHA256())
    m.update(data)
    return m.finalize()


TDES_DATA = {"request": pydukpt.data_request_key, "response": pydukpt.data_response_key}
TDES_MAC = {"request": pydukpt.mac_request_key, "response": pydukpt.mac_response_key}


def tdes_key(bdk: bytes, ksn: bytes, table) -> bytes:
    ipek = pydukpt.derive_ipek(bdk, ksn)
    return table(pydukpt.derive_key(ipek, ksn))


class AesKeys:
    """AES DUKPT working keys: paysec for the AES types, the checked
    transcription for the others (and both agree on the AES types)."""

    def __init__(self):
        self.paysec = dg.Paysec()

    def working_key(self, bdk: bytes, ksn: bytes, key_type: str, usage: str) -> bytes:
        ik = dg.ref_initial_key(bdk, ksn[:8])
        ref = dg.ref_working_key(ik, ksn, key_type, usage)
        if key_type.startswith("AES"):
            got = bytes.fromhex(self.paysec.working_key(bdk, ksn, key_type, usage))
            assert got == ref, (bdk.hex(), ksn.hex(), key_type, usage)
        return ref


# -------------------------------------------------------------- CAVP -----


def cavp_suite(wheel: str):
    from common import parse_rsp  # noqa: F401  (same parser as the other CAVP suites)
    import pathlib
    import tempfile

    cases = []
    z = zipfile.ZipFile(wheel)
    base = "cryptography_vectors/ciphers/"
    files = [("AES/CBC/CBCMMT128.rsp", "aes"), ("AES/CBC/CBCMMT192.rsp", "aes"),
             ("AES/CBC/CBCMMT256.rsp", "aes"), ("3DES/CBC/TCBCMMT2.rsp", "tdes"),
             ("3DES/CBC/TCBCMMT3.rsp", "tdes")]
    with tempfile.TemporaryDirectory() as tmp:
        for rel, alg in files:
            path = pathlib.Path(tmp) / os.path.basename(rel)
            path.write_bytes(z.read(base + rel))
            for section, rec in parse_rsp(path):
                enc = "ENCRYPT" in section
                if alg == "aes":
                    key = bytes.fromhex(rec["KEY"])
                else:
                    k1, k2, k3 = (bytes.fromhex(rec[f"KEY{i}"]) for i in (1, 2, 3))
                    key = k1 + k2 if k1 == k3 else k1 + k2 + k3
                iv = bytes.fromhex(rec["IV"])
                pt, ct = bytes.fromhex(rec["PLAINTEXT"]), bytes.fromhex(rec["CIPHERTEXT"])
                assert cbc(alg, key, iv, pt, True) == ct, (rel, rec)
                src, want = (pt, ct) if enc else (ct, pt)
                name = os.path.splitext(os.path.basename(rel))[0]
                cases.append(case(f"{name}-{'encrypt' if enc else 'decrypt'}-{rec['COUNT']}",
                                  "cbc.encrypt" if enc else "cbc.decrypt",
                                  {"cipher": alg, "key": hx(key), "iv": hx(iv), "data": hx(src)},
                                  {"data": hx(want)}))
    source = (f"NIST CAVP CBC multi-block message tests (CBCMMT128/192/256 for AES; TCBCMMT2, two-key, "
              f"and TCBCMMT3, three-key, for TDES; KEY1 = KEY3 gives the 16-byte key), every record of both "
              f"directions, from PyPI cryptography-vectors {os.path.basename(wheel).split('-')[1]} "
              f"(ciphers/AES/CBC, ciphers/3DES/CBC); every value re-checked with pyca/cryptography "
              f"{dist_version('cryptography')}. Generated by vectors/tools/dukpt_data_gen.py.")
    return "cavp-cbc.json", "cavp-cbc", source, cases


# --------------------------------------------------------- published -----

BDK1 = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
KSN1 = bytes.fromhex("FFFF9876543210E00000")
MOOV_DATA = b"4012345678909D987"

# moov-io/dukpt pkg/des/des_test.go (A.4.2 initial sequence).
MOOV_TDES = [
    (1, "FC0D53B7EA1FDA9EE68AAF2E70D9B9506229BE2AA993F04F", "1FCC89AF66222F27B903898BB2BC8589CDBFDE5EC6AFCC25",
     "9CCC78173FC4FB64", "20364223C1FF00FA"),
    (2, "A2B4E70F846E63D68775B7215EB4563DFD3037244C61CC13", "5B692A6B1FDD5E25B0DEFAFDE1672E402F8011360CFF3508",
     "F608A9BCA6FFC311", "D1FCA6BEF05D24D2"),
    (3, "BD751E65F10E75B6C1D5B1D283496A36C2DE21D993C387A7", "345992D4163E4926C927BFD8ABD5D76F087A9CE81D5A27B8",
     "20B59A4FEAC937E3", "BAD4CC9CC2AE326C"),
    (4, "1118F50947441BBDA3C8C70220021A12EC31CC473F7215F4", "418C7413576C0D1819E785D3807AF32334231FDEC23414DB",
     "C7BFA6CC44161828", "1EB08AEECE6FF0C2"),
    (5, "9FD7BD1EC28845ACA93367A9DA9317BD555C6B33AE22D365", "7D4C109E49E83355A556AE949EED359F4404E7A2F0167C00",
     "0202B96339022058", "5CBE3E81D1D2A0FB"),
]

BDK_AES = bytes.fromhex("FEDCBA9876543210F1F1F1F1F1F1F1F1")
IKID = bytes.fromhex("1234567890123456")
# moov-io/dukpt pkg/aes/aes_test.go (InitialSequence): CMAC request/response,
# HMAC request/response, data request/response.
MOOV_AES = [
    ("A2EB5C1C35809E58404E873C3C411E31", "DD4E1895FD9BF53D8DAF25568ABF551D",
     "B6F8B3159CD4E140159DA87A68C0FB7AF2F123D222662E98988C76386E8E8A02",
     "DDE7CB7BDE05AC9A934919B5D94C37954F2376BAF5D45031A56FE74D94C4B64D",
     "E5AFA5B408A3310E3D779C8A9A2AE29448BD5B4232582090DB703AF647205A79",
     "84904DFC6B5201A4F1FE2EAA49E70B8C01838EF53030790FF785D630AB3916B4"),
    ("4D104704C53491A60944193DCAF6B411", "008CEAAE2B913BEEE76209EE9406DAC1",
     "A884FD458692820E8458AD9FF4FCE58D6B809AB3AE617AE1FC6B70E9E9C12B08",
     "32C4EEBF5FB820C4E90A580C0769E5BF8188007191AFAEF53F7C585B03285314",
     "A17A9658EE0F451D6CA11B65B592EF9C5F90BB175D926F1457B63B3273042476",
     "699ED7BC85994F1C11DE1C40177A629530E85262EA0B02FB80771255DC1F65B6"),
    ("6A18904AA8E966A03505F5EEBDAEBD82", "40CB2F0C2E043D060063FAA916A849E1",
     "5CCB50FB8001C07C51191502BFC7586E165219F59D87938C8A7A84D41AF44F18",
     "255E08E91BB5AFFD26C695110FAB5167AB36C9A3C61C78BD2401292A8EFE7C0A",
     "E289C32A084A39419A6C147DE40B53A67BABE2BD22DC3D5EE09B002E83B93ACE",
     "0F440D9321C1ABBEF9CA7008B40CF18B3045A84D5435D6CF9A4955E3451C49E9"),
    ("77BBD3FB827158B9B12880B0794D1C74", "51FDE192BC484F769AA0A86F8BC5CB30",
     "5E3C734C41496A10130BE415CBDB8E4F9027250997803DC742D4988123C2963F",
     "6493E4DB82E4ACFB3AA3830EBEF7365A31B0D7E3B463304FB3EBBC372A866292",
     "D074C0F81866781B92D008C8EA6A3947319B94361C7ECD3C1736020E0D57E629",
     "08A3D4FB24E9CA4864F63E1AB518C69327D87A6A709B9336E3E60FA7F312759A"),
    ("C0CE6DA1F4434AD16EEEBF486C9616CD", "4B508F51104D184A9190061ED854200E",
     "E49D95FD38DF4E39371FD6FD0789E1A2E9A663E20764BF935B457ECEEAE46CBD",
     "401CBB584E48C3E08A212A3117E087520D38E4EC054749747D1435B421C9DCE6",
     "8F222D79AE7F942BF74D3EA9E364C0000D0C94AD7EA0A8CCF23330FCA4B1D0D0",
     "400E67A22795467C145D7A5D2475DFD8041C233C6E2D004CEDBEBA25AE5CE1A7"),
    ("05222AE91471C590B3A9471523324C14", "ED90BD8AE4571C75CF08EA3EA195ABF8",
     "D5B61390352342D2027DFD120F32E77831B32BF34700FBA8232D80780D492766",
     "6644594E7C867C2BF0FBA7F00CAF2E184823AE0D9C40FCAA6F48A3605737094D",
     "19C254B0498CBD32E597D882B7D993513994EE913836E65711EA41F8D4B34728",
     "1524F027685DCDA7197E0DE3CB87EF83C6D61D2E483D47678C4914DEC2320B08"),
    ("37FA54258AAF805A44AA1273C0DF928C", "52D6C1D3A95B1D21761E20870D9A7E8C",
     "E0A41D52B44C96D5D730BB0DC2F747E7FE5970CE58C0043C42CD3769F6CA3925",
     "55F096E89E56A27438F6D01A6DCBF9D396E29EA076C3CC9823B2BB5996ED17EE",
     "0710C8F0EB136629E30ADFB148562F6F80B786EC1074428B7C7511B7301EAAF0",
     "8CA084F21F599C7361C8F2B1565D993779C62EC3496F0113DF17B5C29EA4E404"),
    ("85C7CA68F55F51E7DCAC969B8C111130", "B45399DB90C0BA75DB4B86605758695A",
     "D7CAB17596E6D193B83E0E13CAB35A179B7296DC04A42D8145B9DF6E60A2A47F",
     "32403C170DD07A7C823247DF37649D49FDE905482D1B1C6A62E03E735FA2E384",
     "304EC254A7B528D9892E47F7C1315D498C0D88EA8CD71CA52D38F362721AEA67",
     "8CD1A54538B9DC79A5DF4544ADE8D1F1A085AC1F89AA59BFF49351A68957DE1B"),
]

# openemv/dukpt test/dukpt_aes128_test.c: the supplement's MAC generation
# keys and data encryption keys of transactions 1 to 8 (AES-128 BDK).
OPENEMV_CMAC_KEYS = [
    "A2DC23DE6FDE0824A2BC321E08E4B8B7", "484C3B06E8562704528CD5B46FB12FB6", "A5DF7D9D800CA769766F0C77CA4E6E6C",
    "E6E4679647D8A9057C1FC15537CB4C4E", "0588185FE1FF8C7E22FAD78C1C61F065", "7B60F72A5639C0EE7EB2100FA80BB793",
    "BAA08CA263C69525BC6B1BA8F4275D69", "6FD572E5D59E618875F193484F9178FB"]
OPENEMV_DATA_KEYS = [
    "A35C412EFD41FDB98B69797C02DCD08F", "D639514AA33AC43AD9229E433D6D4E5B", "EF17F6AB45B4820C93A3DCB21BC491AD",
    "B3BD44C08BB6BA27C3BB4711D7D70387", "CA02DF6F30B39E14BD0B4A30E460920F", "C9B8A7C4E486180B2229115164F0B293",
    "0FA8F1F0A2DD7B1005A862D77CDED698", "650F34204ABD4E57764D61AC3D266FB1"]


def published_suite(keys: AesKeys):
    cases = []
    padded24 = MOOV_DATA + bytes(24 - len(MOOV_DATA))
    for c, req, resp, mreq, mresp in MOOV_TDES:
        ksn = pydukpt.ksn_with_counter(KSN1, c)
        for direction, ct, mac in (("request", req, mreq), ("response", resp, mresp)):
            dk = tdes_key(BDK1, ksn, TDES_DATA[direction])
            mk = tdes_key(BDK1, ksn, TDES_MAC[direction])
            assert cbc("tdes", dk, bytes(8), padded24, True).hex().upper() == ct
            assert retail_mac(mk, MOOV_DATA).hex().upper() == mac
            base = {"bdk": hx(BDK1), "ksn": hx(ksn), "direction": direction}
            cases.append(case(f"moov-tdes-{c}-{direction}-encrypt", "dukpt.tdes.encrypt_data",
                              {**base, "data": hx(padded24)}, {"data": ct}))
            cases.append(case(f"moov-tdes-{c}-{direction}-decrypt", "dukpt.tdes.decrypt_data",
                              {**base, "data": ct}, {"data": hx(padded24)}))
            cases.append(case(f"moov-tdes-{c}-{direction}-mac-8", "dukpt.tdes.mac",
                              {**base, "data": hx(MOOV_DATA), "len": 8}, {"mac": mac}))
    padded32 = MOOV_DATA + bytes(32 - len(MOOV_DATA))
    for i, (creq, cresp, hreq, hresp, dreq, dresp) in enumerate(MOOV_AES, start=1):
        ksn = IKID + i.to_bytes(4, "big")
        base = {"bdk": hx(BDK_AES), "ksn": hx(ksn)}
        for kt, usage, want, fn in (("AES128", "mac-generate", creq, aes_cmac), ("AES128", "mac-verify", cresp, aes_cmac),
                                    ("HMAC128", "mac-generate", hreq, hmac_sha256),
                                    ("HMAC128", "mac-verify", hresp, hmac_sha256)):
            assert fn(keys.working_key(BDK_AES, ksn, kt, usage), MOOV_DATA).hex().upper() == want, (i, kt, usage)
            cases.append(case(f"moov-aes-{i}-{kt}-{usage}", "dukpt.aes.mac",
                              {**base, "key_type": kt, "usage": usage, "data": hx(MOOV_DATA)}, {"mac": want}))
        for usage, ct in (("data-encrypt", dreq), ("data-decrypt", dresp)):
            dk = keys.working_key(BDK_AES, ksn, "AES128", usage)
            assert cbc("aes", dk, bytes(16), padded32, True).hex().upper() == ct
            p = {**base, "key_type": "AES128", "usage": usage}
            cases.append(case(f"moov-aes-{i}-{usage}-encrypt", "dukpt.aes.encrypt_data",
                              {**p, "data": hx(padded32)}, {"data": ct}))
            cases.append(case(f"moov-aes-{i}-{usage}-decrypt", "dukpt.aes.decrypt_data",
                              {**p, "data": ct}, {"data": hx(padded32)}))
    # openemv: 18 bytes (the C string with its NUL) MACed, 32 bytes encrypted.
    msg = MOOV_DATA + b"\0"
    buf = msg + bytes(32 - len(msg))
    for i in range(1, 9):
        ksn = IKID + i.to_bytes(4, "big")
        mk = bytes.fromhex(OPENEMV_CMAC_KEYS[i - 1])
        dk = bytes.fromhex(OPENEMV_DATA_KEYS[i - 1])
        assert keys.working_key(BDK_AES, ksn, "AES128", "mac-generate") == mk, i
        assert keys.working_key(BDK_AES, ksn, "AES128", "data-encrypt") == dk, i
        base = {"bdk": hx(BDK_AES), "ksn": hx(ksn), "key_type": "AES128"}
        cases.append(case(f"openemv-aes128-{i}-request-cmac", "dukpt.aes.mac",
                          {**base, "usage": "mac-generate", "data": hx(msg)}, {"mac": hx(aes_cmac(mk, msg))}))
        ct = cbc("aes", dk, bytes(16), buf, True)
        cases.append(case(f"openemv-aes128-{i}-request-encrypt", "dukpt.aes.encrypt_data",
                          {**base, "usage": "data-encrypt", "data": hx(buf)}, {"data": hx(ct)}))
        cases.append(case(f"openemv-aes128-{i}-request-decrypt", "dukpt.aes.decrypt_data",
                          {**base, "usage": "data-encrypt", "data": hx(ct)}, {"data": hx(buf)}))
    source = ("Published DUKPT data and MAC values. moov-io/dukpt tests: pkg/des/des_test.go (ANSI X9.24-1:2009 "
              "A.4.2 BDK and KSNs, counters 1-5: '4012345678909D987' zero-padded to 24 bytes under the request and "
              "response data keys, full 8-byte request and response retail MACs) and pkg/aes/aes_test.go (the "
              "X9.24-3-2017 supplement's AES-128 BDK, transactions 1-8: AES-CMAC and HMAC-SHA-256 (HMAC128 key) "
              "under the mac-generate (request) and mac-verify (response) keys, AES-CBC of the data zero-padded to "
              "32 bytes under the data-encrypt (request) and data-decrypt (response) keys). openemv/dukpt "
              "test/dukpt_aes128_test.c: the supplement's MAC-generation and data-encryption keys of transactions "
              "1-8 with its test data (the 18-byte C string '4012345678909D987' with its NUL, in a 32-byte zero "
              "buffer); the CMACs and ciphertexts under those published keys computed with pyca/cryptography "
              f"{dist_version('cryptography')}. Every value re-checked before writing: keys from pydukpt "
              f"{dist_version('pydukpt')} and paysec-dukpt 0.2.0, MACs by psec {dist_version('psec')} and "
              "pyca/cryptography. Generated by vectors/tools/dukpt_data_gen.py.")
    return "dukpt-data-published.json", "dukpt-data-published", source, cases


# ------------------------------------------------------- independent -----

KEY_STRENGTH = {"2TDEA": 0, "3TDEA": 1, "AES128": 2, "AES192": 3, "AES256": 4,
                "HMAC128": 2, "HMAC192": 3, "HMAC256": 4}
IK_TYPE = {16: "AES128", 24: "AES192", 32: "AES256"}


def ones_counter(rng, bits, ones):
    return sum(1 << b for b in rng.sample(range(bits), ones))


def independent_suite(rng: random.Random, seed: int, keys: AesKeys):
    cases = []
    n = 0

    def add(cid, op, params, expect):
        nonlocal n
        cases.append(case(f"{cid}-{n}", op, params, expect))
        n += 1

    # TDES: data both ways, both roots, random IVs (or the default).
    for direction in ("request", "response"):
        for j in range(24):
            bdk = rng.randbytes(16)
            ksn = pydukpt.ksn_with_counter(rng.randbytes(10), ones_counter(rng, 21, rng.choice([1, 5, 10, 10, 14, 21])))
            ipek = pydukpt.derive_ipek(bdk, ksn)
            dk = TDES_DATA[direction](pydukpt.derive_key(ipek, ksn))
            data = rng.randbytes(8 * rng.choice([1, 1, 2, 3, 8, 63, 64, 65, 130]))
            iv = rng.randbytes(8) if j % 3 else None
            root = {"bdk": hx(bdk)} if j % 2 == 0 else {"ipek": hx(ipek)}
            p = {**root, "ksn": hx(ksn), "direction": direction}
            if iv is not None:
                p["iv"] = hx(iv)
            ct = cbc("tdes", dk, iv or bytes(8), data, True)
            add(f"tdes-{direction}-encrypt", "dukpt.tdes.encrypt_data", {**p, "data": hx(data)}, {"data": hx(ct)})
            add(f"tdes-{direction}-decrypt", "dukpt.tdes.decrypt_data", {**p, "data": hx(ct)}, {"data": hx(data)})
        for j in range(24):
            bdk = rng.randbytes(16)
            ksn = pydukpt.ksn_with_counter(rng.randbytes(10), ones_counter(rng, 21, rng.choice([1, 4, 10, 12])))
            ipek = pydukpt.derive_ipek(bdk, ksn)
            mk = TDES_MAC[direction](pydukpt.derive_key(ipek, ksn))
            data = rng.randbytes(rng.choice([0, 1, 7, 8, 9, 16, 17, 24, 40, 63, 64, 100, 257]))
            ln = rng.choice([None, 4, 5, 6, 7, 8])
            root = {"bdk": hx(bdk)} if j % 2 == 0 else {"ipek": hx(ipek)}
            p = {**root, "ksn": hx(ksn), "direction": direction, "data": hx(data)}
            if ln is not None:
                p["len"] = ln
            mac = retail_mac(mk, data)[: ln or 4]
            add(f"tdes-{direction}-mac-{len(data)}-bytes", "dukpt.tdes.mac", p, {"mac": hx(mac)})
    # TDES refusals.
    bdk = rng.randbytes(16)
    ksn = pydukpt.ksn_with_counter(rng.randbytes(10), 7)
    base = {"bdk": hx(bdk), "ksn": hx(ksn), "direction": "request"}
    for op in ("dukpt.tdes.encrypt_data", "dukpt.tdes.decrypt_data"):
        for k in (0, 1, 7, 9, 15, 23):
            add(f"tdes-data-{k}-bytes", op, {**base, "data": hx(rng.randbytes(k))}, {"error": "invalid-length"})
        for k in (0, 7, 9, 16):
            add(f"tdes-iv-{k}-bytes", op, {**base, "data": hx(rng.randbytes(16)), "iv": hx(rng.randbytes(k))},
                {"error": "invalid-length"})
        for label, bad in (("9-bytes", hx(ksn[:9])), ("11-bytes", hx(ksn + b"\0")), ("not-hex", hx(ksn)[:-1] + "G")):
            add(f"tdes-ksn-{label}", op, {**base, "ksn": bad, "data": hx(bytes(8))}, {"error": "invalid-ksn"})
        for k in (8, 15, 24):
            add(f"tdes-bdk-{k}-bytes", op, {**base, "bdk": hx(rng.randbytes(k)), "data": hx(bytes(8))},
                {"error": "invalid-key"})
    for ln in (0, 1, 3, 9, 16, -1):
        add(f"tdes-mac-len-{ln}", "dukpt.tdes.mac", {**base, "data": hx(rng.randbytes(20)), "len": ln},
            {"error": "invalid-length"})
    for label, bad in (("9-bytes", hx(ksn[:9])), ("empty", "")):
        add(f"tdes-mac-ksn-{label}", "dukpt.tdes.mac", {**base, "ksn": bad, "data": "00"}, {"error": "invalid-ksn"})
    add("tdes-mac-ipek-24-bytes", "dukpt.tdes.mac",
        {"ipek": hx(rng.randbytes(24)), "ksn": hx(ksn), "direction": "response", "data": "00"},
        {"error": "invalid-key"})

    # AES: data under every key type that may come from each initial key.
    for ik_len in (16, 24, 32):
        for kt in ("2TDEA", "3TDEA", "AES128", "AES192", "AES256"):
            if KEY_STRENGTH[kt] > KEY_STRENGTH[IK_TYPE[ik_len]]:
                continue
            for usage in ("data-encrypt", "data-decrypt", "data-both"):
                for j in range(3):
                    bdk, ikid = rng.randbytes(ik_len), rng.randbytes(8)
                    ksn = ikid + ones_counter(rng, 32, rng.choice([1, 8, 16, 20])).to_bytes(4, "big")
                    wk = keys.working_key(bdk, ksn, kt, usage)
                    alg, blk = ("tdes", 8) if "TDEA" in kt else ("aes", 16)
                    data = rng.randbytes(blk * rng.choice([1, 2, 5, 64, 65]))
                    iv = rng.randbytes(blk) if j != 1 else None
                    root = ({"bdk": hx(bdk)} if j != 2 else {"initial_key": hx(dg.ref_initial_key(bdk, ikid))})
                    p = {**root, "ksn": hx(ksn), "key_type": kt, "usage": usage}
                    if iv is not None:
                        p["iv"] = hx(iv)
                    ct = cbc(alg, wk, iv or bytes(blk), data, True)
                    add(f"aes{ik_len * 8}-{kt}-{usage}-encrypt", "dukpt.aes.encrypt_data",
                        {**p, "data": hx(data)}, {"data": hx(ct)})
                    add(f"aes{ik_len * 8}-{kt}-{usage}-decrypt", "dukpt.aes.decrypt_data",
                        {**p, "data": hx(ct)}, {"data": hx(data)})
        # MACs under every AES and HMAC key type.
        for kt in ("AES128", "AES192", "AES256", "HMAC128", "HMAC192", "HMAC256"):
            if KEY_STRENGTH[kt] > KEY_STRENGTH[IK_TYPE[ik_len]]:
                continue
            for usage in ("mac-generate", "mac-verify", "mac-both"):
                for j in range(3):
                    bdk, ikid = rng.randbytes(ik_len), rng.randbytes(8)
                    ksn = ikid + ones_counter(rng, 32, rng.choice([1, 9, 16, 25])).to_bytes(4, "big")
                    wk = keys.working_key(bdk, ksn, kt, usage)
                    data = rng.randbytes(rng.choice([0, 1, 15, 16, 17, 32, 33, 64, 65, 200]))
                    full = 32 if kt.startswith("HMAC") else 16
                    ln = rng.choice([None, 4, 8, full - 1, full])
                    mac = (hmac_sha256 if kt.startswith("HMAC") else aes_cmac)(wk, data)[: ln or full]
                    root = ({"bdk": hx(bdk)} if j != 2 else {"initial_key": hx(dg.ref_initial_key(bdk, ikid))})
                    p = {**root, "ksn": hx(ksn), "key_type": kt, "usage": usage, "data": hx(data)}
                    if ln is not None:
                        p["len"] = ln
                    add(f"aes{ik_len * 8}-{kt}-{usage}-mac", "dukpt.aes.mac", p, {"mac": hx(mac)})
    # AES refusals.
    bdk, ikid = rng.randbytes(16), rng.randbytes(8)
    ksn = ikid + (5).to_bytes(4, "big")
    b = {"bdk": hx(bdk), "ksn": hx(ksn)}
    for kt in ("2TDEA", "3TDEA"):
        add(f"aes-mac-{kt}-unsupported", "dukpt.aes.mac",
            {**b, "key_type": kt, "usage": "mac-generate", "data": "00"}, {"error": "unsupported"})
    for kt in ("HMAC128", "HMAC192", "HMAC256"):
        for op in ("dukpt.aes.encrypt_data", "dukpt.aes.decrypt_data"):
            add(f"aes-data-{kt}-unsupported", op,
                {"bdk": hx(rng.randbytes(32)), "ksn": hx(ksn), "key_type": kt, "usage": "data-both",
                 "data": hx(bytes(16))}, {"error": "unsupported"})
    for ik_len, kt in ((16, "AES192"), (16, "AES256"), (24, "AES256"), (16, "HMAC192"), (24, "HMAC256")):
        big = {"bdk": hx(rng.randbytes(ik_len)), "ksn": hx(ksn)}
        if kt.startswith("AES"):
            for op in ("dukpt.aes.encrypt_data", "dukpt.aes.decrypt_data"):
                add(f"aes{ik_len * 8}-data-{kt}-stronger", op,
                    {**big, "key_type": kt, "usage": "data-encrypt", "data": hx(bytes(16))}, {"error": "unsupported"})
        add(f"aes{ik_len * 8}-mac-{kt}-stronger", "dukpt.aes.mac",
            {**big, "key_type": kt, "usage": "mac-verify", "data": "00"}, {"error": "unsupported"})
    for op in ("dukpt.aes.encrypt_data", "dukpt.aes.decrypt_data"):
        for kt, k in (("AES128", 0), ("AES128", 8), ("AES128", 15), ("AES128", 24), ("2TDEA", 0), ("2TDEA", 12),
                      ("3TDEA", 20)):
            add(f"aes-data-{kt}-{k}-bytes", op,
                {**b, "key_type": kt, "usage": "data-decrypt", "data": hx(rng.randbytes(k))},
                {"error": "invalid-length"})
        for kt, k in (("AES128", 8), ("AES128", 15), ("2TDEA", 16), ("3TDEA", 7)):
            add(f"aes-iv-{kt}-{k}-bytes", op,
                {**b, "key_type": kt, "usage": "data-both", "data": hx(bytes(16)), "iv": hx(rng.randbytes(k))},
                {"error": "invalid-length"})
        for label, bad in (("11-bytes", hx(ksn[:11])), ("13-bytes", hx(ksn + b"\0")), ("not-hex", hx(ksn)[:-1] + "X")):
            add(f"aes-data-ksn-{label}", op,
                {**b, "ksn": bad, "key_type": "AES128", "usage": "data-encrypt", "data": hx(bytes(16))},
                {"error": "invalid-ksn"})
        add("aes-data-initial-key-20-bytes", op,
            {"initial_key": hx(rng.randbytes(20)), "ksn": hx(ksn), "key_type": "AES128", "usage": "data-encrypt",
             "data": hx(bytes(16))}, {"error": "invalid-key"})
    for kt, ln in (("AES128", 3), ("AES128", 17), ("AES128", 0), ("HMAC128", 33), ("HMAC128", 2), ("AES128", -4)):
        add(f"aes-mac-{kt}-len-{ln}", "dukpt.aes.mac",
            {**b, "key_type": kt, "usage": "mac-both", "data": "00112233", "len": ln}, {"error": "invalid-length"})
    add("aes-mac-ksn-10-bytes", "dukpt.aes.mac",
        {**b, "ksn": hx(ksn[:10]), "key_type": "AES128", "usage": "mac-both", "data": ""}, {"error": "invalid-ksn"})
    source = ("DUKPT keys in use with fresh random BDKs, KSNs (counters of 1 to 25 one-bits), data, IVs and MAC "
              "lengths: TDES DUKPT data (TDES-CBC under the data-request / data-response keys) and retail MACs "
              "(X9.19, padding 1) both directions, from the BDK and from the IPEK; AES DUKPT data (AES-CBC, TDES-CBC "
              "for 2TDEA/3TDEA) and MACs (AES-CMAC; HMAC-SHA-256 for the HMAC types) for every key type each "
              "initial key length allows and every data and MAC usage, from the BDK and from the initial key; "
              "and the refusals of docs/vectors.md (data not whole blocks or empty, IV of another size, bad KSN, len "
              "out of range, bad key, a TDES key type for a MAC, an HMAC key type for data, a key type stronger "
              f"than the initial key). Keys: pydukpt {dist_version('pydukpt')} (TDES) and paysec-dukpt 0.2.0 "
              "(AES types, through vectors/tools/paysec_oracle); 2TDEA/3TDEA/HMAC working keys from the X9.24-3 "
              "transcription in vectors/tools/dukpt_gen.py (not independent of this project's authors; checked "
              "against the supplement's 2TDEA/3TDEA keys and moov-io/dukpt's published HMAC values, and against "
              "paysec-dukpt on every AES key). Ciphertexts, CMACs and HMACs: pyca/cryptography "
              f"{dist_version('cryptography')}; retail MACs: psec {dist_version('psec')}, cross-checked with "
              f"pyca/cryptography. Generated by vectors/tools/dukpt_data_gen.py --seed {seed}.")
    return "dukpt-data-independent.json", "dukpt-data-independent", source, cases


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--cavp-wheel", required=True, help="cryptography_vectors-*.whl")
    args = ap.parse_args()
    dg.check_pydukpt()
    keys = AesKeys()
    dg.check_aes(keys.paysec)
    for suite in (cavp_suite(args.cavp_wheel), published_suite(keys),
                  independent_suite(random.Random(args.seed), args.seed, keys)):
        write_suite(*suite)


if __name__ == "__main__":
    main()
