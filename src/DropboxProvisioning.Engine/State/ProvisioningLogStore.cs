using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
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

        /// <summary>Records are read as written: an unknown key or an unknown action or status is damage.</summary>
        private static readonly JsonSerializerSettings Strict = new JsonSerializerSettings
        {
            MissingMemberHandling = MissingMemberHandling.Error,
            DateParseHandling = Serialization.JsonText.Dates,
            Converters = { new Newtonsoft.Json.Converters.StringEnumConverter { AllowIntegerValues = false } },
        };
        private readonly string _directory;
        private readonly int _maxCycles;

        public ProvisioningLogStore(string directory, int maxCycles = DefaultMaxCycles)
        {
            _directory = directory;
            _maxCycles = maxCycles;
        }

        /// <summary>Opens the log of a cycle for writing (appending, if the cycle already wrote some).</summary>
        public CycleLogWriter OpenCycle(string cycleId, DateTimeOffset cycleStart) =>
            new CycleLogWriter(Path.Combine(_directory, cycleStart.UtcDateTime.ToString("yyyyMMddTHHmmssfff") + "_" + cycleId + ".jsonl"), Prune);

        /// <summary>Records, newest cycle first and newest record first within a cycle.</summary>
        public IEnumerable<ProvisioningLogRecord> Read()
        {
            if (!System.IO.Directory.Exists(_directory)) yield break;
            foreach (var file in System.IO.Directory.GetFiles(_directory, "*.jsonl").OrderByDescending(f => Path.GetFileName(f), StringComparer.Ordinal))
            {
                // A running cycle may be writing its file: read it alongside the writer, as far as it has got.
                var lines = new List<string>();
                using (var reader = new StreamReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete), Encoding.UTF8))
                    for (var line = reader.ReadLine(); line != null; line = reader.ReadLine()) lines.Add(line);
                var last = lines.FindLastIndex(l => l.Length > 0);
                for (var i = lines.Count - 1; i >= 0; i--)
                {
                    if (lines[i].Length == 0) continue;
                    ProvisioningLogRecord record = null;
                    try { record = JsonSerializer.Create(Strict).Deserialize<ProvisioningLogRecord>(Serialization.JsonText.Reader(new StringReader(lines[i]))); }
                    catch (JsonException e) when (i == last) { _ = e; } // the last line cut short by a crash (or still being written) is skipped
                    catch (JsonException e)
                    {
                        // Any other line was written whole: one of another shape is damage, not something to pass over.
                        throw new Errors.DbxException("LogInvalid", Errors.DbxErrorCategory.InvalidData,
                            $"The provisioning log '{file}' is not valid at line {i + 1}: {e.Message} It was left as it is.", e, file)
                        {
                            RecommendedAction = $"Repair line {i + 1} of '{file}', or move the file away (its cycle's records are then no longer shown).",
                        };
                    }
                    if (record != null) yield return record;
                }
            }
        }

        /// <summary>True when a cycle with this id has a log file (cycles that changed nothing may have none).</summary>
        public bool HasCycle(string cycleId) =>
            System.IO.Directory.Exists(_directory) && System.IO.Directory.EnumerateFiles(_directory, "*.jsonl")
                .Any(f => Path.GetFileNameWithoutExtension(f).EndsWith("_" + cycleId, StringComparison.OrdinalIgnoreCase));

        /// <summary>The cycles in the log, newest first: their ids and start times, from the files' names (nothing is read).</summary>
        public IEnumerable<(string CycleId, DateTimeOffset StartTime)> Cycles()
        {
            if (!System.IO.Directory.Exists(_directory)) yield break;
            foreach (var name in System.IO.Directory.GetFiles(_directory, "*.jsonl").Select(Path.GetFileNameWithoutExtension).OrderByDescending(n => n, StringComparer.Ordinal))
            {
                var separator = name.IndexOf('_');
                if (separator <= 0 || !DateTime.TryParseExact(name.Substring(0, separator), "yyyyMMddTHHmmssfff", System.Globalization.CultureInfo.InvariantCulture,
                        System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var start))
                    continue;
                yield return (name.Substring(separator + 1), new DateTimeOffset(start, TimeSpan.Zero));
            }
        }

        private void Prune()
        {
            var files = System.IO.Directory.GetFiles(_directory, "*.jsonl").OrderByDescending(f => Path.GetFileName(f), StringComparer.Ordinal).ToList();
            foreach (var old in files.Skip(_maxCycles)) File.Delete(old);
        }
    }
}
