using System;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DropboxProvisioning.TestSupport
{
    /// <summary>
    /// A self-signed server certificate for 127.0.0.1 and localhost (a day long), written as PEM files (the certificate, and
    /// its key as PKCS#8, owner-only) for a test server such as Azurite's https mode; the key never leaves the test's folder.
    /// </summary>
    public static class LoopbackCertificate
    {
        public static X509Certificate2 Create(string folder, out string certificatePath, out string keyPath)
        {
            using (var key = RSA.Create(2048))
            {
                var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                var names = new SubjectAlternativeNameBuilder();
                names.AddIpAddress(IPAddress.Loopback);
                names.AddDnsName("localhost");
                request.CertificateExtensions.Add(names.Build());
                request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
                request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
                request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
                var now = DateTimeOffset.UtcNow;
                var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
                certificatePath = Path.Combine(folder, "azurite-cert.pem");
                keyPath = Path.Combine(folder, "azurite-key.pem");
                File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
                using (var file = new FileStream(keyPath, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OperatingSystem.IsWindows() ? (UnixFileMode?)null : UnixFileMode.UserRead | UnixFileMode.UserWrite }))
                using (var writer = new StreamWriter(file))
                    writer.Write(key.ExportPkcs8PrivateKeyPem() + "\n");
                return X509CertificateLoader.LoadCertificate(certificate.RawData);
            }
        }
    }
}
