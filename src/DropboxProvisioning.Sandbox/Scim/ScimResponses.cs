using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.Sandbox.Http;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>The response shapes of RFC 7644: resources with Location/ETag, ListResponse, errors, 204.</summary>
    internal static class ScimResponses
    {
        public static HttpResponseMessage Resource(HttpStatusCode status, JObject resource, long version, bool withLocation = false)
        {
            var response = EmulatorResponse.Json(status, resource, ScimSchemas.MediaType);
            response.Headers.TryAddWithoutValidation("ETag", ScimUserMapper.Version(version));
            var location = (string)resource.SelectToken("meta.location");
            if (withLocation && location != null) response.Headers.TryAddWithoutValidation("Location", location);
            return response;
        }

        public static HttpResponseMessage Document(JToken body) => EmulatorResponse.Json(HttpStatusCode.OK, body, ScimSchemas.MediaType);

        public static HttpResponseMessage List(int total, int startIndex, IEnumerable<JObject> resources)
        {
            var items = new JArray(resources);
            return Document(new JObject
            {
                ["schemas"] = new JArray(ScimSchemas.ListResponse),
                ["totalResults"] = total,
                ["startIndex"] = startIndex,
                ["itemsPerPage"] = items.Count,
                ["Resources"] = items,
            });
        }

        public static HttpResponseMessage NoContent() => EmulatorResponse.Empty(HttpStatusCode.NoContent);

        public static HttpResponseMessage Error(ScimException e) => EmulatorResponse.Json(e.Status, e.ToBody(), ScimSchemas.MediaType);

        public static HttpResponseMessage MethodNotAllowed(string method, string route) =>
            Error(new ScimException(HttpStatusCode.MethodNotAllowed, null, $"{method} is not supported on {route}."));

        /// <summary>Translates a team refusal (a team.stone error tag) into the SCIM error a client would get.</summary>
        public static ScimException FromTeam(DropboxTeamException e)
        {
            switch (e.Tag)
            {
                case "user_already_on_team": case "email_reserved_for_other_user":
                case "duplicate_external_member_id": case "external_id_used_by_other_user": case "duplicate_member_persistent_id":
                case "group_name_already_used": case "external_id_already_in_use":
                    return new ScimException(HttpStatusCode.Conflict, "uniqueness", e.Message);
                case "team_license_limit":
                    return new ScimException(HttpStatusCode.Forbidden, null, "Team license limit reached: " + e.Message);
                case "user_not_found": case "set_profile_disallowed": case "group_not_found":
                    return ScimException.NotFound(e.Message);
                default:
                    return ScimException.BadRequest("invalidValue", e.Message);
            }
        }
    }
}
