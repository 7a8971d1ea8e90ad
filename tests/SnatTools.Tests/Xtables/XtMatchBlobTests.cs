using System.Buffers.Binary;
using SnatTools.Core.Xtables;

namespace SnatTools.Tests.Xtables;

/// <summary>
/// Matches the conformance corpus cannot load here (ipvs needs the ip_vs module, which this kernel
/// lacks; eui64 is refused in POSTROUTING): their blobs built by the uapi layouts, their text from
/// the extension's own test lines (libxt_ipvs.t, libip6t_eui64.t).
/// </summary>
public sealed class XtMatchBlobTests
{
    [Fact]
    public void Ipvs_prints_its_options_in_the_order_and_form_of_ipvs_mt_save()
    {
        var info = new byte[40];
        new byte[] { 198, 18, 3, 4 }.CopyTo(info, 0);
        new byte[] { 255, 255, 0, 0 }.CopyTo(info, 16);
        BinaryPrimitives.WriteUInt16BigEndian(info.AsSpan(32), 22);
        info[34] = 6;      // l4proto
        info[35] = 3;      // IP_VS_CONN_F_DROUTE
        info[39] = 0x3f;   // property, proto, vaddr, vport, dir, method

        Assert.Equal(" -m ipvs --vproto 6 --vaddr 198.18.3.4/16 --vport 22 --vdir ORIGINAL --vmethod GATE", Save("ipvs", info, ipv6: false));

        var property = new byte[40];
        property[38] = 0x01;
        property[39] = 0x01;
        Assert.Equal(" -m ipvs ! --ipvs", Save("ipvs", property, ipv6: false));

        var ctl = new byte[40];
        BinaryPrimitives.WriteUInt16BigEndian(ctl.AsSpan(36), 21);
        ctl[38] = 0x40 | 0x20;
        ctl[35] = 2;
        ctl[39] = 0x01 | 0x20 | 0x40;
        Assert.Equal(" -m ipvs ! --vmethod IPIP ! --vportctl 21", Save("ipvs", ctl, ipv6: false));
    }

    [Fact]
    public void Eui64_prints_no_options()
    {
        Assert.Equal(" -m eui64", Save("eui64", new byte[8], ipv6: true));
    }

    private static string Save(string name, byte[] info, bool ipv6)
    {
        var match = XtMatchRegistry.Decode(name, 0, info);
        Assert.True(match.IsDecoded);
        return match.Save(new XtSaveContext(ipv6, 0, null));
    }
}
