#!/usr/bin/env python3
"""Derives the nft conformance corpus (tests/SnatTools.Tests/TestData/nft-corpus/<family>.txt).

Reads nftables 1.0.6 tests/py/{any,ip,ip6,inet}/*.t, swaps every address into 198.18.0.0/15 or
2001:db8::/32, puts each accepted expression line in front of `masquerade` in a nat postrouting
chain (one table per source file and family, its named sets and objects first), keeps only the
lines this kernel and nft accept (loaded in batches in a scratch namespace; a failed batch names
its failing commands, which are dropped, and the rest is loaded again), and records what
`nft list ruleset` prints for each rule. Run as root:

    tests/tools/nft-corpus/generate.py /work/upstream/nftables-1.0.6/tests/py

Output lines (tab separated): `set<TAB>table<TAB>command` for a set/object/element command, and
`rule<TAB>table<TAB>source file<TAB>rule as loaded<TAB>rule as nft prints it`.
"""
import ipaddress
import os
import re
import subprocess
import sys
import uuid

FAMILIES = ("ip", "ip6", "inet")
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "SnatTools.Tests", "TestData", "nft-corpus")
V4 = ipaddress.ip_network("198.18.0.0/15")
V6 = ipaddress.ip_network("2001:db8::/32")
SET_KEYWORDS = {"type", "typeof", "timeout", "flags", "size", "policy", "gc-interval", "counter", "auto-merge"}

V4_TOKEN = re.compile(r"(?<![\w.:])(\d{1,3}(?:\.\d{1,3}){3})(/\d{1,2})?(?![\w.])")
V6_TOKEN = re.compile(r"(?<![\w:.])([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\d{1,3}(?:\.\d{1,3}){3})?)(/\d{1,3})?(?![\w:])")


