using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Mapping
{
    /// <summary>
    /// A target value as text, the one form the state, the log and the previews keep it in: True/False for booleans,
    /// a string as itself, anything else as compact JSON.
    /// </summary>
    public static class ValueText
    {
        public static string Of(JToken token) =>
            token == null ? null : token.Type == JTokenType.Boolean ? ((bool)token ? "True" : "False") : token.Type == JTokenType.String ? (string)token : token.ToString(Newtonsoft.Json.Formatting.None);
    }
}
