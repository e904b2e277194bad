using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.Commands.TeamFolders
{
    /// <summary>
    /// <para type="synopsis">Removes a row of the team folder table: the next cycle removes the access the engine gave for it.</para>
    /// <para type="description">The next cycle calls sharing/remove_folder_member for the access the engine granted for this row (never for access given by hand). The team folder itself is never deleted or archived. Takes Get-DbxTeamFolderAccess output from the pipeline.</para>
    /// <para type="link">Get-DbxTeamFolderAccess</para>
    /// <para type="link">Set-DbxTeamFolderAccess</para>
    /// </summary>
    /// <example>
    /// <para>Removes the Sales row.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox -Api TeamApi
    /// Set-DbxTeamFolderAccess -Group Sales -TeamFolder Sales | Out-Null
    /// Remove-DbxTeamFolderAccess -Group Sales -TeamFolder Sales
    /// </code>
    /// </example>
    /// <example>
    /// <para>Shows what emptying the table would do; -WhatIf saves nothing.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox -Api TeamApi
    /// Set-DbxTeamFolderAccess -Group Sales -TeamFolder Sales | Out-Null
    /// Get-DbxTeamFolderAccess | Remove-DbxTeamFolderAccess -WhatIf
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "DbxTeamFolderAccess", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveDbxTeamFolderAccessCommand : DbxConfigurationCmdlet
    {
        /// <summary>The group of the row, as it was set (object id or name).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Group { get; set; }

        /// <summary>The team folder of the row.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string TeamFolder { get; set; }

        protected override void OnProcessRecord()
        {
            EditConfiguration($"team folder access of '{Group}' to '{TeamFolder}'", "Remove team folder access", configuration =>
            {
                var removed = configuration.TeamFolderAccess.RemoveAll(r => r.SameAs(Group.Trim(), TeamFolder.Trim()));
                if (removed == 0)
                    throw new DbxException("TeamFolderAccessNotFound", DbxErrorCategory.ObjectNotFound, $"The team folder table has no row for '{Group}' and '{TeamFolder}'.", target: Group);
            });
        }
    }
}
