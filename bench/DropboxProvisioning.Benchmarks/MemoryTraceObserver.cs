using System;
using System.Diagnostics;
using DropboxProvisioning.Sync;

namespace DropboxProvisioning.Benchmarks
{
    /// <summary>
    /// With DBX_BENCH_MEMTRACE=1, a child prints the managed heap and the working set at every progress or verbose
    /// message of the cycle (to stderr), to see which phase of a cycle holds the memory.
    /// </summary>
    public sealed class MemoryTraceObserver : ICycleObserver
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private string _last;
        /// <summary>DBX_BENCH_MEMTRACE=2: collect first, so the heap figure is what is live (slow; not for timing).</summary>
        private bool _live;
        private readonly System.Collections.Generic.HashSet<string> _dumped = new System.Collections.Generic.HashSet<string>();

        public static ICycleObserver FromEnvironment() =>
            Environment.GetEnvironmentVariable("DBX_BENCH_MEMTRACE") is "1" or "2" ? new MemoryTraceObserver { _live = Environment.GetEnvironmentVariable("DBX_BENCH_MEMTRACE") == "2" } : (ICycleObserver)NullCycleObserver.Instance;

        public void Progress(string activity, string status, int percentComplete) => Sample(activity + ": " + status);
        public void Verbose(string message) => Sample(message);
        public void Warning(string message) => Sample("WARNING " + message);

        /// <summary>The assemblies loaded so far (count and the Azure SDK's among them): what a cycle pulls in besides its heap.</summary>
        public void Assemblies()
        {
            var loaded = AppDomain.CurrentDomain.GetAssemblies();
            var azure = Array.FindAll(loaded, a => a.GetName().Name.StartsWith("Azure", StringComparison.Ordinal));
            Console.Error.WriteLine($"MEM {loaded.Length} assemblies loaded; Azure SDK: {(azure.Length == 0 ? "none" : string.Join(", ", Array.ConvertAll(azure, a => a.GetName().Name)))}");
        }

        private static bool EveryTwentieth(string what)
        {
            var parts = what.Substring(what.IndexOf(':') + 1).Trim().Split(' ');
            if (parts.Length < 3 || !int.TryParse(parts[0], out var done) || !int.TryParse(parts[2], out var total) || total < 40) return true;
            var step = Math.Max(25, total / 20 / 25 * 25);
            return done % step == 0 || done == total;
        }

        public void Sample(string what)
        {
            what = what.Length > 90 ? what.Substring(0, 90) : what;
            if (what == _last) return;
            _last = what;
            if (_live && what.StartsWith("Provisioning to Dropbox", StringComparison.Ordinal) && !what.Contains(" 25 of")) return;
            // Progress comes every 25 changes: a line every 5% of them is enough to see the run phase grow.
            if (!_live && what.StartsWith("Provisioning to Dropbox", StringComparison.Ordinal) && !EveryTwentieth(what)) return;
            var live = _live ? $" live {GC.GetTotalMemory(true) / 1048576,5} MB" : "";
            using var self = Process.GetCurrentProcess();
            var dumpAt = Environment.GetEnvironmentVariable("DBX_BENCH_DUMP_AT");
            var at = string.IsNullOrEmpty(dumpAt) ? null : Array.Find(dumpAt.Split('|'), p => what.StartsWith(p, StringComparison.Ordinal));
            if (at != null && _dumped.Add(at))
            {
                // A heap dump at a phase (DBX_BENCH_DUMP_AT=prefix|prefix), for ClrMD: the runtime's own createdump, pointed at this process.
                var createdump = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(typeof(object).Assembly.Location), "createdump");
                using var dump = Process.Start(createdump, $"--withheap -f /tmp/dbx-bench-{self.Id}-{_dumped.Count}.dmp {self.Id}");
                dump.WaitForExit();
                Console.Error.WriteLine($"MEM dump written to /tmp/dbx-bench-{self.Id}-{_dumped.Count}.dmp at '{what}'");
            }
            Console.Error.WriteLine($"MEM {_clock.Elapsed.TotalSeconds,7:N1}s heap {GC.GetTotalMemory(false) / 1048576,5} MB{live} ws {self.WorkingSet64 / 1048576,5} MB peak {self.PeakWorkingSet64 / 1048576,5} MB gc2 {GC.CollectionCount(2)} frag {GC.GetGCMemoryInfo().FragmentedBytes / 1048576} MB committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576} MB | {what}");
        }
    }
}
