using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using SnatTools.Core.Nat;
using SnatTools.Core.Nftables.Expressions;
using SnatTools.Core.Xtables;

namespace SnatTools.Core.Nftables;

/// <summary>
/// Reads a native rule's expressions back into nft statements the way `nft list ruleset` (nftables
/// 1.0.x, netlink_delinearize.c) prints them, for the statements source-NAT rules use: meta
/// iifname/oifname/l4proto/nfproto/mark, ip/ip6 addresses and prefixes, tcp/udp ports, ct state and
/// status, fib address types, set lookups (named and anonymous), counter, verdicts, masquerade and
/// snat with their ranges and flags, and the comment. Protocol matches that only exist as the
/// dependency of a later header match (meta l4proto tcp before tcp dport, meta nfproto ipv4 before
/// ip saddr in inet tables) are left out, as nft does. Anything else is reported as a problem.
/// </summary>
public sealed class NftRuleFormatter
{
    private static readonly (uint Bit, string Name)[] CtStates = [(1, "invalid"), (2, "established"), (4, "related"), (8, "new"), (64, "untracked")];
    private static readonly (uint Bit, string Name)[] CtStatuses =
        [(1, "expected"), (2, "seen-reply"), (4, "assured"), (8, "confirmed"), (16, "snat"), (32, "dnat"), (512, "dying")];

    private static readonly string[] AddressTypes = ["unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole", "unreachable", "prohibit"];

    private readonly NftRule _rule;
    private readonly Func<string, NftSetContents?>? _sets;
    private readonly Dictionary<uint, Register> _registers = [];
    private readonly List<Statement> _statements = [];
    private readonly List<string> _problems = [];
    private int? _transportDependency;
    private byte _transportProtocol;
    private int? _networkDependency;
    private byte? _networkFamily;
    private string? _outInterface;
    private bool _outInterfaceNegated;
    private bool _masquerade;
    private NatRange? _nat;
    private ulong? _packets, _bytes;
    private (Register Register, int Index, byte[] Value)? _lastGreaterOrEqual;

    private NftRuleFormatter(NftRule rule, Func<string, NftSetContents?>? sets)
    {
        _rule = rule;
        _sets = sets;
        _networkFamily = rule.Family is NfProto.IPv4 or NfProto.IPv6 ? rule.Family : null;
    }

    /// <summary>Describes <paramref name="rule"/>; <paramref name="sets"/> supplies the elements of anonymous sets by name.</summary>
    public static NftRuleDescription Describe(NftRule rule, Func<string, NftSetContents?>? sets)
    {
        var formatter = new NftRuleFormatter(rule, sets);
        formatter.Walk();
        return formatter.Result();
    }

    private void Walk()
    {
        foreach (var expression in _rule.Expressions)
        {
            switch (expression)
            {
                case PayloadExpression { IsLoad: true } payload:
                    _registers[payload.DestinationRegister!.Value] = new Register(RegisterKind.Payload, 0, payload.Base, payload.Offset) { Length = payload.Length };
                    break;
                case MetaExpression { DestinationRegister: { } meta } load:
                    _registers[meta] = new Register(RegisterKind.Meta, load.Key, 0, 0);
                    break;
                case CtExpression { DestinationRegister: { } ct } ctLoad:
                    _registers[ct] = new Register(RegisterKind.Ct, ctLoad.Key, 0, 0);
                    break;
                case FibExpression fib:
                    _registers[fib.DestinationRegister] = new Register(RegisterKind.Fib, fib.Result, fib.Flags, 0);
                    break;
                case ImmediateExpression { Verdict: { } verdict }:
                    Add(StatementKind.Verdict, verdict.ToString());
                    break;
                case ImmediateExpression immediate:
                    _registers[immediate.DestinationRegister] = new Register(RegisterKind.Immediate, 0, 0, 0) { Value = immediate.Data.Value };
                    break;
                case BitwiseExpression bitwise when _registers.TryGetValue(bitwise.SourceRegister, out var source) && bitwise.IsMaskXor:
                    _registers[bitwise.DestinationRegister] = source with { Mask = bitwise.Mask, Xor = bitwise.Xor };
                    break;
                case CmpExpression cmp when _registers.TryGetValue(cmp.SourceRegister, out var register):
                    if (cmp.Op == NftCmpOp.Lte && _lastGreaterOrEqual is { } gte && ReferenceEquals(gte.Register, register))
                    {
                        // nft writes "a-b" on its own as ">= a" then "<= b" and prints them merged back.
                        _statements.RemoveAt(gte.Index);
                        CompareRange(register, new RangeExpression(cmp.SourceRegister, NftRangeOp.Eq, gte.Value, cmp.Value));
                        _lastGreaterOrEqual = null;
                        break;
                    }

                    Compare(register, cmp.Op, cmp.Value);
                    _lastGreaterOrEqual = cmp.Op == NftCmpOp.Gte ? (register, _statements.Count - 1, cmp.Value) : null;
                    break;
                case RangeExpression range when _registers.TryGetValue(range.SourceRegister, out var register):
                    CompareRange(register, range);
                    break;
                case LookupExpression lookup when _registers.TryGetValue(lookup.SourceRegister, out var register):
                    Lookup(register, lookup);
                    break;
                case CounterExpression counter:
                    _packets = counter.Packets;
                    _bytes = counter.Bytes;
                    Add(StatementKind.Counter, $"counter packets {counter.Packets} bytes {counter.Bytes}");
                    break;
                case MasqExpression masq:
                    Masquerade(masq);
                    break;
                case NatExpression { IsSnat: true } nat:
                    SourceNat(nat);
                    break;
                default:
                    _problems.Add($"{expression} has no nft text in this version");
                    Add(StatementKind.Other, expression.ToString());
                    break;
            }
        }
    }

