namespace SnatTools.Core.Race;

/// <summary>Which of the kernel's two port allocators the model follows.</summary>
// long: ConvertTo-Json writes 64-bit enums by their name, other enums as numbers (Output/ReadableText.cs).
public enum SnatKernel : long
{
    /// <summary>
    /// Linux 5.0 and later (net/netfilter/nf_nat_core.c): a random start and linear probing in
    /// rounds of 128, 64, 32, 16 and 8 ports; <c>--random</c> and <c>--random-fully</c> behave the same.
    /// </summary>
    Current,

    /// <summary>
    /// Before 5.0 (net/netfilter/nf_nat_proto_common.c): a per-protocol rover that the next
    /// allocation starts from, a keyed hash of the destination for <c>--random</c>, a fresh random
    /// number for <c>--random-fully</c>, and a probe of the whole range.
    /// </summary>
    Legacy,
}
