using System;
using System.Collections.Generic;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>
    /// left op right, as used in IIF([country]="USA", ...) and CBool([a] = [b]). Evaluates to a bool, or to null
    /// when either side is null (the "condition check fails" case the Entra doc describes for IIF).
    /// </summary>
    internal sealed class ComparisonNode : ExpressionNode
    {
        public ComparisonNode(ComparisonOperator op, ExpressionNode left, ExpressionNode right, int position)
            : base(position)
        {
            Operator = op;
            Left = left;
            Right = right;
        }

        public ComparisonOperator Operator { get; }

        public ExpressionNode Left { get; }

        public ExpressionNode Right { get; }

        public override object Evaluate(in EvaluationScope scope)
        {
            var left = Operand(Left, scope);
            var right = Operand(Right, scope);
            if (left == null || right == null)
            {
                return null;
            }

            int order;
            if (Values.IsNumber(left) || Values.IsNumber(right))
            {
                // VB-style: a number on either side makes it a numeric comparison when the other side is numeric too.
                if (Values.TryGetLong(left, out var l) && Values.TryGetLong(right, out var r))
                {
                    order = l.CompareTo(r);
                    return Values.Box(Decide(order));
                }
            }

            if (left is DateTimeOffset || right is DateTimeOffset)
            {
                if (Values.TryGetDate(left, out var l) && Values.TryGetDate(right, out var r))
                {
                    order = l.CompareTo(r);
                    return Values.Box(Decide(order));
                }
            }

            if (left is bool || right is bool)
            {
                if (Values.TryGetBool(left, out var l) && Values.TryGetBool(right, out var r))
                {
                    order = l.CompareTo(r);
                    return Values.Box(Decide(order));
                }
            }

            // Strings compare ordinally (case-sensitive), like VB's default Option Compare Binary.
            order = string.CompareOrdinal(Values.ToText(left, Position), Values.ToText(right, Position));
            return Values.Box(Decide(order));
        }

        private static object Operand(ExpressionNode node, in EvaluationScope scope)
        {
            var value = node.Evaluate(scope);
            if (value is IgnoreFlowSignal)
            {
                throw new IgnoreFlowException();
            }

            return value;
        }

        private bool Decide(int order)
        {
            switch (Operator)
            {
                case ComparisonOperator.Equal: return order == 0;
                case ComparisonOperator.NotEqual: return order != 0;
                case ComparisonOperator.GreaterThan: return order > 0;
                case ComparisonOperator.GreaterThanOrEqual: return order >= 0;
                case ComparisonOperator.LessThan: return order < 0;
                default: return order <= 0;
            }
        }

        public override void CollectAttributes(List<string> names)
        {
            Left.CollectAttributes(names);
            Right.CollectAttributes(names);
        }
    }
}
