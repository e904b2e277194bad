using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace DropboxProvisioning.TestSupport
{
    /// <summary>
    /// One documented example of Microsoft's "Reference for writing expressions for attribute mappings in
    /// Microsoft Entra ID", as tests/data/expression-examples.json holds it. Exactly one of <see cref="HasExpected"/>,
    /// <see cref="Matches"/> and <see cref="IgnoreFlow"/> says what the result must be.
    /// </summary>
    public sealed class ExpressionExample
    {
        /// <summary>Unique: the function the doc lists the example under, then the example.</summary>
        public string Name { get; private set; }

        /// <summary>The function of the reference the example belongs to.</summary>
        public string Function { get; private set; }

        public string Expression { get; private set; }

        /// <summary>Attribute values in file order: string, bool, long, null, or string[] for a multi-valued attribute.</summary>
        public IReadOnlyList<KeyValuePair<string, object>> Attributes { get; private set; }

        /// <summary>True when the case has an "expected" value (which may be null).</summary>
        public bool HasExpected { get; private set; }

        /// <summary>The documented result: string, bool, long, null, or string[].</summary>
        public object Expected { get; private set; }

        /// <summary>For random output: a regular expression the (string) result must match.</summary>
        public string Matches { get; private set; }

        /// <summary>The result is IgnoreFlowIfNullOrEmpty's "do not send the attribute".</summary>
        public bool IgnoreFlow { get; private set; }

        /// <summary>The clock Now() reads, when the result depends on it.</summary>
        public DateTimeOffset? Now { get; private set; }

        /// <summary>Random seeds the result must hold for, each evaluated separately.</summary>
        public IReadOnlyList<int> Seeds { get; private set; }

        /// <summary>For SelectUniqueValue: the values the target already holds; every other candidate is unique.</summary>
        public IReadOnlyList<string> Taken { get; private set; }

        /// <summary>The parsed expression must say it is redacted (Redact).</summary>
        public bool Redacted { get; private set; }

        /// <summary>The parsed expression must say it is non-deterministic.</summary>
        public bool NonDeterministic { get; private set; }

        /// <summary>Where the doc contradicts itself, or how the case's inputs were made.</summary>
        public string Note { get; private set; }

        public override string ToString() => Name;

        internal static ExpressionExample Read(JsonElement element)
        {
            var example = new ExpressionExample { Attributes = new KeyValuePair<string, object>[0] };
            foreach (var property in element.EnumerateObject())
            {
                var value = property.Value;
                switch (property.Name)
                {
                    case "name": example.Name = value.GetString(); break;
                    case "function": example.Function = value.GetString(); break;
                    case "expression": example.Expression = value.GetString(); break;
                    case "attributes":
                        example.Attributes = value.EnumerateObject().Select(p => new KeyValuePair<string, object>(p.Name, ExpressionExamples.ToValue(p.Value))).ToList();
                        break;
                    case "expected": example.HasExpected = true; example.Expected = ExpressionExamples.ToValue(value); break;
                    case "matches": example.Matches = value.GetString(); break;
                    case "ignoreFlow": example.IgnoreFlow = value.GetBoolean(); break;
                    case "now": example.Now = DateTimeOffset.Parse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind); break;
                    case "seeds": example.Seeds = value.EnumerateArray().Select(s => s.GetInt32()).ToList(); break;
                    case "taken": example.Taken = value.EnumerateArray().Select(s => s.GetString()).ToList(); break;
                    case "redacted": example.Redacted = value.GetBoolean(); break;
                    case "nonDeterministic": example.NonDeterministic = value.GetBoolean(); break;
                    case "note": example.Note = value.GetString(); break;
                    default: throw new InvalidDataException($"Unknown property '{property.Name}' in an expression example.");
                }
            }

            if (string.IsNullOrEmpty(example.Name) || string.IsNullOrEmpty(example.Function) || string.IsNullOrEmpty(example.Expression))
                throw new InvalidDataException("An expression example lacks its name, function or expression: " + example.Name);
            var outcomes = (example.HasExpected ? 1 : 0) + (example.Matches != null ? 1 : 0) + (example.IgnoreFlow ? 1 : 0);
            if (outcomes != 1)
                throw new InvalidDataException($"'{example.Name}' must have exactly one of expected, matches and ignoreFlow.");
            return example;
        }
    }

    /// <summary>The single source of truth for the documented expression examples, read once from tests/data.</summary>
    public static class ExpressionExamples
    {
        public const string RelativePath = "tests/data/expression-examples.json";

        private static readonly Lazy<IReadOnlyList<ExpressionExample>> _all = new Lazy<IReadOnlyList<ExpressionExample>>(Load);

        public static IReadOnlyList<ExpressionExample> All => _all.Value;

        public static ExpressionExample Named(string name) => All.Single(e => e.Name == name);

        /// <summary>The file, found by walking up from the test output to the repository root.</summary>
        public static string FilePath { get; } = Find();

        private static string Find()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, RelativePath);
                if (File.Exists(candidate)) return candidate;
            }

            throw new InvalidOperationException(RelativePath + " not found above " + AppContext.BaseDirectory);
        }

        private static IReadOnlyList<ExpressionExample> Load()
        {
            using var document = JsonDocument.Parse(File.ReadAllText(FilePath));
            var examples = document.RootElement.EnumerateArray().Select(ExpressionExample.Read).ToList();
            var duplicate = examples.GroupBy(e => e.Name).FirstOrDefault(g => g.Count() > 1);
            if (duplicate != null) throw new InvalidDataException("Two expression examples are named " + duplicate.Key);
            return examples;
        }

        /// <summary>A JSON value as an attribute value or result: string, bool, long, null, or string[].</summary>
        internal static object ToValue(JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String: return value.GetString();
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                case JsonValueKind.Null: return null;
                case JsonValueKind.Number:
                    if (value.TryGetInt64(out var number)) return number;
                    throw new InvalidDataException("Only integers are supported: " + value.GetRawText());
                case JsonValueKind.Array:
                    return value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String
                        ? v.GetString()
                        : throw new InvalidDataException("Multi-valued attributes hold strings: " + value.GetRawText())).ToArray();
                default:
                    throw new InvalidDataException("Unsupported value: " + value.GetRawText());
            }
        }
    }
}
