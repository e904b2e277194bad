using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox.Api;
using DropboxProvisioning.Errors;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Dropbox.TeamApi
{
    public sealed partial class TeamApiClient
    {
        private string _authenticatedAdmin;

        /// <summary>team/team_folder/list and list/continue (scope team_data.content.read): every team folder.</summary>
        public async Task<IReadOnlyList<DropboxTeamFolder>> ListTeamFoldersAsync(CancellationToken cancellationToken)
        {
            var folders = new List<DropboxTeamFolder>();
            var page = await CallAsync("team_folder/list", new JObject { ["limit"] = PageSize }, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                foreach (var folder in page?["team_folders"] as JArray ?? new JArray()) folders.Add(TeamFolderOf(folder));
                if (page?["has_more"]?.Type != JTokenType.Boolean || !(bool)page["has_more"]) return folders;
                page = await CallAsync("team_folder/list/continue", new JObject { ["cursor"] = (string)page["cursor"] }, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>team/team_folder/create (scope team_data.content.write): a new, active team folder with no members.</summary>
        public async Task<DropboxTeamFolder> CreateTeamFolderAsync(string name, CancellationToken cancellationToken) =>
            TeamFolderOf(await CallAsync("team_folder/create", new JObject { ["name"] = name }, cancellationToken).ConfigureAwait(false));

        private static DropboxTeamFolder TeamFolderOf(JToken folder) => new DropboxTeamFolder
        {
            Id = (string)folder?["team_folder_id"], Name = (string)folder?["name"], Status = (string)folder?["status"]?[".tag"],
        };

        /// <summary>
        /// The team member id of the admin who authorized the app (team/token/get_authenticated_admin, scope team_info.read),
        /// asked once per connection: sharing routes called with a team token act as this admin (Dropbox-API-Select-Admin).
        /// </summary>
        public async Task<string> AuthenticatedAdminAsync(CancellationToken cancellationToken)
        {
            if (_authenticatedAdmin != null) return _authenticatedAdmin;
            var answer = await CallAsync("token/get_authenticated_admin", null, cancellationToken).ConfigureAwait(false);
            return _authenticatedAdmin = (string)answer?["admin_profile"]?["team_member_id"];
        }

        public async Task AddFolderGroupAsync(string sharedFolderId, string groupId, string accessLevel, CancellationToken cancellationToken)
        {
            var member = new JObject { ["member"] = GroupMember(groupId), ["access_level"] = new JObject { [".tag"] = accessLevel } };
            await SharingAsync("add_folder_member", new JObject { ["shared_folder_id"] = sharedFolderId, ["members"] = new JArray(member), ["quiet"] = true }, cancellationToken).ConfigureAwait(false);
        }

        public async Task UpdateFolderGroupAsync(string sharedFolderId, string groupId, string accessLevel, CancellationToken cancellationToken) =>
            await SharingAsync("update_folder_member", new JObject
            {
                ["shared_folder_id"] = sharedFolderId, ["member"] = GroupMember(groupId), ["access_level"] = new JObject { [".tag"] = accessLevel },
            }, cancellationToken).ConfigureAwait(false);

        /// <summary>sharing/remove_folder_member (leave_a_copy false: Stone requires it for a group), then check_remove_member_job_status until the job ends.</summary>
        public async Task RemoveFolderGroupAsync(string sharedFolderId, string groupId, CancellationToken cancellationToken)
        {
            var answer = await SharingAsync("remove_folder_member", new JObject
            {
                ["shared_folder_id"] = sharedFolderId, ["member"] = GroupMember(groupId), ["leave_a_copy"] = false,
            }, cancellationToken).ConfigureAwait(false);
            var job = (string)answer?["async_job_id"];
            while (job != null)
            {
                await _delay(PollInterval, cancellationToken).ConfigureAwait(false);
                var status = await SharingAsync("check_remove_member_job_status", new JObject { ["async_job_id"] = job }, cancellationToken).ConfigureAwait(false);
                switch ((string)status?[".tag"])
                {
                    case "in_progress": continue;
                    case "failed":
                        var tag = (string)status["failed"]?[".tag"];
                        throw new TeamApiException("sharing/remove_folder_member", tag, $"Dropbox could not remove the group from the team folder ({tag}).", TeamApiException.StatusOf(tag), DbxErrorCategory.InvalidOperation);
                    default: job = null; break;
                }
            }
        }

        /// <summary>MemberSelector dropbox_id with a group id (sharing.stone: "Dropbox account, team member, or group ID").</summary>
        private static JObject GroupMember(string groupId) => new JObject { [".tag"] = "dropbox_id", ["dropbox_id"] = groupId };

        /// <summary>A sharing/* route as the authorizing team admin; a refusal comes out with Stone's tag and, under it, the nested one (bad_member/group_deleted).</summary>
        private async Task<JToken> SharingAsync(string route, JObject argument, CancellationToken cancellationToken)
        {
            var admin = await AuthenticatedAdminAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await _api.CallTokenAsync("sharing/" + route, argument, admin, cancellationToken).ConfigureAwait(false);
            }
            catch (DropboxRouteException e)
            {
                var tag = e.Tag;
                var inner = e.Error?[tag] as JObject;
                var detail = (string)inner?[".tag"];
                var full = detail == null ? tag : tag + "/" + detail;
                throw new TeamApiException("sharing/" + route, tag, $"Dropbox refused sharing/{route} ({full}).", 409, DbxErrorCategory.InvalidOperation, e);
            }
            catch (DbxException e) when (e.Category == DbxErrorCategory.AuthenticationError)
            {
                throw new TeamApiException("sharing/" + route, "invalid_access_token", e.Message, 401, e.Category, e, e.Condition);
            }
            catch (DbxException e) when (e.Condition == "DropboxMissingScope")
            {
                throw new TeamApiException("sharing/" + route, "missing_scope", e.Message, 403, e.Category, e, e.Condition);
            }
            catch (DbxException e) when (!(e is TeamApiException))
            {
                var status = e.Condition == "DropboxRateLimited" ? 429 : e.Condition == "DropboxServerError" ? 500 : e.Condition == "DropboxUnreachable" ? 0 : 400;
                throw new TeamApiException("sharing/" + route, e.Condition, e.Message, status, e.Category, e, e.Condition);
            }
        }
    }
}
