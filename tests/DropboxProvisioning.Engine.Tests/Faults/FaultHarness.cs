using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Faults;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.Security;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using DropboxProvisioning.TestSupport;

namespace DropboxProvisioning.Engine.Tests.Faults
{
    /// <summary>
    /// A sandbox tenant and an engine connection to it (in-process, or over the loopback socket), with helpers to run
    /// cycles that may fail and to describe the Dropbox team so two runs can be compared.
    /// </summary>
    internal sealed class FaultHarness : IDisposable
    {
        private readonly LoopbackServer _server;

        private FaultHarness(SandboxTenant tenant, DbxConnection connection, LoopbackServer server)
        {
            Tenant = tenant; Connection = connection; _server = server;
            _before = new HashSet<string>(tenant.Dropbox.Members.Select(m => m.TeamMemberId), StringComparer.Ordinal);
        }

        /// <summary>The accounts Dropbox held before the engine ran: the engine did not make them, and may leave them alone.</summary>
        private readonly HashSet<string> _before;

        public SandboxTenant Tenant { get; }
        public DbxConnection Connection { get; }

        /// <summary>Cycles that ended in an engine error (a DbxException) instead of a result.</summary>
        public List<DbxException> CycleErrors { get; } = new List<DbxException>();

        /// <summary>Every exception that was not a DbxException: each one is an engine bug.</summary>
        public List<Exception> Escaped { get; } = new List<Exception>();

        public static async Task<FaultHarness> CreateAsync(int users, int seed, TimeSpan? timeout = null, bool overSocket = false, Action<SandboxTenant> prepare = null)
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = users, Seed = seed });
            prepare?.Invoke(tenant);
            var server = overSocket ? new LoopbackServer(tenant) : null;
            var options = new ConnectionOptions
            {
                TenantUrl = server?.ScimUrl ?? new Uri("https://www.dropbox.com/scim/v2"),
                SecretToken = SecureStrings.FromText(tenant.Dropbox.ScimToken),
                TenantId = SandboxCredentials.TenantId,
                ClientId = SandboxCredentials.ClientId,
                ClientSecret = SecureStrings.FromText(SandboxCredentials.ClientSecret),
                ServicePrincipalId = SandboxCredentials.ServicePrincipalId,
                Authentication = overSocket ? GraphAuthentication.ClientSecret : GraphAuthentication.Sandbox,
                StatePath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dbx-faults-" + Guid.NewGuid().ToString("N").Substring(0, 12)),
                Timeout = timeout ?? TimeSpan.FromSeconds(10),
            };
            if (server != null) { options.GraphEndpoint = server.BaseUri; options.AuthorityHost = server.BaseUri; }
            var connection = await ConnectionFactory.ConnectAsync(options, server == null ? (Func<System.Net.Http.HttpMessageHandler>)tenant.CreateHandler : null, CancellationToken.None);
            return new FaultHarness(tenant, connection, server);
        }

        /// <summary>
        /// One whole cycle, every planned change approved; null when the cycle ended in an error (recorded).
        /// Cycles run with force, as an admin recovering from an outage runs them: the faults may well have
        /// put the job in quarantine, which is the point of quarantine, not a failure to converge.
        /// </summary>
        public async Task<CycleResult> CycleAsync()
        {
            try
            {
                var cycle = new ProvisioningCycle(Connection);
                var plan = await cycle.PlanAsync(CancellationToken.None, force: true);
                return await cycle.ExecuteAsync(plan, plan.Changes.ToList(), CancellationToken.None);
            }
            catch (DbxException e)
            {
                CycleErrors.Add(e);
                return null;
            }
            catch (Exception e)
            {
                Escaped.Add(e);
                return null;
            }
        }

        /// <summary>Fault-free cycles until one has nothing left to write (at most <paramref name="max"/>); returns them.</summary>
        public async Task<List<CycleResult>> ConvergeAsync(int max = 4)
        {
            var results = new List<CycleResult>();
            for (var i = 0; i < max; i++)
            {
                var result = await CycleAsync();
                results.Add(result);
                if (result != null && result.Status == CycleStatus.Succeeded && result.Changes.All(c => c.Action == ChangeAction.Skip)) break;
            }
            return results;
        }

        public static bool IsQuiet(CycleResult result) =>
            result != null && result.Status == CycleStatus.Succeeded && result.Changes.All(c => c.Action == ChangeAction.Skip);

        /// <summary>The team as a sorted list of lines: e-mail, names, status, external id; no ids or timestamps.</summary>
        public static List<string> Describe(SandboxTenant tenant) =>
            tenant.Dropbox.Members
                .Select(m => string.Join("|", m.Email.ToLowerInvariant(), m.GivenName, m.Surname, m.DisplayName, m.Status, m.ExternalId))
                .OrderBy(s => s, StringComparer.Ordinal).ToList();

        /// <summary>Members beyond the first with the same e-mail: must always be 0.</summary>
        public static int Duplicates(SandboxTenant tenant)
        {
            var members = tenant.Dropbox.Members;
            return members.Count - members.Select(m => m.Email.ToLowerInvariant()).Distinct().Count();
        }

        /// <summary>Dropbox accounts the state says two different Entra users own: must always be 0.</summary>
        public int SharedTargets()
        {
            var state = Connection.Store.LoadState();
            return state.Users.Values.Count(m => m.TargetId != null) - state.Users.Values.Where(m => m.TargetId != null).Select(m => m.TargetId).Distinct().Count();
        }

        /// <summary>
        /// Accounts the engine made that match an Entra user (by a userPrincipalName, mail or mailNickname) and that it does not
        /// manage: a create whose answer was lost and never found again. Must always be 0.
        /// </summary>
        public int Orphans() => Orphans(Tenant, Connection.Store.LoadState(), _before);

        public static int Orphans(SandboxTenant tenant, ProvisioningState state, ISet<string> before)
        {
            var managed = new HashSet<string>(state.Users.Values.Select(m => m.TargetId).Where(id => id != null), StringComparer.Ordinal);
            var keys = new HashSet<string>(tenant.Directory.Users.SelectMany(u => new[] { u.UserPrincipalName, u.Mail, u.MailNickname }).Where(k => !string.IsNullOrEmpty(k)), StringComparer.OrdinalIgnoreCase);
            return tenant.Dropbox.Members.Count(m => !before.Contains(m.TeamMemberId) && !managed.Contains(m.TeamMemberId)
                && ((m.Email != null && keys.Contains(m.Email)) || (m.ExternalId != null && keys.Contains(m.ExternalId))));
        }

        /// <summary>The Dropbox team a fault-free run of the same tenant ends with.</summary>
        public static async Task<List<string>> ReferenceAsync(int users, int seed, Action<SandboxTenant> prepare = null)
        {
            using var harness = await CreateAsync(users, seed, prepare: prepare);
            var results = await harness.ConvergeAsync();
            if (!IsQuiet(results.Last())) throw new InvalidOperationException("The fault-free reference run did not converge.");
            return Describe(harness.Tenant);
        }

        public void Dispose()
        {
            Connection.Dispose();
            _server?.Dispose();
            try { System.IO.Directory.Delete(Connection.StatePath, true); } catch (Exception) { }
        }
    }
}
