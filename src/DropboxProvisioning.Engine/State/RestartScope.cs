using DropboxProvisioning.Errors;

namespace DropboxProvisioning.State
{
    /// <summary>What Restart-DbxProvisioning clears.</summary>
    public enum RestartScope
    {
        /// <summary>Everything the engine remembers: managed accounts (re-matched next cycle), watermarks, escrows, quarantine, held deletions.</summary>
        Full,
        /// <summary>The delta links: the next cycle is an initial one.</summary>
        Watermark,
        /// <summary>The failed changes' backoff: they are retried as ordinary work by the next cycle.</summary>
        Escrows,
        /// <summary>The quarantine, so the next cycle runs now.</summary>
        Quarantine,
    }

    public static class StateRestart
    {
        public static void Apply(ProvisioningState state, RestartScope scope)
        {
            switch (scope)
            {
                case RestartScope.Full:
                    state.Users.Clear();
                    state.Groups.Clear();
                    state.Escrows.Clear();
                    state.TeamFolderEscrows.Clear();
                    state.Reconsider.Clear();
                    state.Quarantine = null;
                    state.StagedDeletions.Clear();
                    ClearWatermarks(state);
                    break;
                case RestartScope.Watermark:
                    ClearWatermarks(state);
                    break;
                case RestartScope.Escrows:
                    // The backoff is forgotten, not the work: the next cycle looks at each of them as at any changed object.
                    state.Reconsider.UnionWith(state.Escrows.Keys);
                    state.Escrows.Clear();
                    state.TeamFolderEscrows.Clear(); // planned again from the table at once
                    break;
                case RestartScope.Quarantine:
                    state.Quarantine = null;
                    break;
                default:
                    throw new DbxException("InvalidRestartScope", DbxErrorCategory.InvalidArgument, $"Unknown restart scope {scope}.");
            }
        }

        private static void ClearWatermarks(ProvisioningState state)
        {
            state.UsersDeltaLink = null;
            state.GroupsDeltaLink = null;
            state.EntitledUsers.Clear();
            state.AssignedGroups.Clear();
            state.ConfigurationFingerprint = null;
            state.PartialCycle = null; // its remaining work was planned from the watermarks: the initial cycle plans everything again
        }
    }
}
