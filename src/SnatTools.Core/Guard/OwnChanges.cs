namespace SnatTools.Core.Guard;

/// <summary>
/// The commits the guard made itself, so that the events they cause are not taken for an owner's
/// rewrite. A commit is known by the port id of the socket that sent it and the generation it
/// created; the kernel writes both into every event of that transaction (nlmsg_pid and the low
/// 16 bits of the generation in nfgenmsg.res_id, see <see cref="NftEventSocket"/>). The pair is
/// exact: port ids are unique among the namespace's open sockets and the writer's socket is open
/// until its commit is acknowledged, and the generation moves by one per commit.
/// </summary>
public sealed class OwnChanges
{
    /// <summary>Old commits are forgotten: their events have long been read.</summary>
    private const int Remembered = 64;

    private readonly Queue<(uint PortId, ushort Generation)> _order = new();
    private readonly HashSet<(uint PortId, ushort Generation)> _commits = [];

    public void Record(uint portId, uint generation)
    {
        if (portId == 0)
        {
            return; // the kernel's own port: never a socket of ours
        }

        var key = (portId, (ushort)generation);
        if (_commits.Add(key))
        {
            _order.Enqueue(key);
            if (_order.Count > Remembered)
            {
                _commits.Remove(_order.Dequeue());
            }
        }
    }

    public bool IsOwn(NftRulesetEvent change) => _commits.Contains((change.PortId, change.Generation));
}
