using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Mapping;

namespace DropboxProvisioning.Sync
{
    public sealed partial class ProvisioningCycle
    {
        /// <summary>
        /// Before anything is read: a target that can show members' custom space limits reads them only while the user
        /// mapping maps spaceLimitGb (one member_space_limits/get_custom_quota call per 1,000 members read).
        /// </summary>
        private void PrepareSpaceLimits(ObjectMapping users)
        {
            if (!(_connection.Target is IDropboxSpaceLimits limits)) return;
            var mapped = MappingEditor.Find(users, TargetSchema.SpaceLimitGb);
            limits.ReadsSpaceLimits = mapped != null && mapped.Type != MappingType.None;
        }
    }
}
