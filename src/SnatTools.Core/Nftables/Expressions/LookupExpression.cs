using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables.Expressions;

/// <summary>
/// lookup: tests a register against a set (`ip saddr @pools`, anonymous `{ 80, 443 }`), or with a
/// destination register reads a map; a map into the verdict register is a verdict map (vmap).
/// </summary>
public sealed class LookupExpression : Expression
{
    public const string TypeName = "lookup";
    private static readonly ushort[] DefaultLayout = [NftaLookup.Set, NftaLookup.SReg, NftaLookup.Flags];

    private LookupExpression(string setName, uint sourceRegister, uint? destinationRegister, uint? flags, uint? setId, ushort[] layout, byte[]? raw)
        : base(layout, raw)
    {
        SetName = setName;
        SourceRegister = sourceRegister;
        DestinationRegister = destinationRegister;
        Flags = flags;
        SetId = setId;
    }

    public override string Name => TypeName;

    public string SetName { get; }

    public uint SourceRegister { get; }

    public uint? DestinationRegister { get; }

    /// <summary>NFT_LOOKUP_F_*; bit 0 inverts the test (`!= @set`).</summary>
    public uint? Flags { get; }

    public uint? SetId { get; }

    public bool Inverted => ((Flags ?? 0) & NftaLookup.FlagInvert) != 0;

    /// <summary>A verdict map: the looked-up value becomes the verdict (may jump or goto).</summary>
    public bool IsVerdictMap => DestinationRegister == NftRegister.Verdict;

    public static LookupExpression Decode(byte[] data)
    {
        string? set = null;
        uint? sreg = null, dreg = null, flags = null, setId = null;
        var layout = new List<ushort>(4);
        foreach (var attribute in new AttributeReader(data))
        {
            layout.Add(attribute.RawType);
            switch (attribute.Type)
            {
                case NftaLookup.Set: set = attribute.GetString(); break;
                case NftaLookup.SReg: sreg = attribute.GetBe32(); break;
                case NftaLookup.DReg: dreg = attribute.GetBe32(); break;
                case NftaLookup.SetId: setId = attribute.GetBe32(); break;
                case NftaLookup.Flags: flags = attribute.GetBe32(); break;
                default: throw Unexpected(TypeName, attribute.Type);
            }
        }

        return new LookupExpression(set ?? throw Missing(TypeName, "NFTA_LOOKUP_SET"), sreg ?? throw Missing(TypeName, "NFTA_LOOKUP_SREG"), dreg, flags, setId, [.. layout], data);
    }

    public static LookupExpression Create(string setName, uint sourceRegister, uint flags) =>
        new(setName, sourceRegister, null, flags, null, DefaultLayout, null);

    /// <summary>
    /// The same lookup against another set, named and found by its transaction id (a copy of an
    /// anonymous set created in the same batch): NFTA_LOOKUP_SET_ID follows NFTA_LOOKUP_SET, as nft writes it.
    /// </summary>
    public LookupExpression WithSet(string setName, uint setId)
    {
        var layout = Layout.Where(type => TypeOf(type) != NftaLookup.SetId).ToList();
        int at = layout.FindIndex(type => TypeOf(type) == NftaLookup.Set);
        layout.Insert(at + 1, NftaLookup.SetId);
        return new LookupExpression(setName, SourceRegister, DestinationRegister, Flags, setId, [.. layout], null);
    }

    protected override void WriteAttribute(NetlinkWriter writer, ushort rawType)
    {
        switch (TypeOf(rawType))
        {
            case NftaLookup.Set: writer.PutString(rawType, SetName); break;
            case NftaLookup.SReg: writer.PutBe32(rawType, SourceRegister); break;
            case NftaLookup.DReg: writer.PutBe32(rawType, DestinationRegister!.Value); break;
            case NftaLookup.SetId: writer.PutBe32(rawType, SetId!.Value); break;
            case NftaLookup.Flags: writer.PutBe32(rawType, Flags!.Value); break;
        }
    }

    public override string ToString() =>
        $"[ lookup reg {SourceRegister} set {SetName}{(DestinationRegister is { } d ? $" dreg {d}" : string.Empty)} 0x{Flags ?? 0:x} ]";
}
