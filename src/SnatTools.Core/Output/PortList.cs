using System.Globalization;
using System.Text;

namespace SnatTools.Core.Output;

/// <summary>
/// Ports in ascending order that print as runs, "1024-1030,2000" (as iptables' multiport writes
/// them), so a CSV cell stays short even with thousands of ports in use.
/// </summary>
public sealed class PortList : ReadableList<int>
{
    public PortList(IList<int> ascending)
        : base(ascending)
    {
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        for (int i = 0; i < Count;)
        {
            int first = this[i], last = first;
            while (++i < Count && this[i] == last + 1)
            {
                last = this[i];
            }

            text.Append(text.Length > 0 ? "," : string.Empty)
                .Append(first.ToString(CultureInfo.InvariantCulture));
            if (last != first)
            {
                text.Append('-').Append(last.ToString(CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
