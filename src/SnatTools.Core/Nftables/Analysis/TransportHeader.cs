namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// Where the fields of <see cref="TransportField"/> sit in the transport header: the ports first
/// (source at 0, destination at 2, the same for TCP, UDP and SCTP) and the TCP flags byte at 13
/// (uapi linux/tcp.h struct tcphdr).
/// </summary>
public static class TransportHeader
{
    public static TransportField? FieldAt(uint offset, int length) => (offset, length) switch
    {
        (0, 2) => TransportField.SourcePort,
        (2, 2) => TransportField.DestinationPort,
        (13, 1) => TransportField.TcpFlags,
        _ => null,
    };

    /// <summary>The field a payload operand reads, when it is a transport-header load.</summary>
    public static TransportField? FieldOf(PayloadOperand payload) =>
        payload.Base == NftPayloadBase.Transport ? FieldAt(payload.Offset, payload.Size) : null;
}
