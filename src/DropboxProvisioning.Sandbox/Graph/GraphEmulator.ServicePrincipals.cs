using System;
using System.Linq;
using System.Net.Http;
using DropboxProvisioning.Sandbox.Directory;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Graph
{
    internal sealed partial class GraphEmulator
    {
        /// <summary>GET /v1.0/servicePrincipals: the one enterprise app of the sandbox; $filter (e.g. appId eq '...'), $select.</summary>
        private HttpResponseMessage ListServicePrincipals(ODataQuery query)
        {
            var names = GraphShapes.ServicePrincipal.Resolve(query.Select);
            var filter = ODataFilter.Parse(query.Filter, GraphShapes.ServicePrincipal);
            var items = new[] { Directory }.Where(d => filter == null || filter(d)).Select(d => GraphShapes.ServicePrincipal.Render(d, names));
            return Collection(query, ContextFor("servicePrincipals", query.Select), items, null);
        }

        /// <summary>GET /v1.0/servicePrincipals/{id}: the Dropbox app with its appRoles ("User"; Default Access is implicit).</summary>
        private HttpResponseMessage GetServicePrincipal(string id, ODataQuery query)
        {
            RequireServicePrincipal(id);
            var names = GraphShapes.ServicePrincipal.Resolve(query.Select);
            return Entity(query, ContextFor("servicePrincipals", query.Select), GraphShapes.ServicePrincipal.Render(Directory, names));
        }

        /// <summary>GET /v1.0/servicePrincipals/{id}/appRoleAssignedTo: $top (1..999), $select, $skiptoken.</summary>
        private HttpResponseMessage ListAssignments(string id, ODataQuery query)
        {
            RequireServicePrincipal(id);
            var top = query.Top();
            var names = GraphShapes.Assignment.Resolve(query.Select);
            var page = Directory.ListAssignments(AfterKey(query, "appRoleAssignedTo"), top);
            return Collection(query, "servicePrincipals('" + Directory.ServicePrincipalId + "')/appRoleAssignedTo",
                writer => { foreach (var a in page.Items) GraphShapes.Assignment.Write(writer, a, names); },
                NextLink(query, "/v1.0/servicePrincipals/" + Directory.ServicePrincipalId + "/appRoleAssignedTo", "appRoleAssignedTo", page.NextAfter));
        }

        private void RequireServicePrincipal(string id)
        {
            if (!string.Equals(id, Directory.ServicePrincipalId, StringComparison.OrdinalIgnoreCase))
                throw GraphException.NotFound(id);
        }
    }
}
