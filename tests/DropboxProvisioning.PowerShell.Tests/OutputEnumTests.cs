using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// ConvertTo-Json writes an enum by name only when it is 64-bit (without -EnumsAsStrings; a rule of the JSON cmdlets
    /// since Windows PowerShell 3.0, kept in PowerShell 7); any other enum comes out as a number. So every enum an output type exposes, however
    /// deep, is 64-bit: a new one that is not fails here before an admin's JSON says "Status": 0.
    /// </summary>
    public sealed class OutputEnumTests
    {
        [Fact]
        public void Every_enum_the_cmdlets_write_is_64_bit_so_ConvertTo_Json_writes_its_name()
        {
            using var ps = new PowerShellSession();
            var roots = ps.Run("(Get-Command -Module DropboxProvisioning).OutputType.Type")
                .Select(o => (Type)o.BaseObject).Where(t => t.Namespace?.StartsWith("DropboxProvisioning", StringComparison.Ordinal) == true).Distinct().ToList();
            Assert.Contains(roots, t => t.Name == "CycleResult");
            Assert.Contains(roots, t => t.Name == "ProvisioningLogRecord");

            var enums = new Dictionary<Type, string>();
            var seen = new HashSet<Type>();
            var queue = new Queue<(Type Type, string Path)>(roots.Select(t => (t, t.Name)));
            while (queue.Count > 0)
            {
                var (type, path) = queue.Dequeue();
                if (!seen.Add(type)) continue;
                foreach (var property in type.GetProperties())
                {
                    foreach (var reached in Reached(property.PropertyType))
                    {
                        if (reached.IsEnum) enums[reached] = path + "." + property.Name;
                        else if (reached.Namespace?.StartsWith("DropboxProvisioning", StringComparison.Ordinal) == true && !reached.Namespace.StartsWith("DropboxProvisioning.Sandbox", StringComparison.Ordinal))
                            queue.Enqueue((reached, path + "." + property.Name));
                    }
                }
            }

            Assert.True(enums.Count >= 10, "found " + enums.Count + " enums");
            var narrow = enums.Where(e => Enum.GetUnderlyingType(e.Key) != typeof(long)).Select(e => $"{e.Key.FullName} ({e.Value})").ToList();
            Assert.True(narrow.Count == 0, "Not 64-bit, so ConvertTo-Json writes numbers: " + string.Join(", ", narrow));
        }

        /// <summary>The type itself, or what a nullable, array or generic collection of it holds.</summary>
        private static IEnumerable<Type> Reached(Type type)
        {
            var inner = Nullable.GetUnderlyingType(type);
            if (inner != null) return new[] { inner };
            if (type.IsArray) return Reached(type.GetElementType());
            if (type.IsGenericType) return type.GetGenericArguments().SelectMany(Reached);
            return new[] { type };
        }
    }
}
