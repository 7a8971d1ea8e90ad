using SnatTools.Core.Linux;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables;

/// <summary>Receives one rule message of a dump; valid only during the call.</summary>
public delegate void RuleMessageVisitor(in NetlinkMessage message);

/// <summary>
/// Reads nf_tables state over NETLINK_NETFILTER: the generation (NFT_MSG_GETGEN), tables, chains,
/// the rules of one chain (NFT_MSG_GETRULE dump filtered by table and chain, which the kernel
/// serves by a hash lookup instead of walking the whole ruleset), sets and set elements.
/// Reading only; writing is NftBatch's.
/// </summary>
public sealed class NftReader : IDisposable
{
    private readonly NetlinkSocket _socket;
    private readonly NetlinkWriter _writer = new(256);

    private NftReader(NetlinkSocket socket)
    {
        _socket = socket;
    }

    /// <summary>Opens a NETLINK_NETFILTER socket in the namespace; <paramref name="dialer"/> (default: the real kernel) says how.</summary>
    public static NftReader Open(string? networkNamespace = null, IKernelDialer? dialer = null) =>
        new(NetlinkSocket.Open(NetlinkSocket.NetlinkNetfilter, networkNamespace, dialer));

    /// <summary>The namespace the socket lives in, as the kernel names it ("net:[4026532345]").</summary>
    public string NamespaceId => _socket.NamespaceId;

    /// <summary>The socket, for a batch writer that wants the same namespace.</summary>
    public NetlinkSocket Socket => _socket;

    /// <summary>The ruleset generation (NFTA_GEN_ID): what a write batch must carry in NFNL_BATCH_GENID.</summary>
    public uint GetGeneration()
    {
        uint generation = 0;
        _writer.EndMessage(BeginLookup(NftMessage.GetGen, NfProto.Unspec));
        _socket.Request(_writer.WrittenSpan, "nf_tables NFT_MSG_GETGEN", (in NetlinkMessage message) =>
        {
            foreach (var attribute in message.NfAttributes)
            {
                if (attribute.Type == NftaGen.Id)
                {
                    generation = attribute.GetBe32();
                }
            }

            return true;
        });
        return generation;
    }

    public List<NftTable> ListTables() =>
        _socket.Dump(
            _writer,
            static (writer, sequence) => BuildDump(writer, NftMessage.GetTable, NfProto.Unspec, sequence, null, null, null, null),
            "nf_tables NFT_MSG_GETTABLE",
            static (in NetlinkMessage message, out NftTable table) =>
            {
                table = NftTable.Decode(message);
                return true;
            });

    /// <summary>Chains of one table; with <paramref name="baseOnly"/> only base chains (regular ones cost nothing).</summary>
    public List<NftChain> ListChains(NftTable table, bool baseOnly) =>
        _socket.Dump(
            _writer,
            (writer, sequence) => BuildDump(writer, NftMessage.GetChain, table.Family, sequence, NftaChain.Table, table.Name, null, null),
            "nf_tables NFT_MSG_GETCHAIN",
            (in NetlinkMessage message, out NftChain chain) =>
            {
                chain = NftChain.Decode(message, baseOnly)!;
                return chain is not null && chain.Table == table.Name;
            });

    /// <summary>One chain by name (a hash lookup in the kernel), or null when the table has no such chain.</summary>
    public NftChain? GetChain(byte family, string table, string name)
    {
        NftChain? chain = null;
        _writer.EndMessage(BeginLookup(NftMessage.GetChain, family, NftaChain.Table, table, NftaChain.Name, name));
        try
        {
            _socket.Request(_writer.WrittenSpan, $"nf_tables NFT_MSG_GETCHAIN {table} {name}", (in NetlinkMessage message) =>
            {
                chain = NftChain.Decode(message, baseOnly: false);
                return true;
            });
        }
        catch (NetlinkException ex) when (ex.Errno == Errno.ENOENT)
        {
            return null;
        }

        return chain;
    }

    /// <summary>
    /// One rule by handle (NFT_MSG_GETRULE with table, chain and handle: a lookup, not a dump), or
    /// null when the chain has no rule with that handle (deleted, or replaced: a replacement gets a
    /// new handle). Handles are never reused within a table's lifetime.
    /// </summary>
    public NftRule? GetRule(byte family, string table, string chain, ulong handle)
    {
        NftRule? rule = null;
        int start = BeginLookup(NftMessage.GetRule, family, NftaRule.Table, table, NftaRule.Chain, chain);
        _writer.PutBe64(NftaRule.Handle, handle);
        _writer.EndMessage(start);
        try
        {
            _socket.Request(_writer.WrittenSpan, $"nf_tables NFT_MSG_GETRULE {NfProto.Name(family)} {table} {chain} handle {handle}", (in NetlinkMessage message) =>
            {
                if (NftMessage.Of(message.Type) == NftMessage.NewRule)
                {
                    rule = NftRule.Decode(message);
                }

                return true;
            });
        }
        catch (NetlinkException ex) when (ex.Errno == Errno.ENOENT)
        {
            return null;
        }

        return rule;
    }

    /// <summary>
    /// Streams the rules of one chain to <paramref name="visitor"/>.
    /// </summary>
    /// <returns>True when the kernel flagged the dump as interrupted (the ruleset changed meanwhile).</returns>
    public bool DumpChainRules(byte family, string table, string chain, RuleMessageVisitor visitor)
    {
        _writer.Reset();
        BuildDump(_writer, NftMessage.GetRule, family, _socket.NextSequence(), NftaRule.Table, table, NftaRule.Chain, chain);
        return _socket.Request(_writer.WrittenSpan, $"nf_tables NFT_MSG_GETRULE {NfProto.Name(family)} {table} {chain}", (in NetlinkMessage message) =>
        {
            if (NftMessage.Of(message.Type) == NftMessage.NewRule)
            {
                visitor(in message);
            }

            return true;
        });
    }

