using SnatTools.Core.Nat;

namespace SnatTools.Core.Nftables.Expressions;

/// <summary>An expression that performs source NAT (masq, nat snat, xt target MASQUERADE/SNAT) and can be rewritten with other range flags.</summary>
public interface INatExpression
{
    /// <summary>The NF_NAT_RANGE_* flags the kernel was given.</summary>
    NatRangeFlags Flags { get; }

    /// <summary>The same expression with <paramref name="flags"/> instead, everything else unchanged.</summary>
    Expression WithFlags(NatRangeFlags flags);
}
