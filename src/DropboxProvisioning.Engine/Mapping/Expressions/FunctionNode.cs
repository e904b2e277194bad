using System.Collections.Generic;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>A call such as Replace([mail], , "(?&lt;user&gt;.*)@.*", "user", , , ).</summary>
    internal sealed class FunctionNode : ExpressionNode
    {
        public FunctionNode(ExpressionFunction function, ExpressionNode[] arguments, int position)
            : base(position)
        {
            Function = function;
            Arguments = arguments;
        }

        public ExpressionFunction Function { get; }

        /// <summary>One entry per written position; null where the position was left empty ("Replace([a], , ...").</summary>
        public ExpressionNode[] Arguments { get; }

        /// <summary>What the function prepared at parse time (a compiled literal regex, a parsed interval...).</summary>
        public object State { get; set; }

        public int ArgumentCount => Arguments.Length;

        public override object Evaluate(in EvaluationScope scope) => Function.Body(this, scope);

        /// <summary>True when position <paramref name="index"/> was written (not omitted, not past the end).</summary>
        public bool HasArgument(int index) => index < Arguments.Length && Arguments[index] != null;

        /// <summary>
        /// Evaluates one argument; omitted positions are null. Functions call this lazily, so IIF, Switch and
        /// Coalesce only evaluate the branches they need.
        /// </summary>
        public object Arg(int index, in EvaluationScope scope)
        {
            if (index >= Arguments.Length)
            {
                return null;
            }

            var node = Arguments[index];
            if (node == null)
            {
                return null;
            }

            var value = node.Evaluate(scope);
            if (value is IgnoreFlowSignal)
            {
                // A nested IgnoreFlowIfNullOrEmpty fired: the whole attribute is dropped.
                throw new IgnoreFlowException();
            }

            return value;
        }

        /// <summary>An argument as a string (null when null).</summary>
        public string StringArg(int index, in EvaluationScope scope) => Values.ToText(Arg(index, scope), ArgPosition(index));

        /// <summary>An argument as an integer; null when null; an InvalidArgument error when not an integer.</summary>
        public long? LongArg(int index, in EvaluationScope scope)
        {
            var value = Arg(index, scope);
            if (value == null)
            {
                return null;
            }

            if (Values.TryGetLong(value, out var result))
            {
                return result;
            }

            throw Values.InvalidArgument(
                $"{Function.Name}: argument {index + 1} must be an integer but was '{Values.ToText(value, ArgPosition(index))}'",
                ArgPosition(index));
        }

        /// <summary>An argument as a UTC date; null when null or empty; an InvalidArgument error when not a date.</summary>
        public System.DateTimeOffset? DateArg(int index, in EvaluationScope scope)
        {
            var value = Arg(index, scope);
            if (Values.IsNullOrEmpty(value))
            {
                return null;
            }

            if (Values.TryGetDate(value, out var result))
            {
                return result;
            }

            throw Values.InvalidArgument(
                $"{Function.Name}: argument {index + 1} is not a date: '{Values.ToText(value, ArgPosition(index))}'",
                ArgPosition(index));
        }

        /// <summary>The literal written at a position (string or long), or null when it is not a literal.</summary>
        public object LiteralArg(int index) =>
            index < Arguments.Length && Arguments[index] is ConstantNode constant ? constant.Value : null;

        /// <summary>The column of an argument, or of the call when the position is empty.</summary>
        public int ArgPosition(int index) =>
            index < Arguments.Length && Arguments[index] != null ? Arguments[index].Position : Position;

        public override void CollectAttributes(List<string> names)
        {
            foreach (var argument in Arguments)
            {
                argument?.CollectAttributes(names);
            }
        }
    }
}