    private NftRuleDescription Result()
    {
        var text = new StringBuilder();
        var matches = new StringBuilder();
        foreach (var statement in _statements.Where(s => !s.Removed))
        {
            text.Append(text.Length > 0 ? " " : string.Empty).Append(statement.Text);
            if (statement.Kind == StatementKind.Match)
            {
                matches.Append(matches.Length > 0 ? " " : string.Empty).Append(statement.Text);
            }
        }

        if (_rule.Comment is { } comment)
        {
            text.Append(text.Length > 0 ? " " : string.Empty).Append("comment \"").Append(comment).Append('"');
        }

        return new NftRuleDescription(text.ToString(), matches.ToString(), _outInterface, _outInterfaceNegated, _masquerade, _nat, _packets, _bytes, _problems, _transportProtocol == 0 ? null : _transportProtocol);
    }

    private int Add(StatementKind kind, string text)
    {
        _statements.Add(new Statement(kind, text));
        return _statements.Count - 1;
    }

    private void Compare(Register register, uint op, byte[] value)
    {
        switch (register.Kind)
        {
            case RegisterKind.Meta:
                CompareMeta(register, op, value);
                return;
            case RegisterKind.Payload when register.Base == NftPayloadBase.Network:
                if (FieldOf(register) is { } field)
                {
                    Add(StatementKind.Match, $"{field.Name} {OpText(op)}{NetworkValue(register, field, value)}");
                    ConsumeNetworkDependency();
                    if (field.IsProtocol && op == NftCmpOp.Eq)
                    {
                        _transportDependency = _statements.Count - 1;
                        _transportProtocol = value[0];
                    }

                    return;
                }

                break;
            case RegisterKind.Payload when register.Base == NftPayloadBase.Transport:
                if (TransportField(register) is { } port && value.Length == 2)
                {
                    Add(StatementKind.Match, $"{port} {OpText(op)}{BinaryPrimitives.ReadUInt16BigEndian(value)}");
                    ConsumeTransportDependency();
                    return;
                }

                break;
            case RegisterKind.Ct when register.Key is NftCtKey.State or NftCtKey.Status && register.Mask is { Length: 4 } mask && op == NftCmpOp.Neq
                                      && value.AsSpan().IndexOfAnyExcept((byte)0) < 0 && (register.Xor is null || register.Xor.AsSpan().IndexOfAnyExcept((byte)0) < 0):
                uint bits = BinaryPrimitives.ReadUInt32LittleEndian(mask);
                var names = register.Key == NftCtKey.State ? CtStates : CtStatuses;
                Add(StatementKind.Match, $"ct {CtExpression.KeyName(register.Key)} {string.Join(',', names.Where(n => (bits & n.Bit) != 0).Select(n => n.Name))}");
                return;
            case RegisterKind.Fib when register.Key == 3 && value.Length == 4:
                uint type = BinaryPrimitives.ReadUInt32LittleEndian(value);
                Add(StatementKind.Match, $"{FibText(register.Base)} type {OpText(op)}{(type < AddressTypes.Length ? AddressTypes[type] : type.ToString(CultureInfo.InvariantCulture))}");
                return;
        }

        _problems.Add($"cmp {CmpExpression.OpName(op)} on {register} has no nft text in this version");
        Add(StatementKind.Match, $"{register} {OpText(op)}0x{Convert.ToHexString(value).ToLowerInvariant()}");
    }

