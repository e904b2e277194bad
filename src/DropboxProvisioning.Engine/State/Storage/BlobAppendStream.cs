using System;
using System.IO;

namespace DropboxProvisioning.State.Storage
{
    /// <summary>
    /// A write-only stream over an append blob: what is written waits in memory until Flush (with each save of the state)
    /// or Dispose, then goes out as Append Block calls. Between two flushes it holds only the records of those seconds.
    /// </summary>
    internal sealed class BlobAppendStream : Stream
    {
        private readonly BlobContainerStorage _storage;
        private readonly string _name;
        private readonly string _doing;
        private MemoryStream _pending = new MemoryStream();

        public BlobAppendStream(BlobContainerStorage storage, string name, string doing)
        {
            _storage = storage;
            _name = name;
            _doing = doing;
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => _pending != null;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (_pending == null) throw new ObjectDisposedException(nameof(BlobAppendStream));
            _pending.Write(buffer, offset, count);
        }

        public override void Flush()
        {
            if (_pending == null || _pending.Length == 0) return;
            _storage.AppendBlocks(_name, _doing, _pending.GetBuffer(), (int)_pending.Length);
            _pending.SetLength(0);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && _pending != null)
            {
                try { Flush(); }
                finally { _pending = null; }
            }
            base.Dispose(disposing);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
