using System;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// The readable JSON form of a configuration (mappings, scoping filters, settings) that can live in git
    /// and be applied to another tenant. Reading is strict: an unknown property is a mistake, not a default.
    /// </summary>
    public static class ConfigurationFile
    {
        private static readonly JsonSerializerSettings Write = new JsonSerializerSettings
        {
            Formatting = Formatting.Indented,
            NullValueHandling = NullValueHandling.Ignore,
            Converters = { new Newtonsoft.Json.Converters.StringEnumConverter() },
            ContractResolver = new CamelCasePropertyNamesContractResolver(),
        };

        private static readonly JsonSerializerSettings Read = new JsonSerializerSettings
        {
            MissingMemberHandling = MissingMemberHandling.Error,
            ObjectCreationHandling = ObjectCreationHandling.Replace,
            DateParseHandling = Serialization.JsonText.Dates,
            Converters = { new Newtonsoft.Json.Converters.StringEnumConverter { AllowIntegerValues = false } },
            ContractResolver = new StrictContractResolver(new CamelCaseNamingStrategy { ProcessDictionaryKeys = true, OverrideSpecifiedNames = true }),
        };

        public static string ToJson(ProvisioningConfiguration configuration) => JsonConvert.SerializeObject(configuration, Write);

        /// <summary>
        /// A short hash of the configuration, to notice that it changed between cycles. The deadline (MaxCycleDuration) and
        /// the drift repair's interval (FullReconciliationInterval) are left out: they decide when a cycle stops or reads
        /// Dropbox in full, not what it provisions, so changing them neither restarts as an initial cycle nor drops the work
        /// a stopped cycle left. The team folder table too: every cycle compares it with what was granted, so a change needs
        /// no initial cycle.
        /// </summary>
        public static string Fingerprint(ProvisioningConfiguration configuration)
        {
            if (configuration?.Settings?.MaxCycleDuration != null || configuration?.Settings?.FullReconciliationInterval != null
                || configuration?.TeamFolderAccess?.Count > 0)
            {
                configuration = configuration.Clone();
                configuration.Settings.MaxCycleDuration = null;
                configuration.Settings.FullReconciliationInterval = null;
                configuration.TeamFolderAccess.Clear();
            }
            using (var sha = System.Security.Cryptography.SHA256.Create())
            {
                var hash = sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(ToJson(configuration)));
                return BitConverter.ToString(hash, 0, 12).Replace("-", "");
            }
        }

        /// <summary>Parses and validates the whole file; throws a DbxException naming the file, the JSON path and the problem.</summary>
        public static ProvisioningConfiguration FromJson(string json, string sourceName)
        {
            ProvisioningConfiguration configuration;
            System.Collections.Generic.ISet<string> keys;
            try
            {
                using (var reader = new StrictJsonReader(new System.IO.StringReader(json ?? "")))
                {
                    configuration = JsonSerializer.Create(Read).Deserialize<ProvisioningConfiguration>(reader);
                    if (configuration != null && reader.Read() && reader.TokenType != JsonToken.Comment)
                        throw new JsonReaderException($"unexpected content after the end at line {reader.LineNumber}");
                    keys = reader.TopLevelKeys;
                }
            }
            catch (JsonException e)
            {
                var at = e is JsonSerializationException s && !string.IsNullOrEmpty(s.Path) ? s.Path : e is JsonReaderException r && !string.IsNullOrEmpty(r.Path) ? r.Path : null;
                throw new DbxException("InvalidConfigurationFile", DbxErrorCategory.InvalidData,
                    $"'{sourceName}' is not a DropboxProvisioning configuration{(at == null ? "" : " (at $." + at + ")")}: {JsonProblem.Describe(e)}.", e, sourceName);
            }
            if (configuration == null)
                throw new DbxException("InvalidConfigurationFile", DbxErrorCategory.InvalidData, $"'{sourceName}' is empty.", target: sourceName);
            foreach (var key in new[] { "version", "mappings", "settings" })
                if (!keys.Contains(key))
                    throw new DbxException("InvalidConfigurationFile", DbxErrorCategory.InvalidData, $"'{sourceName}' has no '{key}' (at $.{key}): Export-DbxProvisioningConfiguration always writes it.", target: sourceName);
            if (configuration.Version != 1)
                throw new DbxException("UnsupportedConfigurationVersion", DbxErrorCategory.InvalidData, $"'{sourceName}' has configuration version {configuration.Version}; this module reads version 1.", target: sourceName);
            try
            {
                ConfigurationEditor.Validate(configuration);
            }
            catch (DbxException e)
            {
                var at = StateValidation.SettingPath(e.Condition, "$.settings.", n => char.ToLowerInvariant(n[0]) + n.Substring(1));
                throw new DbxException(e.Condition, e.Category, $"'{sourceName}' was not applied{(at == null ? "" : " (at " + at + ")")}: {e.Message}", e, sourceName);
            }
            return configuration;
        }

        /// <summary>Checks a file's configuration against the target attributes of the API it is to be applied to, naming the file in the error.</summary>
        public static void ValidateFor(ProvisioningConfiguration configuration, Dropbox.DropboxApiKind api, string sourceName)
        {
            try
            {
                ConfigurationEditor.Validate(configuration, api);
            }
            catch (DbxException e)
            {
                throw new DbxException(e.Condition, e.Category, $"'{sourceName}' was not applied: {e.Message}", e, sourceName);
            }
        }
    }
}
