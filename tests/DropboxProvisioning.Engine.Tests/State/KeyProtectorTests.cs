using System;
using System.Linq;
using System.Security;
using System.Text;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Security;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.State
{
    /// <summary>The admin's-key protector of secrets on a blob store: its PBKDF2 against published vectors, and its envelope.</summary>
    public sealed class KeyProtectorTests
    {
        private static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (var c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        private static string Hex(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("x2")));

        // The published PBKDF2-HMAC-SHA256 vector with a salt of 36 bytes (the .NET Framework refuses salts under 8 bytes,
        // which rules out RFC 7914's), and the shape KeyProtector uses (16-byte salt, 100,000 iterations, 64 bytes) as
        // Python's hashlib.pbkdf2_hmac answers it.
        [Theory]
        [InlineData("passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 40, "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9")]
        [InlineData("correct horse battery staple", "0123456789abcdef", 100000, 64, "090105d3788cadab9c12509fa1ba1d46a91a158d7a1779b114322f3fd5a825cb06f4c797d6015b0e5dc61203f832d65a3f631467798c0a60c0e6925404931f5a")]
        public void PBKDF2_with_SHA_256_gives_the_published_answers(string password, string salt, int iterations, int length, string expected)
        {
            Assert.Equal(expected, Hex(KeyProtector.Pbkdf2(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(salt), iterations, length)));
        }

        [Fact]
        public void A_secret_protected_with_a_key_opens_with_that_key_only_and_a_changed_byte_is_refused()
        {
            var secret = Encoding.UTF8.GetBytes("{\"refresh_token\":\"abc\"}");
            var protector = new KeyProtector(Secure("correct horse battery staple"));
            var sealedSecret = protector.Protect(secret);
            Assert.DoesNotContain("abc", Encoding.UTF8.GetString(sealedSecret));
            Assert.Equal(secret, new KeyProtector(Secure("correct horse battery staple")).Unprotect(sealedSecret));

            Assert.Equal("StateProtectionKeyMismatch",
                Assert.Throws<DbxException>(() => new KeyProtector(Secure("another key of enough length")).Unprotect(sealedSecret)).Condition);
            var changed = (byte[])sealedSecret.Clone();
            changed[changed.Length / 2] ^= 1;
            Assert.Equal("StateProtectionKeyMismatch", Assert.Throws<DbxException>(() => protector.Unprotect(changed)).Condition);
        }

        [Fact]
        public void A_key_shorter_than_16_characters_is_refused_with_its_own_id()
        {
            Assert.Equal("WeakStateProtectionKey", Assert.Throws<DbxException>(() => new KeyProtector(Secure("short"))).Condition);
            Assert.Equal("EmptyStateProtectionKey", Assert.Throws<DbxException>(() => new KeyProtector(Secure("   "))).Condition);
        }
    }
}
