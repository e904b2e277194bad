using System;

namespace DropboxProvisioning.Sandbox.Faults
{
    /// <summary>
    /// One kind of fault on one service: which requests it may hit, how likely each is to start it, how many
    /// consecutive requests one start covers, and how many times it may start at most.
    /// </summary>
    public sealed class FaultRule
    {
        public FaultRule(string service, FaultKind kind)
        {
            Service = string.IsNullOrEmpty(service) ? "*" : service;
            Kind = kind;
        }

        /// <summary>"graph", "login" (the token endpoint), "scim", "dropbox-api", or "*" for every service.</summary>
        public string Service { get; }

        public FaultKind Kind { get; }

        /// <summary>The chance, 0 to 1, that a matching request starts the fault (decided from the plan's seed).</summary>
        public double Probability { get; set; } = 1;

        /// <summary>How many consecutive matching requests one start covers (a storm of 429s); at least 1.</summary>
        public int Burst { get; set; } = 1;

        /// <summary>How many times the fault may start in all; null for no limit.</summary>
        public int? MaxStarts { get; set; }

        /// <summary>How many matching requests pass untouched before the rule may start at all.</summary>
        public int Skip { get; set; }

        public FaultMethods Methods { get; set; } = FaultMethods.Any;

        /// <summary>Only requests whose path (and query) contains this text, case-insensitively; null for all.</summary>
        public string PathContains { get; set; }

        /// <summary>The Retry-After seconds sent with 429 and 503.</summary>
        public int RetryAfterSeconds { get; set; }

        /// <summary>Dropbox API v2's reason for a 429 (too_many_requests or too_many_write_operations); null for the service's usual one.</summary>
        public string RateLimitReason { get; set; }

        /// <summary>
        /// The status a <see cref="FaultKind.LostResponseBadGateway"/> answers in place of the real one: 502 unless set
        /// (504 or 503 make a client's retry handler send the write again).
        /// </summary>
        public int LostResponseStatus { get; set; } = 502;

        /// <summary>How long a <see cref="FaultKind.Slow"/> answer takes.</summary>
        public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(30);

        internal int Seen;
        internal int Starts;
        internal int BurstLeft;

        internal bool Matches(string service, string method, string pathAndQuery)
        {
            if (Service != "*" && !string.Equals(Service, service, StringComparison.OrdinalIgnoreCase)) return false;
            var read = method == "GET" || method == "HEAD";
            if (Methods == FaultMethods.Reads && !read) return false;
            if (Methods == FaultMethods.Writes && read) return false;
            if (PathContains != null && pathAndQuery.IndexOf(PathContains, StringComparison.OrdinalIgnoreCase) < 0) return false;
            return true;
        }

        public override string ToString() =>
            $"{Kind} on {Service} ({Methods}{(PathContains == null ? "" : " " + PathContains)}): p={Probability}, burst={Burst}, max={(MaxStarts?.ToString() ?? "-")}";
    }
}
