using System.Buffers.Binary;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m bpf (uapi xt_bpf.h): rev 0 struct xt_bpf_info { u16 bpf_program_num_elem; struct sock_filter
/// bpf_program[64] (from offset 4) }; rev 1 struct xt_bpf_info_v1 { u16 mode; u16 num_elem; s32 fd;
/// union { sock_filter program[64]; char path[512] } (from 8) }. Printed as libxt_bpf.c bpf_save /
/// bpf_save_v1 print them: " --bytecode \"N,code jt jf k,...\"" or " --object-pinned path".
/// </summary>
public sealed class BpfMatch : XtMatch
{
    private const int MaxInstructions = 64; // XT_BPF_MAX_NUM_INSTR

    private BpfMatch(uint revision, byte[] info)
        : base("bpf", revision, info)
    {
    }

    public static BpfMatch? Decode(uint revision, byte[] info)
    {
        int programAt = revision == 0 ? 4 : 8;
        if (revision > 1 || info.Length != 528)
        {
            return null;
        }

        ushort mode = revision == 0 ? (ushort)0 : BinaryPrimitives.ReadUInt16LittleEndian(info);
        ushort count = BinaryPrimitives.ReadUInt16LittleEndian(info.AsSpan(revision == 0 ? 0 : 2));
        // Modes other than bytecode (0) and pinned (1) make bpf_save_v1 fail; more than 64 instructions do not fit.
        return mode <= 1 && (mode == 1 || count <= MaxInstructions) ? new BpfMatch(revision, info) : null;
    }

    public override string SaveOptions(XtSaveContext context)
    {
        int programAt = Revision == 0 ? 4 : 8;
        if (Revision == 1 && BinaryPrimitives.ReadUInt16LittleEndian(Info) == 1)
        {
            return " --object-pinned " + XtBlob.CString(Info, programAt, MaxInstructions * 8);
        }

        ushort count = BinaryPrimitives.ReadUInt16LittleEndian(Info.AsSpan(Revision == 0 ? 0 : 2));
        var text = new StringBuilder(" --bytecode \"").Append(count).Append(',');
        for (int i = 0; i < count; i++)
        {
            var op = Info.AsSpan(programAt + (i * 8), 8);
            text.Append(BinaryPrimitives.ReadUInt16LittleEndian(op)).Append(' ').Append(op[2]).Append(' ').Append(op[3]).Append(' ')
                .Append(BinaryPrimitives.ReadUInt32LittleEndian(op[4..])).Append(i < count - 1 ? ',' : '"');
        }

        if (count == 0)
        {
            text.Append('"');
        }

        return text.ToString();
    }
}
