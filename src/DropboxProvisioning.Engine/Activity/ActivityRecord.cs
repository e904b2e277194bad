using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Activity
{
    /// <summary>
    /// One Dropbox team event, normalized the way the Defender for Cloud Apps connector shows it. Every property is
    /// a simple type (string, bool, DateTimeOffset, long), so Export-Csv and ConvertTo-Json -Compress give one flat
    /// row or line per record; <see cref="Details"/> keeps Dropbox's whole event as compact JSON.
    /// </summary>
    public sealed class ActivityRecord
    {
        /// <summary>When it happened (UTC, second precision as Dropbox logs it).</summary>
        public DateTimeOffset Time { get; set; }
        /// <summary>The connector's name: "Upload file", "Log on", "Create sharing link"...</summary>
        public string Activity { get; set; }
        /// <summary>Dropbox's event type tag (file_add), or an unknown future tag as it came.</summary>
        public string EventType { get; set; }
        /// <summary>Dropbox's event category tag (file_operations, logins, sharing...).</summary>
        public string Category { get; set; }
        /// <summary>Dropbox's own description of the event type.</summary>
        public string Description { get; set; }
        /// <summary>Who did it: an e-mail address for people, the app's name for apps, "Dropbox", or null for anonymous visitors.</summary>
        public string User { get; set; }
        public string UserDisplayName { get; set; }
        /// <summary>Actor kind: user, admin, app, anonymous, dropbox, reseller.</summary>
        public string ActorType { get; set; }
        /// <summary>True when nobody signed in: a visitor of a shared link (Defender's "Unauthenticated" user).</summary>
        public bool IsUnauthenticated { get; set; }
        /// <summary>True when the actor is not a member of the team (a non-team or trusted non-team member).</summary>
        public bool IsExternal { get; set; }
        /// <summary>Dropbox's involve_non_team_member: someone outside the team took part (actor or affected).</summary>
        public bool InvolvesExternalUser { get; set; }
        public string IpAddress { get; set; }
        /// <summary>"City, Region, Country" of the IP address.</summary>
        public string Location { get; set; }
        public string City { get; set; }
        public string Country { get; set; }
        /// <summary>The object acted on: a file or folder's name, a document's title, else the affected user or group.</summary>
        public string ObjectName { get; set; }
        /// <summary>The file or folder's path, when there is one.</summary>
        public string ObjectPath { get; set; }
        /// <summary>How it was done: Web, Desktop, Mobile, API, Admin console... with the device's name when Dropbox logged it.</summary>
        public string Device { get; set; }
        /// <summary>Dropbox's TeamEvent as compact JSON.</summary>
        public string Details { get; set; }

        public override string ToString() => $"{Time:u} {Activity} {User ?? (IsUnauthenticated ? "(unauthenticated)" : "")} {ObjectName}".Trim();
    }

    /// <summary>Turns a team_log.TeamEvent (Stone JSON) into an <see cref="ActivityRecord"/>.</summary>
    public static class ActivityMapper
    {
        public static ActivityRecord Map(JObject e)
        {
            var type = (string)e["event_type"]?[".tag"];
            var row = ActivityVocabulary.Lookup(type, (string)e["event_type"]?["description"], (string)e["event_category"]?[".tag"]);
            var record = new ActivityRecord
            {
                EventType = type,
                Activity = row.Activity,
                Category = (string)e["event_category"]?[".tag"] ?? row.Category,
                Description = ActivityVocabulary.StripCategory((string)e["event_type"]?["description"] ?? row.Description),
                InvolvesExternalUser = (bool?)e["involve_non_team_member"] ?? false,
                Details = e.ToString(Formatting.None),
            };
            if (DateTimeOffset.TryParse((string)e["timestamp"], System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var time))
                record.Time = time;
            else if (e["timestamp"]?.Type == JTokenType.Date)
                record.Time = ((DateTime)e["timestamp"]).ToUniversalTime();

            Actor(e["actor"] as JObject, e["context"] as JObject, record);
            Origin(e["origin"] as JObject, e["details"] as JObject, record);
            Target(e, record);
            return record;
        }

        private static void Actor(JObject actor, JObject context, ActivityRecord record)
        {
            var tag = (string)actor?[".tag"];
            record.ActorType = tag;
            switch (tag)
            {
                case "user":
                case "admin":
                    var user = actor[tag] as JObject;
                    record.User = (string)user?["email"] ?? (string)user?["display_name"];
                    record.UserDisplayName = (string)user?["display_name"];
                    var kind = (string)user?[".tag"];
                    record.IsExternal = kind == "non_team_member" || kind == "trusted_non_team_member";
                    break;
                case "app":
                    var app = actor["app"] as JObject;
                    record.User = (string)app?["display_name"] ?? (string)app?["app_id"];
                    record.UserDisplayName = record.User;
                    break;
                case "reseller":
                    record.User = (string)actor["reseller_email"];
                    record.UserDisplayName = (string)actor["reseller_name"];
                    break;
                case "dropbox":
                    record.User = "Dropbox";
                    break;
                case "anonymous":
                    record.IsUnauthenticated = true;
                    break;
                case null:
                    // No actor: the context says on whose behalf.
                    var ctag = (string)context?[".tag"];
                    if (ctag == "anonymous") record.IsUnauthenticated = true;
                    else if (ctag == "team_member" || ctag == "non_team_member" || ctag == "trusted_non_team_member")
                    {
                        record.User = (string)context["email"] ?? (string)context["display_name"];
                        record.UserDisplayName = (string)context["display_name"];
                        record.IsExternal = ctag != "team_member";
                    }
                    break;
            }
        }

        private static void Origin(JObject origin, JObject details, ActivityRecord record)
        {
            var geo = origin?["geo_location"] as JObject;
            if (geo != null)
            {
                record.IpAddress = (string)geo["ip_address"];
                record.City = (string)geo["city"];
                record.Country = (string)geo["country"];
                var parts = new[] { (string)geo["city"], (string)geo["region"], (string)geo["country"] }.Where(p => !string.IsNullOrEmpty(p)).ToArray();
                record.Location = parts.Length == 0 ? null : string.Join(", ", parts);
            }
            var method = origin?["access_method"] as JObject;
            string how = null;
            switch ((string)method?[".tag"])
            {
                case "end_user":
                    var session = (string)method["end_user"]?[".tag"];
                    how = session == "web" ? "Web" : session == "desktop" ? "Desktop" : session == "mobile" ? "Mobile" : "End user";
                    break;
                case "api": how = "API"; break;
                case "admin_console": how = "Admin console"; break;
                case "content_manager": how = "Content manager"; break;
                case "enterprise_console": how = "Enterprise console"; break;
                case "sign_in_as": how = "Sign in as"; break;
            }
            var device = details?["device_session_info"] as JObject;
            if (device != null)
            {
                var name = (string)device["host_name"] ?? (string)device["device_name"] ?? (string)device["browser"];
                var os = (string)device["platform"] ?? (string)device["os_version"] ?? (string)device["os"];
                var described = string.Join(", ", new[] { name, os }.Where(p => !string.IsNullOrEmpty(p)));
                if (described.Length > 0) how = how == null ? described : how + " (" + described + ")";
                if (record.IpAddress == null) record.IpAddress = (string)device["ip_address"];
            }
            record.Device = how;
        }

        private static void Target(JObject e, ActivityRecord record)
        {
            var asset = (e["assets"] as JArray)?.OfType<JObject>().LastOrDefault();
            if (asset != null)
            {
                switch ((string)asset[".tag"])
                {
                    case "file":
                    case "folder":
                        record.ObjectPath = (string)asset["path"]?["contextual"] ?? (string)asset["path"]?["namespace_relative"]?["relative_path"];
                        record.ObjectName = (string)asset["display_name"] ?? LastSegment(record.ObjectPath);
                        return;
                    case "paper_document": record.ObjectName = (string)asset["doc_title"]; return;
                    case "paper_folder": record.ObjectName = (string)asset["folder_name"]; return;
                    case "showcase_document": record.ObjectName = (string)asset["showcase_title"]; return;
                }
            }
            var participant = (e["participants"] as JArray)?.OfType<JObject>().FirstOrDefault();
            if (participant != null)
            {
                record.ObjectName = (string)participant[".tag"] == "group"
                    ? (string)participant["display_name"]
                    : (string)participant["user"]?["email"] ?? (string)participant["user"]?["display_name"];
                return;
            }
            var context = e["context"] as JObject;
            var ctag = (string)context?[".tag"];
            if ((ctag == "team_member" || ctag == "non_team_member" || ctag == "trusted_non_team_member") && !string.Equals((string)context["email"], record.User, StringComparison.OrdinalIgnoreCase))
                record.ObjectName = (string)context["email"] ?? (string)context["display_name"];
        }

        private static string LastSegment(string path) => string.IsNullOrEmpty(path) ? null : path.Substring(path.LastIndexOf('/') + 1);

        /// <summary>A stable identity for an event (SHA-256 of its compact JSON): Dropbox events carry no id.</summary>
        public static string Key(JObject e)
        {
            using (var sha = SHA256.Create())
                return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(e.ToString(Formatting.None))));
        }
    }
}
