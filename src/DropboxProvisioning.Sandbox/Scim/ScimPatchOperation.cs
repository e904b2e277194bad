using System;
using System.Collections.Generic;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>
    /// One element of a PatchOp's "Operations". Entra writes "Add"/"Replace"/"Remove" capitalised, so op is read
    /// ignoring case; a path-less add/replace carries an object whose keys are themselves paths.
    /// </summary>
    internal sealed class ScimPatchOperation
    {
        private ScimPatchOperation(string op, string path, JToken value) { Op = op; Path = path; Value = value; }

        /// <summary>add, replace or remove (lower case).</summary>
        public string Op { get; }
        /// <summary>The raw path, or null.</summary>
        public string Path { get; }
        public JToken Value { get; }

        /// <summary>
        /// id, schemas and meta inside a path-less value are the client echoing the resource back, not a change;
        /// they are skipped (a path naming them is refused as read-only).
        /// </summary>
        public static bool IsEcho(string key) =>
            key.Equals("id", StringComparison.OrdinalIgnoreCase) || key.Equals("schemas", StringComparison.OrdinalIgnoreCase)
            || key.Equals("meta", StringComparison.OrdinalIgnoreCase);

        /// <summary>Reads and checks a PatchOp request body.</summary>
        public static IReadOnlyList<ScimPatchOperation> ReadAll(JToken body)
        {
            if (!(body is JObject request))
                throw ScimException.BadRequest("invalidSyntax", "A PATCH body must be a PatchOp object.");
            var schemas = ScimAttributePath.Property(request, "schemas")?.Value as JArray;
            if (schemas != null && !schemas.Values<string>().ContainsIgnoringCase(ScimSchemas.PatchOp))
                throw ScimException.BadRequest("invalidSyntax", $"A PATCH body must declare the schema {ScimSchemas.PatchOp}.");
            if (!(ScimAttributePath.Property(request, "Operations")?.Value is JArray operations) || operations.Count == 0)
                throw ScimException.BadRequest("invalidSyntax", "A PATCH body needs a non-empty \"Operations\" array.");

            var result = new List<ScimPatchOperation>();
            foreach (var item in operations)
            {
                if (!(item is JObject o))
                    throw ScimException.BadRequest("invalidSyntax", "Each PATCH operation must be an object.");
                var op = (ScimAttributePath.Property(o, "op")?.Value as JValue)?.Value as string;
                op = op?.Trim().ToLowerInvariant();
                if (op != "add" && op != "replace" && op != "remove")
                    throw ScimException.BadRequest("invalidSyntax", $"'{op}' is not a PATCH op; use add, replace or remove.");
                var pathToken = ScimAttributePath.Property(o, "path")?.Value;
                if (pathToken != null && pathToken.Type != JTokenType.String && pathToken.Type != JTokenType.Null)
                    throw ScimException.BadRequest("invalidPath", "A PATCH path must be a string.");
                var path = pathToken?.Type == JTokenType.String ? ((string)pathToken).Trim() : null;
                if (path?.Length == 0) path = null;
                var value = ScimAttributePath.Property(o, "value")?.Value;
                if (op == "remove" && path == null)
                    throw ScimException.BadRequest("noTarget", "A remove operation needs a path.");
                if (op != "remove" && value == null)
                    throw ScimException.BadRequest("invalidSyntax", $"An {op} operation needs a value.");
                if (op != "remove" && path == null && !(value is JObject))
                    throw ScimException.BadRequest("invalidValue", $"An {op} operation without a path needs an object value.");
                result.Add(new ScimPatchOperation(op, path, value));
            }
            return result;
        }
    }
}
