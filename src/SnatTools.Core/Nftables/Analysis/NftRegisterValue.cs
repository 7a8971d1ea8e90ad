namespace SnatTools.Core.Nftables.Analysis;

/// <summary>A register an expression reads, and what it held then (null when nothing the analyser followed).</summary>
public readonly record struct NftRegisterValue(uint Register, NftOperand? Value);
