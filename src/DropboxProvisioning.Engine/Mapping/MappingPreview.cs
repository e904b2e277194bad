using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Collections;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Mapping.Expressions;

namespace DropboxProvisioning.Mapping
{
    /// <summary>One target attribute of a preview: the value the mapping gives, and where it came from.</summary>
    public sealed class MappingPreviewAttribute
    {
        public string TargetAttribute { get; internal set; }
        public MappingType Type { get; internal set; }
        public string Source { get; internal set; }
        /// <summary>The value as it would be sent (text; booleans as True/False); null when nothing flows.</summary>
        public string Value { get; internal set; }
        public bool Flows { get; internal set; }
        /// <summary>Why nothing flows, or what else applies (default value, create only, expression error).</summary>
        public string Note { get; internal set; }

        public override string ToString() => Flows ? $"{TargetAttribute} = '{Value}'" : $"{TargetAttribute}: {Note}";
    }

    /// <summary>What Test-DbxAttributeMapping shows: the Dropbox object a source object would become.</summary>
    public sealed class MappingPreview
    {
        public ObjectType ObjectType { get; internal set; }
        public string SourceId { get; internal set; }
        public string SourceIdentity { get; internal set; }
        public bool InScope { get; internal set; }
        public string ScopeReason { get; internal set; }
        public string MatchingAttribute { get; internal set; }
        public string MatchingValue { get; internal set; }
        public IReadOnlyList<MappingPreviewAttribute> Attributes { get; internal set; }

        /// <summary>
        /// Evaluates every attribute mapping and the scoping filters against one source object, as a create would.
        /// <paramref name="entitledReason"/> is null when the object is entitled (assigned), else why not.
        /// </summary>
        public static MappingPreview Build(CompiledMapping mapping, SourceObject source, string entitledReason, ExpressionContext context = null)
        {
            var preview = new MappingPreview
            {
                ObjectType = mapping.Mapping.ObjectType,
                SourceId = source.Id,
                SourceIdentity = source.DisplayIdentity,
            };
            if (entitledReason != null)
            {
                preview.InScope = false;
                preview.ScopeReason = entitledReason;
            }
            else
            {
                try
                {
                    var scope = mapping.Scope.Evaluate(source);
                    preview.InScope = scope.InScope;
                    preview.ScopeReason = scope.Reason;
                }
                catch (Scoping.ScopingException e)
                {
                    preview.ScopeReason = "the scoping filters could not be evaluated: " + e.Message;
                }
            }

            var rows = new List<MappingPreviewAttribute>();
            foreach (var attribute in mapping.Attributes)
            {
                var row = new MappingPreviewAttribute { TargetAttribute = attribute.Path.Text, Type = attribute.Mapping.Type, Source = attribute.Mapping.Source };
                try
                {
                    if (attribute.TargetType == TargetValueType.Reference)
                    {
                        row.Note = "resolved by the engine from provisioned objects";
                    }
                    else if (!attribute.Target.Sent)
                    {
                        row.Note = attribute.Target.Note;
                    }
                    else
                    {
                        var raw = attribute.Evaluate(source, context, out var flow);
                        if (!flow) row.Note = attribute.Mapping.Type == MappingType.None ? "mapping type None" : "IgnoreFlowIfNullOrEmpty: not sent";
                        else
                        {
                            if (raw == null && attribute.Mapping.DefaultValue != null) { raw = attribute.Mapping.DefaultValue; row.Note = "default value (on creation)"; }
                            var token = attribute.ToToken(raw);
                            row.Value = ValueText.Of(token);
                            row.Flows = token != null;
                            if (token == null) row.Note = "null: not sent";
                            else if (attribute.Mapping.Apply == ApplyMapping.OnCreateOnly) row.Note = "only when the account is created";
                        }
                    }
                }
                catch (ExpressionException e)
                {
                    row.Note = $"error ({e.ErrorId}): {e.Message}";
                }
                catch (Errors.DbxException e)
                {
                    row.Note = "error: " + e.Message;
                }
                rows.Add(row);
            }
            preview.Attributes = new TextList<MappingPreviewAttribute>(rows);

            var matching = mapping.Matching.Select(m => rows.First(r => r.TargetAttribute == m.Path.Text)).FirstOrDefault(r => r.Flows);
            preview.MatchingAttribute = matching?.TargetAttribute;
            preview.MatchingValue = matching?.Value;
            return preview;
        }
    }

    /// <summary>What Test-DbxAttributeMapping -Expression returns: the expression builder's answer.</summary>
    public sealed class ExpressionTestResult
    {
        public string Expression { get; internal set; }
        /// <summary>The result: a string, True/False, a number, a list, or null.</summary>
        public object Value { get; internal set; }
        /// <summary>The .NET type name of the result, or "null".</summary>
        public string ValueType { get; internal set; }
        /// <summary>False when IgnoreFlowIfNullOrEmpty said not to send the attribute.</summary>
        public bool Flows { get; internal set; }
        public IReadOnlyCollection<string> ReferencedAttributes { get; internal set; }

        public static ExpressionTestResult Evaluate(string expression, Mapping.Expressions.IAttributeSource source, ExpressionContext context = null)
        {
            var parsed = ExpressionParser.Parse(expression);
            var value = parsed.Evaluate(source, context);
            var ignored = IgnoreFlowSignal.IsSignal(value);
            if (ignored) value = null;
            if (value is IReadOnlyList<string> list) value = list.ToArray();
            return new ExpressionTestResult
            {
                Expression = expression,
                Value = value,
                ValueType = value == null ? "null" : value.GetType().Name,
                Flows = !ignored,
                ReferencedAttributes = new TextList<string>(parsed.ReferencedAttributes),
            };
        }
    }
}
