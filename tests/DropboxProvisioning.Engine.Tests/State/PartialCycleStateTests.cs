using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.State
{
    /// <summary>
    /// The work a cycle stopped at its deadline leaves lives in state.json (version 2 while it is there), read as strictly as
    /// the rest; the MaxCycleDuration setting is validated like the others and does not count as a change of configuration.
    /// </summary>
    public sealed class PartialCycleStateTests : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "dbx-partial-" + Guid.NewGuid().ToString("N"));

        public PartialCycleStateTests() => System.IO.Directory.CreateDirectory(_directory);

        public void Dispose()
        {
            if (System.IO.Directory.Exists(_directory)) System.IO.Directory.Delete(_directory, true);
        }

        private static PartialCycle Partial() => new PartialCycle
        {
            CycleId = "c1", LastPartId = "c2", StartTime = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), Mode = CycleMode.Initial, Parts = 2,
            Operations = 40, Failed = 1, Deprovisioned = 3,
            Remaining =
            {
                new RemainingChange
                {
                    ObjectType = ObjectType.User, Action = ChangeAction.Create, SourceId = "u1", SourceIdentity = "Ann", TargetIdentity = "ann@contoso.com", Reason = "assigned",
                    Values = new JObject { ["userName"] = "ann@contoso.com", ["active"] = true, ["name.familyName"] = "2024-05-01T10:00:00Z" },
                },
                new RemainingChange
                {
                    ObjectType = ObjectType.User, Action = ChangeAction.Update, SourceId = "u2", TargetId = "dbmid:2", TargetIdentity = "bo@contoso.com", MatchedBy = "userName", IsAdoption = true,
                    Values = new JObject { ["name.givenName"] = "Bo" }, Desired = new JObject { ["name.givenName"] = "Bo", ["userName"] = "bo@contoso.com" },
                    Modified = new List<ModifiedProperty> { new ModifiedProperty("name.givenName", null, "Bo") },
                    Existing = new JObject { ["id"] = "dbmid:2", ["userName"] = "bo@contoso.com", ["title"] = null },
                },
                new RemainingChange
                {
                    ObjectType = ObjectType.Group, Action = ChangeAction.Update, SourceId = "g1", TargetId = "g:1", TargetIdentity = "Sales", Details = "1 member(s) are not provisioned",
                    SourceMembers = new HashSet<string> { "u1", "u2" }, CurrentMembers = new HashSet<string> { "dbmid:2" },
                },
            },
            Done = { "User:u9" },
        };

        [Fact]
        public void A_partial_cycle_survives_a_save_and_a_strict_read_as_version_2_and_a_finished_one_is_written_as_version_1_again()
        {
            var store = new StateStore(_directory);
            var state = new ProvisioningState { PartialCycle = Partial() };
            store.SaveState(state);
            var json = JObject.Parse(File.ReadAllText(store.StateFile));
            Assert.Equal(2, (int)json["Version"]);

            var loaded = store.LoadState().PartialCycle;
            Assert.Equal(("c1", "c2", CycleMode.Initial, 2, 40, 1, 3), (loaded.CycleId, loaded.LastPartId, loaded.Mode, loaded.Parts, loaded.Operations, loaded.Failed, loaded.Deprovisioned));
            Assert.Equal(new[] { "u1", "u2", "g1" }, loaded.Remaining.Select(r => r.SourceId));
            Assert.Equal("2024-05-01T10:00:00Z", (string)loaded.Remaining[0].Values["name.familyName"]); // a string stays a string
            Assert.Equal(JTokenType.Boolean, loaded.Remaining[0].Values["active"].Type);
            Assert.True(loaded.Remaining[1].IsAdoption);
            Assert.Equal(JTokenType.Null, loaded.Remaining[1].Existing["title"].Type);
            Assert.Equal(("name.givenName", (string)null, "Bo"), (loaded.Remaining[1].Modified[0].Name, loaded.Remaining[1].Modified[0].OldValue, loaded.Remaining[1].Modified[0].NewValue));
            Assert.Equal(new[] { "u1", "u2" }, loaded.Remaining[2].SourceMembers.OrderBy(m => m));
            Assert.Contains("user:U9", loaded.Done); // keys compare as ids do

            state.PartialCycle = null;
            store.SaveState(state);
            json = JObject.Parse(File.ReadAllText(store.StateFile));
            Assert.Equal(1, (int)json["Version"]);
            Assert.Null(json["PartialCycle"]);
            Assert.Null(store.LoadState().PartialCycle);
        }

        [Theory]
        [InlineData("Version", "1", "$.PartialCycle")]
        [InlineData("Version", "3", "$.Version")]
        [InlineData("PartialCycle.Parts", "0", "$.PartialCycle.Parts")]
        [InlineData("PartialCycle.Failed", "-1", "$.PartialCycle.Failed")]
        [InlineData("PartialCycle.CycleId", "\"\"", "$.PartialCycle.CycleId")]
        [InlineData("PartialCycle.Mode", "\"Sometimes\"", "Mode")]
        [InlineData("PartialCycle.Remaining", "null", "Remaining")]
        [InlineData("PartialCycle.Remaining[0].Action", "\"Skip\"", "$.PartialCycle.Remaining[0].Action")]
        [InlineData("PartialCycle.Remaining[0].Action", "\"Explode\"", "Action")]
        [InlineData("PartialCycle.Remaining[0].ObjectType", "\"Printer\"", "ObjectType")]
        [InlineData("PartialCycle.Remaining[0].SourceId", "\"U2\"", "$.PartialCycle.Remaining[1].SourceId")]
        [InlineData("PartialCycle.Remaining[0].Values", "{ \"userName\": null }", "$.PartialCycle.Remaining[0].Values")]
        [InlineData("PartialCycle.Remaining[0].Values", "{}", "$.PartialCycle.Remaining[0].Values")]
        [InlineData("PartialCycle.Remaining[0].Sent", "{}", "Sent")]
        [InlineData("PartialCycle.Remaining[1].TargetId", "\" \"", "$.PartialCycle.Remaining[1].TargetId")]
        [InlineData("PartialCycle.Remaining[2].SourceMembers", "[ \"\" ]", "$.PartialCycle.Remaining[2].SourceMembers")]
        [InlineData("PartialCycle.Done", "[ null ]", "Done")]
        [InlineData("History", "[ { \"CycleId\": \"c\", \"Status\": \"Partial\", \"Remaining\": -2 } ]", "$.History[0].Remaining")]
        public void A_partial_cycle_of_another_shape_is_refused_with_its_path_and_left_as_it_is(string key, string value, string jsonPath)
        {
            var store = new StateStore(_directory);
            store.SaveState(new ProvisioningState { PartialCycle = Partial() });
            var json = JObject.Parse(File.ReadAllText(store.StateFile));
            var target = key.Contains('.') ? (JObject)json.SelectToken("$." + key.Substring(0, key.LastIndexOf('.'))) : json;
            target[key.Substring(key.LastIndexOf('.') + 1)] = JToken.Parse(value);
            var text = json.ToString();
            File.WriteAllText(store.StateFile, text);

            var e = Assert.Throws<DbxException>(() => store.LoadState());
            Assert.Equal("StateInvalid", e.Condition);
            Assert.Contains(store.StateFile, e.Message);
            Assert.Contains(jsonPath, e.Message);
            Assert.Equal(text, File.ReadAllText(store.StateFile));
        }

        [Fact]
        public void The_maximum_cycle_duration_is_validated_like_the_other_settings_and_changing_it_is_no_change_of_configuration()
        {
            var configuration = new ProvisioningConfiguration();
            var before = ConfigurationFile.Fingerprint(configuration);
            configuration.Settings.MaxCycleDuration = TimeSpan.FromHours(2.5);
            ConfigurationEditor.Validate(configuration);
            Assert.Equal(before, ConfigurationFile.Fingerprint(configuration));
            Assert.Equal(TimeSpan.FromHours(2.5), configuration.Settings.MaxCycleDuration); // the fingerprint left it as it was
            Assert.Contains("\"maxCycleDuration\": \"02:30:00\"", ConfigurationFile.ToJson(configuration));
            configuration.Settings.DeletionThreshold = 7;
            Assert.NotEqual(before, ConfigurationFile.Fingerprint(configuration));

            foreach (var wrong in new[] { TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(8), TimeSpan.FromHours(-1) })
            {
                configuration.Settings.MaxCycleDuration = wrong;
                Assert.Equal("InvalidMaxCycleDuration", Assert.Throws<DbxException>(() => ConfigurationEditor.Validate(configuration)).Condition);
            }

            var store = new StateStore(_directory);
            configuration.Settings.MaxCycleDuration = TimeSpan.FromHours(1);
            store.SaveConfiguration(configuration);
            Assert.Equal(TimeSpan.FromHours(1), store.LoadConfiguration().Settings.MaxCycleDuration);
            File.WriteAllText(store.ConfigurationFile, File.ReadAllText(store.ConfigurationFile).Replace("\"01:00:00\"", "\"9.00:00:00\""));
            var e = Assert.Throws<DbxException>(() => store.LoadConfiguration());
            Assert.Equal("ConfigurationInvalid", e.Condition);
            Assert.Contains("$.Settings.MaxCycleDuration", e.Message);
        }
    }
}
