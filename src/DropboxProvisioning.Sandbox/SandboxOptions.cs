using System;

namespace DropboxProvisioning.Sandbox
{
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

        /// <summary>Faults to inject (429 storms, 5xx, slow answers, dropped connections, garbled JSON, lost answers); null for none.</summary>
        public Faults.FaultPlan Faults { get; set; }
    }
}
