using System;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Errors;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Directory
{
    public sealed partial class GraphDirectoryClient
    {
        /// <summary>
        /// GET /users/{id}/manager (Graph: user-list-manager, User.Read.All): the user's manager (id, userPrincipalName,
        /// mail), or null when the user has none (404 Request_ResourceNotFound).
        /// </summary>
        public async Task<JObject> GetManagerAsync(string userId, CancellationToken cancellationToken)
        {
            try
            {
                return await GetAsync(new Uri(_root, $"users/{Uri.EscapeDataString(userId)}/manager?$select=id,userPrincipalName,mail"), cancellationToken).ConfigureAwait(false);
            }
            catch (DbxException e) when (e.Condition == "GraphNotFound")
            {
                return null;
            }
        }
    }
}
