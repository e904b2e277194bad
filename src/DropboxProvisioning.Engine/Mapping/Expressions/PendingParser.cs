// TEMPORARY until the expressions branch merges: the contract only, so the rest of the engine compiles.
using System;
using System.Collections.Generic;
namespace DropboxProvisioning.Mapping.Expressions
{
    public sealed class ParsedExpression
    {
        public string Text { get; set; }
        public IReadOnlyCollection<string> ReferencedAttributes { get; set; } = new string[0];
        public object Evaluate(IAttributeSource source, ExpressionContext context = null) => throw new NotSupportedException();
    }
    public sealed class ExpressionContext { }
    public static class ExpressionParser { public static ParsedExpression Parse(string text) => new ParsedExpression { Text = text }; }
    public class ExpressionException : Exception { public int Position { get; set; } public string ErrorId { get; set; } }
}
