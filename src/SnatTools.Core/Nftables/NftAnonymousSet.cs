using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables;

/// <summary>
/// An anonymous set (`{ 80, 443 }` inside a rule) as the kernel holds it: its NEWSET attributes
/// and its elements, kept as the kernel's bytes. An anonymous set belongs to exactly one rule and
/// cannot be bound by a second one (nf_tables_bind_set answers EBUSY), so a replacement rule needs
/// its own copy: written in the same batch, before the rule, under the kernel-numbered name
/// "__set%d" and found by the rule through NFTA_LOOKUP_SET_ID, as nft itself does. The old set goes
/// away with the old rule when the batch commits.
/// </summary>
public sealed class NftAnonymousSet
{
    /// <summary>
    /// The NEWSET attributes that describe a set (uapi nf_tables.h: TABLE, FLAGS, KEY_TYPE, KEY_LEN,
    /// DATA_TYPE, DATA_LEN, POLICY, DESC, TIMEOUT, GC_INTERVAL, USERDATA, OBJ_TYPE, EXPR,
    /// EXPRESSIONS). The rest are the original's identity (NAME, HANDLE, ID) or dump-only: newer
    /// kernels add attributes to dumps (6.18 sends 19 and 20) that NEWSET refuses.
    /// </summary>
    private static readonly HashSet<ushort> Copied = [1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 15, 17, 18];

    private readonly List<(ushort RawType, byte[] Payload)> _attributes;
    private readonly List<byte[]> _elements;

    private NftAnonymousSet(string name, List<(ushort, byte[])> attributes, List<byte[]> elements)
    {
        Name = name;
        _attributes = attributes;
        _elements = elements;
    }

    public string Name { get; }

    /// <summary>The name a copy is created under: the kernel replaces %d with a free number.</summary>
    public string CopyName => Name.StartsWith("__map", StringComparison.Ordinal) ? "__map%d" : "__set%d";

    public int ElementCount => _elements.Count;

    /// <summary>Reads the set when it is anonymous (NFT_SET_ANONYMOUS); null for a named set, which any number of rules may use.</summary>
    public static NftAnonymousSet? TryRead(NftReader nft, byte family, string table, string name)
    {
        var attributes = nft.GetSetAttributes(family, table, name);
        bool anonymous = false;
        foreach (var (rawType, payload) in attributes)
        {
            if ((rawType & NetlinkAttribute.TypeMask) == NftaSet.Flags && payload.Length == 4)
            {
                anonymous = (System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(payload) & NftaSet.FlagAnonymous) != 0;
            }
        }

        return anonymous ? new NftAnonymousSet(name, attributes, nft.GetSetElementsRaw(family, table, name)) : null;
    }

    /// <summary>
    /// Adds NEWSET and NEWSETELEM for a copy with transaction id <paramref name="setId"/> to the
    /// batch: the describing attributes as read, under <see cref="CopyName"/>.
    /// </summary>
    public void WriteCopy(NftBatch batch, byte family, string table, uint setId)
    {
        var writer = batch.BeginMessage(NftMessage.NewSet, family, NetlinkFlags.Create);
        writer.PutString(NftaSet.Name, CopyName);
        foreach (var (rawType, payload) in _attributes)
        {
            if (Copied.Contains((ushort)(rawType & NetlinkAttribute.TypeMask)))
            {
                writer.PutAttribute(rawType, payload);
            }
        }

        writer.PutBe32(NftaSet.Id, setId);
        batch.EndMessage();

        if (_elements.Count == 0)
        {
            return;
        }

        writer = batch.BeginMessage(NftMessage.NewSetElem, family, NetlinkFlags.Create);
        writer.PutString(NftaSetElem.ListTable, table);
        writer.PutString(NftaSetElem.ListSet, CopyName);
        writer.PutBe32(NftaSetElem.ListSetId, setId);
        int list = writer.BeginNested(NftaSetElem.ListElements);
        foreach (var element in _elements)
        {
            writer.PutAttribute(NftaList.Elem | NetlinkAttribute.NestedFlag, element);
        }

        writer.EndNested(list);
        batch.EndMessage();
    }
}
