using System.Collections.Generic;

namespace DropboxProvisioning.Collections
{
    /// <summary>
    /// A list whose text is its items' text ("a; b; c"), so that Export-Csv of an object holding it writes what the
    /// items are instead of the list's type name. Scripts still index it and read its items' properties.
    /// </summary>
    public sealed class TextList<T> : List<T>
    {
        public TextList() { }
        public TextList(IEnumerable<T> items) : base(items) { }
        public override string ToString() => string.Join("; ", this);
    }
}
