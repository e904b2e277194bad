using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Security;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Dropbox.OAuth
{
    /// <summary>
    /// Dropbox's OAuth 2 code flow with PKCE and offline access, as the activity connector and the Team API provisioning
    /// connection both use it: the link is generated with a new PKCE pair whose verifier waits, protected, in a file of
    /// the state directory until the admin brings back the code Dropbox showed after Allow; the code and the verifier
    /// then become a refresh token. The verifier is single-use: the pending file is deleted once the code is exchanged.
    /// </summary>
    public static class DropboxAuthorization
    {
        /// <summary>Writes a new pending authorization for <paramref name="appKey"/> to <paramref name="pendingPath"/> and returns its link.</summary>
        /// <param name="scopes">The scopes to ask for; null for the app's configured ones.</param>
        /// <param name="clock">Stamps when the link was made (the connection's clock); null for the machine's.</param>
        public static DropboxAuthorizationLink Begin(string appKey, string pendingPath, IEnumerable<string> scopes = null, Uri authorizeRoot = null, Time.IClock clock = null)
        {
            var full = System.IO.Path.GetFullPath(pendingPath);
            return Begin(appKey, new State.Storage.LocalDirectoryStorage(System.IO.Path.GetDirectoryName(full)), System.IO.Path.GetFileName(full), scopes, authorizeRoot, clock);
        }

        /// <summary>Writes a new pending authorization for <paramref name="appKey"/> to the item <paramref name="pendingName"/> of the job's storage and returns its link.</summary>
        public static DropboxAuthorizationLink Begin(string appKey, State.Storage.IStateStorage storage, string pendingName, IEnumerable<string> scopes = null, Uri authorizeRoot = null, Time.IClock clock = null)
        {
            var pkce = PkcePair.Create();
            var now = (clock ?? Time.SystemClock.Instance).UtcNow;
            var pending = new JObject { ["app_key"] = appKey, ["verifier"] = pkce.Verifier, ["created"] = now.ToString("o") };
            ProtectedSecretFile.Write(storage, pendingName, SecureStrings.FromText(pending.ToString(Newtonsoft.Json.Formatting.None)));
            return new DropboxAuthorizationLink
            {
                AppKey = appKey, AuthorizationUrl = DropboxOAuth.AuthorizeUrl(appKey, pkce, authorizeRoot, scopes), Created = now, CodeChallenge = pkce.Challenge,
            };
        }

        /// <summary>The PKCE challenge of a link (the sandbox approves it as the admin would).</summary>
        public static string ChallengeOf(DropboxAuthorizationLink link) => link.CodeChallenge;

        /// <summary>
        /// The verifier of the pending authorization for <paramref name="appKey"/>; <paramref name="condition"/> and
        /// <paramref name="howToBegin"/> name the caller's error and the command that generates a link.
        /// </summary>
        public static string PendingVerifier(string pendingPath, string appKey, string condition, string howToBegin)
        {
            var full = System.IO.Path.GetFullPath(pendingPath);
            return PendingVerifier(new State.Storage.LocalDirectoryStorage(System.IO.Path.GetDirectoryName(full)), System.IO.Path.GetFileName(full), appKey, condition, howToBegin);
        }

        public static string PendingVerifier(State.Storage.IStateStorage storage, string pendingName, string appKey, string condition, string howToBegin)
        {
            var secret = ProtectedSecretFile.Read(storage, pendingName)
                ?? throw new DbxException(condition, DbxErrorCategory.InvalidOperation,
                    $"No authorization link was generated for app {appKey} in {storage.Location}: run {howToBegin} without -AuthorizationCode first, open the link, then pass the code.", target: appKey);
            var pending = Serialization.JsonText.ParseObject(SecureStrings.Reveal(secret));
            if ((string)pending["app_key"] != appKey)
                throw new DbxException(condition, DbxErrorCategory.InvalidOperation,
                    $"The pending authorization in {storage.Location} is for app {(string)pending["app_key"]}, not {appKey}.", target: appKey);
            return (string)pending["verifier"];
        }

        /// <summary>Exchanges the code for tokens; a grant without a refresh token is refused, since nothing could renew it.</summary>
        public static async Task<DropboxTokenGrant> ExchangeAsync(HttpClient http, Uri apiRoot, string appKey, string code, string verifier, CancellationToken cancellationToken, Time.IClock clock = null)
        {
            var grant = await DropboxOAuth.ExchangeCodeAsync(http, apiRoot, appKey, code, verifier, cancellationToken, clock).ConfigureAwait(false);
            if (grant.RefreshToken == null)
                throw new DbxException("DropboxNoRefreshToken", DbxErrorCategory.AuthenticationError,
                    "Dropbox gave no refresh token: the link must ask for token_access_type=offline.", target: appKey);
            return grant;
        }

        /// <summary>Refuses what cannot be an app key (the App key on the app's Settings tab), before it goes into a URL.</summary>
        public static void ValidateAppKey(string appKey)
        {
            if (string.IsNullOrWhiteSpace(appKey) || appKey.Length > 64 || appKey.IndexOfAny(new[] { ' ', '/', '\\', '?', '&', '#' }) >= 0)
                throw new DbxException("InvalidAppKey", DbxErrorCategory.InvalidArgument, $"'{appKey}' is not a Dropbox app key (the App key on the app's Settings tab in the App Console).", target: appKey);
        }
    }
}
