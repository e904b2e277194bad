using System.Text;

namespace DropboxProvisioning.Dropbox.Scim
{
    /// <summary>Builds SCIM filter expressions (RFC 7644 §3.4.2.2) whose values can never change the query's meaning.</summary>
    public static class ScimFilter
    {
        public static string Equal(string attribute, string value) => attribute + " eq " + Quote(value);

        /// <summary>A JSON string literal: quotes and backslashes escaped, control characters as \uXXXX.</summary>
        public static string Quote(string value)
        {
            var builder = new StringBuilder(value.Length + 2);
            builder.Append('"');
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    default:
                        if (c < 0x20) builder.Append("\\u").Append(((int)c).ToString("x4"));
                        else builder.Append(c);
                        break;
                }
            }
            builder.Append('"');
            return builder.ToString();
        }
    }
}
