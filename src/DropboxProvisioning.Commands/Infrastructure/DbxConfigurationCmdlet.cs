using System;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.Infrastructure
{
    /// <summary>A cmdlet that edits the job's configuration: validated on a copy, saved only when whole and approved.</summary>
    public abstract class DbxConfigurationCmdlet : DbxConnectedCmdlet
    {
        /// <summary>
        /// Loads the configuration, applies the edit to a copy, validates it for the connection's API, asks ShouldProcess, saves.
        /// Returns the saved configuration, or null when -WhatIf or the user declined.
        /// </summary>
        protected ProvisioningConfiguration EditConfiguration(string target, string action, Action<ProvisioningConfiguration> edit) =>
            EditConfiguration(target, (before, after) => action, edit);

        /// <summary>
        /// As above, with the ShouldProcess text made from the configuration before and after the edit (the Set- cmdlets
        /// name each value with its old and new value). A null text means nothing changes: nothing is asked or saved,
        /// and the configuration is returned as it is.
        /// </summary>
        protected ProvisioningConfiguration EditConfiguration(string target, Func<ProvisioningConfiguration, ProvisioningConfiguration, string> action, Action<ProvisioningConfiguration> edit)
        {
            var connection = RequireConnection();
            try
            {
                var current = connection.Store.LoadConfiguration();
                var edited = ConfigurationEditor.Edit(current, connection.Api, edit);
                var text = action(current, edited);
                if (text == null)
                {
                    WriteVerbose($"The {target} already have these values: nothing to change.");
                    return edited;
                }
                if (!ShouldProcess(target, text)) return null;
                connection.Store.SaveConfiguration(edited);
                return edited;
            }
            catch (DbxException e)
            {
                WriteNonTerminating(e);
                return null;
            }
        }
    }
}
