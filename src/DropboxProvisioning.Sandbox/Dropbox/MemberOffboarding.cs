using System;
using System.Collections.Concurrent;

namespace DropboxProvisioning.Sandbox.Dropbox
{
    /// <summary>
    /// What the sandbox team recorded of offboarding (members/suspend and members/remove): whose linked devices were
    /// wiped (wipe_data), whose files went to whom (transfer_dest_id), and who kept a Basic account (keep_account,
    /// retain_team_shares), by team_member_id. Tests read it; the Team API shows none of it, as Dropbox's does not.
    /// </summary>
    public sealed class MemberOffboarding
    {
        public ConcurrentDictionary<string, DateTimeOffset> DevicesWiped { get; } = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);

        /// <summary>Removed member to the member who got its files.</summary>
        public ConcurrentDictionary<string, string> FilesTransferredTo { get; } = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        /// <summary>Removed member who kept a Basic account: whether it kept its direct shares (retain_team_shares).</summary>
        public ConcurrentDictionary<string, bool> KeptAccounts { get; } = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
    }
}
