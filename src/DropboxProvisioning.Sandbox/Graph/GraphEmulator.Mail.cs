using System;
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
    internal sealed partial class GraphEmulator
    {
        /// <summary>POST /v1.0/users/{id | upn}/sendMail: 202 with no body; the message lands in DirectoryModel.SentMail.</summary>
        private async Task<HttpResponseMessage> HandleSendMailAsync(string idOrUpn, HttpRequestMessage request)
        {
            var text = request.Content == null ? "" : await request.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(text))
                throw GraphException.BadRequest("Empty Payload. JSON content expected.", "ErrorInvalidRequest");
            JObject body;
            try { body = JObject.Parse(text); }
            catch (JsonReaderException)
            {
                throw GraphException.BadRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
            }

            var sender = Directory.GetUser(idOrUpn)
                ?? throw new GraphException(HttpStatusCode.NotFound, "ErrorInvalidUser", $"The requested user '{idOrUpn}' is invalid.");
            if (!(body["message"] is JObject message))
                throw GraphException.BadRequest("The message parameter is required.", "ErrorInvalidRequest");

            var to = (message["toRecipients"] as JArray ?? new JArray())
                .Select(r => (string)r.SelectToken("emailAddress.address"))
                .ToArray();
            if (to.Length == 0 || to.Any(string.IsNullOrWhiteSpace))
                throw GraphException.BadRequest("At least one recipient isn't valid., A message can't be sent because it contains no recipients.", "ErrorInvalidRecipients");

            Directory.RecordMail(new SentMail
            {
                From = sender.Mail ?? sender.UserPrincipalName,
                To = to,
                Subject = (string)message["subject"],
                Body = (string)message.SelectToken("body.content"),
                ContentType = (string)message.SelectToken("body.contentType") ?? "Text",
                Sent = DateTimeOffset.UtcNow,
            });
            return EmulatorResponse.Empty(HttpStatusCode.Accepted);
        }
    }
}
