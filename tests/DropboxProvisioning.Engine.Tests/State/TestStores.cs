using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using DropboxProvisioning.State;
using DropboxProvisioning.State.Storage;
using DropboxProvisioning.TestSupport;

namespace DropboxProvisioning.Engine.Tests.State
{
    /// <summary>
    /// A fresh place for a job's state of one kind: a temporary directory, or a new container in the test process's Azurite.
    /// <see cref="Open"/> gives a new view on the same place, as another session or process would have it; <see cref="Raw"/>
    /// and <see cref="Plant"/> read and write an item behind the store's back (what damage a test plants).
    /// </summary>
    public sealed class TestStore : IDisposable
    {
#if NETFRAMEWORK
        /// <summary>The .NET Framework build (under mono) has no Azurite: its store theories run on the local directory.</summary>
        public static IEnumerable<object[]> Kinds => new[] { new object[] { StoreKind.Local } };
#else
        public static IEnumerable<object[]> Kinds => new[] { new object[] { StoreKind.Local }, new object[] { StoreKind.Blob } };
#endif

        public StoreKind Kind { get; }
        private readonly string _directory;
        private readonly string _uri;

        public TestStore(StoreKind kind, TimeSpan? leaseDuration = null, System.Security.SecureString protectionKey = null)
        {
            Kind = kind;
            LeaseDuration = leaseDuration ?? TimeSpan.FromSeconds(60);
            ProtectionKey = protectionKey;
            if (kind == StoreKind.Local) _directory = Path.Combine(Path.GetTempPath(), "dbx-store-" + Guid.NewGuid().ToString("N"));
#if !NETFRAMEWORK
            else _uri = Azurite.Shared.NewContainer("job1");
#else
            else throw new NotSupportedException("no Azurite in the .NET Framework build");
#endif
        }

        public TimeSpan LeaseDuration { get; }
        public System.Security.SecureString ProtectionKey { get; }
        public string Uri => _uri;

        /// <summary>A new storage object on this place (its own versions, its own lease).</summary>
        public IStateStorage Storage() => Kind == StoreKind.Local
            ? new LocalDirectoryStorage(_directory)
#if !NETFRAMEWORK
            : BlobContainerStorage.Open(new BlobStateOptions
            {
                Uri = _uri, AccountKey = Security.SecureStrings.FromText(Azurite.AccountKey), LeaseDuration = LeaseDuration, ProtectionKey = ProtectionKey,
            });
#else
            : throw new NotSupportedException("no Azurite in the .NET Framework build");
#endif

        public StateStore Open() => new StateStore(Storage());

        /// <summary>The full name of an item as messages give it.</summary>
        public string PathOf(string name) => Storage().PathOf(name);

        /// <summary>An item's text, or null when there is none.</summary>
        public string Raw(string name)
        {
            if (Kind == StoreKind.Local)
            {
                var path = Path.Combine(_directory, name);
                return File.Exists(path) ? File.ReadAllText(path) : null;
            }
#if !NETFRAMEWORK
            var blob = Azurite.Shared.Container(_uri).GetBlobClient("job1/" + name);
            return blob.Exists().Value ? blob.DownloadContent().Value.Content.ToString() : null;
#else
            throw new NotSupportedException("no Azurite in the .NET Framework build");
#endif
        }

        /// <summary>Writes an item behind the store's back (damage, a torn line).</summary>
        public void Plant(string name, string text)
        {
            if (Kind == StoreKind.Local)
            {
                var path = Path.Combine(_directory, name);
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path));
                File.WriteAllText(path, text);
                return;
            }
#if !NETFRAMEWORK
            Azurite.Shared.Container(_uri).GetBlobClient("job1/" + name).Upload(new BinaryData(Encoding.UTF8.GetBytes(text)), overwrite: true);
#endif
        }

        /// <summary>The items there are, with their folders ("logs/x.jsonl").</summary>
        public IReadOnlyList<string> Items()
        {
            if (Kind == StoreKind.Local)
                return System.IO.Directory.Exists(_directory)
                    ? System.IO.Directory.GetFiles(_directory, "*", SearchOption.AllDirectories).Select(f => f.Substring(_directory.Length + 1).Replace('\\', '/')).OrderBy(n => n, StringComparer.Ordinal).ToList()
                    : new List<string>();
#if !NETFRAMEWORK
            return Azurite.Shared.Container(_uri).GetBlobs(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "job1/", default).Select(b => b.Name.Substring("job1/".Length)).OrderBy(n => n, StringComparer.Ordinal).ToList();
#else
            throw new NotSupportedException("no Azurite in the .NET Framework build");
#endif
        }

        public void Dispose()
        {
            if (_directory != null && System.IO.Directory.Exists(_directory)) System.IO.Directory.Delete(_directory, true);
#if !NETFRAMEWORK
            if (_uri != null) try { Azurite.Shared.Container(_uri).DeleteIfExists(); } catch (Azure.RequestFailedException) { }
#endif
        }
    }
}
