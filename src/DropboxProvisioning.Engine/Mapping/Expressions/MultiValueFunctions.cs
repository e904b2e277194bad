using System;
using System.Collections.Generic;
using System.Text;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>Functions over multi-valued attributes: Count, Item, Join, RemoveDuplicates, Split.</summary>
    internal static class MultiValueFunctions
    {
        [ThreadStatic]
        private static StringBuilder cachedBuilder;

        /// <summary>Count(attribute): number of values; a single value counts 1, null counts 0 (doc silent).</summary>
        public static object Count(FunctionNode call, in EvaluationScope scope)
        {
            var value = call.Arg(0, scope);
            switch (value)
            {
                case null: return Values.Box(0L);
                case IReadOnlyList<string> list: return Values.Box((long)list.Count);
                case IReadOnlyList<AppRoleAssignmentValue> roles: return Values.Box((long)roles.Count);
                case AppRoleAssignmentsResult result: return Values.Box((long)result.Roles.Count);
                default: return Values.Box(1L);
            }
        }

        /// <summary>Item(attribute, index): 1-based, as documented ("index 0 shouldn't be used"); out of range -> null.</summary>
        public static object Item(FunctionNode call, in EvaluationScope scope)
        {
            var list = Values.ToList(call.Arg(0, scope), call.ArgPosition(0));
            var index = call.LongArg(1, scope);
            if (index == null || index < 1 || index > list.Count)
            {
                return null;
            }

            return list[(int)index.Value - 1];
        }

        /// <summary>
        /// Join(separator, source1, ...): every value of every source, multi-valued ones expanded, separated by separator.
        /// Null and empty values are skipped: the documented Join(", ", "", [surname], [givenName]) gives "Doe, John".
        /// </summary>
        public static object Join(FunctionNode call, in EvaluationScope scope)
        {
            var separator = call.StringArg(0, scope) ?? string.Empty;
            var builder = cachedBuilder ?? new StringBuilder();
            cachedBuilder = null;
            builder.Clear();
            var first = true;
            for (var i = 1; i < call.ArgumentCount; i++)
            {
                var value = call.Arg(i, scope);
                if (value is IReadOnlyList<string> || value is IReadOnlyList<AppRoleAssignmentValue> || value is AppRoleAssignmentsResult)
                {
                    foreach (var item in Values.ToList(value, call.ArgPosition(i)))
                    {
                        AppendValue(builder, separator, item, ref first);
                    }
                }
                else
                {
                    AppendValue(builder, separator, Values.ToText(value, call.ArgPosition(i)), ref first);
                }
            }

            var result = builder.ToString();
            if (builder.Capacity <= 1024)
            {
                cachedBuilder = builder;
            }

            return result;
        }

        /// <summary>RemoveDuplicates(attribute): distinct values, first occurrence kept, compared case-sensitively (doc silent).</summary>
        public static object RemoveDuplicates(FunctionNode call, in EvaluationScope scope)
        {
            var value = call.Arg(0, scope);
            if (!(value is IReadOnlyList<string> list))
            {
                return value;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var distinct = new List<string>(list.Count);
            foreach (var item in list)
            {
                if (seen.Add(item ?? string.Empty))
                {
                    distinct.Add(item);
                }
            }

            return distinct.Count == list.Count ? list : distinct;
        }

        /// <summary>
        /// Split(source, delimiter): a multi-valued result. Items are trimmed and empty items dropped, which is what the
        /// documented "PermissionSetOne, PermissionSetTwo" -> ["PermissionSetOne", "PermissionSetTwo"] shows.
        /// </summary>
        public static object Split(FunctionNode call, in EvaluationScope scope)
        {
            var source = call.StringArg(0, scope);
            if (source == null)
            {
                return null;
            }

            var delimiter = call.StringArg(1, scope);
            var parts = string.IsNullOrEmpty(delimiter)
                ? new[] { source }
                : source.Split(new[] { delimiter }, StringSplitOptions.None);
            var items = new List<string>(parts.Length);
            foreach (var part in parts)
            {
                var item = part.Trim();
                if (item.Length > 0)
                {
                    items.Add(item);
                }
            }

            return items;
        }

        private static void AppendValue(StringBuilder builder, string separator, string value, ref bool first)
        {
            if (string.IsNullOrEmpty(value))
            {
                return;
            }

            if (!first)
            {
                builder.Append(separator);
            }

            builder.Append(value);
            first = false;
        }
    }
}
