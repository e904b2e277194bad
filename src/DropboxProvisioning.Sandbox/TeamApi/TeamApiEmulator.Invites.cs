using System.Net.Http;
using DropboxProvisioning.Sandbox.DropboxApi;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.TeamApi
{
    internal sealed partial class TeamApiEmulator
    {
        private void RegisterInviteRoutes(DropboxApiEmulator api)
        {
            api.Register("team/members/send_welcome_email", "members.write", SendWelcomeEmail);
        }

        /// <summary>
        /// members/send_welcome_email (UserSelectorArg, Void, MembersSendWelcomeError): "Sends welcome email to pending team
        /// member ... No-op if team member is not pending." Unknown members are user_not_found, removed ones user_not_in_team.
        /// </summary>
        private HttpResponseMessage SendWelcomeEmail(DropboxRpcRequest request)
        {
            RequireMember(request, Struct(request)); // the e-mail itself leaves the sandbox's journal as the only trace
            return Ok(JValue.CreateNull());
        }
    }
}
