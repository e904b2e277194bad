using System;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>
    /// A parsed RFC 7644 §3.4.2.2 filter, evaluated against a resource rendered as JSON. Values are compared
    /// by their JSON type; strings ignore case except for ids (caseExact attributes), as Dropbox's schema says.
    /// </summary>
    internal abstract class ScimFilter
    {
        public abstract bool Matches(JObject resource);

        /// <summary>True when the filter reads the attribute (so the caller must render it, e.g. a group's members).</summary>
        public abstract bool References(string attributeName);

        public static ScimFilter Parse(string text) => new ScimFilterParser(text, "invalidFilter").ParseFilter();
    }

    internal sealed class AndFilter : ScimFilter
    {
        public AndFilter(ScimFilter left, ScimFilter right) { Left = left; Right = right; }
        public ScimFilter Left { get; }
        public ScimFilter Right { get; }
        public override bool Matches(JObject r) => Left.Matches(r) && Right.Matches(r);
        public override bool References(string a) => Left.References(a) || Right.References(a);
    }

    internal sealed class OrFilter : ScimFilter
    {
        public OrFilter(ScimFilter left, ScimFilter right) { Left = left; Right = right; }
        public ScimFilter Left { get; }
        public ScimFilter Right { get; }
        public override bool Matches(JObject r) => Left.Matches(r) || Right.Matches(r);
        public override bool References(string a) => Left.References(a) || Right.References(a);
    }

    internal sealed class NotFilter : ScimFilter
    {
        public NotFilter(ScimFilter inner) { Inner = inner; }
        public ScimFilter Inner { get; }
        public override bool Matches(JObject r) => !Inner.Matches(r);
        public override bool References(string a) => Inner.References(a);
    }

    /// <summary>attr pr: has a value that is not null, "" or [].</summary>
    internal sealed class PresentFilter : ScimFilter
    {
        public PresentFilter(ScimAttributePath path) { Path = path; }
        public ScimAttributePath Path { get; }
        public override bool Matches(JObject r) => Path.Values(r).Any(v =>
            !(v.Type == JTokenType.String && ((string)v).Length == 0) && !(v is JContainer c && !c.HasValues));
        public override bool References(string a) => string.Equals(Path.Name, a, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>attr op value, true when any value of a multi-valued attribute compares.</summary>
    internal sealed class CompareFilter : ScimFilter
    {
        public CompareFilter(ScimAttributePath path, string op, JToken literal, bool caseExact)
        {
            Path = path; Operator = op; Literal = literal; CaseExact = caseExact;
        }

        public ScimAttributePath Path { get; }
        /// <summary>eq, ne, co, sw, ew, gt, ge, lt, le (lower case).</summary>
        public string Operator { get; }
        public JToken Literal { get; }
        public bool CaseExact { get; }

        public override bool References(string a) => string.Equals(Path.Name, a, StringComparison.OrdinalIgnoreCase);

        public override bool Matches(JObject r)
        {
            // ne is "not eq": an absent attribute is not equal to anything.
            if (Operator == "ne") return !Path.Values(r).Any(v => Compare(v, "eq"));
            if (Literal.Type == JTokenType.Null && Operator == "eq") return !Path.Values(r).Any();
            return Path.Values(r).Any(v => Compare(v, Operator));
        }

        private bool Compare(JToken actual, string op)
        {
            var comparison = CaseExact ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
            switch (actual.Type)
            {
                case JTokenType.String:
                    if (Literal.Type != JTokenType.String) return false;
                    var a = (string)actual;
                    var b = (string)Literal;
                    switch (op)
                    {
                        case "eq": return string.Equals(a, b, comparison);
                        case "co": return a.IndexOf(b, comparison) >= 0;
                        case "sw": return a.StartsWith(b, comparison);
                        case "ew": return a.EndsWith(b, comparison);
                        default:
                            // Timestamps (meta.created, meta.lastModified) order as instants, other strings lexically.
                            int order;
                            if (DateTimeOffset.TryParse(a, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var da)
                                && DateTimeOffset.TryParse(b, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var db))
                                order = da.CompareTo(db);
                            else
                                order = string.Compare(a, b, comparison);
                            return Ordered(order, op);
                    }
                case JTokenType.Boolean:
                    return op == "eq" && Literal.Type == JTokenType.Boolean && (bool)actual == (bool)Literal;
                case JTokenType.Integer:
                case JTokenType.Float:
                    if (Literal.Type != JTokenType.Integer && Literal.Type != JTokenType.Float) return false;
                    var n = ((double)actual).CompareTo((double)Literal);
                    return op == "eq" ? n == 0 : Ordered(n, op);
                default:
                    return false;
            }
        }

        private static bool Ordered(int order, string op)
        {
            switch (op)
            {
                case "gt": return order > 0;
                case "ge": return order >= 0;
                case "lt": return order < 0;
                case "le": return order <= 0;
                default: return false;
            }
        }
    }

    /// <summary>
    /// attr[filter] and attr[filter].sub op value: some element of the multi-valued attribute passes the inner
    /// filter (and, when given, the comparison on its sub-attribute), e.g. emails[type eq "work"].value eq "x".
    /// </summary>
    internal sealed class ValuePathFilter : ScimFilter
    {
        public ValuePathFilter(ScimAttributePath path, ScimFilter inner, ScimFilter element)
        {
            Path = path; Inner = inner; Element = element;
        }

        public ScimAttributePath Path { get; }
        public ScimFilter Inner { get; }
        /// <summary>The test on the element's sub-attribute after the brackets, or null.</summary>
        public ScimFilter Element { get; }

        public override bool Matches(JObject r) =>
            Path.Values(r).OfType<JObject>().Any(e => Inner.Matches(e) && (Element == null || Element.Matches(e)));

        public override bool References(string a) => string.Equals(Path.Name, a, StringComparison.OrdinalIgnoreCase);
    }
}