    private void CompareMeta(Register register, uint op, byte[] value)
    {
        switch (register.Key)
        {
            case NftMetaKey.IifName or NftMetaKey.OifName:
                string name = InterfaceText(value);
                bool output = register.Key == NftMetaKey.OifName;
                Add(StatementKind.Match, $"{(output ? "oifname" : "iifname")} {OpText(op)}\"{name}\"");
                if (output && op is NftCmpOp.Eq or NftCmpOp.Neq)
                {
                    _outInterface = name;
                    _outInterfaceNegated = op == NftCmpOp.Neq;
                }

                return;
            case NftMetaKey.L4Proto when value.Length == 1:
                int index = Add(StatementKind.Match, $"meta l4proto {OpText(op)}{ProtocolNames.ForNft(value[0])}");
                if (op == NftCmpOp.Eq)
                {
                    _transportDependency = index;
                    _transportProtocol = value[0];
                }

                return;
            case NftMetaKey.NfProto when value.Length == 1:
                int at = Add(StatementKind.Match, $"meta nfproto {OpText(op)}{value[0] switch { NfProto.IPv4 => "ipv4", NfProto.IPv6 => "ipv6", _ => value[0].ToString(CultureInfo.InvariantCulture) }}");
                if (op == NftCmpOp.Eq)
                {
                    _networkDependency = at;
                    _networkFamily = value[0];
                }

                return;
            case NftMetaKey.Mark when value.Length == 4:
                uint mark = BinaryPrimitives.ReadUInt32LittleEndian(value);
                if (register.Mask is { Length: 4 } mask)
                {
                    string relation = op == NftCmpOp.Neq ? "!=" : "==";
                    Add(StatementKind.Match, $"meta mark & 0x{BinaryPrimitives.ReadUInt32LittleEndian(mask):x8} {relation} 0x{mark:x8}");
                }
                else
                {
                    Add(StatementKind.Match, $"meta mark {OpText(op)}0x{mark:x8}");
                }

                return;
        }

        _problems.Add($"meta {MetaExpression.KeyName(register.Key)} has no nft text in this version");
        Add(StatementKind.Match, $"meta {MetaExpression.KeyName(register.Key)} {OpText(op)}0x{Convert.ToHexString(value).ToLowerInvariant()}");
    }

    private void CompareRange(Register register, RangeExpression range)
    {
        if (register.Kind == RegisterKind.Payload && register.Base == NftPayloadBase.Transport && TransportField(register) is { } port
            && range.From.Value is { Length: 2 } from && range.To.Value is { Length: 2 } to)
        {
            Add(StatementKind.Match, $"{port} {(range.Op == NftRangeOp.Neq ? "!= " : string.Empty)}{BinaryPrimitives.ReadUInt16BigEndian(from)}-{BinaryPrimitives.ReadUInt16BigEndian(to)}");
            ConsumeTransportDependency();
            return;
        }

        _problems.Add($"{range} on {register} has no nft text in this version");
        Add(StatementKind.Match, range.ToString());
    }

