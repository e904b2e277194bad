namespace DropboxProvisioning.State
{
    // The enums the cmdlets write are 64-bit so that ConvertTo-Json writes them by name (README, "Exports").
    /// <summary>What an offboarding rule does with the Dropbox member of a user who leaves scope or is disabled.</summary>
    public enum OffboardingAction : long
    {
        /// <summary>Suspend (members/suspend), as a job without a policy does; with WipeData, the member's devices are wiped.</summary>
        Suspend,
        /// <summary>Suspend now, and remove (members/remove) once RemoveAfterDays have passed, unless the user comes back first.</summary>
        SuspendThenRemove,
    }

    /// <summary>Where a removed member's files go (MembersRemoveArg.transfer_dest_id).</summary>
    public enum FileTransferTarget : long
    {
        /// <summary>No transfer: the files stay with the removed account (recoverable with members/recover for Dropbox's window).</summary>
        None,
        /// <summary>The user's manager in Entra ID (Graph GET /users/{id}/manager), as a managed Dropbox member.</summary>
        Manager,
        /// <summary>The Dropbox member whose e-mail an Entra attribute of the user holds (TransferTarget names the attribute).</summary>
        Attribute,
        /// <summary>The Dropbox member whose e-mail an expression over the user's attributes gives (TransferTarget is the expression).</summary>
        Expression,
        /// <summary>One fixed Dropbox member (TransferTarget is its e-mail).</summary>
        Member,
    }
}
