using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Dropbox.Scim;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Http;
using DropboxProvisioning.Mapping.Expressions;
using DropboxProvisioning.Mapping.Scoping;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace DropboxProvisioning.Engine.Tests.Fuzz
{
    /// <summary>
    /// The SCIM and Graph clients reading random and mutated answers (status, headers, body) through a real HttpClient
    /// and the engine's own pipeline, whose last handler answers with the mutated bytes: only success or a
    /// DbxException may come out. And scoping filters with random operators, regexes and values: only a result or a
    /// ScopingException.
    /// </summary>
    public sealed class ClientResponseFuzzTests
    {
        private readonly ITestOutputHelper _output;
        public ClientResponseFuzzTests(ITestOutputHelper output) { _output = output; }

        /// <summary>Answers every request with the case's status, headers and bytes; after a few calls, an empty last page (so paging ends).</summary>
        private sealed class MutatedAnswers : HttpMessageHandler
        {
            private readonly int _status;
            private readonly byte[] _body;
            private readonly string _contentType;
            private readonly string _retryAfter;
            private int _calls;

            public MutatedAnswers(int status, byte[] body, string contentType, string retryAfter)
            {
                _status = status; _body = body; _contentType = contentType; _retryAfter = retryAfter;
            }

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var response = new HttpResponseMessage((HttpStatusCode)_status) { RequestMessage = request };
                if (Interlocked.Increment(ref _calls) > 40)
                {
                    response.StatusCode = HttpStatusCode.OK;
                    response.Content = new StringContent("{\"totalResults\":0,\"Resources\":[],\"value\":[]}", Encoding.UTF8, "application/json");
                    return Task.FromResult(response);
                }
                response.Content = new ByteArrayContent(_body);
                if (_contentType != null) response.Content.Headers.TryAddWithoutValidation("Content-Type", _contentType);
                if (_retryAfter != null) response.Headers.TryAddWithoutValidation("Retry-After", _retryAfter);
                if (_status == 301 || _status == 302 || _status == 307 || _status == 308)
                    response.Headers.TryAddWithoutValidation("Location", request.RequestUri.ToString());
                return Task.FromResult(response);
            }
        }

        private static readonly string[] ScimBodies =
        {
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],\"totalResults\":2,\"startIndex\":1,\"itemsPerPage\":2,\"Resources\":[{\"id\":\"dbmid:1\",\"userName\":\"a@contoso.com\",\"active\":true,\"name\":{\"givenName\":\"A\",\"familyName\":\"B\"},\"emails\":[{\"value\":\"a@contoso.com\",\"type\":\"work\",\"primary\":true}]},{\"id\":\"dbmid:2\",\"userName\":\"b@contoso.com\"}]}",
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"id\":\"dbmid:1\",\"userName\":\"a@contoso.com\",\"active\":false,\"meta\":{\"resourceType\":\"User\",\"version\":\"W/\\\"3\\\"\"}}",
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:Error\"],\"status\":\"409\",\"scimType\":\"uniqueness\",\"detail\":\"The user name is already taken.\"}",
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:Error\"],\"status\":\"400\",\"scimType\":\"invalidFilter\",\"detail\":\"bad\"}",
            "",
        };

        private static readonly string[] GraphBodies =
        {
            "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#users\",\"value\":[{\"id\":\"1\",\"userPrincipalName\":\"a@contoso.com\"}],\"@odata.nextLink\":\"https://graph.microsoft.com/v1.0/users?$skiptoken=abc\"}",
            "{\"value\":[{\"id\":\"1\",\"principalType\":\"User\",\"principalId\":\"1\",\"appRoleId\":\"00000000-0000-0000-0000-000000000000\"}],\"@odata.deltaLink\":\"https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x\"}",
            "{\"id\":\"d0b0c0a0-1111-4222-8333-444455556666\",\"appId\":\"x\",\"displayName\":\"Dropbox for Business\",\"appRoles\":[]}",
            "{\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":\"Insufficient privileges to complete the operation.\",\"innerError\":{\"date\":\"2024-01-01T00:00:00\"}}}",
        };

        private static readonly string[] JsonValues =
        {
            "null", "true", "0", "-1", "1e400", "2147483648", "99999999999999999999", "\"\"", "\"abc\"", "\"not a uri\"", "\"/relative?x=1\"", "\"http://[bad\"", "\"https://graph.microsoft.com/v1.0/users?x=1\"", "[]", "{}", "[1,\"a\",null]", "{\"a\":{\"b\":[]}}", "1.5",
        };

        private static readonly string[] Keys = { "totalResults", "startIndex", "Resources", "id", "userName", "value", "@odata.nextLink", "@odata.deltaLink", "error", "code", "message", "detail", "scimType", "status", "displayName", "active" };

        private static readonly int[] Statuses = { 200, 200, 200, 201, 204, 200, 202, 206, 301, 304, 400, 401, 403, 404, 409, 410, 412, 413, 429, 500, 502, 503, 504, 418, 299, 599 };

        /// <summary>A JSON-aware mutation: a key's value replaced by another type, a key dropped, the whole thing wrapped or cut.</summary>
        /// <summary>
        /// A JSON value to put in a body. .NET Framework cannot hold 1e400 as a number (it overflows a double), so
        /// there the literal goes in as written; on .NET it parses as before.
        /// </summary>
        private static JToken Literal(string json)
        {
            try { return JToken.Parse(json); }
            catch (Newtonsoft.Json.JsonReaderException) { return new JRaw(json); }
        }

        private static string MutateJson(string json, Random random)
        {
            JToken token;
            try { token = JToken.Parse(json.Length == 0 ? "{}" : json); }
            catch (Newtonsoft.Json.JsonException) { return json; }
            var containers = (token is JContainer root ? root.DescendantsAndSelf() : new[] { token }).OfType<JObject>().ToList();
            for (var round = random.Next(1, 4); round > 0 && containers.Count > 0; round--)
            {
                var target = containers[random.Next(containers.Count)];
                var key = random.NextDouble() < 0.7 && target.Properties().Any()
                    ? target.Properties().ElementAt(random.Next(target.Properties().Count())).Name
                    : Keys[random.Next(Keys.Length)];
                switch (random.Next(4))
                {
                    case 0: target.Remove(key); break;
                    case 1: target[key] = Literal(JsonValues[random.Next(JsonValues.Length)]); break;
                    case 2: target[key] = new JArray(Literal(JsonValues[random.Next(JsonValues.Length)]), Literal(JsonValues[random.Next(JsonValues.Length)])); break;
                    default: target[key] = Literal(JsonValues[random.Next(JsonValues.Length)]); break;
                }
            }
            return random.NextDouble() < 0.05 ? "[" + token.ToString(Newtonsoft.Json.Formatting.None) + "]" : token.ToString(Newtonsoft.Json.Formatting.None);
        }

        private static (int Status, byte[] Body, string ContentType, string RetryAfter, int Operation) MakeCase(int i, string[] corpus)
        {
            var random = new Random(7000 + i);
            var text = corpus[random.Next(corpus.Length)];
            var mode = random.Next(10);
            if (mode < 6) text = MutateJson(text, random);
            else if (mode < 9) text = FuzzRunner.Mutate(text, random, Keys.Concat(JsonValues).Concat(new[] { "{", "}", "[", "]", ":", ",", "\"" }).ToList(), 1 + random.Next(5));
            var body = Encoding.UTF8.GetBytes(text);
            if (random.NextDouble() < 0.03) body = Enumerable.Range(0, random.Next(1, 64)).Select(_ => (byte)random.Next(256)).ToArray();
            if (random.NextDouble() < 0.02) body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(body).ToArray();
            var status = Statuses[random.Next(Statuses.Length)];
            var contentType = new[] { "application/json", "application/scim+json", "application/json; charset=utf-8", "text/html", null, "application/json; charset=bogus-7" }[random.Next(6)];
            // Retry-After 0 keeps retried answers fast; the pipeline would otherwise back off for seconds.
            var retryAfter = status == 429 || status == 503 || status == 504 ? "0" : random.NextDouble() < 0.1 ? "abc" : null;
            return (status, body, contentType, retryAfter, random.Next(8));
        }

        private static string Outcome(Func<Task> call)
        {
            try
            {
                call().GetAwaiter().GetResult();
                return null;
            }
            catch (DbxException) { return null; }
        }

        private static string Describe((int Status, byte[] Body, string ContentType, string RetryAfter, int Operation) c) =>
            $"op {c.Operation}, {c.Status}, {c.ContentType ?? "no type"}, body {FuzzRunner.Show(Encoding.UTF8.GetString(c.Body))}";

        [Fact]
        public void The_SCIM_client_only_succeeds_or_throws_DbxException()
        {
            var count = 3000 * FuzzRunner.Scale;
            var findings = FuzzRunner.Run("SCIM client responses", count, i => MakeCase(i, ScimBodies), c =>
            {
                using var http = HttpPipeline.Create(null, new MutatedAnswers(c.Status, c.Body, c.ContentType, c.RetryAfter), TimeSpan.FromSeconds(10));
                var scim = new ScimClient(http, new Uri("https://www.dropbox.com/scim/v2"));
                var user = new JObject { ["userName"] = "a@contoso.com" };
                switch (c.Operation)
                {
                    case 0: return Outcome(() => scim.ListUsersAsync(1, 2, ScimFilter.Equal("userName", "a@contoso.com"), default));
                    case 1: return Outcome(() => scim.ListAllAsync("Users", item => { var id = (string)item["id"]; }, default));
                    case 2: return Outcome(() => scim.GetAsync("Users", "dbmid:1", default));
                    case 3: return Outcome(() => scim.CreateAsync("Users", user, default));
                    case 4: return Outcome(() => scim.PatchAsync("Users", "dbmid:1", new[] { ScimClient.Operation("Replace", "active", false) }, default));
                    case 5: return Outcome(() => scim.DeleteAsync("Users", "dbmid:1", default));
                    case 6: return Outcome(() => scim.ListGroupsAsync(1, 10, null, default));
                    default: return Outcome(() => scim.ListAllAsync("Groups", item => { }, default));
                }
            }, Describe);
            _output.WriteLine($"SCIM client responses: {count} cases, {findings.Count} finding(s)");
            Assert.True(findings.Count == 0, string.Join("\n", findings));
        }

        [Fact]
        public void The_Graph_client_only_succeeds_or_throws_DbxException()
        {
            var count = 3000 * FuzzRunner.Scale;
            var findings = FuzzRunner.Run("Graph client responses", count, i => MakeCase(i, GraphBodies), c =>
            {
                using var http = HttpPipeline.Create(null, new MutatedAnswers(c.Status, c.Body, c.ContentType, c.RetryAfter), TimeSpan.FromSeconds(10));
                var graph = new GraphDirectoryClient(http, new Uri("https://graph.microsoft.com"));
                switch (c.Operation % 5)
                {
                    case 0: return Outcome(() => graph.GetServicePrincipalAsync("d0b0c0a0-1111-4222-8333-444455556666", default));
                    case 1: return Outcome(() => graph.ListUsersAsync("id,userPrincipalName", item => { var id = (string)item["id"]; }, default));
                    case 2: return Outcome(() => graph.ListAssignmentsAsync("d0b0c0a0-1111-4222-8333-444455556666", item => { }, default));
                    case 3: return Outcome(() => graph.GetUserAsync("1", "id", default));
                    default: return Outcome(() => graph.ListGroupMembersAsync("g", item => { }, default));
                }
            }, Describe);
            _output.WriteLine($"Graph client responses: {count} cases, {findings.Count} finding(s)");
            Assert.True(findings.Count == 0, string.Join("\n", findings));
        }

        [Fact]
        public void Scoping_filters_only_give_a_result_or_a_ScopingException()
        {
            var operators = (ScopingOperator[])Enum.GetValues(typeof(ScopingOperator));
            string[] patterns = { "^a", "(a+)+$", "[", "(?<n>x)", "\\", "a{1,99999}", "(?i)ZOË", "\\p{L}+", "(a|aa)*b", ".*.*.*.*=", "(?=a)", "[z-a]", "\\k<x>", "", "*", "(?#)", "\\d{3}-\\d{4}" };
            string[] values = { null, "", " ", "New York", "1000000", "-1", "9223372036854775808", "abc", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "Zoë", "\uD800", "true", "TRUE", "0x10", "1e3", "２" };
            var count = 6000 * FuzzRunner.Scale;
            var findings = FuzzRunner.Run("scoping filters", count, i =>
            {
                var random = new Random(9000 + i);
                var filters = Enumerable.Range(0, random.Next(0, 3)).Select(f => new ScopingFilter("f" + f,
                    Enumerable.Range(0, random.Next(0, 4)).Select(_ =>
                    {
                        var op = random.NextDouble() < 0.03 ? (ScopingOperator)random.Next(-2, 40) : operators[random.Next(operators.Length)];
                        var value = random.NextDouble() < 0.5 ? patterns[random.Next(patterns.Length)] : values[random.Next(values.Length)];
                        if (random.NextDouble() < 0.2) value = FuzzRunner.Mutate(value ?? "", random, patterns, 2);
                        return new ScopingClause(random.NextDouble() < 0.05 ? null : new[] { "department", "employeeId", "state", "x" }[random.Next(4)], op, value);
                    }).ToArray())).ToArray();
                var source = new DictionaryAttributeSource();
                foreach (var name in new[] { "department", "employeeId", "state" })
                {
                    var r = random.Next(6);
                    source[name] = r == 0 ? null : r == 1 ? (object)(long)random.Next(-5, 2000000) : r == 2 ? (object)(random.NextDouble() < 0.5) : r == 3 ? new List<string> { "a", "1000000" } : values[random.Next(values.Length)];
                }
                return (Set: new ScopingFilterSet(filters), Source: source);
            }, c =>
            {
                try { ScopingFilterSet.Validate(c.Set); } catch (ScopingException) { }
                try { ScopingFilterSet.FindProblems(c.Set.Filters); } catch (ScopingException) { }
                try { c.Set.Evaluate(c.Source); } catch (ScopingException) { }
                return null;
            }, c => string.Join(" OR ", c.Set.Filters.Select(f => "(" + string.Join(" AND ", f.Clauses.Select(x => $"{x.SourceAttribute} {x.Operator} {FuzzRunner.Show(x.Value)}")) + ")")));
            _output.WriteLine($"scoping filters: {count} cases, {findings.Count} finding(s)");
            Assert.True(findings.Count == 0, string.Join("\n", findings));
        }
    }
}