    private void Lookup(Register register, LookupExpression lookup)
    {
        string? subject = null;
        NetworkField? field = null;
        if (register.Kind == RegisterKind.Payload && register.Base == NftPayloadBase.Network && (field = FieldOf(register)) is not null)
        {
            subject = field.Value.Name;
            ConsumeNetworkDependency();
        }
        else if (register.Kind == RegisterKind.Payload && register.Base == NftPayloadBase.Transport && TransportField(register) is { } port)
        {
            subject = port;
            ConsumeTransportDependency();
        }
        else if (register.Kind == RegisterKind.Meta && register.Key is NftMetaKey.OifName or NftMetaKey.IifName)
        {
            subject = register.Key == NftMetaKey.OifName ? "oifname" : "iifname";
        }
        else if (register.Kind == RegisterKind.Meta && register.Key == NftMetaKey.L4Proto)
        {
            subject = "meta l4proto";
        }

        if (subject is null)
        {
            _problems.Add($"lookup on {register} has no nft text in this version");
            Add(StatementKind.Match, lookup.ToString());
            return;
        }

        string set = lookup.SetName;
        if (set.StartsWith("__set", StringComparison.Ordinal) || set.StartsWith("__map", StringComparison.Ordinal))
        {
            var contents = _sets?.Invoke(set);
            if (contents is null)
            {
                _problems.Add($"the elements of anonymous set {set} could not be read");
                set = "@" + set;
            }
            else
            {
                set = InlineSet(contents, field);
            }
        }
        else
        {
            set = "@" + set;
        }

        string text = lookup.IsVerdictMap
            ? $"{subject} vmap {set}"
            : $"{subject} {(lookup.Inverted ? "!= " : string.Empty)}{set}";
        Add(lookup.IsVerdictMap ? StatementKind.Verdict : StatementKind.Match, text);
    }

    private void Masquerade(MasqExpression masq)
    {
        _masquerade = true;
        var text = new StringBuilder("masquerade");
        ushort min = 0, max = 0;
        var flags = masq.Flags;
        if (masq.ProtoMinRegister is { } minRegister)
        {
            min = PortIn(minRegister);
            max = masq.ProtoMaxRegister is { } maxRegister ? PortIn(maxRegister) : min;
            text.Append(" to :").Append(min);
            if (masq.ProtoMaxRegister is { } maxReg && maxReg != minRegister)
            {
                text.Append('-').Append(max);
            }
        }

        AppendFlags(text, flags);
        _nat = new NatRange(flags, null, null, min, max);
        Add(StatementKind.Nat, text.ToString());
    }

    private void SourceNat(NatExpression nat)
    {
        var text = new StringBuilder("snat");
        bool ipv6 = nat.Family == NfProto.IPv6;
        if (_rule.Family == NfProto.Inet)
        {
            text.Append(ipv6 ? " ip6" : " ip");
        }

        IPAddress? minAddress = null, maxAddress = null;
        ushort minPort = 0, maxPort = 0;
        var target = new StringBuilder();
        if (nat.AddressMinRegister is { } amin)
        {
            minAddress = AddressIn(amin, ipv6);
            maxAddress = nat.AddressMaxRegister is { } amax ? AddressIn(amax, ipv6) : minAddress;
            bool brackets = ipv6 && nat.ProtoMinRegister is not null;
            target.Append(brackets ? "[" : string.Empty).Append(minAddress).Append(brackets ? "]" : string.Empty);
            if (nat.AddressMaxRegister is { } amaxRegister && amaxRegister != amin)
            {
                target.Append('-').Append(brackets ? "[" : string.Empty).Append(maxAddress).Append(brackets ? "]" : string.Empty);
            }
        }

        if (nat.ProtoMinRegister is { } pmin)
        {
            minPort = PortIn(pmin);
            maxPort = nat.ProtoMaxRegister is { } pmax ? PortIn(pmax) : minPort;
            target.Append(':').Append(minPort);
            if (nat.ProtoMaxRegister is { } pmaxRegister && pmaxRegister != pmin)
            {
                target.Append('-').Append(maxPort);
            }
        }

        if (target.Length > 0)
        {
            text.Append(" to ").Append(target);
        }

        if ((nat.Flags & NatRangeFlags.Netmap) != 0)
        {
            _problems.Add("snat prefix (NF_NAT_RANGE_NETMAP) has no nft text in this version");
        }

        AppendFlags(text, nat.Flags);
        _nat = new NatRange(nat.Flags, minAddress, maxAddress, minPort, maxPort);
        Add(StatementKind.Nat, text.ToString());
    }

    /// <summary>nft print_nf_nat_flags: " random,fully-random,persistent" in that order.</summary>
    private static void AppendFlags(StringBuilder text, NatRangeFlags flags)
    {
        char separator = ' ';
        foreach (var (flag, name) in (ReadOnlySpan<(NatRangeFlags, string)>)[(NatRangeFlags.ProtoRandom, "random"), (NatRangeFlags.ProtoRandomFully, "fully-random"), (NatRangeFlags.Persistent, "persistent")])
        {
            if ((flags & flag) != 0)
            {
                text.Append(separator).Append(name);
                separator = ',';
            }
        }
    }

