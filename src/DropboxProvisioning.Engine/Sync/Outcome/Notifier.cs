using System;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Directory;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// Entra's notification email, sent through Graph's sendMail from a configured mailbox (the app needs
    /// Mail.Send). A notification that cannot be sent is a warning, never a reason to fail the cycle.
    /// </summary>
    public static class Notifier
    {
        public static async Task SendAsync(IDirectoryClient graph, ProvisioningSettings settings, string subject, string body, ICycleObserver observer, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(settings.NotificationEmail)) return;
            if (string.IsNullOrWhiteSpace(settings.NotificationSender))
            {
                observer.Warning($"A notification to {settings.NotificationEmail} was not sent: set NotificationSender (the mailbox that sends it) with Set-DbxProvisioningSetting.");
                return;
            }
            var message = new JObject
            {
                ["message"] = new JObject
                {
                    ["subject"] = subject,
                    ["body"] = new JObject { ["contentType"] = "Text", ["content"] = body },
                    ["toRecipients"] = new JArray(new JObject { ["emailAddress"] = new JObject { ["address"] = settings.NotificationEmail } }),
                },
                ["saveToSentItems"] = false,
            };
            var uri = new Uri(graph.Root, $"users/{Uri.EscapeDataString(settings.NotificationSender)}/sendMail");
            try
            {
                using (var response = await graph.PostAsync(uri, new StringContent(message.ToString(), Encoding.UTF8, "application/json"), cancellationToken).ConfigureAwait(false))
                {
                    if (!response.IsSuccessStatusCode)
                        observer.Warning($"The notification email to {settings.NotificationEmail} was not sent: Microsoft Graph answered {(int)response.StatusCode}.");
                    else
                        observer.Verbose($"Notification sent to {settings.NotificationEmail}: {subject}");
                }
            }
            catch (HttpRequestException e)
            {
                observer.Warning($"The notification email to {settings.NotificationEmail} was not sent: {e.Message}");
            }
        }
    }
}
