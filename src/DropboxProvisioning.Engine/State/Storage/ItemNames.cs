using System;

namespace DropboxProvisioning.State.Storage
{
    /// <summary>The items of a job's state, and what each is called in messages.</summary>
    public static class ItemNames
    {
        public const string State = "state.json";
        public const string Configuration = "configuration.json";
        public const string Lock = "cycle.lock";
        public const string Logs = "logs";
        public const string PendingWrites = "pending-writes.jsonl";
        public const string ActivityState = "activity-state.json";

        /// <summary>"state file", "lock file"...: the noun a message uses for an item.</summary>
        public static string Describe(string name)
        {
            var leaf = Leaf(name);
            switch (leaf)
            {
                case State: return "state file";
                case Configuration: return "configuration file";
                case Lock: return "lock file";
                case PendingWrites: return "pending-writes file";
                case ActivityState: return "activity state file";
            }
            if (leaf.EndsWith("credential.json", StringComparison.Ordinal) || leaf.EndsWith("authorization.json", StringComparison.Ordinal)) return "credential file";
            return "file";
        }

        /// <summary>The last segment of a name ("logs/x.jsonl" gives "x.jsonl").</summary>
        public static string Leaf(string name)
        {
            var slash = name.LastIndexOf('/');
            return slash < 0 ? name : name.Substring(slash + 1);
        }

        /// <summary>A folder and a name joined with '/'.</summary>
        public static string Join(string folder, string name) =>
            string.IsNullOrEmpty(folder) ? name : folder.TrimEnd('/') + "/" + name;
    }
}
