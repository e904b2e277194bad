using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace DropboxProvisioning.HelpGenerator
{
    /// <summary>Writes cmdlet help as MAML, the schema Get-Help reads for compiled cmdlets (the one PlatyPS writes).</summary>
    public static class MamlWriter
    {
        private static readonly XNamespace Msh = "http://msh";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        public static XDocument Write(IEnumerable<CmdletHelp> cmdlets, string aboutTopic) =>
            new XDocument(new XDeclaration("1.0", "utf-8", null),
                new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
                    cmdlets.Select(c => Cmdlet(c, aboutTopic))));

        private static XElement Cmdlet(CmdletHelp help, string aboutTopic) =>
            new XElement(Command + "command",
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                new XElement(Command + "details",
                    new XElement(Command + "name", help.Name),
                    new XElement(Command + "verb", help.Verb),
                    new XElement(Command + "noun", help.Noun),
                    Description(new[] { help.Synopsis })),
                Description(help.Description),
                new XElement(Command + "syntax",
                    help.ParameterSets.Select(set => new XElement(Command + "syntaxItem",
                        new XElement(Maml + "name", help.Name),
                        help.Parameters.Where(p => p.In(set.Set) != null)
                            .OrderBy(p => p.In(set.Set).Value.Position < 0 ? int.MaxValue : p.In(set.Set).Value.Position)
                            .ThenByDescending(p => p.In(set.Set).Value.Mandatory)
                            .Select(p => Parameter(p, set.Set, inSyntax: true))))),
                new XElement(Command + "parameters", help.Parameters.Select(p => Parameter(p, null, inSyntax: false))),
                new XElement(Command + "inputTypes", Inputs(help)),
                new XElement(Command + "returnValues", Outputs(help)),
                help.Notes.Count == 0 ? null : new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(help.Notes))),
                new XElement(Command + "examples", help.Examples.Select((e, i) => new XElement(Command + "example",
                    new XElement(Maml + "title", $"-------------------------- Example {i + 1} --------------------------"),
                    new XElement(Dev + "code", e.Code),
                    new XElement(Dev + "remarks", Paras(e.Remarks))))),
                new XElement(Command + "relatedLinks",
                    help.Links.Append(aboutTopic).Distinct().Select(link => new XElement(Maml + "navigationLink",
                        new XElement(Maml + "linkText", link),
                        new XElement(Maml + "uri", link.StartsWith("http", StringComparison.Ordinal) ? link : "")))));

        private static XElement Parameter(ParameterHelp p, string set, bool inSyntax)
        {
            // In the parameters section a parameter is described once: required and positional if it is so in any set.
            var sets = set == null ? p.Sets.ToList() : new List<(string Set, bool Mandatory, int Position, bool ByValue, bool ByPropertyName)> { p.In(set).Value };
            var mandatory = sets.Any(s => s.Mandatory);
            var position = sets.Select(s => s.Position).Where(x => x >= 0).DefaultIfEmpty(-1).Min();
            var pipeline = PipelineInput(sets.Any(s => s.ByValue), sets.Any(s => s.ByPropertyName));
            return new XElement(Command + "parameter",
                new XAttribute("required", mandatory ? "true" : "false"),
                new XAttribute("variableLength", p.Type.IsArray ? "true" : "false"),
                new XAttribute("globbing", p.Wildcards ? "true" : "false"),
                new XAttribute("pipelineInput", pipeline),
                new XAttribute("position", position < 0 ? "named" : position.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new XAttribute("aliases", p.Aliases.Count == 0 ? "none" : string.Join(", ", p.Aliases)),
                new XElement(Maml + "name", p.Name),
                inSyntax ? null : Description(p.Description),
                p.ValidValues.Count > 0 && inSyntax
                    ? new XElement(Command + "parameterValueGroup", p.ValidValues.Select(v => new XElement(Command + "parameterValue",
                        new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v)))
                    : null,
                p.IsSwitch && inSyntax ? null : new XElement(Command + "parameterValue",
                    new XAttribute("required", p.IsSwitch ? "false" : "true"), new XAttribute("variableLength", p.Type.IsArray ? "true" : "false"), TypeName(p.Type)),
                new XElement(Dev + "type", new XElement(Maml + "name", TypeName(p.Type)), new XElement(Maml + "uri")),
                new XElement(Dev + "defaultValue", p.DefaultValue));
        }

        private static IEnumerable<XElement> Inputs(CmdletHelp help)
        {
            var piped = help.Parameters.Where(p => p.Sets.Any(s => s.ByValue || s.ByPropertyName)).ToList();
            if (piped.Count == 0)
            {
                yield return TypeElement(Command + "inputType", "None", new[] { "This cmdlet takes no input from the pipeline." });
                yield break;
            }
            foreach (var group in piped.Where(p => p.Sets.Any(s => s.ByValue)).GroupBy(p => TypeName(p.Type)))
                yield return TypeElement(Command + "inputType", group.Key,
                    new[] { "Piped objects of this type bind to " + string.Join(", ", group.Select(p => "-" + p.Name)) + "." });
            var byName = piped.Where(p => p.Sets.Any(s => s.ByPropertyName)).ToList();
            if (byName.Count > 0)
                yield return TypeElement(Command + "inputType", "System.Management.Automation.PSObject",
                    new[] { "Objects whose properties are named like these parameters bind by property name: " + string.Join(", ", byName.Select(p => "-" + p.Name)) + "." });
        }

        private static IEnumerable<XElement> Outputs(CmdletHelp help)
        {
            if (help.Outputs.Count == 0)
            {
                yield return TypeElement(Command + "returnValue", "None", help.OutputDescriptions.Count > 0 ? help.OutputDescriptions : new[] { "This cmdlet writes no objects." });
                yield break;
            }
            foreach (var type in help.Outputs)
                yield return TypeElement(Command + "returnValue", TypeName(type),
                    help.OutputDescriptions.Count > 0 ? help.OutputDescriptions : new[] { type.Name + " objects, shown by the module's format views." });
        }

        private static XElement TypeElement(XName name, string type, IReadOnlyList<string> description) =>
            new XElement(name, new XElement(Dev + "type", new XElement(Maml + "name", type), new XElement(Maml + "uri")), Description(description));

        private static string PipelineInput(bool byValue, bool byName) =>
            byValue && byName ? "True (ByValue, ByPropertyName)" : byValue ? "True (ByValue)" : byName ? "True (ByPropertyName)" : "False";

        private static string TypeName(Type type)
        {
            if (type.IsArray) return TypeName(type.GetElementType()) + "[]";
            var nullable = Nullable.GetUnderlyingType(type);
            if (nullable != null) return "System.Nullable`1[" + TypeName(nullable) + "]";
            return type.FullName ?? type.Name;
        }

        private static XElement Description(IEnumerable<string> paragraphs) => new XElement(Maml + "description", Paras(paragraphs));

        private static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs) =>
            paragraphs.Where(p => !string.IsNullOrEmpty(p)).Select(p => new XElement(Maml + "para", p));
    }
}
