using System;
using System.Runtime.InteropServices;
using System.Security;

namespace DropboxProvisioning.Security
{
    /// <summary>Secrets live as SecureString; they are turned into text only for the instant a request header needs them.</summary>
    public static class SecureStrings
    {
        public static string Reveal(SecureString secret)
        {
            if (secret == null) return null;
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
                return Marshal.PtrToStringUni(pointer);
            }
            finally
            {
                if (pointer != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        public static SecureString FromText(string text)
        {
            var secure = new SecureString();
            foreach (var c in text ?? string.Empty) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>True for null, empty or whitespace-only secrets, which are always a mistake.</summary>
        public static bool IsBlank(SecureString secret)
        {
            if (secret == null || secret.Length == 0) return true;
            var text = Reveal(secret);
            return string.IsNullOrWhiteSpace(text);
        }
    }
}
