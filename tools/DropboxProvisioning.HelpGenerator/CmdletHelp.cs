using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Xml.Linq;

namespace DropboxProvisioning.HelpGenerator
{
    /// <summary>One cmdlet's help, read from its type's attributes and doc comments.</summary>
    public sealed class CmdletHelp
    {
        public string Name, Verb, Noun, Synopsis;
        public IReadOnlyList<string> Description, Notes, Links, OutputDescriptions;
        public IReadOnlyList<ParameterHelp> Parameters;
        public IReadOnlyList<(string Set, bool IsDefault)> ParameterSets;
        public IReadOnlyList<Type> Outputs;
        public IReadOnlyList<(string Code, IReadOnlyList<string> Remarks)> Examples;

        public static CmdletHelp Read(Type type, DocComments docs, List<string> problems)
        {
            var cmdlet = type.GetCustomAttribute<CmdletAttribute>();
            var summary = docs.Member("T:" + type.FullName)?.Element("summary");
            var help = new CmdletHelp
            {
                Verb = cmdlet.VerbName,
                Noun = cmdlet.NounName,
                Name = cmdlet.VerbName + "-" + cmdlet.NounName,
                Synopsis = DocComments.TypedParagraphs(summary, "synopsis").FirstOrDefault(),
                Description = DocComments.TypedParagraphs(summary, "description"),
                Notes = DocComments.TypedParagraphs(summary, "notes"),
                Links = DocComments.TypedParagraphs(summary, "link"),
                OutputDescriptions = DocComments.TypedParagraphs(summary, "outputs"),
                Outputs = type.GetCustomAttributes<OutputTypeAttribute>().SelectMany(o => o.Type).Select(t => t.Type).Where(t => t != null).Distinct().ToList(),
                Examples = (docs.Member("T:" + type.FullName)?.Elements("example") ?? Enumerable.Empty<XElement>())
                    .Select(e => (DocComments.Code(e.Element("code") ?? new XElement("code")), DocComments.Paragraphs(new XElement("x", e.Elements("para")))))
                    .ToList(),
            };

            object instance = null;
            try { instance = Activator.CreateInstance(type); } catch (Exception) { } // defaults unknown then
            help.Parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetCustomAttributes<ParameterAttribute>().Any())
                .Select(p => ParameterHelp.Read(p, docs, instance))
                .ToList();

            var sets = help.Parameters.SelectMany(p => p.Sets.Select(s => s.Set)).Where(s => s != ParameterAttribute.AllParameterSets).Distinct().ToList();
            var defaultSet = cmdlet.DefaultParameterSetName;
            help.ParameterSets = sets.Count == 0
                ? new[] { (ParameterAttribute.AllParameterSets, true) }
                : sets.OrderByDescending(s => s == defaultSet).Select(s => (s, s == defaultSet)).ToList();

            if (string.IsNullOrEmpty(help.Synopsis)) problems.Add($"{help.Name}: no <para type=\"synopsis\"> in its summary");
            if (help.Description.Count == 0) problems.Add($"{help.Name}: no <para type=\"description\"> in its summary");
            if (help.Examples.Count < 2) problems.Add($"{help.Name}: {help.Examples.Count} <example> (at least two runnable examples)");
            foreach (var (code, remarks) in help.Examples)
            {
                if (code.Length == 0) problems.Add($"{help.Name}: an <example> without <code>");
                if (remarks.Count == 0) problems.Add($"{help.Name}: an <example> without a <para> saying what it does");
            }
            foreach (var parameter in help.Parameters.Where(p => p.Description.Count == 0))
                problems.Add($"{help.Name}: -{parameter.Name} has no <summary> ({parameter.DeclaringType})");
            return help;
        }
    }

    public sealed class ParameterHelp
    {
        public string Name, DeclaringType, DefaultValue;
        public bool Wildcards;
        public Type Type;
        public IReadOnlyList<string> Description, Aliases, ValidValues;
        public IReadOnlyList<(string Set, bool Mandatory, int Position, bool ByValue, bool ByPropertyName)> Sets;

        public bool IsSwitch => Type == typeof(SwitchParameter);

        public static ParameterHelp Read(PropertyInfo property, DocComments docs, object instance)
        {
            var summary = docs.Member("P:" + property.DeclaringType.FullName + "." + property.Name)?.Element("summary");
            var type = property.PropertyType;
            var element = type.IsArray ? type.GetElementType() : type;
            element = Nullable.GetUnderlyingType(element) ?? element;
            var validValues = property.GetCustomAttribute<ValidateSetAttribute>()?.ValidValues
                ?? (element.IsEnum ? Enum.GetNames(element) : null);
            return new ParameterHelp
            {
                Name = property.Name,
                DeclaringType = property.DeclaringType.Name,
                Type = type,
                Description = DocComments.Paragraphs(summary),
                Aliases = property.GetCustomAttributes<AliasAttribute>().SelectMany(a => a.AliasNames).ToList(),
                ValidValues = validValues?.ToList() ?? new List<string>(),
                DefaultValue = Default(property, instance),
                Wildcards = property.GetCustomAttribute<SupportsWildcardsAttribute>() != null,
                Sets = property.GetCustomAttributes<ParameterAttribute>()
                    .Select(a => (a.ParameterSetName, a.Mandatory, a.Position, a.ValueFromPipeline, a.ValueFromPipelineByPropertyName))
                    .ToList(),
            };
        }

        private static string Default(PropertyInfo property, object instance)
        {
            if (instance == null || property.PropertyType == typeof(SwitchParameter)) return property.PropertyType == typeof(SwitchParameter) ? "False" : "None";
            object value;
            try { value = property.GetValue(instance); } catch (Exception) { return "None"; }
            switch (value)
            {
                case null: return "None";
                case bool b when !b: return "False";
                case Array a when a.Length == 0: return "None";
                case Array a: return string.Join(", ", a.Cast<object>());
                default:
                    var text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
                    return property.PropertyType.IsValueType && Equals(value, Activator.CreateInstance(property.PropertyType)) && !property.PropertyType.IsEnum ? "None" : text;
            }
        }

        /// <summary>Whether the parameter belongs to a set, and how.</summary>
        public (string Set, bool Mandatory, int Position, bool ByValue, bool ByPropertyName)? In(string set) =>
            Sets.Where(s => s.Set == set).Cast<(string, bool, int, bool, bool)?>().FirstOrDefault()
            ?? Sets.Where(s => s.Set == ParameterAttribute.AllParameterSets).Cast<(string, bool, int, bool, bool)?>().FirstOrDefault();
    }
}
