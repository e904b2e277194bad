namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>
    /// The value an expression evaluates to when IgnoreFlowIfNullOrEmpty met a null or empty value:
    /// the caller must drop this attribute from the flow (neither set nor clear it in the target).
    /// It propagates through any enclosing function, so its presence anywhere means "do not flow".
    /// </summary>
    public sealed class IgnoreFlowSignal
    {
        public static readonly IgnoreFlowSignal Instance = new IgnoreFlowSignal();

        private IgnoreFlowSignal() { }

        /// <summary>True when an evaluation result means "do not flow this attribute".</summary>
        public static bool IsSignal(object value) => ReferenceEquals(value, Instance);

        public override string ToString() => "<ignore flow>";
    }
}
