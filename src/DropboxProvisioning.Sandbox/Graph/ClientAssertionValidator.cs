using System;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DropboxProvisioning.Sandbox.Directory;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Graph
{
    /// <summary>
    /// Checks a certificate credential (RFC 7523 client assertion) as Entra does: a JWT whose header names a
    /// registered certificate by x5t (or x5t#S256), signed RS256 with its key, issued by and about the client,
    /// for the token endpoint, and within its time range.
    /// </summary>
    internal static class ClientAssertionValidator
    {
        public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
        private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

        public static void Validate(DirectoryModel directory, string assertion, string clientId)
        {
            var parts = assertion.Split('.');
            JObject header, payload;
            byte[] signature;
            try
            {
                if (parts.Length != 3) throw new FormatException();
                header = JObject.Parse(Encoding.UTF8.GetString(FromBase64Url(parts[0])));
                payload = JObject.Parse(Encoding.UTF8.GetString(FromBase64Url(parts[1])));
                signature = FromBase64Url(parts[2]);
            }
            catch (Exception e) when (e is FormatException || e is JsonReaderException || e is ArgumentException)
            {
                throw new AadException(HttpStatusCode.BadRequest, "invalid_request", 50027, "JWT token is invalid or malformed.");
            }

            var x5tS256 = (string)header["x5t#S256"];
            var x5t = (string)header["x5t"];
            var certificate = x5tS256 != null ? directory.FindCertificate(x5tS256, sha256: true) : directory.FindCertificate(x5t);
            if (certificate == null)
                throw new AadException(HttpStatusCode.Unauthorized, "invalid_client", 700027,
                    $"The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '{Thumbprint(x5tS256 ?? x5t)}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{clientId}'.]");

            if (!string.Equals((string)header["alg"], "RS256", StringComparison.Ordinal) || !Verifies(certificate, parts[0] + "." + parts[1], signature))
                throw new AadException(HttpStatusCode.Unauthorized, "invalid_client", 700027, "Client assertion contains an invalid signature.");

            if (!string.Equals((string)payload["iss"], clientId, StringComparison.OrdinalIgnoreCase)
                || !string.Equals((string)payload["sub"], clientId, StringComparison.OrdinalIgnoreCase))
                throw new AadException(HttpStatusCode.BadRequest, "invalid_client", 700021, "Client assertion application identifier doesn't match 'client_id' parameter.");

            var audience = (string)payload["aud"] ?? "";
            if (!audience.EndsWith("/oauth2/v2.0/token", StringComparison.OrdinalIgnoreCase) && !audience.EndsWith("/oauth2/token", StringComparison.OrdinalIgnoreCase))
                throw new AadException(HttpStatusCode.BadRequest, "invalid_client", 700023, $"Client assertion audience claim does not match Realm issuer. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials . Audience: '{audience}'.");

            var now = DateTimeOffset.UtcNow;
            var exp = (long?)payload["exp"];
            var nbf = (long?)payload["nbf"];
            if (exp == null || DateTimeOffset.FromUnixTimeSeconds(exp.Value) < now - ClockSkew
                || (nbf != null && DateTimeOffset.FromUnixTimeSeconds(nbf.Value) > now + ClockSkew))
                throw new AadException(HttpStatusCode.BadRequest, "invalid_client", 700024, $"Client assertion is not within its valid time range. Current time: {now:yyyy-MM-ddTHH:mm:ss.fffffffZ}, expiry time of assertion {(exp == null ? "(none)" : DateTimeOffset.FromUnixTimeSeconds(exp.Value).ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ"))}.");
        }

        private static bool Verifies(X509Certificate2 certificate, string signedPart, byte[] signature)
        {
            using (var rsa = certificate.GetRSAPublicKey())
            {
                if (rsa == null) return false;
                return rsa.VerifyData(Encoding.ASCII.GetBytes(signedPart), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
        }

        private static string Thumbprint(string base64Url)
        {
            try { return BitConverter.ToString(FromBase64Url(base64Url ?? "")).Replace("-", ""); }
            catch (FormatException) { return base64Url; }
        }

        private static byte[] FromBase64Url(string text)
        {
            var b64 = text.Replace('-', '+').Replace('_', '/');
            return Convert.FromBase64String(b64 + new string('=', (4 - b64.Length % 4) % 4));
        }
    }
}
