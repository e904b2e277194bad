using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using DropboxProvisioning.Sync;
using Newtonsoft.Json;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// Provisioning log records as JSON lines, one file per cycle, newest kept: a bounded number of
    /// files so the log never grows without bound.
    /// </summary>
    public sealed class ProvisioningLogStore
    {
        public const int DefaultMaxCycles = 200;
        private readonly string _directory;
        private readonly int _maxCycles;

        public ProvisioningLogStore(string directory, int maxCycles = DefaultMaxCycles)
        {
            _directory = directory;
            _maxCycles = maxCycles;
        }

        public void Append(string cycleId, DateTimeOffset cycleStart, IEnumerable<ProvisioningLogRecord> records)
        {
            System.IO.Directory.CreateDirectory(_directory);
            var path = Path.Combine(_directory, cycleStart.UtcDateTime.ToString("yyyyMMddTHHmmssfff") + "_" + cycleId + ".jsonl");
            // Streamed record by record: a large initial cycle logs one record per user.
            var serializer = JsonSerializer.CreateDefault();
            using (var enumerator = records.GetEnumerator())
            {
                if (!enumerator.MoveNext()) return;
                using (var writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 65536), new UTF8Encoding(false), 65536))
                {
                    do
                    {
                        serializer.Serialize(writer, enumerator.Current);
                        writer.Write('\n');
                    }
                    while (enumerator.MoveNext());
                }
            }
            OwnerOnly.Apply(path);
            Prune();
        }

        /// <summary>Records, newest cycle first and newest record first within a cycle.</summary>
        public IEnumerable<ProvisioningLogRecord> Read()
        {
            if (!System.IO.Directory.Exists(_directory)) yield break;
            foreach (var file in System.IO.Directory.GetFiles(_directory, "*.jsonl").OrderByDescending(f => Path.GetFileName(f), StringComparer.Ordinal))
            {
                var lines = File.ReadAllLines(file);
                for (var i = lines.Length - 1; i >= 0; i--)
                {
                    if (lines[i].Length == 0) continue;
                    ProvisioningLogRecord record = null;
                    try { record = JsonConvert.DeserializeObject<ProvisioningLogRecord>(lines[i]); }
                    catch (JsonException) { } // a line cut short by a crash is skipped, the rest stays readable
                    if (record != null) yield return record;
                }
            }
        }

        private void Prune()
        {
            var files = System.IO.Directory.GetFiles(_directory, "*.jsonl").OrderByDescending(f => Path.GetFileName(f), StringComparer.Ordinal).ToList();
            foreach (var old in files.Skip(_maxCycles)) File.Delete(old);
        }
    }
}
