using System.Buffers.Binary;
using System.Text;

namespace SnatTools.Core.Xtables;

/// <summary>Reads the fields of an x_tables info blob (host byte order, x86_64 layout).</summary>
public static class XtBlob
{
    /// <summary>XT_ALIGN: the kernel pads every match to 8 bytes (__alignof__(struct _xt_align) on 64-bit).</summary>
    public static int Align(int size) => (size + 7) & ~7;

    public static ushort U16(ReadOnlySpan<byte> info, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(info[offset..]);

    public static uint U32(ReadOnlySpan<byte> info, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(info[offset..]);

    public static int I32(ReadOnlySpan<byte> info, int offset) => BinaryPrimitives.ReadInt32LittleEndian(info[offset..]);

    public static ulong U64(ReadOnlySpan<byte> info, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(info[offset..]);

    /// <summary>A NUL-terminated char array of fixed length, as UTF-8 (what a terminal shows of the bytes %s prints); never read beyond the array.</summary>
    public static string CString(ReadOnlySpan<byte> info, int offset, int length)
    {
        var bytes = info.Slice(offset, length);
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
