using System;
using System.Globalization;
using System.Text;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>
    /// NormalizeDiacritics: decomposes characters (NFD), drops the combining marks, then maps the letters in Entra's
    /// table that are not decomposable (æ, ø, œ, ß, ł, ı). This covers every row of the documented table; for letters
    /// outside the table the doc is silent and this strips marks the same way.
    /// </summary>
    internal static class Diacritics
    {
        public static string Normalize(string source)
        {
            if (source == null)
            {
                return null;
            }

            if (IsAscii(source))
            {
                // The common case: nothing to do and nothing to allocate.
                return source;
            }

            // A lone surrogate (it happens in directory data) becomes U+FFFD, the rest is normalized as usual. Found
            // first rather than from Normalize's ArgumentException: .NET refuses one, mono's class library keeps it.
            var decomposed = (HasLoneSurrogate(source) ? ReplaceLoneSurrogates(source) : source).Normalize(NormalizationForm.FormD);
            var builder = new StringBuilder(decomposed.Length);
            foreach (var c in decomposed)
            {
                if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
                {
                    continue;
                }

                switch (c)
                {
                    case 'æ': builder.Append("ae"); break;
                    case 'Æ': builder.Append("AE"); break;
                    case 'ø': builder.Append("oe"); break;
                    case 'Ø': builder.Append("OE"); break;
                    case 'œ': builder.Append("oe"); break;
                    case 'Œ': builder.Append("OE"); break;
                    case 'ß': builder.Append("ss"); break;
                    case 'ł': builder.Append('l'); break;
                    case 'Ł': builder.Append('L'); break;
                    case 'ı': builder.Append('i'); break;
                    default: builder.Append(c); break;
                }
            }

            return builder.ToString().Normalize(NormalizationForm.FormC);
        }

        private static bool IsAscii(string text)
        {
            foreach (var c in text)
            {
                if (c > 0x7F)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool HasLoneSurrogate(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (!char.IsSurrogate(text[i])) continue;
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                return true;
            }
            return false;
        }

        private static string ReplaceLoneSurrogates(string text)
        {
            var builder = new StringBuilder(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    builder.Append(c).Append(text[++i]);
                }
                else
                {
                    builder.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
                }
            }

            return builder.ToString();
        }
    }
}
