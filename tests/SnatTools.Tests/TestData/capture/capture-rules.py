#!/usr/bin/env python3
"""Re-captures the rule TestData/*.hex files from the running kernel (run as root).

Each capture loads a ruleset with the real tools into a fresh network namespace, then records
what the kernel sent back: nf_tables GETRULE dumps via `strace -e read=` of `nft list table`,
x_tables blobs via `strace -xx` of iptables-legacy-save's getsockopt calls. The SNAT revision 2
rule is written with a hand-built nf_tables batch (iptables never sends revision 2).
Usage: capture-rules.py OUTPUT_DIR
"""
import ctypes, os, re, socket, struct, subprocess, sys, tempfile, uuid, datetime

OUT = sys.argv[1]
KERNEL = os.uname().release
TODAY = datetime.date.today().isoformat()

def run(*args, stdin=None):
    return subprocess.run(args, input=stdin, check=True, capture_output=True, text=True).stdout

class Namespace:
    def __enter__(self):
        self.name = "snattools-capture-" + uuid.uuid4().hex[:8]
        run("ip", "netns", "add", self.name)
        return self
    def __exit__(self, *a):
        subprocess.run(["ip", "netns", "del", self.name])
    def exec(self, *args, stdin=None):
        return run("ip", "netns", "exec", self.name, *args, stdin=stdin)

def strace_reads(ns, command):
    """Datagrams received by `command` (every recvmsg), as lists of byte values."""
    with tempfile.NamedTemporaryFile("r", suffix=".strace") as log:
        ns.exec("strace", "-f", "-e", "trace=recvmsg", "-e", "read=3,4,5,6", "-o", log.name, *command)
        datagrams, current = [], None
        for line in open(log.name):
            if "recvmsg(" in line:
                if current:
                    datagrams.append(current)
                current = []
            m = re.match(r"\s*\d*\s*\| [0-9a-f]{5}  ((?:[0-9a-f]{2} {1,2}){1,16})", line)
            if m and current is not None:
                current += [int(b, 16) for b in m.group(1).split()]
        if current:
            datagrams.append(current)
        return datagrams

def strace_getsockopt(ns, command):
    """The optval buffers getsockopt returned to `command`, in call order."""
    with tempfile.NamedTemporaryFile("r", suffix=".strace") as log:
        ns.exec("strace", "-f", "-xx", "-s", "1000000", "-e", "trace=getsockopt", "-o", log.name, *command)
        buffers = []
        for line in open(log.name):
            m = re.search(r'getsockopt\(\d+, \w+, (\w+), "((?:\\x[0-9a-f]{2})*)"', line)
            if m and m.group(1) in ("IPT_SO_GET_INFO", "IPT_SO_GET_ENTRIES", "IP6T_SO_GET_INFO", "IP6T_SO_GET_ENTRIES"):
                buffers.append(bytes.fromhex(m.group(2).replace("\\x", "")))
        return buffers

def write(name, header, datagrams):
    with open(os.path.join(OUT, name), "w") as f:
        for line in header:
            f.write("# " + line + "\n")
        for d in datagrams:
            f.write("\n")
            for i in range(0, len(d), 16):
                chunk = d[i:i + 16]
                f.write(" ".join("%02x" % b for b in chunk[:8]) + ("  " + " ".join("%02x" % b for b in chunk[8:]) if len(chunk) > 8 else "") + "\n")

