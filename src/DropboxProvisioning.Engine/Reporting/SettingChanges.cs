using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Reporting
{
    /// <summary>One setting an edit changes, with the value it had and the value it gets.</summary>
    public sealed class SettingChange
    {
        public SettingChange(string name, object oldValue, object newValue) { Name = name; OldValue = oldValue; NewValue = newValue; }
        public string Name { get; }
        public object OldValue { get; }
        public object NewValue { get; }
        public override string ToString() => $"{Name} from {SettingChanges.Show(OldValue)} to {SettingChanges.Show(NewValue)}";
    }

    /// <summary>
    /// What an edit of settings or a mapping changes, property by property (simple values, and the simple values of
    /// nested objects such as a mapping's target actions), for the what-if and confirm texts of the Set- cmdlets.
    /// </summary>
    public static class SettingChanges
    {
        public static IReadOnlyList<SettingChange> Between(object before, object after, string prefix = null)
        {
            var changes = new List<SettingChange>();
            if (before == null || after == null || before.GetType() != after.GetType()) return changes;
            foreach (var property in before.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0))
            {
                var type = property.PropertyType;
                var name = prefix == null ? property.Name : prefix + "." + property.Name;
                var old = property.GetValue(before);
                var now = property.GetValue(after);
                if (IsSimple(type))
                {
                    if (!Equals(old, now)) changes.Add(new SettingChange(name, old, now));
                }
                else if (type.IsClass && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type))
                {
                    changes.AddRange(Between(old, now, name));
                }
            }
            return changes;
        }

        /// <summary>"Set DeletionThreshold from 500 to 300, CycleInterval from 00:40:00 to 01:00:00", or null when nothing changes.</summary>
        public static string Describe(IReadOnlyList<SettingChange> changes, string verb = "Set") =>
            changes.Count == 0 ? null : verb + " " + string.Join(", ", changes);

        internal static string Show(object value)
        {
            switch (value)
            {
                case null: return "(none)";
                case string s: return s.Length == 0 ? "(none)" : "'" + s + "'";
                case IFormattable f: return f.ToString(null, CultureInfo.InvariantCulture);
                default: return value.ToString();
            }
        }

        private static bool IsSimple(Type type)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(DateTime) || type == typeof(DateTimeOffset);
        }
    }
}
