namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>CStr and BitAnd (CBool lives with the logic functions, CDate with the date functions).</summary>
    internal static class ConversionFunctions
    {
        /// <summary>CStr(value): booleans as True/False, numbers in invariant form, dates as M/d/yyyy h:mm:ss tt.</summary>
        public static object CStr(FunctionNode call, in EvaluationScope scope) => call.StringArg(0, scope);

        /// <summary>BitAnd(value1, value2): bitwise AND of two integers; null when either is null.</summary>
        public static object BitAnd(FunctionNode call, in EvaluationScope scope)
        {
            var left = call.LongArg(0, scope);
            var right = call.LongArg(1, scope);
            return left == null || right == null ? null : Values.Box(left.Value & right.Value);
        }
    }
}
