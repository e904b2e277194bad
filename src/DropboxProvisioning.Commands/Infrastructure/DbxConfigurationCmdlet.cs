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
        protected ProvisioningConfiguration EditConfiguration(string target, string action, Action<ProvisioningConfiguration> edit)
        {
            var connection = RequireConnection();
            try
            {
                var edited = ConfigurationEditor.Edit(connection.Store.LoadConfiguration(), connection.Api, edit);
                if (!ShouldProcess(target, action)) return null;
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
