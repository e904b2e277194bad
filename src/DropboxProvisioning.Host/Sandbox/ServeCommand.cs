using System;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Threading;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.Sandbox.Serving;

namespace DropboxProvisioning.Host.Sandbox
{
    /// <summary>
    /// dbxhost sandbox [--port 8400] [--users 50] [--seed 1] [--api Scim|TeamApi|Both] [--accept-invitations 0..1]: generates
    /// one sandbox tenant (--accept-invitations: the share of invited members who join at the start of each cycle) and
    /// serves it on 127.0.0.1 until Ctrl+C or SIGTERM, printing what to connect with (Connect-DbxTenant -SandboxUri, and
    /// the managed identity's IDENTITY_ENDPOINT and IDENTITY_HEADER as Azure Automation sets them for a job).
    /// </summary>
    internal static class ServeCommand
    {
        public const string Usage = "usage: dbxhost sandbox [--port 8400 | --port 0] [--users 50] [--seed 1] [--api Scim|TeamApi|Both] [--accept-invitations 0..1]";

        public static int Run(string[] args)
        {
            var port = 8400;
            var users = 50;
            var seed = 1;
            var api = "Both";
            var accept = 0.0;
            for (var i = 1; i < args.Length; i++)
            {
                var name = args[i].ToLowerInvariant();
                if (name == "-h" || name == "--help") { Console.WriteLine(Usage); return 0; }
                if (i + 1 >= args.Length) return Fail($"{args[i]} needs a value.");
                var value = args[++i];
                switch (name)
                {
                    case "--port":
                        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535) return Fail($"--port '{value}' is not a port number (0 to 65535; 0 picks a free one).");
                        break;
                    case "--users":
                        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out users) || users < 1 || users > 1000000) return Fail($"--users '{value}' is not a number of users from 1 to 1000000.");
                        break;
                    case "--seed":
                        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seed)) return Fail($"--seed '{value}' is not a whole number.");
                        break;
                    case "--api":
                        if (value.Equals("Scim", StringComparison.OrdinalIgnoreCase)) api = "Scim";
                        else if (value.Equals("TeamApi", StringComparison.OrdinalIgnoreCase)) api = "TeamApi";
                        else if (value.Equals("Both", StringComparison.OrdinalIgnoreCase)) api = "Both";
                        else return Fail($"--api '{value}' is Scim, TeamApi or Both.");
                        break;
                    case "--accept-invitations":
                        if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out accept) || accept > 1) return Fail($"--accept-invitations '{value}' is a share from 0 to 1.");
                        break;
                    default:
                        return Fail($"unknown option {args[i - 1]}.");
                }
            }

            var tenant = TenantGenerator.Generate(new TenantProfile { Users = users, Seed = seed });
            tenant.Options.ServesScim = api != "TeamApi";
            tenant.Options.ServesTeamApi = api != "Scim";
            // Dropbox cannot suspend an invited member (it deletes it): a rehearsal of leavers wants members who joined.
            tenant.Options.InvitationsAcceptedPerCycle = accept;
            // As Azure Automation does for each job: a random header that the identity endpoint expects back.
            tenant.Options.ManagedIdentityHeader = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

            using var listener = new LoopbackListener(tenant);
            try
            {
                listener.Start(port);
            }
            catch (HttpListenerException e)
            {
                return Fail($"cannot listen on 127.0.0.1:{port} ({e.Message}); pick another port with --port, or --port 0 for a free one.");
            }

            using var stop = new ManualResetEventSlim();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Set(); };
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Set(); });
            // Ctrl+C also through a registration of its own: a process started in the background by a non-interactive shell
            // inherits SIGINT as ignored, which Console.CancelKeyPress then never sees.
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Set(); });

            var uri = listener.BaseUri.ToString().TrimEnd('/');
            var apis = api == "Both" ? "SCIM and the Team API" : api == "Scim" ? "SCIM" : "the Team API";
            Console.WriteLine($"Sandbox tenant: {users} users (seed {seed}), Dropbox team {tenant.Dropbox.TeamName}, {apis}, on {uri}");
            Console.WriteLine("Connect with:");
            if (api != "TeamApi") Console.WriteLine($"  Connect-DbxTenant -SandboxUri {uri}");
            if (api != "Scim") Console.WriteLine($"  Connect-DbxTenant -SandboxUri {uri} -Api TeamApi");
            Console.WriteLine("Its managed identity, as Azure Automation sets it for a job (then add -ManagedIdentity):");
            Console.WriteLine($"  $env:IDENTITY_ENDPOINT = '{uri}/msi/token'");
            Console.WriteLine($"  $env:IDENTITY_HEADER = '{tenant.Options.ManagedIdentityHeader}'");
            Console.WriteLine($"Endpoints and the sandbox's test credentials: {uri}{DropboxProvisioning.Sandbox.Serving.SandboxEndpoints.DiscoveryPath}");
            Console.WriteLine("Serving until Ctrl+C (or SIGTERM).");
            Console.Out.Flush();

            stop.Wait();
            Console.WriteLine("Stopped.");
            return 0;
        }

        private static int Fail(string message)
        {
            Console.Error.WriteLine("dbxhost sandbox: " + message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }
}