    /// <summary>Streams every rule of a table (or of all tables when <paramref name="table"/> is null): the naive whole dump.</summary>
    public bool DumpAllRules(byte family, string? table, RuleMessageVisitor visitor)
    {
        _writer.Reset();
        BuildDump(_writer, NftMessage.GetRule, family, _socket.NextSequence(), table is null ? null : NftaRule.Table, table, null, null);
        return _socket.Request(_writer.WrittenSpan, "nf_tables NFT_MSG_GETRULE", (in NetlinkMessage message) =>
        {
            if (NftMessage.Of(message.Type) == NftMessage.NewRule)
            {
                visitor(in message);
            }

            return true;
        });
    }

    public NftSet GetSet(byte family, string table, string name)
    {
        NftSet? set = null;
        _writer.EndMessage(BeginLookup(NftMessage.GetSet, family, NftaSet.Table, table, NftaSet.Name, name));
        _socket.Request(_writer.WrittenSpan, $"nf_tables NFT_MSG_GETSET {table} {name}", (in NetlinkMessage message) =>
        {
            set = NftSet.Decode(message);
            return true;
        });
        return set ?? throw new NetlinkDecodeException($"NFT_MSG_GETSET {table} {name} returned no set.");
    }

    public List<NftSetElement> GetSetElements(byte family, string table, string set)
    {
        var elements = new List<NftSetElement>();
        _writer.Reset();
        BuildDump(_writer, NftMessage.GetSetElem, family, _socket.NextSequence(), NftaSetElem.ListTable, table, NftaSetElem.ListSet, set);
        _socket.Request(_writer.WrittenSpan, $"nf_tables NFT_MSG_GETSETELEM {table} {set}", (in NetlinkMessage message) =>
        {
            NftSetElement.DecodeAll(message, elements);
            return true;
        });
        return elements;
    }

    /// <summary>
    /// A set's NEWSET attributes exactly as the kernel sent them (raw type with flag bits, payload),
    /// for writing a copy of an anonymous set.
    /// </summary>
    public List<(ushort RawType, byte[] Payload)> GetSetAttributes(byte family, string table, string name)
    {
        var attributes = new List<(ushort, byte[])>();
        _writer.EndMessage(BeginLookup(NftMessage.GetSet, family, NftaSet.Table, table, NftaSet.Name, name));
        _socket.Request(_writer.WrittenSpan, $"nf_tables NFT_MSG_GETSET {table} {name}", (in NetlinkMessage message) =>
        {
            foreach (var attribute in message.NfAttributes)
            {
                attributes.Add((attribute.RawType, attribute.GetBytes()));
            }

            return true;
        });
        return attributes;
    }

    /// <summary>Every element of a set as the kernel sent it: the payload of each NFTA_LIST_ELEM.</summary>
    public List<byte[]> GetSetElementsRaw(byte family, string table, string set)
    {
        var elements = new List<byte[]>();
        _writer.Reset();
        BuildDump(_writer, NftMessage.GetSetElem, family, _socket.NextSequence(), NftaSetElem.ListTable, table, NftaSetElem.ListSet, set);
        _socket.Request(_writer.WrittenSpan, $"nf_tables NFT_MSG_GETSETELEM {table} {set}", (in NetlinkMessage message) =>
        {
            foreach (var attribute in message.NfAttributes)
            {
                if (attribute.Type == NftaSetElem.ListElements)
                {
                    foreach (var element in attribute.GetNested())
                    {
                        elements.Add(element.GetBytes());
                    }
                }
            }

            return true;
        });
        return elements;
    }

    private static void BuildDump(NetlinkWriter writer, byte message, byte family, uint sequence, ushort? attribute1, string? value1, ushort? attribute2, string? value2) =>
        writer.EndMessage(BeginRequest(writer, message, NetlinkFlags.Request | NetlinkFlags.Dump, family, sequence, attribute1, value1, attribute2, value2));

    /// <summary>A lookup (not a dump) in the reused writer; the caller may add attributes before EndMessage.</summary>
    private int BeginLookup(byte message, byte family, ushort? attribute1 = null, string? value1 = null, ushort? attribute2 = null, string? value2 = null)
    {
        _writer.Reset();
        return BeginRequest(_writer, message, NetlinkFlags.Request | NetlinkFlags.Ack, family, _socket.NextSequence(), attribute1, value1, attribute2, value2);
    }

    /// <summary>Header, nfgenmsg and up to two string attributes (table, then chain/set/name).</summary>
    private static int BeginRequest(NetlinkWriter writer, byte message, NetlinkFlags flags, byte family, uint sequence, ushort? attribute1, string? value1, ushort? attribute2, string? value2)
    {
        int start = writer.BeginMessage(NftMessage.Type(message), flags, sequence);
        writer.PutNfGenMsg(family, NfnetlinkSubsystem.Version0, 0);
        if (attribute1 is { } a1 && value1 is not null)
        {
            writer.PutString(a1, value1);
        }

        if (attribute2 is { } a2 && value2 is not null)
        {
            writer.PutString(a2, value2);
        }

        return start;
    }

    public void Dispose() => _socket.Dispose();
}
