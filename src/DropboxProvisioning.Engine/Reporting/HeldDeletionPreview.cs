using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Reporting
{
    /// <summary>
    /// What approving a held suspension or deletion will really do, in the words of the approval prompt. Dropbox cannot
    /// suspend an account that is still invited and deletes it instead: where the target shows the member's status (the
    /// Team API does), an invited account's hold is told as the deletion it will be; over SCIM, which does not show it,
    /// the prompt says that it may be.
    /// </summary>
    public static class HeldDeletionPreview
    {
        /// <summary>The prompt text of each hold, by SourceId, asking Dropbox for the status of held suspensions where it can tell.</summary>
        public static async Task<IReadOnlyDictionary<string, string>> DescribeAsync(DbxConnection connection, IEnumerable<StagedDeletion> held, CancellationToken cancellationToken)
        {
            var texts = new Dictionary<string, string>(System.StringComparer.OrdinalIgnoreCase);
            foreach (var entry in held)
            {
                string status = null;
                if (IsSuspension(entry) && connection.Api == DropboxApiKind.TeamApi && entry.TargetId != null && entry.ObjectType == "User")
                {
                    try { status = (string)(await connection.Target.GetAsync("Users", entry.TargetId, cancellationToken).ConfigureAwait(false))?["status"]; }
                    catch (DropboxTargetException e) when (e.StatusCode == 404) { status = "removed"; }
                }
                texts[entry.SourceId] = Describe(entry, connection.Api, status);
            }
            return texts;
        }

        /// <param name="status">The member's Dropbox status when known (invited, active, suspended, removed), else null.</param>
        public static string Describe(StagedDeletion held, DropboxApiKind api, string status)
        {
            var noun = held.ObjectType == "Group" ? "group" : "user";
            if (!IsSuspension(held)) return $"Delete Dropbox {noun} '{held.TargetIdentity}': {held.Reason}";
            if (status == "invited")
                return $"Delete Dropbox {noun} '{held.TargetIdentity}' (it is still invited and Dropbox cannot suspend an invited member: it is removed instead): {held.Reason}";
            if (status == "removed")
                return $"Forget Dropbox {noun} '{held.TargetIdentity}' (it is no longer in Dropbox): {held.Reason}";
            if (status != null || api == DropboxApiKind.TeamApi)
                return $"Suspend Dropbox {noun} '{held.TargetIdentity}': {held.Reason}";
            return $"Suspend Dropbox {noun} '{held.TargetIdentity}' (or delete it, if it is still invited: Dropbox cannot suspend an invited account): {held.Reason}";
        }

        private static bool IsSuspension(StagedDeletion held) => held.Action != "Delete";
    }
}
