using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace DropboxProvisioning.Benchmarks
{
    /// <summary>
    /// Module load time (issue 15): in each of N fresh pwsh 7.6.9 processes (`dotnet pwsh`, the repository's pinned
    /// tool), Import-Module of the packaged module and then the first Connect-DbxTenant -Sandbox, each timed inside the
    /// process; the whole process is timed from outside. For comparison, in another fresh process each time, Import-Module
    /// of Microsoft.PowerShell.PSResourceGet, the binary module that pwsh itself ships.
    /// Usage: dotnet run -c Release --project bench/DropboxProvisioning.Benchmarks -- load [--runs 10] [--output bench/results-load.md]
    /// </summary>
    public static class ModuleLoadBench
    {
        private const string Script = @"
$ErrorActionPreference = 'Stop'
$clock = [System.Diagnostics.Stopwatch]::StartNew()
Import-Module $env:DBX_BENCH_MANIFEST
$import = $clock.Elapsed.TotalMilliseconds
$clock.Restart()
$connection = Connect-DbxTenant -Sandbox
$connect = $clock.Elapsed.TotalMilliseconds
'RESULT {0} {1} {2}' -f $import.ToString([cultureinfo]::InvariantCulture), $connect.ToString([cultureinfo]::InvariantCulture), $connection.Sandbox.Directory.Users.Count
";

        public static int Run(string[] args)
        {
            var runs = 10;
            string output = null;
            for (var i = 1; i < args.Length; i++)
            {
                if (args[i] == "--runs") runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                else if (args[i] == "--output") output = args[++i];
                else { Console.Error.WriteLine("unknown option " + args[i]); return 2; }
            }
            var root = FindRoot();
            var version = File.ReadAllLines(Path.Combine(root, "DropboxProvisioning.psd1"))
                .Select(l => l.Trim()).First(l => l.StartsWith("ModuleVersion", StringComparison.Ordinal)).Split('\'')[1];
            var manifest = Path.Combine(root, "out", "package", "DropboxProvisioning", version, "DropboxProvisioning.psd1");
            if (!File.Exists(manifest)) { Console.Error.WriteLine("Build first: " + manifest + " is missing."); return 2; }
            var script = Path.Combine(Path.GetTempPath(), "dbx-load-bench-" + Guid.NewGuid().ToString("N") + ".ps1");
            File.WriteAllText(script, Script);
            try
            {
                var bare = new List<double>();
                var reference = new List<double>();
                var warm = new List<double>();
                var imports = new List<double>();
                var connects = new List<double>();
                var processes = new List<double>();
                const string Reference = "$c = [System.Diagnostics.Stopwatch]::StartNew(); Import-Module Microsoft.PowerShell.PSResourceGet; $r = $c.Elapsed.TotalMilliseconds; $c.Restart(); Import-Module $env:DBX_BENCH_MANIFEST; 'RESULT ' + $r.ToString([cultureinfo]::InvariantCulture) + ' ' + $c.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture)";
                Pwsh(root, new[] { "-Command", "exit 0" }, manifest); // warm the disk cache once, unmeasured
                for (var run = 0; run < runs; run++)
                {
                    var other = Pwsh(root, new[] { "-Command", Reference }, manifest);
                    bare.Add(other.Wall);
                    var otherParts = other.Output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("RESULT ", StringComparison.Ordinal)).Split(' ');
                    reference.Add(double.Parse(otherParts[1], CultureInfo.InvariantCulture));
                    warm.Add(double.Parse(otherParts[2], CultureInfo.InvariantCulture));
                    var measured = Pwsh(root, new[] { "-File", script }, manifest);
                    var line = measured.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
                    if (line == null) { Console.Error.WriteLine("run " + run + " wrote no result:\n" + measured.Output); return 1; }
                    var parts = line.Split(' ');
                    imports.Add(double.Parse(parts[1], CultureInfo.InvariantCulture));
                    connects.Add(double.Parse(parts[2], CultureInfo.InvariantCulture));
                    processes.Add(measured.Wall);
                    Console.WriteLine($"run {run + 1}: import {parts[1]} ms, first Connect-DbxTenant -Sandbox {parts[2]} ms, process {measured.Wall:F0} ms; PSResourceGet import {reference[run]:F0} ms then ours {warm[run]:F0} ms, that process {bare[run]:F0} ms");
                }
                var table = Report(runs, version, imports, connects, processes, reference, warm, bare);
                Console.WriteLine(table);
                if (output != null) File.WriteAllText(output, table);
                return 0;
            }
            finally
            {
                File.Delete(script);
            }
        }

        private static string Report(int runs, string version, List<double> imports, List<double> connects, List<double> processes, List<double> reference, List<double> warm, List<double> bare)
        {
            string Row(string what, List<double> ms) =>
                $"| {what} | {Median(ms):F0} | {ms.Min():F0} | {ms.Max():F0} |";
            var text = new StringBuilder();
            text.AppendLine("# Module load time (issue 15)");
            text.AppendLine();
            text.AppendLine("Written by `dotnet run -c Release --project bench/DropboxProvisioning.Benchmarks -- load --runs " + runs + " --output bench/results-load.md`.");
            text.AppendLine();
            text.AppendLine($"- Date: {DateTimeOffset.Now:yyyy-MM-dd HH:mm} (UTC{DateTimeOffset.Now:zzz}); machine: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; pwsh 7.6.9 (`dotnet pwsh`)");
            text.AppendLine($"- Module: out/package/DropboxProvisioning/{version} (the package as the Gallery installs it), imported by path; {runs} fresh processes, each after a process that imports PSResourceGet instead.");
            text.AppendLine();
            text.AppendLine("| Step (ms) | Median | Min | Max |");
            text.AppendLine("|---|---:|---:|---:|");
            text.AppendLine(Row("Import-Module DropboxProvisioning (inside the process)", imports));
            text.AppendLine(Row("first Connect-DbxTenant -Sandbox, 50 users (inside the process)", connects));
            text.AppendLine(Row("whole process: pwsh start, import, connect, exit", processes));
            text.AppendLine(Row("for comparison: Import-Module Microsoft.PowerShell.PSResourceGet (shipped with pwsh; inside its process)", reference));
            text.AppendLine(Row("then, in that process, Import-Module DropboxProvisioning (PowerShell's module machinery already warm)", warm));
            text.AppendLine(Row("for comparison: that whole process", bare));
            text.AppendLine();
            text.AppendLine("Import-Module loads the manifest, the loader (which installs the resolver and reads no dependency) and the cmdlet");
            text.AppendLine("assembly; the engine, the sandbox and their dependencies load in the module's own context at the first cmdlet that needs");
            text.AppendLine("them, so their cost (and the JIT of the first connection, the sandbox tenant's generation and its Test Connection) is in");
            text.AppendLine("the second row. The first Import-Module of a process also pays PowerShell's own one-time cost (its module");
            text.AppendLine("analysis code is compiled on first use): compare the first import of PSResourceGet, and this module's import once that is paid.");
            return text.ToString();
        }

        private static double Median(List<double> values)
        {
            var sorted = values.OrderBy(v => v).ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }

        private static (double Wall, string Output) Pwsh(string root, IEnumerable<string> arguments, string manifest)
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "pwsh", "-NoLogo", "-NoProfile", "-NonInteractive" }.Concat(arguments)) start.ArgumentList.Add(a);
            start.Environment["DBX_BENCH_MANIFEST"] = manifest;
            start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
            start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
            start.Environment.Remove("PSModulePath");
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start);
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            clock.Stop();
            if (process.ExitCode != 0) throw new InvalidOperationException("pwsh failed:\n" + stdout + stderr.Result);
            return (clock.Elapsed.TotalMilliseconds, stdout);
        }

        private static string FindRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "DropboxProvisioning.psd1"))) return dir.FullName;
            throw new InvalidOperationException("DropboxProvisioning.psd1 not found above " + AppContext.BaseDirectory);
        }
    }
}
