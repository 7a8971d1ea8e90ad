#!/usr/bin/env python3
"""Derives the controller-golden test data (tests/SnatTools.Tests/TestData/owners/*.txt).

Controllers keep their own rulesets as test goldens (`nft list ruleset` / `iptables-save`
output). This script reads them from a git snapshot of the controller's repository, swaps every
address into our documentation ranges (IPv4 -> 198.18.0.0/15, IPv6 -> 2001:db8::/32; loopback,
"any" and link-local prefixes are kept) and changes nothing else (interface names, table, chain
and comment text stay as the controller wrote them). Each derived ruleset is loaded with the real
tool (nft -f, iptables-nft-restore / ip6tables-nft-restore) into a scratch network namespace;
only the ones the kernel here accepts are written. Goldens whose derived text is identical are
written once, under all their names.

Usage (as root): tests/tools/derive-controller-goldens.py [--mirror-root /work/.mirror]
The snapshot of each repository is a bare git directory (the `fetch` tool's copy, or a clone);
the commit used is recorded in each output file's header.
"""

import argparse
import ipaddress
import os
import re
import subprocess
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "..", "SnatTools.Tests", "TestData", "owners")

# name, repository, files (a directory: its *.golden; or one path), expectation for the test
# (see OwnerGoldenCorpus.cs), and for files inside Go code the variable holding the ruleset:
#   "strong": every NAT rule is the owner's with table/chain/comment evidence;
#   "interface": the owner's rules carry no mark but their bridge, so a rule with an out interface
#                is the owner's as a weak guess and a rule without one is Unknown.
# Repositories too big for a snapshot (kubernetes) are read from --cache (the file saved from the
# repository at the commit given here).
SOURCES = [
    dict(name="docker-nftabler", repo="moby/moby", path="daemon/libnetwork/drivers/bridge/internal/nftabler/testdata/TestNftabler", owner="Docker", expect="strong"),
    dict(name="docker-iptabler", repo="moby/moby", path="daemon/libnetwork/drivers/bridge/internal/iptabler/testdata/TestIptabler", owner="Docker", expect="interface"),
    dict(name="calico-felix-nftables", repo="projectcalico/calico", path="felix/fv/cali-nftables-dump.txt", kind="nft", owner="Calico", expect="strong"),
    dict(name="incus-nftables-templates", repo="lxc/incus", path="internal/server/firewall/drivers/drivers_nftables_templates.go",
         kind="nft", templates="incus", owner="Incus", expect="strong"),
    dict(name="lxd-nftables-templates", repo="canonical/lxd", path="lxd/firewall/drivers/drivers_nftables_templates.go",
         kind="nft", templates="lxd", owner="Lxd", expect="strong"),
    # libvirt's test data are the nft command lines the network driver runs (one argument a line);
    # base.nftables (table and chains) comes first, as the driver runs it first. The driver names
    # the bridge with iif/oif, so the namespace needs a link of that name (a bridge, as libvirt makes it).
    dict(name="libvirt-network-nftables", repo="libvirt/libvirt", kind="nft", argv=True, links=["virbr0"],
         prefix=("tests/networkxml2firewalldata/base.nftables", "42ab0148dd11727f7e3fd31dce4485469af290d5"),
         files=[("tests/networkxml2firewalldata/nat-default-linux.nftables", "a4f38f6ffe6a9edc001d18890ccfc3f38e72fb94"),
                ("tests/networkxml2firewalldata/nat-ipv6-masquerade-linux.nftables", "a4f38f6ffe6a9edc001d18890ccfc3f38e72fb94")],
         owner="Libvirt", expect="strong"),
    # kindnet writes its rule through the netlink library as [masq, counter]; nft 1.0.6 refuses to parse
    # a statement after the terminal masquerade, so the counter (which never counts there) goes first.
    # The same driver's iptables backend: recorded iptables/ip6tables argv, turned into one restore per tool.
    dict(name="libvirt-network-iptables", repo="libvirt/libvirt", argv_iptables=True,
         prefix=("tests/networkxml2firewalldata/base.iptables", "f341bdee8d26980371405988ff2681b719c3a513"),
         files=[("tests/networkxml2firewalldata/nat-port-range-ipv6-linux.iptables", "397c0f4b01ae1b24806a145ffbd31a9a49126ae3")],
         owner="Libvirt", expect="strong"),
    dict(name="kindnet-masq-nftables", repo="aojea/kindnet", path="pkg/masq/masq_test.go", kind="nft", go_field="expectedNftables",
         respell=[("masquerade counter packets 0 bytes 0", "counter packets 0 bytes 0 masquerade")], owner="Kindnet", expect="strong"),
    dict(name="kube-proxy-nftables", repo="kubernetes/kubernetes", commit="030880a5dc5449403c6d1f0aa146a7dc21d6c6dc",
         path="pkg/proxy/nftables/proxier_test.go", kind="nft", go_var="baseRules", owner="KubeProxy", expect="strong"),
]



