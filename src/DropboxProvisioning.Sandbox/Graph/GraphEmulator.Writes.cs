using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Graph
{
    /// <summary>
    /// The Graph writes an admin makes in Entra during a rehearsal, as Graph v1.0 documents them: user-update (PATCH, 204),
    /// serviceprincipal-post-approleassignedto (201 with the assignment), serviceprincipal-delete-approleassignedto (204),
    /// group-post-members ($ref, 204) and group-delete-members ($ref, 204). They go through the directory model's
    /// mutation methods, so users/delta and groups/delta see them as Graph's do (an assignment change does not show in
    /// users/delta, as in Entra).
    /// </summary>
    internal sealed partial class GraphEmulator
    {
        private delegate void UserSetter(DirectoryUser user, JToken value);

        // Writable user properties the sandbox models, by Graph name (case-insensitive as Graph's), and how each is set.
        private static readonly Dictionary<string, UserSetter> WritableUserProperties = new Dictionary<string, UserSetter>(StringComparer.OrdinalIgnoreCase)
        {
            ["accountEnabled"] = (u, v) => u.AccountEnabled = Boolean(v, "accountEnabled"),
            ["displayName"] = (u, v) => u.DisplayName = Required(v, "displayName"),
            ["givenName"] = (u, v) => u.GivenName = Text(v, "givenName"),
            ["surname"] = (u, v) => u.Surname = Text(v, "surname"),
            ["jobTitle"] = (u, v) => u.JobTitle = Text(v, "jobTitle"),
            ["department"] = (u, v) => u.Department = Text(v, "department"),
            ["employeeId"] = (u, v) => u.EmployeeId = Text(v, "employeeId"),
            ["companyName"] = (u, v) => u.CompanyName = Text(v, "companyName"),
            ["officeLocation"] = (u, v) => u.OfficeLocation = Text(v, "officeLocation"),
            ["city"] = (u, v) => u.City = Text(v, "city"),
            ["country"] = (u, v) => u.Country = Text(v, "country"),
            ["usageLocation"] = (u, v) => u.UsageLocation = Text(v, "usageLocation"),
            ["preferredLanguage"] = (u, v) => u.PreferredLanguage = Text(v, "preferredLanguage"),
            ["mobilePhone"] = (u, v) => u.MobilePhone = Text(v, "mobilePhone"),
            ["mail"] = (u, v) => u.Mail = Text(v, "mail"),
            ["mailNickname"] = (u, v) => u.MailNickname = Required(v, "mailNickname"),
            ["userPrincipalName"] = (u, v) => u.UserPrincipalName = Required(v, "userPrincipalName"),
            ["userType"] = (u, v) =>
            {
                var type = Required(v, "userType");
                if (type != "Member" && type != "Guest") throw InvalidValue("userType", "User");
                u.UserType = type;
            },
        };

        private static readonly HashSet<string> ReadOnlyUserProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "id", "createdDateTime", "deletedDateTime", "externalUserState", "onPremisesSyncEnabled", "onPremisesSamAccountName",
            "onPremisesImmutableId", "proxyAddresses",
        };

        /// <summary>PATCH /v1.0/users/{id | userPrincipalName}: the properties in the body change; 204 No Content.</summary>
        private async Task<HttpResponseMessage> HandleUpdateUserAsync(string idOrUpn, HttpRequestMessage request)
        {
            var body = await ReadObjectAsync(request).ConfigureAwait(false);
            if (Directory.GetUser(idOrUpn) == null) throw GraphException.NotFound(idOrUpn);
            var changes = new List<KeyValuePair<UserSetter, JToken>>();
            foreach (var property in body.Properties())
            {
                if (property.Name.StartsWith("@odata.", StringComparison.Ordinal)) continue;
                if (ReadOnlyUserProperties.Contains(property.Name))
                    throw GraphException.BadRequest($"Property '{property.Name}' is read-only and cannot be set.", "Request_BadRequest");
                if (WritableUserProperties.TryGetValue(property.Name, out var setter))
                    changes.Add(new KeyValuePair<UserSetter, JToken>(setter, property.Value));
                else if (GraphShapes.User.Has(property.Name))
                    throw GraphException.BadRequest($"Property '{property.Name}' is a property of Graph's user that the sandbox does not model, so it cannot be set here.", "Request_BadRequest");
                else
                    throw GraphException.BadRequest($"Property '{property.Name}' does not exist as a declared property or extension property.", "Request_BadRequest");
            }
            try
            {
                Directory.UpdateUser(idOrUpn, user => { foreach (var change in changes) change.Key(user, change.Value); });
            }
            catch (ArgumentException e) when (e.Message.StartsWith("Another object", StringComparison.Ordinal))
            {
                throw GraphException.BadRequest("Another object with the same value for property userPrincipalName already exists.", "Request_BadRequest");
            }
            catch (ArgumentException)
            {
                throw GraphException.NotFound(idOrUpn); // deleted meanwhile
            }
            return EmulatorResponse.Empty(HttpStatusCode.NoContent);
        }

        /// <summary>
        /// POST /v1.0/servicePrincipals/{id}/appRoleAssignedTo with principalId, resourceId and appRoleId: 201 Created with the
        /// appRoleAssignment. The app role is the Dropbox app's "User" role or Default Access (the all-zero id).
        /// </summary>
        private async Task<HttpResponseMessage> HandleAssignAsync(string servicePrincipalId, HttpRequestMessage request, ODataQuery query)
        {
            RequireServicePrincipal(servicePrincipalId);
            var body = await ReadObjectAsync(request).ConfigureAwait(false);
            var principalId = GuidProperty(body, "principalId", "AppRoleAssignment");
            var resourceId = GuidProperty(body, "resourceId", "AppRoleAssignment");
            var appRoleId = GuidProperty(body, "appRoleId", "AppRoleAssignment");
            if (!string.Equals(resourceId, Directory.ServicePrincipalId, StringComparison.OrdinalIgnoreCase))
                throw InvalidValue("resourceId", "AppRoleAssignment");
            if (!string.Equals(appRoleId, SandboxCredentials.UserAppRoleId, StringComparison.OrdinalIgnoreCase)
                && !string.Equals(appRoleId, SandboxCredentials.DefaultAccessAppRoleId, StringComparison.OrdinalIgnoreCase))
                throw GraphException.BadRequest($"Permission being assigned was not found on application '{DropboxApp.AppId}'.", "Request_BadRequest");
            if (Directory.GetUser(principalId) == null && Directory.GetGroup(principalId) == null)
                throw GraphException.NotFound(principalId);
            AppRoleAssignment assignment;
            try
            {
                assignment = Directory.Assign(principalId, appRoleId);
            }
            catch (ArgumentException e) when (e.Message.StartsWith("Permission being assigned already exists", StringComparison.Ordinal))
            {
                throw GraphException.BadRequest("Permission being assigned already exists on the object", "Request_BadRequest");
            }
            catch (ArgumentException)
            {
                throw GraphException.NotFound(principalId);
            }
            var json = new JObject { ["@odata.context"] = query.BaseAddress + "/v1.0/$metadata#servicePrincipals('" + Directory.ServicePrincipalId + "')/appRoleAssignedTo/$entity" };
            foreach (var property in GraphShapes.Assignment.Render(assignment, GraphShapes.Assignment.Resolve(null)).Properties())
                json.Add(property.Name, property.Value);
            return EmulatorResponse.Json(HttpStatusCode.Created, json);
        }

        /// <summary>DELETE /v1.0/servicePrincipals/{id}/appRoleAssignedTo/{appRoleAssignmentId}: 204 No Content.</summary>
        private HttpResponseMessage HandleUnassign(string servicePrincipalId, string assignmentId)
        {
            RequireServicePrincipal(servicePrincipalId);
            var assignment = Directory.GetAssignment(assignmentId);
            if (assignment == null || !string.Equals(assignment.ResourceId, Directory.ServicePrincipalId, StringComparison.OrdinalIgnoreCase)
                || !Directory.RemoveAssignment(assignmentId))
                throw GraphException.NotFound(assignmentId);
            return EmulatorResponse.Empty(HttpStatusCode.NoContent);
        }

        /// <summary>
        /// POST /v1.0/groups/{id}/members/$ref with {"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}"}
        /// (users/{id} and groups/{id} name the object too): 204 No Content.
        /// </summary>
        private async Task<HttpResponseMessage> HandleAddMemberAsync(string groupId, HttpRequestMessage request)
        {
            var body = await ReadObjectAsync(request).ConfigureAwait(false);
            if (Directory.GetGroup(groupId) == null) throw GraphException.NotFound(groupId);
            var reference = body["@odata.id"];
            if (reference == null || reference.Type != JTokenType.String)
                throw GraphException.BadRequest("The request body must name the member to add in '@odata.id', e.g. https://graph.microsoft.com/v1.0/directoryObjects/{id}.", "Request_BadRequest");
            var memberId = ReferencedObjectId((string)reference)
                ?? throw GraphException.BadRequest($"Invalid object identifier '{(string)reference}'.", "Request_BadRequest");
            var group = Directory.GetGroup(groupId);
            if (Directory.GetUser(memberId) == null && Directory.GetGroup(memberId) == null)
                throw GraphException.NotFound(memberId);
            if (group.MemberIds.Contains(memberId))
                throw GraphException.BadRequest("One or more added object references already exist for the following modified properties: 'members'.", "Request_BadRequest");
            if (string.Equals(memberId, group.Id, StringComparison.OrdinalIgnoreCase))
                throw GraphException.BadRequest("A group cannot be a member of itself.", "Request_BadRequest");
            try
            {
                Directory.AddMember(group.Id, memberId);
            }
            catch (ArgumentException e) when (e.Message.StartsWith("One or more added object references", StringComparison.Ordinal))
            {
                throw GraphException.BadRequest("One or more added object references already exist for the following modified properties: 'members'.", "Request_BadRequest");
            }
            catch (ArgumentException)
            {
                throw GraphException.NotFound(memberId);
            }
            return EmulatorResponse.Empty(HttpStatusCode.NoContent);
        }

        /// <summary>DELETE /v1.0/groups/{id}/members/{memberId}/$ref: 204 No Content; 404 when it is not a direct member.</summary>
        private HttpResponseMessage HandleRemoveMember(string groupId, string memberId)
        {
            var group = Directory.GetGroup(groupId) ?? throw GraphException.NotFound(groupId);
            if (!group.MemberIds.Contains(memberId)) throw GraphException.NotFound(memberId);
            try
            {
                Directory.RemoveMember(group.Id, memberId);
            }
            catch (ArgumentException)
            {
                throw GraphException.NotFound(memberId);
            }
            return EmulatorResponse.Empty(HttpStatusCode.NoContent);
        }

        /// <summary>The object id at the end of an @odata.id: .../directoryObjects/{id}, .../users/{id} or .../groups/{id}.</summary>
        private static string ReferencedObjectId(string reference)
        {
            if (!Uri.TryCreate(reference, UriKind.Absolute, out var uri)) return null;
            var segments = uri.AbsolutePath.Trim('/').Split('/');
            if (segments.Length < 2) return null;
            var collection = segments[segments.Length - 2];
            if (!collection.Equals("directoryObjects", StringComparison.OrdinalIgnoreCase) && !collection.Equals("users", StringComparison.OrdinalIgnoreCase)
                && !collection.Equals("groups", StringComparison.OrdinalIgnoreCase))
                return null;
            var id = Uri.UnescapeDataString(segments[segments.Length - 1]);
            return System.Guid.TryParse(id, out _) ? id : null;
        }

        private static async Task<JObject> ReadObjectAsync(HttpRequestMessage request)
        {
            var text = request.Content == null ? "" : await request.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(text))
                throw GraphException.BadRequest("Empty Payload. JSON content expected.");
            try
            {
                using (var reader = new JsonTextReader(new System.IO.StringReader(text)) { DateParseHandling = DateParseHandling.None })
                {
                    var token = JToken.ReadFrom(reader);
                    if (token is JObject body) return body;
                }
            }
            catch (JsonReaderException) { }
            throw GraphException.BadRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
        }

        private static string GuidProperty(JObject body, string name, string resource)
        {
            var value = body.GetValue(name, StringComparison.OrdinalIgnoreCase);
            if (value == null || value.Type == JTokenType.Null)
                throw GraphException.BadRequest($"The property '{name}' is required for resource '{resource}'.", "Request_BadRequest");
            if (value.Type != JTokenType.String || !System.Guid.TryParse((string)value, out _))
                throw InvalidValue(name, resource);
            return (string)value;
        }

        private static bool Boolean(JToken value, string name)
        {
            if (value.Type != JTokenType.Boolean) throw InvalidValue(name, "User");
            return (bool)value;
        }

        private static string Text(JToken value, string name)
        {
            if (value.Type == JTokenType.Null) return null;
            if (value.Type != JTokenType.String) throw InvalidValue(name, "User");
            return (string)value;
        }

        private static string Required(JToken value, string name)
        {
            var text = Text(value, name);
            if (string.IsNullOrWhiteSpace(text)) throw InvalidValue(name, "User");
            return text;
        }

        private static GraphException InvalidValue(string property, string resource) =>
            GraphException.BadRequest($"Invalid value specified for property '{property}' of resource '{resource}'.", "Request_BadRequest");
    }
}
