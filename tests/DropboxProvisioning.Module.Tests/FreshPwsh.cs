using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace DropboxProvisioning.Module.Tests
{
    /// <summary>
    /// A new pwsh process: the repository's pinned PowerShell 7.6.9 (.config/dotnet-tools.json, `dotnet pwsh`), as an
    /// admin starts it, with nothing of this test process loaded. Its "name=value" output lines are read back.
    /// </summary>
    public sealed class FreshPwsh
    {
        private static readonly Lazy<string> Restored = new Lazy<string>(RestoreTool);

        public int ExitCode { get; private set; }
        public string Output { get; private set; } = "";
        public string ErrorOutput { get; private set; } = "";

        public IReadOnlyList<string> Values(string name) =>
            Output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith(name + "=", StringComparison.Ordinal))
                .Select(l => l.Substring(name.Length + 1)).ToList();

        public string Value(string name)
        {
            var values = Values(name);
            if (values.Count == 0) throw new Xunit.Sdk.XunitException($"pwsh wrote no '{name}=' line.\n{Describe()}");
            return values[values.Count - 1];
        }

        public string Describe() => $"exit code {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{ErrorOutput}";

        public static FreshPwsh Run(string script, IEnumerable<string> arguments, IDictionary<string, string> environment = null, TimeSpan? timeout = null)
        {
            var restoreProblem = Restored.Value;
            if (restoreProblem != null) throw new Xunit.Sdk.XunitException("dotnet tool restore failed: " + restoreProblem);
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = ModuleFiles.RepositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "pwsh", "-NoLogo", "-NoProfile", "-NonInteractive", "-File", script }.Concat(arguments)) start.ArgumentList.Add(a);
            start.Environment.Remove("PSModulePath");
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
            start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
            start.Environment["NO_COLOR"] = "1";
            if (environment != null)
                foreach (var pair in environment) start.Environment[pair.Key] = pair.Value;
            using var process = Process.Start(start);
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit((int)(timeout ?? TimeSpan.FromMinutes(3)).TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                throw new Xunit.Sdk.XunitException("pwsh did not finish in time: " + script);
            }
            Task.WaitAll(stdout, stderr);
            return new FreshPwsh { ExitCode = process.ExitCode, Output = stdout.Result, ErrorOutput = stderr.Result };
        }

        /// <summary>The pinned pwsh is a local .NET tool: restored once per test run (instant when it already is).</summary>
        private static string RestoreTool()
        {
            var start = new ProcessStartInfo("dotnet", "tool restore")
            {
                WorkingDirectory = ModuleFiles.RepositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start);
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : output;
        }
    }
}
