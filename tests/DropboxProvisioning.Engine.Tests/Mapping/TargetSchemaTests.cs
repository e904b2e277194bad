using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Dropbox.TeamApi;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Mapping
{
    /// <summary>Issue 6: one target schema per Dropbox API, and mappings compiled against the connection's.</summary>
    public sealed class TargetSchemaTests
    {
        private static ObjectMapping Users(params AttributeMapping[] extra)
        {
            var mapping = DefaultMappings.Users();
            mapping.Attributes.AddRange(extra);
            return mapping;
        }

        private static DbxException Refusal(ObjectMapping mapping, DropboxApiKind api) =>
            Assert.Throws<DbxException>(() => new CompiledMapping(mapping, api));

        [Theory]
        [InlineData("persistentId")]
        [InlineData("role")]
        public void Scim_refuses_the_Team_API_only_user_attributes_and_says_so(string target)
        {
            var e = Refusal(Users(new AttributeMapping { SourceAttribute = "employeeId", TargetAttribute = target }), DropboxApiKind.Scim);
            Assert.Equal("TeamApiOnlyAttribute", e.Condition);
            Assert.Contains("Team API only", e.Message);
            Assert.Contains("-Api TeamApi", e.Message);
        }

        [Fact]
        public void Scim_refuses_a_group_management_type()
        {
            var groups = DefaultMappings.Groups();
            groups.Attributes.Add(new AttributeMapping { Type = MappingType.Constant, ConstantValue = "user_managed", TargetAttribute = "managementType" });
            Assert.Equal("TeamApiOnlyAttribute", Refusal(groups, DropboxApiKind.Scim).Condition);
            Assert.NotNull(new CompiledMapping(groups, DropboxApiKind.TeamApi));
        }

        [Theory]
        [InlineData("title")]
        [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department")]
        [InlineData("emails[type eq 'home'].value")]
        public void The_Team_API_refuses_SCIM_only_attributes_and_says_so(string target)
        {
            var e = Refusal(Users(new AttributeMapping { SourceAttribute = "jobTitle", TargetAttribute = target }), DropboxApiKind.TeamApi);
            Assert.Equal("ScimOnlyAttribute", e.Condition);
            Assert.Contains("SCIM only", e.Message);
            Assert.Contains("Remove-DbxAttributeMapping", e.Message);
        }

        [Fact]
        public void An_attribute_neither_API_has_is_unknown()
        {
            Assert.Equal("UnknownTargetAttribute", Refusal(Users(new AttributeMapping { SourceAttribute = "jobTitle", TargetAttribute = "shoeSize" }), DropboxApiKind.TeamApi).Condition);
            Assert.Equal("UnknownTargetAttribute", Refusal(Users(new AttributeMapping { SourceAttribute = "jobTitle", TargetAttribute = "shoeSize" }), DropboxApiKind.Scim).Condition);
        }

        [Fact]
        public void The_SCIM_defaults_compile_for_both_APIs_and_the_Team_API_neither_sends_nor_compares_displayName()
        {
            var scim = new CompiledMapping(DefaultMappings.Users(), DropboxApiKind.Scim);
            var teamApi = new CompiledMapping(DefaultMappings.Users(), DropboxApiKind.TeamApi);
            var user = new SourceObject(SourceObjectKind.User, "u1");
            user.Set("userPrincipalName", "adele@contoso.com");
            user.Set("displayName", "Adele Vance (Marketing)");
            user.Set("givenName", "Adele");
            user.Set("surname", "Vance");
            user.Set(GraphAttributeNames.IsSoftDeleted, false);
            Assert.Contains(scim.Evaluate(user, forCreate: true), v => v.Path.Text == "displayName");
            Assert.DoesNotContain(teamApi.Evaluate(user, forCreate: true), v => v.Path.Text == "displayName");
            var preview = MappingPreview.Build(teamApi, user, null);
            var row = Assert.Single(preview.Attributes, a => a.TargetAttribute == "displayName");
            Assert.False(row.Flows);
            Assert.Contains("cannot set a display name", row.Note);
        }

        [Fact]
        public void The_Team_API_defaults_are_the_SCIM_ones_without_displayName()
        {
            var scim = DefaultMappings.Configuration(DropboxApiKind.Scim);
            var teamApi = DefaultMappings.Configuration(DropboxApiKind.TeamApi);
            Assert.Contains(scim.User.Attributes, a => a.TargetAttribute == "displayName");
            Assert.DoesNotContain(teamApi.User.Attributes, a => a.TargetAttribute == "displayName");
            Assert.Equal(scim.User.Attributes.Count - 1, teamApi.User.Attributes.Count);
            Assert.Equal(scim.Group.Attributes.Select(a => a.TargetAttribute), teamApi.Group.Attributes.Select(a => a.TargetAttribute));
            Assert.NotNull(new CompiledMapping(teamApi.User, DropboxApiKind.TeamApi));
            Assert.NotNull(new CompiledMapping(teamApi.User, DropboxApiKind.Scim));
        }

        [Theory]
        [InlineData("team_admin", true)]
        [InlineData("Member_Only", true)]
        [InlineData("user_management_admin", true)]
        [InlineData("support_admin", true)]
        [InlineData("pid_dbtmr:2345", true)]
        [InlineData("billing_admin", false)]
        [InlineData("admin", false)]
        [InlineData("pid_dbtmr:", false)]
        public void A_constant_role_is_an_AdminTier_or_a_role_id(string value, bool valid)
        {
            var mapping = Users(new AttributeMapping { Type = MappingType.Constant, ConstantValue = value, TargetAttribute = "role" });
            if (valid) Assert.NotNull(new CompiledMapping(mapping, DropboxApiKind.TeamApi));
            else Assert.Equal("InvalidTargetValue", Refusal(mapping, DropboxApiKind.TeamApi).Condition);
        }

        [Theory]
        [InlineData("user_managed", true)]
        [InlineData("company_managed", true)]
        [InlineData("system_managed", false)]
        [InlineData("team", false)]
        public void A_constant_management_type_is_one_that_can_be_set(string value, bool valid)
        {
            var groups = DefaultMappings.Groups();
            groups.Attributes.Add(new AttributeMapping { Type = MappingType.Constant, ConstantValue = value, TargetAttribute = "managementType" });
            if (valid) Assert.NotNull(new CompiledMapping(groups, DropboxApiKind.TeamApi));
            else
            {
                var e = Refusal(groups, DropboxApiKind.TeamApi);
                Assert.Equal("InvalidTargetValue", e.Condition);
                Assert.Contains("system_managed", e.Message);
            }
        }

        [Fact]
        public void A_role_from_an_expression_is_checked_when_it_is_evaluated()
        {
            var compiled = new CompiledMapping(Users(new AttributeMapping { Type = MappingType.Expression, Expression = "[jobTitle]", TargetAttribute = "role" }), DropboxApiKind.TeamApi);
            var user = new SourceObject(SourceObjectKind.User, "u1");
            user.Set("userPrincipalName", "adele@contoso.com");
            user.Set(GraphAttributeNames.IsSoftDeleted, false);
            user.Set("jobTitle", "Team_Admin");
            Assert.Equal("team_admin", (string)compiled.Evaluate(user, forCreate: true).Single(v => v.Path.Text == "role").Value);
            user.Set("jobTitle", "Chief");
            Assert.Equal("InvalidTargetValue", Assert.Throws<DbxException>(() => compiled.Evaluate(user, forCreate: true)).Condition);
        }

        [Fact]
        public void A_configuration_file_may_be_for_either_API_and_is_checked_again_for_the_connection()
        {
            var configuration = new ProvisioningConfiguration();
            configuration.Mappings.User.Attributes.Add(new AttributeMapping { SourceAttribute = "employeeId", TargetAttribute = "persistentId" });
            var json = ConfigurationFile.ToJson(configuration);
            var read = ConfigurationFile.FromJson(json, "job.json");
            ConfigurationEditor.Validate(read, DropboxApiKind.TeamApi);
            Assert.Equal("TeamApiOnlyAttribute", Assert.Throws<DbxException>(() => ConfigurationEditor.Validate(read, DropboxApiKind.Scim)).Condition);
            Assert.Equal("UnsentMatchingAttribute", Assert.Throws<DbxException>(() => ConfigurationEditor.Edit(read, DropboxApiKind.TeamApi,
                c => MappingEditor.Require(c.Mappings.User, "displayName").MatchingPrecedence = 2)).Condition);
        }

        [Fact]
        public void Team_API_roles_and_management_types_read_back_as_the_mapping_writes_them()
        {
            JObject Info(JObject role) => new JObject
            {
                ["profile"] = new JObject { ["team_member_id"] = "dbmid:1", ["email"] = "a@contoso.com", ["status"] = new JObject { [".tag"] = "active" }, ["name"] = new JObject { ["given_name"] = "A", ["surname"] = "B" } },
                ["roles"] = role == null ? new JArray() : new JArray(role),
            };
            Assert.Equal("member_only", (string)TeamApiTarget.ToScimUser(Info(null))["role"]);
            Assert.Equal("team_admin", (string)TeamApiTarget.ToScimUser(Info(new JObject { ["role_id"] = "pid_dbtmr:2345", ["name"] = "Team admin" }))["role"]);
            Assert.Equal("user_management_admin", (string)TeamApiTarget.ToScimUser(Info(new JObject { ["role_id"] = "pid_dbtmr:user_management_admin", ["name"] = "User management" }))["role"]);
            Assert.Equal("pid_dbtmr:5678", (string)TeamApiTarget.ToScimUser(Info(new JObject { ["role_id"] = "pid_dbtmr:5678", ["name"] = "Billing admin" }))["role"]);
        }
    }
}
