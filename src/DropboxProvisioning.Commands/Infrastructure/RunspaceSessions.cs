using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace DropboxProvisioning.Commands.Infrastructure
{
    /// <summary>
    /// The current connection of each runspace (one slot per kind: provisioning, activity). Azure Automation runs several jobs in one process, each in
    /// its own runspace: keying on the runspace keeps their connections apart, and the entry goes away
    /// with the runspace (no process-wide "current session").
    /// </summary>
    internal static class RunspaceSessions<T> where T : class
    {
        private sealed class Holder { public T Connection; }

        private static readonly ConditionalWeakTable<Runspace, Holder> Sessions = new ConditionalWeakTable<Runspace, Holder>();

        public static T Current
        {
            get
            {
                var runspace = Runspace.DefaultRunspace;
                return runspace != null && Sessions.TryGetValue(runspace, out var holder) ? holder.Connection : null;
            }
            set
            {
                var runspace = Runspace.DefaultRunspace;
                if (runspace == null) return;
                Sessions.GetOrCreateValue(runspace).Connection = value;
            }
        }
    }
}
