using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Engine.Tests.Faults;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Sync;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.State
{
    /// <summary>The state keeps 100,000 managed users compactly, reads the files earlier versions wrote, and is streamed.</summary>
    public sealed class CompactStateTests : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "dbx-compact-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (System.IO.Directory.Exists(_directory)) System.IO.Directory.Delete(_directory, true);
        }

        /// <summary>A state.json as the previous version wrote it: indented, an empty Declined object per user.</summary>
        private const string EarlierFile = @"{
  ""Version"": 1,
  ""Status"": ""On"",
  ""Users"": {
    ""35dc27d3-6a6e-4824-a0c2-672fd6c6d260"": {
      ""SourceId"": ""35dc27d3-6a6e-4824-a0c2-672fd6c6d260"",
      ""TargetId"": ""dbmid:AAD0000000004"",
      ""TargetIdentity"": ""ahmet.kuznetsova@contoso.com"",
      ""MatchedBy"": ""Created"",
      ""Exported"": {
        ""userName"": ""ahmet.kuznetsova@contoso.com"",
        ""active"": ""True"",
        ""displayName"": ""Ahmet Кузнецова"",
        ""emails[type eq \""work\""].value"": ""ahmet.kuznetsova@contoso.com"",
        ""externalId"": null
      },
      ""Declined"": {},
      ""Active"": true,
      ""LastExported"": ""2026-11-23T04:02:54.1530648+00:00""
    },
    ""06c31eee-b97d-45be-ab39-fc9c43c55db6"": {
      ""SourceId"": ""06c31eee-b97d-45be-ab39-fc9c43c55db6"",
      ""TargetId"": ""dbmid:AAD0000000005"",
      ""TargetIdentity"": ""ahmet.le@contoso.com"",
      ""MatchedBy"": ""userName"",
      ""Exported"": { ""userName"": ""ahmet.le@contoso.com"" },
      ""Declined"": { ""emails[type eq \""work\""].value"": ""AHMET.LE@contoso.com"" },
      ""Active"": false,
      ""LastExported"": ""2026-11-23T04:02:54.1798757+00:00""
    }
  },
  ""EntitledUsers"": [ ""35DC27D3-6A6E-4824-A0C2-672FD6C6D260"", ""06c31eee-b97d-45be-ab39-fc9c43c55db6"" ],
  ""AssignedGroups"": { ""g1"": [ ""06c31eee-b97d-45be-ab39-fc9c43c55db6"" ] },
  ""Groups"": {}
}";

        [Fact]
        public async Task Initial_and_incremental_cycles_hold_each_id_and_each_shared_value_once()
        {
            // Graph names a user in its assignment, in its groups and on itself, each a string of its own; the state
            // of a large tenant must not carry those copies (nor Dropbox's copy of each userName).
            using (var harness = await FaultHarness.CreateAsync(users: 200, seed: 11))
            {
                var cycle = new ProvisioningCycle(harness.Connection);
                foreach (var mode in new[] { CycleMode.Initial, CycleMode.Incremental })
                {
                    var plan = await cycle.PlanAsync(CancellationToken.None);
                    Assert.Equal(mode, plan.Mode);
                    var result = await cycle.ExecuteAsync(plan, plan.Changes.ToList(), CancellationToken.None);
                    Assert.Equal(CycleStatus.Succeeded, result.Status);
                    var state = plan.State;
                    var entitled = state.EntitledUsers.ToDictionary(id => id, id => id);
                    var members = state.AssignedGroups.Values.SelectMany(m => m).ToList();
                    Assert.NotEmpty(members);
                    var managed = state.Users.Values.Where(m => m.MatchedBy == "Created").ToList();
                    Assert.True(managed.Count > 100);
                    foreach (var user in managed)
                    {
                        Assert.Same(user.SourceId, entitled[user.SourceId]);
                        Assert.Same(user.Exported["userName"], user.TargetIdentity);
                    }
                    foreach (var member in members.Where(state.Users.ContainsKey)) Assert.Same(entitled[member], member);
                    if (mode == CycleMode.Incremental) continue; // values are shared as read; a state read back shares them per object
                    var bySurname = managed.GroupBy(m => m.Exported["name.familyName"]).First(g => g.Count() > 1).ToList();
                    Assert.Same(bySurname[0].Exported["name.familyName"], bySurname[1].Exported["name.familyName"]);
                }
            }
        }

        [Fact]
        public void A_state_written_by_the_earlier_version_reads_the_same()
        {
            System.IO.Directory.CreateDirectory(_directory);
            File.WriteAllText(Path.Combine(_directory, "state.json"), EarlierFile);
            var state = new StateStore(_directory).LoadState();

            var ahmet = state.Users["35DC27D3-6A6E-4824-A0C2-672FD6C6D260"];
            Assert.Equal("dbmid:AAD0000000004", ahmet.TargetId);
            Assert.Equal("Ahmet Кузнецова", ahmet.Exported["DISPLAYNAME"]);
            Assert.Equal("True", ahmet.Exported["active"]);
            Assert.True(ahmet.Exported.TryGetValue("externalId", out var none));
            Assert.Null(none);
            Assert.Equal(5, ahmet.Exported.Count);
            Assert.Equal(0, ahmet.Declined.Count);
            var le = state.Users["06c31eee-b97d-45be-ab39-fc9c43c55db6"];
            Assert.False(le.Active);
            Assert.Equal("AHMET.LE@contoso.com", le.Declined["emails[type eq \"work\"].value"]);
            Assert.Contains("06C31EEE-B97D-45BE-AB39-FC9C43C55DB6", state.EntitledUsers);
            Assert.Contains("06C31EEE-B97D-45BE-AB39-FC9C43C55DB6", state.AssignedGroups["G1"]);
        }

        [Fact]
        public void Ids_and_values_that_repeat_are_one_string_in_memory()
        {
            System.IO.Directory.CreateDirectory(_directory);
            File.WriteAllText(Path.Combine(_directory, "state.json"), EarlierFile);
            var state = new StateStore(_directory).LoadState();
            var key = state.Users.Keys.First(k => k.StartsWith("06c3", StringComparison.Ordinal));
            var managed = state.Users[key];
            Assert.Same(key, managed.SourceId);
            Assert.Same(key, state.EntitledUsers.First(id => id.Equals(key, StringComparison.OrdinalIgnoreCase)));
            Assert.Same(key, state.AssignedGroups["g1"].Single());
            var ahmet = state.Users["35dc27d3-6a6e-4824-a0c2-672fd6c6d260"];
            Assert.Same(ahmet.Exported["userName"], ahmet.Exported["emails[type eq \"work\"].value"]);
            Assert.Same(ahmet.Exported["userName"], ahmet.TargetIdentity);
            // Attribute names are shared by every object, not copied per object.
            var names = state.Users.Values.Select(u => u.Exported.First().Key).ToList();
            Assert.Same(names[0], names[1]);
        }

        [Fact]
        public void Saved_state_carries_no_empty_declined_values_and_reads_back_the_same()
        {
            var store = new StateStore(_directory);
            var state = new ProvisioningState();
            state.Users["u1"] = new ManagedObject { SourceId = "u1", TargetId = "dbmid:1", TargetIdentity = "a@contoso.com", Exported = { ["userName"] = "a@contoso.com", ["active"] = "True" } };
            state.Users["u2"] = new ManagedObject { SourceId = "u2", TargetId = "dbmid:2", Declined = { ["displayName"] = "B" } };
            store.SaveState(state);

            var json = JObject.Parse(File.ReadAllText(store.StateFile));
            Assert.Null(json["Users"]["u1"]["Declined"]);
            Assert.Equal("B", (string)json["Users"]["u2"]["Declined"]["displayName"]);
            Assert.Equal("True", (string)json["Users"]["u1"]["Exported"]["active"]);

            var loaded = store.LoadState();
            Assert.Equal("a@contoso.com", loaded.Users["U1"].Exported["userName"]);
            Assert.Equal("B", loaded.Users["u2"].Declined["DisplayName"]);
            Assert.Equal(0, loaded.Users["u1"].Declined.Count);
        }

        [Fact]
        public void Attribute_values_behave_as_the_dictionary_they_replace()
        {
            var values = new AttributeValues { ["userName"] = "a@contoso.com", ["active"] = "True" };
            values["USERNAME"] = "b@contoso.com";
            Assert.Equal(2, values.Count);
            Assert.Equal("b@contoso.com", values["userName"]);
            Assert.True(values.Remove("Active"));
            Assert.False(values.Remove("active"));
            Assert.False(values.ContainsKey("active"));
            Assert.Throws<System.Collections.Generic.KeyNotFoundException>(() => values["active"]);
            Assert.Equal(new[] { "userName" }, values.Select(p => p.Key));
        }

        [Fact]
        public void Trailing_content_after_the_state_is_reported_as_damage()
        {
            System.IO.Directory.CreateDirectory(_directory);
            var path = Path.Combine(_directory, "state.json");
            File.WriteAllText(path, "{ \"Version\": 1 } { \"Version\": 1 }");
            var e = Assert.Throws<DbxException>(() => new StateStore(_directory).LoadState());
            Assert.Equal("StateCorrupt", e.Condition);
        }
    }
}
