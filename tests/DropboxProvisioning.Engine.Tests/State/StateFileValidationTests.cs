using System;
using System.IO;
using System.Linq;
using DropboxProvisioning.Errors;
using DropboxProvisioning.State;
using DropboxProvisioning.State.Storage;
using DropboxProvisioning.Sync;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.State
{
    /// <summary>
    /// Hand-edited or damaged state and configuration files stop with StateInvalid / ConfigurationInvalid, naming the file
    /// and the JSON path of what is wrong, and are left exactly as they were; strings that look like dates stay strings.
    /// </summary>
    public sealed class StateFileValidationTests : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "dbx-strict-" + Guid.NewGuid().ToString("N"));

        public StateFileValidationTests() => System.IO.Directory.CreateDirectory(_directory);

        public void Dispose()
        {
            if (System.IO.Directory.Exists(_directory)) System.IO.Directory.Delete(_directory, true);
        }

        [Theory]
        [InlineData(@"{ ""Version"": 1, ""Users"": null }", "Users")]
        [InlineData(@"{ ""Version"": 1, ""Userz"": {} }", "Userz")]
        [InlineData(@"{}", "$.Version")]
        [InlineData(@"{ ""Version"": 1 }", "$.Users")]
        [InlineData(@"{ ""Version"": 99, ""Users"": {} }", "$.Version")]
        [InlineData(@"{ ""Version"": 1, ""Users"": {}, ""Status"": ""Sideways"" }", "Status")]
        [InlineData(@"{ ""Version"": 1, ""Users"": {}, ""Status"": 7 }", "Status")]
        [InlineData(@"{ ""Version"": 1, ""Version"": 1, ""Users"": {} }", "Version")]
        [InlineData(@"{ ""Version"": 1, ""Users"": { ""u1"": { ""TargetId"": ""a"" }, ""U1"": { ""TargetId"": ""b"" } } }", "U1")]
        [InlineData(@"{ ""Version"": 1, ""Users"": { ""u1"": {} } }", "$.Users['u1'].TargetId")]
        [InlineData(@"{ ""Version"": 1, ""Users"": { ""u1"": null } }", "u1")]
        [InlineData(@"{ ""Version"": 1, ""Users"": ""everyone"" }", "Users")]
        [InlineData(@"{ ""Version"": 1, ""Users"": {}, ""EntitledUsers"": [ null ] }", "$.EntitledUsers")]
        [InlineData(@"{ ""Version"": 1, ""Users"": {}, ""UsersDeltaLink"": ""not a url"" }", "$.UsersDeltaLink")]
        [InlineData(@"{ ""Version"": 1, ""Users"": {}, ""History"": [ null ] }", "History")]
        [InlineData(@"{ ""Version"": 1, ""Users"": {}, ""Escrows"": { ""x"": null } }", "Escrows")]
        [InlineData(@"{ ""Version"": 1, ""Users"": {}, ""StagedDeletions"": [ { ""SourceId"": ""x"", ""Action"": ""Explode"" } ] }", "$.StagedDeletions[0].Action")]
        [InlineData(@"{ ""Version"": 1, ""Users"": { ""u1"": { ""TargetId"": ""a"", ""Exported"": { ""userName"": ""a"", ""USERNAME"": ""b"" } } } }", "USERNAME")]
        public void A_state_file_of_another_shape_is_refused_with_its_path_and_left_as_it_is(string text, string jsonPath)
        {
            var path = Path.Combine(_directory, "state.json");
            File.WriteAllText(path, text);
            var e = Assert.Throws<DbxException>(() => new StateStore(_directory).LoadState());
            Assert.Equal("StateInvalid", e.Condition);
            Assert.Equal(DbxErrorCategory.InvalidData, e.Category);
            Assert.Contains(path, e.Message);
            Assert.Contains(jsonPath, e.Message);
            Assert.NotNull(e.RecommendedAction);
            Assert.Equal(text, File.ReadAllText(path));
        }

        private string ConfigurationWith(Action<JObject> edit)
        {
            var store = new StateStore(_directory);
            store.SaveConfiguration(new ProvisioningConfiguration());
            var json = JObject.Parse(File.ReadAllText(store.ConfigurationFile));
            edit(json);
            var text = json.ToString();
            File.WriteAllText(store.ConfigurationFile, text);
            return text;
        }

        [Theory]
        [InlineData("Settings", "null", "Settings")]
        [InlineData("Settings.DeletionTreshold", "9", "DeletionTreshold")]
        [InlineData("Settings.DeletionThreshold", "-1", "$.Settings.DeletionThreshold")]
        [InlineData("Settings.MaxConcurrency", "-3", "$.Settings.MaxConcurrency")]
        [InlineData("Settings.MaxRequestsPerSecond", "-5", "$.Settings.MaxRequestsPerSecond")]
        [InlineData("Settings.NotificationEmail", "\"not an email\"", "$.Settings.NotificationEmail")]
        [InlineData("Settings.Scope", "\"Everybody\"", "Scope")]
        [InlineData("Version", "2", "$.Version")]
        [InlineData("Mappings", "null", "Mappings")]
        public void A_configuration_file_of_another_shape_is_refused_and_never_replaced_by_defaults(string key, string value, string jsonPath)
        {
            var text = ConfigurationWith(json =>
            {
                var parts = key.Split('.');
                var parent = parts.Length == 1 ? json : (JObject)json[parts[0]];
                parent[parts.Last()] = JToken.Parse(value);
            });
            var store = new StateStore(_directory);
            var e = Assert.Throws<DbxException>(() => store.LoadConfiguration());
            Assert.Equal("ConfigurationInvalid", e.Condition);
            Assert.Contains(store.ConfigurationFile, e.Message);
            Assert.Contains(jsonPath, e.Message);
            Assert.Equal(text, File.ReadAllText(store.ConfigurationFile));
        }

        [Fact]
        public void A_configuration_file_without_its_settings_is_refused()
        {
            ConfigurationWith(json => json.Remove("Settings"));
            var e = Assert.Throws<DbxException>(() => new StateStore(_directory).LoadConfiguration());
            Assert.Equal("ConfigurationInvalid", e.Condition);
            Assert.Contains("$.Settings", e.Message);
        }

        [Fact]
        public void A_hundred_kilobyte_notification_email_is_refused_on_import()
        {
            var json = JObject.Parse(ConfigurationFile.ToJson(new ProvisioningConfiguration()));
            json["settings"]["notificationEmail"] = new string('a', 100_000) + "@contoso.com";
            var e = Assert.Throws<DbxException>(() => ConfigurationFile.FromJson(json.ToString(), "big.json"));
            Assert.Equal("InvalidNotificationEmail", e.Condition);
            Assert.True(e.Message.Length < 400, e.Message.Length.ToString());
        }

        [Theory]
        [InlineData("\"version\": 1,", "\"version\": 1, \"version\": 1,")]
        [InlineData("\"version\": 1,", "\"version\": 1, \"Version\": 1,")]
        public void An_import_with_a_duplicate_or_case_variant_key_is_refused(string find, string replace)
        {
            var text = ConfigurationFile.ToJson(new ProvisioningConfiguration());
            Assert.Contains(find, text);
            var e = Assert.Throws<DbxException>(() => ConfigurationFile.FromJson(text.Replace(find, replace), "dup.json"));
            Assert.Equal("InvalidConfigurationFile", e.Condition);
            Assert.Contains("twice", e.Message);
        }

        [Theory]
        [InlineData(@"{ ""Version"": 1, ""Cursr"": ""abc"" }", "Cursr")]
        [InlineData(@"{ ""Version"": 1, ""Cursor"": null }", "Cursor")]
        [InlineData(@"{ ""Version"": 2 }", "$.Version")]
        [InlineData(@"{ ""Version"": 1, ""Skip"": -4 }", "$.Skip")]
        [InlineData(@"{ ""Version"": 1, ""Skip"": 1, ""skip"": 2 }", "skip")]
        public void An_activity_cursor_of_another_shape_is_refused(string text, string jsonPath)
        {
            var path = Path.Combine(_directory, DropboxProvisioning.Activity.ActivityStateStore.StateFile);
            File.WriteAllText(path, text);
            var e = Assert.Throws<DbxException>(() => new DropboxProvisioning.Activity.ActivityStateStore(_directory).Load());
            Assert.Equal("ActivityStateInvalid", e.Condition);
            Assert.Contains(path, e.Message);
            Assert.Contains(jsonPath, e.Message);
            Assert.Equal(text, File.ReadAllText(path));
        }

        [Fact]
        public void An_activity_cursor_that_looks_like_a_date_stays_the_string_Dropbox_gave()
        {
            var store = new DropboxProvisioning.Activity.ActivityStateStore(_directory);
            store.Save(new DropboxProvisioning.Activity.ActivityState { Cursor = "2024-05-01T10:00:00Z", WindowStart = DateTimeOffset.UtcNow });
            Assert.Equal("2024-05-01T10:00:00Z", store.Load().Cursor);
        }

        [Theory]
        [InlineData(@"{ ""protection"": ""owner-only-file"", ""data"": ""eA=="", ""extra"": 1 }", "$.extra")]
        [InlineData(@"{ ""protection"": ""owner-only-file"" }", "$.data")]
        [InlineData(@"{ ""protection"": ""owner-only-file"", ""data"": null }", "$.data")]
        [InlineData(@"{ ""protection"": ""owner-only-file"", ""data"": ""eA=="", ""Data"": ""eQ=="" }", "twice")]
        public void A_credential_file_of_another_shape_is_refused(string text, string problem)
        {
            var path = Path.Combine(_directory, "activity-credential.json");
            File.WriteAllText(path, text);
            var e = Assert.Throws<DbxException>(() => DropboxProvisioning.State.ProtectedSecretFile.Read(path, new DropboxProvisioning.Security.OwnerOnlyFileProtector()));
            Assert.Equal("ActivityCredentialUnreadable", e.Condition);
            Assert.Contains(path, e.Message);
            Assert.Contains(problem, e.ToString());
        }

        [Fact]
        public void A_value_that_looks_like_a_date_survives_the_state_and_the_log()
        {
            const string date = "2024-05-01T10:00:00Z";
            var store = new StateStore(_directory);
            var state = new ProvisioningState();
            state.Users["u1"] = new ManagedObject { SourceId = "u1", TargetId = "dbmid:1", TargetIdentity = date, MatchedBy = "Created", Exported = { ["displayName"] = date, ["name.familyName"] = "2024-05-01" } };
            store.SaveState(state);
            var loaded = store.LoadState();
            Assert.Equal(date, loaded.Users["u1"].Exported["displayName"]);
            Assert.Equal("2024-05-01", loaded.Users["u1"].Exported["name.familyName"]);
            Assert.Equal(date, loaded.Users["u1"].TargetIdentity);

            var logs = new ProvisioningLogStore(Path.Combine(_directory, "logs"));
            using (var writer = logs.OpenCycle("c1", DateTimeOffset.UtcNow))
                writer.Write(new ProvisioningLogRecord { CycleId = "c1", SourceIdentity = date, ModifiedProperties = { new ModifiedProperty("displayName", "2023-01-01T00:00:00Z", date) } });
            var record = Assert.Single(logs.Read());
            Assert.Equal(date, record.SourceIdentity);
            Assert.Equal($"displayName: '2023-01-01T00:00:00Z' -> '{date}'", record.ModifiedPropertiesText);
        }

        [Fact]
        public void A_damaged_log_line_is_refused_unless_it_is_the_last_one_a_crash_cut_short()
        {
            var logs = new ProvisioningLogStore(Path.Combine(_directory, "logs"));
            string file;
            using (var writer = logs.OpenCycle("c1", DateTimeOffset.UtcNow))
            {
                writer.Write(new ProvisioningLogRecord { CycleId = "c1", SourceIdentity = "a" });
                writer.Write(new ProvisioningLogRecord { CycleId = "c1", SourceIdentity = "b" });
            }
            file = System.IO.Directory.GetFiles(Path.Combine(_directory, "logs")).Single();
            File.AppendAllText(file, "{\"CycleId\":\"c1\",\"Sourc");
            Assert.Equal(new[] { "b", "a" }, logs.Read().Select(r => r.SourceIdentity));

            var lines = File.ReadAllLines(file);
            lines[0] = lines[0].Replace("\"Action\":\"", "\"Action\":\"Explode");
            File.WriteAllLines(file, lines);
            var e = Assert.Throws<DbxException>(() => logs.Read().ToList());
            Assert.Equal("LogInvalid", e.Condition);
            Assert.Contains(file, e.Message);
            Assert.Contains("line 1", e.Message);
            Assert.Equal(lines, File.ReadAllLines(file));
        }

        [Fact]
        public void Every_JSON_read_of_the_engine_goes_through_the_reader_that_keeps_strings()
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root != null && !File.Exists(Path.Combine(root.FullName, "DropboxProvisioning.sln"))) root = root.Parent;
            Assert.NotNull(root);
            var forbidden = new[] { "JObject.Parse(", "JToken.Parse(", "JArray.Parse(", "new JsonTextReader(", "JsonConvert.DeserializeObject", "JObject.Load(new", "JToken.ReadFrom(new" };
            var offenders = System.IO.Directory.GetFiles(Path.Combine(root.FullName, "src", "DropboxProvisioning.Engine"), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !f.EndsWith("JsonText.cs"))
                .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (f, i, line)))
                .Where(t => forbidden.Any(t.line.Contains) && !t.line.Contains("DeserializeObject<T>(text, ReadSettings)") && !(t.line.Contains("DeserializeObject") && t.line.Contains("Settings)")))
                .Select(t => $"{Path.GetFileName(t.f)}:{t.i + 1}: {t.line.Trim()}").ToList();
            Assert.Empty(offenders);
        }
    }
}
