using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Faults
{
    /// <summary>
    /// Faults the sandbox injects, by configuration: a list of <see cref="FaultRule"/>s applied per service, decided
    /// from a seed so that the same requests meet the same faults run after run. Whether a request starts a fault
    /// depends only on the seed, the rule, the request (method, path, query, body) and how many times that same
    /// request was seen before, not on the order concurrent requests arrive in; a burst covers the requests that
    /// follow it. Set on <see cref="SandboxOptions.Faults"/> (or <see cref="SandboxTenant.Faults"/>); null or
    /// <see cref="Enabled"/> false means none. Every fault is counted in <see cref="Counters"/>.
    /// </summary>
    public sealed class FaultPlan
    {
        private readonly object _gate = new object();
        private readonly List<FaultRule> _rules = new List<FaultRule>();
        private readonly Dictionary<string, int> _occurrences = new Dictionary<string, int>(StringComparer.Ordinal);

        public FaultPlan(int seed = 1) { Seed = seed; }

        public int Seed { get; }

        /// <summary>False to stop injecting (the counters keep their values).</summary>
        public bool Enabled { get; set; } = true;

        public FaultCounters Counters { get; } = new FaultCounters();

        public IReadOnlyList<FaultRule> Rules { get { lock (_gate) return _rules.ToList(); } }

        public FaultPlan Add(FaultRule rule)
        {
            if (rule == null) throw new ArgumentNullException(nameof(rule));
            if (rule.Probability < 0 || rule.Probability > 1) throw new ArgumentOutOfRangeException(nameof(rule), "Probability must be between 0 and 1.");
            if (rule.Burst < 1) throw new ArgumentOutOfRangeException(nameof(rule), "Burst must be at least 1.");
            lock (_gate) _rules.Add(rule);
            return this;
        }

        /// <summary>Adds a rule and returns it, for setting its other properties.</summary>
        public FaultRule Add(string service, FaultKind kind, double probability = 1, int burst = 1, int? maxStarts = null, FaultMethods methods = FaultMethods.Any)
        {
            var rule = new FaultRule(service, kind) { Probability = probability, Burst = burst, MaxStarts = maxStarts, Methods = methods };
            Add(rule);
            return rule;
        }

        /// <summary>A storm: <paramref name="length"/> consecutive requests to the service answered 429 with Retry-After.</summary>
        public FaultRule ThrottleStorm(string service, int length, double probability = 1, int retryAfterSeconds = 0, int? maxStorms = 1)
        {
            var rule = Add(service, FaultKind.Throttle, probability, length, maxStorms);
            rule.RetryAfterSeconds = retryAfterSeconds;
            return rule;
        }

        public void Clear()
        {
            lock (_gate) { _rules.Clear(); _occurrences.Clear(); }
        }

        /// <summary>The rule that applies to this request, or null; counts the request either way.</summary>
        internal async Task<FaultRule> DecideAsync(string service, HttpRequestMessage request)
        {
            if (!Enabled) return null;
            var method = request.Method.Method.ToUpperInvariant();
            var pathAndQuery = request.RequestUri.PathAndQuery;
            ulong bodyHash = 0;
            if (request.Content != null)
            {
                var bytes = await request.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                bodyHash = Fnv(bytes);
            }
            var key = method + " " + pathAndQuery + " " + bodyHash.ToString("x16", CultureInfo.InvariantCulture);
            Counters.Request();
            lock (_gate)
            {
                for (var index = 0; index < _rules.Count; index++)
                {
                    var rule = _rules[index];
                    if (!rule.Matches(service, method, pathAndQuery)) continue;
                    rule.Seen++;
                    if (rule.BurstLeft > 0)
                    {
                        rule.BurstLeft--;
                        return rule;
                    }
                    if (rule.Seen <= rule.Skip) continue;
                    if (rule.MaxStarts.HasValue && rule.Starts >= rule.MaxStarts.Value) continue;
                    var occurrenceKey = index.ToString(CultureInfo.InvariantCulture) + "|" + key;
                    _occurrences.TryGetValue(occurrenceKey, out var occurrence);
                    _occurrences[occurrenceKey] = occurrence + 1;
                    if (rule.Probability >= 1 || Unit(occurrenceKey, occurrence) < rule.Probability)
                    {
                        rule.Starts++;
                        rule.BurstLeft = rule.Burst - 1;
                        return rule;
                    }
                }
            }
            return null;
        }

        /// <summary>
        /// Answers a request through <paramref name="answer"/> (the emulator, with its rate limit), or in its place,
        /// with whatever fault the plan decides.
        /// </summary>
        public async Task<HttpResponseMessage> ApplyAsync(IServiceEmulator emulator, HttpRequestMessage request,
            Func<CancellationToken, Task<HttpResponseMessage>> answer, CancellationToken cancellationToken)
        {
            var rule = await DecideAsync(emulator.Service, request).ConfigureAwait(false);
            if (rule == null) return await answer(cancellationToken).ConfigureAwait(false);
            Counters.Add(emulator.Service, rule.Kind);
            switch (rule.Kind)
            {
                case FaultKind.Throttle:
                    return EmulatorResponse.TooManyRequests(rule.RetryAfterSeconds, emulator.RateLimitedBody(rule.RetryAfterSeconds, rule.RateLimitReason));
                case FaultKind.InternalServerError:
                    return ServerError(emulator.Service, HttpStatusCode.InternalServerError, "An internal error occurred; the request was not carried out.");
                case FaultKind.BadGateway:
                    return BadGateway();
                case FaultKind.ServiceUnavailable:
                {
                    var response = ServerError(emulator.Service, HttpStatusCode.ServiceUnavailable, "The service is temporarily unavailable; try again later.");
                    response.Headers.TryAddWithoutValidation("Retry-After", rule.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture));
                    return response;
                }
                case FaultKind.Slow:
                    await Task.Delay(rule.Delay, cancellationToken).ConfigureAwait(false);
                    return await answer(cancellationToken).ConfigureAwait(false);
                case FaultKind.DropConnection:
                {
                    var partial = Encoding.UTF8.GetBytes("{\"value\":[{\"id\":\"");
                    return new HttpResponseMessage(HttpStatusCode.OK) { Content = new DroppedResponseContent(partial, 4096) };
                }
                case FaultKind.MalformedJson:
                {
                    var real = await answer(cancellationToken).ConfigureAwait(false);
                    var bytes = real.Content == null ? new byte[0] : await real.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    if (IsSuccess(real)) Counters.Lost();
                    var type = real.Content?.Headers.ContentType?.ToString() ?? "application/json";
                    real.Content = new ByteArrayContent(Garble(bytes, request));
                    real.Content.Headers.TryAddWithoutValidation("Content-Type", type);
                    return real;
                }
                case FaultKind.LostResponseDropped:
                {
                    var real = await answer(cancellationToken).ConfigureAwait(false);
                    var bytes = real.Content == null ? new byte[0] : await real.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    if (IsSuccess(real)) Counters.Lost();
                    var type = real.Content?.Headers.ContentType?.ToString();
                    real.Content = new DroppedResponseContent(bytes.Take(bytes.Length / 2).ToArray(), bytes.Length, type);
                    return real;
                }
                case FaultKind.LostResponseBadGateway:
                {
                    using (var real = await answer(cancellationToken).ConfigureAwait(false))
                        if (IsSuccess(real)) Counters.Lost();
                    if (rule.LostResponseStatus == 502) return BadGateway();
                    var lost = ServerError(emulator.Service, (HttpStatusCode)rule.LostResponseStatus, "The gateway lost the service's answer.");
                    lost.Headers.TryAddWithoutValidation("Retry-After", rule.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture));
                    return lost;
                }
                default:
                    return await answer(cancellationToken).ConfigureAwait(false);
            }
        }

        private static bool IsSuccess(HttpResponseMessage response) => (int)response.StatusCode >= 200 && (int)response.StatusCode < 300;

        private static HttpResponseMessage BadGateway()
        {
            var response = new HttpResponseMessage(HttpStatusCode.BadGateway)
            {
                Content = new StringContent("<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>", Encoding.UTF8, "text/html"),
            };
            return response;
        }

        private static HttpResponseMessage ServerError(string service, HttpStatusCode status, string message)
        {
            var code = (int)status;
            switch (service)
            {
                case "scim":
                    return EmulatorResponse.Json(status, new JObject
                    {
                        ["schemas"] = new JArray("urn:ietf:params:scim:api:messages:2.0:Error"),
                        ["status"] = code.ToString(CultureInfo.InvariantCulture),
                        ["detail"] = message,
                    }, "application/scim+json");
                case "login":
                    return EmulatorResponse.Json(status, new JObject
                    {
                        ["error"] = "temporarily_unavailable",
                        ["error_description"] = "AADSTS90033: " + message,
                        ["error_codes"] = new JArray(90033),
                    });
                default:
                    return EmulatorResponse.Json(status, new JObject
                    {
                        ["error"] = new JObject
                        {
                            ["code"] = code == 503 ? "serviceNotAvailable" : "generalException",
                            ["message"] = message,
                            ["innerError"] = new JObject { ["request-id"] = Guid.Empty.ToString(), ["date"] = "2025-01-01T00:00:00" },
                        },
                    });
            }
        }

        /// <summary>A body that is not the JSON it should be: cut short, cut to nothing, HTML, or with a stray byte.</summary>
        private byte[] Garble(byte[] bytes, HttpRequestMessage request)
        {
            var pick = (int)(Unit("garble|" + request.Method.Method + " " + request.RequestUri.PathAndQuery, bytes.Length) * 4);
            switch (pick)
            {
                case 0:
                    return bytes.Length > 1 ? bytes.Take(bytes.Length / 2).ToArray() : Encoding.UTF8.GetBytes("{\"");
                case 1:
                    return Encoding.UTF8.GetBytes("{");
                case 2:
                    return Encoding.UTF8.GetBytes("<html><body>Service error</body></html>");
                default:
                    var text = Encoding.UTF8.GetString(bytes);
                    return Encoding.UTF8.GetBytes(text.Length == 0 ? "]" : text.Insert(text.Length / 2, "\u0000}]\""));
            }
        }

        private double Unit(string key, int occurrence)
        {
            var hash = Fnv(Encoding.UTF8.GetBytes(Seed.ToString(CultureInfo.InvariantCulture) + "|" + key + "|" + occurrence.ToString(CultureInfo.InvariantCulture)));
            // splitmix64 finaliser, then the top 53 bits as a double in [0, 1).
            hash ^= hash >> 30; hash *= 0xbf58476d1ce4e5b9UL;
            hash ^= hash >> 27; hash *= 0x94d049bb133111ebUL;
            hash ^= hash >> 31;
            return (hash >> 11) * (1.0 / (1UL << 53));
        }

        private static ulong Fnv(byte[] bytes)
        {
            var hash = 14695981039346656037UL;
            foreach (var b in bytes) { hash ^= b; hash *= 1099511628211UL; }
            return hash;
        }

        public override string ToString() => $"FaultPlan(seed {Seed}, {Rules.Count} rule(s)): {Counters}";
    }
}
