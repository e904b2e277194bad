using System.Linq;
using DropboxProvisioning.Mapping;

namespace DropboxProvisioning.State
{
    /// <summary>What an admin decides (mappings, settings), kept apart from what the engine records.</summary>
    public sealed class ProvisioningConfiguration
    {
        public int Version { get; set; } = 1;
        public MappingConfiguration Mappings { get; set; } = DefaultMappings.Configuration();
        public ProvisioningSettings Settings { get; set; } = new ProvisioningSettings();

        /// <summary>
        /// Team API: which provisioned group gets which access to which team folder (Set-DbxTeamFolderAccess). Left out of
        /// the file while empty, so configurations saved before it existed keep their fingerprint.
        /// </summary>
        public System.Collections.Generic.List<TeamFolderAccessRule> TeamFolderAccess { get; set; } = new System.Collections.Generic.List<TeamFolderAccessRule>();

        public bool ShouldSerializeTeamFolderAccess() => TeamFolderAccess != null && TeamFolderAccess.Count > 0;

        /// <summary>The offboarding policy (Team API); null, the default: leavers are suspended as always.</summary>
        public OffboardingPolicy Offboarding { get; set; }

        public ProvisioningConfiguration Clone() => new ProvisioningConfiguration
        {
            Version = Version, Mappings = Mappings.Clone(), Settings = Settings.Clone(),
            TeamFolderAccess = (TeamFolderAccess ?? new System.Collections.Generic.List<TeamFolderAccessRule>()).Select(r => r?.Clone()).ToList(),
            Offboarding = Offboarding?.Clone(),
        };
    }
}
