using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>
    /// /ServiceProviderConfig, /ResourceTypes and /Schemas (RFC 7643 §5-7, RFC 7644 §4): what a client reads to learn
    /// that PATCH and filtering work, how many results a page holds, and which attributes exist.
    /// </summary>
    internal static class ScimDiscovery
    {
        public static JObject ServiceProviderConfig(string baseUrl) => new JObject
        {
            ["schemas"] = new JArray(ScimSchemas.ServiceProviderConfig),
            ["documentationUri"] = "https://developers.dropbox.com/scim",
            ["patch"] = new JObject { ["supported"] = true },
            ["bulk"] = new JObject { ["supported"] = false, ["maxOperations"] = 0, ["maxPayloadSize"] = 0 },
            ["filter"] = new JObject { ["supported"] = true, ["maxResults"] = ScimSchemas.MaxResults },
            ["changePassword"] = new JObject { ["supported"] = false },
            ["sort"] = new JObject { ["supported"] = false },
            ["etag"] = new JObject { ["supported"] = false },
            ["authenticationSchemes"] = new JArray(new JObject
            {
                ["type"] = "oauthbearertoken",
                ["name"] = "OAuth Bearer Token",
                ["description"] = "The SCIM token from the Dropbox admin console, sent as Authorization: Bearer <token>.",
                ["primary"] = true,
            }),
            ["meta"] = new JObject { ["resourceType"] = "ServiceProviderConfig", ["location"] = baseUrl + "/ServiceProviderConfig" },
        };

        public static JArray ResourceTypes(string baseUrl) => new JArray(
            new JObject
            {
                ["schemas"] = new JArray(ScimSchemas.ResourceType),
                ["id"] = "User", ["name"] = "User", ["endpoint"] = "/Users",
                ["description"] = "Dropbox team member",
                ["schema"] = ScimSchemas.User,
                ["schemaExtensions"] = new JArray(new JObject { ["schema"] = ScimSchemas.EnterpriseUser, ["required"] = false }),
                ["meta"] = new JObject { ["resourceType"] = "ResourceType", ["location"] = baseUrl + "/ResourceTypes/User" },
            },
            new JObject
            {
                ["schemas"] = new JArray(ScimSchemas.ResourceType),
                ["id"] = "Group", ["name"] = "Group", ["endpoint"] = "/Groups",
                ["description"] = "Dropbox group",
                ["schema"] = ScimSchemas.Group,
                ["meta"] = new JObject { ["resourceType"] = "ResourceType", ["location"] = baseUrl + "/ResourceTypes/Group" },
            });

        public static JArray Schemas(string baseUrl) => new JArray(
            Schema(baseUrl, ScimSchemas.User, "User", "Dropbox team member",
                Attr("userName", "string", required: true, uniqueness: "server", description: "The member's e-mail address."),
                Complex("name", false, true,
                    Attr("givenName", "string", required: true), Attr("familyName", "string", required: true), Attr("formatted", "string", mutability: "readOnly")),
                Attr("displayName", "string"),
                Complex("emails", true, false, Attr("value", "string"), Attr("type", "string"), Attr("primary", "boolean")),
                Attr("active", "boolean", description: "False only while the member is suspended. Setting false on an invited member deletes it."),
                Attr("externalId", "string", uniqueness: "server")),
            Schema(baseUrl, ScimSchemas.Group, "Group", "Dropbox group",
                Attr("displayName", "string", required: true, uniqueness: "server"),
                Attr("externalId", "string", uniqueness: "server"),
                Complex("members", true, false,
                    Attr("value", "string", caseExact: true, mutability: "immutable"),
                    Attr("display", "string", mutability: "readOnly"),
                    Attr("$ref", "reference", caseExact: true, mutability: "immutable"))),
            Schema(baseUrl, ScimSchemas.EnterpriseUser, "EnterpriseUser", "Kept as sent; Dropbox has no fields for it",
                Attr("employeeNumber", "string"), Attr("costCenter", "string"), Attr("organization", "string"),
                Attr("division", "string"), Attr("department", "string"),
                Complex("manager", false, false, Attr("value", "string"), Attr("displayName", "string", mutability: "readOnly"))));

        private static JObject Schema(string baseUrl, string id, string name, string description, params JObject[] attributes) => new JObject
        {
            ["schemas"] = new JArray(ScimSchemas.Schema),
            ["id"] = id, ["name"] = name, ["description"] = description,
            ["attributes"] = new JArray(attributes),
            ["meta"] = new JObject { ["resourceType"] = "Schema", ["location"] = baseUrl + "/Schemas/" + id },
        };

        private static JObject Attr(string name, string type, bool required = false, bool caseExact = false,
            string mutability = "readWrite", string uniqueness = "none", string description = null)
        {
            var a = new JObject
            {
                ["name"] = name, ["type"] = type, ["multiValued"] = false, ["required"] = required, ["caseExact"] = caseExact,
                ["mutability"] = mutability, ["returned"] = "default", ["uniqueness"] = uniqueness,
            };
            if (description != null) a["description"] = description;
            return a;
        }

        private static JObject Complex(string name, bool multiValued, bool required, params JObject[] subAttributes)
        {
            var a = Attr(name, "complex", required);
            a["multiValued"] = multiValued;
            a["subAttributes"] = new JArray(subAttributes);
            return a;
        }
    }
}
