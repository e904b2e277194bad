using System.Collections.Generic;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>A string literal, a number (decimal or VB-style &amp;H hex) or a named constant such as vbTextCompare.</summary>
    internal sealed class ConstantNode : ExpressionNode
    {
        public ConstantNode(object value, int position, string identifier = null)
            : base(position)
        {
            Value = value;
            Identifier = identifier;
        }

        /// <summary>A string or a boxed long; boxed once at parse time so evaluation does not allocate.</summary>
        public object Value { get; }

        /// <summary>The bare name when the constant was written as an identifier (vbBinaryCompare), else null.</summary>
        public string Identifier { get; }

        public override object Evaluate(in EvaluationScope scope) => Value;

        public override void CollectAttributes(List<string> names) { }
    }
}
