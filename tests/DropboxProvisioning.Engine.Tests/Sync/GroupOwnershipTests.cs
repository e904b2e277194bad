using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Sync
{
    /// <summary>
    /// Which members and groups the engine may remove, as the state records them (AddedMembers, MatchedBy); state files
    /// from older versions, which do not list AddedMembers, load and are read the safe way.
    /// </summary>
    public sealed class GroupOwnershipTests : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "dbx-owner-" + Guid.NewGuid().ToString("N"));

        public GroupOwnershipTests() => System.IO.Directory.CreateDirectory(_directory);

        public void Dispose() => System.IO.Directory.Delete(_directory, true);

        /// <summary>A state as the version before AddedMembers wrote it: u1 in both groups, a hand-made member x in both.</summary>
        private const string OlderState = @"{ ""Version"": 1,
  ""Users"": { ""u1"": { ""SourceId"": ""u1"", ""TargetId"": ""dbmid:1"", ""TargetIdentity"": ""u1@contoso.com"", ""MatchedBy"": ""Created"", ""Active"": true } },
  ""Groups"": {
    ""gc"": { ""SourceId"": ""gc"", ""TargetId"": ""g:c"", ""TargetIdentity"": ""Created Group"", ""MatchedBy"": ""Created"", ""Members"": [ ""dbmid:1"" ] },
    ""gm"": { ""SourceId"": ""gm"", ""TargetId"": ""g:m"", ""TargetIdentity"": ""Matched Group"", ""MatchedBy"": ""displayName"", ""Members"": [ ""dbmid:1"", ""dbmid:x"" ] } } }";

        private ProvisioningState LoadOlder()
        {
            File.WriteAllText(Path.Combine(_directory, "state.json"), OlderState);
            return new StateStore(_directory).LoadState();
        }

        private static DirectorySnapshot Empty(ProvisioningState state, params (string Id, string Name)[] groups)
        {
            var directory = new DirectorySnapshot { Mode = CycleMode.Initial };
            foreach (var (id, name) in groups)
            {
                var group = new SourceObject(SourceObjectKind.Group, id);
                group.Set("displayName", name);
                directory.Groups[id] = group;
                directory.AssignedGroups[id] = new HashSet<string>(StringComparer.OrdinalIgnoreCase); // every member left the Entra group
                directory.ScopeGroup(group, new CompiledMapping(DefaultMappings.Groups()), assigned: true);
            }
            return directory;
        }

        private static DropboxGroupSnapshot Dropbox(params (string Id, string Name, string[] Members)[] groups) =>
            DropboxGroupSnapshot.Of(groups.Select(g => new JObject
            {
                ["id"] = g.Id, ["displayName"] = g.Name,
                ["members"] = new JArray(g.Members.Select(m => new JObject { ["value"] = m })),
            }));

        private static string MembersLine(ProvisioningChange change) => change.ModifiedProperties.SingleOrDefault(p => p.Name == "members")?.NewValue;

        [Fact]
        public void A_state_from_an_older_version_loads_and_a_group_the_engine_created_loses_the_members_it_last_wrote()
        {
            var state = LoadOlder();
            Assert.Null(state.Groups["gc"].AddedMembers);
            var dropbox = Dropbox(("g:c", "Created Group", new[] { "dbmid:1", "dbmid:x" }));
            var change = new GroupPlanner(new CompiledMapping(DefaultMappings.Groups()), state)
                .Plan(Empty(state, ("gc", "Created Group")), dropbox, new HashSet<string>(), new HashSet<string>()).Single(c => c.SourceId == "gc");
            Assert.Equal("+0 -1", MembersLine(change)); // dbmid:1, which it wrote; not dbmid:x, added by hand
        }

        [Fact]
        public void A_state_from_an_older_version_loads_and_a_group_matched_by_name_loses_no_member()
        {
            var state = LoadOlder();
            var dropbox = Dropbox(("g:m", "Matched Group", new[] { "dbmid:1", "dbmid:x" }));
            var changes = new GroupPlanner(new CompiledMapping(DefaultMappings.Groups()), state)
                .Plan(Empty(state, ("gm", "Matched Group")), dropbox, new HashSet<string>(), new HashSet<string>());
            var matched = changes.SingleOrDefault(c => c.SourceId == "gm");
            Assert.True(matched == null || MembersLine(matched) == null || MembersLine(matched).EndsWith("-0"), matched?.Description);
        }

        [Theory]
        [InlineData(false, ChangeAction.Other)]
        [InlineData(true, ChangeAction.Delete)]
        public void A_matched_group_that_leaves_scope_is_let_go_unless_TakeOverDropboxGroups_says_to_delete_it(bool takeOver, ChangeAction expected)
        {
            var state = LoadOlder();
            var changes = new GroupPlanner(new CompiledMapping(DefaultMappings.Groups()), state, takeOver)
                .Plan(new DirectorySnapshot { Mode = CycleMode.Incremental }, Dropbox(), new HashSet<string>(), new HashSet<string>());
            Assert.Equal(expected, changes.Single(c => c.SourceId == "gm").Action);
            Assert.Equal(ChangeAction.Delete, changes.Single(c => c.SourceId == "gc").Action);
        }

        [Fact]
        public void AddedMembers_round_trip_through_the_state_file_and_a_blank_entry_is_refused_with_its_path()
        {
            var store = new StateStore(_directory);
            var state = new ProvisioningState();
            state.Groups["g"] = new ManagedObject { SourceId = "g", TargetId = "g:1", MatchedBy = "displayName", Members = new HashSet<string> { "a", "b" }, AddedMembers = new HashSet<string> { "a" } };
            store.SaveState(state);
            Assert.Equal(new[] { "a" }, store.LoadState().Groups["g"].AddedMembers.ToArray());

            var path = Path.Combine(_directory, "state.json");
            var text = File.ReadAllText(path);
            var broken = JObject.Parse(text);
            broken["Groups"]["g"]["AddedMembers"] = new JArray(" ");
            File.WriteAllText(path, broken.ToString());
            var e = Assert.Throws<DbxException>(() => store.LoadState());
            Assert.Equal("StateInvalid", e.Condition);
            Assert.Contains("$.Groups['g'].AddedMembers", e.Message);
        }
    }
}
