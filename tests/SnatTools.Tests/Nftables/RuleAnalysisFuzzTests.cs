using CsCheck;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables;
using SnatTools.Core.Nftables.Analysis;
using SnatTools.Core.Nftables.Expressions;
using SnatTools.Core.Nftables.Printing;
using SnatTools.Core.Rules;

namespace SnatTools.Tests.Nftables;

/// <summary>
/// Issue 17: no rule may throw. Rules built from random sequences of expressions (random registers,
/// lengths, keys, bases and offsets, data and verdicts, set references to sets that exist with
/// random shapes and elements, or do not exist) go through the decoders, the analyser, the printer
/// and the rule factory; nothing may escape, and what the printer cannot print is reported.
/// </summary>
public sealed class RuleAnalysisFuzzTests
{
    private enum Kind { Reg, Small, Data, Name, Be64, U8 }

    /// <summary>Each expression's attributes: type and the kind of value the generator puts there.</summary>
    private static readonly (string Name, (ushort Type, Kind Kind, uint Max)[] Attributes)[] Shapes =
    [
        ("cmp", [(1, Kind.Reg, 0), (2, Kind.Small, 6), (3, Kind.Data, 0)]),
        ("immediate", [(1, Kind.Reg, 0), (2, Kind.Data, 0)]),
        ("range", [(1, Kind.Reg, 0), (2, Kind.Small, 2), (3, Kind.Data, 0), (4, Kind.Data, 0)]),
        ("lookup", [(1, Kind.Name, 0), (2, Kind.Reg, 0), (3, Kind.Reg, 0), (5, Kind.Small, 1)]),
        ("meta", [(2, Kind.Small, 40), (1, Kind.Reg, 0), (3, Kind.Reg, 0)]),
        ("payload", [(1, Kind.Reg, 0), (2, Kind.Small, 3), (3, Kind.Small, 44), (4, Kind.Small, 20), (5, Kind.Reg, 0)]),
        ("bitwise", [(1, Kind.Reg, 0), (2, Kind.Reg, 0), (3, Kind.Small, 20), (6, Kind.Small, 5), (4, Kind.Data, 0), (5, Kind.Data, 0), (7, Kind.Data, 0)]),
        ("ct", [(1, Kind.Reg, 0), (2, Kind.Small, 30), (3, Kind.U8, 2), (4, Kind.Reg, 0)]),
        ("counter", [(1, Kind.Be64, 0), (2, Kind.Be64, 0)]),
        ("fib", [(1, Kind.Reg, 0), (2, Kind.Small, 4), (3, Kind.Small, 31)]),
        ("numgen", [(1, Kind.Reg, 0), (2, Kind.Small, 10), (3, Kind.Small, 1), (4, Kind.Small, 5)]),
        ("hash", [(1, Kind.Reg, 0), (2, Kind.Reg, 0), (3, Kind.Small, 20), (4, Kind.Small, 10), (5, Kind.Small, 9), (6, Kind.Small, 3), (7, Kind.Small, 1)]),
        ("byteorder", [(1, Kind.Reg, 0), (2, Kind.Reg, 0), (3, Kind.Small, 1), (4, Kind.Small, 20), (5, Kind.Small, 8)]),
        ("masq", [(1, Kind.Small, 31), (2, Kind.Reg, 0), (3, Kind.Reg, 0)]),
        ("nat", [(1, Kind.Small, 1), (2, Kind.Small, 10), (3, Kind.Reg, 0), (4, Kind.Reg, 0), (5, Kind.Reg, 0), (6, Kind.Reg, 0), (7, Kind.Small, 63)]),
        ("limit", [(1, Kind.Be64, 0), (2, Kind.Be64, 0), (3, Kind.Small, 5), (4, Kind.Small, 1), (5, Kind.Small, 1)]),
        ("quota", [(1, Kind.Be64, 0), (2, Kind.Small, 1), (3, Kind.Be64, 0)]),
        ("log", [(1, Kind.Small, 3), (2, Kind.Name, 0)]),
    ];

    private static readonly string[] SetNames = ["__set0", "__map0", "s", "missing"];

