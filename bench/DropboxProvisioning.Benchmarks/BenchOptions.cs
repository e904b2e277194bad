using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DropboxProvisioning.Benchmarks
{
    /// <summary>The scenarios of issue 7.</summary>
    public static class Scenarios
    {
        public const string Initial = "initial";
        public const string Incremental = "incremental";
        public const string NoChange = "nochange";
        public const string Mapping = "mapping";
        public static readonly string[] All = { Initial, Incremental, NoChange, Mapping };
    }

    /// <summary>Who provisions: the engine, or the naive per-user script.</summary>
    public static class Implementations
    {
        public const string Engine = "engine";
        public const string Naive = "naive";
        public static readonly string[] All = { Engine, Naive };
    }

    /// <summary>Where the job's state lives: a local directory, or a blob container on Azurite.</summary>
    public static class Stores
    {
        public const string Local = "local";
        public const string Blob = "blob";
        public static readonly string[] All = { Local, Blob };
    }

    /// <summary>The command line of the parent run.</summary>
    public sealed class BenchOptions
    {
        public int[] Users { get; set; } = { 1000, 10000, 100000 };
        /// <summary>Added by the sandbox to every response (network plus the service's own time).</summary>
        public int LatencyMs { get; set; } = 50;
        /// <summary>Requests per second the target (Dropbox) accepts before 429 + Retry-After.</summary>
        public double Rate { get; set; } = 25;
        /// <summary>Requests per second Graph accepts; 0 = no limit (Graph's real per-app limits are far above 25/s).</summary>
        public double GraphRate { get; set; }
        public HashSet<string> ScenarioSet { get; set; } = new HashSet<string>(Scenarios.All);
        public HashSet<string> ImplementationSet { get; set; } = new HashSet<string>(Implementations.All);
        public HashSet<string> TargetSet { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "scim", "teamapi" };
        public string Output { get; set; } = "bench/results.md";
        /// <summary>State stores to run each engine cycle on (default: the local directory only).</summary>
        public List<string> StoreList { get; set; } = new List<string> { Stores.Local };
        public int Seed { get; set; } = 7;
        /// <summary>Share of the users changed before the incremental cycle (0.1%, at least one user).</summary>
        public double ChangeFraction { get; set; } = 0.001;
        /// <summary>A child run that takes longer is stopped and reported as such.</summary>
        public TimeSpan ChildTimeout { get; set; } = TimeSpan.FromMinutes(90);
        /// <summary>Above this size the naive script is not run (it takes 2 round trips per user, one at a time).</summary>
        public int NaiveMaxUsers { get; set; } = int.MaxValue;

        public const string Usage =
@"dotnet run -c Release --project bench/DropboxProvisioning.Benchmarks -- [options]
   (or: ... -- load [--runs 10] [--output bench/results-load.md]   module load time in fresh pwsh processes)
  --users 1000,10000,100000    tenant sizes (default: 1000,10000,100000)
  --latency 50                 added latency per request, ms
  --rate 25                    Dropbox requests per second before 429 + Retry-After
  --graph-rate 0               Graph requests per second (0 = no limit)
  --scenarios initial,incremental,nochange,mapping
  --impl engine,naive          implementations to run side by side
  --targets scim,teamapi       targets: scim (Dropbox SCIM 2.0), teamapi (Dropbox Team API v2); default both
  --store local,blob           the engine's state: a local directory, and/or a blob container on Azurite (tests/azurite)
  --naive-max-users N          skip the naive script above N users
  --change-fraction 0.001      share of users changed before the incremental cycle
  --seed 7                     tenant generator seed
  --timeout-minutes 90         per child process
  --output bench/results.md    results file (markdown); '-' for none";

        public static BenchOptions Parse(string[] args)
        {
            var o = new BenchOptions();
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i].ToLowerInvariant())
                {
                    case "--users": o.Users = List(Next()).Select(ParseCount).ToArray(); break;
                    case "--latency": o.LatencyMs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--rate": o.Rate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--graph-rate": o.GraphRate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--scenarios": o.ScenarioSet = Known(List(Next()), Scenarios.All, "scenario"); break;
                    case "--impl": case "--implementations": o.ImplementationSet = Known(List(Next()), Implementations.All, "implementation"); break;
                    case "--targets": o.TargetSet = new HashSet<string>(List(Next()).Select(t => BenchTargets.Get(t).Key), StringComparer.OrdinalIgnoreCase); break;
                    case "--store": case "--stores": o.StoreList = Known(List(Next()), Stores.All, "store").OrderBy(x => Array.IndexOf(Stores.All, x)).ToList(); break;
                    case "--naive-max-users": o.NaiveMaxUsers = ParseCount(Next()); break;
                    case "--change-fraction": o.ChangeFraction = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--seed": o.Seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--timeout-minutes": o.ChildTimeout = TimeSpan.FromMinutes(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
                    case "--output": o.Output = Next(); break;
                    case "-h": case "--help": throw new HelpRequested();
                    default: throw new ArgumentException($"Unknown option '{args[i]}'.");
                }
            }
            return o;
        }

        private static IEnumerable<string> List(string text) =>
            text.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim().ToLowerInvariant());

        /// <summary>1000, 1_000, 1k, 10k, 100k.</summary>
        private static int ParseCount(string text)
        {
            text = text.Replace("_", "");
            var factor = 1;
            if (text.EndsWith("k")) { factor = 1000; text = text.Substring(0, text.Length - 1); }
            return checked(int.Parse(text, CultureInfo.InvariantCulture) * factor);
        }

        private static HashSet<string> Known(IEnumerable<string> values, string[] known, string what)
        {
            var set = new HashSet<string>();
            foreach (var v in values)
            {
                if (!known.Contains(v)) throw new ArgumentException($"Unknown {what} '{v}': one of {string.Join(", ", known)}.");
                set.Add(v);
            }
            return set;
        }
    }

    public sealed class HelpRequested : Exception { }
}
