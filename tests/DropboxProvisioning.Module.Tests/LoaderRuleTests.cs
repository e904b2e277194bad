using System.Net;
using System.Reflection;
using DropboxProvisioning.Loader;
using Xunit;

namespace DropboxProvisioning.Module.Tests
{
    public sealed class LoaderRuleTests
    {
        private const string Token = "30ad4fe6b2a6aeed";

        [Theory]
        [InlineData("13.0.0.0", "13.0.0.0", true)]
        [InlineData("12.0.0.0", "13.0.0.0", true)]
        [InlineData("13.0.0.1", "13.0.0.0", false)]
        [InlineData("14.0.0.0", "13.0.0.0", false)]
        public void A_shipped_copy_answers_requests_for_its_own_or_a_lower_version_only(string requested, string shipped, bool accepted)
        {
            Assert.Equal(accepted, ResolutionRules.Accepts(
                new AssemblyName($"Newtonsoft.Json, Version={requested}, Culture=neutral, PublicKeyToken={Token}"),
                new AssemblyName($"Newtonsoft.Json, Version={shipped}, Culture=neutral, PublicKeyToken={Token}")));
        }

        [Fact]
        public void A_shipped_copy_never_answers_for_another_name_or_another_signer()
        {
            var shipped = new AssemblyName($"Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken={Token}");
            Assert.False(ResolutionRules.Accepts(new AssemblyName($"Newtonsoft.Json.Bson, Version=1.0.0.0, Culture=neutral, PublicKeyToken={Token}"), shipped));
            Assert.False(ResolutionRules.Accepts(new AssemblyName("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089"), shipped));
            Assert.False(ResolutionRules.Accepts(new AssemblyName("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=null"), shipped));
            Assert.True(ResolutionRules.Accepts(new AssemblyName("Newtonsoft.Json"), shipped));
        }

        [Theory]
        [InlineData((SecurityProtocolType)48 | SecurityProtocolType.Tls, (SecurityProtocolType)48 | SecurityProtocolType.Tls | SecurityProtocolType.Tls12)] // 48: Ssl3, obsolete in .NET
        [InlineData(SecurityProtocolType.Tls12, SecurityProtocolType.Tls12)]
        [InlineData((SecurityProtocolType)0, (SecurityProtocolType)0)]
        public void Windows_PowerShell_gets_TLS_1_2_unless_the_operating_system_already_chooses(SecurityProtocolType before, SecurityProtocolType after)
        {
            Assert.Equal(after, TlsPolicy.WithTls12(before));
        }
    }
}
