using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Runs a script in a child process (dbxhost: the module in a real PowerShell engine), optionally through a wrapper
    /// that changes what the process may do: as another user (setpriv), or with the state directory on its own small or
    /// read-only file system (unshare). Returns the lines the script wrote that start with "RESULT ".
    /// </summary>
    internal static class ChildHost
    {
        public static string HostDll() =>
            System.IO.Directory.GetFiles(Path.Combine(PowerShellSession.RepositoryRoot, "src", "DropboxProvisioning.Host", "bin"), "dbxhost.dll", SearchOption.AllDirectories)
                .OrderByDescending(File.GetLastWriteTimeUtc).First();

        /// <summary>True when this process runs as root (which reads any file: another user must be simulated).</summary>
        public static bool IsRoot => OperatingSystem.IsLinux() && File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:") && l.Split('\t', ' ').Where(p => p.Length > 0).ElementAt(1) == "0");

        public static bool Exists(string tool) =>
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, tool)));

        /// <summary>Runs <paramref name="command"/> (the first element the program) and returns its RESULT lines and exit code.</summary>
        public static (List<string> Results, string Output, int ExitCode) Run(IEnumerable<string> command, IDictionary<string, string> environment, TimeSpan timeout)
        {
            var parts = command.ToList();
            var start = new ProcessStartInfo(parts[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = PowerShellSession.RepositoryRoot };
            foreach (var part in parts.Skip(1)) start.ArgumentList.Add(part);
            foreach (var pair in environment) start.Environment[pair.Key] = pair.Value;
            using var process = Process.Start(start);
            var output = new System.Text.StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit((int)timeout.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("The child PowerShell did not finish: " + output);
            }
            process.WaitForExit();
            var text = output.ToString();
            var results = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("RESULT ", StringComparison.Ordinal)).Select(l => l.Substring(7)).ToList();
            return (results, text, process.ExitCode);
        }

        /// <summary>A script that runs each command and writes "RESULT OK cmd" or "RESULT ERR cmd id :: message".</summary>
        public static string Probe(string connect, params string[] commands) =>
            "$ErrorActionPreference = 'Stop'\n" + connect + " | Out-Null\n" +
            "foreach ($c in @(" + string.Join(",", commands.Select(c => "'" + c.Replace("'", "''") + "'")) + ")) {\n" +
            "  try { & ([scriptblock]::Create($c)) | Out-Null; \"RESULT OK $c\" } catch { \"RESULT ERR $c $($_.FullyQualifiedErrorId) :: $($_.Exception.Message)\" }\n" +
            "}\n";
    }
}