def template_renders(namespace):
    """The template executions Incus and LXD do for a bridge's outbound NAT (masquerade, SNAT) and its
    network forwards (fwd*: DNAT, hairpin masquerade, SNAT), with our own inputs: the field names are
    those of drivers_nftables.go (networkSetupOutboundNAT, NetworkApplyForwards)."""
    bridge = namespace + "br0"
    base = {"namespace": namespace, "chainSeparator": ".", "networkName": bridge, "family": "inet"}
    masq = {**base, "rules": {"ip": {"Subnet": "198.18.0.0/24", "SNATAddress": None}, "ip6": {"Subnet": "2001:db8:1::/64", "SNATAddress": None}}}
    snat = {**base, "rules": {"ip": {"Subnet": "198.18.0.0/24", "SNATAddress": "198.19.0.1"}, "ip6": {"Subnet": "2001:db8:1::/64", "SNATAddress": "2001:db8:2::1"}}}
    forward = {**base, "chainPrefix": "fwd", "label": bridge,
               "dnatRules": [
                   {"ipFamily": "ip", "protocol": "tcp", "listenAddress": "198.19.0.10", "listenPorts": "80", "targetDest": "198.18.0.5:8080"},
                   {"ipFamily": "ip6", "protocol": "tcp", "listenAddress": "2001:db8:2::10", "listenPorts": "80", "targetDest": "[2001:db8:1::5]:8080"}],
               "snatRules": [
                   {"ipFamily": "ip", "protocol": "tcp", "targetHost": "198.18.0.5", "targetPorts": "8080"},
                   {"ipFamily": "ip", "protocol": "tcp", "targetAddress": "198.18.0.6", "targetPorts": "8080", "listenAddress": "198.19.0.10", "listenPorts": "81"},
                   {"ipFamily": "ip6", "protocol": "tcp", "targetHost": "2001:db8:1::5", "targetPorts": "8080"}]}
    if namespace == "lxd":
        # LXD's forwards write only the hairpin masquerade (its template has no SNAT form).
        forward["snatRules"] = [r for r in forward["snatRules"] if "targetHost" in r]
    return [("nftablesNetOutboundNAT", True, "masquerade", masq), ("nftablesNetOutboundNAT", True, "snat", snat),
            ("nftablesNetProxyNAT", False, "forward", forward)]


KEEP_V4 = [ipaddress.ip_network(n) for n in ("127.0.0.0/8", "0.0.0.0/32", "255.255.255.255/32", "224.0.0.0/4")]
KEEP_V6 = [ipaddress.ip_network(n) for n in ("::1/128", "::/128", "fe80::/10", "ff00::/8")]

V4 = re.compile(r"(?<![\w.:])(\d{1,3}(?:\.\d{1,3}){3})(/\d{1,2})?(?![\w.])")
V6 = re.compile(r"(?<![\w:.])([0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7})(/\d{1,3})?(?![\w:])")


