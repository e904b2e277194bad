using System;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>
    /// Carries an <see cref="IgnoreFlowSignal"/> out of a nested call (e.g. Join("", IgnoreFlowIfNullOrEmpty([x])))
    /// up to <see cref="ParsedExpression.Evaluate"/>. The usual top-level use returns the signal without throwing,
    /// so this rare path is the only one that pays for an exception.
    /// </summary>
    internal sealed class IgnoreFlowException : Exception
    {
        public IgnoreFlowException()
            : base("Attribute flow ignored.")
        {
        }
    }
}
