using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using DropboxProvisioning.Sandbox.Faults;

namespace DropboxProvisioning.Engine.Tests.Faults
{
    /// <summary>
    /// Figures of the fault runs (faults injected per kind, duplicates, escaped exceptions), written as one line per
    /// scenario to $DBX_FAULT_REPORT when that is set, for reports.
    /// </summary>
    internal static class FaultReport
    {
        private static readonly object Gate = new object();

        public static void Record(string scenario, FaultCounters counters, int duplicates, int escaped)
        {
            var path = Environment.GetEnvironmentVariable("DBX_FAULT_REPORT");
            if (string.IsNullOrEmpty(path)) return;
            var line = $"{scenario}\t{counters}\tduplicates={duplicates}\tescaped={escaped}";
            lock (Gate) File.AppendAllText(path, line + Environment.NewLine);
        }
    }
}
