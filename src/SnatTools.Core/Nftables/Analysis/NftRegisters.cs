namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// What each register holds while a rule's expressions run in order. The kernel's registers are
/// sixteen 32-bit cells (NFT_REG32_00..15); NFT_REG_1..4 name the same storage four cells at a time
/// (net/netfilter/nf_tables_api.c nft_parse_register). A value is kept at the cell it starts in; a
/// later load over any of its cells replaces it.
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

    /// <summary>The value that starts at <paramref name="register"/>, or null when none was loaded there.</summary>
    public NftOperand? Read(uint register) => TryCell(register, out int cell) ? _cells[cell] : null;

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
