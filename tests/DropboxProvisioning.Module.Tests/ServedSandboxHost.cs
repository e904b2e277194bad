using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using System.Text.Json.Nodes;

namespace DropboxProvisioning.Module.Tests
{
    /// <summary>
    /// `dotnet dbxhost.dll sandbox --port 0 ...` as its own process, the one tenant that several jobs act on: the address
    /// and the managed identity lines it prints, its discovery document, and HTTP to it as an admin (Graph writes with the
    /// administrator app's token, SCIM reads with the team's token, the request counts). Stopped with SIGTERM.
    /// </summary>
    public sealed class ServedSandboxHost : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new StringBuilder();
        private readonly BlockingCollection<string> _lines = new BlockingCollection<string>();

        private ServedSandboxHost(Process process) { _process = process; }

        public Uri Root { get; private set; }
        public string IdentityEndpoint { get; private set; }
        public string IdentityHeader { get; private set; }
        public JsonObject Discovery { get; private set; }
        public HttpClient Http { get; } = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        public string Output { get { lock (_output) return _output.ToString(); } }

        /// <summary>The newest built dbxhost.dll (the Host project is built before this test project).</summary>
        public static string DbxhostPath()
        {
            var bin = Path.Combine(ModuleFiles.RepositoryRoot, "src", "DropboxProvisioning.Host", "bin");
            var found = Directory.Exists(bin) ? new DirectoryInfo(bin).GetFiles("dbxhost.dll", SearchOption.AllDirectories).OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault() : null;
            if (found == null) throw new Xunit.Sdk.XunitException("dbxhost.dll is not built under " + bin);
            return found.FullName;
        }

        public static ServedSandboxHost Start(int users, int seed, string api = "Both", double acceptInvitations = 0)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = ModuleFiles.RepositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { DbxhostPath(), "sandbox", "--port", "0", "--users", users.ToString(), "--seed", seed.ToString(), "--api", api, "--accept-invitations", acceptInvitations.ToString(System.Globalization.CultureInfo.InvariantCulture) }) start.ArgumentList.Add(a);
            start.Environment["DOTNET_NOLOGO"] = "1";
            var host = new ServedSandboxHost(Process.Start(start));
            host._process.OutputDataReceived += (_, e) => { if (e.Data == null) { host._lines.CompleteAdding(); return; } lock (host._output) host._output.AppendLine(e.Data); host._lines.Add(e.Data); };
            host._process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (host._output) host._output.AppendLine("stderr: " + e.Data); };
            host._process.BeginOutputReadLine();
            host._process.BeginErrorReadLine();
            try
            {
                host.ReadBanner();
                host.Discovery = JsonNode.Parse(host.Http.GetStringAsync(new Uri(host.Root, "/.well-known/dropbox-provisioning-sandbox")).Result).AsObject();
            }
            catch
            {
                host.Dispose();
                throw;
            }
            return host;
        }

        private void ReadBanner()
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (IdentityHeader == null)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !_lines.TryTake(out var line, left))
                    throw new Xunit.Sdk.XunitException("dbxhost sandbox printed no address in time:\n" + Output);
                var connect = Regex.Match(line, @"^\s*Connect-DbxTenant -SandboxUri (http://127\.0\.0\.1:\d+)$");
                if (connect.Success) Root = new Uri(connect.Groups[1].Value);
                var endpoint = Regex.Match(line, @"^\s*\$env:IDENTITY_ENDPOINT = '([^']+)'$");
                if (endpoint.Success) IdentityEndpoint = endpoint.Groups[1].Value;
                var header = Regex.Match(line, @"^\s*\$env:IDENTITY_HEADER = '([^']+)'$");
                if (header.Success) IdentityHeader = header.Groups[1].Value;
            }
            if (Root == null || IdentityEndpoint == null) throw new Xunit.Sdk.XunitException("dbxhost sandbox printed no Connect-DbxTenant line:\n" + Output);
        }

        /// <summary>An HttpClient signed in as the tenant's administrator app (client credentials at the sandbox's token endpoint).</summary>
        public async Task<HttpClient> AdministratorAsync()
        {
            var app = Discovery["administratorApp"];
            var token = await Http.PostAsync(new Uri(Root, "/" + Text(Discovery["tenantId"]) + "/oauth2/v2.0/token"), new FormUrlEncodedContent(new[]
            {
                new System.Collections.Generic.KeyValuePair<string, string>("grant_type", "client_credentials"),
                new System.Collections.Generic.KeyValuePair<string, string>("client_id", Text(app["clientId"])),
                new System.Collections.Generic.KeyValuePair<string, string>("client_secret", Text(app["clientSecret"])),
                new System.Collections.Generic.KeyValuePair<string, string>("scope", "https://graph.microsoft.com/.default"),
            }));
            var body = JsonNode.Parse(await token.Content.ReadAsStringAsync());
            if (!token.IsSuccessStatusCode) throw new Xunit.Sdk.XunitException("no administrator token: " + body);
            var client = new HttpClient { BaseAddress = Root, Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Text(body["access_token"]));
            return client;
        }

        /// <summary>Every user of the Dropbox team over SCIM, page by page.</summary>
        public async Task<JsonObject[]> ScimUsersAsync()
        {
            var users = new System.Collections.Generic.List<JsonObject>();
            for (var start = 1; ; )
            {
                var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Root, $"/scim/v2/Users?startIndex={start}&count=1000"));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Text(Discovery["scim"]["secretToken"]));
                var response = await Http.SendAsync(request);
                var page = JsonNode.Parse(await response.Content.ReadAsStringAsync());
                if (!response.IsSuccessStatusCode) throw new Xunit.Sdk.XunitException("SCIM listing failed: " + page);
                var resources = (page["Resources"]?.AsArray() ?? new JsonArray()).Select(r => r.AsObject()).ToList();
                users.AddRange(resources);
                start += resources.Count;
                if (resources.Count == 0 || start > page["totalResults"].GetValue<int>()) return users.ToArray();
            }
        }

        /// <summary>Requests (and writes) each service answered since the host started.</summary>
        public async Task<(long Requests, long Writes)> CountAsync(string service)
        {
            var counts = JsonNode.Parse(await Http.GetStringAsync(Text(Discovery["requests"])));
            var entry = counts["services"][service];
            return entry == null ? (0, 0) : (entry["requests"].GetValue<long>(), entry["writes"].GetValue<long>());
        }

        public static string Text(JsonNode node) => node?.GetValue<string>();

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int signal);

        /// <summary>Stops the host as a service manager does (SIGTERM, 15) or as Ctrl+C does (SIGINT, 2), and returns its exit code.</summary>
        public int Stop(int signal = 15)
        {
            if (_process.HasExited) return _process.ExitCode;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) _process.Kill();
            else kill(_process.Id, signal);
            if (!_process.WaitForExit(30000))
            {
                _process.Kill(entireProcessTree: true);
                throw new Xunit.Sdk.XunitException("dbxhost sandbox did not stop on SIGTERM:\n" + Output);
            }
            _process.WaitForExit();
            return _process.ExitCode;
        }

        public void Dispose()
        {
            try { if (!_process.HasExited) { _process.Kill(entireProcessTree: true); _process.WaitForExit(10000); } } catch (InvalidOperationException) { }
            _process.Dispose();
            Http.Dispose();
        }
    }
}
