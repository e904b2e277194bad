using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace DropboxProvisioning.HelpGenerator
{
    /// <summary>
    /// The C# compiler's documentation file (GenerateDocumentationFile), by member id ("T:Namespace.Type", "P:Namespace.Type.Property"),
    /// with doc-comment markup turned into help text: &lt;c&gt; and &lt;see cref&gt; become their text, whitespace is collapsed
    /// within a paragraph, and &lt;code&gt; keeps its lines (less their common indentation).
    /// </summary>
    public sealed class DocComments
    {
        private readonly Dictionary<string, XElement> _members;

        public DocComments(string path)
        {
            _members = XDocument.Load(path).Root.Element("members").Elements("member")
                .ToDictionary(m => (string)m.Attribute("name"), m => m, StringComparer.Ordinal);
        }

        public XElement Member(string id) => _members.TryGetValue(id, out var member) ? member : null;

        /// <summary>The paragraphs of an element: its &lt;para&gt; children, or its own text as one paragraph.</summary>
        public static IReadOnlyList<string> Paragraphs(XElement element)
        {
            if (element == null) return Array.Empty<string>();
            var paras = element.Elements("para").ToList();
            if (paras.Count == 0) return Text(element) is { Length: > 0 } text ? new[] { text } : Array.Empty<string>();
            return paras.Select(Text).Where(t => t.Length > 0).ToList();
        }

        /// <summary>The text of a &lt;para type="..."&gt; kind inside an element (synopsis, description, link).</summary>
        public static IReadOnlyList<string> TypedParagraphs(XElement element, string type) =>
            element == null
                ? Array.Empty<string>()
                : element.Descendants("para").Where(p => (string)p.Attribute("type") == type).Select(Text).Where(t => t.Length > 0).ToList();

        /// <summary>An element's text with markup resolved and whitespace collapsed.</summary>
        public static string Text(XElement element)
        {
            var text = new StringBuilder();
            foreach (var node in element.Nodes())
            {
                switch (node)
                {
                    case XText t: text.Append(t.Value); break;
                    case XElement e when e.Name == "see" || e.Name == "seealso":
                        text.Append(e.Value.Length > 0 ? e.Value : Cref((string)e.Attribute("cref") ?? (string)e.Attribute("langword") ?? (string)e.Attribute("href")));
                        break;
                    case XElement e when e.Name == "paramref" || e.Name == "typeparamref": text.Append((string)e.Attribute("name")); break;
                    case XElement e when e.Name == "para": text.Append(' ').Append(Text(e)).Append(' '); break;
                    case XElement e: text.Append(Text(e)); break;
                }
            }
            return Regex.Replace(text.ToString(), @"\s+", " ").Trim();
        }

        /// <summary>A &lt;code&gt; block as its lines, less their common indentation and surrounding blank lines.</summary>
        public static string Code(XElement code)
        {
            var lines = code.Value.Replace("\r\n", "\n").Split('\n').ToList();
            while (lines.Count > 0 && lines[0].Trim().Length == 0) lines.RemoveAt(0);
            while (lines.Count > 0 && lines[^1].Trim().Length == 0) lines.RemoveAt(lines.Count - 1);
            var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
            return string.Join("\n", lines.Select(l => l.Length >= indent ? l.Substring(indent).TrimEnd() : l.Trim()));
        }

        // "T:DropboxProvisioning.Sync.CycleResult" -> "CycleResult"; "P:...Type.Property" -> "Property".
        private static string Cref(string cref)
        {
            if (string.IsNullOrEmpty(cref)) return "";
            var name = cref.Contains(':') ? cref.Substring(cref.IndexOf(':') + 1) : cref;
            var paren = name.IndexOf('(');
            if (paren >= 0) name = name.Substring(0, paren);
            return name.Substring(name.LastIndexOf('.') + 1);
        }
    }
}
