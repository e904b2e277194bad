using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using DropboxProvisioning.Sandbox.Dropbox;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>/Groups: Dropbox groups seen through SCIM. PATCH answers 204 No Content, as Dropbox does.</summary>
    internal sealed class ScimGroupsEndpoint : ScimResourceEndpoint<DropboxGroup>
    {
        private readonly DropboxTeam _team;
        public ScimGroupsEndpoint(DropboxTeam team) { _team = team; }

        protected override string Path => "/Groups";

        protected override HttpResponseMessage List(ScimRequest r)
        {
            var filterText = r.Param("filter");
            var filter = string.IsNullOrWhiteSpace(filterText) ? null : ScimFilter.Parse(filterText);
            var (startIndex, count) = r.Paging();
            var projection = r.Projection;
            var filterNeedsMembers = filter?.References("members") == true;
            var matched = ((filter == null ? null : Candidates(filter)) ?? _team.Groups)
                .Where(g => filter == null || filter.Matches(Render(g, r.BaseUrl, filterNeedsMembers)))
                .ToList();
            var resources = matched.Skip(startIndex - 1).Take(count)
                .Select(g => projection.Apply(Render(g, r.BaseUrl, projection.Wants("members"))));
            return ScimResponses.List(matched.Count, startIndex, resources);
        }

        private List<DropboxGroup> Candidates(ScimFilter filter)
        {
            switch (filter)
            {
                case CompareFilter eq when eq.Operator == "eq" && eq.Literal.Type == JTokenType.String && !eq.Path.InExtension:
                    var value = (string)eq.Literal;
                    switch (eq.Path.DottedName.ToLowerInvariant())
                    {
                        case "displayname": return One(_team.FindGroupByName(value));
                        case "externalid": return One(_team.FindGroupByExternalId(value));
                        case "id": return One(_team.GetGroup(value));
                        default: return null;
                    }
                case AndFilter and:
                    return Candidates(and.Left) ?? Candidates(and.Right);
                default:
                    return null;
            }
        }

        protected override HttpResponseMessage Create(ScimRequest r)
        {
            var (name, externalId, members) = ScimGroupMapper.Read(r.RequireObjectBody());
            var group = _team.AddGroup(name, externalId, members);
            return ScimResponses.Resource(HttpStatusCode.Created, Project(r, group), group.Version, withLocation: true);
        }

        protected override HttpResponseMessage Get(ScimRequest r)
        {
            var group = Existing(r.Id);
            return ScimResponses.Resource(HttpStatusCode.OK, Project(r, group), group.Version);
        }

        protected override HttpResponseMessage Replace(ScimRequest r)
        {
            var (name, externalId, members) = ScimGroupMapper.Read(r.RequireObjectBody());
            Existing(r.Id);
            var group = _team.UpdateGroup(r.Id, g =>
            {
                g.GroupName = name;
                g.GroupExternalId = externalId;
                g.MemberIds = new HashSet<string>(members, StringComparer.Ordinal);
            });
            return ScimResponses.Resource(HttpStatusCode.OK, Project(r, group), group.Version);
        }

        protected override HttpResponseMessage Patch(ScimRequest r)
        {
            var operations = ScimPatchOperation.ReadAll(r.Body);
            Existing(r.Id);
            _team.UpdateGroup(r.Id, g => ScimGroupPatcher.Apply(g, operations));
            return ScimResponses.NoContent();
        }

        protected override HttpResponseMessage Delete(ScimRequest r)
        {
            Existing(r.Id);
            _team.DeleteGroup(r.Id);
            return ScimResponses.NoContent();
        }

        private JObject Project(ScimRequest r, DropboxGroup g)
        {
            var projection = r.Projection;
            return projection.Apply(Render(g, r.BaseUrl, projection.Wants("members")));
        }

        private JObject Render(DropboxGroup g, string baseUrl, bool withMembers) =>
            ScimGroupMapper.Render(g, baseUrl, withMembers ? _team.GetMembers(g.MemberIds) : null);

        private DropboxGroup Existing(string id) =>
            _team.GetGroup(id) ?? throw ScimException.NotFound($"No group has the id {id}.");
    }
}
