using System.Buffers.Binary;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m state rev 0 (uapi xt_state.h: struct xt_state_info { unsigned int statemask; } = 4, aligned 8).
/// iptables 1.8.9 writes -m state as the conntrack alias (rev 1-3, <see cref="ConntrackMatch"/>); rev 0
/// comes from older tools.
/// </summary>
public sealed class StateMatch : XtMatch
{
    // XT_STATE_INVALID 1, XT_STATE_BIT(NEW) 8, (RELATED) 4, (ESTABLISHED) 2, XT_STATE_UNTRACKED 1 << (IP_CT_NUMBER + 1) = 64.
    private static readonly (uint Bit, string Name)[] States = [(1, "INVALID"), (8, "NEW"), (4, "RELATED"), (2, "ESTABLISHED"), (64, "UNTRACKED")];

    private StateMatch(byte[] info)
        : base("state", 0, info) => StateMask = BinaryPrimitives.ReadUInt32LittleEndian(info);

    public uint StateMask { get; }

    public static StateMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == 8 ? new StateMatch(info) : null;

    public override string SaveOptions(XtSaveContext context) =>
        " --state " + string.Join(',', States.Where(s => (StateMask & s.Bit) != 0).Select(s => s.Name));
}
