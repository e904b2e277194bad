using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace DropboxProvisioning.Activity
{
    /// <summary>One row of the mapping table: a Dropbox event type and the activity name it is reported as.</summary>
    public sealed class ActivityEventType
    {
        public ActivityEventType(string eventType, string category, string description, string activity)
        {
            EventType = eventType; Category = category; Description = description; Activity = activity;
        }

        /// <summary>team_log.EventType tag ("file_add").</summary>
        public string EventType { get; }
        /// <summary>team_log.EventCategory tag ("file_operations").</summary>
        public string Category { get; }
        /// <summary>Dropbox's own description, without the "(category)" prefix.</summary>
        public string Description { get; }
        /// <summary>The connector's name for it ("Upload file").</summary>
        public string Activity { get; }
        public bool Deprecated => Description.IndexOf("(deprecated", StringComparison.Ordinal) >= 0;

        public override string ToString() => EventType + " -> " + Activity;
    }

    /// <summary>
    /// The connector's names for Dropbox activities. Defender for Cloud Apps reports Dropbox events in the same
    /// vocabulary as every other connected app ("Upload file" for file_add, "Log on" for login_success...):
    /// <see cref="Connector"/> holds those names; every other event type gets <see cref="Derive"/>'s name, made
    /// from Dropbox's own description ("Changed group management type" → "Change group management type").
    /// The generated table (<see cref="ActivityEventTypes"/>) applies both to every type in team_log.stone.
    /// </summary>
    public static class ActivityVocabulary
    {
        /// <summary>Event types with the connector's common activity names.</summary>
        public static readonly IReadOnlyDictionary<string, string> Connector = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // files
            ["file_add"] = "Upload file",
            ["file_add_from_automation"] = "Upload file",
            ["file_download"] = "Download file",
            ["file_preview"] = "View file",
            ["file_edit"] = "Edit file",
            ["file_delete"] = "Delete file",
            ["file_permanently_delete"] = "Permanently delete file",
            ["file_rename"] = "Rename file",
            ["file_move"] = "Move file",
            ["file_copy"] = "Copy file",
            ["file_restore"] = "Restore file",
            ["file_revert"] = "Restore file version",
            ["file_rollback_changes"] = "Roll back file changes",
            ["file_locking_lock_status_changed"] = "Lock file",
            ["file_add_comment"] = "Add comment",
            ["file_edit_comment"] = "Edit comment",
            ["file_delete_comment"] = "Delete comment",
            ["file_request_create"] = "Create file request",
            ["file_request_receive_file"] = "Upload file to file request",
            // sharing
            ["shared_link_create"] = "Create sharing link",
            ["shared_link_view"] = "View shared link",
            ["shared_link_download"] = "Download file from shared link",
            ["shared_link_copy"] = "Copy shared link",
            ["shared_link_share"] = "Share sharing link",
            ["shared_link_remove_expiry"] = "Edit sharing link",
            ["shared_link_add_expiry"] = "Edit sharing link",
            ["shared_link_change_expiry"] = "Edit sharing link",
            ["shared_link_change_visibility"] = "Edit sharing link",
            ["shared_link_settings_change_audience"] = "Edit sharing link",
            ["shared_link_disable"] = "Delete sharing link",
            ["shared_content_add_member"] = "Share file",
            ["shared_content_add_invitees"] = "Share file",
            ["shared_content_remove_member"] = "Unshare file",
            ["shared_content_unshare"] = "Unshare file",
            ["shared_content_download"] = "Download shared file",
            ["shared_content_view"] = "View shared file",
            ["shared_content_copy"] = "Copy shared file",
            ["shared_content_change_member_role"] = "Change sharing permission",
            ["shared_content_request_access"] = "Request access",
            ["shared_folder_create"] = "Create shared folder",
            ["shared_folder_mount"] = "Add shared folder",
            ["shared_folder_unmount"] = "Remove shared folder",
            ["shared_folder_transfer_ownership"] = "Transfer ownership",
            // logins and passwords
            ["login_success"] = "Log on",
            ["login_fail"] = "Failed log on",
            ["emm_error"] = "Failed log on",
            ["logout"] = "Log off",
            ["sign_in_as_session_start"] = "Impersonate user",
            ["sign_in_as_session_end"] = "End user impersonation",
            ["password_change"] = "Change password",
            ["password_reset"] = "Reset password",
            ["password_reset_all"] = "Reset all passwords",
            ["tfa_change_status"] = "Change two-step verification",
            // devices and apps
            ["device_link_success"] = "Link device",
            ["device_link_fail"] = "Failed to link device",
            ["device_unlink"] = "Unlink device",
            ["app_link_user"] = "Authorize app",
            ["app_link_team"] = "Authorize app for team",
            ["app_unlink_user"] = "Revoke app authorization",
            ["app_unlink_team"] = "Revoke app authorization for team",
            // members and groups
            ["member_change_status"] = "Change user status",
            ["member_add_name"] = "Add user",
            ["member_change_name"] = "Change user name",
            ["member_change_email"] = "Change user email",
            ["member_change_admin_role"] = "Change admin role",
            ["member_transfer_account_contents"] = "Transfer user content",
            ["member_permanently_delete_account_contents"] = "Permanently delete user content",
            ["group_create"] = "Create group",
            ["group_delete"] = "Delete group",
            ["group_rename"] = "Rename group",
            ["group_add_member"] = "Add member to group",
            ["group_remove_member"] = "Remove member from group",
        };

        private static readonly Dictionary<string, string> PastToPresent = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Accepted"] = "Accept", ["Acquired"] = "Acquire", ["Activated"] = "Activate", ["Added"] = "Add", ["Allowed"] = "Allow", ["Applied"] = "Apply",
            ["Approved"] = "Approve", ["Archived"] = "Archive", ["Auto"] = "Auto", ["Blocked"] = "Block", ["Canceled"] = "Cancel", ["Cancelled"] = "Cancel",
            ["Changed"] = "Change", ["Checked"] = "Check", ["Claimed"] = "Claim", ["Cleared"] = "Clear", ["Closed"] = "Close", ["Completed"] = "Complete",
            ["Configured"] = "Configure", ["Connected"] = "Connect", ["Copied"] = "Copy", ["Created"] = "Create", ["Declined"] = "Decline", ["Deleted"] = "Delete",
            ["Disabled"] = "Disable", ["Disconnected"] = "Disconnect", ["Downgraded"] = "Downgrade", ["Downloaded"] = "Download", ["Edited"] = "Edit",
            ["Enabled"] = "Enable", ["Ended"] = "End", ["Enforced"] = "Enforce", ["Exported"] = "Export", ["Extended"] = "Extend", ["Generated"] = "Generate",
            ["Granted"] = "Grant", ["Imported"] = "Import", ["Invited"] = "Invite", ["Joined"] = "Join", ["Left"] = "Leave", ["Liked"] = "Like", ["Linked"] = "Link",
            ["Locked"] = "Lock", ["Merged"] = "Merge", ["Modified"] = "Modify", ["Moved"] = "Move", ["Opened"] = "Open", ["Opted"] = "Opt", ["Permanently"] = "Permanently",
            ["Posted"] = "Post", ["Previewed"] = "Preview", ["Published"] = "Publish", ["Purchased"] = "Purchase", ["Received"] = "Receive", ["Redeemed"] = "Redeem",
            ["Refreshed"] = "Refresh", ["Rejected"] = "Reject", ["Released"] = "Release", ["Removed"] = "Remove", ["Renamed"] = "Rename", ["Reopened"] = "Reopen",
            ["Replaced"] = "Replace", ["Reported"] = "Report", ["Requested"] = "Request", ["Reset"] = "Reset", ["Resolved"] = "Resolve", ["Restored"] = "Restore",
            ["Resumed"] = "Resume", ["Reverted"] = "Revert", ["Revoked"] = "Revoke", ["Rolled"] = "Roll", ["Saved"] = "Save", ["Sent"] = "Send", ["Set"] = "Set",
            ["Shared"] = "Share", ["Signed"] = "Sign", ["Skipped"] = "Skip", ["Started"] = "Start", ["Stopped"] = "Stop", ["Subscribed"] = "Subscribe",
            ["Suggested"] = "Suggest", ["Suspended"] = "Suspend", ["Synced"] = "Sync", ["Terminated"] = "Terminate", ["Transferred"] = "Transfer",
            ["Triggered"] = "Trigger", ["Turned"] = "Turn", ["Unarchived"] = "Unarchive", ["Unblocked"] = "Unblock", ["Uninvited"] = "Uninvite",
            ["Unliked"] = "Unlike", ["Unlinked"] = "Unlink", ["Unlocked"] = "Unlock", ["Unresolved"] = "Unresolve", ["Unshared"] = "Unshare",
            ["Unsuspended"] = "Unsuspend", ["Updated"] = "Update", ["Upgraded"] = "Upgrade", ["Uploaded"] = "Upload", ["Used"] = "Use", ["Verified"] = "Verify",
            ["Viewed"] = "View", ["Watched"] = "Watch", ["Deactivated"] = "Deactivate", ["Reactivated"] = "Reactivate", ["Requested"] = "Request",
        };

        private static readonly Regex CategoryPrefix = new Regex(@"^\([a-z_]+\)\s*", RegexOptions.CultureInvariant);
        private static readonly Regex Annotation = new Regex(@"\s*\((deprecated|replaced)[^)]*\)\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        /// <summary>"(file_operations) Added files and/or folders" → "Added files and/or folders".</summary>
        public static string StripCategory(string description) => CategoryPrefix.Replace(description ?? "", "");

        /// <summary>A readable activity name from a Dropbox description: the category and deprecation notes dropped, the leading verb in the imperative.</summary>
        public static string Derive(string description)
        {
            var text = Annotation.Replace(StripCategory(description), "").Trim().TrimEnd('.');
            if (text.Length == 0) return text;
            var space = text.IndexOf(' ');
            var first = space < 0 ? text : text.Substring(0, space);
            if (PastToPresent.TryGetValue(first, out var present)) text = present + (space < 0 ? "" : text.Substring(space));
            return text;
        }

        /// <summary>The activity name of an event type: the connector's, else derived from the description.</summary>
        public static string NameFor(string eventType, string description) =>
            Connector.TryGetValue(eventType, out var name) ? name : Derive(description);

        /// <summary>The row for an event type; unknown (future) types pass through with their raw tag as the activity.</summary>
        public static ActivityEventType Lookup(string eventType, string description = null, string category = null)
        {
            if (eventType != null && ActivityEventTypes.ByType.TryGetValue(eventType, out var row)) return row;
            var clean = StripCategory(description ?? "");
            return new ActivityEventType(eventType ?? "unknown", category, clean, eventType ?? "unknown");
        }
    }

    /// <summary>The mapping table generated from team_log.stone (ActivityEventTypes.g.cs), indexed.</summary>
    public static partial class ActivityEventTypes
    {
        private static Dictionary<string, ActivityEventType> _byType;

        public static IReadOnlyDictionary<string, ActivityEventType> ByType =>
            _byType ?? (_byType = All.ToDictionary(r => r.EventType, StringComparer.Ordinal));
    }
}
