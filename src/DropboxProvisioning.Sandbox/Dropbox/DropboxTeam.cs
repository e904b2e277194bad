using System;
using System.Collections.Generic;
using System.Linq;

namespace DropboxProvisioning.Sandbox.Dropbox
{
    // TEMPORARY (sandbox-graph branch): the least of DropboxTeam that the tenant generator needs to compile.
    // The sandbox-scim branch owns this file; at merge, keep its version (it must offer the same AddMember).

    public enum DropboxMemberStatus { Invited, Active, Suspended, Removed }

    public sealed class DropboxMember
    {
        public string Email { get; set; }
        public string GivenName { get; set; }
        public string Surname { get; set; }
        public DropboxMemberStatus Status { get; set; }
        public string ExternalId { get; set; }
    }

    /// <summary>The Dropbox team: members and groups, one model that every Dropbox API surface looks at.</summary>
    public sealed class DropboxTeam
    {
        private readonly object _gate = new object();
        private readonly List<DropboxMember> _members = new List<DropboxMember>();

        public IReadOnlyList<DropboxMember> Members
        {
            get { lock (_gate) return _members.ToList(); }
        }

        public DropboxMember AddMember(string email, string givenName, string surname, DropboxMemberStatus status, string externalId = null)
        {
            var member = new DropboxMember { Email = email, GivenName = givenName, Surname = surname, Status = status, ExternalId = externalId };
            lock (_gate) _members.Add(member);
            return member;
        }
    }
}