def nft_batch(ns_name, messages):
    """Sends one nf_tables batch in the namespace (python's own netlink socket; for test data only)."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open("/run/netns/" + ns_name, os.O_RDONLY)
    original = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    if libc.setns(fd, 0x40000000) != 0:
        raise SystemExit("setns failed")
    try:
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)
    finally:
        libc.setns(original, 0x40000000)
    s.bind((0, 0))
    def msg(mtype, flags, seq, family, payload):
        body = struct.pack("BBH", family, 0, socket.htons(10) if mtype == 0x10 else 0) + payload
        return struct.pack("IHHII", 16 + len(body), mtype, flags, seq, 0) + body
    data = msg(0x10, 1, 1, 0, b"")
    for i, (mtype, family, payload) in enumerate(messages):
        data += msg(mtype, 0x1 | 0x4 | 0x400 | 0x800, 2 + i, family, payload)
    data += msg(0x11, 1, 99, 0, b"")
    s.send(data)
    reply = s.recv(65536)
    error = struct.unpack_from("i", reply, 16)[0]
    if error != 0:
        raise SystemExit("batch refused: errno %d" % -error)

def attr(atype, value):
    length = 4 + len(value)
    return struct.pack("HH", length, atype) + value + b"\0" * ((4 - length % 4) % 4)

def nest(atype, *children):
    return attr(atype | 0x8000, b"".join(children))

IPTABLES_V4 = """*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE
-A POSTROUTING -o eth0 -p tcp -j MASQUERADE --to-ports 1024-65535 --random
-A POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A POSTROUTING -s 198.18.1.0/24 -p tcp -m tcp --dport 80 -j SNAT --to-source 198.19.0.1-198.19.0.5:1000-2000 --random --persistent
-A POSTROUTING -p udp -j SNAT --to-source 198.19.0.9 --random-fully
COMMIT
"""

IPTABLES_V6 = """*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -s 2001:db8:1::/64 -j MASQUERADE --random-fully
-A POSTROUTING -p tcp -j MASQUERADE --to-ports 2000-3000
-A POSTROUTING -s 2001:db8:2::/64 -p tcp -j SNAT --to-source [2001:db8::1-2001:db8::9]:1000-2000 --persistent
-A POSTROUTING -o eth1 -j SNAT --to-source 2001:db8::7 --random
COMMIT
"""

NATIVE = """table inet natx {
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname != "lo" masquerade
		ip saddr 198.18.0.0/15 meta l4proto tcp masquerade to :1024-65535 random,persistent
		ip6 saddr 2001:db8::/64 meta l4proto udp snat ip6 to [2001:db8::1]-[2001:db8::5]:1000-2000 fully-random comment "v6 pool"
		tcp dport 443 counter snat ip to 198.19.0.1-198.19.0.9:2000 random
		ct state new,established masquerade fully-random
	}
}
table ip kube-proxy {
	chain nat-postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		jump masquerading
	}
	chain masquerading {
		meta mark & 0x00004000 == 0x00000000 return
		meta mark set meta mark ^ 0x00004000
		masquerade fully-random
	}
}
"""

def main():
    header = lambda what, how, unit="Each recvmsg is one datagram": [what + ", kernel " + KERNEL + ", captured " + TODAY + " with capture/capture-rules.py:", "  " + how,
                                unit + "; a blank line separates them."]
    with Namespace() as ns:
        ns.exec("iptables-nft-restore", stdin=IPTABLES_V4)
        write("nft-iptables-nat-ipv4.hex", header("nf_tables dump of an iptables-nft nat table (MASQUERADE rev 0, SNAT rev 0)",
              "iptables-nft-restore of the rules below, then strace -e read= nft list table ip nat") +
              ["  " + l for l in ns.exec("iptables-nft-save", "-t", "nat").splitlines() if l.startswith("-A")],
              strace_reads(ns, ["nft", "list", "table", "ip", "nat"]))
        ns.exec("ip6tables-nft-restore", stdin=IPTABLES_V6)
        write("nft-iptables-nat-ipv6.hex", header("nf_tables dump of an ip6tables-nft nat table (MASQUERADE rev 0 nf_nat_range, SNAT rev 1)",
              "ip6tables-nft-restore of the rules below, then strace -e read= nft list table ip6 nat") +
              ["  " + l for l in ns.exec("ip6tables-nft-save", "-t", "nat").splitlines() if l.startswith("-A")],
              strace_reads(ns, ["nft", "list", "table", "ip6", "nat"]))
        # SNAT revision 2 (struct nf_nat_range2, 48 bytes): MAP_IPS|PROTO_SPECIFIED|RANDOM_FULLY,
        # 198.19.0.1-198.19.0.2, ports 3000-4000, base 0. Appended to ip nat POSTROUTING.
        info = struct.pack("<I", 0x13) + socket.inet_aton("198.19.0.1") + b"\0" * 12 + socket.inet_aton("198.19.0.2") + b"\0" * 12 \
            + struct.pack(">HHH", 3000, 4000, 0) + b"\0" * 6
        target = nest(1, attr(1, b"target\0"), nest(2, attr(1, b"SNAT\0"), attr(2, struct.pack(">I", 2)), attr(3, info)))
        counter = nest(1, attr(1, b"counter\0"), nest(2, attr(1, struct.pack(">Q", 0)), attr(2, struct.pack(">Q", 0))))
        nft_batch(ns.name, [(0x0a06, 2, attr(1, b"nat\0") + attr(2, b"POSTROUTING\0") + nest(4, counter, target) +
                             nest(5, attr(1, struct.pack(">I", 0)), attr(2, struct.pack(">I", 0))))])
        write("nft-iptables-snat-rev2.hex", header("nf_tables dump of ip nat with an x_tables SNAT revision 2 target (nf_nat_range2)",
              "iptables-nft-restore as nft-iptables-nat-ipv4.hex, plus one rule [counter, target SNAT rev 2] appended by a raw batch: " +
              "flags 0x13, 198.19.0.1-198.19.0.2, ports 3000-4000; then strace -e read= nft list table ip nat") +
              ["  iptables-nft-save (1.8.9 decodes rev 2 as rev 0, so its last line is wrong):"] +
              ["  " + l for l in ns.exec("iptables-nft-save", "-t", "nat").splitlines() if l.startswith("-A")],
              strace_reads(ns, ["nft", "list", "table", "ip", "nat"]))
    with Namespace() as ns:
        ns.exec("nft", "-f", "-", stdin=NATIVE)
        write("nft-native-nat.hex", header("nf_tables dump of native masquerade/snat rules (inet and ip tables)",
              "nft -f of the ruleset below, then strace -e read= nft list ruleset") +
              ["  " + l for l in ns.exec("nft", "list", "ruleset").splitlines()],
              strace_reads(ns, ["nft", "list", "ruleset"]))
    with Namespace() as ns:
        ns.exec("iptables-legacy-restore", stdin=IPTABLES_V4.replace("COMMIT", ":KUBE-POSTROUTING - [0:0]\n-A POSTROUTING -j KUBE-POSTROUTING\n-A KUBE-POSTROUTING -j MASQUERADE\nCOMMIT"))
        write("ipt-legacy-nat.hex", header("iptables-legacy nat table: IPT_SO_GET_INFO then IPT_SO_GET_ENTRIES buffers (not netlink)",
              "iptables-legacy-restore of the rules below, then strace -xx -e trace=getsockopt iptables-legacy-save -t nat",
              "Each block is one getsockopt optval as returned (struct ipt_getinfo, then struct ipt_get_entries with the entries)") +
              ["  " + l for l in ns.exec("iptables-legacy-save", "-t", "nat").splitlines() if l.startswith("-A")],
              [list(b) for b in strace_getsockopt(ns, ["iptables-legacy-save", "-t", "nat"])])
        ns.exec("ip6tables-legacy-restore", stdin=IPTABLES_V6)
        write("ip6t-legacy-nat.hex", header("ip6tables-legacy nat table: IP6T_SO_GET_INFO then IP6T_SO_GET_ENTRIES buffers (not netlink)",
              "ip6tables-legacy-restore of the rules below, then strace -xx -e trace=getsockopt ip6tables-legacy-save -t nat",
              "Each block is one getsockopt optval as returned (struct ip6t_getinfo, then struct ip6t_get_entries with the entries)") +
              ["  " + l for l in ns.exec("ip6tables-legacy-save", "-t", "nat").splitlines() if l.startswith("-A")],
              [list(b) for b in strace_getsockopt(ns, ["ip6tables-legacy-save", "-t", "nat"])])

main()
