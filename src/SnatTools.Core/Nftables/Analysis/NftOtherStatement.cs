using SnatTools.Core.Nftables.Expressions;

namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// An expression the analyser does not turn into a statement of its own: x_tables matches and
/// targets, expressions it does not know, and expressions whose registers hold nothing it
/// followed. Each consumer decides what they mean to it.
/// </summary>
public sealed record NftOtherStatement(Expression Expression) : NftStatement
{
    public override string ToString() => Expression.ToString();
}
