using System;
using System.Collections.Generic;
using System.Linq;

namespace DropboxProvisioning.Sandbox.Dropbox
{
    /// <summary>A team folder: its id (also its shared folder's id), name, status and its members with their access levels.</summary>
    public sealed class DropboxTeamFolder
    {
        public string TeamFolderId { get; set; }
        public string Name { get; set; }

        /// <summary>TeamFolderStatus tag: active, archived, archive_in_progress, inactive.</summary>
        public string Status { get; set; } = "active";

        /// <summary>Members (group ids g:..., or team member ids) and their AccessLevel tag (editor, viewer...).</summary>
        public Dictionary<string, string> Members { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        public override string ToString() => $"{TeamFolderId} {Name} ({Status}, {Members.Count} member(s))";
    }

    /// <summary>The team's team folders, thread-safe; names are unique without regard to case, as Dropbox's are.</summary>
    public sealed class DropboxTeamFolders
    {
        private readonly object _gate = new object();
        private readonly List<DropboxTeamFolder> _folders = new List<DropboxTeamFolder>();
        private long _next = 1000;

        /// <summary>A new active team folder, or null when one of that name exists.</summary>
        public DropboxTeamFolder Create(string name)
        {
            lock (_gate)
            {
                if (_folders.Any(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))) return null;
                var folder = new DropboxTeamFolder { TeamFolderId = (++_next * 7919).ToString(System.Globalization.CultureInfo.InvariantCulture), Name = name };
                _folders.Add(folder);
                return folder;
            }
        }

        public IReadOnlyList<DropboxTeamFolder> All { get { lock (_gate) return _folders.ToList(); } }

        public DropboxTeamFolder Get(string id) { lock (_gate) return _folders.FirstOrDefault(f => f.TeamFolderId == id); }

        public DropboxTeamFolder FindByName(string name) { lock (_gate) return _folders.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)); }

        /// <summary>Changes a folder's members under the lock.</summary>
        public T Edit<T>(DropboxTeamFolder folder, Func<DropboxTeamFolder, T> edit) { lock (_gate) return edit(folder); }

        /// <summary>A member's access level, or null.</summary>
        public string AccessOf(string folderId, string memberId)
        {
            lock (_gate)
            {
                var folder = _folders.FirstOrDefault(f => f.TeamFolderId == folderId);
                return folder != null && folder.Members.TryGetValue(memberId, out var level) ? level : null;
            }
        }
    }
}
