using System.Buffers.Binary;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>-m state rev 0 (uapi xt_state.h: struct xt_state_info { unsigned int statemask; }).</summary>
public sealed class StateMatch : XtMatch
{
    // XT_STATE_INVALID 1, XT_STATE_BIT(NEW) 8, (RELATED) 4, (ESTABLISHED) 2, XT_STATE_UNTRACKED 1 << (IP_CT_NUMBER + 1) = 64.
    private static readonly (uint Bit, string Name)[] States = [(1, "INVALID"), (8, "NEW"), (4, "RELATED"), (2, "ESTABLISHED"), (64, "UNTRACKED")];

    public StateMatch(uint revision, byte[] info)
        : base("state", revision, info) => StateMask = info.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(info) : 0;

    public uint StateMask { get; }

    public override string SaveOptions(XtSaveContext context) =>
        " --state " + string.Join(',', States.Where(s => (StateMask & s.Bit) != 0).Select(s => s.Name));
}
