#!/usr/bin/env python3
"""List the kernel's public functions and methods that no runnable example shows.

The project's rule: every public entry point of `paykernel` (as `cargo doc
-p paykernel` presents it) has a rustdoc example that runs as a doctest.
This script reads the crate's public API from rustdoc's JSON output, which
needs the nightly toolchain (the JSON format is still unstable):

    python3 tools/undocumented.py            # builds the JSON, then checks
    python3 tools/undocumented.py --no-build # reuses target/doc/paykernel.json
    python3 tools/undocumented.py --why      # also says where each entry
                                             # point without its own example
                                             # is shown

An entry point counts as shown when a runnable code block (a doctest that
is not `ignore`, `no_run`, `compile_fail` or `text`) calls it in:

- its own documentation; or
- for a method: the documentation of its type, of its `impl` blocks, of
  its sibling methods or of the module that exports the type (`.name(`,
  `Type::name(`, or `Type::name` as a path; a module's example must also
  name the type), so the methods of one type can share one example; or
- for a free function: the documentation of its module (`name(`).

The conversions a user calls on purpose (the crate's `FromStr`, `TryFrom`
and `From` impls) are checked apart: some runnable example of the crate
must call one naming the type (`parse::<Pan>()`, `let p: Pan = s.parse()`,
`Amount::try_from(..)`, `let c: PinBlockCipher = x.into()`).

Deliberately not counted (listed by kind at the end of the report, with
the reason, so nothing is dropped silently):

- methods of implementations of traits defined outside the crate (`Debug`,
  `Display`, `Drop`, `Zeroize`, `From`, `TryFrom`, `PartialEq`, `Error`,
  ...): their contract and examples belong to the trait's own crate; the
  conversions among them are checked as said above, and `Display` is
  shown where it matters (errors, masked PANs, KSNs) by the type's own
  examples;
- methods of implementations of the crate's own traits: the trait's
  declaration carries the example, and its methods are checked there;
- deprecated aliases (`#[deprecated]`, renamed functions): listed by name;
  the function each one names as its replacement carries the example.

Exit status: 0 when every entry point is shown, 1 otherwise.
"""

import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JSON = os.path.join(ROOT, "target", "doc", "paykernel.json")

# Rustdoc attributes that make a fenced block something other than a doctest
# that runs.
NOT_RUN = {"ignore", "no_run", "compile_fail", "text", "should_panic"}
# Conversion traits a user calls on purpose (`"..".parse::<T>()`,
# `T::try_from(x)`, `x.into()`): each of the crate's impls must be shown in
# some runnable example of the crate (a call that names the type).
CONVERSIONS = {"FromStr", "TryFrom", "From"}

NON_RUST = {"text", "json", "sh", "console", "toml", "python", "c", "bash", "none"}


def build():
    cmd = [
        "cargo", "+nightly", "rustdoc", "-p", "paykernel", "--lib", "-q",
        "--", "-Z", "unstable-options", "--output-format", "json",
    ]
    subprocess.run(cmd, cwd=ROOT, check=True)


def runnable_blocks(docs):
    """The code of each runnable doctest in a doc string, hidden lines kept."""
    if not docs:
        return []
    blocks, cur, fence = [], None, None
    for line in docs.splitlines():
        s = line.strip()
        if cur is None:
            m = re.match(r"^(```+|~~~+)(.*)$", s)
            if m:
                fence = m.group(1)
                attrs = {a.strip() for a in re.split(r"[ ,]+", m.group(2)) if a.strip()}
                runs = not (attrs & NOT_RUN) and not (attrs & NON_RUST)
                cur = [] if runs else False
        else:
            if s.startswith(fence) and s.strip("`~") == "":
                if cur is not False:
                    blocks.append("\n".join(cur))
                cur = None
            elif cur is not False:
                cur.append(re.sub(r"^# ?", "", s))
    return blocks


