using System.Collections.Generic;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>Evaluates one call; arguments are evaluated lazily through <see cref="FunctionNode.Arg"/>.</summary>
    internal delegate object FunctionBody(FunctionNode call, in EvaluationScope scope);

    /// <summary>Runs once at parse time: validates literal arguments and may store prepared state in <see cref="FunctionNode.State"/>.</summary>
    internal delegate void FunctionPrepare(FunctionNode call);

    /// <summary>One function of the expression language, as listed for admins by <see cref="ExpressionFunctions.All"/>.</summary>
    public sealed class ExpressionFunction
    {
        /// <summary><see cref="MaxArgs"/> of functions that take any number of arguments.</summary>
        public const int Unbounded = int.MaxValue;

        internal ExpressionFunction(
            string name,
            int minArgs,
            int maxArgs,
            string signature,
            string description,
            FunctionBody body,
            FunctionPrepare prepare = null,
            int[] requiredPositions = null,
            bool topLevelOnly = false,
            bool nonDeterministic = false)
        {
            Name = name;
            MinArgs = minArgs;
            MaxArgs = maxArgs;
            Signature = signature;
            Description = description;
            Body = body;
            Prepare = prepare;
            RequiredPositions = requiredPositions ?? DefaultRequired(minArgs, maxArgs);
            TopLevelOnly = topLevelOnly;
            IsNonDeterministic = nonDeterministic;
        }

        /// <summary>Case-sensitive name, as written in expressions.</summary>
        public string Name { get; }

        public int MinArgs { get; }

        /// <summary>Most arguments accepted, or <see cref="Unbounded"/>.</summary>
        public int MaxArgs { get; }

        /// <summary>E.g. "Replace(source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template)".</summary>
        public string Signature { get; }

        public string Description { get; }

        /// <summary>True for functions whose result changes between calls (Now, Guid, RandomString).</summary>
        public bool IsNonDeterministic { get; }

        /// <summary>True when the function may only be the whole expression (SelectUniqueValue).</summary>
        public bool TopLevelOnly { get; }

        internal FunctionBody Body { get; }

        internal FunctionPrepare Prepare { get; }

        /// <summary>Positions (0-based) that may not be left empty, e.g. Append's source and suffix.</summary>
        internal IReadOnlyList<int> RequiredPositions { get; }

        public override string ToString() => Signature;

        private static int[] DefaultRequired(int minArgs, int maxArgs)
        {
            // Fixed-arity functions: every position up to MinArgs is required unless a function says otherwise.
            if (maxArgs == Unbounded)
            {
                return new int[0];
            }

            var positions = new int[minArgs];
            for (var i = 0; i < minArgs; i++)
            {
                positions[i] = i;
            }

            return positions;
        }
    }
}