def swap_v4(match):
    try:
        address = ipaddress.IPv4Address(match.group(1))
    except ValueError:
        return match.group(0)
    prefix = int(match.group(2)[1:]) if match.group(2) else None
    value = int(V4.network_address) | (int(address) & 0x1FFFF)
    if prefix is not None:
        prefix = max(prefix, 15)
        value &= (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF
        return f"{ipaddress.IPv4Address(value)}/{prefix}"
    return str(ipaddress.IPv4Address(value))


def swap_v6(match):
    text = match.group(1)
    if text.count(":") < 2:
        return match.group(0)
    try:
        address = ipaddress.IPv6Address(text)
    except ValueError:
        return match.group(0)
    prefix = int(match.group(2)[1:]) if match.group(2) else None
    low = int(address) & ((1 << 96) - 1)
    value = int(V6.network_address) | low
    if prefix is not None:
        prefix = max(prefix, 32)
        value &= ((1 << 128) - 1) ^ ((1 << (128 - prefix)) - 1)
        return f"{ipaddress.IPv6Address(value)}/{prefix}"
    return str(ipaddress.IPv6Address(value))


def swap(text):
    return V6_TOKEN.sub(swap_v6, V4_TOKEN.sub(swap_v4, text))


def set_command(family, table, spec):
    """`name type x flags y timeout 1s` -> `add set family table name { type x; flags y; timeout 1s; }`."""
    name, _, rest = spec.partition(" ")
    groups, current = [], []
    for token in rest.split():
        if token in SET_KEYWORDS and current:
            groups.append(current)
            current = []
        current.append(token)
    if current:
        groups.append(current)
    kind = "map" if any(":" in g for g in groups if g[0] in ("type", "typeof")) else "set"
    body = "; ".join(" ".join(g) for g in groups)
    return f"add {kind} {family} {table} {name} {{ {body}; }}"


def object_command(family, table, spec):
    name, _, rest = spec.partition(" ")
    rest = rest.strip()
    if not rest.startswith("type "):
        return None
    kind, _, args = rest[5:].partition(" ")
    if kind not in ("counter", "quota", "limit"):
        return None
    return f"add {kind} {family} {table} {name}" + (f" {{ {args} }}" if args else "")


def parse(path):
    families, sets, rules = [], [], []
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if not line or line.startswith("#") or line.startswith(":"):
            continue
        if line.startswith("*"):
            family = line[1:].split(";")[0]
            if family in FAMILIES and family not in families:
                families.append(family)
            continue
        fields = line.split(";")
        if len(fields) < 2 or fields[1] != "ok":
            continue
        if line[0] in "!%?":
            sets.append((line[0], swap(fields[0][1:])))
        else:
            rules.append(swap(fields[0]).strip())
    return families, sets, rules


def nft(ns, script):
    return subprocess.run(["ip", "netns", "exec", ns, "nft", "-f", "-"], input=script, text=True, capture_output=True)


def failing_lines(stderr):
    return {int(m.group(1)) for m in re.finditer(r"^/dev/stdin:(\d+):", stderr, re.M)}


def load_family(ns, family, tables):
    """tables: [(table, source, [set commands], [rules])]; returns the accepted commands and rules."""
    commands = []  # (kind, table, source, text)
    for table, source, set_commands, rules in tables:
        commands.append(("table", table, source, f"add table {family} {table}"))
        commands.append(("chain", table, source, f"add chain {family} {table} post {{ type nat hook postrouting priority 100; }}"))
        commands += [("set", table, source, c) for c in set_commands]
        commands += [("rule", table, source, r) for r in rules]
    while True:
        script = "\n".join(c[3] if c[0] != "rule" else f"add rule {family} {c[1]} post {c[3]} masquerade" for c in commands) + "\n"
        result = nft(ns, f"flush ruleset\n{script}")
        if result.returncode == 0:
            return commands
        bad = failing_lines(result.stderr)
        if not bad:
            sys.exit(f"nft refused the batch without naming a line:\n{result.stderr[:2000]}")
        # Line numbers count the leading flush line; tables and chains are never dropped on purpose.
        drop = {n - 2 for n in bad}
        kept = [c for i, c in enumerate(commands) if i not in drop or c[0] in ("table", "chain")]
        if os.environ.get("CORPUS_DEBUG"):
            for i in sorted(drop):
                if i < len(commands) and commands[i][0] == "set":
                    print("dropped", commands[i][3], file=sys.stderr)
        if len(kept) == len(commands):
            sys.exit(f"nft refused a table or chain:\n{result.stderr[:2000]}")
        commands = kept


def listed_rules(ns, family):
    """Each table's rule lines of chain post, in order, as `nft list ruleset` prints them."""
    text = subprocess.run(["ip", "netns", "exec", ns, "nft", "list", "ruleset"], text=True, capture_output=True, check=True).stdout
    rules, table, in_post = {}, None, False
    for line in text.split("\n"):
        stripped = line.strip()
        m = re.match(r"^table (\S+) (\S+) \{$", stripped)
        if m:
            table = m.group(2) if m.group(1) == family else None
            continue
        if stripped.startswith("chain "):
            in_post = stripped == "chain post {"
            continue
        if stripped == "}":
            in_post = False
            continue
        if table and in_post and stripped and not stripped.startswith("type "):
            rules.setdefault(table, []).append(stripped)
    return rules


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "/work/upstream/nftables-1.0.6/tests/py"
    os.makedirs(OUT, exist_ok=True)
    per_family = {f: [] for f in FAMILIES}
    for directory in ("any", "ip", "ip6", "inet"):
        for name in sorted(os.listdir(os.path.join(root, directory))):
            if not name.endswith(".t"):
                continue
            families, sets, rules = parse(os.path.join(root, directory, name))
            source = f"{directory}/{name}"
            for family in families:
                table = "c_" + re.sub(r"\W", "_", f"{directory}_{name[:-2]}")
                set_commands = []
                for kind, spec in sets:
                    if kind == "!":
                        set_commands.append(set_command(family, table, spec))
                    elif kind == "%":
                        command = object_command(family, table, spec)
                        if command:
                            set_commands.append(command)
                    else:
                        target, _, elements = spec.partition(" ")
                        set_commands.append(f"add element {family} {table} {target} {{ {elements} }}")
                per_family[family].append((table, source, set_commands, list(dict.fromkeys(rules))))
    ns = "snattools-nftcorpus-" + uuid.uuid4().hex[:8]
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        for family in FAMILIES:
            commands = load_family(ns, family, per_family[family])
            listed = listed_rules(ns, family)
            lines, index, total = [], {}, 0
            for kind, table, source, text in commands:
                if kind == "set":
                    lines.append(f"set\t{table}\t{text}")
                elif kind == "rule":
                    i = index.get(table, 0)
                    index[table] = i + 1
                    lines.append(f"rule\t{table}\t{source}\t{text}\t{listed[table][i]}")
                    total += 1
            with open(os.path.join(OUT, f"{family}.txt"), "w", encoding="utf-8") as out:
                out.write(f"# Derived by tests/tools/nft-corpus/generate.py from nftables 1.0.6 tests/py; nft {subprocess.run(['nft', '--version'], text=True, capture_output=True).stdout.strip()}\n")
                out.write("\n".join(lines) + "\n")
            print(f"{family}: {total} rules accepted of {sum(len(t[3]) for t in per_family[family])}")
    finally:
        subprocess.run(["ip", "netns", "del", ns])


if __name__ == "__main__":
    main()
