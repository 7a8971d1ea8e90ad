using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using CsCheck;
using SnatTools.Core.Conntrack;
using SnatTools.Core.Netlink;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Conntrack;

public sealed partial class ConntrackEntryDecodeTests
{
    private const string Capture = "ctnetlink-get-conntrack.hex";

    [Fact]
    public void Every_captured_entry_decodes_to_what_conntrack_L_printed_for_it()
    {
        var entries = DecodeAll(Capture);
        var printed = OracleLines(Capture);

        Assert.Equal(printed.Count, entries.Count);
        Assert.Equal(
            printed.Order(StringComparer.Ordinal),
            entries.Select(AsConntrackPrintsIt).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_capture_holds_ipv6_source_nat_with_both_tuples_decoded()
    {
        var tcp6 = DecodeAll(Capture).Single(e => e.Family == AddressFamily.InterNetworkV6 && e.Original.Protocol == IpProtocol.Tcp);

        Assert.Equal(IPAddress.Parse("2001:db8::1"), tcp6.Original.Source);
        Assert.Equal(IPAddress.Parse("2001:db8::2"), tcp6.Original.Destination);
        Assert.Equal((ushort)443, tcp6.Original.DestinationPort);
        Assert.Equal(IPAddress.Parse("2001:db8::9"), tcp6.NatAddress);
        Assert.True(tcp6.IsSourceNat);
        Assert.Equal(ConntrackStatus.Confirmed | ConntrackStatus.SourceNat | ConntrackStatus.SourceNatDone | ConntrackStatus.DestinationNatDone, tcp6.Status);
        Assert.NotEqual(tcp6.Original.SourcePort, tcp6.NatPort); // fully-random picked a new port
        Assert.Equal(2u, tcp6.Use);
        // CTA_PROTOINFO gives the TCP state; its window scales and flags are read past, so nothing is left over.
        Assert.Equal(TcpConntrackState.SynSent, tcp6.TcpState);
        Assert.Empty(tcp6.Unknown);
    }

    [Fact]
    public void Every_captured_tcp_entry_has_the_state_conntrack_L_printed_and_others_have_none()
    {
        var entries = DecodeAll(Capture);
        var states = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", Capture))
            .Where(line => line.StartsWith("#   tcp ", StringComparison.Ordinal))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[4])
            .ToArray();

        var tcp = entries.Where(e => e.Original.Protocol == IpProtocol.Tcp).ToArray();
        Assert.Equal(states.Length, tcp.Length);
        Assert.All(states, state => Assert.Equal("SYN_SENT", state));
        Assert.All(tcp, e => Assert.Equal(TcpConntrackState.SynSent, e.TcpState));
        Assert.All(entries.Where(e => e.Original.Protocol != IpProtocol.Tcp), e => Assert.Null(e.TcpState));
        Assert.All(entries, e => Assert.Null(e.SctpState));
    }

    [Fact]
    public void Tcp_and_sctp_states_are_decoded_and_any_other_protocol_info_is_kept_whole()
    {
        var tcp = DecodeProtoInfo(CtaProtoInfo.Tcp, (CtaProtoInfo.State, [(byte)TcpConntrackState.TimeWait]), (2, [7]), (3, [7]), (4, [0x23, 0x00]), (5, [0x23, 0x00]));
        Assert.Equal(TcpConntrackState.TimeWait, tcp.TcpState);
        Assert.Empty(tcp.Unknown);

        var sctp = DecodeProtoInfo(CtaProtoInfo.Sctp, (CtaProtoInfo.State, [(byte)SctpConntrackState.Established]), (2, [1, 2, 3, 4]), (3, [5, 6, 7, 8]));
        Assert.Equal(SctpConntrackState.Established, sctp.SctpState);
        Assert.Null(sctp.TcpState);
        Assert.Empty(sctp.Unknown);

        var dccp = DecodeProtoInfo(CtaProtoInfo.Dccp, (CtaProtoInfo.State, [3]));
        Assert.Null(dccp.TcpState);
        Assert.Equal([CtaEntry.ProtoInfo], dccp.Unknown.Select(u => u.Type));

        // A TCP attribute from a future kernel: the whole nest is kept and no half-read state is shown.
        var future = DecodeProtoInfo(CtaProtoInfo.Tcp, (CtaProtoInfo.State, [(byte)TcpConntrackState.Established]), (9, [1, 0, 0, 0]));
        Assert.Null(future.TcpState);
        Assert.Equal([CtaEntry.ProtoInfo], future.Unknown.Select(u => u.Type));

        Assert.Throws<NetlinkDecodeException>(() => DecodeProtoInfo(CtaProtoInfo.Tcp, (CtaProtoInfo.State, [3, 0])));
    }

    [Fact]
    public void The_reply_zone_is_the_entry_zone_or_else_the_reply_tuples_own()
    {
        Assert.Equal((ushort)7, DecodeAll(Capture).Single(e => e.Original.DestinationPort == 5353).ReplyZone);
        Assert.All(DecodeAll(Capture).Where(e => e.Original.DestinationPort != 5353), e => Assert.Equal((ushort)0, e.ReplyZone));

        var replyOnly = BuildEntry(originalZone: 3, replyZone: 5, entryZone: null);
        Assert.Equal((ushort)0, replyOnly.Zone);
        Assert.Equal((ushort)5, replyOnly.ReplyZone);
        Assert.Equal((ushort)9, BuildEntry(originalZone: null, replyZone: null, entryZone: 9).ReplyZone);
    }

    /// <summary>A source-NATed TCP entry whose CTA_PROTOINFO holds one protocol nest with the given fields.</summary>
    private static ConntrackEntry DecodeProtoInfo(ushort protocol, params (ushort Type, byte[] Value)[] fields) =>
        BuildEntry(null, null, null, writer =>
        {
            int info = writer.BeginNested(CtaEntry.ProtoInfo);
            int nest = writer.BeginNested(protocol);
            foreach (var (type, value) in fields)
            {
                writer.PutAttribute(type, value);
            }

            writer.EndNested(nest);
            writer.EndNested(info);
        });

    private static ConntrackEntry BuildEntry(ushort? originalZone, ushort? replyZone, ushort? entryZone, Action<NetlinkWriter>? more = null)
    {
        var writer = new NetlinkWriter();
        int start = writer.BeginMessage(NfnetlinkSubsystem.MessageType(NfnetlinkSubsystem.Ctnetlink, CtnetlinkMessage.New), NetlinkFlags.Multi, 1);
        writer.PutNfGenMsg(ConntrackEntryDecoder.AfInet, 0, 0);
        foreach (var (type, zone, source, destination, sport, dport) in new[]
        {
            (CtaEntry.TupleOrig, originalZone, new byte[] { 198, 18, 0, 1 }, new byte[] { 198, 19, 0, 2 }, (ushort)40000, (ushort)443),
            (CtaEntry.TupleReply, replyZone, new byte[] { 198, 19, 0, 2 }, new byte[] { 198, 19, 0, 1 }, (ushort)443, (ushort)2000),
        })
        {
            int tuple = writer.BeginNested(type);
            int ip = writer.BeginNested(CtaTuple.Ip);
            writer.PutAttribute(CtaTuple.IpV4Source, source);
            writer.PutAttribute(CtaTuple.IpV4Destination, destination);
            writer.EndNested(ip);
            int proto = writer.BeginNested(CtaTuple.Proto);
            writer.PutU8(CtaTuple.ProtoNumber, IpProtocol.Tcp);
            writer.PutBe16(CtaTuple.ProtoSourcePort, sport);
            writer.PutBe16(CtaTuple.ProtoDestinationPort, dport);
            writer.EndNested(proto);
            if (zone is { } tupleZone)
            {
                writer.PutBe16(CtaTuple.Zone, tupleZone);
            }

            writer.EndNested(tuple);
        }

        if (entryZone is { } both)
        {
            writer.PutBe16(CtaEntry.Zone, both);
        }

        writer.PutBe32(CtaEntry.Status, (uint)(ConntrackStatus.Confirmed | ConntrackStatus.SourceNat));
        more?.Invoke(writer);
        writer.EndMessage(start);
        var reader = new NetlinkMessageReader(writer.WrittenSpan);
        Assert.True(reader.TryNext(out var message));
        return ConntrackEntryDecoder.Decode(message);
    }

    [Fact]
    public void Zone_mark_icmp_id_and_the_entry_that_was_not_nated_come_through()
    {
        var entries = DecodeAll(Capture);

        var zoned = entries.Single(e => e.Original.DestinationPort == 5353);
        Assert.Equal((ushort)7, zoned.Zone);
        Assert.Equal(42u, entries.Single(e => e.Original.DestinationPort == 123).Mark);

        var icmp = entries.Single(e => e.Original.Protocol == IpProtocol.Icmp);
        Assert.Equal((ushort)0x1234, icmp.Original.IcmpId);
        Assert.Equal((byte)8, icmp.Original.IcmpType);
        Assert.Equal(icmp.Reply.IcmpId, icmp.NatPort);
        Assert.Null(icmp.Original.SourcePort);

        var local = Assert.Single(entries, e => !e.IsSourceNat);
        Assert.Equal(IPAddress.Loopback, local.Original.Destination);
    }

    [Fact]
    public void The_status_filter_skips_entries_without_decoding_them()
    {
        var kept = new List<ConntrackEntry>();
        int seen = 0;
        foreach (var datagram in Captures.Datagrams(Capture))
        {
            var reader = new NetlinkMessageReader(datagram);
            while (reader.TryNext(out var message))
            {
                if (message.Type == NetlinkMessageType.Done)
                {
                    continue;
                }

                seen++;
                if (ConntrackEntryDecoder.TryDecode(message, ConntrackStatus.SourceNat, ConntrackStatus.SourceNat, out var entry))
                {
                    kept.Add(entry);
                }
            }
        }

        Assert.Equal(DecodeAll(Capture).Count, seen);
        Assert.Equal(seen - 1, kept.Count);
        Assert.All(kept, e => Assert.True(e.IsSourceNat));
    }

    [Fact]
    public void The_dump_request_carries_family_and_status_filter_in_the_header_byte_order()
    {
        var writer = new NetlinkWriter();
        ConntrackEntryReader.BuildRequest(writer, 7, ConntrackEntryDecoder.AfInet6, ConntrackStatus.SourceNat, ConntrackStatus.SourceNat);

        Assert.Equal(
            Convert.FromHexString(
                "24000000" + "0101" + "0103" + "07000000" + "00000000" // nlmsghdr: CT_GET, REQUEST|DUMP
                + "0a000000" // nfgenmsg: AF_INET6, v0, res_id 0
                + "08000300" + "00000010" // CTA_STATUS = IPS_SRC_NAT (be32)
                + "08001a00" + "00000010"), // CTA_STATUS_MASK = IPS_SRC_NAT (be32)
            writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Tuple_zone_and_unknown_nested_attributes_are_kept()
    {
        var writer = new NetlinkWriter();
        int start = writer.BeginMessage(NfnetlinkSubsystem.MessageType(NfnetlinkSubsystem.Ctnetlink, CtnetlinkMessage.New), NetlinkFlags.Multi, 1);
        writer.PutNfGenMsg(ConntrackEntryDecoder.AfInet, 0, 0);
        foreach (var (type, sport, dport) in new[] { (CtaEntry.TupleOrig, (ushort)40000, (ushort)80), (CtaEntry.TupleReply, (ushort)80, (ushort)1500) })
        {
            int tuple = writer.BeginNested(type);
            int ip = writer.BeginNested(CtaTuple.Ip);
            writer.PutAttribute(CtaTuple.IpV4Source, [198, 18, 0, 1]);
            writer.PutAttribute(CtaTuple.IpV4Destination, [198, 19, 0, 2]);
            writer.EndNested(ip);
            int proto = writer.BeginNested(CtaTuple.Proto);
            writer.PutU8(CtaTuple.ProtoNumber, IpProtocol.Sctp);
            writer.PutBe16(CtaTuple.ProtoSourcePort, sport);
            writer.PutBe16(CtaTuple.ProtoDestinationPort, dport);
            writer.PutBe32(42, 0xfeed); // a protocol attribute from the future
            writer.EndNested(proto);
            writer.PutBe16(CtaTuple.Zone, 3);
            writer.EndNested(tuple);
        }

        writer.PutBe32(CtaEntry.Status, (uint)ConntrackStatus.SourceNat);
        writer.PutBe32(CtaEntry.Timeout, 120);
        writer.PutBe32(CtaEntry.Id, 99);
        writer.PutBe32(27, 1);
        writer.EndMessage(start);

        var reader = new NetlinkMessageReader(writer.WrittenSpan);
        Assert.True(reader.TryNext(out var message));
        var entry = ConntrackEntryDecoder.Decode(message);

        Assert.Equal("sctp", entry.Original.ProtocolName);
        Assert.Equal((ushort)3, entry.Original.Zone);
        Assert.Equal((ushort)1500, entry.NatPort);
        Assert.Equal(120u, entry.TimeoutSeconds);
        Assert.Equal(99u, entry.Id);
        Assert.Null(entry.Mark);
        Assert.Equal([(ushort)27], entry.Unknown.Select(u => u.Type));
        // The whole protocol nest is kept, so nothing inside it is lost.
        var kept = Assert.Single(entry.Original.Unknown);
        Assert.Equal(CtaTuple.Proto, kept.Type);
    }

    [Fact]
    public void A_tuple_without_addresses_or_an_address_of_the_wrong_size_is_a_decode_error()
    {
        var message = CapturedMessages(Capture)[0];
        var bytes = message.ToArray();
        // The first address attribute inside the first tuple: shrink its declared length by one.
        int at = IndexOf(bytes, [0x08, 0x00, 0x01, 0x00, 0xc6], 20);
        if (at < 0)
        {
            at = IndexOf(bytes, [0x14, 0x00, 0x03, 0x00, 0x20], 20);
        }

        bytes[at]--;
        Assert.Throws<NetlinkDecodeException>(() => DecodeOne(bytes));
    }

    [Fact]
    public void Mutated_captured_entries_never_throw_anything_but_a_decode_error()
    {
        var messages = CapturedMessages(Capture);
        Gen.Select(Gen.Int[0, messages.Count - 1], Gen.Int[0, 400], Gen.Byte, Gen.Int[0, 400]).Sample((which, position, value, cut) =>
        {
            var bytes = messages[which].ToArray();
            bytes[position % bytes.Length] = value;
            try
            {
                DecodeOne(bytes.AsSpan(0, Math.Min(cut, bytes.Length)));
            }
            catch (NetlinkDecodeException)
            {
            }
        }, iter: 50_000);
    }

    [Fact]
    public void Random_bytes_after_an_entry_header_never_throw_anything_but_a_decode_error()
    {
        Gen.Byte.Array[0, 300].Sample(body =>
        {
            var bytes = new byte[NetlinkMessage.HeaderLength + 4 + body.Length];
            BitConverter.TryWriteBytes(bytes.AsSpan(0), bytes.Length);
            BitConverter.TryWriteBytes(bytes.AsSpan(4), NfnetlinkSubsystem.MessageType(NfnetlinkSubsystem.Ctnetlink, CtnetlinkMessage.New));
            bytes[16] = body.Length > 0 && (body[0] & 1) == 0 ? ConntrackEntryDecoder.AfInet : ConntrackEntryDecoder.AfInet6;
            body.CopyTo(bytes, 20);
            try
            {
                DecodeOne(bytes);
            }
            catch (NetlinkDecodeException)
            {
            }
        }, iter: 20_000);
    }

    private static void DecodeOne(ReadOnlySpan<byte> bytes)
    {
        var reader = new NetlinkMessageReader(bytes);
        while (reader.TryNext(out var message))
        {
            _ = ConntrackEntryDecoder.TryDecode(message, ConntrackStatus.SourceNat, ConntrackStatus.SourceNat, out _);
            var entry = ConntrackEntryDecoder.Decode(message);
            _ = entry.ToString();
        }
    }

    internal static List<ConntrackEntry> DecodeAll(string capture)
    {
        var entries = new List<ConntrackEntry>();
        foreach (var bytes in CapturedMessages(capture))
        {
            var reader = new NetlinkMessageReader(bytes);
            Assert.True(reader.TryNext(out var message));
            entries.Add(ConntrackEntryDecoder.Decode(message));
        }

        return entries;
    }

    /// <summary>Each entry message of a capture as its own byte array (NLMSG_DONE left out).</summary>
    private static List<byte[]> CapturedMessages(string capture)
    {
        var messages = new List<byte[]>();
        foreach (var datagram in Captures.Datagrams(capture))
        {
            int offset = 0;
            while (offset + NetlinkMessage.HeaderLength <= datagram.Length)
            {
                int length = BitConverter.ToInt32(datagram, offset);
                if (BitConverter.ToUInt16(datagram, offset + 4) != NetlinkMessageType.Done)
                {
                    messages.Add(datagram[offset..(offset + length)]);
                }

                offset += (length + 3) & ~3;
            }
        }

        return messages;
    }

    /// <summary>The conntrack -L lines in the capture's header, in the order conntrack prints fields.</summary>
    private static List<string> OracleLines(string capture) =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", capture))
            .Where(line => line.StartsWith("#   ", StringComparison.Ordinal) && OracleLine().IsMatch(line))
            .Select(line => Normalize(line[4..]))
            .ToList();

    /// <summary>Keeps the fields both sides know: protocol, tuples, timeout, mark, zone (not TCP state, flags or use).</summary>
    private static string Normalize(string line) =>
        string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where((field, index) => index != 1 && (field.Contains('=', StringComparison.Ordinal) || index is 0 or 2) && !field.StartsWith("use=", StringComparison.Ordinal)));

    private static string AsConntrackPrintsIt(ConntrackEntry entry)
    {
        var fields = new List<string> { entry.Original.ProtocolName, entry.TimeoutSeconds!.Value.ToString(CultureInfo.InvariantCulture) };
        fields.AddRange(TupleFields(entry.Original));
        fields.AddRange(TupleFields(entry.Reply));
        fields.Add(string.Create(CultureInfo.InvariantCulture, $"mark={entry.Mark}"));
        if (entry.Zone != 0)
        {
            fields.Add(string.Create(CultureInfo.InvariantCulture, $"zone={entry.Zone}"));
        }

        return string.Join(' ', fields);
    }

    private static IEnumerable<string> TupleFields(ConntrackTuple tuple)
    {
        yield return $"src={tuple.Source}";
        yield return $"dst={tuple.Destination}";
        if (tuple.IcmpId is { } id)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"type={tuple.IcmpType}");
            yield return string.Create(CultureInfo.InvariantCulture, $"code={tuple.IcmpCode}");
            yield return string.Create(CultureInfo.InvariantCulture, $"id={id}");
        }
        else
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"sport={tuple.SourcePort}");
            yield return string.Create(CultureInfo.InvariantCulture, $"dport={tuple.DestinationPort}");
        }
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int from) =>
        haystack.AsSpan(from).IndexOf(needle) is var i and >= 0 ? i + from : -1;

    [GeneratedRegex(@"^#   (tcp|udp|icmp|sctp)\s")]
    private static partial Regex OracleLine();
}
