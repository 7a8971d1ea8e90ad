#!/usr/bin/env python3
"""Derives the iptables conformance corpus (tests/SnatTools.Tests/TestData/conformance/xt-corpus.tsv).

Reads the match extensions' test lines of iptables 1.8.9 (extensions/lib{xt,ipt,ip6t}_*.t, the
lines marked OK, and the rule part of *.txlate lines), moves every address into 198.18.0.0/15 or
2001:db8::/32, puts each line in front of `-j MASQUERADE` in nat POSTROUTING, and keeps, for each
backend (legacy, nft) and family (ipv4, ipv6), only the lines this kernel accepts, with the line
iptables-save prints for it. Each line is tried on its own in a scratch namespace; at the end the
kept lines are loaded in one iptables-restore and must print the same lines in the same order
(which is what the live test does).

Usage (root): python3 tests/tools/gen-xt-corpus.py /work/upstream/iptables-1.8.9 [out.tsv]
"""
import ipaddress
import os
import re
import shlex
import subprocess
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "SnatTools.Tests", "TestData", "conformance", "xt-corpus.tsv")
# What some lines need besides themselves (rate estimators for -m rateest), loaded before them
# here and, in the same iptables-restore, by the live test.
SETUP = os.path.join(HERE, "..", "SnatTools.Tests", "TestData", "conformance", "xt-corpus-setup.txt")

# Targets that only end a test line; the rule part before them is kept.
PLAIN_VERDICTS = {"ACCEPT", "DROP", "RETURN"}

V4 = re.compile(r"(?<![\w.:])(\d{1,3}(?:\.\d{1,3}){3})(/\d{1,2}(?![\d.]))?(?![\w.])")
V6 = re.compile(r"(?<![\w:.])([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\d{1,3}(?:\.\d{1,3}){3})?)(/\d{1,3})?(?![\w:])")


def swap_v4(match):
    text, prefix = match.group(1), match.group(2)
    try:
        address = ipaddress.IPv4Address(text)
    except ValueError:
        return match.group(0)
    if prefix is None and text.startswith("255.") or text == "0.0.0.0":
        # a dotted mask (after '/', or a mask option) or the any address stays
        return match.group(0)
    low = int(address) & 0x1FFFF
    moved = ipaddress.IPv4Address((198 << 24) | (18 << 16) | low)
    if prefix is not None:
        length = max(int(prefix[1:]), 15)
        return f"{moved}/{length}"
    return str(moved)


def swap_v6(match):
    text, prefix = match.group(1), match.group(2)
    if text.count(":") < 2 or text in ("::",):
        return match.group(0)
    try:
        address = ipaddress.IPv6Address(text)
    except ValueError:
        return match.group(0)
    if prefix is None and text.lower().startswith("ffff:"):
        return match.group(0)
    low = int(address) & ((1 << 96) - 1)
    moved = ipaddress.IPv6Address((0x20010DB8 << 96) | low)
    if prefix is not None:
        length = max(int(prefix[1:]), 32)
        return f"{moved}/{length}"
    return str(moved)


def swap_addresses(rule, family):
    # masks written after a slash in dotted form (/255.255.0.0) must stay: protect them
    rule = re.sub(r"/(\d{1,3}(?:\.\d{1,3}){3})", lambda m: "/\0" + m.group(1).replace(".", "\1"), rule)
    rule = V4.sub(swap_v4, rule)
    rule = rule.replace("\0", "").replace("\1", ".")
    if family == "ipv6":
        rule = V6.sub(swap_v6, rule)
    return rule


def strip_verdict(rule):
    words = shlex.split(rule)
    if "-j" in words or "--jump" in words:
        at = words.index("-j") if "-j" in words else words.index("--jump")
        if at != len(words) - 2 or words[at + 1] not in PLAIN_VERDICTS:
            return None
        # cut the text at the verdict, keeping the original quoting of the rule part
        cut = rule.rfind(" -j ") if " -j " in rule else rule.rfind(" --jump ")
        rule = rule[:cut] if cut >= 0 else ""
    if "-g" in words or "--goto" in words:
        return None
    return rule.strip()


def variants(rule):
    """The line, and its output-side twin when it names the input side (-i, policy --dir in),
    which nat POSTROUTING refuses but whose output form it takes."""
    yield rule
    twin = re.sub(r"(^|\s)(!\s+)?-i(\s)", r"\1\2-o\3", rule)
    twin = re.sub(r"--dir in\b", "--dir out", twin)
    if twin != rule:
        yield twin


def families_of(file_name):
    if file_name.startswith("libxt_"):
        return ["ipv4", "ipv6"]
    if file_name.startswith("libipt_"):
        return ["ipv4"]
    if file_name.startswith("libip6t_"):
        return ["ipv6"]
    return []


def extension_of(file_name):
    return re.sub(r"^lib(?:xt|ipt|ip6t)_|\.(?:t|txlate)$", "", file_name)


