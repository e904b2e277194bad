using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Mapping.Scoping;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.Sync;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Benchmarks
{
    /// <summary>
    /// Mapping and scoping evaluation alone, in process, on one thread: the target's user mapping plus two
    /// scoping filters an admin might add, over the generated tenant's users exactly as the engine receives them
    /// (Graph JSON through DirectorySnapshot.ToSourceObject). Loading is not timed; after half a second of warm-up,
    /// evaluation is timed in five rounds of whole passes of at least half a second each, and the median round reported.
    /// </summary>
    public static class MappingBench
    {
        public const int Rounds = 5;
        public static readonly TimeSpan RoundTime = TimeSpan.FromSeconds(0.5);

        public static ObjectMapping WithScoping(ObjectMapping mapping)
        {
            mapping.ScopingFilters = new List<ScopingFilter>
            {
                new ScopingFilter("Members with a department",
                    new ScopingClause("userType", ScopingOperator.Equals, "Member"),
                    new ScopingClause("department", ScopingOperator.IsNotNull)),
                new ScopingFilter("Guests from partner domains",
                    new ScopingClause("userType", ScopingOperator.Equals, "Guest"),
                    new ScopingClause("mail", ScopingOperator.EndsWith, "@fabrikam.com")),
            };
            return mapping;
        }

        /// <summary>Builds the source objects (untimed).</summary>
        public static async Task<List<SourceObject>> LoadAsync(CompiledMapping mapping, int users, int seed, CancellationToken ct)
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = users, Seed = seed });
            using var http = new HttpClient(tenant.CreateHandler());
            var token = tenant.Directory.IssueAccessToken();
            var select = GraphAttributeNames.Select(SourceObjectKind.User, mapping.SourceAttributes);
            var uri = new Uri($"https://graph.microsoft.com/v1.0/users?$select={select}&$top=999");
            var sources = new List<SourceObject>(users);
            while (uri != null)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
                var page = JObject.Parse(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException("Graph: " + page);
                foreach (var item in (JArray)page["value"])
                {
                    var source = DirectorySnapshot.ToSourceObject(SourceObjectKind.User, (JObject)item);
                    source.Set(GraphAttributeNames.IsSoftDeleted, !(source.Get("accountEnabled") as bool? ?? true));
                    sources.Add(source);
                }
                var next = (string)page["@odata.nextLink"];
                uri = next == null ? null : new Uri(next);
            }
            return sources;
        }

        public static async Task<ChildReport> RunAsync(IBenchTarget target, int users, int seed, CancellationToken ct)
        {
            var mapping = new CompiledMapping(WithScoping(target.UserMapping()), target.Api);
            var sources = await LoadAsync(mapping, users, seed, ct).ConfigureAwait(false);
            GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();

            var inScope = Pass(mapping, sources); // warm-up (JIT, tiering)
            for (var warm = Stopwatch.StartNew(); warm.Elapsed < RoundTime;) Pass(mapping, sources);

            // Rounds of whole passes; the median round is reported (the machine is shared: one slow round says little).
            var rounds = new List<double>();
            long evaluated = 0;
            var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
            var total = Stopwatch.StartNew();
            for (var r = 0; r < Rounds; r++)
            {
                long inRound = 0;
                var clock = Stopwatch.StartNew();
                do { Pass(mapping, sources); inRound += sources.Count; } while (clock.Elapsed < RoundTime);
                rounds.Add(inRound / clock.Elapsed.TotalSeconds);
                evaluated += inRound;
            }
            total.Stop();
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated0;
            rounds.Sort();
            var median = rounds[rounds.Count / 2];
            return new ChildReport
            {
                WallSeconds = total.Elapsed.TotalSeconds,
                AllocatedBytes = allocated,
                Objects = evaluated,
                ObjectsPerSecond = median,
                Outcome = $"{median:N0} users/s on 1 thread (median of {Rounds} rounds, {rounds[0]:N0} to {rounds[rounds.Count - 1]:N0}); " +
                          $"{inScope} of {sources.Count} in scope; {(double)allocated / evaluated:N0} B allocated per user",
            };
        }

        /// <summary>What the engine does per user: scope it, then map it (forCreate, the larger set).</summary>
        private static int Pass(CompiledMapping mapping, List<SourceObject> sources)
        {
            var inScope = 0;
            foreach (var source in sources)
            {
                if (!mapping.Scope.Evaluate(source).InScope) continue;
                inScope++;
                mapping.Evaluate(source, forCreate: true);
            }
            return inScope;
        }
    }
}
