namespace SnatTools.Core.Nat;

/// <summary>NF_NAT_RANGE_* (uapi linux/netfilter/nf_nat.h); host-order u32 in x_tables structs, be32 in nf_tables attributes.</summary>
[Flags]
// ulong, not the kernel's u32: ConvertTo-Json writes 64-bit enums by name (Output/ReadableText.cs). Encoders cast to uint.
public enum NatRangeFlags : ulong
{
    None = 0,
    MapIps = 0x01,
    ProtoSpecified = 0x02,
    ProtoRandom = 0x04,
    Persistent = 0x08,
    ProtoRandomFully = 0x10,
    ProtoOffset = 0x20,
    Netmap = 0x40,
}
