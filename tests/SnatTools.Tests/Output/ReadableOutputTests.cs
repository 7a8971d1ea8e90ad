using System.Collections;
using System.Management.Automation;
using System.Reflection;
using SnatTools.Cmdlets;
using SnatTools.Core.Output;

namespace SnatTools.Tests.Output;

/// <summary>
/// Every type a cmdlet writes shows, in its public properties, only values that ConvertTo-Json
/// and Export-Csv print as one readable value. ConvertTo-Json reflects public properties and no
/// type data changes that, so a TimeSpan, IPAddress or byte[] added to an output type anywhere in
/// its object graph fails here, naming the property.
/// </summary>
public sealed class ReadableOutputTests
{
    private static readonly HashSet<Type> Leaves =
    [
        typeof(string), typeof(bool), typeof(char), typeof(byte), typeof(sbyte), typeof(short), typeof(ushort),
        typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(double), typeof(float), typeof(decimal),
        typeof(DateTimeOffset), typeof(DateTime), typeof(Guid),
    ];

    public static TheoryData<string> OutputTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in CmdletOutputTypes())
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OutputTypes))]
    public void Every_public_property_of_an_output_type_is_text_a_number_a_64_bit_enum_or_made_of_those(string typeName)
    {
        var type = CmdletOutputTypes().Single(t => t.FullName == typeName);
        var problems = new List<string>();
        Check(type, type.Name, problems, []);
        Assert.True(problems.Count == 0,
            "Not readable by ConvertTo-Json / Export-Csv (expose text with ReadableText or a ReadableList, keep the typed value internal):" +
            Environment.NewLine + string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Every_cmdlet_declares_what_it_writes()
    {
        var cmdlets = typeof(SnatToolsSessionState).Assembly.GetTypes().Where(t => t.GetCustomAttribute<CmdletAttribute>() is not null).ToList();
        Assert.NotEmpty(cmdlets);
        Assert.All(
            cmdlets.Where(t => t != typeof(RemoveSnatRaceLabCommand)),
            cmdlet => Assert.True(cmdlet.GetCustomAttributes<OutputTypeAttribute>().Any(), $"{cmdlet.Name} has no [OutputType]"));
    }

    [Theory]
    [InlineData(0, 0, 1, 0, "00:00:01")]
    [InlineData(0, 0, 1, 1_000, "00:00:01.0001")]
    [InlineData(0, 0, 0, 0, "00:00:00")]
    [InlineData(1, 2, 3, 500_0000, "1.02:00:03.5")]
    public void A_duration_is_hh_mm_ss_with_the_fraction_it_has(int days, int hours, int seconds, long extraTicks, string expected)
    {
        var duration = new TimeSpan(days, hours, 0, seconds) + TimeSpan.FromTicks(extraTicks);
        Assert.Equal(expected, ReadableText.Duration(duration));
        Assert.Equal(duration, TimeSpan.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("00:00:00.0000018", ReadableText.Duration(TimeSpan.FromTicks(18)));
    }

    [Fact]
    public void Lists_print_their_items_and_port_lists_their_runs()
    {
        Assert.Equal("a; b", ReadableList.From(["a", "b"]).ToString());
        Assert.Equal(string.Empty, ReadableList.From(Array.Empty<int>()).ToString());
        Assert.Equal("1024-1026,2000,3000-3001", new PortList([1024, 1025, 1026, 2000, 3000, 3001]).ToString());
        Assert.Equal("7", new PortList([7]).ToString());
    }

    private static IEnumerable<Type> CmdletOutputTypes() => typeof(SnatToolsSessionState).Assembly.GetTypes()
        .SelectMany(t => t.GetCustomAttributes<OutputTypeAttribute>())
        .SelectMany(o => o.Type)
        .Select(t => t.Type)
        .Where(t => t is not null && t != typeof(string))
        .Distinct()!;

    private static void Check(Type type, string path, List<string> problems, HashSet<Type> seen)
    {
        if (!seen.Add(type))
        {
            return;
        }

        // A nested object is one CSV cell (and, past -Depth, one JSON string): its ToString.
        if (path.Contains('.', StringComparison.Ordinal) && type.GetMethod(nameof(ToString), Type.EmptyTypes)!.DeclaringType == typeof(object))
        {
            problems.Add($"{path}: {type.Name} does not override ToString (what Export-Csv and deep JSON print)");
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            CheckValue(property.PropertyType, $"{path}.{property.Name}", problems, seen);
        }

        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            CheckValue(field.FieldType, $"{path}.{field.Name}", problems, seen);
        }
    }

    private static void CheckValue(Type type, string path, List<string> problems, HashSet<Type> seen)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (Leaves.Contains(type))
        {
            return;
        }

        if (type.IsEnum)
        {
            if (Enum.GetUnderlyingType(type) is var underlying && underlying != typeof(long) && underlying != typeof(ulong))
            {
                problems.Add($"{path}: enum {type.Name} is backed by {underlying.Name}; ConvertTo-Json writes it as a number (make it `: long`)");
            }

            return;
        }

        if (typeof(IEnumerable).IsAssignableFrom(type))
        {
            var item = type.IsArray ? type.GetElementType() : type.GetInterfaces().Append(type)
                .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
            if (item is null || type.IsArray || !(type.IsInterface || typeof(ReadableList<>).IsAssignableFrom(type.IsGenericType ? type.GetGenericTypeDefinition() : type)))
            {
                problems.Add($"{path}: {Describe(type)} is not a list that prints its items (use ReadableList)");
                return;
            }

            CheckValue(item, path + "[]", problems, seen);
            return;
        }

        if (type.Namespace?.StartsWith("SnatTools.", StringComparison.Ordinal) == true && !type.IsPrimitive)
        {
            Check(type, path, problems, seen);
            return;
        }

        problems.Add($"{path}: {Describe(type)} serialises as its fields (TimeSpan: ReadableText.Duration; IPAddress: its ToString)");
    }

    private static string Describe(Type type) => type.IsGenericType
        ? $"{type.Name.Split('`')[0]}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>"
        : type.Name;
}
