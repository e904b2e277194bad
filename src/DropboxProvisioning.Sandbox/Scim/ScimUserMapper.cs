using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using DropboxProvisioning.Sandbox.Dropbox;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>
    /// The SCIM User view of a Dropbox team member: id = team_member_id, userName = email, name = given_name/surname,
    /// active = not suspended. Attributes Dropbox has no field for are kept aside so they round-trip.
    /// </summary>
    internal static class ScimUserMapper
    {
        private static readonly Regex EmailShape = new Regex(@"^[^@\s]+@[^@\s]+\.[^@\s.]+$", RegexOptions.CultureInvariant);

        // Attributes mapped onto team fields (or never stored); everything else a client sends is kept as sent.
        private static readonly HashSet<string> Modelled = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "schemas", "id", "externalId", "userName", "name", "displayName", "emails", "active", "meta", "groups", "password",
        };

        public static JObject Render(DropboxMember m, string baseUrl)
        {
            var schemas = new JArray(ScimSchemas.User);
            var user = new JObject
            {
                ["schemas"] = schemas,
                ["id"] = m.TeamMemberId,
            };
            if (!string.IsNullOrEmpty(m.ExternalId)) user["externalId"] = m.ExternalId;
            user["userName"] = m.Email;
            user["name"] = new JObject
            {
                ["givenName"] = m.GivenName,
                ["familyName"] = m.Surname,
                ["formatted"] = ((m.GivenName ?? "") + " " + (m.Surname ?? "")).Trim(),
            };
            user["displayName"] = m.DisplayName;
            user["emails"] = new JArray(new JObject { ["value"] = m.Email, ["type"] = "work", ["primary"] = true });
            // Dropbox shows invited members as active: only a suspension makes a member inactive.
            user["active"] = m.Status != DropboxMemberStatus.Suspended;
            if (m.ScimExtras != null)
            {
                foreach (var p in m.ScimExtras.Properties())
                {
                    user[p.Name] = p.Value.DeepClone();
                    if (p.Name.StartsWith("urn:", StringComparison.OrdinalIgnoreCase) && p.Value is JObject) schemas.Add(p.Name);
                }
            }
            user["meta"] = new JObject
            {
                ["resourceType"] = "User",
                ["created"] = Timestamp(m.Created),
                ["lastModified"] = Timestamp(m.LastModified),
                ["location"] = baseUrl + "/Users/" + m.TeamMemberId,
                ["version"] = Version(m.Version),
            };
            return user;
        }

        /// <summary>
        /// Reads a User resource (a POST or PUT body, or the result of applying a PATCH to <paramref name="before"/>)
        /// onto <paramref name="member"/>, enforcing Dropbox's rules. Returns the requested "active".
        /// </summary>
        public static bool Read(JObject resource, DropboxMember member, JObject before)
        {
            var schemas = Property(resource, "schemas") as JArray;
            if (before == null && schemas != null && !schemas.Values<string>().ContainsIgnoringCase(ScimSchemas.User))
                throw ScimException.BadRequest("invalidValue", $"A user must declare the schema {ScimSchemas.User}.");

            var userName = String(resource, "userName");
            var workEmail = WorkEmail(resource);
            // userName and emails[type eq "work"] are both Dropbox's one e-mail: whichever the request changed wins.
            var email = userName;
            if (before != null && userName == String(before, "userName") && workEmail != null && workEmail != WorkEmail(before))
                email = workEmail;
            if (string.IsNullOrWhiteSpace(email))
                throw ScimException.BadRequest("invalidValue", "userName is required; Dropbox uses it as the member's e-mail address.");
            if (!EmailShape.IsMatch(email.Trim()))
                throw ScimException.BadRequest("invalidValue", $"userName '{email}' must be an e-mail address: Dropbox members are identified by e-mail.");

            var name = Property(resource, "name") as JObject;
            var givenName = String(name, "givenName");
            var familyName = String(name, "familyName");
            if (string.IsNullOrWhiteSpace(givenName))
                throw ScimException.BadRequest("invalidValue", "name.givenName is required: Dropbox needs a member's first name.");
            if (string.IsNullOrWhiteSpace(familyName))
                throw ScimException.BadRequest("invalidValue", "name.familyName is required: Dropbox needs a member's last name.");

            var displayName = String(resource, "displayName");
            if (before == null || displayName != String(before, "displayName"))
                member.DisplayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName;

            member.Email = email.Trim();
            member.GivenName = givenName.Trim();
            member.Surname = familyName.Trim();
            if (member.DisplayName == null) member.DisplayName = (member.GivenName + " " + member.Surname).Trim();
            var externalId = String(resource, "externalId");
            member.ExternalId = string.IsNullOrEmpty(externalId) ? null : externalId;

            var extras = new JObject();
            foreach (var p in resource.Properties())
                if (!Modelled.Contains(p.Name) && p.Value.Type != JTokenType.Null) extras[p.Name] = p.Value.DeepClone();
            member.ScimExtras = extras.HasValues ? extras : null;

            return Active(Property(resource, "active"));
        }

        /// <summary>active as a boolean, or as the strings "True"/"False" some clients (Entra) send.</summary>
        private static bool Active(JToken token)
        {
            if (token == null || token.Type == JTokenType.Null) return true;
            if (token.Type == JTokenType.Boolean) return (bool)token;
            if (token.Type == JTokenType.String && bool.TryParse(((string)token).Trim(), out var parsed)) return parsed;
            throw ScimException.BadRequest("invalidValue", $"active must be true or false, not {token.ToString(Newtonsoft.Json.Formatting.None)}.");
        }

        private static string WorkEmail(JObject resource)
        {
            if (!(Property(resource, "emails") is JArray emails)) return null;
            var chosen = emails.OfType<JObject>().FirstOrDefault(e => String(e, "type")?.Equals("work", StringComparison.OrdinalIgnoreCase) == true)
                ?? emails.OfType<JObject>().FirstOrDefault(e => Property(e, "primary")?.Type == JTokenType.Boolean && (bool)Property(e, "primary"))
                ?? emails.OfType<JObject>().FirstOrDefault();
            return String(chosen, "value");
        }

        private static JToken Property(JObject obj, string name) => ScimAttributePath.Property(obj, name)?.Value;

        private static string String(JObject obj, string name)
        {
            var token = Property(obj, name);
            if (token == null || token.Type == JTokenType.Null) return null;
            if (token.Type != JTokenType.String)
                throw ScimException.BadRequest("invalidValue", $"{name} must be a string.");
            return (string)token;
        }

        public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        public static string Version(long version) => "W/\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";
    }
}
