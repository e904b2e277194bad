using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.DropboxApi;
using DropboxProvisioning.Sandbox.Dropbox;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.TeamLog
{
    /// <summary>How much history to generate.</summary>
    public sealed class TeamLogProfile
    {
        public int Seed { get; set; } = 1;
        /// <summary>Days of history before "now"; more than 60 so that the connector's 60-day window cuts it.</summary>
        public int Days { get; set; } = 95;
        /// <summary>Average events per day across the team.</summary>
        public int EventsPerDay { get; set; } = 80;
        /// <summary>At most this many team members act in the log.</summary>
        public int MaxActors { get; set; } = 60;
    }

    /// <summary>
    /// A deterministic, realistic activity history for a sandbox team: uploads, downloads, previews, edits, renames,
    /// moves and deletions; shared links created and opened by team members, by people outside the team and by
    /// anonymous visitors; sign-ins with IP address and location, failed sign-ins, sign-outs, linked devices,
    /// password changes, member status changes and group changes. The same seed and "now" give the same log.
    /// </summary>
    public sealed class TeamLogGenerator
    {
        private static readonly (string City, string Region, string Country, string Net)[] Places =
        {
            ("Seattle", "Washington", "US", "73.118"), ("Redmond", "Washington", "US", "131.107"), ("New York", "New York", "US", "24.44"),
            ("London", "England", "GB", "81.2"), ("Berlin", "Berlin", "DE", "91.64"), ("Paris", "Île-de-France", "FR", "90.84"),
            ("Toronto", "Ontario", "CA", "99.228"), ("Madrid", "Madrid", "ES", "83.44"), ("Tokyo", "Tokyo", "JP", "126.66"),
        };
        private static readonly (string City, string Region, string Country, string Net)[] Unusual =
        {
            ("Lagos", "Lagos", "NG", "105.112"), ("São Paulo", "São Paulo", "BR", "177.32"), ("Moscow", "Moscow", "RU", "95.165"), ("Hanoi", "Hanoi", "VN", "113.190"),
        };
        private static readonly string[] Folders = { "/Projects", "/Finance/2025", "/Marketing/Campaigns", "/HR/Policies", "/Design/Assets", "/Sales/Proposals", "/Engineering/Specs", "/Legal/Contracts" };
        private static readonly string[] FileStems = { "Quarterly report", "Budget", "Roadmap", "Contract", "Offer letter", "Brand guide", "Pitch deck", "Meeting notes", "Invoice 1042", "Headcount plan", "Logo", "Architecture" };
        private static readonly string[] Extensions = { ".docx", ".xlsx", ".pptx", ".pdf", ".png", ".txt", ".zip" };
        private static readonly (string Email, string Name)[] Outsiders =
        {
            ("maria.lopez@fabrikam.com", "María López"), ("j.chen@gmail.com", "Jun Chen"), ("auditor@woodgrovebank.com", "Woodgrove Auditor"),
            ("sam@northwindtraders.com", "Sam Patel"), ("li.wei@outlook.com", "Li Wei"), ("press@litware.com", "Litware Press"),
        };

        private readonly Random _rng;
        private readonly List<Person> _members;
        private readonly List<Person> _outsiders;
        private readonly string _teamName;

        private TeamLogGenerator(int seed, IEnumerable<Person> members, string teamName)
        {
            _rng = new Random(seed);
            _teamName = teamName;
            _members = members.ToList();
            if (_members.Count == 0) _members.Add(new Person { Email = "admin@contoso.com", DisplayName = "Team Admin", AccountId = AccountId40("dbid:AAsandboxadmin"), TeamMemberId = "dbmid:AAsandboxadmin" });
            foreach (var p in _members) Home(p);
            _members[0].IsAdmin = true;
            _outsiders = Outsiders.Select(o => new Person { Email = o.Email, DisplayName = o.Name, AccountId = "dbid:AA" + Id(33), External = true }).ToList();
            foreach (var p in _outsiders) Home(p);
        }

        /// <summary>The people of a sandbox tenant: its Dropbox members, then enabled member users of its directory (by UPN).</summary>
        public static TeamLogGenerator ForTenant(DropboxTeam team, DirectoryModel directory, TeamLogProfile profile)
        {
            var people = new List<Person>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var m in team.AllMembers.Where(m => m.Status != DropboxMemberStatus.Removed))
                if (seen.Add(m.Email)) people.Add(new Person { Email = m.Email, DisplayName = m.DisplayName, AccountId = AccountId40(m.AccountId), TeamMemberId = m.TeamMemberId });
            var rng = new Random(profile.Seed * 7919 + 17);
            if (directory != null)
                foreach (var u in directory.Users.Where(u => u.AccountEnabled && u.UserType == "Member" && !string.IsNullOrEmpty(u.UserPrincipalName)))
                {
                    if (people.Count >= profile.MaxActors) break;
                    if (seen.Add(u.UserPrincipalName))
                        people.Add(new Person { Email = u.UserPrincipalName.ToLowerInvariant(), DisplayName = u.DisplayName, AccountId = "dbid:AA" + Id(rng, 33), TeamMemberId = "dbmid:AA" + Id(rng, 22) });
                }
            return new TeamLogGenerator(profile.Seed, people.Take(Math.Max(1, profile.MaxActors)), team.TeamName);
        }

        /// <summary>The history: about <see cref="TeamLogProfile.EventsPerDay"/> events a day for <see cref="TeamLogProfile.Days"/> days before <paramref name="now"/>, oldest first.</summary>
        public List<JObject> History(TeamLogProfile profile, DateTimeOffset now)
        {
            var start = now.AddDays(-profile.Days);
            var events = new List<(DateTimeOffset, JObject)>();
            for (var day = 0; day < profile.Days; day++)
            {
                var dayStart = start.AddDays(day);
                var weekend = dayStart.DayOfWeek == DayOfWeek.Saturday || dayStart.DayOfWeek == DayOfWeek.Sunday;
                var count = (int)(profile.EventsPerDay * (weekend ? 0.3 : 1.2) * (0.75 + _rng.NextDouble() * 0.5));
                for (var i = 0; i < count; i++)
                {
                    var at = dayStart.AddSeconds(_rng.Next(86400));
                    if (at >= now) continue;
                    events.Add((at, Next(at)));
                }
            }
            return events.OrderBy(e => e.Item1).Select(e => e.Item2).ToList();
        }

        /// <summary>One more realistic event at <paramref name="at"/>.</summary>
        public JObject Next(DateTimeOffset at)
        {
            var roll = _rng.Next(1000);
            var who = _members[_rng.Next(_members.Count)];
            if (roll < 200) return FileOperation("file_add", "file_operations", "Added files and/or folders", who, at, new JObject());
            if (roll < 300) return FileOperation("file_download", "file_operations", "Downloaded files and/or folders", who, at, new JObject());
            if (roll < 420) return FileOperation("file_preview", "file_operations", "Previewed files and/or folders", who, at, new JObject());
            if (roll < 480) return FileOperation("file_edit", "file_operations", "Edited files", who, at, new JObject());
            if (roll < 510) return Relocation("file_rename", "Renamed files and/or folders", who, at);
            if (roll < 530) return Relocation("file_move", "Moved files and/or folders", who, at);
            if (roll < 540) return Relocation("file_copy", "Copied files and/or folders", who, at);
            if (roll < 570) return FileOperation("file_delete", "file_operations", "Deleted files and/or folders", who, at, new JObject());
            if (roll < 575) return FileOperation("file_restore", "file_operations", "Restored deleted files and/or folders", who, at, new JObject());
            if (roll < 615) return FileOperation("shared_link_create", "sharing", "Created shared link", who, at, new JObject { ["shared_link_access_level"] = StoneJson.Tag("reader") });
            if (roll < 690) return SharedLinkVisit("shared_link_view", "Opened shared link", who, at);
            if (roll < 715) return SharedLinkVisit("shared_link_download", "Downloaded file/folder from shared link", who, at);
            if (roll < 735) return SharedContentDownload(who, at);
            if (roll < 755) return ShareWithOutsider(who, at);
            if (roll < 855) return Login(who, at, success: true);
            if (roll < 885) return Login(who, at, success: false);
            if (roll < 915) return Simple("logout", "logins", "Signed out", who, at, new JObject(), context: true);
            if (roll < 930) return DeviceLinked(who, at);
            if (roll < 940) return Simple("password_change", "passwords", "Changed password", who, at, new JObject(), context: true);
            if (roll < 955) return MemberStatus(who, at);
            if (roll < 975) return GroupChange(who, at);
            return FileOperation("file_permanently_delete", "file_operations", "Permanently deleted files and/or folders", who, at, new JObject());
        }

        // ---- event shapes -------------------------------------------------------------------------------------

        private JObject Event(string type, string category, string description, DateTimeOffset at, JObject actor, JObject origin, JObject context,
            JArray participants, JArray assets, JObject details, bool involvesOutsider)
        {
            var json = new JObject
            {
                ["timestamp"] = StoneJson.Timestamp(at),
                ["event_category"] = StoneJson.Tag(category),
            };
            if (actor != null) json["actor"] = actor;
            if (origin != null) json["origin"] = origin;
            json["involve_non_team_member"] = involvesOutsider;
            if (context != null) json["context"] = context;
            if (participants != null) json["participants"] = participants;
            if (assets != null) json["assets"] = assets;
            json["event_type"] = new JObject { [".tag"] = type, ["description"] = description };
            json["details"] = StoneJson.Inlined(type + "_details", details);
            return json;
        }

        private JObject FileOperation(string type, string category, string description, Person who, DateTimeOffset at, JObject details) =>
            Event(type, category, description, at, UserActor(who), Origin(who, Session()), MemberContext(who), null, new JArray(FileAsset(who)), details, false);

        private JObject Relocation(string type, string description, Person who, DateTimeOffset at)
        {
            var from = FileAsset(who);
            var to = (JObject)from.DeepClone();
            var folder = Folders[_rng.Next(Folders.Length)];
            var name = type == "file_rename" ? FileStems[_rng.Next(FileStems.Length)] + " (final)" + Extension((string)from["display_name"]) : (string)from["display_name"];
            var target = (type == "file_rename" ? Parent((string)from["path"]["contextual"]) : folder) + "/" + name;
            to["path"]["contextual"] = target;
            to["path"]["namespace_relative"]["relative_path"] = target;
            to["display_name"] = name;
            var details = new JObject { ["relocate_action_details"] = new JArray(new JObject { ["src_asset_index"] = 0, ["dest_asset_index"] = 1 }) };
            return Event(type, "file_operations", description, at, UserActor(who), Origin(who, Session()), MemberContext(who), null, new JArray(from, to), details, false);
        }

        private JObject SharedLinkVisit(string type, string description, Person owner, DateTimeOffset at)
        {
            var kind = _rng.Next(10);
            JObject actor, context; Person visitor = null;
            if (kind < 4) { actor = StoneJson.Tag("anonymous"); context = StoneJson.Tag("anonymous"); }
            else if (kind < 7) { visitor = _outsiders[_rng.Next(_outsiders.Count)]; actor = UserActor(visitor); context = OutsiderContext(visitor); }
            else { visitor = _members[_rng.Next(_members.Count)]; actor = UserActor(visitor); context = MemberContext(visitor); }
            var origin = visitor != null ? Origin(visitor, Tagged("web")) : AnonymousOrigin();
            var details = new JObject { ["shared_link_owner"] = UserInfo(owner) };
            return Event(type, "sharing", description, at, actor, origin, context, null, new JArray(FileAsset(owner)), details, visitor == null || visitor.External);
        }

        private JObject SharedContentDownload(Person owner, DateTimeOffset at)
        {
            var external = _rng.Next(2) == 0;
            var visitor = external ? _outsiders[_rng.Next(_outsiders.Count)] : _members[_rng.Next(_members.Count)];
            var details = new JObject
            {
                ["shared_content_link"] = "https://www.dropbox.com/scl/fi/" + Id(20) + "/file?rlkey=" + Id(12),
                ["shared_content_owner"] = UserInfo(owner),
                ["shared_content_access_level"] = StoneJson.Tag("viewer"),
            };
            return Event("shared_content_download", "sharing", "Downloaded shared file/folder", at, UserActor(visitor), Origin(visitor, Tagged("web")),
                external ? OutsiderContext(visitor) : MemberContext(visitor), null, new JArray(FileAsset(owner)), details, external);
        }

        private JObject ShareWithOutsider(Person who, DateTimeOffset at)
        {
            var outsider = _outsiders[_rng.Next(_outsiders.Count)];
            var participants = new JArray(StoneJson.Nested("user", UserInfo(outsider)));
            var details = new JObject { ["shared_content_access_level"] = StoneJson.Tag(_rng.Next(3) == 0 ? "editor" : "viewer") };
            return Event("shared_content_add_member", "sharing", "Added users and/or groups to shared file/folder", at, UserActor(who), Origin(who, Session()),
                MemberContext(who), participants, new JArray(FileAsset(who)), details, true);
        }

        private JObject Login(Person who, DateTimeOffset at, bool success)
        {
            var method = StoneJson.Tag(_rng.Next(4) == 0 ? "saml" : "password");
            if (success)
                return Event("login_success", "logins", "Signed in", at, UserActor(who), Origin(who, Session()), MemberContext(who), null, null,
                    new JObject { ["is_emm_managed"] = false, ["login_method"] = method }, false);
            // Failed sign-ins come from the usual place (a mistyped password) or from far away (someone else trying).
            var place = _rng.Next(3) == 0 ? Unusual[_rng.Next(Unusual.Length)] : who.Place;
            var origin = new JObject
            {
                ["geo_location"] = Geo(place, Ip(place.Net)),
                ["access_method"] = StoneJson.Nested("end_user", Tagged("web")),
            };
            var reason = _rng.Next(3) == 0 ? "Your account has two-step verification enabled; the code was wrong." : "The password you entered is incorrect.";
            return Event("login_fail", "logins", "Failed to sign in", at, UserActor(who), origin, MemberContext(who), null, null,
                new JObject { ["is_emm_managed"] = false, ["login_method"] = method, ["error_details"] = new JObject { ["user_friendly_message"] = reason } }, false);
        }

        private JObject DeviceLinked(Person who, DateTimeOffset at)
        {
            var desktop = _rng.Next(2) == 0;
            JObject session;
            if (desktop)
                session = new JObject
                {
                    [".tag"] = "desktop_device_session", ["ip_address"] = who.Ip, ["created"] = StoneJson.Timestamp(at), ["updated"] = StoneJson.Timestamp(at),
                    ["host_name"] = who.Email.Split('@')[0].ToUpperInvariant() + "-LAPTOP", ["client_type"] = StoneJson.Tag(_rng.Next(3) == 0 ? "mac" : "windows"),
                    ["client_version"] = "212.4.5767", ["platform"] = "Windows 11", ["is_delete_on_unlink_supported"] = true,
                };
            else
                session = new JObject
                {
                    [".tag"] = "mobile_device_session", ["ip_address"] = who.Ip, ["created"] = StoneJson.Timestamp(at), ["updated"] = StoneJson.Timestamp(at),
                    ["device_name"] = who.DisplayName + "'s iPhone", ["client_type"] = StoneJson.Tag("iphone"), ["client_version"] = "392.2", ["os_version"] = "18.3",
                };
            return Event("device_link_success", "devices", "Linked device", at, UserActor(who), Origin(who, Tagged(desktop ? "desktop" : "mobile")), MemberContext(who),
                null, null, new JObject { ["device_session_info"] = session }, false);
        }

        private JObject MemberStatus(Person who, DateTimeOffset at)
        {
            var admin = _members[0];
            var suspend = _rng.Next(3) == 0;
            var details = new JObject
            {
                ["previous_value"] = StoneJson.Tag(suspend ? "active" : "invited"),
                ["new_value"] = StoneJson.Tag(suspend ? "suspended" : "active"),
            };
            var actor = suspend ? StoneJson.Nested("admin", UserInfo(admin)) : UserActor(who);
            return Event("member_change_status", "members", "Changed member status (invited, joined, suspended, etc.)", at, actor,
                Origin(suspend ? admin : who, Session(adminConsole: suspend)), MemberContext(who), null, null, details, false);
        }

        private JObject GroupChange(Person who, DateTimeOffset at)
        {
            var admin = _members[0];
            var group = new JObject { [".tag"] = "group", ["group_id"] = "g:" + Id(16), ["display_name"] = new[] { "Finance", "Design Studio", "Sales", "Engineering" }[_rng.Next(4)] };
            var added = _rng.Next(4) != 0;
            return Event(added ? "group_add_member" : "group_remove_member", "groups", added ? "Added team members to group" : "Removed team members from group", at,
                StoneJson.Nested("admin", UserInfo(admin)), Origin(admin, Session(adminConsole: true)), MemberContext(who), new JArray(group), null,
                added ? new JObject { ["is_group_owner"] = false } : new JObject(), false);
        }

        private JObject Simple(string type, string category, string description, Person who, DateTimeOffset at, JObject details, bool context) =>
            Event(type, category, description, at, UserActor(who), Origin(who, Session()), context ? MemberContext(who) : null, null, null, details, false);

        // ---- parts -----------------------------------------------------------------------------------------------

        private static JObject UserInfo(Person p)
        {
            var info = new JObject { [".tag"] = p.External ? "non_team_member" : "team_member", ["account_id"] = p.AccountId, ["display_name"] = p.DisplayName, ["email"] = p.Email };
            if (!p.External) info["team_member_id"] = p.TeamMemberId;
            return info;
        }

        private static JObject UserActor(Person p) => StoneJson.Nested("user", UserInfo(p));

        private static JObject MemberContext(Person p)
        {
            var fields = UserInfo(p);
            fields.Remove(".tag");
            return StoneJson.Inlined("team_member", fields);
        }

        private static JObject OutsiderContext(Person p)
        {
            var fields = UserInfo(p);
            fields.Remove(".tag");
            return StoneJson.Inlined("non_team_member", fields);
        }

        private JObject Session(bool adminConsole = false)
        {
            if (adminConsole) return null;
            var r = _rng.Next(10);
            return Tagged(r < 5 ? "web" : r < 8 ? "desktop" : "mobile");
        }

        private JObject Tagged(string kind) => new JObject { [".tag"] = kind, ["session_id"] = (kind == "web" ? "dbwsid:" : "dbdsid:") + Digits(39) };

        private JObject Origin(Person p, JObject session)
        {
            var method = session == null
                ? new JObject { [".tag"] = "admin_console", ["session_id"] = "dbwsid:" + Digits(39) }
                : StoneJson.Nested("end_user", session);
            return new JObject { ["geo_location"] = Geo(p.Place, p.Ip), ["access_method"] = method };
        }

        private JObject AnonymousOrigin()
        {
            var place = _rng.Next(4) == 0 ? Unusual[_rng.Next(Unusual.Length)] : Places[_rng.Next(Places.Length)];
            return new JObject { ["geo_location"] = Geo(place, Ip(place.Net)), ["access_method"] = StoneJson.Nested("end_user", Tagged("web")) };
        }

        private static JObject Geo((string City, string Region, string Country, string Net) place, string ip) =>
            new JObject { ["city"] = place.City, ["region"] = place.Region, ["country"] = place.Country, ["ip_address"] = ip };

        private JObject FileAsset(Person owner)
        {
            var folder = Folders[(StableHash(owner.Email) + _rng.Next(3)) % Folders.Length];
            var name = FileStems[_rng.Next(FileStems.Length)] + Extensions[_rng.Next(Extensions.Length)];
            var path = folder + "/" + name;
            return new JObject
            {
                [".tag"] = "file",
                ["path"] = new JObject
                {
                    ["contextual"] = path,
                    ["namespace_relative"] = new JObject { ["ns_id"] = (1000 + _rng.Next(9000)).ToString(CultureInfo.InvariantCulture), ["relative_path"] = path, ["is_shared_namespace"] = false },
                },
                ["display_name"] = name,
                ["file_id"] = "id:" + Id(22),
                ["file_size"] = _rng.Next(2000, 40_000_000),
            };
        }

        private void Home(Person p)
        {
            p.Place = Places[_rng.Next(Places.Length)];
            p.Ip = Ip(p.Place.Net);
        }

        private string Ip(string net) => net + "." + _rng.Next(1, 255).ToString(CultureInfo.InvariantCulture) + "." + _rng.Next(1, 255).ToString(CultureInfo.InvariantCulture);

        /// <summary>
        /// users_common.AccountId is exactly 40 characters ("dbid:" and 35); the team model's shorter ids are padded
        /// deterministically so the log stays valid Stone.
        /// </summary>
        public static string AccountId40(string id)
        {
            if (id == null || id.Length == 40) return id;
            if (id.Length > 40) return id.Substring(0, 40);
            return id + "_" + StableHash(id).ToString("x8").PadLeft(8, '0') + new string('0', Math.Max(0, 39 - id.Length - 8));
        }

        /// <summary>A hash that is the same in every process (string.GetHashCode is randomized).</summary>
        public static int StableHash(string text)
        {
            unchecked
            {
                var hash = 2166136261u;
                foreach (var c in text ?? "") { hash ^= c; hash *= 16777619u; }
                return (int)(hash & 0x7FFFFFFF);
            }
        }

        /// <summary>The log of a sandbox tenant: history up to now, and the simulator that keeps adding to it.</summary>
        public static TeamLogModel CreateLog(DropboxTeam team, DirectoryModel directory, TeamLogProfile profile = null, DateTimeOffset? now = null)
        {
            profile = profile ?? new TeamLogProfile { Seed = StableHash(string.Join(",", team.AllMembers.Select(m => m.TeamMemberId))) % 100000 + 1 };
            var generator = ForTenant(team, directory, profile);
            var log = new TeamLogModel();
            var anchor = now ?? log.Clock();
            anchor = new DateTimeOffset(anchor.UtcTicks - anchor.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
            log.AppendRange(generator.History(profile, anchor));
            log.Simulator = generator;
            return log;
        }

        private static string Parent(string path) => path.Substring(0, path.LastIndexOf('/'));
        private static string Extension(string name) => name.Substring(name.LastIndexOf('.'));

        private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        private string Id(int length) => Id(_rng, length);
        private static string Id(Random rng, int length)
        {
            var chars = new char[length];
            for (var i = 0; i < length; i++) chars[i] = Alphabet[rng.Next(Alphabet.Length)];
            return new string(chars);
        }
        private string Digits(int length)
        {
            var chars = new char[length];
            for (var i = 0; i < length; i++) chars[i] = (char)('0' + _rng.Next(10));
            return new string(chars);
        }

        private sealed class Person
        {
            public string Email, DisplayName, AccountId, TeamMemberId, Ip;
            public bool External, IsAdmin;
            public (string City, string Region, string Country, string Net) Place;
        }
    }
}
