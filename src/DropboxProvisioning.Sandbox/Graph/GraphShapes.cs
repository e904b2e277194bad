using System;
using DropboxProvisioning.Sandbox.Directory;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Graph
{
    /// <summary>The Graph v1.0 entity types the sandbox serves, rendered as the real service renders them.</summary>
    internal static class GraphShapes
    {
        public static readonly EntityShape<DirectoryUser> User = new EntityShape<DirectoryUser>("#microsoft.graph.user", "User")
            .Add("businessPhones", u => new JArray())
            .Add("displayName", u => u.DisplayName)
            .Add("givenName", u => u.GivenName)
            .Add("jobTitle", u => u.JobTitle)
            .Add("mail", u => u.Mail)
            .Add("mobilePhone", u => u.MobilePhone)
            .Add("officeLocation", u => u.OfficeLocation)
            .Add("preferredLanguage", u => u.PreferredLanguage)
            .Add("surname", u => u.Surname)
            .Add("userPrincipalName", u => u.UserPrincipalName)
            .Add("id", u => u.Id)
            .Add("accountEnabled", u => u.AccountEnabled)
            .Add("city", u => u.City)
            .Add("companyName", u => u.CompanyName)
            .Add("country", u => u.Country)
            .Add("createdDateTime", u => Timestamp(u.CreatedDateTime))
            .Add("department", u => u.Department)
            .Add("employeeId", u => u.EmployeeId)
            .Add("mailNickname", u => u.MailNickname)
            .Add("usageLocation", u => u.UsageLocation)
            .Add("userType", u => u.UserType)
            // Real properties the sandbox does not model: selectable, always empty, so clients that ask for them still work.
            .Add("employeeType", u => null)
            .Add("externalUserState", u => u.UserType == "Guest" ? "Accepted" : null)
            .Add("onPremisesImmutableId", u => null)
            .Add("onPremisesSamAccountName", u => null)
            .Add("onPremisesSyncEnabled", u => null)
            .Add("otherMails", u => new JArray())
            .Add("proxyAddresses", u => u.ProxyAddresses != null ? new JArray(u.ProxyAddresses) : string.IsNullOrEmpty(u.Mail) ? new JArray() : new JArray("SMTP:" + u.Mail))
            .Add("state", u => null)
            .Add("streetAddress", u => null)
            .Add("postalCode", u => null)
            .Add("deletedDateTime", u => null)
            .Defaults("businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation",
                      "preferredLanguage", "surname", "userPrincipalName", "id");

        public static readonly EntityShape<DirectoryGroup> Group = new EntityShape<DirectoryGroup>("#microsoft.graph.group", "Group")
            .Add("id", g => g.Id)
            .Add("deletedDateTime", g => null)
            .Add("createdDateTime", g => Timestamp(g.CreatedDateTime))
            .Add("description", g => g.Description)
            .Add("displayName", g => g.DisplayName)
            .Add("groupTypes", g => new JArray())
            .Add("mail", g => g.Mail)
            .Add("mailEnabled", g => g.MailEnabled)
            .Add("mailNickname", g => g.MailNickname)
            .Add("securityEnabled", g => g.SecurityEnabled)
            .Add("visibility", g => null)
            .Add("onPremisesSyncEnabled", g => null);

        public static readonly EntityShape<AppRoleAssignment> Assignment = new EntityShape<AppRoleAssignment>("#microsoft.graph.appRoleAssignment", "AppRoleAssignment")
            .Add("id", a => a.Id)
            .Add("deletedDateTime", a => null)
            .Add("appRoleId", a => a.AppRoleId)
            .Add("createdDateTime", a => Timestamp(a.CreatedDateTime))
            .Add("principalDisplayName", a => a.PrincipalDisplayName)
            .Add("principalId", a => a.PrincipalId)
            .Add("principalType", a => a.PrincipalType)
            .Add("resourceDisplayName", a => DropboxApp.DisplayName)
            .Add("resourceId", a => a.ResourceId);

        public static readonly EntityShape<DirectoryModel> ServicePrincipal = new EntityShape<DirectoryModel>("#microsoft.graph.servicePrincipal", "ServicePrincipal")
            .Add("id", d => d.ServicePrincipalId)
            .Add("accountEnabled", d => true)
            .Add("appDisplayName", d => DropboxApp.DisplayName)
            .Add("appId", d => DropboxApp.AppId)
            .Add("appRoleAssignmentRequired", d => true)
            .Add("appRoles", d => new JArray(new JObject
            {
                ["allowedMemberTypes"] = new JArray("User"),
                ["description"] = "User",
                ["displayName"] = "User",
                ["id"] = SandboxCredentials.UserAppRoleId,
                ["isEnabled"] = true,
                ["origin"] = "Application",
                ["value"] = null,
            }))
            .Add("displayName", d => DropboxApp.DisplayName)
            .Add("servicePrincipalNames", d => new JArray(DropboxApp.AppId))
            .Add("servicePrincipalType", d => "Application")
            .Add("tags", d => new JArray("WindowsAzureActiveDirectoryIntegratedApp"));

        /// <summary>Graph's timestamp form: UTC, second precision, "Z".</summary>
        public static JToken Timestamp(DateTimeOffset value) =>
            value == default ? null : (JToken)value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The Dropbox enterprise application whose service principal the directory's assignments point at.</summary>
    public static class DropboxApp
    {
        public const string DisplayName = "Dropbox Business";
        /// <summary>The gallery application's app id in the sandbox tenant.</summary>
        public const string AppId = "6f2b1a3e-8d4c-4b7a-9e21-3c5d7f0a1b2c";
    }
}
