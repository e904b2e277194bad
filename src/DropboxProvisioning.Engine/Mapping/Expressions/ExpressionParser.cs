using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>
    /// Parses Entra's attribute-mapping expression syntax once, when a mapping is saved, into a tree that
    /// <see cref="ParsedExpression.Evaluate"/> walks for every object.
    /// </summary>
    /// <remarks>
    /// Grammar (whitespace allowed between tokens):
    /// <code>
    /// expression := operand [ ("=" | "&lt;&gt;" | "&gt;" | "&gt;=" | "&lt;" | "&lt;=") operand ]
    /// operand    := string | number | "&amp;H" hex | "[" attribute "]" | Name "(" [ arg { "," arg } ] ")" | vbBinaryCompare | vbTextCompare
    /// arg        := expression | (nothing: an omitted optional argument)
    /// string     := '"' { char | '\"' | '\\' } '"'
    /// </code>
    /// Comparisons are what IIF conditions use (IIF([country]="USA", ...)); numbers and &amp;H hex appear in the
    /// documented examples (DateAdd("d", -10, ...), BitAnd(&amp;HF, &amp;HF7)).
    /// </remarks>
    public static class ExpressionParser
    {
        /// <summary>Longest expression accepted, as in Entra.</summary>
        public const int MaxLength = 10000;

        /// <summary>Deepest nesting accepted; keeps parsing and evaluation far from stack limits.</summary>
        public const int MaxDepth = 100;

        private static readonly Dictionary<string, long> NamedConstants = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["vbBinaryCompare"] = 0,
            ["vbTextCompare"] = 1,
        };

        /// <summary>Parses <paramref name="text"/>; throws <see cref="ExpressionException"/> naming the column and what was expected.</summary>
        public static ParsedExpression Parse(string text)
        {
            if (text == null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            if (text.Length > MaxLength)
            {
                throw new ExpressionException(
                    ExpressionErrorIds.ExpressionTooLong,
                    $"The expression is {text.Length} characters long; the limit is {MaxLength}.",
                    MaxLength + 1);
            }

            var parser = new Parser(text);
            var root = parser.ParseWhole();
            return new ParsedExpression(text, root);
        }

        /// <summary>Like <see cref="Parse"/> but reports failure instead of throwing.</summary>
        public static bool TryParse(string text, out ParsedExpression expression, out ExpressionException error)
        {
            try
            {
                expression = Parse(text);
                error = null;
                return true;
            }
            catch (ExpressionException e)
            {
                expression = null;
                error = e;
                return false;
            }
        }

        private sealed class Parser
        {
            private readonly string text;
            private int index;
            private int depth;

            public Parser(string text)
            {
                this.text = text;
            }

            public ExpressionNode ParseWhole()
            {
                SkipWhitespace();
                if (index == text.Length)
                {
                    throw Syntax("Expected an attribute, a string or a function", index);
                }

                var root = ParseExpression();
                SkipWhitespace();
                if (index < text.Length)
                {
                    throw Syntax("Expected end of expression", index);
                }

                CheckTopLevelOnly(root, true);
                return root;
            }

            private ExpressionNode ParseExpression()
            {
                var left = ParseOperand();
                SkipWhitespace();
                var opStart = index;
                if (!TryReadComparison(out var op))
                {
                    return left;
                }

                SkipWhitespace();
                var right = ParseOperand();
                return new ComparisonNode(op, left, right, opStart + 1);
            }

            private ExpressionNode ParseOperand()
            {
                SkipWhitespace();
                if (index == text.Length)
                {
                    throw Syntax("Expected an attribute, a string or a function", index);
                }

                var c = text[index];
                if (c == '"')
                {
                    return ParseString();
                }

                if (c == '[')
                {
                    return ParseAttribute();
                }

                if (char.IsDigit(c) || (c == '-' && index + 1 < text.Length && char.IsDigit(text[index + 1])))
                {
                    return ParseNumber();
                }

                if (c == '&' && index + 1 < text.Length && (text[index + 1] == 'H' || text[index + 1] == 'h'))
                {
                    return ParseHex();
                }

                if (IsIdentifierStart(c))
                {
                    return ParseCallOrConstant();
                }

                throw Syntax("Expected an attribute, a string or a function", index);
            }

            private ExpressionNode ParseString()
            {
                var start = index;
                index++;
                var builder = new StringBuilder();
                while (index < text.Length)
                {
                    var c = text[index];
                    if (c == '"')
                    {
                        index++;
                        return new ConstantNode(builder.ToString(), start + 1);
                    }

                    if (c == '\\' && index + 1 < text.Length && (text[index + 1] == '"' || text[index + 1] == '\\'))
                    {
                        builder.Append(text[index + 1]);
                        index += 2;
                        continue;
                    }

                    // Any other backslash is kept as written, so a regex typed as "\d" still means \d.
                    builder.Append(c);
                    index++;
                }

                throw Syntax($"Expected '\"' to close the string that starts at column {start + 1}", index);
            }

            private ExpressionNode ParseAttribute()
            {
                var start = index;
                index++;
                var nameStart = index;
                while (index < text.Length && text[index] != ']')
                {
                    var c = text[index];
                    if (c == '[' || c == '"' || c == ',' || c == '(' || c == ')' || char.IsWhiteSpace(c) || char.IsControl(c))
                    {
                        throw Syntax("Expected ']'", index);
                    }

                    index++;
                }

                if (index == text.Length)
                {
                    throw Syntax("Expected ']'", index);
                }

                if (index == nameStart)
                {
                    throw Syntax("Expected an attribute name", index);
                }

                var name = text.Substring(nameStart, index - nameStart);
                index++;
                return new AttributeNode(name, start + 1);
            }

            private ExpressionNode ParseNumber()
            {
                var start = index;
                if (text[index] == '-')
                {
                    index++;
                }

                while (index < text.Length && char.IsDigit(text[index]))
                {
                    index++;
                }

                if (index < text.Length && (char.IsLetter(text[index]) || text[index] == '.' || text[index] == '_'))
                {
                    throw Syntax("Expected a whole number", start);
                }

                var literal = text.Substring(start, index - start);
                if (!long.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                {
                    throw Syntax("Expected a number that fits in 64 bits", start);
                }

                return new ConstantNode(Values.Box(value), start + 1);
            }

            private ExpressionNode ParseHex()
            {
                var start = index;
                index += 2;
                var digitsStart = index;
                while (index < text.Length && Uri.IsHexDigit(text[index]))
                {
                    index++;
                }

                if (index == digitsStart)
                {
                    throw Syntax("Expected hexadecimal digits after '&H'", index);
                }

                var literal = text.Substring(digitsStart, index - digitsStart);
                if (!long.TryParse(literal, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
                {
                    throw Syntax("Expected a number that fits in 64 bits", start);
                }

                return new ConstantNode(Values.Box(value), start + 1);
            }

            private ExpressionNode ParseCallOrConstant()
            {
                var start = index;
                while (index < text.Length && IsIdentifierPart(text[index]))
                {
                    index++;
                }

                var name = text.Substring(start, index - start);
                SkipWhitespace();
                if (index == text.Length || text[index] != '(')
                {
                    if (NamedConstants.TryGetValue(name, out var constant))
                    {
                        return new ConstantNode(Values.Box(constant), start + 1, name);
                    }

                    throw Syntax($"Expected '(' after '{name}'", index);
                }

                if (!ExpressionFunctions.TryGet(name, out var function))
                {
                    throw UnknownFunction(name, start);
                }

                if (++depth > MaxDepth)
                {
                    throw Syntax($"Expected at most {MaxDepth} nested function calls", start);
                }

                index++; // '('
                var arguments = ParseArguments();
                depth--;
                var call = new FunctionNode(function, arguments.ToArray(), start + 1);
                Check(call);
                return call;
            }

            private List<ExpressionNode> ParseArguments()
            {
                var arguments = new List<ExpressionNode>();
                SkipWhitespace();
                if (index < text.Length && text[index] == ')')
                {
                    index++;
                    return arguments;
                }

                while (true)
                {
                    SkipWhitespace();
                    if (index < text.Length && (text[index] == ',' || text[index] == ')'))
                    {
                        // An omitted optional argument: Replace([mail], , "x", ...).
                        arguments.Add(null);
                    }
                    else
                    {
                        arguments.Add(ParseExpression());
                    }

                    SkipWhitespace();
                    if (index == text.Length)
                    {
                        throw Syntax("Expected ')'", index);
                    }

                    if (text[index] == ',')
                    {
                        index++;
                        continue;
                    }

                    if (text[index] == ')')
                    {
                        index++;
                        return arguments;
                    }

                    throw Syntax("Expected ',' or ')'", index);
                }
            }

            private void Check(FunctionNode call)
            {
                var function = call.Function;
                var count = call.ArgumentCount;
                if (count < function.MinArgs || count > function.MaxArgs)
                {
                    throw new ExpressionException(
                        ExpressionErrorIds.ArgumentCount,
                        $"Function '{function.Name}' takes {Arity(function)} but was given {count}, at column {call.Position}. Usage: {function.Signature}",
                        call.Position);
                }

                foreach (var position in function.RequiredPositions)
                {
                    if (!call.HasArgument(position))
                    {
                        throw new ExpressionException(
                            ExpressionErrorIds.InvalidArgument,
                            $"Function '{function.Name}' requires argument {position + 1}, which is empty, at column {call.Position}. Usage: {function.Signature}",
                            call.Position);
                    }
                }

                function.Prepare?.Invoke(call);
            }

            /// <summary>SelectUniqueValue "must be at the top-level and can't be nested".</summary>
            private static void CheckTopLevelOnly(ExpressionNode node, bool isRoot)
            {
                switch (node)
                {
                    case FunctionNode call:
                        if (call.Function.TopLevelOnly && !isRoot)
                        {
                            throw new ExpressionException(
                                ExpressionErrorIds.InvalidArgument,
                                $"Function '{call.Function.Name}' must be the whole expression and cannot be nested, at column {call.Position}.",
                                call.Position);
                        }

                        foreach (var argument in call.Arguments)
                        {
                            CheckTopLevelOnly(argument, false);
                        }

                        break;
                    case ComparisonNode comparison:
                        CheckTopLevelOnly(comparison.Left, false);
                        CheckTopLevelOnly(comparison.Right, false);
                        break;
                }
            }

            private static string Arity(ExpressionFunction function)
            {
                if (function.MaxArgs == ExpressionFunction.Unbounded)
                {
                    return $"at least {function.MinArgs} argument{(function.MinArgs == 1 ? string.Empty : "s")}";
                }

                if (function.MinArgs == function.MaxArgs)
                {
                    return $"{function.MinArgs} argument{(function.MinArgs == 1 ? string.Empty : "s")}";
                }

                return $"{function.MinArgs} to {function.MaxArgs} arguments";
            }

            private bool TryReadComparison(out ComparisonOperator op)
            {
                op = default;
                if (index >= text.Length)
                {
                    return false;
                }

                var c = text[index];
                var next = index + 1 < text.Length ? text[index + 1] : '\0';
                switch (c)
                {
                    case '=':
                        op = ComparisonOperator.Equal;
                        index++;
                        return true;
                    case '<':
                        if (next == '>')
                        {
                            op = ComparisonOperator.NotEqual;
                            index += 2;
                        }
                        else if (next == '=')
                        {
                            op = ComparisonOperator.LessThanOrEqual;
                            index += 2;
                        }
                        else
                        {
                            op = ComparisonOperator.LessThan;
                            index++;
                        }

                        return true;
                    case '>':
                        if (next == '=')
                        {
                            op = ComparisonOperator.GreaterThanOrEqual;
                            index += 2;
                        }
                        else
                        {
                            op = ComparisonOperator.GreaterThan;
                            index++;
                        }

                        return true;
                    default:
                        return false;
                }
            }

            private void SkipWhitespace()
            {
                while (index < text.Length && char.IsWhiteSpace(text[index]))
                {
                    index++;
                }
            }

            private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

            private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_';

            private static ExpressionException Syntax(string expected, int zeroBasedIndex) =>
                new ExpressionException(
                    ExpressionErrorIds.ExpressionSyntax,
                    $"{expected} at column {zeroBasedIndex + 1}",
                    zeroBasedIndex + 1);

            private static ExpressionException UnknownFunction(string name, int zeroBasedIndex)
            {
                var suggestion = ExpressionFunctions.SuggestName(name);
                string message;
                if (suggestion != null && string.Equals(suggestion, name, StringComparison.OrdinalIgnoreCase))
                {
                    message = $"Function '{name}' is not known; names are case-sensitive: did you mean '{suggestion}'?";
                }
                else if (suggestion != null)
                {
                    message = $"Function '{name}' is not known: did you mean '{suggestion}'?";
                }
                else
                {
                    message = $"Function '{name}' is not known.";
                }

                return new ExpressionException(ExpressionErrorIds.UnknownFunction, message, zeroBasedIndex + 1);
            }
        }
    }
}
