using System;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>
    /// Everything an expression needs besides the source object: the non-deterministic inputs
    /// (clock, randomness) and the target lookup used by SelectUniqueValue. Tests pin these.
    /// </summary>
    public sealed class ExpressionContext
    {
        /// <summary>
        /// Used when Evaluate is called without a context: real UTC clock, cryptographic randomness, no target lookup.
        /// Internal so nobody can pin a shared (thread-unsafe) Random on it.
        /// </summary>
        internal static readonly ExpressionContext Default = new ExpressionContext();

        /// <summary>Source of Now(). Defaults to <see cref="DateTimeOffset.UtcNow"/>.</summary>
        public Func<DateTimeOffset> Clock { get; set; }

        /// <summary>
        /// Source of Guid() and RandomString(). When null, Guid() uses <see cref="Guid.NewGuid"/> and
        /// RandomString() a cryptographic generator (its output is often an initial password).
        /// A <see cref="System.Random"/> is not thread-safe: give each thread its own context.
        /// </summary>
        public Random Random { get; set; }

        /// <summary>
        /// For SelectUniqueValue: asks the target whether a candidate value is free. When null every
        /// candidate is treated as free, so previews return the first rule's value.
        /// </summary>
        public Func<string, bool> IsValueUnique { get; set; }

        internal DateTimeOffset UtcNow()
        {
            var now = Clock != null ? Clock() : DateTimeOffset.UtcNow;
            return now.ToUniversalTime();
        }
    }
}
