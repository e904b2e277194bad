using System.Text.RegularExpressions;
using Newtonsoft.Json;

namespace DropboxProvisioning.Errors
{
    /// <summary>What is wrong with a JSON file, where, in an admin's words rather than the parser's (type names, internal paths).</summary>
    public static class JsonProblem
    {
        public static string Describe(JsonException e)
        {
            int line = 0, position = 0;
            string path = null;
            if (e is JsonReaderException reader) { line = reader.LineNumber; position = reader.LinePosition; path = reader.Path; }
            else if (e is JsonSerializationException serialization) { line = serialization.LineNumber; position = serialization.LinePosition; path = serialization.Path; }
            var where = line > 0 ? $" (line {line}, position {position}{(string.IsNullOrEmpty(path) ? "" : ", at '" + path + "'")})" : "";
            var message = e.Message;
            var unknown = Regex.Match(message, "Could not find member '([^']*)' on object of type '([^']*)'");
            if (unknown.Success) return $"'{unknown.Groups[1].Value}' is not a property this file can have{where}";
            var convert = Regex.Match(message, "Error converting value (.*?) to type '([^']*)'");
            if (convert.Success) return $"the value {convert.Groups[1].Value} is not one this property takes{where}";
            if (e is JsonReaderException) return $"it is not valid JSON{where}: {FirstSentence(message)}";
            return FirstSentence(message) + where;
        }

        // Newtonsoft appends "Path '...', line n, position m." to its own sentence: that part is said above.
        private static string FirstSentence(string message)
        {
            var cut = message.IndexOf(" Path '", System.StringComparison.Ordinal);
            var text = cut > 0 ? message.Substring(0, cut) : message;
            return text.TrimEnd('.', ' ').Replace("Newtonsoft.Json.", "");
        }
    }
}
