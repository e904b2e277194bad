using System.Net;

namespace DropboxProvisioning.Loader
{
    /// <summary>
    /// Windows PowerShell 5.1 offers only SSL 3 and TLS 1.0 unless told otherwise (powershell.exe targets an old
    /// framework), and Dropbox and Microsoft Graph accept only TLS 1.2 and later. TLS 1.2 is added to what the
    /// process allows; a process already left to the operating system's choice (SystemDefault) keeps it.
    /// </summary>
    public static class TlsPolicy
    {
        public static SecurityProtocolType WithTls12(SecurityProtocolType current) =>
            current == 0 ? current : current | SecurityProtocolType.Tls12;

        public static void Apply() => ServicePointManager.SecurityProtocol = WithTls12(ServicePointManager.SecurityProtocol);
    }
}
