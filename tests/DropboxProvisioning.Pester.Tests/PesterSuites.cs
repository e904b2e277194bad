using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace DropboxProvisioning.Pester.Tests
{
    /// <summary>
    /// The Pester suites of tests/Pester under the pinned pwsh: discovered once (one pwsh process), then each suite file run
    /// once in its own pwsh process, one at a time (the other test assemblies run beside it on a 2-core machine), its results shared by the xunit tests that stand for its tests.
    /// </summary>
    public static class PesterSuites
    {
        private static readonly TimeSpan FileTimeout = TimeSpan.FromMinutes(10);
        private static readonly SemaphoreSlim Slots = new SemaphoreSlim(1);
        private static readonly ConcurrentDictionary<string, Lazy<Task<SuiteRun>>> Runs = new ConcurrentDictionary<string, Lazy<Task<SuiteRun>>>();
        private static readonly Lazy<SuiteRun> Discovery = new Lazy<SuiteRun>(Discover);

        public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");
        public static string PesterModule { get; } = Metadata("PesterModule");
        public static string SuiteFolder => Path.Combine(RepositoryRoot, "tests", "Pester");

        /// <summary>The suite files, by name.</summary>
        public static IReadOnlyList<string> Files =>
            Directory.GetFiles(SuiteFolder, "*.Tests.ps1").Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal).ToList();

        /// <summary>Every test as Pester discovered it, in the order of its file.</summary>
        public static IReadOnlyList<PesterTest> DiscoveredTests => Discovery.Value.Tests;

        /// <summary>A suite file's run (started once; every file is queued at the first call).</summary>
        public static SuiteRun Run(string file)
        {
            foreach (var each in Files) Start(each);
            return Start(file).Value.GetAwaiter().GetResult();
        }

        private static Lazy<Task<SuiteRun>> Start(string file)
        {
            var run = Runs.GetOrAdd(file, f => new Lazy<Task<SuiteRun>>(() => Task.Run(async () =>
            {
                await Slots.WaitAsync().ConfigureAwait(false);
                try { return Invoke(new[] { Path.Combine(SuiteFolder, f) }, discover: false); }
                finally { Slots.Release(); }
            })));
            _ = run.Value;
            return run;
        }

        private static SuiteRun Discover() => Invoke(Files.Select(f => Path.Combine(SuiteFolder, f)).ToArray(), discover: true);

        private static SuiteRun Invoke(string[] paths, bool discover)
        {
            var resultFile = Path.Combine(Path.GetTempPath(), "dbx-pester-" + Guid.NewGuid().ToString("N") + ".json");
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = RepositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "pwsh", "-NoLogo", "-NoProfile", "-NonInteractive", "-File", Path.Combine(SuiteFolder, "Invoke-PesterSuite.ps1"), "-PesterModule", PesterModule, "-ResultFile", resultFile })
                start.ArgumentList.Add(argument);
            if (discover) start.ArgumentList.Add("-Discover");
            start.ArgumentList.Add("-Path");
            start.ArgumentList.Add(string.Join(",", paths));
            start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
            start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
            start.Environment["NO_COLOR"] = "1";

            var output = new StringBuilder();
            using var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            var watch = Stopwatch.StartNew();
            process.Start();
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit((int)FileTimeout.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"pwsh did not finish {string.Join(", ", paths.Select(Path.GetFileName))} in {FileTimeout}:\n{output}");
            }
            process.WaitForExit();
            try
            {
                if (!File.Exists(resultFile))
                    throw new InvalidOperationException($"pwsh exited with {process.ExitCode} and wrote no results:\n{output}");
                using var json = JsonDocument.Parse(File.ReadAllText(resultFile));
                var tests = Array(json.RootElement, "Tests").Select(t => new PesterTest(
                    t.GetProperty("File").GetString(), t.GetProperty("Path").GetString(), t.GetProperty("Result").GetString(),
                    t.GetProperty("Skip").GetBoolean(), t.GetProperty("Message").GetString())).ToList();
                var seen = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var i = 0; i < tests.Count; i++)
                {
                    var key = tests[i].File + " > " + tests[i].Path;
                    seen[key] = seen.TryGetValue(key, out var n) ? n + 1 : 1;
                    tests[i] = tests[i] with { Key = seen[key] == 1 ? key : key + " #" + seen[key] };
                }
                var containers = Array(json.RootElement, "Containers").Select(c => new PesterContainer(
                    c.GetProperty("File").GetString(), c.GetProperty("Result").GetString(), c.GetProperty("Message").GetString())).ToList();
                return new SuiteRun(tests, containers, output.ToString(), watch.Elapsed);
            }
            finally
            {
                File.Delete(resultFile);
            }
        }

        // ConvertTo-Json writes a one-element array as the element itself only when not wrapped; @() keeps arrays, but be lenient.
        private static IEnumerable<JsonElement> Array(JsonElement root, string name)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return System.Array.Empty<JsonElement>();
            return value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : new List<JsonElement> { value };
        }

        private static string Metadata(string key) =>
            typeof(PesterSuites).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value;
    }

    public sealed record PesterTest(string File, string Path, string Result, bool Skip, string Message)
    {
        /// <summary>The name of the xunit test: file and Pester path, numbered when a path repeats in its file.</summary>
        public string Key { get; init; }
    }

    public sealed record PesterContainer(string File, string Result, string Message);

    public sealed record SuiteRun(IReadOnlyList<PesterTest> Tests, IReadOnlyList<PesterContainer> Containers, string Output, TimeSpan Duration);
}
