using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Mapping.Expressions;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// Values the engine set that are removed when the mapping no longer gives one (a target attribute marked
    /// <see cref="TargetAttribute.ClearedWhenEmpty"/>, such as spaceLimitGb: the member goes back to the team's default).
    /// Rules: only a value the engine itself wrote (the managed record's exported value) and that Dropbox still holds as
    /// written is removed; a value set in Dropbox by hand, or one the engine never set, stays. It is removed when the
    /// mapping to it was removed (or set to None), or when the mapping gives this user no value; a mapping applied on
    /// create only, or an expression that says not to flow (IgnoreFlowIfNullOrEmpty), leaves it. For a list
    /// (secondaryEmails) the addresses the engine owns are deleted and the rest stay. Pure: no I/O.
    /// </summary>
    internal static class ClearedValues
    {
        /// <summary>The removals (a value whose JSON is null) for one managed user, with the property each changes.</summary>
        public static IEnumerable<(TargetValue Removal, ModifiedProperty Property)> For(CompiledMapping mapping, ManagedObject managed, JObject target,
            SourceObject user, List<TargetValue> desired, ExpressionContext context)
        {
            if (managed == null || target == null) yield break;
            foreach (var attribute in mapping.Schema.Attributes(mapping.Mapping.ObjectType).Select(n => mapping.Schema.TryGet(mapping.Mapping.ObjectType, n, out var a) ? a : null))
            {
                if (attribute == null || !attribute.ClearedWhenEmpty) continue;
                if (!managed.Exported.TryGetValue(attribute.Name, out var written) || written == null) continue;
                if (desired.Any(v => string.Equals(v.Path.Text, attribute.Name, StringComparison.OrdinalIgnoreCase))) continue;
                var compiled = mapping.Attributes.FirstOrDefault(a => string.Equals(a.Path.Text, attribute.Name, StringComparison.OrdinalIgnoreCase));
                if (compiled != null && !GivesNothing(compiled, user, context)) continue;
                compiled = compiled ?? new CompiledAttribute(mapping.Mapping.ObjectType, new AttributeMapping { TargetAttribute = attribute.Name, Type = MappingType.None }, mapping.Schema);
                if (attribute.MultiValued)
                {
                    // A list: the addresses the engine owns are deleted, the others stay (MergedEmails' rules with nothing wanted).
                    var merged = MergedEmails.For(new TargetValue(compiled, new JArray()), managed, target, new string[0]);
                    if (merged.HasValue) yield return merged.Value;
                    continue;
                }
                var held = compiled.Path.Get(target);
                if (held == null || held.Type == JTokenType.Null || ValueText.Of(held) != written) continue;
                yield return (new TargetValue(compiled, JValue.CreateNull()), new ModifiedProperty(attribute.Name, written, null));
            }
        }

        /// <summary>True when the mapping is None or gives this user no value; false when it is applied on create only or says not to flow.</summary>
        private static bool GivesNothing(CompiledAttribute attribute, SourceObject user, ExpressionContext context)
        {
            if (attribute.Mapping.Type == MappingType.None) return true;
            if (attribute.Mapping.Apply == ApplyMapping.OnCreateOnly) return false;
            try
            {
                var value = attribute.Evaluate(user, context, out var flow);
                return flow && attribute.ToToken(value) == null;
            }
            catch (Exception e) when (e is ExpressionException || e is Errors.DbxException) { return false; }
        }

        /// <summary>A value that removes what Dropbox holds (sent as a null replace).</summary>
        public static bool IsRemoval(TargetValue value) => value.Value == null || value.Value.Type == JTokenType.Null;

        /// <summary>Dropbox holds what was sent: for a removal, nothing.</summary>
        public static bool Holds(JToken held, TargetValue value) =>
            IsRemoval(value) ? held == null || held.Type == JTokenType.Null : JToken.DeepEquals(held, value.Value);
    }
}
