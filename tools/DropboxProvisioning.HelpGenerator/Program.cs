using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace DropboxProvisioning.HelpGenerator
{
    /// <summary>
    /// usage: DropboxProvisioning.HelpGenerator &lt;cmdlet assembly&gt; &lt;its documentation xml&gt; &lt;output MAML file&gt;
    /// Writes the help of every cmdlet in the assembly, with a build warning (DBXHELP) for each gap: a cmdlet without a synopsis,
    /// a description or two examples, a parameter without a description. The Pester suite Help.Tests.ps1 fails on any gap.
    /// </summary>
    public static class Program
    {
        public const string AboutTopic = "about_DropboxProvisioning";

        public static int Main(string[] args)
        {
            if (args.Length != 3)
            {
                Console.Error.WriteLine("usage: DropboxProvisioning.HelpGenerator <cmdlet assembly> <documentation xml> <output MAML file>");
                return 2;
            }
            var assemblyPath = Path.GetFullPath(args[0]);
            var directory = Path.GetDirectoryName(assemblyPath);
            // The cmdlet assembly's own dependencies (engine, sandbox, their packages) sit beside it.
            AssemblyLoadContext.Default.Resolving += (context, name) =>
            {
                // ...or, in the isolated module's layout, in Dependencies/ beside it.
                foreach (var folder in new[] { directory, Path.Combine(directory, "Dependencies") })
                {
                    var candidate = Path.Combine(folder, name.Name + ".dll");
                    if (File.Exists(candidate)) return context.LoadFromAssemblyPath(candidate);
                }
                return null;
            };
            var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(assemblyPath);
            var docs = new DocComments(args[1]);

            var problems = new List<string>();
            var cmdlets = assembly.GetExportedTypes()
                .Where(t => !t.IsAbstract && t.GetCustomAttribute<CmdletAttribute>() != null)
                .Select(t => CmdletHelp.Read(t, docs, problems))
                .OrderBy(c => c.Noun, StringComparer.Ordinal).ThenBy(c => c.Verb, StringComparer.Ordinal)
                .ToList();
            foreach (var problem in problems) Console.WriteLine($"{args[1]}: warning DBXHELP: {problem}");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[2])));
            MamlWriter.Write(cmdlets, AboutTopic).Save(args[2]);
            Console.WriteLine($"{args[2]}: help for {cmdlets.Count} cmdlets, {cmdlets.Sum(c => c.Parameters.Count)} parameters, {cmdlets.Sum(c => c.Examples.Count)} examples");
            return 0;
        }
    }
}
