namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>How the mapping layer reads special results of an expression.</summary>
    internal static class ExpressionResults
    {
        // Bound to the expression language's own "do not flow" marker when it merges.
        public static bool IsIgnoreFlow(object result) => false;
    }
}
