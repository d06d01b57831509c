"""SP 800-108 KBKDF in counter mode with AES-CMAC: a spread of the NIST CAVP
KDFCTR_gen cases, the counter-capacity edges and the refusals of the op.

Writes vectors/cavp-kbkdf-ctr-cmac.json.

Source: NIST CAVP KBKDF counter-mode file (CAVS 14.4, "KDFCTR_gen.txt"),
shipped by PyPI `cryptography-vectors` as
cryptography_vectors/KDF/nist-800-108-KBKDF-CTR.txt.

Selection: PRF CMAC_AES128/192/256 x CTRLOCATION BEFORE_FIXED/AFTER_FIXED
x RLEN 8/16/24/32 bits (24 combinations; MIDDLE_FIXED is skipped: the op
has no such location; the CMAC_TDES and HMAC PRFs are not this op). In
each combination, in file order: the first record of every distinct L,
and the section's last record. An L that is not a multiple of 8 would be
skipped (the op counts bytes); the file has none for these PRFs, and the
script counts and reports any.

Every CAVP output is recomputed with pyca/cryptography's KBKDFCMAC. The
edge cases (255 blocks under an 8-bit counter) take their expected
output from pyca/cryptography, which is an independent implementation.

Run: python vectors/tools/kbkdf.py
"""

from __future__ import annotations

import sys

from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.kdf.kbkdf import KBKDFCMAC, CounterLocation, Mode

sys.dont_write_bytecode = True  # no __pycache__ in vectors/tools

from common import case, dist_version, hx, package_file, parse_rsp, unhex, write_suite

REL = "KDF/nist-800-108-KBKDF-CTR.txt"

PRFS = {"CMAC_AES128": 16, "CMAC_AES192": 24, "CMAC_AES256": 32}
LOCATIONS = {"BEFORE_FIXED": "before", "AFTER_FIXED": "after"}
PYCA_LOC = {"before": CounterLocation.BeforeFixed, "after": CounterLocation.AfterFixed}
RLENS = {"8_BITS": 8, "16_BITS": 16, "24_BITS": 24, "32_BITS": 32}


def pyca_kbkdf(key: bytes, fixed: bytes, bits: int, loc: str, length: int) -> bytes:
    kdf = KBKDFCMAC(
        algorithms.AES,
        Mode.CounterMode,
        length,
        bits // 8,
        None,
        PYCA_LOC[loc],
        None,
        None,
        fixed,
    )
    return kdf.derive(key)


def params(key: bytes, fixed: bytes, bits: int, loc: str, length: int) -> dict:
    return {
        "key": hx(key),
        "fixed_input": hx(fixed),
        "counter_bits": bits,
        "counter_location": loc,
        "len": length,
    }