    private ushort PortIn(uint register)
    {
        if (_registers.TryGetValue(register, out var value) && value.Value is { Length: >= 2 } bytes)
        {
            return BinaryPrimitives.ReadUInt16BigEndian(bytes);
        }

        _problems.Add($"register {register} holds no port");
        return 0;
    }

    private IPAddress AddressIn(uint register, bool ipv6)
    {
        int length = ipv6 ? 16 : 4;
        if (_registers.TryGetValue(register, out var value) && value.Value is { } bytes && bytes.Length >= length)
        {
            return new IPAddress(bytes.AsSpan(0, length));
        }

        _problems.Add($"register {register} holds no address");
        return ipv6 ? IPAddress.IPv6None : IPAddress.None;
    }

    private void ConsumeTransportDependency()
    {
        if (_transportDependency is { } index)
        {
            _statements[index] = _statements[index] with { Removed = true };
            _transportDependency = null;
        }
    }

    private void ConsumeNetworkDependency()
    {
        if (_networkDependency is { } index)
        {
            _statements[index] = _statements[index] with { Removed = true };
            _networkDependency = null;
        }
    }

    private NetworkField? FieldOf(Register register)
    {
        return _networkFamily switch
        {
            NfProto.IPv4 => register.Offset switch
            {
                12 => new NetworkField("ip saddr", 4, false),
                16 => new NetworkField("ip daddr", 4, false),
                9 when register.Length == 1 => new NetworkField("ip protocol", 1, true),
                _ => null,
            },
            NfProto.IPv6 => register.Offset switch
            {
                8 => new NetworkField("ip6 saddr", 16, false),
                24 => new NetworkField("ip6 daddr", 16, false),
                6 when register.Length == 1 => new NetworkField("ip6 nexthdr", 1, true),
                _ => null,
            },
            _ => null,
        };
    }

    private string? TransportField(Register register)
    {
        string? protocol = _transportProtocol switch
        {
            6 => "tcp",
            17 => "udp",
            132 => "sctp",
            _ => null,
        };
        if (protocol is null || register.Length != 2)
        {
            return null;
        }

        return register.Offset switch
        {
            0 => protocol + " sport",
            2 => protocol + " dport",
            _ => null,
        };
    }

    /// <summary>An address (with a prefix when the load was shorter or masked), or a protocol name.</summary>
    private static string NetworkValue(Register register, NetworkField field, byte[] value)
    {
        if (field.IsProtocol)
        {
            return ProtocolNames.ForNft(value[0]);
        }

        var address = new byte[field.Length];
        value.AsSpan(0, Math.Min(value.Length, field.Length)).CopyTo(address);
        int prefix;
        if (register.Mask is { } mask)
        {
            prefix = XtText.MaskToCidr(mask);
        }
        else
        {
            prefix = (int)Math.Min(register.Length, (uint)field.Length) * 8;
        }

        string text = new IPAddress(address).ToString();
        return prefix == field.Length * 8 || prefix < 0 ? text : $"{text}/{prefix}";
    }

    private string InlineSet(NftSetContents contents, NetworkField? field)
    {
        var values = new List<string>();
        var elements = contents.Elements;
        if (contents.Set.IsInterval)
        {
            // Interval sets hold a start element and an end element (flagged) per range; the end is exclusive.
            var sorted = elements.OrderBy(e => e.Key, ByteOrder.Instance).ToList();
            for (int i = 0; i < sorted.Count; i++)
            {
                if (sorted[i].IsIntervalEnd)
                {
                    continue;
                }

                var start = sorted[i].Key;
                byte[]? end = i + 1 < sorted.Count && sorted[i + 1].IsIntervalEnd ? sorted[i + 1].Key : null;
                values.Add(IntervalText(start, end, field));
            }
        }
        else
        {
            foreach (var element in elements.OrderBy(e => e.Key, ByteOrder.Instance))
            {
                string key = KeyText(contents.Set, element.Key, field);
                values.Add(element.Data?.Verdict is { } verdict ? $"{key} : {verdict}" : key);
            }
        }

        return "{ " + string.Join(", ", values) + " }";
    }

