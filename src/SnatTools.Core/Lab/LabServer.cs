using System.Net;
using System.Net.Sockets;
using SnatTools.Core.Linux;

namespace SnatTools.Core.Lab;

/// <summary>
/// The lab's server: a listening socket created inside the server namespace and a dedicated
/// thread that accepts and closes. The kernel answers SYNs itself, so the accept loop's speed
/// never shows in connect latency; it only keeps the accept queue from filling.
/// </summary>
internal sealed class LabServer : IDisposable
{
    private readonly Socket _listener;
    private readonly Thread _acceptLoop;
    private volatile bool _stopping;

    public LabServer(string networkNamespace, IPAddress address, int port)
    {
        _listener = NetworkNamespace.Run(networkNamespace, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(4096);
            return socket;
        });
        _acceptLoop = new Thread(AcceptLoop) { IsBackground = true, Name = "snattools-lab-server" };
        _acceptLoop.Start();
    }

    private void AcceptLoop()
    {
        while (!_stopping)
        {
            try
            {
                using var connection = _listener.Accept();
            }
            catch (SocketException) when (_stopping)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // A client reset before accept; keep serving.
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _listener.Dispose();
        _acceptLoop.Join(TimeSpan.FromSeconds(5));
    }
}
