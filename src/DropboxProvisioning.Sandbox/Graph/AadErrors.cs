using System;
using System.Globalization;
using System.Net;
using System.Net.Http;
using DropboxProvisioning.Sandbox.Http;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Graph
{
    /// <summary>An error the Microsoft identity platform's token endpoint answers with (OAuth 2.0 error + AADSTS code).</summary>
    internal sealed class AadException : Exception
    {
        public AadException(HttpStatusCode status, string error, int code, string description) : base(description)
        {
            Status = status;
            Error = error;
            Code = code;
        }

        public HttpStatusCode Status { get; }
        public string Error { get; }
        public int Code { get; }

        public static AadException MissingParameter(string name) =>
            new AadException(HttpStatusCode.BadRequest, "invalid_request", 900144, $"The request body must contain the following parameter: '{name}'.");

        /// <summary>{"error","error_description","error_codes","timestamp","trace_id","correlation_id","error_uri"}</summary>
        public HttpResponseMessage ToResponse()
        {
            var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z";
            var trace = Guid.NewGuid().ToString();
            var correlation = Guid.NewGuid().ToString();
            var body = new JObject
            {
                ["error"] = Error,
                ["error_description"] = $"AADSTS{Code}: {Message} Trace ID: {trace} Correlation ID: {correlation} Timestamp: {now}",
                ["error_codes"] = new JArray(Code),
                ["timestamp"] = now,
                ["trace_id"] = trace,
                ["correlation_id"] = correlation,
                ["error_uri"] = "https://login.microsoftonline.com/error?code=" + Code.ToString(CultureInfo.InvariantCulture),
            };
            return EmulatorResponse.Json(Status, body);
        }
    }
}
