using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace SnatTools;

/// <summary>
/// For hosts that embed the module without importing it (tests, benchmarks, services): a session
/// state with every SnatTools cmdlet registered by its class.
/// </summary>
public static class SnatToolsSessionState
{
    public static InitialSessionState Create()
    {
        var state = InitialSessionState.CreateDefault2();
        foreach (var type in typeof(SnatToolsSessionState).Assembly.GetTypes())
        {
            if (type.GetCustomAttributes(typeof(CmdletAttribute), false).FirstOrDefault() is CmdletAttribute cmdlet)
            {
                state.Commands.Add(new SessionStateCmdletEntry($"{cmdlet.VerbName}-{cmdlet.NounName}", type, null));
            }
        }

        return state;
    }
}