def type_args(args):
    """`<T>` of a trait path's generic arguments, as far as it is short."""
    try:
        (a,) = args["angle_bracketed"]["args"]
        t = a["type"]
        if "primitive" in t:
            return "<%s>" % t["primitive"]
        if "resolved_path" in t:
            return "<%s>" % t["resolved_path"]["path"].split("::")[-1]
        if "borrowed_ref" in t:
            return "<&%s>" % type_args({"angle_bracketed": {"args": [{"type": t["borrowed_ref"]["type"]}]}}).strip("<>")
    except (KeyError, TypeError, ValueError):
        pass
    return ""


def inner(item):
    (kind, body), = item["inner"].items() if isinstance(item["inner"], dict) else [(item["inner"], None)]
    return kind, body


def main():
    if "--no-build" not in sys.argv:
        build()
    with open(JSON) as f:
        data = json.load(f)
    index = data["index"]

    def get(i):
        return index.get(str(i))

    entries = []  # (path, item, context docs)
    conversions = {}  # (trait, type name) -> (impl, type item)
    excepted = {}  # reason -> count
    seen = set()

    def walk_module(mid, path):
        if (mid, tuple(path)) in seen:
            return
        seen.add((mid, tuple(path)))
        mod = get(mid)
        _, body = inner(mod)
        for cid in body["items"]:
            child = get(cid)
            if child is None:
                continue
            kind, cbody = inner(child)
            name = child["name"]
            if kind == "use":
                if cbody["id"] is None or get(cbody["id"]) is None:
                    continue  # a re-export from another crate
                target = get(cbody["id"])
                if cbody["is_glob"]:
                    if inner(target)[0] == "module":
                        walk_module(cbody["id"], path)
                    continue
                visit(target, path + [cbody["name"]], mod)
                continue
            if child["visibility"] != "public":
                continue
            visit(child, path + [name], mod)

    def visit(item, path, parent_mod):
        kind, body = inner(item)
        if kind == "module":
            walk_module(item["id"], path)
        elif kind == "function":
            entries.append(("::".join(path), item, [parent_mod["docs"]], "fn"))
        elif kind in ("struct", "enum", "union"):
            # The docs of every inherent method: an example on one method
            # may show its siblings (`KeyType::from_name(..).map(KeyType::key_len)`).
            siblings = []
            for iid in body["impls"]:
                _, ib = inner(get(iid))
                if ib["trait"] is None and not ib["is_synthetic"]:
                    siblings += [get(m)["docs"] for m in ib["items"] if get(m) is not None]
            for iid in body["impls"]:
                imp = get(iid)
                _, ib = inner(imp)
                if ib["is_synthetic"] or ib["blanket_impl"] is not None:
                    continue
                for mid in ib["items"]:
                    m = get(mid)
                    if m is None or inner(m)[0] != "function":
                        continue
                    for_ty = ib["for"].get("resolved_path") if isinstance(ib["for"], dict) else None
                    if ib["trait"] is not None and ib["trait"]["path"] in CONVERSIONS and for_ty:
                        conversions.setdefault((
                            ib["trait"]["path"], for_ty["path"].split("::")[-1],
                            json.dumps(ib["trait"].get("args"), sort_keys=True),
                        ), imp)
                    if ib["trait"] is not None:
                        tid = ib["trait"]["id"]
                        local = get(tid) is not None and get(tid).get("crate_id") == 0
                        reason = (
                            "impl of a crate trait (the trait's own methods are checked)"
                            if local
                            else "impl of a trait from another crate (core, zeroize, subtle, ...)"
                        )
                        excepted[reason] = excepted.get(reason, 0) + 1
                        continue
                    if m["visibility"] != "public":
                        continue
                    entries.append((
                        "::".join(path + [m["name"]]), m,
                        [item["docs"], imp["docs"], parent_mod["docs"]] + siblings, "method",
                    ))
        elif kind == "trait":
            for mid in body["items"]:
                m = get(mid)
                if m is not None and inner(m)[0] == "function":
                    entries.append((
                        "::".join(path + [m["name"]]), m,
                        [item["docs"], parent_mod["docs"]], "method",
                    ))

    walk_module(data["root"], ["paykernel"])

    missing = []
    uniq = {}
    for path, item, ctx, kind in entries:
        uniq.setdefault(path, (item, ctx, kind))
    deprecated = []
    for path, (item, ctx, kind) in sorted(uniq.items()):
        name = item["name"]
        if item.get("deprecation"):
            deprecated.append(path)
            continue
        if runnable_blocks(item["docs"]):
            continue
        owner = path.split("::")[-2]
        if kind == "method":
            # A call (`.name(`, `Type::name(`) or the method as a path
            # (`.map(Type::name)`).
            pat = re.compile(
                r"\.%s\s*(::<[^>]*>)?\(|\b%s::%s\b" % (re.escape(name), re.escape(owner), re.escape(name))
            )
        else:
            pat = re.compile(r"\b%s\s*(::<[^>]*>)?\(" % re.escape(name))
        # A module's example shows a method only if it names the method's
        # type too (a module example calling `.as_bytes()` on one type
        # shows nothing of another type's `as_bytes`).
        module_at = 2 if kind == "method" else 0
        owner_re = re.compile(r"\b%s\b" % re.escape(owner))
        hits = [
            i for i, d in enumerate(ctx) for b in runnable_blocks(d)
            if pat.search(b) and (kind != "method" or i != module_at or owner_re.search(b))
        ]
        if hits:
            if "--why" in sys.argv:
                where = ["type", "impl", "module"] if kind == "method" else ["module"]
                print("  shown by the %s docs: %s" % (
                    (where + ["a sibling method's"])[min(min(hits), len(where))], path))
            continue
        span = item.get("span") or {}
        where = "%s:%s" % (span.get("filename", "?"), (span.get("begin") or ["?"])[0])
        missing.append((path, where))

    # Every runnable example in the crate, for the conversions.
    all_blocks = [b for it in index.values() if it.get("crate_id") == 0 for b in runnable_blocks(it.get("docs"))]
    conv_missing = []
    for (trait, tname, args), imp in sorted(conversions.items()):
        t = re.escape(tname)
        if trait == "FromStr":
            pats = [r"parse::<%s>" % t, r":\s*(paykernel::)?([a-z_]+::)*%s\s*=[^;]*\.parse\(" % t,
                    r"%s::from_str\(" % t]
        elif trait == "TryFrom":
            pats = [r"\b%s::try_from\(" % t, r":\s*%s\s*=[^;]*\.try_into\(" % t]
        else:
            pats = [r"\b%s::from\(" % t, r":\s*%s\s*=[^;]*\.into\(\)" % t]
        if not any(re.search(pt, b) for pt in pats for b in all_blocks):
            span = imp.get("span") or {}
            conv_missing.append("%s%s for %s  (%s:%s)" % (
                trait, type_args(json.loads(args)), tname, span.get("filename", "?"),
                (span.get("begin") or ["?"])[0]))

    print("public functions and methods checked: %d" % len(uniq))
    print("without a runnable example: %d" % len(missing))
    for path, where in missing:
        print("  %s  (%s)" % (path, where))
    print("conversion impls (FromStr, TryFrom, From) checked: %d" % len(conversions))
    print("without a runnable example: %d" % len(conv_missing))
    for c in conv_missing:
        print("  %s" % c)
    print("deprecated aliases, not counted (the example of the function each")
    print("names as its replacement shows the call; an example would only")
    print("teach the old name): %d" % len(deprecated))
    for path in deprecated:
        print("  %s" % path)
    print("not counted, by reason:")
    for reason, n in sorted(excepted.items()):
        print("  %4d  %s" % (n, reason))
    return 1 if missing or conv_missing else 0


if __name__ == "__main__":
    sys.exit(main())