def source_lines(upstream):
    """(extension, families, rule) for each OK line of a match extension, then each txlate rule."""
    extensions = os.path.join(upstream, "extensions")
    seen = set()
    for name in sorted(os.listdir(extensions)):
        ext = extension_of(name)
        if not re.match(r"^lib(?:xt|ipt|ip6t)_[a-z0-9]", name) or not ext[0].islower():
            continue  # targets (upper case) are not in front of MASQUERADE
        path = os.path.join(extensions, name)
        if name.endswith(".t"):
            for raw in open(path, encoding="utf-8"):
                raw = raw.rstrip("\n")
                if not raw or raw[0] in "#:*":
                    continue
                parts = raw.split(";")
                if len(parts) < 3 or parts[2] != "OK":
                    continue
                yield ext, families_of(name), parts[0], seen
        elif name.endswith(".txlate"):
            for raw in open(path, encoding="utf-8"):
                m = re.match(r"^(ip6?)tables-translate (?:-t \w+ )?-[AI] \w+ (.*)$", raw.rstrip("\n"))
                if not m:
                    continue
                fams = ["ipv6"] if m.group(1) == "ip6" else ["ipv4"]
                yield ext, [f for f in fams if f in families_of(name)], m.group(2), seen


def base_lines():
    """Our own base-rule lines (xt-base-lines.txt), as extension "base"."""
    for raw in open(os.path.join(HERE, "xt-base-lines.txt"), encoding="utf-8"):
        raw = raw.rstrip("\n")
        if not raw or raw.startswith("#"):
            continue
        family, rule = raw.split("\t", 1)
        yield "base", ["ipv4", "ipv6"] if family == "both" else [family], rule, None


def run(argv, stdin=None):
    p = subprocess.run(argv, input=stdin, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def tools(backend, family):
    stem = "ip6tables" if family == "ipv6" else "iptables"
    return f"{stem}-{backend}", f"{stem}-{backend}-save", f"{stem}-{backend}-restore"


def rule_lines(save_text):
    return [l for l in save_text.splitlines() if l.startswith("-A POSTROUTING ")]


def try_line(tool, save, rule):
    """The line iptables-save prints for the rule in front of MASQUERADE, or None when refused."""
    run([tool, "-t", "nat", "-F", "POSTROUTING"])
    try:
        args = shlex.split(rule)
    except ValueError:
        return None
    code, _, _ = run([tool, "-w", "-t", "nat", "-A", "POSTROUTING", *args, "-j", "MASQUERADE"])
    if code != 0:
        return None
    code, text, _ = run([save, "-t", "nat"])
    lines = rule_lines(text)
    # several rules from one line (address lists) are not one case
    return lines[0] if code == 0 and len(lines) == 1 else None


def inner(upstream, out):
    cases = []
    for backend in ("legacy", "nft"):
        for family in ("ipv4", "ipv6"):
            tool, save, restore = tools(backend, family)
            kept = []
            seen = set()
            setup = open(SETUP, encoding="utf-8").read()
            code, _, err = run([restore, "-w"], setup)
            if code != 0:
                sys.exit(f"{restore}: setup failed: {err}")
            for ext, fams, rule, _ in [*source_lines(upstream), *base_lines()]:
                if family not in fams:
                    continue
                rule = strip_verdict(rule)
                if rule is None:
                    continue
                for variant in variants(swap_addresses(rule, family)):
                    if (ext, variant) in seen:
                        continue
                    seen.add((ext, variant))
                    line = try_line(tool, save, variant)
                    if line is not None:
                        kept.append((ext, variant, line))
            run([tool, "-t", "nat", "-F", "POSTROUTING"])
            # the live test loads them all at once: the same lines must come back in order
            body = setup + "*nat\n" + "".join(f"-A POSTROUTING {r} -j MASQUERADE\n" for _, r, _ in kept) + "COMMIT\n"
            code, _, err = run([restore, "-w"], body)
            if code != 0:
                sys.exit(f"{restore}: bulk load failed: {err}")
            _, text, _ = run([save, "-t", "nat"])
            bulk = rule_lines(text)
            if bulk != [line for _, _, line in kept]:
                diff = [(a, b) for a, b in zip(bulk, [l for _, _, l in kept]) if a != b][:5]
                sys.exit(f"{backend} {family}: bulk load prints differently: {diff} ({len(bulk)} vs {len(kept)})")
            run([tool, "-t", "nat", "-F", "POSTROUTING"])
            cases += [(backend, family, e, r, l) for e, r, l in kept]
            print(f"{backend} {family}: {len(kept)} lines", file=sys.stderr)
    with open(out, "w", encoding="utf-8") as f:
        f.write("# Derived by tests/tools/gen-xt-corpus.py from the iptables 1.8.9 match extension tests;\n")
        f.write("# addresses moved to 198.18.0.0/15 and 2001:db8::/32; only lines this kernel accepts in nat POSTROUTING.\n")
        f.write("# backend\tfamily\textension\trule\tiptables-save line\n")
        for c in cases:
            f.write("\t".join(c) + "\n")


def main():
    upstream = sys.argv[1] if len(sys.argv) > 1 else "/work/upstream/iptables-1.8.9"
    out = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else DEFAULT_OUT)
    if os.environ.get("XT_CORPUS_INNER") == "1":
        inner(upstream, out)
        return
    ns = f"snattools-gen-{uuid.uuid4().hex[:8]}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        env = dict(os.environ, XT_CORPUS_INNER="1")
        subprocess.run(["ip", "netns", "exec", ns, sys.executable, os.path.abspath(__file__), upstream, out], check=True, env=env)
    finally:
        subprocess.run(["ip", "netns", "del", ns])


if __name__ == "__main__":
    main()