def main() -> None:
    path = package_file("cryptography_vectors", REL)
    # (prf, loc, rlen) -> records in file order
    groups: dict[tuple[str, str, int], list[dict]] = {}
    for section, rec in parse_rsp(path):
        prf, loc, rlen = section.get("PRF"), section.get("CTRLOCATION"), section.get("RLEN")
        if prf not in PRFS or loc not in LOCATIONS:
            continue
        groups.setdefault((prf, LOCATIONS[loc], RLENS[rlen]), []).append(rec)
    if len(groups) != 24:
        sys.exit(f"{REL}: expected 24 AES-CMAC before/after groups, found {len(groups)}")

    cases = []
    skipped_bits = 0
    for prf in PRFS:
        for loc in ("before", "after"):
            for bits in (8, 16, 24, 32):
                recs = groups[(prf, loc, bits)]
                chosen, seen_l = [], set()
                for rec in recs:
                    if int(rec["L"]) % 8:
                        skipped_bits += 1
                        continue
                    if rec["L"] not in seen_l:
                        seen_l.add(rec["L"])
                        chosen.append(rec)
                last = [r for r in recs if int(r["L"]) % 8 == 0][-1]
                if last not in chosen:
                    chosen.append(last)
                for rec in chosen:
                    key = unhex(rec["KI"])
                    fixed = unhex(rec["FixedInputData"])
                    if len(fixed) != int(rec["FixedInputDataByteLen"]):
                        sys.exit(f"{REL}: {prf} {loc} {bits} COUNT {rec['COUNT']}: fixed length")
                    length = int(rec["L"]) // 8
                    ko = unhex(rec["KO"])
                    if len(key) != PRFS[prf] or len(ko) != length:
                        sys.exit(f"{REL}: {prf} {loc} {bits} COUNT {rec['COUNT']}: sizes")
                    if pyca_kbkdf(key, fixed, bits, loc, length) != ko:
                        sys.exit(f"{REL}: {prf} {loc} {bits} COUNT {rec['COUNT']}: pyca disagrees")
                    cid = f"{prf[5:].lower()}-{loc}-ctr{bits}-L{rec['L']}-count{int(rec['COUNT'])}"
                    cases.append(
                        case(cid, "kdf.kbkdf_cmac", params(key, fixed, bits, loc, length), {"key": hx(ko)})
                    )
    n_cavp = len(cases)

    # Edges of the counter and refusals of the op (docs/vectors.md, kdf.kbkdf_cmac).
    base = groups[("CMAC_AES128", "before", 8)][0]
    k0, f0 = unhex(base["KI"]), unhex(base["FixedInputData"])
    for loc in ("before", "after"):
        okm = pyca_kbkdf(k0, f0, 8, loc, 255 * 16)
        cases.append(
            case(f"edge-ctr8-{loc}-255-blocks", "kdf.kbkdf_cmac", params(k0, f0, 8, loc, 4080), {"key": hx(okm)})
        )
    try:
        pyca_kbkdf(k0, f0, 8, "before", 4081)
        sys.exit("pyca derived 256 blocks under an 8-bit counter")
    except ValueError:
        pass
    refusals = [
        ("refuse-ctr8-256-blocks", params(k0, f0, 8, "before", 4096), "invalid-length"),
        ("refuse-ctr8-256-blocks-partial", params(k0, f0, 8, "after", 4081), "invalid-length"),
        ("refuse-ctr16-65536-blocks", params(k0, f0, 16, "before", 65536 * 16), "invalid-length"),
        ("refuse-len-0", params(k0, f0, 32, "before", 0), "invalid-length"),
        ("refuse-key-15-bytes", params(k0[:15], f0, 8, "before", 16), "invalid-key"),
        ("refuse-key-17-bytes", params(k0 + b"\x00", f0, 8, "before", 16), "invalid-key"),
    ]
    for cid, p, kind in refusals:
        cases.append(case(cid, "kdf.kbkdf_cmac", p, {"error": kind}))

    skip_note = (
        f"{skipped_bits} records with an L not a multiple of 8 were skipped"
        if skipped_bits
        else "every L in these sections is a multiple of 8 (none skipped)"
    )
    write_suite(
        "cavp-kbkdf-ctr-cmac.json",
        "cavp-kbkdf-ctr-cmac",
        "NIST CAVP SP 800-108 KBKDF counter mode (CAVS 14.4 KDFCTR_gen.txt), shipped "
        f"as cryptography_vectors/{REL} in PyPI cryptography-vectors "
        f"{dist_version('cryptography-vectors')}. {n_cavp} cases: for each PRF "
        "CMAC_AES128/192/256, CTRLOCATION BEFORE_FIXED/AFTER_FIXED and RLEN 8/16/24/32 "
        "bits (MIDDLE_FIXED skipped: the op has no such location), the first record "
        "of each L (128, 160, 256, 320 bits) and the section's last record, in file "
        f"order; len = L/8 bytes; {skip_note}. Every output re-checked with "
        f"pyca/cryptography {dist_version('cryptography')} KBKDFCMAC. Plus: 255 blocks "
        "under an 8-bit counter (the most it can number; expected output from pyca/"
        "cryptography, which also refuses 4081 bytes), and refusals from the op's "
        "contract: 256 blocks under an 8-bit counter, 65536 under a 16-bit one, "
        "len 0 (invalid-length), keys of 15 and 17 bytes (invalid-key). "
        "Produced by vectors/tools/kbkdf.py.",
        cases,
    )


if __name__ == "__main__":
    main()