class Swapper:
    """Maps each source /16 (IPv4) to 198.18/16 or 198.19/16 and each source /48 (IPv6) to 2001:db8:<n>::/48, host bits kept."""

    def __init__(self):
        self.v4 = {}
        self.v6 = {}

    def _swap(self, m, parse, keep, host_bits, mapped, new_prefix):
        """The address of match m with its bits above host_bits replaced by mapped[those bits] (a new
        entry from new_prefix(count) on first sight); kept as is when in a keep range or not an address."""
        text, prefix = m.group(1), m.group(2) or ""
        try:
            addr = parse(text)
        except ValueError:
            return m.group(0)
        if any(addr in n for n in keep):
            return m.group(0)
        width = addr.max_prefixlen - host_bits
        if prefix and int(prefix[1:]) < width:
            raise ValueError(f"prefix {m.group(0)} is wider than a /{width}")
        high = int(addr) >> host_bits
        if high not in mapped:
            mapped[high] = new_prefix(len(mapped))
        return str(type(addr)((mapped[high] << host_bits) | (int(addr) & ((1 << host_bits) - 1)))) + prefix

    def swap_v4(self, m):
        def next_v4(count):
            if count == 2:
                raise ValueError("more than two IPv4 /16s")
            return (198 << 8) | (18 + count)
        return self._swap(m, ipaddress.IPv4Address, KEEP_V4, 16, self.v4, next_v4)

    def swap_v6(self, m):
        if "::" not in m.group(1) and m.group(1).count(":") != 7:
            return m.group(0)
        return self._swap(m, ipaddress.IPv6Address, KEEP_V6, 80, self.v6, lambda count: (0x20010DB8 << 16) | (count + 1))

    def derive(self, text):
        text = V6.sub(self.swap_v6, text)
        return V4.sub(self.swap_v4, text)


# nft 1.0.6 (this host) knows the priority name "dstnat" only for the prerouting hook; newer nft
# also prints it for output. Same number (NF_IP_PRI_NAT_DST, -100), so the kernel gets the same chain.
NFT_SPELLINGS = [("hook output priority dstnat;", "hook output priority -100;")]


def respell(kind, text):
    if kind == "nft":
        for old, new in NFT_SPELLINGS:
            text = text.replace(old, new)
    return text

# --- Go text/template, the part Incus's and LXD's nftables templates use: {{.x}}, {{$.x}}, {{$v.Field}},
# {{if}}/{{else}}/{{end}}, {{range $k, $v := .map}} (keys sorted, as Go does), {{range .list}},
# {{eq . "lit"}}, {{template "name" .}}, and the {{- -}} trim markers.

GO_TEMPLATE = re.compile(r'var (\w+) = template\.Must\(template\.New\("[^"]*"\)\.Parse\(`(.*?)`\)\)', re.S)
GO_ACTION = re.compile(r"\{\{(-?)\s*(.*?)\s*(-?)\}\}", re.S)


def go_templates(text):
    return {m.group(1): m.group(2) for m in GO_TEMPLATE.finditer(text)}


def go_parse(src):
    """Tokens: ("text", s) and ("action", s) with the trim markers applied."""
    tokens, pos = [], 0
    for m in GO_ACTION.finditer(src):
        text = src[pos:m.start()]
        if m.group(1):
            text = text.rstrip()
        tokens.append(["text", text])
        tokens.append(["action", m.group(2), bool(m.group(3))])
        pos = m.end()
    tokens.append(["text", src[pos:]])
    for i, t in enumerate(tokens):
        if t[0] == "action" and t[2] and i + 1 < len(tokens):
            tokens[i + 1][1] = tokens[i + 1][1].lstrip()
    return tokens


def go_tree(tokens, i=0, stop=("end",)):
    nodes = []
    while i < len(tokens):
        t = tokens[i]
        if t[0] == "text":
            nodes.append(("text", t[1]))
            i += 1
            continue
        a = t[1]
        word = a.split()[0] if a else ""
        if word in stop:
            return nodes, i
        if a.startswith("/*"):
            i += 1
        elif word in ("if", "range"):
            body, i = go_tree(tokens, i + 1, ("end", "else"))
            other = []
            if tokens[i][1] == "else":
                other, i = go_tree(tokens, i + 1, ("end",))
            nodes.append((word, a[len(word):].strip(), body, other))
            i += 1
        else:
            nodes.append(("action", a))
            i += 1
    return nodes, i


