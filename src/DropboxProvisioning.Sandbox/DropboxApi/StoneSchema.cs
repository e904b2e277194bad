using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.DropboxApi
{
    /// <summary>
    /// Reads Dropbox's Stone definitions (the .stone files of dropbox/dropbox-api-spec) far enough to know every
    /// struct, union and alias with their fields, and checks a JSON value against a type by Stone's JSON wire rules:
    /// a union member with no value is {".tag":"x"}; a member holding a primitive, list, union or a struct with
    /// subtypes is nested under its own name; a member holding a plain struct is inlined; optional fields may be
    /// absent; a struct with enumerated subtypes carries its subtype's ".tag". Tests use it to hold the sandbox's
    /// JSON to the specification, and to generate the activity mapping table from EventType.
    /// </summary>
    public sealed class StoneSchema
    {
        private readonly Dictionary<string, StoneDefinition> _definitions = new Dictionary<string, StoneDefinition>(StringComparer.Ordinal);

        public IReadOnlyDictionary<string, StoneDefinition> Definitions => _definitions;

        /// <summary>Loads every *.stone file of a folder.</summary>
        public static StoneSchema LoadDirectory(string directory)
        {
            var schema = new StoneSchema();
            foreach (var file in System.IO.Directory.GetFiles(directory, "*.stone").OrderBy(f => f, StringComparer.Ordinal))
                schema.Parse(File.ReadAllText(file));
            return schema;
        }

        /// <summary>A definition by qualified name ("team_log.EventType").</summary>
        public StoneDefinition Get(string qualifiedName) =>
            _definitions.TryGetValue(qualifiedName, out var found) ? found : throw new KeyNotFoundException("No Stone definition " + qualifiedName);

        public void Parse(string text)
        {
            string ns = null;
            StoneDefinition current = null;
            var inString = false;
            var skipBlock = false; // routes, examples, annotations
            var inSubtypes = false;
            var lines = text.Replace("\r\n", "\n").Split('\n');
            foreach (var raw in lines)
            {
                if (inString)
                {
                    if (CountQuotes(raw) % 2 == 1) inString = false;
                    continue;
                }
                var trimmed = raw.Trim();
                if (trimmed.Length == 0 || trimmed.StartsWith("#", StringComparison.Ordinal)) continue;
                var indent = raw.Length - raw.TrimStart(' ').Length;
                if (trimmed.StartsWith("\"", StringComparison.Ordinal))
                {
                    if (CountQuotes(trimmed) % 2 == 1) inString = true;
                    continue;
                }

                if (indent == 0)
                {
                    skipBlock = false; inSubtypes = false; current = null;
                    var words = trimmed.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                    switch (words[0])
                    {
                        case "namespace": ns = words[1]; break;
                        case "alias":
                            var eq = trimmed.IndexOf('=');
                            var alias = new StoneDefinition(ns, words[1], StoneKind.Alias) { AliasOf = StoneTypeRef.Parse(trimmed.Substring(eq + 1).Trim(), ns) };
                            _definitions[alias.QualifiedName] = alias;
                            break;
                        case "struct":
                        case "union":
                        case "union_closed":
                            current = new StoneDefinition(ns, words[1], words[0] == "struct" ? StoneKind.Struct : StoneKind.Union)
                            {
                                Closed = words[0] == "union_closed",
                                Extends = words.Length > 3 && words[2] == "extends" ? Qualify(words[3], ns) : null,
                            };
                            _definitions[current.QualifiedName] = current;
                            break;
                        default:
                            skipBlock = true; // route, import, annotation
                            break;
                    }
                    continue;
                }
                if (skipBlock || current == null) continue;

                if (indent == 4)
                {
                    inSubtypes = false;
                    if (trimmed.StartsWith("example ", StringComparison.Ordinal)) { skipBlock = true; continue; }
                    if (trimmed == "union" && current.Kind == StoneKind.Struct) { inSubtypes = true; continue; }
                    if (trimmed == "*") continue;
                    current.Fields.Add(ParseField(trimmed, ns));
                    if (CountQuotes(trimmed) % 2 == 1) inString = true;
                }
                else if (indent == 8 && inSubtypes)
                {
                    var parts = trimmed.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                    current.Subtypes[parts[0]] = Qualify(parts[1], ns);
                }
            }
        }

        private static int CountQuotes(string line)
        {
            var count = 0;
            for (var i = 0; i < line.Length; i++)
                if (line[i] == '"' && (i == 0 || line[i - 1] != '\\')) count++;
            return count;
        }

        private static StoneField ParseField(string line, string ns)
        {
            var name = line.Split(' ')[0];
            var rest = line.Substring(name.Length).Trim();
            if (rest.Length == 0 || rest.StartsWith("\"", StringComparison.Ordinal)) return new StoneField(name, null, false);
            // The type runs to the first space outside parentheses; then "= default" or " deprecated" may follow.
            var depth = 0; var end = rest.Length; var inQuote = false;
            for (var i = 0; i < rest.Length; i++)
            {
                var c = rest[i];
                if (c == '"') inQuote = !inQuote;
                if (inQuote) continue;
                if (c == '(') depth++;
                else if (c == ')') depth--;
                else if (c == ' ' && depth == 0) { end = i; break; }
            }
            var type = rest.Substring(0, end);
            var tail = rest.Substring(end).Trim();
            return new StoneField(name, StoneTypeRef.Parse(type, ns), tail.StartsWith("=", StringComparison.Ordinal));
        }

        internal static string Qualify(string name, string ns) => name.Contains(".") ? name : ns + "." + name;

        /// <summary>The fields of a struct including those it inherits, base first.</summary>
        public IReadOnlyList<StoneField> AllFields(StoneDefinition definition)
        {
            var chain = new List<StoneDefinition>();
            for (var d = definition; d != null; d = d.Extends != null && _definitions.TryGetValue(d.Extends, out var b) ? b : null) chain.Insert(0, d);
            return chain.SelectMany(d => d.Fields).ToList();
        }

        /// <summary>A union's members including those of the union it extends.</summary>
        public StoneField FindMember(StoneDefinition union, string tag)
        {
            for (var d = union; d != null; d = d.Extends != null && _definitions.TryGetValue(d.Extends, out var b) ? b : null)
            {
                var member = d.Fields.FirstOrDefault(f => f.Name == tag);
                if (member != null) return member;
            }
            return null;
        }

        /// <summary>Checks a JSON value against a type; returns every violation as "path: problem" (empty when valid).</summary>
        public IReadOnlyList<string> Validate(JToken value, string qualifiedType)
        {
            var problems = new List<string>();
            Check(value, StoneTypeRef.Parse(qualifiedType, qualifiedType.Split('.')[0]), "$", problems);
            return problems;
        }

        private StoneTypeRef Resolve(StoneTypeRef type)
        {
            while (type.Arguments.Count == 0 && _definitions.TryGetValue(type.Name, out var d) && d.Kind == StoneKind.Alias)
                type = new StoneTypeRef(d.AliasOf.Name, d.AliasOf.Arguments, type.Nullable || d.AliasOf.Nullable, d.AliasOf.Parameters);
            return type;
        }

        private bool IsInlinedStruct(StoneTypeRef type)
        {
            type = Resolve(type);
            return _definitions.TryGetValue(type.Name, out var d) && d.Kind == StoneKind.Struct && d.Subtypes.Count == 0 && !type.Nullable;
        }

        private void Check(JToken value, StoneTypeRef type, string path, List<string> problems)
        {
            type = Resolve(type);
            if (value == null || value.Type == JTokenType.Null)
            {
                if (!type.Nullable && type.Name != "Void") problems.Add(path + ": null for non-nullable " + type.Name);
                return;
            }
            switch (type.Name)
            {
                case "String":
                    if (value.Type != JTokenType.String) { problems.Add(path + ": expected a string"); return; }
                    var text = (string)value;
                    if (type.Parameters.TryGetValue("min_length", out var min) && text.Length < int.Parse(min, CultureInfo.InvariantCulture)) problems.Add(path + ": shorter than " + min);
                    if (type.Parameters.TryGetValue("max_length", out var max) && text.Length > int.Parse(max, CultureInfo.InvariantCulture)) problems.Add(path + ": longer than " + max);
                    return;
                case "Bytes":
                    if (value.Type != JTokenType.String) problems.Add(path + ": expected base64 bytes");
                    return;
                case "Boolean":
                    if (value.Type != JTokenType.Boolean) problems.Add(path + ": expected a boolean");
                    return;
                case "Int32": case "Int64": case "UInt32": case "UInt64":
                    if (value.Type != JTokenType.Integer) { problems.Add(path + ": expected an integer"); return; }
                    if (type.Name.StartsWith("U", StringComparison.Ordinal) && (long)value < 0) problems.Add(path + ": negative unsigned");
                    if (type.Parameters.TryGetValue("max_value", out var maxv) && (long)value > long.Parse(maxv, CultureInfo.InvariantCulture)) problems.Add(path + ": above " + maxv);
                    if (type.Parameters.TryGetValue("min_value", out var minv) && (long)value < long.Parse(minv, CultureInfo.InvariantCulture)) problems.Add(path + ": below " + minv);
                    return;
                case "Float32": case "Float64":
                    if (value.Type != JTokenType.Float && value.Type != JTokenType.Integer) problems.Add(path + ": expected a number");
                    return;
                case "Timestamp":
                    var format = type.Arguments.Count > 0 ? type.Arguments[0].Name.Trim('"') : "%Y-%m-%dT%H:%M:%SZ";
                    var netFormat = format.Replace("%Y", "yyyy").Replace("%m", "MM").Replace("%d", "dd").Replace("%H", "HH").Replace("%M", "mm").Replace("%S", "ss");
                    if (value.Type != JTokenType.String || !DateTime.TryParseExact((string)value, netFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                        problems.Add(path + ": not a timestamp in " + format + ": " + value);
                    return;
                case "Void":
                    problems.Add(path + ": Void holds no value");
                    return;
                case "List":
                    if (!(value is JArray array)) { problems.Add(path + ": expected a list"); return; }
                    for (var i = 0; i < array.Count; i++) Check(array[i], type.Arguments[0], path + "[" + i + "]", problems);
                    return;
                case "Map":
                    if (!(value is JObject map)) { problems.Add(path + ": expected a map"); return; }
                    foreach (var p in map.Properties()) Check(p.Value, type.Arguments[1], path + "." + p.Name, problems);
                    return;
            }
            if (!_definitions.TryGetValue(type.Name, out var definition)) return; // a namespace not loaded (sharing, files...): not checked
            if (definition.Kind == StoneKind.Struct) CheckStruct(value, definition, path, problems);
            else CheckUnion(value, definition, path, problems);
        }

        private void CheckStruct(JToken value, StoneDefinition definition, string path, List<string> problems, bool inlinedInUnion = false)
        {
            if (!(value is JObject obj)) { problems.Add(path + ": expected an object for struct " + definition.QualifiedName); return; }
            var actual = definition;
            if (definition.Subtypes.Count > 0)
            {
                var tag = (string)obj[".tag"];
                if (tag == null || !definition.Subtypes.TryGetValue(tag, out var subtype)) { problems.Add(path + ": struct " + definition.Name + " needs a subtype .tag (" + string.Join(", ", definition.Subtypes.Keys) + "), got " + (tag ?? "none")); return; }
                actual = Get(subtype);
            }
            var fields = AllFields(actual);
            foreach (var field in fields)
            {
                var present = obj.TryGetValue(field.Name, out var fieldValue);
                if (!present)
                {
                    if (!field.Type.Nullable && !field.HasDefault && !IsVoid(field.Type)) problems.Add(path + ": missing required field " + field.Name + " of " + actual.Name);
                    continue;
                }
                Check(fieldValue, field.Type, path + "." + field.Name, problems);
            }
            foreach (var property in obj.Properties())
            {
                if (property.Name == ".tag" && (definition.Subtypes.Count > 0 || inlinedInUnion)) continue;
                if (fields.All(f => f.Name != property.Name)) problems.Add(path + ": field " + property.Name + " is not in " + actual.Name);
            }
        }

        private bool IsVoid(StoneTypeRef type) => Resolve(type).Name == "Void";

        private void CheckUnion(JToken value, StoneDefinition union, string path, List<string> problems)
        {
            string tag;
            JObject obj = null;
            if (value.Type == JTokenType.String) tag = (string)value;
            else if ((obj = value as JObject) != null) tag = (string)obj[".tag"];
            else { problems.Add(path + ": expected a union " + union.Name); return; }
            if (tag == null) { problems.Add(path + ": union " + union.Name + " without .tag"); return; }
            var member = FindMember(union, tag);
            if (member == null) { problems.Add(path + ": '" + tag + "' is not a member of " + union.QualifiedName); return; }
            if (member.Type == null || IsVoid(member.Type))
            {
                if (obj != null && obj.Properties().Any(p => p.Name != ".tag")) problems.Add(path + ": void member " + tag + " carries fields");
                return;
            }
            if (obj == null) { problems.Add(path + ": member " + tag + " of " + union.Name + " needs a value"); return; }
            if (IsInlinedStruct(member.Type))
            {
                CheckStruct(obj, Get(Resolve(member.Type).Name), path, problems, inlinedInUnion: true);
                return;
            }
            if (!obj.TryGetValue(tag, out var nested))
            {
                if (!member.Type.Nullable) problems.Add(path + ": member " + tag + " needs its value under \"" + tag + "\"");
                return;
            }
            Check(nested, member.Type, path + "." + tag, problems);
            foreach (var property in obj.Properties())
                if (property.Name != ".tag" && property.Name != tag) problems.Add(path + ": unexpected " + property.Name + " beside " + tag);
        }
    }

    public enum StoneKind { Struct, Union, Alias }

    public sealed class StoneDefinition
    {
        public StoneDefinition(string ns, string name, StoneKind kind) { Namespace = ns; Name = name; Kind = kind; }
        public string Namespace { get; }
        public string Name { get; }
        public string QualifiedName => Namespace + "." + Name;
        public StoneKind Kind { get; }
        public bool Closed { get; set; }
        public string Extends { get; set; }
        public StoneTypeRef AliasOf { get; set; }
        /// <summary>Struct fields, or union members (Type null for a void member).</summary>
        public List<StoneField> Fields { get; } = new List<StoneField>();
        /// <summary>Enumerated subtypes of a struct: tag → qualified struct name.</summary>
        public Dictionary<string, string> Subtypes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
        public override string ToString() => Kind + " " + QualifiedName;
    }

    public sealed class StoneField
    {
        public StoneField(string name, StoneTypeRef type, bool hasDefault) { Name = name; Type = type; HasDefault = hasDefault; }
        public string Name { get; }
        public StoneTypeRef Type { get; }
        public bool HasDefault { get; }
        public override string ToString() => Name + " " + Type;
    }

    public sealed class StoneTypeRef
    {
        private static readonly HashSet<string> Primitives = new HashSet<string>(StringComparer.Ordinal)
        { "String", "Bytes", "Boolean", "Int32", "Int64", "UInt32", "UInt64", "Float32", "Float64", "Timestamp", "Void", "List", "Map" };

        public StoneTypeRef(string name, IReadOnlyList<StoneTypeRef> arguments, bool nullable, IReadOnlyDictionary<string, string> parameters)
        {
            Name = name; Arguments = arguments; Nullable = nullable; Parameters = parameters;
        }

        public string Name { get; }
        public IReadOnlyList<StoneTypeRef> Arguments { get; }
        public IReadOnlyDictionary<string, string> Parameters { get; }
        public bool Nullable { get; }

        public static StoneTypeRef Parse(string text, string ns)
        {
            text = text.Trim();
            var nullable = text.EndsWith("?", StringComparison.Ordinal);
            if (nullable) text = text.Substring(0, text.Length - 1);
            var open = text.IndexOf('(');
            var name = open < 0 ? text : text.Substring(0, open);
            var arguments = new List<StoneTypeRef>();
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            if (open >= 0)
            {
                foreach (var part in SplitTopLevel(text.Substring(open + 1, text.LastIndexOf(')') - open - 1)))
                {
                    var eq = part.IndexOf('=');
                    var paren = part.IndexOf('(');
                    if (eq > 0 && (paren < 0 || eq < paren) && !part.StartsWith("\"", StringComparison.Ordinal)) parameters[part.Substring(0, eq).Trim()] = part.Substring(eq + 1).Trim().Trim('"');
                    else if (part.StartsWith("\"", StringComparison.Ordinal)) arguments.Add(new StoneTypeRef(part, new StoneTypeRef[0], false, new Dictionary<string, string>()));
                    else arguments.Add(Parse(part, ns));
                }
            }
            if (!Primitives.Contains(name)) name = StoneSchema.Qualify(name, ns);
            return new StoneTypeRef(name, arguments, nullable, parameters);
        }

        private static IEnumerable<string> SplitTopLevel(string text)
        {
            var depth = 0; var start = 0; var inQuote = false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '"') inQuote = !inQuote;
                if (inQuote) continue;
                if (c == '(') depth++;
                else if (c == ')') depth--;
                else if (c == ',' && depth == 0) { yield return text.Substring(start, i - start).Trim(); start = i + 1; }
            }
            if (start < text.Length) yield return text.Substring(start).Trim();
        }

        public override string ToString() => Name + (Arguments.Count > 0 ? "(" + string.Join(", ", Arguments) + ")" : "") + (Nullable ? "?" : "");
    }
}
