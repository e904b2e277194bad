using System;

namespace DropboxProvisioning.Sandbox
{
    /// <summary>SCIM list pages that do not hold together, as some SCIM servers answer.</summary>
    public enum ScimListingFault
    {
        None,
        /// <summary>startIndex is ignored: every page is the first one again, with the startIndex that was asked for echoed.</summary>
        RepeatsFirstPage,
        /// <summary>startIndex is ignored and the page says so: every page is the first one, reported as startIndex 1.</summary>
        IgnoresStartIndex,
        /// <summary>totalResults is the number of resources on the page, not the number that match.</summary>
        TotalIsPageSize,
    }

    /// <summary>How the sandbox behaves on the wire: limits and delays that the real services impose.</summary>
    public sealed class SandboxOptions
    {
        /// <summary>Requests per second each service accepts before answering 429 with Retry-After; 0 means no limit.</summary>
        public double GraphRequestsPerSecond { get; set; }

        /// <summary>Requests per second Dropbox accepts before answering 429 with Retry-After; 0 means no limit.</summary>
        public double DropboxRequestsPerSecond { get; set; }

        /// <summary>Added to every response, to model the network and the service's own time.</summary>
        public TimeSpan Latency { get; set; } = TimeSpan.Zero;

        /// <summary>
        /// Added to a Dropbox answer for each other Dropbox request already in flight: a service that slows down
        /// as one client sends more at once, which a client should notice and send fewer in parallel.
        /// </summary>
        public TimeSpan CongestionLatency { get; set; } = TimeSpan.Zero;

        /// <summary>
        /// How long a Team API members/add job runs: its status is in_progress until then, complete after. Dropbox
        /// gives no figure; a tenth of a second keeps a client that waits a moment before polling to one poll per job.
        /// </summary>
        public TimeSpan AddJobDuration { get; set; } = TimeSpan.FromMilliseconds(100);

        /// <summary>
        /// How many entries of members@delta a groups/delta item carries before the group is split across several items of
        /// the round (delta-query-groups, "Paging through members in a large group"). Graph publishes no figure (a
        /// 9,993-member group has been seen in 20 items); the sandbox's default is small so that small tenants meet the pattern.
        /// </summary>
        public int GraphMembersPerDeltaItem { get; set; } = DefaultGraphMembersPerDeltaItem;

        public const int DefaultGraphMembersPerDeltaItem = 5;

        /// <summary>
        /// The most resources a SCIM list page holds, whatever count asks (RFC 7644 §3.4.2.4: a server MAY return fewer);
        /// 0 means Dropbox's own 1,000. Pages are then shorter than asked while totalResults says more follow.
        /// </summary>
        public int ScimMaxResults { get; set; }

        /// <summary>How SCIM list pages break the rules, as other SCIM servers have been seen to; None for Dropbox's own paging.</summary>
        public ScimListingFault ScimListingFault { get; set; }

        /// <summary>
        /// The share (0 to 1) of the members still invited who accept their invitations at the start of each provisioning
        /// cycle (when a users/delta round begins), so that a team fills with joined members over cycles as a real one does;
        /// 0 (the default) leaves them invited until <see cref="Dropbox.DropboxTeam.AcceptInvitations"/> is called.
        /// </summary>
        public double InvitationsAcceptedPerCycle { get; set; }

        /// <summary>
        /// The value the managed identity endpoint (/msi/token) expects in X-IDENTITY-HEADER, as Azure Automation publishes it
        /// in IDENTITY_HEADER; null accepts any non-empty header (the in-process sandbox).
        /// </summary>
        public string ManagedIdentityHeader { get; set; }

        /// <summary>
        /// Which Dropbox provisioning APIs answer: both by default; a served sandbox started for one of them answers 404 on
        /// the other's paths (SCIM under /scim/v2, the Team API's team/* routes), as a team without that API would.
        /// </summary>
        public bool ServesScim { get; set; } = true;

        /// <inheritdoc cref="ServesScim"/>
        public bool ServesTeamApi { get; set; } = true;

        /// <summary>Faults to inject (429 storms, 5xx, slow answers, dropped connections, garbled JSON, lost answers); null for none.</summary>
        public Faults.FaultPlan Faults { get; set; }
    }
}
