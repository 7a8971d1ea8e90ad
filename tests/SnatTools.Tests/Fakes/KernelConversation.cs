using System.Globalization;
using System.Text;

namespace SnatTools.Tests.Fakes;

/// <summary>One call the core made to the kernel and what the kernel answered.</summary>
public abstract record KernelCall;

/// <summary>A netlink request datagram and the reply datagrams the kernel queued for it, in order.</summary>
public sealed record NetlinkCall(int Protocol, byte[] Request, List<byte[]> Replies) : KernelCall
{
    public NetlinkDatagram Datagram => new(Request);
}

/// <summary>The x_tables socket operations (<see cref="SnatTools.Core.IptablesLegacy.IXtablesTransport"/>).</summary>
public enum XtablesOperation
{
    HasTable,
    GetOption,
    SetOption,
    Replace,
}

/// <summary>
/// One x_tables call: for HasTable the table and whether it exists (Errno 0 or ENOENT); for
/// GetOption the buffer going in and coming out; for SetOption the value; for Replace the
/// ipt_replace blob (counters pointer zero) and the old counters the kernel wrote back.
/// </summary>
public sealed record XtablesCall(XtablesOperation Operation, bool IsIPv6, int Option, string? Table, byte[] Input, int Errno, byte[] Output) : KernelCall
{
    public bool Matches(XtablesCall other) =>
        Operation == other.Operation && IsIPv6 == other.IsIPv6 && Option == other.Option && Table == other.Table && Input.AsSpan().SequenceEqual(other.Input);

    public override string ToString() =>
        $"{(IsIPv6 ? "ipv6" : "ipv4")} {Operation} {(Table ?? Option.ToString(CultureInfo.InvariantCulture))} ({Input.Length} bytes in) -> errno {Errno}";
}

/// <summary>
/// A recorded conversation with the kernel, kept as text under TestData: '#' lines say how it was
/// captured; each call is a directive line followed by its bytes in hex (16 a line):
/// <code>
/// netlink 12 request          the datagram the core sent
/// netlink reply               one datagram the kernel queued for it (any number)
/// xtables ipv4 has-table nat yes
/// xtables ipv4 get 64 errno 0 followed by the buffer in, then "xtables out" and the buffer out
/// xtables ipv4 set 65 errno 0 followed by the value
/// xtables ipv4 replace errno 0 followed by the ipt_replace blob, then "xtables out" and the old counters
/// </code>
/// </summary>
public sealed class KernelConversation
{
    public List<string> Header { get; } = [];

    public List<KernelCall> Calls { get; } = [];

    public IEnumerable<NetlinkCall> NetlinkCalls => Calls.OfType<NetlinkCall>();

    public IEnumerable<XtablesCall> XtablesCalls => Calls.OfType<XtablesCall>();

    public static KernelConversation Load(string fileName) =>
        Parse(File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", fileName)));

    public static KernelConversation Parse(IEnumerable<string> lines)
    {
        var conversation = new KernelConversation();
        KernelCall? call = null;  // the call being read
        List<byte>? bytes = null; // where hex lines go
        var input = new List<byte>();
        var output = new List<byte>();
        List<byte>? request = null;
        var replies = new List<List<byte>>();

        void Finish()
        {
            switch (call)
            {
                case NetlinkCall netlink:
                    conversation.Calls.Add(netlink with { Request = [.. request!], Replies = replies.Select(r => r.ToArray()).ToList() });
                    break;
                case XtablesCall xtables:
                    conversation.Calls.Add(xtables with { Input = [.. input], Output = [.. output] });
                    break;
            }

            call = null;
            bytes = null;
            input.Clear();
            output.Clear();
            replies.Clear();
        }

        foreach (string line in lines)
        {
            if (line.StartsWith('#'))
            {
                conversation.Header.Add(line.Length > 2 ? line[2..] : string.Empty);
                continue;
            }

            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            switch (words[0])
            {
                case "netlink" when words[^1] == "request":
                    Finish();
                    call = new NetlinkCall(int.Parse(words[1], CultureInfo.InvariantCulture), [], []);
                    bytes = request = [];
                    break;
                case "netlink" when words[^1] == "reply":
                    replies.Add(bytes = []);
                    break;
                case "xtables" when words[1] == "out":
                    bytes = output;
                    break;
                case "xtables":
                    Finish();
                    call = ParseXtables(words);
                    bytes = input;
                    break;
                default:
                    if (bytes is null)
                    {
                        throw new InvalidDataException($"hex bytes before any call: {line}");
                    }

                    bytes.AddRange(words.Select(w => byte.Parse(w, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                    break;
            }
        }

        Finish();
        return conversation;
    }

    public void Save(string path)
    {
        var text = new StringBuilder();
        foreach (string line in Header)
        {
            text.Append("# ").Append(line).Append('\n');
        }

        foreach (var call in Calls)
        {
            text.Append('\n');
            switch (call)
            {
                case NetlinkCall netlink:
                    text.Append(CultureInfo.InvariantCulture, $"netlink {netlink.Protocol} request\n").Append(NetlinkDatagram.Hex(netlink.Request)).Append('\n');
                    foreach (var reply in netlink.Replies)
                    {
                        text.Append("netlink reply\n").Append(NetlinkDatagram.Hex(reply)).Append('\n');
                    }

                    break;
                case XtablesCall { Operation: XtablesOperation.HasTable } has:
                    text.Append(CultureInfo.InvariantCulture, $"xtables {Family(has)} has-table {has.Table} {(has.Errno == 0 ? "yes" : "no")}\n");
                    break;
                case XtablesCall xt:
                    string operation = xt.Operation switch
                    {
                        XtablesOperation.GetOption => $"get {xt.Option}",
                        XtablesOperation.SetOption => $"set {xt.Option}",
                        _ => "replace",
                    };
                    text.Append(CultureInfo.InvariantCulture, $"xtables {Family(xt)} {operation} errno {xt.Errno}\n").Append(NetlinkDatagram.Hex(xt.Input)).Append('\n');
                    if (xt.Output.Length > 0)
                    {
                        text.Append("xtables out\n").Append(NetlinkDatagram.Hex(xt.Output)).Append('\n');
                    }

                    break;
            }
        }

        File.WriteAllText(path, text.ToString());
    }

    private static string Family(XtablesCall call) => call.IsIPv6 ? "ipv6" : "ipv4";

    private static XtablesCall ParseXtables(string[] words)
    {
        bool ipv6 = words[1] == "ipv6";
        int Errno() => int.Parse(words[Array.IndexOf(words, "errno") + 1], CultureInfo.InvariantCulture);
        return words[2] switch
        {
            "has-table" => new XtablesCall(XtablesOperation.HasTable, ipv6, 0, words[3], [], words[4] == "yes" ? 0 : SnatTools.Core.Linux.Errno.ENOENT, []),
            "get" => new XtablesCall(XtablesOperation.GetOption, ipv6, int.Parse(words[3], CultureInfo.InvariantCulture), null, [], Errno(), []),
            "set" => new XtablesCall(XtablesOperation.SetOption, ipv6, int.Parse(words[3], CultureInfo.InvariantCulture), null, [], Errno(), []),
            "replace" => new XtablesCall(XtablesOperation.Replace, ipv6, SnatTools.Core.IptablesLegacy.LegacyTableWriter.SoSetReplace, null, [], Errno(), []),
            _ => throw new InvalidDataException($"unknown xtables directive: {string.Join(' ', words)}"),
        };
    }
}
