namespace DropboxProvisioning.Sandbox.Generation
{
    /// <summary>What kind of tenant to generate. The same profile always gives the same tenant.</summary>
    public sealed class TenantProfile
    {
        /// <summary>Number of Entra users (members and guests).</summary>
        public int Users { get; set; } = 50;

        /// <summary>Seed of the one System.Random every choice (ids included) is drawn from.</summary>
        public int Seed { get; set; } = 1;

        /// <summary>Dropbox accounts that exist before the engine runs: the first matches an assigned user's UPN (to adopt), the rest are unrelated.</summary>
        public int PreexistingDropboxMembers { get; set; } = 3;

        /// <summary>The verified domain of member UPNs and mail; the initial domain is derived from it (contoso.onmicrosoft.com).</summary>
        public string Domain { get; set; } = "contoso.com";

        public string CompanyName { get; set; } = "Contoso";

        /// <summary>Number of project groups (besides one group per department).</summary>
        public int ProjectGroups { get; set; } = 3;

        public double GuestFraction { get; set; } = 0.04;
        public double DisabledFraction { get; set; } = 0.03;
        /// <summary>Users assigned only the Default Access role (the all-zero GUID): out of scope.</summary>
        public double DefaultAccessOnlyFraction { get; set; } = 0.03;
        /// <summary>Users in scope through the assigned "Dropbox Users" group rather than directly.</summary>
        public double GroupAssignedFraction { get; set; } = 0.10;
        public double UnassignedFraction { get; set; } = 0.05;
        /// <summary>Users with a given name only: Dropbox refuses a member without a surname.</summary>
        public int UsersWithoutSurname { get; set; } = 2;

        /// <summary>The tenant's initial domain: "contoso.com" gives "contoso.onmicrosoft.com".</summary>
        public string InitialDomain
        {
            get
            {
                var label = (Domain ?? "contoso.com").Split('.')[0];
                return label.ToLowerInvariant() + ".onmicrosoft.com";
            }
        }
    }
}
