using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Dropbox.Scim;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping.Expressions;
using DropboxProvisioning.Mapping.Scoping;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Mapping
{
    /// <summary>
    /// An object mapping made ready to run: target paths parsed, expressions parsed once, types known.
    /// Building one validates the mapping, so a broken mapping is refused when it is saved.
    /// </summary>
    public sealed class CompiledMapping
    {
        private readonly List<CompiledAttribute> _attributes;

        /// <summary>Compiles against the SCIM schema.</summary>
        public CompiledMapping(ObjectMapping mapping) : this(mapping, TargetSchema.Scim) { }

        /// <summary>Compiles against the schema of the API the connection provisions through.</summary>
        public CompiledMapping(ObjectMapping mapping, DropboxApiKind api) : this(mapping, TargetSchema.For(api)) { }

        public CompiledMapping(ObjectMapping mapping, TargetSchema schema)
        {
            Mapping = mapping ?? throw new ArgumentNullException(nameof(mapping));
            Schema = schema ?? throw new ArgumentNullException(nameof(schema));
            _attributes = mapping.Attributes.Select(a => new CompiledAttribute(mapping.ObjectType, a, schema)).ToList();
            var targets = _attributes.GroupBy(a => a.Path.Text, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (targets != null)
                throw new DbxException("DuplicateTargetAttribute", DbxErrorCategory.InvalidArgument,
                    $"The {mapping.ObjectType} mapping maps '{targets.Key}' more than once; each target attribute takes one mapping.", target: targets.Key);
            if (mapping.Enabled && !_attributes.Any(a => a.Mapping.IsMatching))
                throw new DbxException("NoMatchingAttribute", DbxErrorCategory.InvalidArgument,
                    $"The {mapping.ObjectType} mapping has no matching attribute; one mapping needs a matching precedence so existing Dropbox objects are found.");
            Matching = _attributes.Where(a => a.Mapping.IsMatching).OrderBy(a => a.Mapping.MatchingPrecedence).ToList();
            var unsent = Matching.FirstOrDefault(a => !a.Target.Sent);
            if (unsent != null)
                throw new DbxException("UnsentMatchingAttribute", DbxErrorCategory.InvalidArgument,
                    $"'{unsent.Path}' cannot be a matching attribute over the Dropbox {schema.Name}: it is {unsent.Target.Note}.", target: unsent.Path.Text);
            Scope = new ScopingFilterSet((mapping.ScopingFilters ?? new List<ScopingFilter>()).ToArray());
            try
            {
                ScopingFilterSet.Validate(Scope);
            }
            catch (ScopingException e)
            {
                throw new DbxException("InvalidScopingFilter", DbxErrorCategory.InvalidArgument,
                    $"The {mapping.ObjectType} scoping filter '{e.FilterName}' is not valid: {e.Message}", e, e.FilterName);
            }
            foreach (var clause in Scope.Filters.SelectMany(f => f.Clauses))
            {
                if (!Directory.GraphAttributeNames.IsKnown(mapping.ObjectType == ObjectType.User ? Directory.SourceObjectKind.User : Directory.SourceObjectKind.Group, clause.SourceAttribute))
                    throw new DbxException("UnknownSourceAttribute", DbxErrorCategory.InvalidArgument,
                        $"The scoping clause on '{clause.SourceAttribute}' names no Entra ID {mapping.ObjectType.ToString().ToLowerInvariant()} attribute.", target: clause.SourceAttribute);
            }
        }

        /// <summary>The target schema (the API) the mapping was compiled for.</summary>
        public TargetSchema Schema { get; }

        /// <summary>The scoping filters, validated.</summary>
        public ScopingFilterSet Scope { get; }

        public ObjectMapping Mapping { get; }
        public IReadOnlyList<CompiledAttribute> Attributes => _attributes;
        public IReadOnlyList<CompiledAttribute> Matching { get; }

        /// <summary>Entra attributes read for other parts of the configuration (the offboarding policy's rules).</summary>
        public IReadOnlyList<string> AlsoRead { get; set; }

        /// <summary>The Entra attributes this mapping reads: what Graph is asked to $select.</summary>
        public IEnumerable<string> SourceAttributes => _attributes.SelectMany(a => a.SourceAttributes)
            .Concat(Scope.Filters.SelectMany(f => f.Clauses).Select(c => c.SourceAttribute))
            .Concat(AlsoRead ?? Enumerable.Empty<string>())
            .Distinct(StringComparer.OrdinalIgnoreCase);

        /// <summary>The matching attributes' text values among <paramref name="values"/>, in matching precedence.</summary>
        public IEnumerable<(CompiledAttribute Matching, string Value)> MatchingValues(List<TargetValue> values)
        {
            foreach (var matching in Matching)
            {
                var value = values.FirstOrDefault(v => v.Attribute == matching).Value;
                if (value != null && value.Type == JTokenType.String) yield return (matching, (string)value);
            }
        }

        /// <summary>The values the mapping gives this source object, in mapping order.</summary>
        public List<TargetValue> Evaluate(IAttributeSource source, bool forCreate, ExpressionContext context = null)
        {
            var values = new List<TargetValue>(_attributes.Count);
            foreach (var attribute in _attributes)
            {
                if (attribute.Mapping.Type == MappingType.None) continue;
                if (!forCreate && attribute.Mapping.Apply == ApplyMapping.OnCreateOnly) continue;
                if (attribute.TargetType == TargetValueType.Reference) continue; // members and manager are resolved by the engine
                if (!attribute.Target.Sent) continue; // the API cannot set it: neither sent nor compared
                var value = attribute.Evaluate(source, context, out var flow);
                if (!flow) continue;
                if (value == null && forCreate && attribute.Mapping.DefaultValue != null) value = attribute.Mapping.DefaultValue;
                var token = attribute.ToToken(value);
                if (token == null) continue;
                values.Add(new TargetValue(attribute, token));
            }
            // One Dropbox field shown twice: when the two disagree (a guest's mail and userPrincipalName), the
            // primary wins and the alias is not sent, or Dropbox would be flipped between them every cycle.
            values.RemoveAll(v => TargetSchema.AliasOf.TryGetValue(v.Path.Text, out var primary)
                && values.Any(p => string.Equals(p.Path.Text, primary, StringComparison.OrdinalIgnoreCase) && !JToken.DeepEquals(p.Value, v.Value)));
            return values;
        }
    }

    /// <summary>
    /// One target attribute's value from a mapping. A value type: a large initial cycle plans several values per
    /// user, held inline in each change's list rather than as an object each.
    /// </summary>
    public readonly struct TargetValue : IEquatable<TargetValue>
    {
        private static readonly object True = true, False = false;

        // A plain value (text, true/false, a number) is kept as itself and given out as a new JValue each time:
        // a JValue each would cost more than the text.
        private readonly object _value;

        public TargetValue(CompiledAttribute attribute, JToken value)
        {
            Attribute = attribute;
            _value = value is JValue plain && plain.Parent == null && (plain.Type == JTokenType.String || plain.Type == JTokenType.Boolean || plain.Type == JTokenType.Integer)
                ? plain.Value is bool flag ? (flag ? True : False) : plain.Value
                : value;
        }

        public CompiledAttribute Attribute { get; }
        public ScimPath Path => Attribute.Path;
        public JToken Value => _value == null ? null : _value as JToken ?? new JValue(_value);

        /// <summary>The same attribute with the same value (a structured value: the same instance).</summary>
        public bool Equals(TargetValue other) => ReferenceEquals(Attribute, other.Attribute) && Equals(_value, other._value);

        public override bool Equals(object obj) => obj is TargetValue other && Equals(other);

        public override int GetHashCode() => (Attribute?.GetHashCode() ?? 0) * 31 + (_value?.GetHashCode() ?? 0);
    }

    /// <summary>One attribute mapping made ready to run.</summary>
    public sealed class CompiledAttribute
    {
        private readonly ParsedExpression _expression;

        public CompiledAttribute(ObjectType objectType, AttributeMapping mapping) : this(objectType, mapping, TargetSchema.Scim) { }

        public CompiledAttribute(ObjectType objectType, AttributeMapping mapping, TargetSchema schema)
        {
            Mapping = mapping;
            var target = TargetSchema.Normalize(mapping.TargetAttribute);
            if (string.IsNullOrWhiteSpace(target) || !schema.TryGet(objectType, target, out var described))
                throw NotInSchema(objectType, mapping.TargetAttribute, schema);
            Target = described;
            TargetType = described.Type;
            Path = ScimPath.Parse(target);
            CheckValue(mapping.ConstantValue, mapping.Type == MappingType.Constant ? "constant" : null);
            CheckValue(mapping.DefaultValue, "default value");
            switch (mapping.Type)
            {
                case MappingType.Direct:
                    if (string.IsNullOrWhiteSpace(mapping.SourceAttribute))
                        throw new DbxException("MissingSourceAttribute", DbxErrorCategory.InvalidArgument, $"The Direct mapping to '{target}' needs a source attribute.", target: target);
                    if (!Directory.GraphAttributeNames.IsKnown(objectType == ObjectType.User ? Directory.SourceObjectKind.User : Directory.SourceObjectKind.Group, mapping.SourceAttribute))
                        throw new DbxException("UnknownSourceAttribute", DbxErrorCategory.InvalidArgument,
                            $"'{mapping.SourceAttribute}' is not an Entra ID {objectType.ToString().ToLowerInvariant()} attribute.", target: mapping.SourceAttribute);
                    SourceAttributes = new[] { mapping.SourceAttribute };
                    break;
                case MappingType.Expression:
                    if (string.IsNullOrWhiteSpace(mapping.Expression))
                        throw new DbxException("MissingExpression", DbxErrorCategory.InvalidArgument, $"The Expression mapping to '{target}' has no expression.", target: target);
                    try
                    {
                        _expression = ExpressionParser.Parse(mapping.Expression);
                    }
                    catch (ExpressionException e)
                    {
                        throw new DbxException("InvalidExpression", DbxErrorCategory.InvalidArgument, $"The expression for '{target}' is not valid: {e.Message}", e, mapping.Expression);
                    }
                    if (_expression.UsesUniqueValueLookup && mapping.Apply != ApplyMapping.OnCreateOnly)
                        throw new DbxException("UniqueValueOnCreateOnly", DbxErrorCategory.InvalidArgument,
                            $"The mapping to '{target}' uses SelectUniqueValue, which is evaluated only when an account is created: set Apply to OnCreateOnly.", target: mapping.Expression);
                    SourceAttributes = _expression.ReferencedAttributes.ToArray();
                    foreach (var attribute in SourceAttributes)
                        if (!Directory.GraphAttributeNames.IsKnown(objectType == ObjectType.User ? Directory.SourceObjectKind.User : Directory.SourceObjectKind.Group, attribute))
                            throw new DbxException("UnknownSourceAttribute", DbxErrorCategory.InvalidArgument,
                                $"The expression for '{target}' reads [{attribute}], which is not an Entra ID {objectType.ToString().ToLowerInvariant()} attribute.", target: attribute);
                    break;
                case MappingType.Constant:
                    if (mapping.ConstantValue == null)
                        throw new DbxException("MissingConstantValue", DbxErrorCategory.InvalidArgument, $"The Constant mapping to '{target}' has no value.", target: target);
                    SourceAttributes = new string[0];
                    break;
                default:
                    SourceAttributes = new string[0];
                    break;
            }
        }

        /// <summary>
        /// Refuses a target the schema lacks; when the other API has it, says so, since the fix is the connection
        /// (or the mapping), not the spelling.
        /// </summary>
        private static DbxException NotInSchema(ObjectType objectType, string name, TargetSchema schema)
        {
            var kind = objectType.ToString().ToLowerInvariant();
            if (schema.Api == DropboxApiKind.Scim && TargetSchema.TeamApi.TryGet(objectType, name, out _))
                return new DbxException("TeamApiOnlyAttribute", DbxErrorCategory.InvalidArgument,
                    $"'{name}' is a Dropbox {kind} attribute of the Team API only; this connection provisions over SCIM, which has no such attribute. Connect with Connect-DbxTenant -Api TeamApi to map it.", target: name);
            if (schema.Api == DropboxApiKind.TeamApi && TargetSchema.Scim.TryGet(objectType, name, out _))
                return new DbxException("ScimOnlyAttribute", DbxErrorCategory.InvalidArgument,
                    $"'{name}' is a Dropbox {kind} attribute of SCIM only; this connection provisions over the Team API, which cannot set it. Remove the mapping (Remove-DbxAttributeMapping -ObjectType {objectType} '{name}') or connect over SCIM. Team API {kind} attributes: {string.Join(", ", TargetSchema.TeamApi.Attributes(objectType))}.", target: name);
            return new DbxException("UnknownTargetAttribute", DbxErrorCategory.InvalidArgument,
                $"'{name}' is not a Dropbox {kind} attribute{(schema.Api == null ? "" : " of the " + schema.Name)}. Known attributes: {string.Join(", ", schema.Attributes(objectType))}.", target: name);
        }

        /// <summary>A constant or default value of an attribute with a closed set of values is checked when it is saved.</summary>
        private void CheckValue(string value, string what)
        {
            if (what == null || value == null) return;
            if (Target.Canonical != null && Target.Canonical(value) == null)
                throw new DbxException("InvalidTargetValue", DbxErrorCategory.InvalidArgument,
                    $"The {what} '{value}' cannot be sent to '{Path}': it takes {Target.ValueHint}.", target: value);
            if (Target.MaxLength.HasValue && value.Length > Target.MaxLength.Value)
                throw new DbxException("InvalidTargetValue", DbxErrorCategory.InvalidArgument,
                    $"The {what} for '{Path}' is {value.Length} characters long; it takes at most {Target.MaxLength}.", target: Path.Text);
        }

        public AttributeMapping Mapping { get; }

        /// <summary>The target attribute as the schema describes it.</summary>
        public TargetAttribute Target { get; }
        public ScimPath Path { get; }
        public TargetValueType TargetType { get; }
        public IReadOnlyList<string> SourceAttributes { get; }

        /// <summary>The raw value; <paramref name="flow"/> is false when an expression said not to flow (IgnoreFlowIfNullOrEmpty).</summary>
        public object Evaluate(IAttributeSource source, ExpressionContext context, out bool flow)
        {
            flow = true;
            switch (Mapping.Type)
            {
                case MappingType.Direct:
                    return source.TryGetValue(Mapping.SourceAttribute, out var value) ? value : null;
                case MappingType.Constant:
                    return Mapping.ConstantValue;
                case MappingType.Expression:
                    var result = _expression.Evaluate(source, context);
                    if (ExpressionResults.IsIgnoreFlow(result)) { flow = false; return null; }
                    return result;
                default:
                    flow = false;
                    return null;
            }
        }

        /// <summary>The value as the target's JSON type; null when there is nothing to send.</summary>
        public JToken ToToken(object value)
        {
            if (Target.MultiValued) return EmailListValue.Of(value, Path.Text);
            if (value is IReadOnlyList<string> many) value = many.Count == 0 ? null : many[0];
            if (value == null) return null;
            switch (TargetType)
            {
                case TargetValueType.Boolean:
                    if (value is bool b) return new JValue(b);
                    var text = Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim();
                    if (bool.TryParse(text, out var parsed)) return new JValue(parsed);
                    throw new DbxException("InvalidBooleanValue", DbxErrorCategory.InvalidData, $"The mapping to '{Path}' produced '{text}', which is not True or False.", target: Path.Text);
                case TargetValueType.Integer:
                    {
                        var digits = Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim();
                        if (string.IsNullOrEmpty(digits)) return null; // an expression's "" gives no value, as a null does
                        if (!long.TryParse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || (Target.Canonical != null && Target.Canonical(digits) == null))
                            throw new DbxException("InvalidTargetValue", DbxErrorCategory.InvalidData,
                                $"The mapping to '{Path}' produced '{digits}', which it does not take: it takes {Target.ValueHint ?? "a whole number"}.", target: Path.Text);
                        return new JValue(number);
                    }
                default:
                    if (value is bool flag) return new JValue(flag ? "True" : "False");
                    if (value is DateTimeOffset date) return new JValue(date.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                    var s = Convert.ToString(value, CultureInfo.InvariantCulture);
                    if (s.Length == 0) return null;
                    if (Target.Canonical != null)
                        s = Target.Canonical(s) ?? throw new DbxException("InvalidTargetValue", DbxErrorCategory.InvalidData,
                            $"The mapping to '{Path}' produced '{s}', which it does not take: it takes {Target.ValueHint}.", target: Path.Text);
                    if (Target.MaxLength.HasValue && s.Length > Target.MaxLength.Value)
                        throw new DbxException("InvalidTargetValue", DbxErrorCategory.InvalidData,
                            $"The mapping to '{Path}' produced {s.Length} characters; it takes at most {Target.MaxLength}.", target: Path.Text);
                    return new JValue(s);
            }
        }
    }
}
