namespace SnatTools.Core.Nftables.Printing;

/// <summary>
/// The protocol matches nft prints only when nothing later needs them (netlink_delinearize.c
/// payload dependency handling): `meta nfproto ipv4` before an ip header field in inet tables, and
/// `meta l4proto tcp` (or `ip protocol tcp`) before a transport header field, which is then named
/// after that protocol ("tcp dport") instead of "th dport".
/// </summary>
internal sealed class NftDependencies
{
    private readonly HashSet<int> _removed = [];
    private int? _network;
    private byte _networkFamily;
    private int? _transport;
    private byte? _transportProtocol;
    private bool _transportIsNetworkField;
    private readonly bool _inet;

    /// <param name="inet">The rule is in an inet table: there `ip protocol`/`ip6 nexthdr` also say the network protocol and stay (payload.c payload_may_dependency_kill).</param>
    public NftDependencies(bool inet = false) => _inet = inet;

    /// <summary>The statement at <paramref name="index"/> is `meta nfproto X`.</summary>
    public void Network(int index, byte family = 0)
    {
        _network = index;
        _networkFamily = family;
    }

    /// <summary>The statement at <paramref name="index"/> limits the rule to IP protocol <paramref name="protocol"/>.</summary>
    public void Transport(int index, byte protocol, bool networkField = false)
    {
        _transport = index;
        _transportProtocol = protocol;
        _transportIsNetworkField = networkField;
    }

    /// <summary>
    /// A statement that is not a match was printed: dependencies before it stay (nft resets its
    /// dependency context after every non-expression statement, rule_maybe_reset_payload_deps);
    /// the protocol context, which names later header fields, is kept.
    /// </summary>
    public void Reset()
    {
        _network = null;
        _transport = null;
        _icmpDependency = null;
        _link = null;
    }

    private int? _link;

    /// <summary>The statement at <paramref name="index"/> is `meta iiftype ether`, the dependency nft adds before an ether field.</summary>
    public void Link(int index) => _link = index;

    /// <summary>An ether header field is printed: its `meta iiftype ether` goes.</summary>
    public void UseLink()
    {
        if (_link is { } index)
        {
            _removed.Add(index);
            _link = null;
        }
    }

    private int? _icmpDependency;
    private byte _icmpDependencyType;

    /// <summary>The ICMP type a later icmp field is read under (proto_ctx th_dep.icmp.type); 0 when none is known.</summary>
    public byte IcmpContext { get; private set; }

    /// <summary>
    /// The statement at <paramref name="index"/> is `icmp type X` / `icmpv6 type X` (payload.c
    /// payload_expr_pctx_update, payload_dependency_store_icmp_type): it sets the type context (echo-reply
    /// read as echo-request) and, unless it is an echo type, may go when a field it implies is printed.
    /// </summary>
    public void IcmpType(int index, bool icmpv6, byte type)
    {
        byte context = (icmpv6, type) switch { (false, 0) => 8, (true, 129) => 128, _ => type };
        IcmpContext = context;
        _icmpDependencyType = icmpv6 ? type : context;
        if (!(icmpv6 ? type is 128 or 129 : context == 8))
        {
            _icmpDependency = index;
        }
    }

    /// <summary>A set of icmp types was looked up: its first element sets the context when none is set (netlink_delinearize.c payload_icmp_check).</summary>
    public void IcmpSet(byte firstType)
    {
        if (IcmpContext == 0)
        {
            IcmpContext = firstType;
        }
    }

    /// <summary>An icmp field that implies ICMP type <paramref name="impliedType"/> is printed: an `icmp type` of that type goes (payload_may_dependency_kill_icmp).</summary>
    public void UseIcmp(byte impliedType)
    {
        if (_icmpDependency is { } index && _icmpDependencyType == impliedType)
        {
            _removed.Add(index);
            _icmpDependency = null;
        }
    }

    /// <summary>A network header field is printed: its nfproto dependency goes.</summary>
    public void UseNetwork()
    {
        if (_network is { } index)
        {
            _removed.Add(index);
            _network = null;
        }
    }

    /// <summary>
    /// A transport header field is printed: the protocol it is named after ("tcp"), its dependency
    /// going; "th" when no protocol is known; null for one nft has no header description of.
    /// </summary>
    public string? UseTransport()
    {
        if (_transportProtocol is null)
        {
            return "th";
        }

        string? name = _transportProtocol switch
        {
            1 => "icmp",
            2 => "igmp",
            50 => "esp",
            51 => "ah",
            108 => "comp",
            6 => "tcp",
            17 => "udp",
            58 => "icmpv6",
            33 => "dccp",
            132 => "sctp",
            136 => "udplite",
            _ => null,
        };
        if (name is not null && _transport is { } index && !(_inet && _transportIsNetworkField))
        {
            _removed.Add(index);
            _transport = null;
            if ((_transportProtocol, _networkFamily) is (1, NfProto.IPv4) or (58, NfProto.IPv6))
            {
                UseNetwork(); // icmp and icmpv6 imply their network protocol: nft adds and removes `meta nfproto` with them
            }
        }

        return name;
    }

    public bool IsRemoved(int index) => _removed.Contains(index);
}
