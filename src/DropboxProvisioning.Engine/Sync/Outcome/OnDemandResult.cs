using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Collections;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>One step of provisioning on demand, as Entra's "Provision on demand" shows them.</summary>
    public sealed class OnDemandStep
    {
        public OnDemandStep(int number, string name, ChangeStatus status, string details)
        {
            Number = number; Name = name; Status = status; Details = details;
        }
        public int Number { get; }
        public string Name { get; }
        public ChangeStatus Status { get; internal set; }
        public string Details { get; internal set; }
        public override string ToString() => $"{Number}. {Name}: {Status} - {Details}";
    }

    /// <summary>What Start-DbxProvisioningOnDemand did with one object: its steps and the change it made.</summary>
    public sealed class OnDemandResult
    {
        public string SourceId { get; internal set; }
        public string SourceIdentity { get; internal set; }
        public List<OnDemandStep> Steps { get; } = new TextList<OnDemandStep>();
        /// <summary>The change planned (and, unless -WhatIf, made); null when nothing needed to change.</summary>
        public ProvisioningChange Change { get; internal set; }
        public ChangeStatus Status => Steps.Any(s => s.Status == ChangeStatus.Failure) ? ChangeStatus.Failure : Steps.LastOrDefault()?.Status ?? ChangeStatus.Skipped;

        internal OnDemandStep Add(string name, ChangeStatus status, string details)
        {
            var step = new OnDemandStep(Steps.Count + 1, name, status, details);
            Steps.Add(step);
            return step;
        }
    }
}
