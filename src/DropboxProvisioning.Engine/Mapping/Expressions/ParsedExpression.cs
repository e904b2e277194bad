using System;
using System.Collections.Generic;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>
    /// An expression parsed once by <see cref="ExpressionParser.Parse"/>; immutable and safe to evaluate from many
    /// threads at once (given a context per thread when a <see cref="Random"/> is pinned).
    /// </summary>
    public sealed class ParsedExpression
    {
        private readonly ExpressionNode root;

        internal ParsedExpression(string text, ExpressionNode root)
        {
            Text = text;
            this.root = root;

            var names = new List<string>();
            root.CollectAttributes(names);
            var distinct = new List<string>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in names)
            {
                if (seen.Add(name))
                {
                    distinct.Add(name);
                }
            }

            ReferencedAttributes = distinct.AsReadOnly();
            Walk(root);
            IsAttributeReference = root is AttributeNode;
            IsConstant = root is ConstantNode;
        }

        public string Text { get; }

        /// <summary>Every [attribute] the expression reads, first spelling kept, in order of appearance.</summary>
        public IReadOnlyCollection<string> ReferencedAttributes { get; }

        /// <summary>True when Redact(...) appears: logs must show "[Redact]" instead of the value.</summary>
        public bool IsRedacted { get; private set; }

        /// <summary>True when the value changes between evaluations (Now, Guid, RandomString).</summary>
        public bool IsNonDeterministic { get; private set; }

        /// <summary>True when the expression is SelectUniqueValue(...): evaluation asks <see cref="ExpressionContext.IsValueUnique"/>.</summary>
        public bool UsesUniqueValueLookup { get; private set; }

        /// <summary>True when the whole expression is one [attribute] (a "direct" mapping written as an expression).</summary>
        public bool IsAttributeReference { get; }

        /// <summary>True when the whole expression is one literal.</summary>
        public bool IsConstant { get; }

        /// <summary>
        /// Evaluates against one source object. Returns null (no value), a string, bool, long, a multi-valued list,
        /// a <see cref="RoleValue"/>, an <see cref="AppRoleAssignmentsResult"/>, an attribute's own value for a bare
        /// [attribute], or <see cref="IgnoreFlowSignal.Instance"/> meaning "do not flow this attribute".
        /// A date computed by a function is returned as Entra prints it: "M/d/yyyy h:mm:ss tt" (UTC).
        /// Throws <see cref="ExpressionException"/> for data the expression cannot handle (e.g. CDate of "abc").
        /// </summary>
        public object Evaluate(IAttributeSource source, ExpressionContext context = null)
        {
            var scope = new EvaluationScope(source, context ?? ExpressionContext.Default);
            object result;
            try
            {
                result = root.Evaluate(scope);
            }
            catch (IgnoreFlowException)
            {
                return IgnoreFlowSignal.Instance;
            }

            if (result is DateTimeOffset date && !(root is AttributeNode))
            {
                return Values.FormatDate(date);
            }

            return result;
        }

        public override string ToString() => Text;

        private void Walk(ExpressionNode node)
        {
            switch (node)
            {
                case FunctionNode call:
                    IsRedacted |= call.Function.Name == "Redact";
                    IsNonDeterministic |= call.Function.IsNonDeterministic;
                    UsesUniqueValueLookup |= call.Function.TopLevelOnly;
                    foreach (var argument in call.Arguments)
                    {
                        if (argument != null)
                        {
                            Walk(argument);
                        }
                    }

                    break;
                case ComparisonNode comparison:
                    Walk(comparison.Left);
                    Walk(comparison.Right);
                    break;
            }
        }
    }
}
