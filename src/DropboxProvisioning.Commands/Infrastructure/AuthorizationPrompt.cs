using System;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace DropboxProvisioning.Commands.Infrastructure
{
    /// <summary>
    /// The interactive half of Dropbox's "Generate link": shows the link through the host and reads back the code
    /// Dropbox shows after Allow. Hosts that cannot prompt (runbooks, remoting, an embedded runspace) get null, and the
    /// cmdlet tells the admin what to run with -AuthorizationCode instead.
    /// </summary>
    internal static class AuthorizationPrompt
    {
        /// <param name="host">The cmdlet's host, which shows the link and reads the code.</param>
        /// <param name="link">The authorization link to open.</param>
        /// <param name="grants">What the admin allows, as the consent page puts it.</param>
        public static string Ask(PSHost host, Uri link, string grants)
        {
            if (host == null || host.UI == null || host.Name == "Default Host" || host.Name == "ServerRemoteHost") return null;
            try
            {
                host.UI.WriteLine("1. Open this link as a Dropbox team admin and sign in:");
                host.UI.WriteLine("   " + link);
                host.UI.WriteLine($"2. Click Allow ({grants}), then copy the code Dropbox shows.");
                host.UI.Write("3. Paste the code here: ");
                var code = host.UI.ReadLine()?.Trim();
                return string.IsNullOrEmpty(code) ? null : code;
            }
            catch (Exception e) when (e is HostException || e is NotImplementedException || e is PSInvalidOperationException || e is InvalidOperationException)
            {
                return null;
            }
        }
    }
}
