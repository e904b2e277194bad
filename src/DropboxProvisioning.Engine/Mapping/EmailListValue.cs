using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Errors;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Mapping
{
    /// <summary>
    /// A list of e-mail addresses as a multi-valued target takes it (secondaryEmails): from Entra's proxyAddresses, whose
    /// "smtp:" entries are aliases and whose one "SMTP:" entry is the primary address (not a secondary one, so left out);
    /// entries of other types (x500:, sip:, eum:...) are not addresses and are left out; a plain address, or several
    /// separated by ';' or ',', is taken as it is. Lower case, each once, in order: the same list compares equal.
    /// </summary>
    public static class EmailListValue
    {
        public static JArray Of(object value, string path)
        {
            var items = value is IEnumerable<string> many ? many : value == null ? Enumerable.Empty<string>() : new[] { Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) };
            var emails = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var item in items.Where(i => i != null).SelectMany(i => i.Split(';', ',')))
            {
                var text = item.Trim();
                if (text.Length == 0) continue;
                var colon = text.IndexOf(':');
                if (colon > 0 && colon <= 10 && text.Substring(0, colon).All(char.IsLetterOrDigit))
                {
                    var prefix = text.Substring(0, colon);
                    if (prefix != "smtp") continue; // SMTP: is the primary address; x500:, sip:... are not e-mail
                    text = text.Substring(colon + 1).Trim();
                }
                if (!DropboxLimits.IsEmailAddress(text))
                    throw new DbxException("InvalidTargetValue", DbxErrorCategory.InvalidData, $"The mapping to '{path}' produced '{text}', which is not an e-mail address.", target: path);
                emails.Add(text.ToLowerInvariant());
            }
            return emails.Count == 0 ? null : new JArray(emails);
        }

        /// <summary>The addresses of a list value (a JSON array, or its text as the state keeps it); empty for none.</summary>
        public static List<string> Items(JToken token)
        {
            if (token == null || token.Type == JTokenType.Null) return new List<string>();
            if (token.Type == JTokenType.String)
            {
                var text = ((string)token).Trim();
                if (text.StartsWith("[", StringComparison.Ordinal)) token = Serialization.JsonText.ParseToken(text);
                else return new List<string> { text.ToLowerInvariant() };
            }
            return token is JArray array ? array.Select(t => ((string)t)?.ToLowerInvariant()).Where(t => !string.IsNullOrEmpty(t)).Distinct().ToList() : new List<string>();
        }
    }
}
