namespace DropboxProvisioning.Sandbox
{
    /// <summary>
    /// The fixed identities of a sandbox tenant. They are not secrets: they open nothing but the sandbox,
    /// and Connect-DbxTenant -Sandbox uses them so that a new user needs no set-up.
    /// </summary>
    public static class SandboxCredentials
    {
        public const string TenantId = "7f3c2a10-5b1e-4c6d-9a8e-000000005a4d";
        public const string ClientId = "0c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
        public const string ClientSecret = "sandbox-client-secret";
        public const string ServicePrincipalId = "d0b0c0a0-1111-4222-8333-444455556666";
        public const string ScimToken = "sandbox-scim-token";
        /// <summary>The Dropbox app's "User" role; the all-zero GUID is Entra's Default Access.</summary>
        public const string UserAppRoleId = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b";
        public const string DefaultAccessAppRoleId = "00000000-0000-0000-0000-000000000000";

        /// <summary>
        /// A second app registration of the tenant, standing for the admin who changes Entra during a rehearsal: its tokens
        /// carry the Graph write permissions (<see cref="Directory.DirectoryModel.AdministratorGraphPermissions"/>) that the
        /// provisioning app (<see cref="ClientId"/>) does not have.
        /// </summary>
        public const string AdministratorClientId = "a7d1e2c3-9b8a-4f6e-8d7c-5b4a3f2e1d0c";
        /// <summary>The object id of the managed identity (the Automation account's) that the managed identity endpoint answers for.</summary>
        public const string ManagedIdentityObjectId = "5e6f7a8b-1c2d-4e3f-9a0b-c1d2e3f4a5b6";

        public const string AdministratorClientSecret = "sandbox-administrator-secret";
    }
}
