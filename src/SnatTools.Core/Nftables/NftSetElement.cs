using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables;

/// <summary>One set element: key (and for ranges the end key or the interval-end flag) and, in a map, its data.</summary>
public sealed record NftSetElement(byte[] Key, byte[]? KeyEnd, uint Flags, NftData? Data)
{
    public bool IsIntervalEnd => (Flags & NftaSetElem.FlagIntervalEnd) != 0;

    /// <summary>Decodes every element of a NEWSETELEM message into <paramref name="into"/>.</summary>
    public static void DecodeAll(in NetlinkMessage message, List<NftSetElement> into)
    {
        foreach (var attribute in message.NfAttributes)
        {
            if (attribute.Type != NftaSetElem.ListElements)
            {
                continue;
            }

            foreach (var element in attribute.GetNested())
            {
                byte[]? key = null, keyEnd = null;
                uint flags = 0;
                NftData? data = null;
                foreach (var part in element.GetNested())
                {
                    switch (part.Type)
                    {
                        case NftaSetElem.Key: key = NftData.Decode(part.Payload).Value; break;
                        case NftaSetElem.KeyEnd: keyEnd = NftData.Decode(part.Payload).Value; break;
                        case NftaSetElem.Flags: flags = part.GetBe32(); break;
                        case NftaSetElem.Data: data = NftData.Decode(part.Payload); break;
                    }
                }

                into.Add(new NftSetElement(key ?? [], keyEnd, flags, data));
            }
        }
    }
}
