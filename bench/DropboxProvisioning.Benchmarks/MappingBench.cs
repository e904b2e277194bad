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
    /// (Graph JSON through DirectorySnapshot.ToSourceObject). Loading is not timed; evaluation is timed over whole
    /// passes until at least two seconds have run, after one warm-up pass.
    /// </summary>
    public static class MappingBench
    {
        public static readonly TimeSpan MinimumTime = TimeSpan.FromSeconds(2);

        public static ObjectMapping WithScoping(ObjectMapping mapping)
        {
            mapping.ScopingFilters = new List<ScopingFilter>
            {
                new ScopingFilter("Members with a department",
                    new ScopingClause("userType", ScopingOperator.Equals, "Member"),
                    new ScopingClause("department", ScopingOperator.IsNotNull)),
                new ScopingFilter("Guests from partner domains",
                    new ScopingClause("userType", ScopingOperator.Equals, "Guest"),
                    new ScopingClause("mail", ScopingOperator.EndsWith, ".com")),
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
            var mapping = new CompiledMapping(WithScoping(target.UserMapping()));
            var sources = await LoadAsync(mapping, users, seed, ct).ConfigureAwait(false);
            GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();

            var inScope = Pass(mapping, sources); // warm-up (JIT, tiering)
            long evaluated = 0;
            var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            do
            {
                Pass(mapping, sources);
                evaluated += sources.Count;
            } while (clock.Elapsed < MinimumTime);
            clock.Stop();
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated0;
            var perSecond = evaluated / clock.Elapsed.TotalSeconds;
            return new ChildReport
            {
                WallSeconds = clock.Elapsed.TotalSeconds,
                AllocatedBytes = allocated,
                Objects = evaluated,
                ObjectsPerSecond = perSecond,
                Outcome = $"{perSecond:N0} users/s on 1 thread; {inScope} of {sources.Count} in scope; {(double)allocated / evaluated:N0} B allocated per user",
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
