using System;
using System.Globalization;
using System.Net;
using System.Net.Http;
using DropboxProvisioning.Sandbox.Http;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Graph
{
    /// <summary>Graph's error body: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.</summary>
    internal static class GraphErrors
    {
        public static JObject Body(string code, string message, string requestId)
        {
            return new JObject
            {
                ["error"] = new JObject
                {
                    ["code"] = code,
                    ["message"] = message,
                    ["innerError"] = new JObject
                    {
                        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                        ["request-id"] = requestId,
                        ["client-request-id"] = requestId,
                    },
                },
            };
        }

        public static HttpResponseMessage Response(HttpStatusCode status, string code, string message, string requestId) =>
            EmulatorResponse.Json(status, Body(code, message, requestId));

        public static HttpResponseMessage Unauthorized(string message, string requestId)
        {
            var response = Response(HttpStatusCode.Unauthorized, "InvalidAuthenticationToken", message, requestId);
            response.Headers.TryAddWithoutValidation("WWW-Authenticate",
                "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"");
            return response;
        }
    }
}
