using System.Collections.Generic;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>A node of the tree built once by <see cref="ExpressionParser"/> and evaluated many times.</summary>
    internal abstract class ExpressionNode
    {
        protected ExpressionNode(int position)
        {
            Position = position;
        }

        /// <summary>1-based column where the node starts, for error messages.</summary>
        public int Position { get; }

        public abstract object Evaluate(in EvaluationScope scope);

        /// <summary>Adds every [attribute] this node reads, in order of appearance.</summary>
        public abstract void CollectAttributes(List<string> names);
    }
}
