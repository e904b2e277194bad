using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Issue #8, bad input: every exported cmdlet refuses bad parameters with a specific ErrorRecord
    /// (PowerShell's own validation id or the module's "&lt;Cmdlet&gt;&lt;Condition&gt;" id, and a sensible
    /// category) and leaves the saved configuration and state byte-for-byte as they were.
    /// </summary>
    public sealed class BadParameterTests
    {
        private const string Guid1 = "11111111-2222-3333-4444-555555555555";
        private const string Guid2 = "66666666-7777-8888-9999-000000000000";
        private const string Real = "-SecretToken $token -TenantId contoso.onmicrosoft.com -ClientId " + Guid1 + " -ClientSecret $secret -ServicePrincipalId " + Guid2;
        private const string Url = "-TenantUrl https://www.dropbox.com/scim/v2";

        private const string Validation = "ParameterArgumentValidationError";

        /// <summary>(cmdlet, script, expected error id before the comma, expected category).</summary>
        private static readonly (string Cmdlet, string Script, string Id, ErrorCategory Category)[] Cases =
        {
            // Connect-DbxTenant: URLs
            ("Connect-DbxTenant", $"Connect-DbxTenant -TenantUrl 'not a url' {Real}", "ConnectDbxTenantInvalidUrl", ErrorCategory.InvalidArgument),
            ("Connect-DbxTenant", $"Connect-DbxTenant -TenantUrl 'ftp://files.example.com/scim/v2' {Real}", "ConnectDbxTenantInvalidUrl", ErrorCategory.InvalidArgument),
            ("Connect-DbxTenant", $"Connect-DbxTenant -TenantUrl 'https://' {Real}", "ConnectDbxTenantInvalidUrl", ErrorCategory.InvalidArgument),
            ("Connect-DbxTenant", $"Connect-DbxTenant -TenantUrl '/scim/v2' {Real}", "ConnectDbxTenantInvalidUrl", ErrorCategory.InvalidArgument),
            ("Connect-DbxTenant", $"Connect-DbxTenant -TenantUrl '' {Real}", Validation, ErrorCategory.InvalidData),
            ("Connect-DbxTenant", $"Connect-DbxTenant -TenantUrl 'http://www.dropbox.com/scim/v2' {Real}", "ConnectDbxTenantInsecureUrl", ErrorCategory.SecurityError),
            ("Connect-DbxTenant", $"Connect-DbxTenant -TenantUrl 'http://10.0.0.5/scim/v2' {Real}", "ConnectDbxTenantInsecureUrl", ErrorCategory.SecurityError),
            ("Connect-DbxTenant", $"Connect-DbxTenant {Url} {Real} -GraphEndpoint 'http://graph.microsoft.com'", "ConnectDbxTenantInsecureUrl", ErrorCategory.SecurityError),
            ("Connect-DbxTenant", $"Connect-DbxTenant {Url} {Real} -AuthorityHost 'http://login.microsoftonline.com'", "ConnectDbxTenantInsecureUrl", ErrorCategory.SecurityError),
            ("Connect-DbxTenant", $"Connect-DbxTenant {Url} {Real} -GraphEndpoint 'graph'", "ConnectDbxTenantInvalidUrl", ErrorCategory.InvalidArgument),
            // Connect-DbxTenant: secrets and ids
            ("Connect-DbxTenant", $"Connect-DbxTenant {Url} -SecretToken $blank -TenantId contoso.onmicrosoft.com -ClientId {Guid1} -ClientSecret $secret -ServicePrincipalId {Guid2}", "ConnectDbxTenantEmptySecretToken", ErrorCategory.InvalidArgument),
            ("Connect-DbxTenant", $"Connect-DbxTenant {Url} -SecretToken $empty -TenantId contoso.onmicrosoft.com -ClientId {Guid1} -ClientSecret $secret -ServicePrincipalId {Guid2}", "ConnectDbxTenantEmptySecretToken", ErrorCategory.InvalidArgument),
            ("Connect-DbxTenant", $"Connect-DbxTenant {Url} -SecretToken $token -TenantId contoso.onmicrosoft.com -ClientId {Guid1} -ClientSecret $blank -ServicePrincipalId {Guid2}", "ConnectDbxTenantEmptyClientSecret", ErrorCategory.InvalidArgument),
            ("Connect-DbxTenant", $"Connect-DbxTenant {Url} -SecretToken $token -TenantId contoso.onmicrosoft.com -ClientId {Guid1} -ClientSecret $secret -ServicePrincipalId 'Dropbox for Business'", "ConnectDbxTenantInvalidServicePrincipalId", ErrorCategory.InvalidArgument),
            ("Connect-DbxTenant", $"Connect-DbxTenant {Url} -SecretToken $token -TenantId contoso.onmicrosoft.com -ClientId 'my-app' -ClientSecret $secret -ServicePrincipalId {Guid2}", "ConnectDbxTenantInvalidClientId", ErrorCategory.InvalidArgument),
            ("Connect-DbxTenant", $"Connect-DbxTenant {Url} -SecretToken $token -TenantId 'not a tenant!' -ClientId {Guid1} -ClientSecret $secret -ServicePrincipalId {Guid2}", "ConnectDbxTenantInvalidTenantId", ErrorCategory.InvalidArgument),
            ("Connect-DbxTenant", $"Connect-DbxTenant {Url} -SecretToken $token -TenantId '   ' -ClientId {Guid1} -ClientSecret $secret -ServicePrincipalId {Guid2}", "ConnectDbxTenantInvalidTenantId", ErrorCategory.InvalidArgument),
            ("Connect-DbxTenant", $"Connect-DbxTenant {Url} -SecretToken $token -GraphAccessToken $blank -ServicePrincipalId {Guid2}", "ConnectDbxTenantEmptyGraphAccessToken", ErrorCategory.InvalidArgument),
            ("Connect-DbxTenant", $"Connect-DbxTenant {Url} -SecretToken $token -ManagedIdentity -ClientId 'not-a-guid' -ServicePrincipalId {Guid2}", "ConnectDbxTenantInvalidClientId", ErrorCategory.InvalidArgument),
            ("Connect-DbxTenant", $"Connect-DbxTenant {Url} -SecretToken $token -ManagedIdentity -TenantId 'bad tenant' -ServicePrincipalId {Guid2}", "ConnectDbxTenantInvalidTenantId", ErrorCategory.InvalidArgument),
            ("Connect-DbxTenant", $"Connect-DbxTenant {Url} -SecretToken $token -TenantId contoso.onmicrosoft.com -ClientId {Guid1} -CertificateThumbprint 'abc' -ServicePrincipalId {Guid2}", Validation, ErrorCategory.InvalidData),
            ("Connect-DbxTenant", "Connect-DbxTenant -Sandbox -SandboxUserCount 0", Validation, ErrorCategory.InvalidData),
            ("Connect-DbxTenant", "Connect-DbxTenant -Sandbox -StatePath ''", Validation, ErrorCategory.InvalidData),
            ("Disconnect-DbxTenant", "Disconnect-DbxTenant -Force", "NamedParameterNotFound", ErrorCategory.InvalidArgument),

            // Settings
            ("Set-DbxProvisioningSetting", "Set-DbxProvisioningSetting -DeletionThreshold 0", Validation, ErrorCategory.InvalidData),
            ("Set-DbxProvisioningSetting", "Set-DbxProvisioningSetting -DeletionThreshold -1", Validation, ErrorCategory.InvalidData),
            ("Set-DbxProvisioningSetting", "Set-DbxProvisioningSetting -DeletionThreshold 2000000", Validation, ErrorCategory.InvalidData),
            ("Set-DbxProvisioningSetting", "Set-DbxProvisioningSetting -MaxConcurrency 0", Validation, ErrorCategory.InvalidData),
            ("Set-DbxProvisioningSetting", "Set-DbxProvisioningSetting -MaxConcurrency 65", Validation, ErrorCategory.InvalidData),
            ("Set-DbxProvisioningSetting", "Set-DbxProvisioningSetting -CycleInterval 0", "SetDbxProvisioningSettingInvalidCycleInterval", ErrorCategory.InvalidArgument),
            ("Set-DbxProvisioningSetting", "Set-DbxProvisioningSetting -CycleInterval '-00:40:00'", "SetDbxProvisioningSettingInvalidCycleInterval", ErrorCategory.InvalidArgument),
            ("Set-DbxProvisioningSetting", "Set-DbxProvisioningSetting -CycleInterval '30.00:00:00'", "SetDbxProvisioningSettingInvalidCycleInterval", ErrorCategory.InvalidArgument),
            ("Set-DbxProvisioningSetting", "Set-DbxProvisioningSetting -MaxCycleDuration '00:00:00.5'", "SetDbxProvisioningSettingInvalidMaxCycleDuration", ErrorCategory.InvalidArgument),
            ("Set-DbxProvisioningSetting", "Set-DbxProvisioningSetting -MaxCycleDuration '8.00:00:00'", "SetDbxProvisioningSettingInvalidMaxCycleDuration", ErrorCategory.InvalidArgument),
            ("Set-DbxProvisioningSetting", "Set-DbxProvisioningSetting -MaxCycleDuration soon", "CannotConvertArgumentNoMessage", ErrorCategory.InvalidArgument),
            ("Set-DbxProvisioningSetting", "Set-DbxProvisioningSetting -NotificationEmail 'not an address'", Validation, ErrorCategory.InvalidData),
            ("Set-DbxProvisioningSetting", "Set-DbxProvisioningSetting -Scope Everyone", "CannotConvertArgumentNoMessage", ErrorCategory.InvalidArgument),
            ("Get-DbxProvisioningSetting", "Get-DbxProvisioningSetting -Connection $null", Validation, ErrorCategory.InvalidData),
            ("Set-DbxProvisioningStatus", "Set-DbxProvisioningStatus -Status Maybe", "CannotConvertArgumentNoMessage", ErrorCategory.InvalidArgument),
            ("Get-DbxProvisioningStatus", "Get-DbxProvisioningStatus -Connection $null", Validation, ErrorCategory.InvalidData),
            ("Restart-DbxProvisioning", "Restart-DbxProvisioning -Scope Everything -Confirm:$false", "CannotConvertArgumentNoMessage", ErrorCategory.InvalidArgument),
            ("Approve-DbxProvisioningDeletion", "Approve-DbxProvisioningDeletion -TargetIdentity '' -Confirm:$false", Validation, ErrorCategory.InvalidData),
            ("Approve-DbxProvisioningDeletion", "Approve-DbxProvisioningDeletion -TargetIdentity 'nobody@nowhere.example' -Confirm:$false", "ApproveDbxProvisioningDeletionNotHeld", ErrorCategory.ObjectNotFound),

            // Cycles, on demand and logs
            ("Invoke-DbxProvisioningCycle", "Invoke-DbxProvisioningCycle -Continuous -Interval 0", "InvokeDbxProvisioningCycleInvalidInterval", ErrorCategory.InvalidArgument),
            ("Invoke-DbxProvisioningCycle", "Invoke-DbxProvisioningCycle -Continuous -Interval '-00:00:05'", "InvokeDbxProvisioningCycleInvalidInterval", ErrorCategory.InvalidArgument),
            ("Invoke-DbxProvisioningCycle", "Invoke-DbxProvisioningCycle -Continuous -Interval '8.00:00:00'", "InvokeDbxProvisioningCycleInvalidInterval", ErrorCategory.InvalidArgument),
            ("Invoke-DbxProvisioningCycle", "Invoke-DbxProvisioningCycle -Continuous -MaxCycles 0", Validation, ErrorCategory.InvalidData),
            ("Invoke-DbxProvisioningCycle", "Invoke-DbxProvisioningCycle -MaxDuration 0", "InvokeDbxProvisioningCycleInvalidMaxDuration", ErrorCategory.InvalidArgument),
            ("Invoke-DbxProvisioningCycle", "Invoke-DbxProvisioningCycle -MaxDuration '-01:00:00'", "InvokeDbxProvisioningCycleInvalidMaxDuration", ErrorCategory.InvalidArgument),
            ("Invoke-DbxProvisioningCycle", "Invoke-DbxProvisioningCycle -MaxDuration '8.00:00:00' -WhatIf", "InvokeDbxProvisioningCycleInvalidMaxDuration", ErrorCategory.InvalidArgument),
            ("Invoke-DbxProvisioningCycle", "Invoke-DbxProvisioningCycle -Interval '00:01:00'", "MissingMandatoryParameter", ErrorCategory.InvalidArgument),
            ("Start-DbxProvisioningOnDemand", "Start-DbxProvisioningOnDemand -UserId ''", Validation, ErrorCategory.InvalidData),
            ("Start-DbxProvisioningOnDemand", "Start-DbxProvisioningOnDemand -UserId 'nobody@nowhere.example'", "StartDbxProvisioningOnDemandUserNotFound", ErrorCategory.ObjectNotFound),
            ("Get-DbxProvisioningLog", "Get-DbxProvisioningLog -First 0", Validation, ErrorCategory.InvalidData),
            ("Get-DbxProvisioningLog", "Get-DbxProvisioningLog -First -5", Validation, ErrorCategory.InvalidData),
            ("Get-DbxProvisioningLog", "Get-DbxProvisioningLog -CycleId ''", Validation, ErrorCategory.InvalidData),
            ("Get-DbxProvisioningLog", "Get-DbxProvisioningLog -Status Exploded", "CannotConvertArgumentNoMessage", ErrorCategory.InvalidArgument),
            ("Get-DbxProvisioningLog", "Get-DbxProvisioningLog -After 'yesterday-ish'", "CannotConvertArgumentNoMessage", ErrorCategory.InvalidArgument),

            // Mappings
            ("Set-DbxAttributeMapping", "Set-DbxAttributeMapping userName -SourceAttribute noSuchAttribute", "SetDbxAttributeMappingUnknownSourceAttribute", ErrorCategory.InvalidArgument),
            ("Set-DbxAttributeMapping", "Set-DbxAttributeMapping noSuchTarget -SourceAttribute mail", "SetDbxAttributeMappingMappingNotFound", ErrorCategory.ObjectNotFound),
            ("Set-DbxAttributeMapping", "Set-DbxAttributeMapping userName -Expression 'Append([mail], \"x\"'", "SetDbxAttributeMappingInvalidExpression", ErrorCategory.InvalidArgument),
            ("Set-DbxAttributeMapping", "Set-DbxAttributeMapping userName -Expression 'NoSuchFunction([mail])'", "SetDbxAttributeMappingInvalidExpression", ErrorCategory.InvalidArgument),
            ("Set-DbxAttributeMapping", "Set-DbxAttributeMapping userName -Expression 'Append([noSuchAttribute], \"x\")'", "SetDbxAttributeMappingUnknownSourceAttribute", ErrorCategory.InvalidArgument),
            ("Set-DbxAttributeMapping", "Set-DbxAttributeMapping userName -Expression '   '", "SetDbxAttributeMappingMissingExpression", ErrorCategory.InvalidArgument),
            ("Set-DbxAttributeMapping", "Set-DbxAttributeMapping userName -SourceAttribute mail -Expression '[mail]'", "SetDbxAttributeMappingAmbiguousSource", ErrorCategory.InvalidArgument),
            ("Set-DbxAttributeMapping", "Set-DbxAttributeMapping userName -MatchingPrecedence 21", Validation, ErrorCategory.InvalidData),
            ("Set-DbxAttributeMapping", "Set-DbxAttributeMapping -ObjectType User -Enabled $true -TargetObjectActions Create, Explode", Validation, ErrorCategory.InvalidData),
            ("Add-DbxAttributeMapping", "Add-DbxAttributeMapping noSuchTarget -SourceAttribute mail", "AddDbxAttributeMappingUnknownTargetAttribute", ErrorCategory.InvalidArgument),
            ("Add-DbxAttributeMapping", "Add-DbxAttributeMapping title -SourceAttribute noSuchAttribute", "AddDbxAttributeMappingUnknownSourceAttribute", ErrorCategory.InvalidArgument),
            ("Add-DbxAttributeMapping", "Add-DbxAttributeMapping title -Expression 'Join(\",\"'", "AddDbxAttributeMappingInvalidExpression", ErrorCategory.InvalidArgument),
            ("Remove-DbxAttributeMapping", "Remove-DbxAttributeMapping noSuchTarget -Confirm:$false", "RemoveDbxAttributeMappingMappingNotFound", ErrorCategory.ObjectNotFound),
            ("Reset-DbxAttributeMapping", "Reset-DbxAttributeMapping -ObjectType Printer -Confirm:$false", "CannotConvertArgumentNoMessage", ErrorCategory.InvalidArgument),
            ("Get-DbxAttributeMapping", "Get-DbxAttributeMapping -TargetAttribute ''", Validation, ErrorCategory.InvalidData),
            ("Test-DbxAttributeMapping", "Test-DbxAttributeMapping -Expression 'Append([mail]' -SourceAttributes @{ mail = 'a@b.c' }", "TestDbxAttributeMappingExpressionSyntax", ErrorCategory.InvalidArgument),
            ("Test-DbxAttributeMapping", "Test-DbxAttributeMapping -UserId ''", Validation, ErrorCategory.InvalidData),
            ("Test-DbxAttributeMapping", "Test-DbxAttributeMapping -UserId 'no-such-user@nowhere.example'", "TestDbxAttributeMappingGraphNotFound", ErrorCategory.ObjectNotFound),

            // Scoping filters
            ("Add-DbxScopingFilter", "Add-DbxScopingFilter f -SourceAttribute noSuchAttribute -Operator EQUALS -Value x", "AddDbxScopingFilterUnknownSourceAttribute", ErrorCategory.InvalidArgument),
            ("Add-DbxScopingFilter", "Add-DbxScopingFilter f -SourceAttribute department -Operator LOOKS_LIKE -Value x", "AddDbxScopingFilterUnknownOperator", ErrorCategory.InvalidArgument),
            ("Add-DbxScopingFilter", "Add-DbxScopingFilter f -SourceAttribute department -Operator REGEX_MATCH -Value '(unclosed'", "AddDbxScopingFilterInvalidScopingFilter", ErrorCategory.InvalidArgument),
            ("Add-DbxScopingFilter", "Add-DbxScopingFilter f -SourceAttribute department -Operator EQUALS", "AddDbxScopingFilterInvalidScopingFilter", ErrorCategory.InvalidArgument),
            ("Add-DbxScopingFilter", "Add-DbxScopingFilter f -Clause @{ Attribute = 'department'; Operator = 'EQUALS'; Valeu = 'x' }", "AddDbxScopingFilterInvalidClause", ErrorCategory.InvalidArgument),
            ("Add-DbxScopingFilter", "Add-DbxScopingFilter f -SourceAttribute accountEnabled -Operator IS_TRUE -ObjectType Printer", "CannotConvertArgumentNoMessage", ErrorCategory.InvalidArgument),
            ("Remove-DbxScopingFilter", "Remove-DbxScopingFilter noSuchFilter -Confirm:$false", "RemoveDbxScopingFilterScopingFilterNotFound", ErrorCategory.ObjectNotFound),
            ("Get-DbxScopingFilter", "Get-DbxScopingFilter -Name ''", Validation, ErrorCategory.InvalidData),
            // The offboarding policy (this connection is SCIM: a policy is refused there)
            ("Set-DbxOffboardingPolicy", "Set-DbxOffboardingPolicy -Default -WipeData", "SetDbxOffboardingPolicyTeamApiOnlyOffboardingPolicy", ErrorCategory.InvalidArgument),
            ("Set-DbxOffboardingPolicy", "Set-DbxOffboardingPolicy -Name x -Clause @{ Attribute = 'department'; Operator = 'EQUALS'; Valeu = 'x' }", "SetDbxOffboardingPolicyInvalidClause", ErrorCategory.InvalidArgument),
            ("Set-DbxOffboardingPolicy", "Set-DbxOffboardingPolicy -Default -RemoveAfterDays -1", Validation, ErrorCategory.InvalidData),
            ("Set-DbxOffboardingPolicy", "Set-DbxOffboardingPolicy -Default -TransferFilesTo Boss", "CannotConvertArgumentNoMessage", ErrorCategory.InvalidArgument),
            ("Get-DbxOffboardingPolicy", "Get-DbxOffboardingPolicy -Name ''", Validation, ErrorCategory.InvalidData),
            ("Remove-DbxOffboardingPolicy", "Remove-DbxOffboardingPolicy -Name nobody -Confirm:$false", "RemoveDbxOffboardingPolicyOffboardingRuleNotFound", ErrorCategory.ObjectNotFound),

            // Team folder access
            ("Set-DbxTeamFolderAccess", "Set-DbxTeamFolderAccess -Group '' -TeamFolder Sales", Validation, ErrorCategory.InvalidData),
            ("Set-DbxTeamFolderAccess", "Set-DbxTeamFolderAccess -Group Sales -TeamFolder Sales -AccessLevel Owner", "CannotConvertArgumentNoMessage", ErrorCategory.InvalidArgument),
            ("Remove-DbxTeamFolderAccess", "Remove-DbxTeamFolderAccess noSuchGroup noSuchFolder -Confirm:$false", "RemoveDbxTeamFolderAccessTeamFolderAccessNotFound", ErrorCategory.ObjectNotFound),
            ("Get-DbxTeamFolderAccess", "Get-DbxTeamFolderAccess -Group ''", Validation, ErrorCategory.InvalidData),

            // Configuration files
            ("Import-DbxProvisioningConfiguration", "Import-DbxProvisioningConfiguration -Path \"$work/missing.json\" -Confirm:$false", "ImportDbxProvisioningConfigurationFileNotFound", ErrorCategory.ObjectNotFound),
            ("Import-DbxProvisioningConfiguration", "Import-DbxProvisioningConfiguration -Path \"$work/garbage.json\" -Confirm:$false", "ImportDbxProvisioningConfigurationInvalidConfigurationFile", ErrorCategory.InvalidData),
            ("Import-DbxProvisioningConfiguration", "Import-DbxProvisioningConfiguration -Path \"$work/unknown-attribute.json\" -Confirm:$false", "ImportDbxProvisioningConfigurationUnknownSourceAttribute", ErrorCategory.InvalidArgument),
            ("Import-DbxProvisioningConfiguration", "Import-DbxProvisioningConfiguration -Path \"$work/bad-expression.json\" -Confirm:$false", "ImportDbxProvisioningConfigurationInvalidExpression", ErrorCategory.InvalidArgument),
            ("Import-DbxProvisioningConfiguration", "Import-DbxProvisioningConfiguration -Path ''", Validation, ErrorCategory.InvalidData),
            ("Export-DbxProvisioningConfiguration", "Export-DbxProvisioningConfiguration -Path \"$work/exists.json\" -NoClobber", "ExportDbxProvisioningConfigurationFileExists", ErrorCategory.ResourceExists),

            // The report
            ("Export-DbxProvisioningReport", "Export-DbxProvisioningReport -Path \"$work/exists.json\" -NoClobber", "ExportDbxProvisioningReportFileExists", ErrorCategory.ResourceExists),
            ("Export-DbxProvisioningReport", "Export-DbxProvisioningReport -Path ''", Validation, ErrorCategory.InvalidData),
            ("Export-DbxProvisioningReport", "Export-DbxProvisioningReport -Path \"$work/report.html\" -CycleCount 0", Validation, ErrorCategory.InvalidData),
            ("Export-DbxProvisioningReport", "Export-DbxProvisioningReport -Path \"$work/no/such/folder/report.html\"", "ExportDbxProvisioningReportReportWriteFailed", ErrorCategory.WriteError),

            // The activity connector
            ("Connect-DbxActivity", "Connect-DbxActivity -AppKey ''", Validation, ErrorCategory.InvalidData),
            ("Connect-DbxActivity", "Connect-DbxActivity -AppKey abc -RefreshToken $token -ApiEndpoint 'not a url'", "ConnectDbxActivityInvalidUrl", ErrorCategory.InvalidArgument),
            ("Connect-DbxActivity", "Connect-DbxActivity -AppKey abc -RefreshToken $token -ApiEndpoint 'http://api.dropboxapi.com'", "ConnectDbxActivityInsecureUrl", ErrorCategory.SecurityError),
            ("Connect-DbxActivity", "Connect-DbxActivity -AppKey abc -RefreshToken $blank", "ConnectDbxActivityEmptyRefreshToken", ErrorCategory.InvalidArgument),
            ("Test-DbxConnection", "Test-DbxConnection -ActivityConnection $null", Validation, ErrorCategory.InvalidData),
            ("Get-DbxActivity", "Get-DbxActivity -First 0", Validation, ErrorCategory.InvalidData),
            ("Get-DbxActivity", "Get-DbxActivity -PageSize 1001", Validation, ErrorCategory.InvalidData),
            ("Get-DbxActivity", "Get-DbxActivity -StartTime '2026-01-02' -EndTime '2026-01-01'", "GetDbxActivityInvalidTimeRange", ErrorCategory.InvalidArgument),
        };

        private static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (var c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        private static string ReplaceFirst(string text, string old, string replacement)
        {
            var at = text.IndexOf(old, StringComparison.Ordinal);
            Assert.True(at >= 0, old + " not found");
            return text.Substring(0, at) + replacement + text.Substring(at + old.Length);
        }

        // cycle.lock is the lock a cycle or an on-demand run takes before it reads anything; it holds no state.
        private static Dictionary<string, string> Snapshot(string directory) =>
            System.IO.Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(f) != "cycle.lock")
                .ToDictionary(f => Path.GetRelativePath(directory, f), f => Convert.ToBase64String(File.ReadAllBytes(f)));

        [Fact]
        public void Every_exported_cmdlet_has_bad_parameter_cases()
        {
            using var ps = new PowerShellSession();
            var exported = ps.Run("Get-Command -Module DropboxProvisioning -CommandType Cmdlet | ForEach-Object Name").Select(o => o.ToString()).ToList();
            Assert.NotEmpty(exported);
            var missing = exported.Where(name => !Cases.Any(c => c.Cmdlet == name)).ToList();
            Assert.True(missing.Count == 0, "No bad-parameter case for: " + string.Join(", ", missing));
        }

        [Fact]
        public void Bad_parameters_give_specific_errors_and_change_nothing_on_disk()
        {
            using var ps = new PowerShellSession();
            var connection = ps.Single<DbxConnection>("Connect-DbxTenant -Sandbox -SandboxUserCount 6 -SandboxSeed 8");
            ps.Run("Set-DbxProvisioningSetting -DeletionThreshold 400; Invoke-DbxProvisioningCycle | Out-Null; Connect-DbxActivity -Sandbox | Out-Null");
            var work = System.IO.Directory.CreateTempSubdirectory("dbx-badparam-").FullName;
            try
            {
                File.WriteAllText(Path.Combine(work, "garbage.json"), "{ this is not: json ]");
                File.WriteAllText(Path.Combine(work, "exists.json"), "{}");
                ps.Run($"Export-DbxProvisioningConfiguration -Path '{work}/valid.json'");
                var valid = File.ReadAllText(Path.Combine(work, "valid.json"));
                Assert.Contains("\"userPrincipalName\"", valid);
                File.WriteAllText(Path.Combine(work, "unknown-attribute.json"), ReplaceFirst(valid, "\"userPrincipalName\"", "\"noSuchAttribute\""));
                ps.Run($"Add-DbxAttributeMapping title -Expression 'Append([department], \"!\")'; Export-DbxProvisioningConfiguration -Path '{work}/expression.json'; Remove-DbxAttributeMapping title -Confirm:$false");
                var withExpression = File.ReadAllText(Path.Combine(work, "expression.json"));
                File.WriteAllText(Path.Combine(work, "bad-expression.json"), ReplaceFirst(withExpression, "Append([department]", "Append([department"));
                System.IO.File.Delete(Path.Combine(work, "expression.json"));
                var variables = new Dictionary<string, object>
                {
                    ["token"] = Secure("sl.dropbox-token"),
                    ["secret"] = Secure("client-secret"),
                    ["blank"] = Secure("   "),
                    ["empty"] = new SecureString(),
                    ["work"] = work,
                };
                var before = Snapshot(connection.StatePath);
                var workBefore = Snapshot(work);
                Assert.Contains("state.json", before.Keys);
                Assert.Contains("configuration.json", before.Keys);

                var problems = new List<string>();
                foreach (var (cmdlet, script, id, category) in Cases)
                {
                    ps.Invoke(script, variables);
                    var first = ps.Errors.FirstOrDefault();
                    var actualId = first?.FullyQualifiedErrorId.Split(',')[0];
                    if (first == null) problems.Add($"{script}\n    no error");
                    else if (actualId != id || first.CategoryInfo.Category != category)
                        problems.Add($"{script}\n    got {first.FullyQualifiedErrorId} ({first.CategoryInfo.Category}), want {id} ({category}): {first.Exception.Message}");
                    var after = Snapshot(connection.StatePath);
                    if (!after.OrderBy(p => p.Key).SequenceEqual(before.OrderBy(p => p.Key)))
                    {
                        problems.Add($"{script}\n    changed the state directory: {string.Join(", ", after.Keys.Union(before.Keys).Where(k => !after.ContainsKey(k) || !before.ContainsKey(k) || after[k] != before[k]))}");
                        before = after;
                    }
                    var workAfter = Snapshot(work);
                    if (!workAfter.OrderBy(p => p.Key).SequenceEqual(workBefore.OrderBy(p => p.Key)))
                    {
                        problems.Add($"{script}\n    changed the working directory");
                        workBefore = workAfter;
                    }
                }
                Assert.True(problems.Count == 0, problems.Count + " of " + Cases.Length + " cases:\n" + string.Join("\n", problems));

                // The refused Connect-DbxTenant calls left the current connection alone: a cycle still writes here.
                var stateBefore = File.ReadAllBytes(Path.Combine(connection.StatePath, "state.json"));
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                Assert.NotEqual(stateBefore, File.ReadAllBytes(Path.Combine(connection.StatePath, "state.json")));
            }
            finally
            {
                System.IO.Directory.Delete(work, true);
            }
        }
    }
}
