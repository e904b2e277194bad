using System.Text.RegularExpressions;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>
    /// Replace(source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template),
    /// case-sensitive, with the documented modes tried in this order:
    /// <list type="number">
    /// <item>oldValue + template: every oldValue in template becomes source.</item>
    /// <item>oldValue (+ replacementValue): every oldValue in source becomes replacementValue.</item>
    /// <item>regexPattern + regexGroupName + replacementAttributeName: source when it has a value, else the group's
    /// match in replacementAttributeName's value.</item>
    /// <item>regexPattern + regexGroupName (+ replacementValue): each match's group span becomes replacementValue.</item>
    /// <item>regexPattern (+ replacementValue): .NET Regex.Replace, so ${group} substitutions work.</item>
    /// </list>
    /// A missing replacementValue counts as "" (doc silent; it is what "remove the match" examples need).
    /// </summary>
    internal static class ReplaceFunction
    {
        private const int Source = 0;
        private const int OldValue = 1;
        private const int Pattern = 2;
        private const int GroupName = 3;
        private const int ReplacementValue = 4;
        private const int ReplacementAttribute = 5;
        private const int Template = 6;

        public static void Prepare(FunctionNode call)
        {
            if (!(call.LiteralArg(Pattern) is string pattern))
            {
                return;
            }

            if (!SafeRegex.TryCreate(pattern, out var regex, out var error))
            {
                throw Values.InvalidArgument($"Replace: regexPattern does not compile: {error}", call.ArgPosition(Pattern));
            }

            if (call.LiteralArg(GroupName) is string group && group.Length > 0 && regex.GroupNumberFromName(group) < 0)
            {
                throw Values.InvalidArgument($"Replace: regexPattern has no group named '{group}'", call.ArgPosition(GroupName));
            }

            call.State = regex;
        }

        public static object Evaluate(FunctionNode call, in EvaluationScope scope)
        {
            var source = call.StringArg(Source, scope);
            var oldValue = call.StringArg(OldValue, scope);
            if (!string.IsNullOrEmpty(oldValue))
            {
                if (call.HasArgument(Template))
                {
                    var template = call.StringArg(Template, scope);
                    return source == null || template == null ? null : template.Replace(oldValue, source);
                }

                return source?.Replace(oldValue, call.StringArg(ReplacementValue, scope) ?? string.Empty);
            }

            if (!call.HasArgument(Pattern))
            {
                return source;
            }

            var regex = call.State as Regex ?? RuntimeRegex(call, scope);
            if (regex == null)
            {
                return source;
            }

            var groupName = call.StringArg(GroupName, scope);
            try
            {
                if (!string.IsNullOrEmpty(groupName))
                {
                    if (call.HasArgument(ReplacementAttribute) && !call.HasArgument(ReplacementValue))
                    {
                        if (!string.IsNullOrEmpty(source))
                        {
                            return source;
                        }

                        var other = call.StringArg(ReplacementAttribute, scope);
                        if (other == null)
                        {
                            return null;
                        }

                        var found = regex.Match(other).Groups[groupName];
                        return found.Success ? found.Value : null;
                    }

                    return source == null ? null : ReplaceGroup(regex, source, groupName, call.StringArg(ReplacementValue, scope) ?? string.Empty);
                }

                return source == null ? null : regex.Replace(source, call.StringArg(ReplacementValue, scope) ?? string.Empty);
            }
            catch (RegexMatchTimeoutException e)
            {
                throw new ExpressionException(
                    ExpressionErrorIds.RegexTimeout,
                    $"Replace: the regular expression took longer than {SafeRegex.MatchTimeout.TotalMilliseconds} ms (column {call.ArgPosition(Pattern)}).",
                    call.ArgPosition(Pattern),
                    e);
            }
        }

        private static string ReplaceGroup(Regex regex, string source, string groupName, string replacement) =>
            regex.Replace(source, match =>
            {
                var group = match.Groups[groupName];
                if (!group.Success)
                {
                    return match.Value;
                }

                var offset = group.Index - match.Index;
                return match.Value.Substring(0, offset) + replacement + match.Value.Substring(offset + group.Length);
            });

        private static Regex RuntimeRegex(FunctionNode call, in EvaluationScope scope)
        {
            var pattern = call.StringArg(Pattern, scope);
            if (pattern == null)
            {
                return null;
            }

            var regex = SafeRegex.GetOrCreate(pattern, out var error);
            if (regex == null)
            {
                throw Values.InvalidArgument($"Replace: regexPattern does not compile: {error}", call.ArgPosition(Pattern));
            }

            return regex;
        }
    }
}
