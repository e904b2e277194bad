using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.Dropbox;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace DropboxProvisioning.Sandbox.Tests.Fuzz
{
    /// <summary>The emulator's SCIM filter parser under random and mutated filters: 200, or 400 invalidFilter; never 500, never a thrown exception.</summary>
    public sealed class ScimFilterFuzzTests
    {
        private readonly ITestOutputHelper _output;
        public ScimFilterFuzzTests(ITestOutputHelper output) { _output = output; }

        private static readonly string[] Seeds =
        {
            "userName eq \"ada@contoso.com\"",
            "userName eq \"a\\\"b\\\\c or userName pr\"",
            "emails[type eq \"work\" and value co \"@contoso\"]",
            "not (active eq true) or name.familyName sw \"L\"",
            "meta.lastModified gt \"2020-01-01T00:00:00Z\"",
            "userName pr",
            "externalId eq \"x\" and (active eq false or userName ew \".com\")",
            "name.givenName ne \"Zoë\"",
            "emails.value eq \"ada@contoso.com\"",
            "urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"ada@contoso.com\"",
            "displayName eq \"Sales\"",
            "members[value eq \"dbmid:1\"]",
            "id eq \"dbmid:AAD0000000001\"",
            "active eq true and userName le \"m\"",
        };

        private static readonly string[] Tokens =
        {
            " eq ", " ne ", " co ", " sw ", " ew ", " pr", " gt ", " ge ", " lt ", " le ", " and ", " or ", "not ", "(", ")", "[", "]", "\"", "\\", ".",
            "true", "false", "null", "1", "-1.5e3", "userName", "emails", "value", "type", "meta", "name", "urn:ietf:params:scim:schemas:core:2.0:User:", "\"\\u00e9\"", "\"\\uZZZZ\"",
        };

        private static string Mutate(string text, Random random)
        {
            var s = text;
            for (var r = random.Next(1, 5); r > 0; r--)
            {
                var at = random.Next(s.Length + 1);
                switch (random.Next(6))
                {
                    case 0: s = s.Insert(at, Tokens[random.Next(Tokens.Length)]); break;
                    case 1: if (at < s.Length) s = s.Remove(at, Math.Min(s.Length - at, 1 + random.Next(5))); break;
                    case 2: s = s.Insert(at, ((char)random.Next(0, 0x2100)).ToString()); break;
                    case 3: s = s.Substring(0, at); break;
                    case 4: s = s.Insert(at, Seeds[random.Next(Seeds.Length)]); break;
                    default: s = s.Insert(at, new string('(', random.Next(1, 300))); break;
                }
            }
            return s;
        }

        [Fact]
        public void Filters_are_answered_200_or_400_invalidFilter_only()
        {
            var tenant = new SandboxTenant(new DirectoryModel(), new DropboxTeam());
            tenant.Dropbox.AddMember("ada@contoso.com", "Ada", "Lovelace", externalId: "x");
            tenant.Dropbox.AddMember("zoe@contoso.com", "Zoë", "Ünal");
            using var client = new HttpClient(tenant.CreateHandler()) { BaseAddress = new Uri("https://www.dropbox.com/scim/v2/") };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SandboxCredentials.ScimToken);
            var count = 20000 * (int.TryParse(Environment.GetEnvironmentVariable("DBX_FUZZ_SCALE"), out var s) && s > 0 ? s : 1);
            var findings = new List<string>();
            var outcomes = new Dictionary<string, int>();
            for (var i = 0; i < count && findings.Count < 20; i++)
            {
                var random = new Random(5000 + i);
                var filter = random.NextDouble() < 0.1 ? Seeds[random.Next(Seeds.Length)] : Mutate(Seeds[random.Next(Seeds.Length)], random);
                var resource = random.NextDouble() < 0.8 ? "Users" : "Groups";
                string outcome;
                try
                {
                    var task = client.GetAsync($"{resource}?filter={Uri.EscapeDataString(filter)}&count=5");
                    if (!task.Wait(TimeSpan.FromSeconds(5))) { findings.Add($"case {i}: {resource} '{filter}' -> no answer within 5 s"); break; }
                    var response = task.Result;
                    var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                    var status = (int)response.StatusCode;
                    outcome = status == 400 ? "400 " + (string)JObject.Parse(text)["scimType"] : status.ToString();
                    if (status != 200 && outcome != "400 invalidFilter")
                        findings.Add($"case {i}: {resource} '{filter}' -> {status} {text}");
                }
                catch (Exception e)
                {
                    outcome = e.GetType().Name;
                    findings.Add($"case {i}: {resource} '{filter}' -> threw {e.GetBaseException().GetType().FullName}: {e.GetBaseException().Message}\n{e.GetBaseException().StackTrace}");
                }
                outcomes[outcome] = outcomes.TryGetValue(outcome, out var n) ? n + 1 : 1;
            }
            _output.WriteLine($"SCIM filters: {count} cases; " + string.Join(", ", outcomes.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}")));
            Assert.True(findings.Count == 0, string.Join("\n", findings));
        }
    }
}
