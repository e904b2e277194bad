using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using DropboxProvisioning.Errors;
using DropboxProvisioning.State.Storage;
using Newtonsoft.Json;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// A job's state: state.json (what the engine manages and its status), configuration.json (mappings
    /// and settings), logs/ and pending-writes.jsonl, in a local directory or a blob container (<see cref="IStateStorage"/>).
    /// Every write is atomic; a file that cannot be read is reported with its path and never silently replaced.
    /// </summary>
    public sealed class StateStore
    {
        private static readonly JsonSerializerSettings Json = new JsonSerializerSettings
        {
            Formatting = Formatting.Indented,
            DateParseHandling = Serialization.JsonText.Dates,
            NullValueHandling = NullValueHandling.Ignore,
            ObjectCreationHandling = ObjectCreationHandling.Replace,
            Converters = { new Newtonsoft.Json.Converters.StringEnumConverter() },
        };

        private readonly Dropbox.DropboxApiKind _api;

        /// <param name="api">The API the job talks to: a job without a configuration file starts with that API's default mappings.</param>
        public StateStore(string directory, Dropbox.DropboxApiKind api = Dropbox.DropboxApiKind.Scim)
            : this(new LocalDirectoryStorage(directory), api)
        {
        }

        /// <param name="api">The API the job talks to: a job without a configuration file starts with that API's default mappings.</param>
        public StateStore(IStateStorage storage, Dropbox.DropboxApiKind api = Dropbox.DropboxApiKind.Scim)
        {
            Storage = storage ?? throw new ArgumentNullException(nameof(storage));
            _api = api;
        }

        /// <summary>Where the items live: the local directory or the blob container.</summary>
        public IStateStorage Storage { get; }

        /// <summary>The directory's path, or the container's URI: what messages and -WhatIf name.</summary>
        public string DirectoryPath => Storage.Location;
        public string StateFile => Storage.PathOf(ItemNames.State);
        public string ConfigurationFile => Storage.PathOf(ItemNames.Configuration);

        /// <summary>The log folder's path or URI, for messages; the log itself is read and written through <see cref="Logs"/>.</summary>
        public string LogDirectory => Storage.PathOf(ItemNames.Logs);

        /// <summary>The provisioning log (logs/).</summary>
        public ProvisioningLogStore Logs => new ProvisioningLogStore(Storage, ItemNames.Logs);

        /// <summary>The default place for a tenant's state: per user, outside the checkout.</summary>
        public static string DefaultPath(string jobName)
        {
            var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            if (string.IsNullOrEmpty(root)) root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            return Path.Combine(root, "DropboxProvisioning", jobName);
        }

        public void EnsureCreated() => Storage.EnsureCreated();

        public ProvisioningState LoadState()
        {
            var (state, keys) = ReadStrict<ProvisioningState>(Storage, ItemNames.State, "State", "state file", StartOverState);
            if (state == null) return new ProvisioningState();
            Check(StateValidation.Problem(state, keys), StateFile, "State", "state file", StartOverState);
            return state;
        }

        /// <summary>Saves the state; the pending-writes file then keeps only what the saved state does not settle.</summary>
        public void SaveState(ProvisioningState state)
        {
            Save(ItemNames.State, state);
            _pending?.Rewrite();
        }

        private PendingWrites _pending;
        private readonly object _pendingGate = new object();

        /// <summary>The creates sent or about to be sent whose outcome the state does not hold yet (pending-writes.jsonl).</summary>
        public PendingWrites PendingWrites
        {
            get
            {
                lock (_pendingGate) return _pending ?? (_pending = new PendingWrites(Storage));
            }
        }

        public ProvisioningConfiguration LoadConfiguration()
        {
            var (configuration, keys) = ReadStrict<ProvisioningConfiguration>(Storage, ItemNames.Configuration, "Configuration", "configuration file", StartOverConfiguration);
            if (configuration == null) return new ProvisioningConfiguration { Mappings = Mapping.DefaultMappings.Configuration(_api) };
            Check(StateValidation.Problem(configuration, keys), ConfigurationFile, "Configuration", "configuration file", StartOverConfiguration);
            return configuration;
        }

        public void SaveConfiguration(ProvisioningConfiguration configuration) => Save(ItemNames.Configuration, configuration);

        /// <summary>Reading is strict: unknown keys, nulls, duplicate keys and values of the wrong type are damage, never defaults.</summary>
        private static readonly JsonSerializerSettings Strict = new JsonSerializerSettings
        {
            ObjectCreationHandling = ObjectCreationHandling.Replace,
            MissingMemberHandling = MissingMemberHandling.Error,
            DateParseHandling = Serialization.JsonText.Dates,
            ContractResolver = new StrictContractResolver(),
            Converters = { new Newtonsoft.Json.Converters.StringEnumConverter { AllowIntegerValues = false } },
        };

        private const string StartOverState = "the engine then forgets which Dropbox accounts it manages";
        private const string StartOverConfiguration = "the job then runs on the default mappings and settings";

        internal static void Check((string Path, string Problem)? problem, string file, string family, string what, string startOver)
        {
            if (problem == null) return;
            throw Invalid(file, family, what, problem.Value.Path, problem.Value.Problem, null, startOver);
        }

        private static DbxException Invalid(string file, string family, string what, string jsonPath, string problem, Exception inner, string startOver) =>
            new DbxException(family + "Invalid", DbxErrorCategory.InvalidData,
                $"The {what} '{file}' is not valid at {jsonPath}: {problem} The engine did not use it and left it as it is.", inner, file)
            {
                RecommendedAction = $"Repair or restore '{file}' (the value at {jsonPath}); moving it away starts over ({startOver}).",
            };

        /// <summary>The file's content and the keys of its outermost object; (null, null) when there is no file.</summary>
        internal static (T Value, ISet<string> Keys) ReadStrict<T>(IStateStorage storage, string name, string family, string what, string startOver) where T : class
        {
            var path = storage.PathOf(name);
            var stream = storage.OpenRead(name, family, what);
            if (stream == null) return (null, null);
            try
            {
                using (stream)
                using (var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 65536))
                using (var json = new StrictJsonReader(reader))
                {
                    var value = JsonSerializer.Create(Strict).Deserialize<T>(json);
                    if (value == null) throw new JsonReaderException("the file is empty");
                    if (json.Read() && json.TokenType != JsonToken.Comment) throw new JsonReaderException($"unexpected content after the end at line {json.LineNumber}");
                    return (value, json.TopLevelKeys);
                }
            }
            catch (IOException e)
            {
                throw new DbxException(family + "Unreadable", DbxErrorCategory.ResourceUnavailable, $"The {what} '{path}' cannot be read: {e.Message}", e, path);
            }
            catch (JsonException e) when (e is JsonReaderException || e.Message.StartsWith("Unexpected end", StringComparison.Ordinal))
            {
                throw new DbxException(family + "Corrupt", DbxErrorCategory.InvalidData,
                    $"The {what} '{path}' is damaged ({e.Message}). It was left as it is: repair or restore it, or move it away to start over ({startOver}).", e, path);
            }
            catch (JsonException e)
            {
                throw Invalid(path, family, what, string.IsNullOrEmpty(PathOf(e)) ? "$" : "$." + PathOf(e), e.Message, e, startOver);
            }
            catch (System.Reflection.TargetInvocationException e) when (e.InnerException is JsonException inner)
            {
                throw Invalid(path, family, what, "$", inner.Message, inner, startOver); // from the state's own checks after reading
            }
            catch (Exception e) when (e is ArgumentException || e is InvalidCastException || e is FormatException || e is OverflowException || e is NullReferenceException)
            {
                throw Invalid(path, family, what, "$", e.Message, e, startOver);
            }
        }

        private static string PathOf(JsonException e) => e is JsonSerializationException s ? s.Path : e is JsonReaderException r ? r.Path : null;

        private void Save(string name, object value) =>
            Storage.Write(name, "saving " + name, stream =>
            {
                using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 65536, leaveOpen: true))
                {
                    JsonSerializer.Create(Json).Serialize(writer, value);
                }
            });
    }
}
