using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace DropboxProvisioning.Engine.Tests.Fuzz
{
    /// <summary>
    /// Runs fuzz cases with a per-case time guard: a case that has not returned after <see cref="CaseTimeout"/> is a
    /// hang, reported with its input. Cases run on one worker thread watched from the test thread, so the guard costs
    /// nothing per case. DBX_FUZZ_SCALE multiplies the case counts (default 1; a soak run sets 20 or more).
    /// </summary>
    internal static class FuzzRunner
    {
        public static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(5);

        public static int Scale => int.TryParse(Environment.GetEnvironmentVariable("DBX_FUZZ_SCALE"), out var s) && s > 0 ? s : 1;

        /// <summary>Totals across the run, for reports: fuzz suite name to cases run.</summary>
        public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> CasesRun = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();

        /// <summary>
        /// Runs <paramref name="count"/> cases; <paramref name="makeCase"/> builds case i (deterministically), and
        /// <paramref name="runCase"/> returns null when the outcome is allowed, else a description of the finding.
        /// Returns the findings (at most 20 kept), each with its input.
        /// </summary>
        public static List<string> Run<T>(string suite, int count, Func<int, T> makeCase, Func<T, string> runCase, Func<T, string> describe)
        {
            var findings = new List<string>();
            long started = 0;
            var current = -1;
            var done = 0;
            Exception crash = null;
            var worker = new Thread(() =>
            {
                try
                {
                    for (var i = 0; i < count; i++)
                    {
                        var input = makeCase(i);
                        Volatile.Write(ref current, i);
                        Interlocked.Exchange(ref started, Stopwatch.GetTimestamp());
                        string finding;
                        try { finding = runCase(input); }
                        catch (Exception e) { finding = "threw " + e.GetType().FullName + ": " + e.Message + "\n" + e.StackTrace; }
                        if (finding != null && findings.Count < 20)
                            lock (findings) findings.Add($"case {i}: {describe(input)}\n  -> {finding}");
                        Interlocked.Increment(ref done);
                    }
                }
                catch (Exception e) { crash = e; }
            }, 16 * 1024 * 1024) { IsBackground = true, Name = "fuzz " + suite };
            worker.Start();
            while (!worker.Join(50))
            {
                var since = Interlocked.Read(ref started);
                if (since != 0 && TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - since) / (double)Stopwatch.Frequency) > CaseTimeout && worker.IsAlive)
                {
                    var i = Volatile.Read(ref current);
                    lock (findings) findings.Add($"case {i}: {describe(makeCase(i))}\n  -> did not return within {CaseTimeout.TotalSeconds} s (hang)");
                    CasesRun.AddOrUpdate(suite, done, (_, n) => n + done);
                    return findings;
                }
            }
            if (crash != null) throw crash;
            CasesRun.AddOrUpdate(suite, done, (_, n) => n + done);
            return findings;
        }

        private const string Punctuation = "\"[](),\\&-0 =<>";

        /// <summary>Mutations of a text: insert, delete, replace, duplicate or swap in a token, truncate.</summary>
        public static string Mutate(string text, Random random, IReadOnlyList<string> tokens, int rounds = 3)
        {
            var s = text;
            for (var r = 0; r < rounds; r++)
            {
                var at = s.Length == 0 ? 0 : random.Next(s.Length + 1);
                switch (random.Next(8))
                {
                    case 0: s = s.Insert(at, ((char)random.Next(32, 127)).ToString()); break;
                    case 1: if (s.Length > 0 && at < s.Length) s = s.Remove(at, Math.Min(s.Length - at, 1 + random.Next(4))); break;
                    case 2: s = s.Insert(at, tokens[random.Next(tokens.Count)]); break;
                    case 3: if (s.Length > 0) s = s.Substring(0, at); break;
                    case 4:
                        if (s.Length > 1)
                        {
                            var from = random.Next(s.Length);
                            var length = random.Next(1, Math.Min(20, s.Length - from) + 1);
                            s = s.Insert(at, s.Substring(from, length));
                        }
                        break;
                    case 5: if (s.Length > 0 && at < s.Length) s = s.Remove(at, 1).Insert(at, ((char)random.Next(0, 0x3000)).ToString()); break;
                    case 6: s = s.Insert(at, tokens[random.Next(tokens.Count)] + "(" ); break;
                    default: if (s.Length > 0 && at < s.Length) s = s.Remove(at, 1).Insert(at, Punctuation[random.Next(Punctuation.Length)].ToString()); break;
                }
            }
            return s;
        }

        public static string Show(string text) => text == null ? "null" : "'" + (text.Length > 300 ? text.Substring(0, 300) + "…" : text).Replace("\n", "\\n").Replace("\r", "\\r") + "'";
    }
}
