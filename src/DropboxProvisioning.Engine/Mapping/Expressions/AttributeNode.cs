using System.Collections.Generic;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>An [attribute] reference. A missing attribute evaluates to null, like Entra's "absent attribute".</summary>
    internal sealed class AttributeNode : ExpressionNode
    {
        public AttributeNode(string name, int position)
            : base(position)
        {
            Name = name;
        }

        public string Name { get; }

        public override object Evaluate(in EvaluationScope scope)
        {
            var source = scope.Source;
            if (source != null && source.TryGetValue(Name, out var value))
            {
                return value;
            }

            return null;
        }

        public override void CollectAttributes(List<string> names) => names.Add(Name);
    }
}
