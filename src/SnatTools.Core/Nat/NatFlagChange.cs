namespace SnatTools.Core.Nat;

/// <summary>
/// Which NF_NAT_RANGE_* flags Set-SnatRule turns on and which it turns off; every other flag of a
/// rule (MAP_IPS, PROTO_SPECIFIED, ...) is kept as it is.
/// </summary>
public sealed record NatFlagChange(NatRangeFlags Set, NatRangeFlags Clear)
{
    /// <summary>The flags Set-SnatRule may change: RANDOM, RANDOM_FULLY and PERSISTENT.</summary>
    public const NatRangeFlags Changeable = NatRangeFlags.ProtoRandom | NatRangeFlags.ProtoRandomFully | NatRangeFlags.Persistent;

    public static NatFlagChange From(bool? randomFully, bool? random, bool? persistent)
    {
        var set = NatRangeFlags.None;
        var clear = NatRangeFlags.None;
        void Apply(bool? wanted, NatRangeFlags flag)
        {
            if (wanted == true)
            {
                set |= flag;
            }
            else if (wanted == false)
            {
                clear |= flag;
            }
        }

        Apply(randomFully, NatRangeFlags.ProtoRandomFully);
        Apply(random, NatRangeFlags.ProtoRandom);
        Apply(persistent, NatRangeFlags.Persistent);
        return new NatFlagChange(set, clear);
    }

    public bool IsEmpty => Set == NatRangeFlags.None && Clear == NatRangeFlags.None;

    public NatRangeFlags ApplyTo(NatRangeFlags flags) => (flags | Set) & ~Clear;
}
