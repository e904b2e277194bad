using DropboxProvisioning.Mapping;

namespace DropboxProvisioning.State
{
    /// <summary>What an admin decides (mappings, settings), kept apart from what the engine records.</summary>
    public sealed class ProvisioningConfiguration
    {
        public int Version { get; set; } = 1;
        public MappingConfiguration Mappings { get; set; } = DefaultMappings.Configuration();
        public ProvisioningSettings Settings { get; set; } = new ProvisioningSettings();

        /// <summary>The offboarding policy (Team API); null, the default: leavers are suspended as always.</summary>
        public OffboardingPolicy Offboarding { get; set; }

        public ProvisioningConfiguration Clone() => new ProvisioningConfiguration { Version = Version, Mappings = Mappings.Clone(), Settings = Settings.Clone(), Offboarding = Offboarding?.Clone() };
    }
}
