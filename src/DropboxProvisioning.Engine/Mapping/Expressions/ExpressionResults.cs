namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>How the mapping layer reads special results of an expression.</summary>
    internal static class ExpressionResults
    {
        /// <summary>True when IgnoreFlowIfNullOrEmpty fired: the attribute is not sent at all.</summary>
        public static bool IsIgnoreFlow(object result) => IgnoreFlowSignal.IsSignal(result);
    }
}