def go_value(expr, dot, root, vars):
    expr = expr.strip()
    if expr.startswith('"'):
        return expr.strip('"')
    if expr.startswith("eq "):
        a, b = expr[3:].split(None, 1)
        return go_value(a, dot, root, vars) == go_value(b, dot, root, vars)
    if expr == ".":
        return dot
    if expr.startswith("$."):
        base, path = root, expr[2:]
    elif expr.startswith("$"):
        name, _, path = expr[1:].partition(".")
        base = vars[name]
    else:
        base, path = dot, expr[1:]
    for part in filter(None, path.split(".")):
        base = base.get(part) if isinstance(base, dict) else None
    return base


def go_render(nodes, dot, root, vars, templates):
    out = []
    for n in nodes:
        if n[0] == "text":
            out.append(n[1])
        elif n[0] == "action":
            if n[1].startswith("template "):
                _, name, arg = n[1].split(None, 2)
                sub, _ = go_tree(go_parse(templates[name.strip('"')]))
                out.append(go_render(sub, go_value(arg, dot, root, vars), root, {}, templates))
            else:
                value = go_value(n[1], dot, root, vars)
                out.append("" if value is None else str(value))
        elif n[0] == "if":
            branch = n[2] if go_value(n[1], dot, root, vars) else n[3]
            out.append(go_render(branch, dot, root, vars, templates))
        elif n[0] == "range":
            header = n[1]
            if ":=" in header:
                names, expr = header.split(":=")
                key, val = [x.strip().lstrip("$") for x in names.split(",")]
                items = sorted(go_value(expr, dot, root, vars).items())
                for k, v in items:
                    out.append(go_render(n[2], v, root, {**vars, key: k, val: v}, templates))
            else:
                for v in go_value(header, dot, root, vars):
                    out.append(go_render(n[2], v, root, vars, templates))
    return "".join(out)


def render_nft_template(go_file_text, name, fields, common_table=True):
    """What the driver feeds nft -f: with common_table (applyNftConfig), nftablesCommonTable with the
    named template as its content; otherwise the template alone."""
    templates = go_templates(go_file_text)
    templates["nftablesContent"] = templates[name]
    tree, _ = go_tree(go_parse(templates["nftablesCommonTable" if common_table else name]))
    return go_render(tree, fields, fields, {}, templates)



def git(gitdir, *args):
    return subprocess.run(["git", "--git-dir", gitdir, *args], check=True, capture_output=True, text=True).stdout


def kind_of(name):
    if name.endswith("__ip.golden") or name.endswith("__ip6.golden"):
        return "nft"
    if name.endswith("__iptables.golden"):
        return "iptables"
    if name.endswith("__ip6tables.golden"):
        return "ip6tables"
    return None


def load(ns, kind, text, links=()):
    """Loads one ruleset into a fresh namespace (with bridges of the given names); returns the tool's complaint or None."""
    command = {"nft": ["nft", "-f", "-"], "iptables": ["iptables-nft-restore"], "ip6tables": ["ip6tables-nft-restore"]}[kind]
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        for link in links:
            subprocess.run(["ip", "-n", ns, "link", "add", link, "type", "bridge"], check=True)
        result = subprocess.run(["ip", "netns", "exec", ns, *command], input=text, capture_output=True, text=True)
        return None if result.returncode == 0 else (result.stderr.strip() or f"exit {result.returncode}")
    finally:
        subprocess.run(["ip", "netns", "del", ns], check=True)


def nft_argv_script(text):
    """libvirt's recorded commands ("nft \\" then one argument a line) as an nft -f script; list commands dropped."""
    commands = []
    for command in text.replace("\\\n", " ").split("\n"):
        args = [a.strip("'") for a in re.findall(r"'[^']*'|\S+", command)]
        if not args:
            continue
        if args[0] != "nft":
            raise ValueError(f"not an nft command: {command}")
        args = [a for a in args[1:] if a != "-ae"]
        if args[0] != "list":
            commands.append(" ".join(args))
    return "\n".join(commands) + "\n"


