using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping.Scoping;

namespace DropboxProvisioning.Commands.Offboarding
{
    /// <summary>Clauses given as hashtables (Attribute, Operator, Value), as Add-DbxScopingFilter takes them.</summary>
    internal static class ClauseTables
    {
        private static readonly string[] Keys = { "Attribute", "SourceAttribute", "Operator", "Value" };

        public static ScopingClause Parse(Hashtable table)
        {
            var unknown = table.Keys.Cast<object>().Select(k => k.ToString()).FirstOrDefault(k => !Keys.Contains(k, StringComparer.OrdinalIgnoreCase));
            if (unknown != null)
                throw new DbxException("InvalidClause", DbxErrorCategory.InvalidArgument, $"A clause has the key '{unknown}'; use Attribute, Operator and Value.", target: unknown);
            var attribute = Get(table, "Attribute") ?? Get(table, "SourceAttribute");
            if (string.IsNullOrWhiteSpace(attribute))
                throw new DbxException("InvalidClause", DbxErrorCategory.InvalidArgument, "A clause needs the Entra attribute it tests (Attribute).");
            var op = Get(table, "Operator");
            if (op == null || !ScopingOperators.TryParse(op, out var parsed))
                throw new DbxException("UnknownOperator", DbxErrorCategory.InvalidArgument,
                    $"'{op}' is not a scoping operator. Use one of: EQUALS, NOT EQUALS, IS TRUE, IS FALSE, IS NULL, IS NOT NULL, REGEX MATCH, NOT REGEX MATCH, GREATER_THAN, GREATER_THAN_OR_EQUALS, INCLUDES, ENDS_WITH, &, !&.", target: op);
            return new ScopingClause(attribute, parsed, Get(table, "Value"));
        }

        private static string Get(Hashtable table, string key)
        {
            foreach (DictionaryEntry entry in table)
                if (string.Equals(entry.Key.ToString(), key, StringComparison.OrdinalIgnoreCase))
                    return entry.Value == null ? null : LanguagePrimitives.ConvertTo<string>(entry.Value);
            return null;
        }
    }
}
