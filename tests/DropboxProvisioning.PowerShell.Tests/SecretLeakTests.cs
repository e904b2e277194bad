using System;
using DropboxProvisioning.Activity;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Text;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.Security;
using DropboxProvisioning.State;
using DropboxProvisioning.TestSupport;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// No secret ever leaves memory: every exported cmdlet run with -Verbose -Debug over a real socket, every stream and
    /// every file of the state directory searched for the Dropbox token and the Graph client secret (as written, base64,
    /// base64url, UTF-16 base64 and URL-encoded), on the happy path and on refused credentials.
    /// </summary>
    public sealed class SecretLeakTests
    {
        private const string DropboxToken = "dbxTok-LEAKCANARY-7f3a91c2e8d4b605-Zq";
        private const string ClientSecret = "entraSec~LEAKCANARY.91be44d07a3c2f1~Wk";
        private const string WrongDropboxToken = "dbxTok-WRONGCANARY-0c9d8e7f6a5b4c3d";
        private const string WrongClientSecret = "entraSec~WRONGCANARY.5a4b3c2d1e0f";
        private readonly ITestOutputHelper _output;

        public SecretLeakTests(ITestOutputHelper output) { _output = output; }

        /// <summary>A runspace with the module, recording every stream of every script it runs.</summary>
        private sealed class Recorder : IDisposable
        {
            private readonly Runspace _runspace;
            public readonly List<string> Texts = new List<string>();
            public readonly List<ErrorRecord> Errors = new List<ErrorRecord>();

            public Recorder()
            {
                _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
                _runspace.Open();
                Run($"Import-Module '{PowerShellSession.ManifestPath}'");
            }

            public List<PSObject> Run(string script, IDictionary<string, object> variables = null)
            {
                using var ps = System.Management.Automation.PowerShell.Create();
                ps.Runspace = _runspace;
                if (variables != null) foreach (var pair in variables) _runspace.SessionStateProxy.SetVariable(pair.Key, pair.Value);
                ps.AddScript(script);
                var output = new List<PSObject>();
                try { output.AddRange(ps.Invoke()); }
                catch (RuntimeException e) { Errors.Add(e.ErrorRecord); Record(e.ErrorRecord); }
                foreach (var o in output) Record(o, 0);
                foreach (var e in ps.Streams.Error) { Errors.Add(e); Record(e); }
                Texts.AddRange(ps.Streams.Warning.Select(w => w.Message));
                Texts.AddRange(ps.Streams.Verbose.Select(v => v.Message));
                Texts.AddRange(ps.Streams.Debug.Select(d => d.Message));
                foreach (var i in ps.Streams.Information) { Texts.Add(i.MessageData?.ToString()); Texts.Add(string.Join(",", i.Tags)); }
                foreach (var p in ps.Streams.Progress) { Texts.Add(p.Activity); Texts.Add(p.StatusDescription); Texts.Add(p.CurrentOperation); }
                return output;
            }

            private void Record(ErrorRecord e)
            {
                Texts.Add(e.ToString());
                Texts.Add(e.FullyQualifiedErrorId);
                Texts.Add(e.ErrorDetails?.Message);
                Texts.Add(e.CategoryInfo.ToString());
                Texts.Add(e.TargetObject?.ToString());
                Texts.Add(e.ScriptStackTrace);
                for (var x = e.Exception; x != null; x = x.InnerException) { Texts.Add(x.ToString()); Texts.Add(x.Message); }
            }

            /// <summary>The object's string form and its properties' (two levels down), as a script would print them.</summary>
            private void Record(object value, int depth)
            {
                if (value == null || depth > 2) return;
                if (value is PSObject pso)
                {
                    Texts.Add(pso.ToString());
                    foreach (var property in pso.Properties)
                    {
                        object v;
                        try { v = property.Value; } catch (Exception e) { Texts.Add(e.Message); continue; }
                        Texts.Add(property.Name + "=" + v);
                        if (v != null && !(v is string) && !v.GetType().IsPrimitive) Record(PSObject.AsPSObject(v), depth + 1);
                    }
                    if (pso.BaseObject is IEnumerable items && !(pso.BaseObject is string))
                        foreach (var item in items.Cast<object>().Take(200)) Record(PSObject.AsPSObject(item), depth + 1);
                    return;
                }
                Record(PSObject.AsPSObject(value), depth);
            }

            public void Dispose() => _runspace.Dispose();
        }

        /// <summary>Every form a secret could leak in.</summary>
        private static IEnumerable<string> Forms(string secret)
        {
            yield return secret;
            yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
            yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            yield return Convert.ToBase64String(Encoding.Unicode.GetBytes(secret));
            yield return Uri.EscapeDataString(secret);
            yield return System.Net.WebUtility.UrlEncode(secret);
            // A distinctive middle part, in case a secret is cut or wrapped.
            yield return secret.Substring(7, 20);
        }

        private static void AssertNoSecret(IEnumerable<string> texts, string where, params string[] secrets)
        {
            var all = texts.Where(t => t != null).ToList();
            foreach (var secret in secrets)
                foreach (var form in Forms(secret).Distinct())
                {
                    var hit = all.FirstOrDefault(t => t.IndexOf(form, StringComparison.Ordinal) >= 0);
                    Assert.True(hit == null, $"{where} contains a form of a secret ('{form}') in: {hit}");
                }
        }

        private static SecureString Secure(string text)
        {
            var s = new SecureString();
            foreach (var c in text) s.AppendChar(c);
            s.MakeReadOnly();
            return s;
        }

        [Fact]
        public void No_cmdlet_stream_or_state_file_ever_holds_a_secret()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 25, Seed = 3 });
            tenant.Dropbox.ScimToken = DropboxToken;
            tenant.Directory.AddClientSecret(ClientSecret);
            using var server = new LoopbackServer(tenant);
            var statePath = Path.Combine(Path.GetTempPath(), "dbx-leak-" + Guid.NewGuid().ToString("N"));
            var exportFile = Path.Combine(statePath, "exported-configuration.json");
            using var ps = new Recorder();
            var variables = new Dictionary<string, object>
            {
                ["scimUrl"] = server.ScimUrl.ToString(), ["root"] = server.BaseUri.ToString(), ["statePath"] = statePath, ["exportFile"] = exportFile, ["reportFile"] = Path.Combine(statePath, "report.html"),
                ["token"] = Secure(DropboxToken), ["secret"] = Secure(ClientSecret),
                ["wrongToken"] = Secure(WrongDropboxToken), ["wrongSecret"] = Secure(WrongClientSecret),
            };
            const string Ids = " -TenantId '" + SandboxCredentials.TenantId + "' -ClientId '" + SandboxCredentials.ClientId + "' -ServicePrincipalId '" + SandboxCredentials.ServicePrincipalId +
                "' -TenantUrl $scimUrl -GraphEndpoint $root -AuthorityHost $root -StatePath $statePath -Verbose -Debug";
            const string Department = "'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department'";
            var steps = new[]
            {
                "Connect-DbxTenant -ClientSecret $secret -SecretToken $token" + Ids,
                "Get-DbxAttributeMapping -Verbose -Debug",
                "Get-DbxScopingFilter -Verbose -Debug",
                "Add-DbxScopingFilter -Name Members -SourceAttribute userType -Operator EQUALS -Value Member -Verbose -Debug",
                "Remove-DbxScopingFilter Members -Verbose -Debug",
                "Get-DbxOffboardingPolicy -Verbose -Debug",
                "Set-DbxOffboardingPolicy -Default -WipeData -Verbose -Debug -ErrorAction SilentlyContinue", // refused over SCIM: its message is checked like every other stream
                "Remove-DbxOffboardingPolicy -All -Confirm:$false -Verbose -Debug",
                "Get-DbxTeamFolderAccess -Verbose -Debug",
                "Set-DbxTeamFolderAccess -Group Sales -TeamFolder Sales -Verbose -Debug -ErrorAction SilentlyContinue", // refused over SCIM, its message checked too
                "Remove-DbxTeamFolderAccess -Group Sales -TeamFolder Sales -Confirm:$false -Verbose -Debug -ErrorAction SilentlyContinue", // no such row: refused
                "Add-DbxAttributeMapping " + Department + " -SourceAttribute department -Verbose -Debug",
                "Set-DbxAttributeMapping displayName -Expression 'Join(\" \", [givenName], [surname])' -Verbose -Debug",
                "Test-DbxAttributeMapping -SourceAttributes @{ userPrincipalName = 'x@contoso.com'; givenName = 'X'; surname = 'Y' } -Verbose -Debug",
                "Test-DbxAttributeMapping -UserId $userId -Verbose -Debug",
                "Remove-DbxAttributeMapping " + Department + " -Verbose -Debug",
                "Invoke-DbxProvisioningCycle -WhatIf -Verbose -Debug",
                "Invoke-DbxProvisioningCycle -Verbose -Debug",
                "Get-DbxProvisioningStatus -Verbose -Debug",
                "Set-DbxProvisioningStatus -Status Off -Verbose -Debug",
                "Set-DbxProvisioningStatus -Status On -Verbose -Debug",
                "Export-DbxProvisioningConfiguration -Path $exportFile -Verbose -Debug",
                "Import-DbxProvisioningConfiguration -Path $exportFile -Confirm:$false -Verbose -Debug",
                "Get-DbxProvisioningSetting -Verbose -Debug",
                "Set-DbxProvisioningSetting -DeletionThreshold 400 -Verbose -Debug",
                "Start-DbxProvisioningOnDemand -UserId $userId -Confirm:$false -Verbose -Debug",
                "Approve-DbxProvisioningDeletion -Confirm:$false -Verbose -Debug",
                "Restart-DbxProvisioning -Scope Escrows -Confirm:$false -Verbose -Debug",
                "Get-DbxProvisioningLog -First 5 -Verbose -Debug",
                "Export-DbxProvisioningReport -Path $reportFile -Verbose -Debug",
                "Reset-DbxAttributeMapping -ObjectType User -Confirm:$false -Verbose -Debug",
                "Invoke-DbxProvisioningCycle -Verbose -Debug",
                "Disconnect-DbxTenant -Verbose -Debug",
            };
            try
            {
                var connection = ps.Run(steps[0], variables).Single();
                variables["connection"] = connection.BaseObject;
                variables["userId"] = tenant.Directory.Users[0].Id;
                foreach (var step in steps.Skip(1)) ps.Run(step, variables);
                Assert.True(ps.Errors.Count == 0, "the happy path wrote errors:\n" + string.Join("\n", ps.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));

                // The activity connector: the link, the admin's approval, the code, Test API, a read.
                variables["activityState"] = Path.Combine(statePath, "activity");
                var linkOutput = ps.Run("Connect-DbxActivity -AppKey leakappkey -ApiEndpoint $root -StatePath $activityState -Verbose -Debug -WarningAction Continue", variables);
                Assert.True(linkOutput.Count == 1, "Connect-DbxActivity wrote " + linkOutput.Count + " objects; errors: " + string.Join("\n", ps.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
                var link = (ActivityAuthorizationRequest)linkOutput.Single().BaseObject;
                var url = link.AuthorizationUrl.ToString();
                var challenge = Uri.UnescapeDataString(url.Split('&').First(p => p.StartsWith("code_challenge=", StringComparison.Ordinal)).Substring("code_challenge=".Length));
                variables["code"] = tenant.DropboxApi.ApproveAuthorization("leakappkey", challenge);
                var activitySteps = new[]
                {
                    "Connect-DbxActivity -AppKey leakappkey -AuthorizationCode $code -ApiEndpoint $root -StatePath $activityState -Verbose -Debug",
                    "Test-DbxConnection -Verbose -Debug",
                    "Get-DbxActivity -First 5 -Verbose -Debug",
                };
                foreach (var step in activitySteps) ps.Run(step, variables);
                Assert.True(ps.Errors.Count == 0, "the activity steps wrote errors:\n" + string.Join("\n", ps.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));

                // Every exported cmdlet was run.
                var exported = ps.Run("Get-Command -Module DropboxProvisioning").Select(c => c.Properties["Name"].Value.ToString()).ToList();
                var ran = steps.Concat(activitySteps).Select(s => s.Split(' ')[0]).ToHashSet();
                Assert.DoesNotContain(exported, name => !ran.Contains(name));

                // Mid-run refusal: Dropbox stops accepting the token; the error names the problem, not the token.
                ps.Run("Connect-DbxTenant -ClientSecret $secret -SecretToken $token" + Ids, variables);
                tenant.Dropbox.ScimToken = "rotated-elsewhere";
                ps.Run("Restart-DbxProvisioning -Scope Watermark -Confirm:$false", variables); // an initial cycle asks Dropbox for sure
                ps.Run("Invoke-DbxProvisioningCycle -Verbose -Debug", variables);
                Assert.Contains(ps.Errors, e => e.FullyQualifiedErrorId.Contains("Unauthorized"));
                tenant.Dropbox.ScimToken = DropboxToken;

                // Refused credentials at connection time, each in turn.
                var before = ps.Errors.Count;
                ps.Run("Connect-DbxTenant -ClientSecret $wrongSecret -SecretToken $token" + Ids, variables);
                ps.Run("Connect-DbxTenant -ClientSecret $secret -SecretToken $wrongToken" + Ids, variables);
                var refused = ps.Errors.Skip(before).Select(e => e.FullyQualifiedErrorId).ToList();
                Assert.Equal(2, refused.Count);
                Assert.Contains(refused, id => id.Contains("GraphAuthenticationFailed"));
                Assert.Contains(refused, id => id.Contains("Unauthorized"));

                var files = System.IO.Directory.GetFiles(statePath, "*", SearchOption.AllDirectories);
                Assert.Contains(files, f => f.EndsWith("state.json"));
                Assert.Contains(files, f => f.EndsWith(".jsonl"));
                _output.WriteLine($"{ps.Texts.Count} stream texts, {ps.Errors.Count} errors, {files.Length} files searched; cmdlets run: {string.Join(", ", exported)}");

                // The search itself finds a leak when there is one (a control).
                Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertNoSecret(new[] { "x" + Convert.ToBase64String(Encoding.UTF8.GetBytes(DropboxToken)) + "y" }, "control", DropboxToken));
                AssertNoSecret(ps.Texts, "a PowerShell stream or output", DropboxToken, ClientSecret, WrongDropboxToken, WrongClientSecret);
                foreach (var file in files)
                    AssertNoSecret(new[] { File.ReadAllText(file) }, file, DropboxToken, ClientSecret, WrongDropboxToken, WrongClientSecret);
            }
            finally
            {
                try { System.IO.Directory.Delete(statePath, true); } catch (Exception) { }
            }
        }

        [Fact]
        public void The_Team_API_link_flow_keeps_the_refresh_token_and_the_verifier_out_of_every_stream_and_file()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 12, Seed = 4 });
            tenant.Directory.AddClientSecret(ClientSecret);
            using var server = new LoopbackServer(tenant);
            var statePath = Path.Combine(Path.GetTempPath(), "dbx-leak-teamapi-" + Guid.NewGuid().ToString("N"));
            using var ps = new Recorder();
            var variables = new Dictionary<string, object> { ["root"] = server.BaseUri.ToString(), ["statePath"] = statePath, ["secret"] = Secure(ClientSecret) };
            const string Connect = "Connect-DbxTenant -Api TeamApi -AppKey leakteamapp -ApiEndpoint $root -TenantId '" + SandboxCredentials.TenantId + "' -ClientId '" + SandboxCredentials.ClientId +
                "' -ClientSecret $secret -ServicePrincipalId '" + SandboxCredentials.ServicePrincipalId + "' -GraphEndpoint $root -AuthorityHost $root -StatePath $statePath -Verbose -Debug -WarningAction Continue";
            try
            {
                // The link (no prompt in this host: a warning and an error), the admin's approval, the code.
                ps.Run(Connect, variables);
                var link = Assert.Single(ps.Errors).TargetObject.ToString();
                var verifier = JObject.Parse(Security.SecureStrings.Reveal(ProtectedSecretFile.Read(Path.Combine(statePath, Connection.ConnectionFactory.TeamApiPendingFile))))["verifier"].ToString();
                var challenge = Uri.UnescapeDataString(link.Split('?', '&').First(p => p.StartsWith("code_challenge=", StringComparison.Ordinal)).Substring("code_challenge=".Length));
                variables["code"] = tenant.DropboxApi.ApproveAuthorization("leakteamapp", challenge, Sandbox.DropboxApi.DropboxAuthorizationServer.ProvisioningScopes);
                var errors = ps.Errors.Count;
                foreach (var step in new[]
                {
                    Connect + " -AuthorizationCode $code",
                    "Invoke-DbxProvisioningCycle -Verbose -Debug",
                    "Get-DbxProvisioningLog -First 5 -Verbose -Debug",
                    Connect,
                    "Invoke-DbxProvisioningCycle -Verbose -Debug",
                    Connect + " -Reauthorize",
                })
                    ps.Run(step, variables);
                Assert.Equal(errors + 1, ps.Errors.Count); // only -Reauthorize's link
                var credentialFile = Path.Combine(statePath, Connection.ConnectionFactory.TeamApiCredentialFile);
                var refresh = Security.SecureStrings.Reveal(ProtectedSecretFile.Read(credentialFile));
                Assert.False(string.IsNullOrEmpty(refresh));

                AssertNoSecret(ps.Texts, "a PowerShell stream or output", refresh, verifier, ClientSecret);
                // The protected files hold them by design (DPAPI, or owner-only); no other file does.
                var pending = Path.Combine(statePath, Connection.ConnectionFactory.TeamApiPendingFile);
                foreach (var file in System.IO.Directory.GetFiles(statePath, "*", SearchOption.AllDirectories).Where(f => f != credentialFile && f != pending))
                    AssertNoSecret(new[] { File.ReadAllText(file) }, file, refresh, verifier, ClientSecret);
            }
            finally
            {
                try { System.IO.Directory.Delete(statePath, true); } catch (Exception) { }
            }
        }

        [Fact]
        public void Every_secret_parameter_is_a_SecureString_or_a_PSCredential()
        {
            using var ps = new Recorder();
            var parameters = ps.Run("foreach ($c in Get-Command -Module DropboxProvisioning) { foreach ($p in $c.Parameters.Values) { $c.Name + '|' + $p.Name + '|' + $p.ParameterType.FullName } }")
                .Select(o => o.ToString().Split('|')).ToList();
            Assert.NotEmpty(parameters);
            // An app key is a public client id (the PKCE flow has no client secret), not a secret.
            var secretLike = parameters.Where(p => p[1] != "AppKey" && new[] { "Token", "Secret", "Password", "Credential", "Key" }.Any(word => p[1].IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0)).ToList();
            Assert.Contains(secretLike, p => p[1] == "SecretToken");
            Assert.Contains(secretLike, p => p[1] == "ClientSecret");
            foreach (var p in secretLike)
                Assert.True(p[2] == typeof(SecureString).FullName || p[2] == typeof(PSCredential).FullName,
                    $"{p[0]} -{p[1]} is a {p[2]}, not a SecureString or PSCredential");
        }
    }
}
