using System.Linq;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Mapping;

namespace DropboxProvisioning.Sync
{
    public sealed partial class ProvisioningCycle
    {
        /// <summary>
        /// Before anything is read: a target that can show members' custom space limits reads them only while the user
        /// mapping maps spaceLimitGb (one member_space_limits/get_custom_quota call per 1,000 members read), or while a
        /// managed member has a limit the engine set, so that one the mapping no longer gives is seen and removed.
        /// </summary>
        private void PrepareSpaceLimits(ObjectMapping users, State.ProvisioningState state)
        {
            if (!(_connection.Target is IDropboxSpaceLimits limits)) return;
            var mapped = MappingEditor.Find(users, TargetSchema.SpaceLimitGb);
            limits.ReadsSpaceLimits = (mapped != null && mapped.Type != MappingType.None)
                || state.Users.Values.Any(m => m.Exported.TryGetValue(TargetSchema.SpaceLimitGb, out var gb) && gb != null);
        }
    }
}
