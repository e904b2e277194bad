using System;
using System.Linq;
using System.Text.RegularExpressions;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.State.Storage
{
    /// <summary>
    /// -StateStorageUri taken apart: https://&lt;account&gt;.blob.core.windows.net/&lt;container&gt;[/&lt;prefix&gt;] (the account in the
    /// host), or, on a loopback address (Azurite), path-style http://127.0.0.1:&lt;port&gt;/&lt;account&gt;/&lt;container&gt;[/&lt;prefix&gt;].
    /// Plain http only to loopback, as for every other URL of the module; no query (a SAS goes in -StateStorageSasToken, so
    /// that it is never shown in a message).
    /// </summary>
    public sealed class BlobStateLocation
    {
        private static readonly Regex ContainerName = new Regex("^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$", RegexOptions.CultureInvariant);
        private static readonly Regex AccountName = new Regex("^[a-z0-9]{3,24}$", RegexOptions.CultureInvariant);

        public string Account { get; private set; }
        public string Container { get; private set; }
        /// <summary>"" or a folder of the container, without a trailing '/'.</summary>
        public string Prefix { get; private set; }
        /// <summary>The container's URI (no prefix).</summary>
        public Uri ContainerUri { get; private set; }
        /// <summary>True for the path-style form (loopback: the account is the first segment).</summary>
        public bool PathStyle { get; private set; }

        /// <summary>The container's URI with the prefix: what messages name.</summary>
        public string Display => ContainerUri.AbsoluteUri.TrimEnd('/') + (Prefix.Length == 0 ? "" : "/" + Prefix);

        public static BlobStateLocation Parse(string text)
        {
            if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(uri.Host))
                throw Invalid(text, "it is not an absolute https URL such as https://<account>.blob.core.windows.net/<container>.");
            Http.HttpPipeline.RequireSecureOrLoopback(uri, "state storage URI");
            if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
                throw Invalid(Errors.Redaction.Url(uri), "it has a query or a fragment; give a SAS token as -StateStorageSasToken (a SecureString), not in the URL.");
            if (!string.IsNullOrEmpty(uri.UserInfo))
                throw Invalid(Errors.Redaction.Url(uri), "it carries a user name or password.");
            // Uri resolves "a/../b" silently: a container reached that way is not the one the text names.
            var raw = text.Trim();
            var rawPath = raw.Substring(raw.IndexOf("//", StringComparison.Ordinal) + 2);
            if (System.Text.RegularExpressions.Regex.IsMatch(rawPath, @"(^|/)\.{1,2}(/|$)") || rawPath.IndexOf('\\') >= 0 || rawPath.IndexOf("%2e", StringComparison.OrdinalIgnoreCase) >= 0)
                throw Invalid(text, "the path may not contain '.', '..' or '\\' segments.");
            var segments = uri.AbsolutePath.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();
            var location = new BlobStateLocation { PathStyle = uri.IsLoopback };
            string root;
            if (location.PathStyle)
            {
                if (segments.Count < 2) throw Invalid(text, "on a loopback address (Azurite) the path is /<account>/<container>[/<prefix>], e.g. http://127.0.0.1:10000/devstoreaccount1/dropbox-state.");
                location.Account = segments[0];
                segments.RemoveAt(0);
                root = uri.GetLeftPart(UriPartial.Authority) + "/" + Uri.EscapeDataString(location.Account) + "/";
            }
            else
            {
                location.Account = uri.Host.Split('.')[0];
                if (!uri.Host.Contains(".blob.") || !AccountName.IsMatch(location.Account))
                    throw Invalid(text, "the host must be a storage account's blob endpoint, <account>.blob.core.windows.net (3 to 24 lowercase letters and digits), or that of a national cloud.");
                root = uri.GetLeftPart(UriPartial.Authority) + "/";
            }
            if (segments.Count == 0) throw Invalid(text, "it names no container: add /<container> (and optionally /<prefix>) after the account.");
            location.Container = segments[0];
            if (!ContainerName.IsMatch(location.Container))
                throw Invalid(text, $"'{location.Container}' is not a container name (3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit).");
            var prefix = segments.Skip(1).ToList();
            if (prefix.Any(p => p == "." || p == ".." || p.IndexOf('\\') >= 0))
                throw Invalid(text, "the prefix may not contain '.', '..' or '\\' segments.");
            location.Prefix = string.Join("/", prefix);
            location.ContainerUri = new Uri(root + location.Container);
            return location;
        }

        private static DbxException Invalid(string text, string why) =>
            new DbxException("InvalidStateStorageUri", DbxErrorCategory.InvalidArgument, $"-StateStorageUri '{text}' is not usable: {why}", target: text)
            {
                RecommendedAction = "Give the container's URL: https://<account>.blob.core.windows.net/<container>[/<prefix>] (Azurite: http://127.0.0.1:10000/devstoreaccount1/<container>).",
            };
    }
}
