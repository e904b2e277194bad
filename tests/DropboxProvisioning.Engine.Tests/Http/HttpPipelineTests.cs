using System;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Http;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Http
{
    public sealed class HttpPipelineTests
    {
        [Theory]
        [InlineData("https://www.dropbox.com/scim/v2")]
        [InlineData("http://127.0.0.1:5000/scim/v2")]
        [InlineData("http://localhost:5000/scim/v2")]
        [InlineData("http://[::1]:5000/scim/v2")]
        public void Https_and_loopback_http_are_allowed(string url) => HttpPipeline.RequireSecureOrLoopback(new Uri(url), "URL");

        [Theory]
        [InlineData("http://www.dropbox.com/scim/v2")]
        [InlineData("http://10.0.0.5/scim/v2")]
        [InlineData("http://127.0.0.1.attacker.example/scim/v2")]
        public void Plain_http_elsewhere_is_refused(string url)
        {
            var e = Assert.Throws<DbxException>(() => HttpPipeline.RequireSecureOrLoopback(new Uri(url), "URL"));
            Assert.Equal("InsecureUrl", e.Condition);
            Assert.Equal(DbxErrorCategory.SecurityError, e.Category);
        }
    }
}
