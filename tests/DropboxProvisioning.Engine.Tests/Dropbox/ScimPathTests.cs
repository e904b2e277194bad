using DropboxProvisioning.Dropbox.Scim;
using DropboxProvisioning.Errors;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Dropbox
{
    public sealed class ScimPathTests
    {
        [Theory]
        [InlineData("userName", null, "userName", null, null)]
        [InlineData("name.givenName", null, "name", null, "givenName")]
        [InlineData("emails[type eq \"work\"].value", null, "emails", "type", "value")]
        [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "department", null, null)]
        public void Parses_the_paths_Entra_uses(string text, string schema, string attribute, string filterAttribute, string sub)
        {
            var path = ScimPath.Parse(text);
            Assert.Equal(schema, path.Schema);
            Assert.Equal(attribute, path.Attribute);
            Assert.Equal(filterAttribute, path.FilterAttribute);
            Assert.Equal(sub, path.SubAttribute);
        }

        [Theory]
        [InlineData("")]
        [InlineData("emails[type eq work].value")]
        [InlineData("name..givenName")]
        [InlineData("1userName")]
        public void Refuses_what_is_not_a_path(string text)
        {
            var e = Assert.Throws<DbxException>(() => ScimPath.Parse(text));
            Assert.Equal("InvalidTargetAttribute", e.Condition);
        }

        [Fact]
        public void Sets_and_gets_nested_filtered_and_extension_values()
        {
            var user = new JObject { ["schemas"] = new JArray("urn:ietf:params:scim:schemas:core:2.0:User") };
            ScimPath.Parse("name.familyName").Set(user, "Núñez");
            ScimPath.Parse("emails[type eq \"work\"].value").Set(user, "jose@contoso.com");
            ScimPath.Parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department").Set(user, "Sales");

            Assert.Equal("Núñez", (string)user["name"]["familyName"]);
            Assert.Equal("jose@contoso.com", (string)user["emails"][0]["value"]);
            Assert.True((bool)user["emails"][0]["primary"]);
            Assert.Equal("work", (string)user["emails"][0]["type"]);
            Assert.Contains("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", user["schemas"].ToObject<string[]>());
            Assert.Equal("Sales", (string)ScimPath.Parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department").Get(user));
            Assert.Equal("jose@contoso.com", (string)ScimPath.Parse("emails[type eq \"work\"].value").Get(user));
            Assert.Null(ScimPath.Parse("emails[type eq \"home\"].value").Get(user));
            Assert.Null(ScimPath.Parse("name.givenName").Get(user));
        }
    }

    public sealed class ScimFilterTests
    {
        [Theory]
        [InlineData("a@b.com", "userName eq \"a@b.com\"")]
        [InlineData("x\" or userName pr or userName eq \"y", "userName eq \"x\\\" or userName pr or userName eq \\\"y\"")]
        [InlineData("back\\slash", "userName eq \"back\\\\slash\"")]
        [InlineData("tab\there", "userName eq \"tab\\u0009here\"")]
        public void Values_are_quoted_so_they_cannot_change_the_query(string value, string expected)
        {
            Assert.Equal(expected, ScimFilter.Equal("userName", value));
        }
    }
}
