using System;

namespace DropboxProvisioning.Sandbox.Directory
{
    /// <summary>An Entra ID user, with the properties Microsoft Graph exposes and the provisioning engine maps.</summary>
    public sealed class DirectoryUser
    {
        public string Id { get; set; }
        public string UserPrincipalName { get; set; }
        public string DisplayName { get; set; }
        public string GivenName { get; set; }
        public string Surname { get; set; }
        public string Mail { get; set; }
        public string MailNickname { get; set; }
        /// <summary>Exchange's proxyAddresses ("SMTP:" the primary, "smtp:" aliases); null: just "SMTP:" and the mail. Replace the array to change it.</summary>
        public string[] ProxyAddresses { get; set; }
        public string Department { get; set; }
        public string JobTitle { get; set; }
        public string EmployeeId { get; set; }
        public string CompanyName { get; set; }
        public string OfficeLocation { get; set; }
        public string City { get; set; }
        public string Country { get; set; }
        public string UsageLocation { get; set; }
        public string PreferredLanguage { get; set; }
        public string MobilePhone { get; set; }
        public bool AccountEnabled { get; set; } = true;
        /// <summary>"Member" or "Guest".</summary>
        public string UserType { get; set; } = "Member";
        /// <summary>The id of the user's manager, or null.</summary>
        public string ManagerId { get; set; }
        public DateTimeOffset CreatedDateTime { get; set; }

        public DirectoryUser Clone() => (DirectoryUser)MemberwiseClone();

        public override string ToString() => UserPrincipalName ?? Id;
    }
}
