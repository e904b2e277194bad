using System.Linq;
using System.Net.Http;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.Sandbox.DropboxApi;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.TeamApi
{
    internal sealed partial class TeamApiEmulator
    {
        /// <summary>
        /// What team/get_info reports as the licenses of a sandbox team without a limit (DropboxTeam.LicenseLimit 0): a
        /// real team always has a number, and this one is far above any sandbox.
        /// </summary>
        public const int UnlimitedLicenses = 1000000;

        private void RegisterTeamInfoRoutes(DropboxApiEmulator api)
        {
            api.Register("team/get_info", "team_info.read", GetTeamInfo, voidArgument: true);
        }

        /// <summary>
        /// team/get_info (Void, TeamGetInfoResult): num_licensed_users the team's licenses, num_provisioned_users the members
        /// invited or active, num_used_licenses every member not removed (a suspended member keeps its license);
        /// policies as team_policies.TeamMemberPolicies' default example.
        /// </summary>
        private HttpResponseMessage GetTeamInfo(DropboxRpcRequest request)
        {
            var members = Team.Members;
            var provisioned = members.Count(m => m.Status == DropboxMemberStatus.Invited || m.Status == DropboxMemberStatus.Active);
            return Ok(new JObject
            {
                ["name"] = Team.TeamName,
                ["team_id"] = "dbtid:AAC" + TeamIdSuffix(Team.TeamName),
                ["num_licensed_users"] = Team.LicenseLimit > 0 ? Team.LicenseLimit : UnlimitedLicenses,
                ["num_provisioned_users"] = provisioned,
                ["num_used_licenses"] = members.Count,
                ["policies"] = new JObject
                {
                    ["sharing"] = new JObject
                    {
                        ["shared_folder_member_policy"] = StoneJson.Tag("team"),
                        ["shared_folder_join_policy"] = StoneJson.Tag("from_anyone"),
                        ["shared_link_create_policy"] = StoneJson.Tag("team_only"),
                        ["group_creation_policy"] = StoneJson.Tag("admins_only"),
                        ["shared_folder_link_restriction_policy"] = StoneJson.Tag("anyone"),
                        ["enforce_link_password_policy"] = StoneJson.Tag("optional"),
                        ["default_link_expiration_days_policy"] = StoneJson.Tag("none"),
                        ["shared_link_default_permissions_policy"] = StoneJson.Tag("default"),
                    },
                    ["emm_state"] = StoneJson.Tag("disabled"),
                    ["office_addin"] = StoneJson.Tag("disabled"),
                    ["suggest_members_policy"] = StoneJson.Tag("enabled"),
                    ["top_level_content_policy"] = StoneJson.Tag("admin_only"),
                },
            });
        }

        private static string TeamIdSuffix(string name)
        {
            unchecked
            {
                var h = 17;
                foreach (var c in name ?? "") h = h * 31 + c;
                return ((uint)h).ToString("x8");
            }
        }
    }
}
