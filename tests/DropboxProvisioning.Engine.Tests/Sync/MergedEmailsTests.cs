using System.Linq;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Sync
{
    /// <summary>The rules of a multi-valued target (secondaryEmails): which addresses are wanted, added and deleted (MergedEmails, EmailListValue).</summary>
    public sealed class MergedEmailsTests
    {
        private static readonly CompiledAttribute Secondary = new CompiledAttribute(ObjectType.User,
            new AttributeMapping { TargetAttribute = TargetSchema.SecondaryEmails, SourceAttribute = "proxyAddresses" }, TargetSchema.TeamApi);

        private static TargetValue Wanted(params string[] emails) => new TargetValue(Secondary, new JArray(emails));

        private static JObject Holding(params string[] emails) => new JObject { ["id"] = "dbmid:1", ["userName"] = "ada@contoso.com", [TargetSchema.SecondaryEmails] = new JArray(emails) };

        private static ManagedObject Owning(params string[] emails)
        {
            var managed = new ManagedObject { SourceId = "u1", TargetId = "dbmid:1" };
            if (emails.Length > 0) managed.Exported[TargetSchema.SecondaryEmails] = new JArray(emails).ToString(Newtonsoft.Json.Formatting.None);
            return managed;
        }

        private static (string[] Add, string[] Delete)? Plan(TargetValue wanted, ManagedObject managed, JObject target)
        {
            var merged = MergedEmails.For(wanted, managed, target, new[] { "ada@contoso.com" });
            if (!merged.HasValue) return null;
            var value = (JObject)merged.Value.Value.Value;
            return (value["add"].Select(t => (string)t).ToArray(), value["delete"].Select(t => (string)t).ToArray());
        }

        [Fact]
        public void The_smtp_aliases_of_proxyAddresses_are_wanted_and_the_SMTP_primary_and_other_address_types_are_not()
        {
            var list = EmailListValue.Of(new[] { "SMTP:Ada@contoso.com", "smtp:Ada@Fabrikam.example", "x500:/o=Contoso/cn=ada", "sip:ada@contoso.com", "smtp:ada@fabrikam.example" }, "secondaryEmails");
            Assert.Equal(new[] { "ada@fabrikam.example" }, list.Select(t => (string)t));
            Assert.Null(EmailListValue.Of(new[] { "SMTP:ada@contoso.com" }, "secondaryEmails"));
        }

        [Fact]
        public void A_missing_alias_is_added_and_an_address_added_by_hand_is_neither_deleted_nor_owned()
        {
            var plan = Plan(Wanted("a@fabrikam.example"), Owning(), Holding("hand@elsewhere.example"));
            Assert.Equal(new[] { "a@fabrikam.example" }, plan.Value.Add);
            Assert.Empty(plan.Value.Delete);
            Assert.Null(Plan(Wanted("a@fabrikam.example"), Owning("a@fabrikam.example"), Holding("a@fabrikam.example", "hand@elsewhere.example")));
        }

        [Fact]
        public void An_owned_address_the_mapping_no_longer_gives_is_deleted_and_one_Dropbox_no_longer_holds_is_not()
        {
            var plan = Plan(Wanted("a@fabrikam.example"), Owning("a@fabrikam.example", "b@fabrikam.example", "c@fabrikam.example"), Holding("a@fabrikam.example", "b@fabrikam.example", "hand@elsewhere.example"));
            Assert.Empty(plan.Value.Add);
            Assert.Equal(new[] { "b@fabrikam.example" }, plan.Value.Delete);
        }

        [Fact]
        public void The_member_s_own_e_mail_is_never_a_secondary_one()
        {
            Assert.Null(Plan(Wanted("ada@contoso.com"), Owning(), Holding()));
        }

        [Fact]
        public void A_list_Dropbox_refused_for_good_is_not_sent_again_until_the_mapping_s_list_changes()
        {
            var managed = Owning("a@fabrikam.example");
            managed.Declined[TargetSchema.SecondaryEmails] = ValueText.Of(Wanted("a@fabrikam.example", "taken@fabrikam.example").Value);
            Assert.Null(Plan(Wanted("a@fabrikam.example", "taken@fabrikam.example"), managed, Holding("a@fabrikam.example")));
            Assert.Equal(new[] { "new@fabrikam.example", "taken@fabrikam.example" }, Plan(Wanted("a@fabrikam.example", "taken@fabrikam.example", "new@fabrikam.example"), managed, Holding("a@fabrikam.example")).Value.Add);
        }

        [Fact]
        public void What_the_engine_owns_after_a_write_is_what_it_wanted_and_Dropbox_holds()
        {
            Assert.Equal("[\"a@fabrikam.example\"]", MergedEmails.Owned(new JArray("a@fabrikam.example", "refused@fabrikam.example"), new JArray("a@fabrikam.example", "hand@elsewhere.example")));
            Assert.Null(MergedEmails.Owned(new JArray("refused@fabrikam.example"), new JArray("hand@elsewhere.example")));
            Assert.True(MergedEmails.Holds(new JArray("a@x.example"), new TargetValue(Secondary, new JObject { ["add"] = new JArray("a@x.example"), ["delete"] = new JArray("b@x.example") })));
            Assert.False(MergedEmails.Holds(new JArray("a@x.example", "b@x.example"), new TargetValue(Secondary, new JObject { ["add"] = new JArray("a@x.example"), ["delete"] = new JArray("b@x.example") })));
        }
    }
}