    private string KeyText(NftSet set, byte[] key, NetworkField? field)
    {
        // nftables datatypes.h: 7 ipv4_addr, 8 ipv6_addr, 12 inet_proto, 13 inet_service, 19 mark, 41 ifname.
        return set.KeyType switch
        {
            7 or 8 => new IPAddress(key).ToString(),
            12 => ProtocolNames.ForNft(key[0]),
            13 when key.Length >= 2 => BinaryPrimitives.ReadUInt16BigEndian(key).ToString(CultureInfo.InvariantCulture),
            19 when key.Length >= 4 => $"0x{BinaryPrimitives.ReadUInt32LittleEndian(key):x8}",
            41 => "\"" + InterfaceText(key) + "\"",
            _ => Unsupported(key),
        };

        string Unsupported(byte[] bytes)
        {
            _problems.Add($"set key type {set.KeyType} has no nft text in this version");
            return "0x" + Convert.ToHexString(bytes).ToLowerInvariant();
        }
    }

    private static string IntervalText(byte[] start, byte[]? end, NetworkField? field)
    {
        if (end is null || field is null || field.Value.IsProtocol)
        {
            return start.Length == 2 ? BinaryPrimitives.ReadUInt16BigEndian(start).ToString(CultureInfo.InvariantCulture) : new IPAddress(start).ToString();
        }

        // [start, end) as a prefix when it is one, else "first-last".
        var last = Decrement(end);
        var mask = new byte[start.Length];
        for (int i = 0; i < start.Length; i++)
        {
            mask[i] = (byte)~(start[i] ^ last[i]);
        }

        int prefix = XtText.MaskToCidr(mask);
        bool aligned = prefix >= 0;
        for (int i = 0; aligned && i < start.Length; i++)
        {
            aligned = (start[i] & ~mask[i]) == 0 && (last[i] | mask[i]) == 0xff;
        }

        if (aligned)
        {
            return prefix == start.Length * 8 ? new IPAddress(start).ToString() : $"{new IPAddress(start)}/{prefix}";
        }

        return $"{new IPAddress(start)}-{new IPAddress(last)}";
    }

    private static byte[] Decrement(byte[] value)
    {
        var result = value.ToArray();
        for (int i = result.Length - 1; i >= 0; i--)
        {
            if (result[i]-- != 0)
            {
                break;
            }
        }

        return result;
    }

    private static string FibText(uint flags)
    {
        var text = new StringBuilder("fib ");
        text.Append((flags & 1) != 0 ? "saddr" : "daddr");
        if ((flags & 4) != 0)
        {
            text.Append(" . mark");
        }

        if ((flags & 8) != 0)
        {
            text.Append(" . iif");
        }

        if ((flags & 16) != 0)
        {
            text.Append(" . oif");
        }

        return text.ToString();
    }

    /// <summary>An interface name; without a terminating NUL it was a prefix match, printed with '*'.</summary>
    private static string InterfaceText(byte[] value)
    {
        int end = Array.IndexOf(value, (byte)0);
        return end < 0 ? Encoding.ASCII.GetString(value) + "*" : Encoding.ASCII.GetString(value, 0, end);
    }

    private static string OpText(uint op) => op switch
    {
        NftCmpOp.Eq => string.Empty,
        NftCmpOp.Neq => "!= ",
        NftCmpOp.Lt => "< ",
        NftCmpOp.Lte => "<= ",
        NftCmpOp.Gt => "> ",
        NftCmpOp.Gte => ">= ",
        _ => $"op{op} ",
    };

    private enum RegisterKind
    {
        Meta,
        Payload,
        Ct,
        Fib,
        Immediate,
    }

    private enum StatementKind
    {
        Match,
        Counter,
        Verdict,
        Nat,
        Other,
    }

    private readonly record struct NetworkField(string Name, int Length, bool IsProtocol);

    private sealed record Statement(StatementKind Kind, string Text, bool Removed = false);

    private sealed record Register(RegisterKind Kind, uint Key, uint Base, uint Offset)
    {
        public uint Length { get; init; }

        public byte[]? Value { get; init; }

        public byte[]? Mask { get; init; }

        public byte[]? Xor { get; init; }

        public override string ToString() => Kind switch
        {
            RegisterKind.Meta => $"meta {MetaExpression.KeyName(Key)}",
            RegisterKind.Payload => $"payload {PayloadExpression.BaseName(Base)}+{Offset}/{Length}",
            RegisterKind.Ct => $"ct {CtExpression.KeyName(Key)}",
            RegisterKind.Fib => "fib",
            _ => "immediate",
        };
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
