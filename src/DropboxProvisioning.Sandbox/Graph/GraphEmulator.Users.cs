using System;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using DropboxProvisioning.Sandbox.Directory;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Graph
{
    internal sealed partial class GraphEmulator
    {
        private static readonly Regex ExpandManager = new Regex(@"^\s*manager(?:\(\s*\$select\s*=\s*([^)]*)\))?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>GET /v1.0/users: $select, $top (1..999, default 100), $filter, $expand=manager, $skiptoken.</summary>
        private HttpResponseMessage ListUsers(ODataQuery query)
        {
            var top = query.Top();
            var names = GraphShapes.User.Resolve(query.Select);
            var managerNames = ManagerExpansion(query);
            var filter = ODataFilter.Parse(query.Filter, GraphShapes.User);
            var page = Directory.ListUsers(AfterKey(query, "users"), top, filter);
            var next = NextLink(query, "/v1.0/users", "users", page.NextAfter);
            if (managerNames != null)
                return Collection(query, ContextFor("users", query.Select), page.Items.Select(u => RenderUser(u, names, managerNames)), next);
            return Collection(query, ContextFor("users", query.Select), writer =>
            {
                foreach (var user in page.Items) GraphShapes.User.Write(writer, user, names);
            }, next);
        }

        /// <summary>GET /v1.0/users/{id | userPrincipalName}</summary>
        private HttpResponseMessage GetUser(string idOrUpn, ODataQuery query)
        {
            var names = GraphShapes.User.Resolve(query.Select);
            var managerNames = ManagerExpansion(query);
            var user = Directory.GetUser(idOrUpn) ?? throw GraphException.NotFound(idOrUpn);
            return Entity(query, ContextFor("users", query.Select), RenderUser(user, names, managerNames));
        }

        private JObject RenderUser(DirectoryUser user, string[] names, string[] managerNames)
        {
            var json = GraphShapes.User.Render(user, names);
            if (managerNames != null && user.ManagerId != null)
            {
                var manager = Directory.GetUser(user.ManagerId);
                if (manager != null) json["manager"] = GraphShapes.User.Render(manager, managerNames, withType: true);
            }
            return json;
        }

        /// <summary>The properties of an expanded manager, or null when the request does not expand it.</summary>
        private static string[] ManagerExpansion(ODataQuery query)
        {
            if (query.Expand == null) return null;
            var m = ExpandManager.Match(query.Expand);
            if (!m.Success)
                throw GraphException.BadRequest($"Parsing OData Select and Expand failed: Could not find a property named '{query.Expand.Split('(')[0].Trim()}' on type 'microsoft.graph.user'.");
            if (!m.Groups[1].Success) return GraphShapes.User.Resolve(null);
            return GraphShapes.User.Resolve(m.Groups[1].Value.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList());
        }
    }
}
