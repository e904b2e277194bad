using System.Net;
using System.Net.Http;

namespace DropboxProvisioning.Sandbox.Graph
{
    internal sealed partial class GraphEmulator
    {
        /// <summary>
        /// GET /v1.0/users/{id | userPrincipalName}/manager (user-list-manager): the manager as a directoryObject with its
        /// @odata.type, $select honoured; 404 Request_ResourceNotFound when the user has none, as Graph answers.
        /// </summary>
        private HttpResponseMessage GetManager(string idOrUpn, ODataQuery query)
        {
            var user = Directory.GetUser(idOrUpn) ?? throw GraphException.NotFound(idOrUpn);
            var manager = user.ManagerId == null ? null : Directory.GetUser(user.ManagerId);
            if (manager == null)
                throw new GraphException(HttpStatusCode.NotFound, "Request_ResourceNotFound", "Resource 'manager' does not exist or one of its queried reference-property objects are not present.");
            var json = GraphShapes.User.Render(manager, GraphShapes.User.Resolve(query.Select), withType: true);
            return Entity(query, ContextFor("directoryObjects", query.Select), json);
        }
    }
}
