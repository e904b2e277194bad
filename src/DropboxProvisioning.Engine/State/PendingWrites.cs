using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using DropboxProvisioning.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// pending-writes.jsonl: the creates sent (or about to be) whose outcome state.json does not hold yet. Each is appended
    /// and flushed to disk before its request leaves, one append for a whole window of creates (not a save of the state per
    /// create); the file is rewritten to what is still unsettled after each save of the state, and removed when nothing is.
    /// A create whose answer was lost, or whose process died before the state was saved, is found again from here by the
    /// values it sent (<see cref="Sync.PendingWriteReconciler"/>): it never becomes a second account or an unmanaged one.
    /// </summary>
    public sealed class PendingWrites
    {
        public const string FileName = Storage.ItemNames.PendingWrites;
        private readonly object _gate = new object();
        private readonly Dictionary<(string, string), PendingWrite> _open = new Dictionary<(string, string), PendingWrite>();
        private bool _loaded;
        private bool _settledSinceRewrite;

        private readonly Storage.IStateStorage _storage;

        public PendingWrites(Storage.IStateStorage storage)
        {
            _storage = storage;
            FilePath = storage.PathOf(FileName);
        }

        public string FilePath { get; }

        /// <summary>What the file holds now (another process may have run a cycle since): the writes still unsettled.</summary>
        public IReadOnlyList<PendingWrite> Reload()
        {
            var read = Read();
            lock (_gate)
            {
                _open.Clear();
                foreach (var write in read) _open[write.Key] = write;
                _loaded = true;
                _settledSinceRewrite = false;
                return _open.Values.ToList();
            }
        }

        /// <summary>Appends the writes and flushes them to disk: when this returns, their requests may leave.</summary>
        public void Record(IReadOnlyCollection<PendingWrite> writes)
        {
            if (writes.Count == 0) return;
            lock (_gate)
            {
                if (!_loaded) { foreach (var write in Read()) _open[write.Key] = write; _loaded = true; }
                var text = new StringBuilder();
                foreach (var write in writes) text.Append(Line(write)).Append('\n');
                var bytes = new UTF8Encoding(false).GetBytes(text.ToString());
                _storage.Append(FileName, "recording the creates about to be sent", bytes);
                foreach (var write in writes) _open[write.Key] = write;
            }
        }

        /// <summary>The write's outcome is in the state (or it never reached Dropbox): it goes from the file with the next save.</summary>
        public void Settle(string kind, string sourceId)
        {
            lock (_gate)
                if (_open.Remove((kind, sourceId.ToLowerInvariant()))) _settledSinceRewrite = true;
        }

        /// <summary>The write recorded for this object, if any.</summary>
        public PendingWrite Find(string kind, string sourceId)
        {
            lock (_gate) return _open.TryGetValue((kind, sourceId.ToLowerInvariant()), out var write) ? write : null;
        }

        /// <summary>After the state is saved: the file keeps only the writes still unsettled (none: no file).</summary>
        internal void Rewrite()
        {
            lock (_gate)
            {
                if (!_settledSinceRewrite) return;
                if (_open.Count == 0) _storage.Delete(FileName, "saving " + FileName);
                else
                {
                    var bytes = new UTF8Encoding(false).GetBytes(string.Concat(_open.Values.Select(w => Line(w) + "\n")));
                    _storage.Write(FileName, "saving " + FileName, stream => stream.Write(bytes, 0, bytes.Length));
                }
                _settledSinceRewrite = false;
            }
        }

        // Written straight to text, as a JObject of the same properties would print it, without building one per create.
        private static string Line(PendingWrite write)
        {
            using (var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture))
            {
                using (var json = new JsonTextWriter(text) { Formatting = Formatting.None, CloseOutput = false })
                {
                    json.WriteStartObject();
                    json.WritePropertyName("Kind"); json.WriteValue(write.Kind);
                    json.WritePropertyName("SourceId"); json.WriteValue(write.SourceId);
                    json.WritePropertyName("At"); json.WriteValue(write.At.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
                    json.WritePropertyName("Values");
                    json.WriteStartObject();
                    foreach (var pair in write.Values)
                    {
                        if (pair.Value == null) continue; // names are unique already (AttributeValues)
                        json.WritePropertyName(pair.Key);
                        json.WriteValue(pair.Value);
                    }
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
                return text.ToString();
            }
        }

        /// <summary>
        /// Every line, read strictly. Only a last line without its newline may be cut short (a process killed while appending,
        /// before its request left): it is ignored. Anything else off stops with StateInvalid, naming the file and the line.
        /// </summary>
        private List<PendingWrite> Read()
        {
            string text;
            var stream = _storage.OpenRead(FileName, "State", "pending-writes file");
            if (stream == null) return new List<PendingWrite>();
            try
            {
                using (stream)
                using (var reader = new StreamReader(stream, new UTF8Encoding(false)))
                    text = reader.ReadToEnd();
            }
            catch (IOException e)
            {
                throw new DbxException("StateUnreadable", DbxErrorCategory.ResourceUnavailable, $"The pending-writes file '{FilePath}' cannot be read: {e.Message}", e, FilePath);
            }
            var lines = text.Split('\n');
            var result = new List<PendingWrite>();
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length == 0) continue;
                var torn = i == lines.Length - 1; // no newline after it: the append did not finish
                var write = Parse(lines[i], out var problem);
                if (write != null) { result.Add(write); continue; }
                if (torn) continue;
                throw new DbxException("StateInvalid", DbxErrorCategory.InvalidData,
                    $"The pending-writes file '{FilePath}' is not valid at line {i + 1}: {problem} The engine did not use it and left it as it is.", null, FilePath)
                {
                    RecommendedAction = $"Repair or restore '{FilePath}' (line {i + 1}); moving it away forgets the creates whose answers were lost, which may leave unmanaged accounts in Dropbox.",
                };
            }
            return result;
        }

        private static PendingWrite Parse(string line, out string problem)
        {
            problem = null;
            JObject json;
            try
            {
                using (var reader = Serialization.JsonText.Reader(new StringReader(line)))
                    json = JObject.Load(reader);
            }
            catch (JsonException e) { problem = e.Message; return null; }
            var known = new[] { "Kind", "SourceId", "At", "Values" };
            var unknown = json.Properties().Select(p => p.Name).FirstOrDefault(n => !known.Contains(n));
            if (unknown != null) { problem = $"unknown key '{unknown}'."; return null; }
            var kind = json["Kind"]?.Type == JTokenType.String ? (string)json["Kind"] : null;
            if (kind != PendingWrite.Users && kind != PendingWrite.Groups) { problem = "Kind must be \"Users\" or \"Groups\"."; return null; }
            var sourceId = json["SourceId"]?.Type == JTokenType.String ? (string)json["SourceId"] : null;
            if (string.IsNullOrEmpty(sourceId)) { problem = "SourceId must be a non-empty string."; return null; }
            if (json["At"]?.Type != JTokenType.String || !DateTimeOffset.TryParse((string)json["At"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at))
            { problem = "At must be a date and time."; return null; }
            if (!(json["Values"] is JObject values) || values.Properties().Any(p => p.Value.Type != JTokenType.String)) { problem = "Values must be an object of strings."; return null; }
            var write = new PendingWrite { Kind = kind, SourceId = sourceId, At = at };
            foreach (var pair in values.Properties()) write.Values[pair.Name] = (string)pair.Value;
            return write;
        }
    }
}
