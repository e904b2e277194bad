using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>Issue #3 through the cmdlets: editing mappings and filters, refusing bad ones, and the cycle using them.</summary>
    public sealed class MappingCmdletTests
    {
        private static (PowerShellSession ps, DbxConnection connection, SandboxTenant sandbox) Connect(int users = 30)
        {
            var ps = new PowerShellSession();
            var connection = ps.Single<DbxConnection>($"Connect-DbxTenant -Sandbox -SandboxUserCount {users} -SandboxSeed 11");
            return (ps, connection, (SandboxTenant)connection.Sandbox);
        }

        private static string ConfigurationText(DbxConnection connection) =>
            File.Exists(connection.Store.ConfigurationFile) ? File.ReadAllText(connection.Store.ConfigurationFile) : "";

        [Fact]
        public void A_changed_mapping_shows_up_as_updates_in_the_next_cycle()
        {
            var (ps, connection, sandbox) = Connect();
            using (ps)
            {
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                var provisioned = first.Created + first.Adopted;
                var entry = ps.Single<MappingEntry>("Get-DbxAttributeMapping -ObjectType User -TargetAttribute displayName | Set-DbxAttributeMapping -Expression 'Join(\" \", [givenName], ToUpper([surname]))' -PassThru");
                Assert.Equal(MappingType.Expression, entry.Type);

                var planned = ps.Run("Invoke-DbxProvisioningCycle -WhatIf").Select(o => (ProvisioningChange)o.BaseObject).Where(c => c.Action == ChangeAction.Update).ToList();
                Assert.Equal(provisioned, planned.Count);
                Assert.All(planned, c => Assert.Equal("displayName", Assert.Single(c.ModifiedProperties).Name));

                var second = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(provisioned, second.Updated);
                var user = sandbox.Directory.Users.First(u => u.UserPrincipalName == planned[0].TargetIdentity);
                Assert.Equal(user.GivenName + " " + user.Surname.ToUpperInvariant(), sandbox.Dropbox.FindByEmail(user.UserPrincipalName).DisplayName);
                Assert.Equal(0, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Updated);
            }
        }

        [Theory]
        [InlineData("Set-DbxAttributeMapping displayName -Expression 'ToLower([mail]'", "SetDbxAttributeMappingInvalidExpression", "column")]
        [InlineData("Set-DbxAttributeMapping displayName -Expression 'tolower([mail])'", "SetDbxAttributeMappingInvalidExpression", "ToLower")]
        [InlineData("Set-DbxAttributeMapping displayName -Expression 'Left([mail])'", "SetDbxAttributeMappingInvalidExpression", "Left")]
        [InlineData("Add-DbxAttributeMapping 'nosuchAttribute' -SourceAttribute mail", "AddDbxAttributeMappingUnknownTargetAttribute", "nosuchAttribute")]
        [InlineData("Add-DbxAttributeMapping title -SourceAttribute notAnEntraAttribute", "AddDbxAttributeMappingUnknownSourceAttribute", "notAnEntraAttribute")]
        [InlineData("Set-DbxAttributeMapping userName -MatchingPrecedence 0", "SetDbxAttributeMappingNoMatchingAttribute", "matching")]
        [InlineData("Remove-DbxAttributeMapping userName", "RemoveDbxAttributeMappingNoMatchingAttribute", "matching")]
        [InlineData("Set-DbxAttributeMapping nickName -SourceAttribute mail", "SetDbxAttributeMappingMappingNotFound", "nickName")]
        [InlineData("Add-DbxAttributeMapping displayName -SourceAttribute mail", "AddDbxAttributeMappingMappingExists", "displayName")]
        [InlineData("Add-DbxScopingFilter Bad -SourceAttribute department -Operator 'REGEX MATCH' -Value '(unclosed'", "AddDbxScopingFilterInvalidScopingFilter", "Bad")]
        [InlineData("Add-DbxScopingFilter Bad -SourceAttribute employeeId -Operator GREATER_THAN -Value 'ten'", "AddDbxScopingFilterInvalidScopingFilter", "integer")]
        [InlineData("Add-DbxScopingFilter Bad -SourceAttribute department -Operator 'LOOKS LIKE' -Value x", "AddDbxScopingFilterUnknownOperator", "LOOKS LIKE")]
        [InlineData("Add-DbxScopingFilter Bad -SourceAttribute nope -Operator 'IS TRUE'", "AddDbxScopingFilterUnknownSourceAttribute", "nope")]
        public void Invalid_changes_are_refused_with_a_specific_error_and_change_nothing(string script, string errorId, string mentioned)
        {
            var (ps, connection, sandbox) = Connect(5);
            using (ps)
            {
                ps.Run("Set-DbxAttributeMapping displayName -Expression 'Join(\" \", [givenName], [surname])'");
                var before = ConfigurationText(connection);
                ps.Invoke(script);
                var error = Assert.Single(ps.Errors);
                Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
                Assert.Contains(mentioned, error.Exception.Message, StringComparison.OrdinalIgnoreCase);
                Assert.Equal(before, ConfigurationText(connection));
            }
        }

        [Fact]
        public void Mapping_edits_support_WhatIf_and_Reset_restores_the_defaults()
        {
            var (ps, connection, sandbox) = Connect(5);
            using (ps)
            {
                ps.Run("Set-DbxAttributeMapping displayName -Expression '[mail]' -WhatIf");
                Assert.False(File.Exists(connection.Store.ConfigurationFile));
                ps.Run("Add-DbxAttributeMapping 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department' -SourceAttribute department -DefaultValue 'Unassigned' -Apply OnCreateOnly");
                ps.Run("Set-DbxAttributeMapping -ObjectType User -Enabled $true -TargetObjectActions Update");
                var mapping = connection.Store.LoadConfiguration().Mappings.User;
                Assert.False(mapping.Actions.Create);
                Assert.True(mapping.Actions.Update);
                Assert.Equal(8, mapping.Attributes.Count);
                // The default applies on creation only, where the source is null.
                var creates = ps.Run("Invoke-DbxProvisioningCycle -WhatIf").Select(o => (ProvisioningChange)o.BaseObject).Where(c => c.Action == ChangeAction.Create && c.ObjectType == ObjectType.User).ToList();
                Assert.Empty(creates); // Create is switched off above
                ps.Run("Set-DbxAttributeMapping -ObjectType User -Enabled $true -TargetObjectActions Create, Update, Delete");
                var someone = sandbox.Directory.Users.First(u => Targets.ExpectedUserNames(sandbox).Contains(u.UserPrincipalName));
                sandbox.Directory.UpdateUser(someone.Id, u => u.Department = null);
                creates = ps.Run("Invoke-DbxProvisioningCycle -WhatIf").Select(o => (ProvisioningChange)o.BaseObject).Where(c => c.Action == ChangeAction.Create && c.ObjectType == ObjectType.User).ToList();
                const string department = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department";
                Assert.Contains(creates, c => c.SourceId == someone.Id);
                foreach (var create in creates)
                {
                    var expected = sandbox.Directory.GetUser(create.SourceId).Department ?? "Unassigned";
                    Assert.Equal(expected, create.ModifiedProperties.Single(p => p.Name == department).NewValue);
                }
                ps.Run("Reset-DbxAttributeMapping -ObjectType User -Confirm:$false");
                var reset = connection.Store.LoadConfiguration().Mappings.User;
                Assert.Equal(7, reset.Attributes.Count);
                Assert.True(reset.Actions.Create);
            }
        }

        [Fact]
        public void Only_Update_never_creates_accounts()
        {
            var (ps, connection, sandbox) = Connect(10);
            using (ps)
            {
                ps.Run("Set-DbxAttributeMapping -ObjectType User -Enabled $true -TargetObjectActions Update");
                var before = sandbox.Dropbox.Members.Count;
                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, result.Created);
                Assert.Equal(before, sandbox.Dropbox.Members.Count);
                Assert.Contains(result.Changes, c => c.Action == ChangeAction.Skip && c.Reason.Contains("Create target action is off"));
            }
        }

        [Fact]
        public void A_scoping_filter_shows_its_effect_in_WhatIf_and_then_suspends_what_it_leaves_out()
        {
            var (ps, connection, sandbox) = Connect(30);
            using (ps)
            {
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                foreach (var member in sandbox.Dropbox.Members.Where(m => m.Status == Sandbox.Dropbox.DropboxMemberStatus.Invited))
                    sandbox.Dropbox.AcceptInvitation(member.TeamMemberId);
                var departments = sandbox.Directory.Users.Where(u => u.Department != null).GroupBy(u => u.Department).OrderByDescending(g => g.Count()).First().Key;

                var filter = ps.Single<ScopingFilterEntry>("Add-DbxScopingFilter -Name OneDepartment -Clause @{ Attribute = 'department'; Operator = 'EQUALS'; Value = $d }",
                    new Dictionary<string, object> { ["d"] = departments });
                Assert.Contains("EQUALS", filter.Text);
                Assert.Single(ps.Run("Get-DbxScopingFilter"));

                var writes = sandbox.Journal.Count("scim", writesOnly: true);
                var planned = ps.Run("Invoke-DbxProvisioningCycle -WhatIf").Select(o => (ProvisioningChange)o.BaseObject).ToList();
                Assert.Equal(writes, sandbox.Journal.Count("scim", writesOnly: true));
                var disables = planned.Where(c => c.Action == ChangeAction.Disable).ToList();
                Assert.NotEmpty(disables);
                Assert.All(disables, c => Assert.StartsWith("out of scope", c.Reason));
                Assert.All(disables, c => Assert.NotEqual(departments, sandbox.Directory.GetUser(c.SourceId).Department));

                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(disables.Count, result.Suspended);
                ps.Run("Remove-DbxScopingFilter OneDepartment");
                Assert.Empty(ps.Run("Get-DbxScopingFilter"));
                Assert.Equal(disables.Count, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Updated);
            }
        }

        [Fact]
        public void Test_DbxAttributeMapping_previews_a_directory_user_and_says_why_it_is_in_scope()
        {
            var (ps, connection, sandbox) = Connect(30);
            using (ps)
            {
                var user = sandbox.Directory.Users.First(u => Targets.ExpectedUserNames(sandbox).Contains(u.UserPrincipalName));
                var preview = ps.Single<MappingPreview>("Test-DbxAttributeMapping -UserId $id", new Dictionary<string, object> { ["id"] = user.Id });
                Assert.True(preview.InScope);
                Assert.Equal("userName", preview.MatchingAttribute);
                Assert.Equal(user.UserPrincipalName, preview.MatchingValue);
                Assert.Equal("True", preview.Attributes.Single(a => a.TargetAttribute == "active").Value);
                Assert.Equal(user.Surname, preview.Attributes.Single(a => a.TargetAttribute == "name.familyName").Value);

                var defaultOnly = sandbox.Directory.Assignments.First(a => a.AppRoleId == SandboxCredentials.DefaultAccessAppRoleId && a.PrincipalType == "User");
                var excluded = ps.Single<MappingPreview>("Test-DbxAttributeMapping -UserId $id", new Dictionary<string, object> { ["id"] = defaultOnly.PrincipalId });
                Assert.False(excluded.InScope);
                Assert.Contains("Default Access", excluded.ScopeReason);

                ps.Run("Add-DbxScopingFilter -Name Engineers -SourceAttribute jobTitle -Operator 'REGEX MATCH' -Value '^Engineer'");
                var filtered = ps.Single<MappingPreview>("Test-DbxAttributeMapping -SourceAttributes @{ userPrincipalName = 'x@contoso.com'; jobTitle = 'Accountant'; surname = 'X' }");
                Assert.False(filtered.InScope);
                Assert.Contains("jobTitle", filtered.ScopeReason);
                var kept = ps.Single<MappingPreview>("Test-DbxAttributeMapping -SourceAttributes @{ userPrincipalName = 'x@contoso.com'; jobTitle = 'Engineer II'; surname = 'X' }");
                Assert.True(kept.InScope);
                Assert.Contains("Engineers", kept.ScopeReason);
            }
        }

        [Fact]
        public void Test_DbxAttributeMapping_evaluates_an_expression_without_a_connection()
        {
            using var ps = new PowerShellSession();
            var result = ps.Single<ExpressionTestResult>("Test-DbxAttributeMapping -SourceAttributes @{ mail = 'Adele.Vance@Contoso.com' } -Expression 'ToLower(Replace([mail], , \"(?<user>.*)@.*\", , \"${user}\", , ))'");
            Assert.Equal("adele.vance", result.Value);
            Assert.True(result.Flows);
            var ignored = ps.Single<ExpressionTestResult>("Test-DbxAttributeMapping -SourceAttributes @{ mail = $null } -Expression 'IgnoreFlowIfNullOrEmpty([mail])'");
            Assert.False(ignored.Flows);
            Assert.Null(ignored.Value);
        }

        [Fact]
        public void A_configuration_exported_from_one_job_is_imported_into_another_and_an_invalid_file_changes_nothing()
        {
            var (ps, connection, sandbox) = Connect(5);
            var file = Path.Combine(Path.GetTempPath(), "dbx-config-" + Guid.NewGuid().ToString("N") + ".json");
            try
            {
                using (ps)
                {
                    ps.Run("Set-DbxAttributeMapping displayName -Expression 'Join(\" \", [givenName], [surname])'");
                    ps.Run("Add-DbxScopingFilter -Name Members -SourceAttribute userType -Operator EQUALS -Value Member");
                    ps.Run("Export-DbxProvisioningConfiguration -Path $file | Out-Null", new Dictionary<string, object> { ["file"] = file });
                    var json = File.ReadAllText(file);
                    Assert.Contains("\"scopingFilters\"", json);
                    Assert.Contains("Join(", json);

                    var other = ps.Single<DbxConnection>("Connect-DbxTenant -Sandbox -SandboxUserCount 5");
                    ps.Run("Import-DbxProvisioningConfiguration -Path $file -Confirm:$false", new Dictionary<string, object> { ["file"] = file });
                    var imported = other.Store.LoadConfiguration();
                    Assert.Equal("Join(\" \", [givenName], [surname])", imported.Mappings.User.Attributes.Single(a => a.TargetAttribute == "displayName").Expression);
                    Assert.Equal("Members", Assert.Single(imported.Mappings.User.ScopingFilters).Name);

                    var before = ConfigurationText(other);
                    File.WriteAllText(file, json.Replace("Join(", "Jion("));
                    ps.Invoke("Import-DbxProvisioningConfiguration -Path $file -Confirm:$false", new Dictionary<string, object> { ["file"] = file });
                    var error = Assert.Single(ps.Errors);
                    Assert.StartsWith("ImportDbxProvisioningConfigurationInvalidExpression,", error.FullyQualifiedErrorId);
                    Assert.Contains(file, error.Exception.Message);
                    Assert.Equal(before, ConfigurationText(other));

                    File.WriteAllText(file, json.Replace("\"scopingFilters\"", "\"scopeFilters\""));
                    ps.Invoke("Import-DbxProvisioningConfiguration -Path $file -Confirm:$false", new Dictionary<string, object> { ["file"] = file });
                    Assert.StartsWith("ImportDbxProvisioningConfigurationInvalidConfigurationFile,", Assert.Single(ps.Errors).FullyQualifiedErrorId);
                    Assert.Equal(before, ConfigurationText(other));
                }
            }
            finally
            {
                File.Delete(file);
            }
        }
    }
}
