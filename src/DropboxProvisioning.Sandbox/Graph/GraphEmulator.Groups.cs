using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using DropboxProvisioning.Sandbox.Directory;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Graph
{
    internal sealed partial class GraphEmulator
    {
        /// <summary>GET /v1.0/groups: $select, $top, $filter, $skiptoken.</summary>
        private HttpResponseMessage ListGroups(ODataQuery query)
        {
            var top = query.Top();
            var names = GraphShapes.Group.Resolve(query.Select);
            var filter = ODataFilter.Parse(query.Filter, GraphShapes.Group);
            var page = Directory.ListGroups(AfterKey(query, "groups"), top, filter);
            var items = page.Items.Select(g => GraphShapes.Group.Render(g, names));
            return Collection(query, ContextFor("groups", query.Select), items, NextLink(query, "/v1.0/groups", "groups", page.NextAfter));
        }

        /// <summary>GET /v1.0/groups/{id}</summary>
        private HttpResponseMessage GetGroup(string id, ODataQuery query)
        {
            var names = GraphShapes.Group.Resolve(query.Select);
            var group = Directory.GetGroup(id) ?? throw GraphException.NotFound(id);
            return Entity(query, ContextFor("groups", query.Select), GraphShapes.Group.Render(group, names));
        }

        /// <summary>GET /v1.0/groups/{id}/members: direct members, each with its @odata.type; $select, $top, $skiptoken.</summary>
        private HttpResponseMessage ListMembers(string groupId, ODataQuery query)
        {
            var top = query.Top();
            var select = query.Select;
            var scope = "members/" + groupId.ToLowerInvariant();
            var page = Directory.ListMembers(groupId, AfterKey(query, scope), top) ?? throw GraphException.NotFound(groupId);
            var items = page.Items.Select(m => RenderMember(m, select));
            return Collection(query, "directoryObjects", items,
                NextLink(query, "/v1.0/groups/" + Uri.EscapeDataString(groupId) + "/members", scope, page.NextAfter));
        }

        /// <summary>GET /v1.0/groups/{id}/transitiveMembers: members through nested groups, each once.</summary>
        private HttpResponseMessage ListTransitiveMembers(string groupId, ODataQuery query)
        {
            var top = query.Top();
            var select = query.Select;
            var scope = "transitiveMembers/" + groupId.ToLowerInvariant();
            var all = Directory.TransitiveMembers(groupId) ?? throw GraphException.NotFound(groupId);
            var offset = (int)Math.Min(int.MaxValue, AfterKey(query, scope));
            var items = all.Skip(offset).Take(top).Select(m => RenderMember(m, select)).ToList();
            long? next = offset + top < all.Count ? offset + top : (long?)null;
            return Collection(query, "directoryObjects", items,
                NextLink(query, "/v1.0/groups/" + Uri.EscapeDataString(groupId) + "/transitiveMembers", scope, next));
        }

        // $select on a directoryObject collection may name user or group properties; each item shows those it has.
        private static JObject RenderMember(object member, IReadOnlyList<string> select)
        {
            if (member is DirectoryUser user)
                return GraphShapes.User.Render(user, GraphShapes.User.Resolve(select, GraphShapes.Group.Has), withType: true);
            return GraphShapes.Group.Render((DirectoryGroup)member, GraphShapes.Group.Resolve(select, GraphShapes.User.Has), withType: true);
        }
    }
}