def iptables_argv_restores(text):
    """libvirt's recorded iptables/ip6tables commands (one argument a line) as one iptables-restore
    input per tool: --new-chain declares the chain, --insert/--append become -I/-A in the same order,
    --list-rules is dropped."""
    tables = {}  # tool -> table -> (chains, rules)
    for command in text.replace("\\\n", " ").split("\n"):
        args = [a.strip("'") for a in re.findall(r"'[^']*'|\S+", command)]
        if not args:
            continue
        tool, args = args[0], [a for a in args[1:] if a != "-w"]
        if tool not in ("iptables", "ip6tables") or args[0] != "--table":
            raise ValueError(f"not an iptables command with --table: {command}")
        table, args = args[1], args[2:]
        chains, rules = tables.setdefault(tool, {}).setdefault(table, ([], []))
        if args[0] == "--list-rules":
            continue
        if args[0] == "--new-chain":
            chains.append(args[1])
        elif args[0] in ("--insert", "--append"):
            rules.append(("-I " if args[0] == "--insert" else "-A ") + " ".join(args[1:]))
        else:
            raise ValueError(f"unknown iptables command: {command}")
    return {tool: "".join(f"*{table}\n" + "".join(f":{c} - [0:0]\n" for c in chains) + "".join(r + "\n" for r in rules) + "COMMIT\n"
                          for table, (chains, rules) in by_table.items())
            for tool, by_table in tables.items()}


def dedent(text):
    """Text without the indentation its lines share (Go's dedent.Dedent, for tabs or spaces)."""
    lines = text.split("\n")
    cut = min(len(l) - len(l.lstrip()) for l in lines if l.strip())
    return "\n".join(l[cut:] if l.strip() else "" for l in lines).strip("\n") + "\n"


def go_field_strings(text, field):
    """Every `<field>: `...`` raw string of a table-driven Go test, dedented."""
    return [dedent(m.group(1)) for m in re.finditer(re.escape(field) + r":\s*`(.*?)`", text, re.S)]


