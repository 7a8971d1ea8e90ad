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

# name, repository, directory in it, expectation for the test (see OwnerGoldenCorpus.cs):
#   "strong": every NAT rule is the owner's with table/chain/comment evidence;
#   "interface": the owner's rules carry no mark but their bridge, so a rule with an out interface
#                is the owner's as a weak guess and a rule without one is Unknown.
SOURCES = [
    ("docker-nftabler", "moby/moby", "daemon/libnetwork/drivers/bridge/internal/nftabler/testdata/TestNftabler", "Docker", "strong"),
    ("docker-iptabler", "moby/moby", "daemon/libnetwork/drivers/bridge/internal/iptabler/testdata/TestIptabler", "Docker", "interface"),
]

KEEP_V4 = [ipaddress.ip_network(n) for n in ("127.0.0.0/8", "0.0.0.0/32", "255.255.255.255/32", "224.0.0.0/4")]
KEEP_V6 = [ipaddress.ip_network(n) for n in ("::1/128", "::/128", "fe80::/10", "ff00::/8")]

V4 = re.compile(r"(?<![\w.:])(\d{1,3}(?:\.\d{1,3}){3})(/\d{1,2})?(?![\w.])")
V6 = re.compile(r"(?<![\w:.])([0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7})(/\d{1,3})?(?![\w:])")


class Swapper:
    """Maps each source /16 (IPv4) to 198.18/16 or 198.19/16 and each source /48 (IPv6) to 2001:db8:<n>::/48, host bits kept."""

    def __init__(self):
        self.v4 = {}
        self.v6 = {}

    def swap_v4(self, m):
        text, prefix = m.group(1), m.group(2) or ""
        try:
            addr = ipaddress.IPv4Address(text)
        except ValueError:
            return m.group(0)
        if any(addr in n for n in KEEP_V4):
            return m.group(0)
        if prefix and int(prefix[1:]) < 16:
            raise ValueError(f"IPv4 prefix {m.group(0)} is wider than a /16")
        high = int(addr) >> 16
        if high not in self.v4:
            if len(self.v4) == 2:
                raise ValueError("more than two IPv4 /16s")
            self.v4[high] = (198 << 8) | (18 + len(self.v4))
        return str(ipaddress.IPv4Address((self.v4[high] << 16) | (int(addr) & 0xFFFF))) + prefix

    def swap_v6(self, m):
        text, prefix = m.group(1), m.group(2) or ""
        if "::" not in text and text.count(":") != 7:
            return m.group(0)
        try:
            addr = ipaddress.IPv6Address(text)
        except ValueError:
            return m.group(0)
        if any(addr in n for n in KEEP_V6):
            return m.group(0)
        if prefix and int(prefix[1:]) < 48:
            raise ValueError(f"IPv6 prefix {m.group(0)} is wider than a /48")
        high = int(addr) >> 80
        if high not in self.v6:
            self.v6[high] = (0x20010DB8 << 16) | (len(self.v6) + 1)
        return str(ipaddress.IPv6Address((self.v6[high] << 80) | (int(addr) & ((1 << 80) - 1)))) + prefix

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


def load(ns, kind, text):
    """Loads one ruleset into a fresh namespace; returns the tool's complaint or None."""
    command = {"nft": ["nft", "-f", "-"], "iptables": ["iptables-nft-restore"], "ip6tables": ["ip6tables-nft-restore"]}[kind]
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        result = subprocess.run(["ip", "netns", "exec", ns, *command], input=text, capture_output=True, text=True)
        return None if result.returncode == 0 else (result.stderr.strip() or f"exit {result.returncode}")
    finally:
        subprocess.run(["ip", "netns", "del", ns], check=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mirror-root", default="/work/.mirror")
    args = parser.parse_args()
    os.makedirs(OUT_DIR, exist_ok=True)
    ns = "snattools-derive-" + uuid.uuid4().hex[:8]

    for name, repo, directory, owner, expectation in SOURCES:
        gitdir = os.path.join(args.mirror_root, repo.replace("/", "+"), "repo")
        commit = git(gitdir, "rev-parse", "HEAD").strip()
        files = sorted(f for f in git(gitdir, "ls-tree", "--name-only", f"{commit}:{directory}").split("\n") if kind_of(f))
        sections = {}  # (kind, derived text) -> [golden names]
        refused = []
        for f in files:
            text = git(gitdir, "show", f"{commit}:{directory}/{f}")
            try:
                derived = Swapper().derive(text)
            except ValueError as e:
                refused.append((f, str(e)))
                continue
            derived = respell(kind_of(f), derived)
            if not derived.endswith("\n"):
                derived += "\n"
            key = (kind_of(f), derived)
            if key in sections:
                sections[key].append(f)
                continue
            complaint = load(ns, key[0], derived)
            if complaint:
                refused.append((f, complaint.replace("\n", " | ")[:200]))
                continue
            sections[key] = [f]

        out = os.path.join(OUT_DIR, name + ".txt")
        with open(out, "w", encoding="utf-8") as w:
            w.write(f"# Derived by tests/tools/derive-controller-goldens.py from {repo}@{commit}\n")
            w.write(f"#   {directory}/*.golden\n")
            w.write("# Our own data: every address swapped into 198.18.0.0/15 and 2001:db8::/32, nothing else changed;\n")
            w.write("# only rulesets the kernel here accepted (loaded with nft -f / iptables-nft-restore). Identical\n")
            w.write("# derived rulesets are kept once, under all their golden names. nft 1.0.6 spellings: 'hook output\n")
            w.write("# priority dstnat' is written 'priority -100' (the same value; the old nft knows the name only for prerouting).\n")
            w.write(f"# goldens read: {len(files)}, kept: {sum(len(v) for v in sections.values())}, refused: {len(refused)}\n")
            for f, why in refused:
                w.write(f"# refused {f}: {why}\n")
            w.write(f"@owner {owner} {expectation}\n")
            for (kind, derived), names in sections.items():
                w.write(f"@golden {kind} {' '.join(names)}\n")
                w.write(derived)
        print(f"{name}: {len(files)} goldens, {sum(len(v) for v in sections.values())} kept in {len(sections)} rulesets, {len(refused)} refused -> {out}")


if __name__ == "__main__":
    sys.exit(main())
