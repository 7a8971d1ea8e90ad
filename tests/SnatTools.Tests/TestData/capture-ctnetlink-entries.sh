#!/bin/bash
# Captures a ctnetlink IPCTNL_MSG_CT_GET dump (conntrack -L) with source-NATed IPv4 and IPv6
# entries, inside a throw-away network namespace, as TestData hex (a blank line between datagrams).
# Usage: capture-ctnetlink-entries.sh <out.hex>   (needs root, nft, conntrack, strace, python3)
set -euo pipefail
OUT=$1
NS=snattools-capture-$$
ip netns add "$NS"
trap 'ip netns del "$NS"' EXIT
X="ip netns exec $NS"
$X ip link set lo up
$X ip link add d0 type veth peer name d1
$X ip link set d0 up
$X ip link set d1 up
$X ip addr add 198.18.0.1/24 dev d0
$X ip -6 addr add 2001:db8::1/64 dev d0 nodad
$X nft -f - <<'NFT'
table ip raw {
  chain out {
    type filter hook output priority raw; policy accept;
    udp dport 5353 ct zone set 7
  }
}
table ip mangle {
  chain out {
    type filter hook output priority mangle; policy accept;
    udp dport 123 ct mark set 0x2a
  }
}
table ip nat {
  chain post {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "d0" snat to 198.18.0.9 fully-random
  }
}
table ip6 nat {
  chain post {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "d0" snat to 2001:db8::9 fully-random
  }
}
NFT
$X python3 - <<'PY'
import socket, struct, time
def udp(family, addr, port, bind=None):
    s = socket.socket(family, socket.SOCK_DGRAM)
    if bind: s.bind(bind)
    s.sendto(b'x', (addr, port)); s.close()
def syn(family, addr, port):
    s = socket.socket(family, socket.SOCK_STREAM); s.setblocking(False)
    try: s.connect((addr, port))
    except BlockingIOError: pass
    return s
for _ in range(2): udp(socket.AF_INET, '198.18.0.2', 53)
udp(socket.AF_INET, '198.18.0.2', 53, ('198.18.0.1', 700))   # original port below 1024
udp(socket.AF_INET, '198.18.0.2', 5353)                      # zone 7
udp(socket.AF_INET, '198.18.0.2', 123)                       # ct mark 42
udp(socket.AF_INET, '127.0.0.1', 9)                          # not NATed (lo)
keep = [syn(socket.AF_INET, '198.18.0.2', 443)]
for _ in range(2): udp(socket.AF_INET6, '2001:db8::2', 53)
keep.append(syn(socket.AF_INET6, '2001:db8::2', 443))
icmp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
def checksum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
echo = struct.pack('!BBHHH', 8, 0, 0, 0x1234, 1) + b'snattools'
echo += b'\0' * (len(echo) % 2)
echo = echo[:2] + struct.pack('!H', checksum(echo)) + echo[4:]
icmp.sendto(echo, ('198.18.0.2', 0))
time.sleep(0.2)
PY
$X strace -o /tmp/strace.$$ -e trace=recvmsg -e read=3 conntrack -L >/tmp/oracle.$$ 2>/dev/null || true
{
  echo "# ctnetlink IPCTNL_MSG_CT_GET dump (AF_UNSPEC: IPv4 and IPv6), kernel $(uname -r), captured $(date -u +%F) with"
  echo "# tests/SnatTools.Tests/TestData/capture-ctnetlink-entries.sh: a namespace whose nat postrouting does"
  echo "# 'snat to 198.18.0.9 fully-random' / 'snat to 2001:db8::9 fully-random' on a veth, then"
  echo "#   ip netns exec <ns> strace -e trace=recvmsg -e read=3 conntrack -L"
  echo "# A blank line separates datagrams. conntrack -L printed:"
  sed 's/^/#   /' /tmp/oracle.$$
  awk '
    /^recvmsg\(/ { if (n) print ""; n = 0; next }
    /^ \| [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / { line = substr($0, 11, 49); gsub(/  +/, " ", line); sub(/ +$/, "", line); print line; n++ }
  ' /tmp/strace.$$
} >"$OUT"
rm -f /tmp/strace.$$ /tmp/oracle.$$
