namespace DropboxProvisioning.State
{
    // The enums the cmdlets write are 64-bit so that ConvertTo-Json writes them by name (README, "Exports").
    /// <summary>What one change does in Dropbox (Entra's provisioning log actions, plus Adopt and Skip).</summary>
    public enum ChangeAction : long
    {
        /// <summary>Create the account.</summary>
        Create,
        /// <summary>Change attributes (including active=true for a returning user).</summary>
        Update,
        /// <summary>Suspend the account (active=false).</summary>
        Disable,
        /// <summary>Delete the account.</summary>
        Delete,
        /// <summary>Take an existing, matching account under management without changing it.</summary>
        Adopt,
        /// <summary>Nothing is written; the reason says why.</summary>
        Skip,
        /// <summary>A suspension or deletion held back by the accidental-deletions threshold until approved.</summary>
        StagedDelete,
        /// <summary>Bookkeeping only (for example an account that disappeared from Dropbox).</summary>
        Other,
        /// <summary>Send the invitation again to a member who has not accepted it (Team API: members/send_welcome_email).</summary>
        Remind,
    }

    public enum ChangeStatus : long { Planned, Success, Failure, Skipped, Warning }

    /// <summary>
    /// How a cycle ended. Partial: it stopped at its deadline (-MaxDuration, MaxCycleDuration) with work left, which the next
    /// cycle continues; not a failure.
    /// </summary>
    public enum CycleStatus : long { Succeeded, CompletedWithFailures, Failed, Cancelled, WhatIf, Partial }
}
