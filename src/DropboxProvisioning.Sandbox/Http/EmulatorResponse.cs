using System.Net;
using System.Net.Http;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Http
{
    /// <summary>Builds the HTTP responses the emulators answer with.</summary>
    public static class EmulatorResponse
    {
        public static HttpResponseMessage Json(HttpStatusCode status, JToken body, string contentType = "application/json")
        {
            var response = new HttpResponseMessage(status);
            if (body != null)
                response.Content = new StringContent(body.ToString(Formatting.None), Encoding.UTF8, contentType);
            return response;
        }

        public static HttpResponseMessage Empty(HttpStatusCode status) => new HttpResponseMessage(status);

        public static HttpResponseMessage TooManyRequests(int retryAfterSeconds, JToken body)
        {
            var response = Json((HttpStatusCode)429, body);
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return response;
        }
    }
}