def go_raw_string(text, variable):
    """The dedented content of `var <variable> = dedent.Dedent(`...`)` in a Go file."""
    m = re.search(r"var " + re.escape(variable) + r" = dedent\.Dedent\(`(.*?)`\)", text, re.S)
    if not m:
        raise ValueError(f"no var {variable} = dedent.Dedent(`...`)")
    return dedent(m.group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mirror-root", default="/work/.mirror")
    parser.add_argument("--cache", default="/tmp/controller-sources")
    args = parser.parse_args()
    os.makedirs(OUT_DIR, exist_ok=True)
    ns = "snattools-derive-" + uuid.uuid4().hex[:8]

    for src in SOURCES:
        name, repo, path = src["name"], src["repo"], src.get("path")
        gitdir = os.path.join(args.mirror_root, repo.replace("/", "+"), "repo")
        if "files" in src:
            commit = ", ".join(sorted({c for _, c in src["files"]} | ({src["prefix"][1]} if "prefix" in src else set())))
            files = [f for f, _ in src["files"]]
            directory = os.path.dirname(files[0])
            files = [os.path.basename(f) for f in files]
            read = lambda f: open(os.path.join(args.cache, repo.replace("/", "+"), directory, f), encoding="utf-8").read()
        elif "commit" in src:
            commit = src["commit"]
            files = [os.path.basename(path)]
            directory = os.path.dirname(path)
            read = lambda f: open(os.path.join(args.cache, repo.replace("/", "+"), directory, f), encoding="utf-8").read()
        else:
            commit = git(gitdir, "rev-parse", "HEAD").strip()
            if "kind" in src:
                directory, files = os.path.dirname(path), [os.path.basename(path)]
            else:
                directory = path
                files = sorted(f for f in git(gitdir, "ls-tree", "--name-only", f"{commit}:{directory}").split("\n") if kind_of(f))
            read = lambda f: git(gitdir, "show", f"{commit}:{directory}/{f}")
        sections = {}  # (kind, derived text) -> [golden names]
        refused = []
        inputs = []
        for f in files:
            if "templates" in src:
                go = read(f)
                inputs += [(f"{f}:{tpl}:{variant}", render_nft_template(go, tpl, fields, common))
                           for tpl, common, variant, fields in template_renders(src["templates"])]
            elif "argv_iptables" in src:
                before = read(os.path.basename(src["prefix"][0])) if "prefix" in src else ""
                inputs += [(f"{f}:{tool}", restore, tool) for tool, restore in iptables_argv_restores(before + read(f)).items()]
            elif "argv" in src:
                before = nft_argv_script(read(os.path.basename(src["prefix"][0]))) if "prefix" in src else ""
                inputs.append((f, before + nft_argv_script(read(f))))
            elif "go_field" in src:
                inputs += [(f"{f}:{src['go_field']}#{i + 1}", t) for i, t in enumerate(go_field_strings(read(f), src["go_field"]))]
            elif "go_var" in src:
                inputs.append((f"{f}:{src['go_var']}", go_raw_string(read(f), src["go_var"])))
            else:
                inputs.append((f, read(f)))
        for label, text, *kinds in inputs:
            kind = kinds[0] if kinds else src.get("kind") or kind_of(label)
            try:
                # Template inputs are ours, already in the documentation ranges.
                derived = text if "templates" in src else Swapper().derive(text)
            except ValueError as e:
                refused.append((label, str(e)))
                continue
            derived = respell(kind, derived)
            for old, new in src.get("respell", ()):
                derived = derived.replace(old, new)
            if not derived.endswith("\n"):
                derived += "\n"
            key = (kind, derived)
            if key in sections:
                sections[key].append(label)
                continue
            complaint = load(ns, kind, derived, src.get("links", ()))
            if complaint:
                refused.append((label, complaint.replace("\n", " | ")[:200]))
                continue
            sections[key] = [label]

        out = os.path.join(OUT_DIR, name + ".txt")
        listed = ([os.path.basename(src["prefix"][0])] if "prefix" in src else []) + files
        shown = directory + ("/*.golden" if "kind" not in src and "files" not in src else "/" + (listed[0] if len(listed) == 1 else "{" + ",".join(listed) + "}"))
        with open(out, "w", encoding="utf-8") as w:
            w.write(f"# Derived by tests/tools/derive-controller-goldens.py from {repo}@{commit}\n")
            w.write(f"#   {shown}" + (f" (var {src['go_var']})" if "go_var" in src else "") + (f" (every {src['go_field']}: `...`)" if "go_field" in src else "") + "\n")
            for old, new in src.get("respell", ()):
                w.write(f"# Respelled for nft 1.0.6: '{old}' -> '{new}'.\n")
            if "templates" in src:
                w.write("# Templates rendered (Go text/template semantics) with our own inputs, as the driver executes them:\n")
                w.write("# outbound NAT of a bridge (masquerade; SNAT) and its network forwards (fwd* chains).\n")
            w.write("# Our own data: every address swapped into 198.18.0.0/15 and 2001:db8::/32, nothing else changed;\n")
            w.write("# only rulesets the kernel here accepted (loaded with nft -f / iptables-nft-restore). Identical\n")
            w.write("# derived rulesets are kept once, under all their golden names. nft 1.0.6 spellings: 'hook output\n")
            w.write("# priority dstnat' is written 'priority -100' (the same value; the old nft knows the name only for prerouting).\n")
            w.write(f"# goldens read: {len(inputs)}, kept: {sum(len(v) for v in sections.values())}, refused: {len(refused)}\n")
            for f, why in refused:
                w.write(f"# refused {f}: {why}\n")
            w.write(f"@owner {src['owner']} {src['expect']}\n")
            if src.get("links"):
                w.write(f"@links {' '.join(src['links'])}\n")
            for (kind, derived), names in sections.items():
                w.write(f"@golden {kind} {' '.join(names)}\n")
                w.write(derived)
        print(f"{name}: {len(inputs)} goldens, {sum(len(v) for v in sections.values())} kept in {len(sections)} rulesets, {len(refused)} refused -> {out}")


if __name__ == "__main__":
    sys.exit(main())
