using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace DropboxProvisioning.Benchmarks
{
    /// <summary>The results file: machine, date, parameters, definitions, the table, notes.</summary>
    public static class Report
    {
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

        public static string Markdown(BenchOptions o, List<Row> rows, List<string> notes, DateTimeOffset started, DateTimeOffset finished)
        {
            var s = new StringBuilder();
            s.AppendLine("# Benchmark results (issue 7)");
            s.AppendLine();
            s.AppendLine("Written by `dotnet run -c Release --project bench/DropboxProvisioning.Benchmarks -- " + string.Join(" ", Environment.GetCommandLineArgs().Skip(1)) + "`.");
            s.AppendLine();
            s.AppendLine($"- Date: {started:yyyy-MM-dd HH:mm} to {finished:HH:mm} (UTC{started:zzz})");
            s.AppendLine($"- Machine: {CpuModel()}, {Environment.ProcessorCount} logical cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):N0} GiB; {RuntimeInformation.OSDescription.Trim()}; {RuntimeInformation.FrameworkDescription}; workstation GC");
            s.AppendLine($"- Commit: {Git("rev-parse --short HEAD")}{(string.IsNullOrEmpty(Git("status --porcelain --untracked-files=no")) ? "" : " (with uncommitted changes)")}");
            s.AppendLine($"- Parameters: latency {o.LatencyMs} ms added to every response; Dropbox rate limit {(o.Rate > 0 ? o.Rate.ToString(Inv) + " requests/s (token bucket, a one-second burst, 429 with Retry-After above it)" : "none (no bound: this run measures memory and CPU, not the rate-limited time)")}; " +
                         $"Graph rate limit {(o.GraphRate > 0 ? o.GraphRate.ToString(Inv) + "/s" : "none")}; tenant seed {o.Seed}; incremental: {o.ChangeFraction * 100:0.###}% of the users (at least one) change surname and displayName; engine settings: MaxRequestsPerSecond = the rate limit (without one: 10,000, the setting's ceiling), MaxConcurrency 8");
            s.AppendLine();
            s.AppendLine("| Target | Scenario | Implementation | Users | Requests made | reads / writes / 429 | Graph requests | Requests needed | Wall time (s) | Bound (s) | Ratio to bound | Peak working set (MB) | Allocated (MB) | Issue target | Outcome |");
            s.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
            foreach (var r in rows)
            {
                var rep = r.Report;
                var made = r.Made == null ? "—" : r.Made.TargetTotal.ToString("N0", Inv);
                var polls = r.Made == null || r.Made.TargetJobPolls == 0 ? "" : $" ({r.Made.TargetJobPolls.ToString("N0", Inv)} job polls)";
                var split = r.Made == null ? "—" : $"{r.Made.TargetReads.ToString("N0", Inv)}{polls} / {r.Made.TargetWrites.ToString("N0", Inv)} / {r.Made.TargetThrottled.ToString("N0", Inv)}";
                var graph = r.Made == null ? "—" : (r.Made.Graph + r.Made.Login).ToString("N0", Inv) + (r.Made.GraphThrottled > 0 ? $" ({r.Made.GraphThrottled} × 429)" : "")
                    + (r.Made.DropboxToken > 0 ? $" + {r.Made.DropboxToken.ToString("N0", Inv)} Dropbox token" : "");
                var needed = r.Needed == null ? "—" : $"{r.Needed.Total.ToString("N0", Inv)} ({r.Needed.Reads.ToString("N0", Inv)} r + {r.Needed.Writes.ToString("N0", Inv)} w)";
                var bound = r.Bound is double b ? b.ToString("N1", Inv) : "—";
                var ratio = r.Ratio is double x ? x.ToString("N1", Inv) + "x" : r.Needed != null && r.Rate > 0 ? "n/a (bound 0)" : "—";
                s.AppendLine($"| {r.Target} | {r.Scenario} | {r.Implementation} | {r.Users.ToString("N0", Inv)} | {made} | {split} | {graph} | {needed} | " +
                             $"{rep.WallSeconds.ToString("N1", Inv)} | {bound} | {ratio} | {Mb(rep.PeakWorkingSet)} | {Mb(rep.AllocatedBytes)} | {r.Check} | {Escape(rep.Error ?? rep.Outcome)} |");
            }
            s.AppendLine();
            s.AppendLine("## How to read it");
            s.AppendLine();
            s.AppendLine("- **Targets**: **SCIM** is Dropbox's SCIM 2.0 endpoint (/scim/v2: one POST per new user, one PATCH per change, pages of 1,000). " +
                         "**Team API** is Dropbox API v2's team routes (/2/team/...: members/add_v2 takes up to 20 new members a call, members/list_v2 pages of 1,000, " +
                         "set_profile_v2 per change, suspend/unsuspend/remove, groups/*), with an access token from the app's refresh token (Connect-DbxTenant -Api TeamApi). " +
                         "Both are served by the same sandbox over one team model, and metered by the same Dropbox rate limit (429 with Retry-After; Stone's RateLimitError on the Team API).");
            s.AppendLine("- **Requests made**: requests to the target counted by the loopback server, including those refused with 429; split into reads, writes and 429s. " +
                         "SCIM: GET reads, anything else writes. Team API (every /2/team/ route): members/add_v2, set_profile_v2, set_admin_permissions, suspend, unsuspend, remove, groups/create, update, delete, " +
                         "groups/members/add and remove write; everything else reads, including the polls of asynchronous jobs (members/add/job_status/get_v2), shown as \"job polls\" within the reads. " +
                         "A cycle also connects (Graph token, Graph service principal, one Dropbox probe: the `Test Connection` of Connect-DbxTenant, a SCIM GET or members/list_v2 with limit 1), and that is counted: every run pays it. " +
                         "**Graph requests** (with Entra's token requests) are shown apart: they do not count against Dropbox's limit, but each costs a round trip of the latency. " +
                         "So is **Dropbox token** (/oauth2/token: the Team API's access token from the refresh token, one per cycle): not one of the Team API's calls and not in the bound, though the sandbox meters it in the same bucket.");
            s.AppendLine("- **Requests needed** are derived from the generated tenant, not from the engine's plan (bench/DropboxProvisioning.Benchmarks/Needed.cs and each target's InitialNeeded): " +
                         "the eligible users (assigned directly or as a direct member of an assigned group, not Default Access only, enabled, with a surname) are creates, or adoptions of a pre-existing account with their userName (one write each to bring it in line), " +
                         "and the team is read once in pages of 1,000 to know what exists. SCIM initial = one POST per create + one PATCH per adoption + the pages. " +
                         "Team API initial = ceil(creates / 20) members/add_v2 + one set_profile_v2 per adoption + the pages + one job poll per add_v2 answered with a job " +
                         "(the sandbox answers up to 10 members at once and more through a job; synchronous calls of at most 10 members cost exactly as many requests, ceil(creates / 10), so the bound is the same whichever a client chooses; " +
                         "the sandbox answers a job's first poll \"in_progress\" whatever the wait, so in the sandbox a 20-member call costs at least 3 requests, which the bound does not grant). " +
                         "Incremental (0.1% of the users change surname and displayName, as on a marriage) = one write per changed user (a PATCH, or a set_profile_v2) and no read (Graph delta plus the state of the previous cycle need nothing from Dropbox); " +
                         "nothing changed = 0 (the issue allows a constant number of reads).");
            s.AppendLine("- **Bound** = requests needed / rate limit: no client can finish faster against the target. **Ratio** = wall time / bound. Graph's latency is not in the bound.");
            s.AppendLine("- **Wall time**: measured inside the child process from before Connect to after the state is saved (process start-up excluded). " +
                         "**Peak working set**: the child's VmHWM (engine or naive script plus the .NET runtime, nothing of the sandbox, which runs in the parent). **Allocated**: GC.GetTotalAllocatedBytes over the same span.");
            s.AppendLine($"- **Issue target**: initial ≤ 1.2x the bound (the issue asks it at 10,000 and 100,000 users); incremental: requests made ≤ 1.1 × changes + {Parent.IncrementalConstant} (our constant); " +
                         $"nothing changed: no writes and at most {Parent.NoChangeReads} requests; mapping ≥ 200,000 users/s on one core; peak working set < 300 MB at 100,000 users.");
            s.AppendLine("- **mapping** rows: the engine's default user mapping for the target's API (the Team API's is SCIM's less displayName, which that API cannot set), compiled against that API's schema, plus two scoping filters (userType EQUALS Member AND department IS NOT NULL; userType EQUALS Guest AND mail ENDS_WITH @fabrikam.com), " +
                         "evaluated in process on one thread over the tenant's users as the engine receives them; wall time is the timed evaluation only, and the peak working set includes the generated tenant.");
            s.AppendLine("- **naive**: an admin's script through a plain HttpClient, one request at a time, after reading the assignments and all users from Graph; sleeps Retry-After on 429. " +
                         "SCIM: per assigned user GET /Users?filter=userName eq \"...\", then POST, or PATCH of the attributes that differ. " +
                         "Team API: per assigned user members/get_info_v2 by e-mail, then members/add_v2 with that one member, or set_profile_v2 of the fields that differ (given name, surname, external id; the display name cannot be set); " +
                         "one access token from the refresh token, renewed on 401 expired_access_token.");
            if (notes.Count > 0)
            {
                s.AppendLine();
                s.AppendLine("## Notes");
                s.AppendLine();
                foreach (var n in notes.Distinct()) s.AppendLine("- " + n);
            }
            return s.ToString();
        }

        private static string Mb(long bytes) => bytes <= 0 ? "—" : (bytes / (1024.0 * 1024)).ToString("N0", Inv);

        private static string Escape(string text) => (text ?? "").Replace("|", "\\|").Replace("\n", " ");

        private static string CpuModel()
        {
            try
            {
                var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line != null) return line.Substring(line.IndexOf(':') + 1).Trim();
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            return RuntimeInformation.ProcessArchitecture.ToString();
        }

        private static string Git(string arguments)
        {
            try
            {
                var start = new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                using var git = Process.Start(start);
                var text = git.StandardOutput.ReadToEnd().Trim();
                git.WaitForExit(5000);
                return git.ExitCode == 0 ? text : "unknown";
            }
            catch (Exception) { return "unknown"; }
        }
    }
}
