using System;
using System.Globalization;
using System.Net;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>A request the endpoint refuses; becomes an RFC 7644 §3.12 error response.</summary>
    internal sealed class ScimException : Exception
    {
        public ScimException(HttpStatusCode status, string scimType, string detail) : base(detail)
        {
            Status = status;
            ScimType = scimType;
        }

        public HttpStatusCode Status { get; }

        /// <summary>invalidFilter, invalidSyntax, invalidPath, invalidValue, uniqueness, noTarget, mutability...; null when none fits.</summary>
        public string ScimType { get; }

        public static ScimException BadRequest(string scimType, string detail) => new ScimException(HttpStatusCode.BadRequest, scimType, detail);

        public static ScimException NotFound(string detail) => new ScimException(HttpStatusCode.NotFound, null, detail);

        public JObject ToBody() => Body((int)Status, ScimType, Message);

        public static JObject Body(int status, string scimType, string detail)
        {
            var body = new JObject
            {
                ["schemas"] = new JArray(ScimSchemas.Error),
                ["status"] = status.ToString(CultureInfo.InvariantCulture), // RFC 7644 makes status a string
            };
            if (scimType != null) body["scimType"] = scimType;
            body["detail"] = detail;
            return body;
        }
    }
}
