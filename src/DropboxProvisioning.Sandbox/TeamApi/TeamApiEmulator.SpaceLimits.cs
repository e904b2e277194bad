using System.Linq;
using System.Net.Http;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.Sandbox.DropboxApi;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.TeamApi
{
    internal sealed partial class TeamApiEmulator
    {
        /// <summary>member_space_limits/*: at most 1,000 members a call (CustomQuotaError.too_many_users).</summary>
        public const int MaxQuotaUsers = 1000;

        /// <summary>team.stone: alias UserQuota = UInt32(min_value=2).</summary>
        public const long MinQuotaGb = 2;

        private void RegisterSpaceLimitRoutes(DropboxApiEmulator api)
        {
            // The scopes team.stone gives these routes (set_custom_quota's is members.read there).
            api.Register("team/member_space_limits/set_custom_quota", "members.read", SetCustomQuota);
            api.Register("team/member_space_limits/remove_custom_quota", "members.write", RemoveCustomQuota);
            api.Register("team/member_space_limits/get_custom_quota", "members.read", GetCustomQuota);
        }

        /// <summary>(SetCustomQuotaArg, List(CustomQuotaResult), SetCustomQuotaError): per user success {user, quota_gb} or invalid_user.</summary>
        private HttpResponseMessage SetCustomQuota(DropboxRpcRequest request)
        {
            var list = Struct(request)["users_and_quotas"] as JArray ?? throw Bad(request, "missing required field 'users_and_quotas'");
            if (list.Count > MaxQuotaUsers) return DropboxErrors.Route(StoneJson.Tag("too_many_users"));
            // Stone checks the argument before the route runs: a quota below UserQuota's minimum refuses the whole call.
            foreach (var item in list)
            {
                var gb = item?["quota_gb"];
                if (gb == null || gb.Type != JTokenType.Integer) throw Bad(request, "users_and_quotas: missing required field 'quota_gb'");
                if ((long)gb < MinQuotaGb || (long)gb > uint.MaxValue) throw Bad(request, $"users_and_quotas: quota_gb: {gb} is not within {MinQuotaGb} and {uint.MaxValue}");
            }
            var results = new JArray();
            foreach (var item in list)
            {
                var selector = item["user"];
                var member = Member(request, selector);
                if (member == null) { results.Add(StoneJson.Nested("invalid_user", selector.DeepClone())); continue; }
                Team.CustomQuotas[member.TeamMemberId] = (long)item["quota_gb"];
                results.Add(StoneJson.Inlined("success", new JObject { ["user"] = selector.DeepClone(), ["quota_gb"] = (long)item["quota_gb"] }));
            }
            return Ok(results);
        }

        /// <summary>(CustomQuotaUsersArg, List(RemoveCustomQuotaResult), CustomQuotaError): per user success or invalid_user, each holding the selector.</summary>
        private HttpResponseMessage RemoveCustomQuota(DropboxRpcRequest request)
        {
            var users = Users(request);
            if (users.Count > MaxQuotaUsers) return DropboxErrors.Route(StoneJson.Tag("too_many_users"));
            var results = new JArray();
            foreach (var selector in users)
            {
                var member = Member(request, selector);
                if (member == null) { results.Add(StoneJson.Nested("invalid_user", selector.DeepClone())); continue; }
                Team.CustomQuotas.TryRemove(member.TeamMemberId, out _);
                results.Add(StoneJson.Nested("success", selector.DeepClone()));
            }
            return Ok(results);
        }

        /// <summary>(CustomQuotaUsersArg, List(CustomQuotaResult), CustomQuotaError): quota_gb only where a custom quota is set.</summary>
        private HttpResponseMessage GetCustomQuota(DropboxRpcRequest request)
        {
            var users = Users(request);
            if (users.Count > MaxQuotaUsers) return DropboxErrors.Route(StoneJson.Tag("too_many_users"));
            var results = new JArray();
            foreach (var selector in users)
            {
                var member = Member(request, selector);
                if (member == null) { results.Add(StoneJson.Nested("invalid_user", selector.DeepClone())); continue; }
                var result = new JObject { ["user"] = selector.DeepClone() };
                if (Team.CustomQuotas.TryGetValue(member.TeamMemberId, out var gb)) result["quota_gb"] = gb;
                results.Add(StoneJson.Inlined("success", result));
            }
            return Ok(results);
        }

        private static JArray Users(DropboxRpcRequest request) =>
            Struct(request)["users"] as JArray ?? throw Bad(request, "missing required field 'users'");

        /// <summary>The member a selector names, or null when it names none on the team (removed members included).</summary>
        private DropboxMember Member(DropboxRpcRequest request, JToken selector)
        {
            var member = Find(request, selector, out _);
            return member == null || member.Status == DropboxMemberStatus.Removed ? null : member;
        }
    }
}
