using System;
using System.Reflection;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.Security
{
    /// <summary>
    /// Protects a secret with a key the admin holds (-StateProtectionKey), for state kept where no user account guards it
    /// (a blob container): AES-256-CBC then HMAC-SHA256 over salt, IV and ciphertext (encrypt-then-MAC), both keys derived
    /// from the admin's key by PBKDF2-HMAC-SHA256 with a random salt per secret. Without the key the blob is useless to
    /// whoever reads the container; a wrong key or a changed blob fails the MAC and nothing is decrypted.
    /// </summary>
    public sealed class KeyProtector : ISecretProtector
    {
        private const byte Version = 1;
        private const int SaltLength = 16, IvLength = 16, TagLength = 32, Iterations = 100_000;
        private readonly byte[] _key;

        public KeyProtector(SecureString key)
        {
            if (SecureStrings.IsBlank(key))
                throw new DbxException("EmptyStateProtectionKey", DbxErrorCategory.InvalidArgument, "The state protection key is empty or only whitespace.");
            _key = Encoding.UTF8.GetBytes(SecureStrings.Reveal(key));
            if (_key.Length < 16)
                throw new DbxException("WeakStateProtectionKey", DbxErrorCategory.InvalidArgument,
                    "The state protection key is shorter than 16 characters: use a long random value (for example 32 random bytes in base64), kept as an encrypted Automation variable.");
        }

        public string Kind => "aes256cbc-hmacsha256-adminkey";

        public byte[] Protect(byte[] data)
        {
            var salt = Random(SaltLength);
            var (encryption, authentication) = Derive(salt);
            using (var aes = Aes.Create())
            {
                aes.Key = encryption; aes.GenerateIV(); aes.Mode = CipherMode.CBC; aes.Padding = PaddingMode.PKCS7;
                byte[] cipher;
                using (var encryptor = aes.CreateEncryptor()) cipher = encryptor.TransformFinalBlock(data, 0, data.Length);
                var result = new byte[1 + SaltLength + IvLength + cipher.Length + TagLength];
                result[0] = Version;
                Buffer.BlockCopy(salt, 0, result, 1, SaltLength);
                Buffer.BlockCopy(aes.IV, 0, result, 1 + SaltLength, IvLength);
                Buffer.BlockCopy(cipher, 0, result, 1 + SaltLength + IvLength, cipher.Length);
                using (var mac = new HMACSHA256(authentication))
                    Buffer.BlockCopy(mac.ComputeHash(result, 0, result.Length - TagLength), 0, result, result.Length - TagLength, TagLength);
                return result;
            }
        }

        public byte[] Unprotect(byte[] data)
        {
            if (data.Length < 1 + SaltLength + IvLength + 16 + TagLength || data[0] != Version) throw Refused();
            var salt = new byte[SaltLength];
            Buffer.BlockCopy(data, 1, salt, 0, SaltLength);
            var (encryption, authentication) = Derive(salt);
            byte[] expected;
            using (var mac = new HMACSHA256(authentication)) expected = mac.ComputeHash(data, 0, data.Length - TagLength);
            var difference = 0;
            for (var i = 0; i < TagLength; i++) difference |= expected[i] ^ data[data.Length - TagLength + i];
            if (difference != 0) throw Refused();
            using (var aes = Aes.Create())
            {
                var iv = new byte[IvLength];
                Buffer.BlockCopy(data, 1 + SaltLength, iv, 0, IvLength);
                aes.Key = encryption; aes.IV = iv; aes.Mode = CipherMode.CBC; aes.Padding = PaddingMode.PKCS7;
                using (var decryptor = aes.CreateDecryptor())
                    return decryptor.TransformFinalBlock(data, 1 + SaltLength + IvLength, data.Length - 1 - SaltLength - IvLength - TagLength);
            }
        }

        private static DbxException Refused() =>
            new DbxException("StateProtectionKeyMismatch", DbxErrorCategory.SecurityError,
                "The stored secret cannot be opened with this -StateProtectionKey: the key differs from the one it was stored with, or the blob was changed. Nothing was decrypted.")
            {
                RecommendedAction = "Give the key the secret was stored with, or authorize again (-RefreshToken, or a new link) to store it under this key.",
            };

        private (byte[] Encryption, byte[] Authentication) Derive(byte[] salt)
        {
            var keys = Pbkdf2(_key, salt, Iterations, 64);
            var encryption = new byte[32]; var authentication = new byte[32];
            Buffer.BlockCopy(keys, 0, encryption, 0, 32);
            Buffer.BlockCopy(keys, 32, authentication, 0, 32);
            return (encryption, authentication);
        }

        // netstandard2.0's reference surface offers Rfc2898DeriveBytes with SHA-1 only, but every runtime this module loads
        // in (.NET Framework 4.7.2 and later, .NET Core 2.0 and later) has the overload that takes the hash algorithm: the
        // framework's own PBKDF2 is found once and used, rather than a PBKDF2 written here.
        private static readonly ConstructorInfo Rfc2898WithHash = typeof(Rfc2898DeriveBytes).GetConstructor(
            new[] { typeof(byte[]), typeof(byte[]), typeof(int), typeof(HashAlgorithmName) });

        /// <summary>PBKDF2 (RFC 8018) with HMAC-SHA256, by the framework's Rfc2898DeriveBytes.</summary>
        internal static byte[] Pbkdf2(byte[] password, byte[] salt, int iterations, int length)
        {
            if (Rfc2898WithHash == null)
                throw new DbxException("StateProtectionUnavailable", DbxErrorCategory.InvalidOperation,
                    "This .NET runtime has no PBKDF2 with SHA-256 (Rfc2898DeriveBytes with a hash algorithm), which -StateProtectionKey needs.")
                {
                    RecommendedAction = "Run in PowerShell 7.x, or in Windows PowerShell 5.1 on .NET Framework 4.7.2 or later.",
                };
            using (var derive = (Rfc2898DeriveBytes)Rfc2898WithHash.Invoke(new object[] { password, salt, iterations, HashAlgorithmName.SHA256 }))
                return derive.GetBytes(length);
        }

        private static byte[] Random(int length)
        {
            var bytes = new byte[length];
            using (var random = RandomNumberGenerator.Create()) random.GetBytes(bytes);
            return bytes;
        }
    }
}