    [Fact]
    public void No_random_rule_makes_the_analyser_or_printer_throw()
    {
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var rule = RandomRule(random);
            var sets = SetNames.Take(3).ToDictionary(n => n, n => random.Next(4) == 0 ? null : RandomSet(random, n));
            Func<string, NftSetContents?> lookup = name => sets.GetValueOrDefault(name);

            var analysis = NftRuleAnalyser.Analyse(rule, lookup);
            var printed = NftRulePrinter.Print(analysis);
            Assert.NotNull(printed.Text);
            var snat = SnatRuleFactory.FromNftRule(rule, 1, true, 1, null, lookup, null);
            Assert.NotNull(snat.Text);
        }, iter: 20_000, print: seed => $"seed {seed}: {RandomRule(new Random(seed))}");
    }

    private static NftRule RandomRule(Random random)
    {
        var expressions = new List<Expression>();
        int count = random.Next(1, 9);
        for (int i = 0; i < count; i++)
        {
            var (name, attributes) = Shapes[random.Next(Shapes.Length)];
            var writer = new NetlinkWriter(256);
            foreach (var (type, kind, max) in attributes)
            {
                if (random.Next(6) != 0)
                {
                    Put(writer, random, type, kind, max);
                }
            }

            expressions.Add(ExpressionRegistry.Decode(name, writer.WrittenSpan.ToArray()));
        }

        if (random.Next(2) == 0)
        {
            expressions.Add(ExpressionRegistry.Decode("masq", []));
        }

        byte family = (byte)(random.Next(3) switch { 0 => NfProto.IPv4, 1 => NfProto.IPv6, _ => NfProto.Inet });
        return new NftRule(family, "t", "c", 1, null, expressions, null, 1);
    }

    private static void Put(NetlinkWriter writer, Random random, ushort type, Kind kind, uint max)
    {
        switch (kind)
        {
            case Kind.Reg:
                writer.PutBe32(type, random.Next(8) == 0 ? (uint)random.Next(0, 30) : (uint)random.Next(0, 5) is var r && random.Next(2) == 0 ? r : (uint)random.Next(8, 24));
                break;
            case Kind.Small:
                writer.PutBe32(type, random.Next(10) == 0 ? (uint)random.Next() : (uint)random.Next(0, (int)max + 1));
                break;
            case Kind.U8:
                writer.PutU8(type, (byte)random.Next(0, (int)max + 1));
                break;
            case Kind.Be64:
                writer.PutBe64(type, (ulong)random.NextInt64());
                break;
            case Kind.Name:
                writer.PutString(type, SetNames[random.Next(SetNames.Length)]);
                break;
            case Kind.Data:
                PutData(writer, random, type);
                break;
        }
    }

    private static void PutData(NetlinkWriter writer, Random random, ushort type)
    {
        int nest = writer.BeginNested(type);
        if (random.Next(5) == 0)
        {
            int verdict = writer.BeginNested(NftaData.Verdict);
            writer.PutBe32(NftaVerdict.Code, (uint)random.Next(-5, 3));
            if (random.Next(2) == 0)
            {
                writer.PutString(NftaVerdict.Chain, "c");
            }

            writer.EndNested(verdict);
        }
        else
        {
            writer.PutAttribute(NftaData.Value, RandomBytes(random, random.Next(0, 21)));
        }

        writer.EndNested(nest);
    }

    private static NftSetContents RandomSet(Random random, string name)
    {
        uint flags = (uint)random.Next(0, 256) | (name.StartsWith("__", StringComparison.Ordinal) ? 1u : 0u);
        uint KeyType()
        {
            uint type = 0;
            int parts = random.Next(1, 4);
            for (int i = 0; i < parts; i++)
            {
                type = (type << NftValueType.ConcatBits) | (uint)random.Next(0, 50);
            }

            return type;
        }

        uint? dataType = random.Next(3) switch { 0 => null, 1 => 0xffffff00, _ => KeyType() };
        var set = new NftSet(NfProto.IPv4, "t", name, flags, KeyType(), (uint)random.Next(0, 41), dataType, dataType is null ? null : (uint)random.Next(0, 33));
        var elements = new List<NftSetElement>();
        int count = random.Next(0, 6);
        for (int i = 0; i < count; i++)
        {
            NftData? data = random.Next(3) switch
            {
                0 => null,
                1 => NftData.FromVerdict(new NftVerdict(random.Next(-5, 1), random.Next(2) == 0 ? "c" : null)),
                _ => NftData.FromValue(RandomBytes(random, random.Next(0, 33))),
            };
            elements.Add(new NftSetElement(
                RandomBytes(random, random.Next(0, 41)),
                random.Next(4) == 0 ? RandomBytes(random, random.Next(0, 41)) : null,
                (uint)random.Next(0, 4),
                data));
        }

        return new NftSetContents(set, elements);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
