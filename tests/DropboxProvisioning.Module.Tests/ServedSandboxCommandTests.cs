using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace DropboxProvisioning.Module.Tests
{
    /// <summary>`dbxhost sandbox` as an admin runs it: what it prints, one API or both, a clean stop on SIGTERM and Ctrl+C, and bad options.</summary>
    public sealed class ServedSandboxCommandTests
    {
        private static (int ExitCode, string Output) RunToEnd(params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = ModuleFiles.RepositoryRoot };
            start.ArgumentList.Add(ServedSandboxHost.DbxhostPath());
            foreach (var a in arguments) start.ArgumentList.Add(a);
            using var process = Process.Start(start);
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60000)) { process.Kill(true); throw new Xunit.Sdk.XunitException("dbxhost did not exit: " + string.Join(" ", arguments)); }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }

        [Fact]
        public async Task Serving_SCIM_only_prints_one_Connect_line_publishes_no_Team_API_and_stops_cleanly_on_SIGTERM()
        {
            using var host = ServedSandboxHost.Start(users: 20, seed: 3, api: "Scim");
            Assert.Single(host.Output.Split('\n'), l => l.Contains("Connect-DbxTenant -SandboxUri"));
            Assert.Contains($"Connect-DbxTenant -SandboxUri {host.Root.ToString().TrimEnd('/')}", host.Output);
            Assert.DoesNotContain("-Api TeamApi", host.Output);
            Assert.Null(host.Discovery["teamApi"]);
            Assert.Equal(host.Root.ToString().TrimEnd('/') + "/scim/v2", ServedSandboxHost.Text(host.Discovery["scim"]["tenantUrl"]));
            Assert.Equal(host.IdentityEndpoint, ServedSandboxHost.Text(host.Discovery["managedIdentity"]["endpoint"]));
            Assert.NotEmpty(await host.ScimUsersAsync()); // the team answers over SCIM
            Assert.Equal(0, host.Stop(signal: 15));
            Assert.EndsWith("Stopped.", host.Output.TrimEnd());
        }

        /// <summary>Whether this process inherited SIGINT as ignored (Linux: bit 2 of SigIgn in /proc/self/status).</summary>
        private static bool SigIntIgnoredHere()
        {
            try
            {
                var line = System.IO.File.ReadAllLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
                return line != null && (Convert.ToUInt64(line.Substring(7).Trim(), 16) & 0x2) != 0;
            }
            catch (System.IO.IOException) { return false; }
            catch (UnauthorizedAccessException) { return false; }
        }

        [Fact]
        public void Ctrl_C_stops_it_cleanly_too_and_the_port_is_free_again()
        {
            using var host = ServedSandboxHost.Start(users: 10, seed: 4);
            Assert.Contains("-Api TeamApi", host.Output);
            // A test run started in the background by a non-interactive shell hands its children SIGINT as ignored, and
            // the runtime keeps that disposition: there no terminal could send Ctrl+C either, so the stop is asked with SIGTERM.
            Assert.Equal(0, host.Stop(signal: SigIntIgnoredHere() ? 15 : 2));
            Assert.Contains("Stopped.", host.Output);
            using var again = ServedSandboxHost.Start(users: 10, seed: 4);
            Assert.NotNull(again.Root);
            Assert.Equal(0, again.Stop());
        }

        [Fact]
        public void A_port_in_use_is_refused_with_how_to_pick_another()
        {
            using var first = ServedSandboxHost.Start(users: 10, seed: 5);
            var (exitCode, output) = RunToEnd("sandbox", "--port", first.Root.Port.ToString(), "--users", "10");
            Assert.Equal(2, exitCode);
            Assert.Contains($"cannot listen on 127.0.0.1:{first.Root.Port}", output);
            Assert.Contains("--port 0", output);
            Assert.Equal(0, first.Stop());
        }

        [Theory]
        [InlineData("--port", "http")]
        [InlineData("--users", "0")]
        [InlineData("--api", "Ldap")]
        [InlineData("--accept-invitations", "2")]
        [InlineData("--colour", "blue")]
        public void A_bad_option_is_refused_with_the_usage(string option, string value)
        {
            var (exitCode, output) = RunToEnd("sandbox", option, value);
            Assert.Equal(2, exitCode);
            Assert.Contains("dbxhost sandbox: ", output);
            Assert.Contains("usage: dbxhost sandbox", output);
        }
    }
}
