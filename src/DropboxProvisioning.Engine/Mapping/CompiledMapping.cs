using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
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

        public CompiledMapping(ObjectMapping mapping)
        {
            Mapping = mapping ?? throw new ArgumentNullException(nameof(mapping));
            _attributes = mapping.Attributes.Select(a => new CompiledAttribute(mapping.ObjectType, a)).ToList();
            var targets = _attributes.GroupBy(a => a.Path.Text, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (targets != null)
                throw new DbxException("DuplicateTargetAttribute", DbxErrorCategory.InvalidArgument,
                    $"The {mapping.ObjectType} mapping maps '{targets.Key}' more than once; each target attribute takes one mapping.", target: targets.Key);
            if (mapping.Enabled && !_attributes.Any(a => a.Mapping.IsMatching))
                throw new DbxException("NoMatchingAttribute", DbxErrorCategory.InvalidArgument,
                    $"The {mapping.ObjectType} mapping has no matching attribute; one mapping needs a matching precedence so existing Dropbox objects are found.");
            Matching = _attributes.Where(a => a.Mapping.IsMatching).OrderBy(a => a.Mapping.MatchingPrecedence).ToList();
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

        /// <summary>The scoping filters, validated.</summary>
        public ScopingFilterSet Scope { get; }

        public ObjectMapping Mapping { get; }
        public IReadOnlyList<CompiledAttribute> Attributes => _attributes;
        public IReadOnlyList<CompiledAttribute> Matching { get; }

        /// <summary>The Entra attributes this mapping reads: what Graph is asked to $select.</summary>
        public IEnumerable<string> SourceAttributes => _attributes.SelectMany(a => a.SourceAttributes)
            .Concat(Scope.Filters.SelectMany(f => f.Clauses).Select(c => c.SourceAttribute))
            .Distinct(StringComparer.OrdinalIgnoreCase);

        /// <summary>The matching attributes' text values among <paramref name="values"/>, in matching precedence.</summary>
        public IEnumerable<(CompiledAttribute Matching, string Value)> MatchingValues(List<TargetValue> values)
        {
            foreach (var matching in Matching)
            {
                var value = values.FirstOrDefault(v => v.Attribute == matching)?.Value;
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

    /// <summary>One target attribute's value from a mapping.</summary>
    public sealed class TargetValue
    {
        public TargetValue(CompiledAttribute attribute, JToken value) { Attribute = attribute; Value = value; }
        public CompiledAttribute Attribute { get; }
        public ScimPath Path => Attribute.Path;
        public JToken Value { get; }
    }

    /// <summary>One attribute mapping made ready to run.</summary>
    public sealed class CompiledAttribute
    {
        private readonly ParsedExpression _expression;

        public CompiledAttribute(ObjectType objectType, AttributeMapping mapping)
        {
            Mapping = mapping;
            var target = TargetSchema.Normalize(mapping.TargetAttribute);
            if (string.IsNullOrWhiteSpace(target) || !TargetSchema.TryGetType(objectType, target, out var type))
                throw new DbxException("UnknownTargetAttribute", DbxErrorCategory.InvalidArgument,
                    $"'{mapping.TargetAttribute}' is not a Dropbox {objectType.ToString().ToLowerInvariant()} attribute. Known attributes: {string.Join(", ", TargetSchema.Attributes(objectType))}.", target: mapping.TargetAttribute);
            TargetType = type;
            Path = ScimPath.Parse(target);
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

        public AttributeMapping Mapping { get; }
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
                    return new JValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                default:
                    if (value is bool flag) return new JValue(flag ? "True" : "False");
                    if (value is DateTimeOffset date) return new JValue(date.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                    var s = Convert.ToString(value, CultureInfo.InvariantCulture);
                    return s.Length == 0 ? null : new JValue(s);
            }
        }
    }
}
