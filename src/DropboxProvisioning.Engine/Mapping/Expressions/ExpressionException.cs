using System;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>
    /// A parse-time or evaluation-time failure of an attribute-mapping expression.
    /// <see cref="ErrorId"/> is one of <see cref="ExpressionErrorIds"/>; <see cref="Position"/> is the
    /// 1-based column in the expression text where the problem was found (0 when not tied to a column).
    /// </summary>
    public class ExpressionException : Exception
    {
        public ExpressionException(string errorId, string message, int position, Exception innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
            Position = position;
        }

        public string ErrorId { get; }

        public int Position { get; }
    }
}
