using System;
using System.Collections.Generic;
using Newtonsoft.Json;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// Streams a file's JSON to the serializer and refuses a key that appears twice in one object, also in another case
    /// (Newtonsoft would keep the last one silently, and it matches names case-insensitively). Remembers the keys of the
    /// outermost object, so a reader can tell a missing key from a default. Strings stay strings (no date parsing).
    /// </summary>
    internal sealed class StrictJsonReader : JsonReader, IJsonLineInfo
    {
        private readonly JsonTextReader _inner;
        private readonly Stack<HashSet<string>> _keys = new Stack<HashSet<string>>();
        private readonly Stack<HashSet<string>> _spare = new Stack<HashSet<string>>(); // a large state has three small objects per user: their sets are reused

        public StrictJsonReader(System.IO.TextReader text)
        {
            _inner = Serialization.JsonText.Reader(text);
            DateParseHandling = Serialization.JsonText.Dates;
        }

        /// <summary>The keys of the outermost object read so far.</summary>
        public HashSet<string> TopLevelKeys { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public override bool Read()
        {
            if (!_inner.Read())
            {
                SetToken(JsonToken.None);
                return false;
            }
            switch (_inner.TokenType)
            {
                case JsonToken.StartObject:
                    _keys.Push(_spare.Count > 0 ? _spare.Pop() : new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                    break;
                case JsonToken.EndObject:
                    var done = _keys.Pop();
                    if (done.Count <= 64) { done.Clear(); _spare.Push(done); } // a large one (the Users object) would cost its size to clear each time
                    break;
                case JsonToken.PropertyName:
                    var name = (string)_inner.Value;
                    if (!_keys.Peek().Add(name))
                        throw new JsonSerializationException($"The key '{name}' appears twice (or in two spellings that differ only in case) in one object at {_inner.Path}, line {_inner.LineNumber}; only one can be meant.");
                    if (_keys.Count == 1) TopLevelKeys.Add(name);
                    break;
            }
            SetToken(_inner.TokenType, _inner.Value);
            return true;
        }

        public override string Path => _inner.Path;

        public bool HasLineInfo() => true;
        public int LineNumber => _inner.LineNumber;
        public int LinePosition => _inner.LinePosition;

        public override void Close()
        {
            base.Close();
            _inner.Close();
        }
    }
}
