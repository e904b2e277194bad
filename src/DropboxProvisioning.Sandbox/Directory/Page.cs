using System.Collections.Generic;

namespace DropboxProvisioning.Sandbox.Directory
{
    /// <summary>One page of a listing: its items (copies) and the key to continue after, or null at the end.</summary>
    public sealed class Page<T>
    {
        public Page(IReadOnlyList<T> items, long? nextAfter)
        {
            Items = items;
            NextAfter = nextAfter;
        }

        public IReadOnlyList<T> Items { get; }
        public long? NextAfter { get; }
    }
}
