using System.Buffers.Binary;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>-m cpu (uapi xt_cpu.h struct xt_cpu_info { u32 cpu; u32 invert }), as libxt_cpu.c cpu_save prints it.</summary>
public sealed class CpuMatch : XtMatch
{
    private CpuMatch(uint revision, byte[] info)
        : base("cpu", revision, info)
    {
    }

    public static CpuMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == 8 ? new CpuMatch(revision, info) : null;

    public override string SaveOptions(XtSaveContext context) =>
        $"{XtText.Not(BinaryPrimitives.ReadUInt32LittleEndian(Info.AsSpan(4)) != 0)} --cpu {BinaryPrimitives.ReadUInt32LittleEndian(Info)}";
}
