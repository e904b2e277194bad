namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>The comparison operators Entra documents for IIF conditions: = &lt;&gt; &gt; &gt;= &lt; &lt;=.</summary>
    internal enum ComparisonOperator
    {
        Equal,
        NotEqual,
        GreaterThan,
        GreaterThanOrEqual,
        LessThan,
        LessThanOrEqual,
    }
}
