namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// What each register holds while a rule's expressions run in order. The kernel's registers are
/// sixteen 32-bit cells (NFT_REG32_00..15); NFT_REG_1..4 name the same storage four cells at a time
/// (net/netfilter/nf_tables_api.c nft_parse_register). A value is kept at the cell it starts in; a
/// later load over any of its cells replaces it. A read that starts inside a wider value gets a
/// slice of it; a read longer than the value there gets the values of the following cells too
/// (a concatenation, as nft lays out `ip saddr . tcp dport`).
/// </summary>
public sealed class NftRegisters
{
    private const int Cells = 16;
    private readonly NftOperand?[] _cells = new NftOperand?[Cells];

    /// <summary>Records that <paramref name="register"/> now holds <paramref name="value"/>.</summary>
    public void Load(uint register, NftOperand value)
    {
        if (!TryCell(register, out int first))
        {
            return;
        }

        Clear(first, CellsOf(value));
        _cells[first] = value;
    }

    /// <summary>Records that <paramref name="register"/> holds something the analyser does not follow.</summary>
    public void Forget(uint register)
    {
        if (TryCell(register, out int first))
        {
            Clear(first, 1);
        }
    }

    /// <summary>Records that any register may now hold something the analyser does not follow.</summary>
    public void ForgetAll() => Array.Clear(_cells);

    /// <summary>What <paramref name="register"/> holds: the value that starts there, a slice of a wider one, or null.</summary>
    public NftOperand? Read(uint register)
    {
        if (!TryCell(register, out int cell))
        {
            return null;
        }

        if (_cells[cell] is { } value)
        {
            return value;
        }

        for (int start = cell - 1; start >= 0; start--)
        {
            if (_cells[start] is { } wider)
            {
                int offset = (cell - start) * 4;
                return offset < wider.Length ? new SliceOperand(wider, offset, wider.Length - offset) : null;
            }
        }

        return null;
    }

    /// <summary>
    /// The <paramref name="length"/> bytes from <paramref name="register"/> on: one value, or the
    /// values of consecutive cells as a concatenation; null when a cell on the way holds nothing.
    /// </summary>
    public NftOperand? Read(uint register, int length)
    {
        if (Read(register) is not { } first)
        {
            return null;
        }

        if (CellsOf(first) * 4 >= length)
        {
            return first;
        }

        var parts = new List<NftOperand> { first };
        TryCell(register, out int cell);
        int covered = CellsOf(first) * 4;
        cell += CellsOf(first);
        while (covered < length)
        {
            if (cell >= Cells || _cells[cell] is not { } next)
            {
                return null;
            }

            parts.Add(next);
            covered += CellsOf(next) * 4;
            cell += CellsOf(next);
        }

        return new ConcatOperand(parts);
    }

    private static int CellsOf(NftOperand value) => Math.Max(1, (value.Length + 3) / 4);

    private static bool TryCell(uint register, out int cell)
    {
        cell = (int)NftRegister.ToReg32Index(register);
        return register != NftRegister.Verdict && register is <= 4 or (>= NftRegister.Reg32First and <= NftRegister.Reg32Last);
    }

    /// <summary>Drops every value that overlaps cells [first, first + count).</summary>
    private void Clear(int first, int count)
    {
        for (int cell = 0; cell < Cells; cell++)
        {
            if (_cells[cell] is { } held && cell < first + count && cell + CellsOf(held) > first)
            {
                _cells[cell] = null;
            }
        }
    }
}
