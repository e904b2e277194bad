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
        private readonly Storage.IStateStorage _storage;
        private readonly string _folder;
        private readonly int _maxCycles;

        /// <summary>The log in a local directory of its own.</summary>
        public ProvisioningLogStore(string directory, int maxCycles = DefaultMaxCycles)
            : this(new Storage.LocalDirectoryStorage(directory), "", maxCycles)
        {
        }

        /// <summary>The log in a folder of a job's storage (logs/).</summary>
        public ProvisioningLogStore(Storage.IStateStorage storage, string folder, int maxCycles = DefaultMaxCycles)
        {
            _storage = storage;
            _folder = folder;
            _maxCycles = maxCycles;
        }

        /// <summary>Opens the log of a cycle for writing (appending, if the cycle already wrote some).</summary>
        public CycleLogWriter OpenCycle(string cycleId, DateTimeOffset cycleStart) =>
            new CycleLogWriter(_storage, Storage.ItemNames.Join(_folder, cycleStart.UtcDateTime.ToString("yyyyMMddTHHmmssfff") + "_" + cycleId + ".jsonl"), Prune);

        /// <summary>The cycles' files, newest first (their names sort by start time).</summary>
        private List<string> Files() =>
            _storage.List(_folder, ".jsonl").OrderByDescending(Storage.ItemNames.Leaf, StringComparer.Ordinal).ToList();

        /// <summary>Records, newest cycle first and newest record first within a cycle.</summary>
        public IEnumerable<ProvisioningLogRecord> Read()
        {
            foreach (var name in Files())
            {
                // A running cycle may be writing its file: read it alongside the writer, as far as it has got.
                var file = _storage.PathOf(name);
                var lines = new List<string>();
                var stream = _storage.OpenRead(name, "Log", "provisioning log");
                if (stream == null) continue; // pruned since it was listed
                using (var reader = new StreamReader(stream, Encoding.UTF8))
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
            Files().Any(f => Path.GetFileNameWithoutExtension(Storage.ItemNames.Leaf(f)).EndsWith("_" + cycleId, StringComparison.OrdinalIgnoreCase));

        /// <summary>The cycles in the log, newest first: their ids and start times, from the files' names (nothing is read).</summary>
        public IEnumerable<(string CycleId, DateTimeOffset StartTime)> Cycles()
        {
            foreach (var name in Files().Select(f => Path.GetFileNameWithoutExtension(Storage.ItemNames.Leaf(f))))
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
            foreach (var old in Files().Skip(_maxCycles)) _storage.Delete(old, "removing an old provisioning log");
        }
    }
}
