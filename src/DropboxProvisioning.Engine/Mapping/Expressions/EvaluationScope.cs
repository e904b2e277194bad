namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>What one evaluation sees. A struct passed by reference so evaluating allocates nothing for it.</summary>
    internal readonly struct EvaluationScope
    {
        public EvaluationScope(IAttributeSource source, ExpressionContext context)
        {
            Source = source;
            Context = context;
        }

        public IAttributeSource Source { get; }

        public ExpressionContext Context { get; }
    }
}
