using System;
using System.IO;
using System.Text;
using DropboxProvisioning.Errors;
using Newtonsoft.Json;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// A job's directory: state.json (what the engine manages and its status), configuration.json (mappings
    /// and settings) and logs/. Every write is atomic; a file that cannot be read is reported with its path
    /// and never silently replaced.
    /// </summary>
    public sealed class StateStore
    {
        private static readonly JsonSerializerSettings Json = new JsonSerializerSettings
        {
            Formatting = Formatting.Indented,
            NullValueHandling = NullValueHandling.Ignore,
            ObjectCreationHandling = ObjectCreationHandling.Replace,
            Converters = { new Newtonsoft.Json.Converters.StringEnumConverter() },
        };

        private readonly Dropbox.DropboxApiKind _api;

        /// <param name="api">The API the job talks to: a job without a configuration file starts with that API's default mappings.</param>
        public StateStore(string directory, Dropbox.DropboxApiKind api = Dropbox.DropboxApiKind.Scim)
        {
            if (string.IsNullOrWhiteSpace(directory))
                throw new DbxException("InvalidStatePath", DbxErrorCategory.InvalidArgument, "The state path is empty.");
            DirectoryPath = Path.GetFullPath(directory);
            _api = api;
        }

        public string DirectoryPath { get; }
        public string StateFile => Path.Combine(DirectoryPath, "state.json");
        public string ConfigurationFile => Path.Combine(DirectoryPath, "configuration.json");
        public string LogDirectory => Path.Combine(DirectoryPath, "logs");

        /// <summary>The default place for a tenant's state: per user, outside the checkout.</summary>
        public static string DefaultPath(string jobName)
        {
            var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            if (string.IsNullOrEmpty(root)) root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            return Path.Combine(root, "DropboxProvisioning", jobName);
        }

        public void EnsureCreated()
        {
            if (System.IO.Directory.Exists(DirectoryPath)) return;
            System.IO.Directory.CreateDirectory(DirectoryPath);
            OwnerOnly.Apply(DirectoryPath, directory: true);
        }

        public ProvisioningState LoadState() => Load<ProvisioningState>(StateFile) ?? new ProvisioningState();

        public void SaveState(ProvisioningState state) => Save(StateFile, state);

        public ProvisioningConfiguration LoadConfiguration() =>
            Load<ProvisioningConfiguration>(ConfigurationFile) ?? new ProvisioningConfiguration { Mappings = Mapping.DefaultMappings.Configuration(_api) };

        public void SaveConfiguration(ProvisioningConfiguration configuration) => Save(ConfigurationFile, configuration);

        private T Load<T>(string path) where T : class
        {
            if (!File.Exists(path)) return null;
            try
            {
                using (var reader = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 65536))
                using (var json = new JsonTextReader(reader))
                {
                    var value = JsonSerializer.Create(Json).Deserialize<T>(json);
                    if (value == null) throw new JsonSerializationException("the file is empty");
                    if (json.Read() && json.TokenType != JsonToken.Comment) throw new JsonSerializationException($"unexpected content after the end at line {json.LineNumber}");
                    return value;
                }
            }
            catch (IOException e)
            {
                throw new DbxException("StateUnreadable", DbxErrorCategory.ResourceUnavailable, $"The state file '{path}' cannot be read: {e.Message}", e, path);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new DbxException("StateUnreadable", DbxErrorCategory.PermissionDenied, $"The state file '{path}' cannot be read: {e.Message}", e, path);
            }
            catch (JsonException e)
            {
                throw new DbxException("StateCorrupt", DbxErrorCategory.InvalidData,
                    $"The state file '{path}' is damaged ({e.Message}). It was left as it is: repair or restore it, or move it away to start over (the engine then forgets which Dropbox accounts it manages).", e, path);
            }
        }

        private void Save(string path, object value)
        {
            EnsureCreated();
            AtomicFile.Write(path, stream =>
            {
                using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 65536, leaveOpen: true))
                {
                    JsonSerializer.Create(Json).Serialize(writer, value);
                }
            });
        }
    }
}
