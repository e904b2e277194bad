using System.Collections.Generic;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>Conditions and null tests: IIF, Switch, Coalesce, IsNull, IsNullOrEmpty, IsPresent, IsString, Not, CBool, IgnoreFlowIfNullOrEmpty.</summary>
    internal static class LogicFunctions
    {
        /// <summary>IIF remembers the attributes its condition reads; see <see cref="IIF"/>.</summary>
        public static void PrepareIIF(FunctionNode call)
        {
            var nodes = new List<AttributeNode>();
            CollectAttributeNodes(call.Arguments[0], nodes);
            call.State = nodes.ToArray();
        }

        /// <summary>
        /// IIF(condition, valueIfTrue, valueIfFalse). Documented limitation, reproduced: "If the source attribute used
        /// within the IIF function is empty or null, the condition check fails" - so when any attribute the condition
        /// reads is null or empty, IIF yields null (no value) instead of choosing a branch. The doc recommends Switch
        /// for null/empty checks for this reason.
        /// </summary>
        public static object IIF(FunctionNode call, in EvaluationScope scope)
        {
            foreach (var attribute in (AttributeNode[])call.State)
            {
                if (Values.IsNullOrEmpty(attribute.Evaluate(scope)))
                {
                    return null;
                }
            }

            var condition = call.Arg(0, scope);
            if (condition == null)
            {
                return null;
            }

            bool result;
            if (!Values.TryGetBool(condition, out result))
            {
                if (Values.TryGetLong(condition, out var number))
                {
                    result = number != 0;
                }
                else
                {
                    throw Values.InvalidArgument(
                        $"IIF: the condition must be true or false but was '{Values.ToText(condition, call.ArgPosition(0))}'",
                        call.ArgPosition(0));
                }
            }

            return call.Arg(result ? 1 : 2, scope);
        }

        /// <summary>
        /// Switch(source, defaultValue, key1, value1, ...): case-sensitive ordinal match of source against each key.
        /// A null source is compared as "" - the doc's recommended way to test for null/empty is a "" key.
        /// No match returns defaultValue (null when that position is empty).
        /// </summary>
        public static object Switch(FunctionNode call, in EvaluationScope scope)
        {
            var source = call.StringArg(0, scope) ?? string.Empty;
            for (var i = 2; i + 1 < call.ArgumentCount; i += 2)
            {
                if (!call.HasArgument(i))
                {
                    continue;
                }

                var key = call.StringArg(i, scope) ?? string.Empty;
                if (string.Equals(source, key, System.StringComparison.Ordinal))
                {
                    return call.Arg(i + 1, scope);
                }
            }

            return call.Arg(1, scope);
        }

        public static void PrepareSwitch(FunctionNode call)
        {
            // Documented: key and value come in pairs, so the total count is even.
            if (call.ArgumentCount % 2 != 0)
            {
                throw new ExpressionException(
                    ExpressionErrorIds.ArgumentCount,
                    $"Function 'Switch' takes an even number of arguments (source, defaultValue, then key/value pairs) but was given {call.ArgumentCount} at column {call.Position}.",
                    call.Position);
            }
        }

        /// <summary>
        /// Coalesce(source1, ..., defaultValue): the first value that is neither null nor empty. When none is, the last
        /// argument's own value is returned, so a "" default comes back as "" and otherwise the result is null.
        /// </summary>
        public static object Coalesce(FunctionNode call, in EvaluationScope scope)
        {
            object value = null;
            for (var i = 0; i < call.ArgumentCount; i++)
            {
                value = call.Arg(i, scope);
                if (!Values.IsNullOrEmpty(value))
                {
                    return value;
                }
            }

            return value;
        }

        /// <summary>Documented: true when the expression is null (for an attribute: absent). An empty multi-valued attribute is absent.</summary>
        public static object IsNull(FunctionNode call, in EvaluationScope scope)
        {
            var value = call.Arg(0, scope);
            return Values.Box(value == null || (value is IReadOnlyList<string> list && list.Count == 0));
        }

        public static object IsNullOrEmpty(FunctionNode call, in EvaluationScope scope) =>
            Values.Box(Values.IsNullOrEmpty(call.Arg(0, scope)));

        public static object IsPresent(FunctionNode call, in EvaluationScope scope) =>
            Values.Box(!Values.IsNullOrEmpty(call.Arg(0, scope)));

        /// <summary>
        /// "If the expression can be evaluated to a string type": true for string values (including ""), false for
        /// null, booleans, numbers, dates and multi-valued attributes. The doc gives no example; this is our reading.
        /// </summary>
        public static object IsString(FunctionNode call, in EvaluationScope scope) =>
            Values.Box(call.Arg(0, scope) is string);

        /// <summary>Documented: True -> False, anything else (including null and "False") -> True.</summary>
        public static object Not(FunctionNode call, in EvaluationScope scope)
        {
            var value = call.Arg(0, scope);
            return Values.Box(!(Values.TryGetBool(value, out var flag) && flag));
        }

        /// <summary>
        /// CBool(expression): documented "non-zero -> True, else False". Booleans and "True"/"False" strings convert
        /// directly; null is False (VB's CBool(Nothing)); other text is an error rather than a guess.
        /// </summary>
        public static object CBool(FunctionNode call, in EvaluationScope scope)
        {
            var value = call.Arg(0, scope);
            if (value == null)
            {
                return Values.False;
            }

            if (Values.TryGetBool(value, out var flag))
            {
                return Values.Box(flag);
            }

            if (Values.TryGetLong(value, out var number))
            {
                return Values.Box(number != 0);
            }

            throw Values.InvalidArgument(
                $"CBool: '{Values.ToText(value, call.ArgPosition(0))}' is neither a boolean nor a number", call.ArgPosition(0));
        }

        /// <summary>Documented: drop the attribute from the flow when the enclosed value is null or empty.</summary>
        public static object IgnoreFlowIfNullOrEmpty(FunctionNode call, in EvaluationScope scope)
        {
            // Evaluate directly (not via Arg) so a nested signal passes through as a value, not an exception.
            var value = call.Arguments[0].Evaluate(scope);
            return value is IgnoreFlowSignal || Values.IsNullOrEmpty(value) ? IgnoreFlowSignal.Instance : value;
        }

        private static void CollectAttributeNodes(ExpressionNode node, List<AttributeNode> nodes)
        {
            switch (node)
            {
                case AttributeNode attribute:
                    nodes.Add(attribute);
                    break;
                case FunctionNode function:
                    foreach (var argument in function.Arguments)
                    {
                        CollectAttributeNodes(argument, nodes);
                    }

                    break;
                case ComparisonNode comparison:
                    CollectAttributeNodes(comparison.Left, nodes);
                    CollectAttributeNodes(comparison.Right, nodes);
                    break;
            }
        }
    }
}
