using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Security;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;

namespace DropboxProvisioning.Benchmarks
{
    /// <summary>
    /// One engine cycle as a runbook job runs it: connect (and test both services), plan, execute every
    /// change that is not a skip, save the state. The state directory persists between child processes, as
    /// between runbook jobs, so the next scenario's cycle starts from what this one recorded.
    /// </summary>
    public static class EngineRunner
    {
        /// <summary>The Graph half of a sandbox connection (the sandbox's app registration); the target adds its own Dropbox half.</summary>
        public static ConnectionOptions SandboxGraph(Uri root, string statePath) => new ConnectionOptions
        {
            TenantId = SandboxCredentials.TenantId,
            ClientId = SandboxCredentials.ClientId,
            ClientSecret = SecureStrings.FromText(SandboxCredentials.ClientSecret),
            ServicePrincipalId = SandboxCredentials.ServicePrincipalId,
            Authentication = GraphAuthentication.ClientSecret,
            GraphEndpoint = root,
            AuthorityHost = root,
            StatePath = statePath.StartsWith("http", StringComparison.Ordinal) ? null : statePath,
            BlobState = statePath.StartsWith("http", StringComparison.Ordinal) ? AzuriteState(statePath) : null,
        };

        /// <summary>A blob container on Azurite (--store blob), reached with its development account key, as the tests reach it.</summary>
        public static State.Storage.BlobStateOptions AzuriteState(string containerUri) => new State.Storage.BlobStateOptions
        {
            Uri = containerUri,
            AccountKey = SecureStrings.FromText(TestSupport.Azurite.AccountKey),
        };

        /// <summary>One cycle with the options the target built.</summary>
        public static async Task<ChildReport> RunAsync(ConnectionOptions options, CancellationToken cancellationToken)
        {
            using var connection = await ConnectionFactory.ConnectAsync(options, null, cancellationToken).ConfigureAwait(false);
            var observer = MemoryTraceObserver.FromEnvironment();
            (observer as MemoryTraceObserver)?.Sample("connected");
            var cycle = new ProvisioningCycle(connection, observer);
            var plan = await cycle.PlanAsync(cancellationToken).ConfigureAwait(false);
            // As Invoke-DbxProvisioningCycle does without -WhatIf: every change approved, in a HashSet (reference equality).
            var approved = new HashSet<ProvisioningChange>(plan.Changes.Where(c => c.Action != ChangeAction.Skip));
            var plannedWrites = plan.Changes.Count(c => c.Action == ChangeAction.Create || c.Action == ChangeAction.Update
                || c.Action == ChangeAction.Disable || c.Action == ChangeAction.Delete);
            (observer as MemoryTraceObserver)?.Sample("planned");
            var result = await cycle.ExecuteAsync(plan, approved, cancellationToken).ConfigureAwait(false);
            (observer as MemoryTraceObserver)?.Sample("executed");
            (observer as MemoryTraceObserver)?.Assemblies();

            var failures = plan.Changes.Where(c => c.Status == ChangeStatus.Failure).Select(c => c.StatusDetails).ToList();
            var firstFailure = failures.GroupBy(f => Shorten(f)).OrderByDescending(g => g.Count()).FirstOrDefault();
            return new ChildReport
            {
                Created = result.Created,
                Updated = result.Updated,
                Adopted = result.Adopted,
                Suspended = result.Suspended + result.Deleted,
                Failed = result.Failed,
                Skipped = result.Skipped,
                PlannedWrites = plannedWrites,
                Outcome = $"{result.Status}: created {result.Created}, updated {result.Updated}, adopted {result.Adopted}, skipped {result.Skipped}, failed {result.Failed}"
                    + (firstFailure == null ? "" : $" (most common failure, x{firstFailure.Count()}: {firstFailure.Key})"),
            };
        }

        private static string Shorten(string text) => text == null ? "" : text.Length <= 120 ? text : text.Substring(0, 120) + "...";
    }
}
