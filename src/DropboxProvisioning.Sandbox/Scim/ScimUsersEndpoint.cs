using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using DropboxProvisioning.Sandbox.Dropbox;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>
    /// /Users: team members seen through SCIM. Dropbox's rules: new members arrive invited (active:true);
    /// active:false suspends an active member, but an invited member cannot be suspended, so it is deleted (204).
    /// </summary>
    internal sealed class ScimUsersEndpoint : ScimResourceEndpoint<DropboxMember>
    {
        private readonly DropboxTeam _team;
        public ScimUsersEndpoint(DropboxTeam team) { _team = team; }

        protected override string Path => "/Users";

        protected override HttpResponseMessage List(ScimRequest r)
        {
            var filterText = r.Param("filter");
            var filter = string.IsNullOrWhiteSpace(filterText) ? null : ScimFilter.Parse(filterText);
            var (startIndex, count) = r.Paging();
            var projection = r.Projection;
            IReadOnlyList<DropboxMember> page;
            int total;
            if (filter == null)
            {
                page = _team.GetMembersPage(startIndex - 1, count, out total);
            }
            else
            {
                var matched = (Candidates(filter) ?? _team.Members)
                    .Where(m => m.Status != DropboxMemberStatus.Removed && filter.Matches(ScimUserMapper.Render(m, r.BaseUrl)))
                    .ToList();
                total = matched.Count;
                page = matched.Skip(startIndex - 1).Take(count).ToList();
            }
            var resources = page.Select(m => projection.Apply(ScimUserMapper.Render(m, r.BaseUrl)));
            return ScimResponses.List(total, startIndex, resources);
        }

        /// <summary>Members an indexed lookup can find for the filter (userName/emails/externalId/id eq), or null to scan.</summary>
        private List<DropboxMember> Candidates(ScimFilter filter)
        {
            switch (filter)
            {
                case CompareFilter eq when eq.Operator == "eq" && eq.Literal.Type == JTokenType.String && !eq.Path.InExtension:
                    var value = (string)eq.Literal;
                    switch (eq.Path.DottedName.ToLowerInvariant())
                    {
                        case "username": case "emails.value": return One(_team.FindByEmail(value));
                        case "externalid": return One(_team.FindByExternalId(value));
                        case "id": return One(_team.GetMember(value));
                        default: return null;
                    }
                case ValuePathFilter vp when vp.Path.Name.ToLowerInvariant() == "emails" && vp.Element is CompareFilter e
                        && e.Operator == "eq" && e.Path.Name.ToLowerInvariant() == "value" && e.Literal.Type == JTokenType.String:
                    return One(_team.FindByEmail((string)e.Literal));
                case AndFilter and:
                    return Candidates(and.Left) ?? Candidates(and.Right);
                case OrFilter or:
                    var left = Candidates(or.Left);
                    var right = left == null ? null : Candidates(or.Right);
                    return right == null ? null : left.Concat(right).GroupBy(m => m.TeamMemberId).Select(g => g.First()).ToList();
                default:
                    return null;
            }
        }

        protected override HttpResponseMessage Create(ScimRequest r)
        {
            var body = r.RequireObjectBody();
            var member = new DropboxMember { Status = DropboxMemberStatus.Invited };
            // Whatever "active" says, Dropbox invites: the person becomes active on accepting the invitation.
            ScimUserMapper.Read(body, member, null);
            var created = _team.AddMember(member);
            return ScimResponses.Resource(HttpStatusCode.Created, r.Projection.Apply(ScimUserMapper.Render(created, r.BaseUrl)), created.Version, withLocation: true);
        }

        protected override HttpResponseMessage Get(ScimRequest r)
        {
            var member = Existing(r.Id);
            return ScimResponses.Resource(HttpStatusCode.OK, r.Projection.Apply(ScimUserMapper.Render(member, r.BaseUrl)), member.Version);
        }

        protected override HttpResponseMessage Replace(ScimRequest r)
        {
            var body = r.RequireObjectBody();
            Existing(r.Id);
            var deleteInstead = false;
            var updated = _team.UpdateMember(r.Id, m => deleteInstead = ApplyActive(m, ScimUserMapper.Read(body, m, null)));
            return Answer(r, updated, deleteInstead);
        }

        protected override HttpResponseMessage Patch(ScimRequest r)
        {
            var operations = ScimPatchOperation.ReadAll(r.Body);
            Existing(r.Id);
            var deleteInstead = false;
            var updated = _team.UpdateMember(r.Id, m =>
            {
                var before = ScimUserMapper.Render(m, r.BaseUrl);
                var after = (JObject)before.DeepClone();
                ScimResourcePatcher.Apply(after, operations);
                deleteInstead = ApplyActive(m, ScimUserMapper.Read(after, m, before));
            });
            return Answer(r, updated, deleteInstead);
        }

        protected override HttpResponseMessage Delete(ScimRequest r)
        {
            Existing(r.Id);
            _team.RemoveMember(r.Id);
            return ScimResponses.NoContent();
        }

        private HttpResponseMessage Answer(ScimRequest r, DropboxMember updated, bool deleteInstead)
        {
            if (deleteInstead)
            {
                // Dropbox cannot suspend someone who never joined: the invitation is withdrawn and the member is gone.
                _team.RemoveMember(updated.TeamMemberId);
                return ScimResponses.NoContent();
            }
            return ScimResponses.Resource(HttpStatusCode.OK, r.Projection.Apply(ScimUserMapper.Render(updated, r.BaseUrl)), updated.Version);
        }

        /// <summary>Turns the requested "active" into a status change; true when the member must be deleted instead.</summary>
        private static bool ApplyActive(DropboxMember m, bool active)
        {
            if (active)
            {
                if (m.Status == DropboxMemberStatus.Suspended) m.Status = DropboxMemberStatus.Active;
                return false;
            }
            if (m.Status == DropboxMemberStatus.Active) m.Status = DropboxMemberStatus.Suspended;
            return m.Status == DropboxMemberStatus.Invited;
        }

        private DropboxMember Existing(string id)
        {
            var member = _team.GetMember(id);
            if (member == null || member.Status == DropboxMemberStatus.Removed)
                throw ScimException.NotFound($"No user has the id {id}.");
            return member;
        }
    }
}
