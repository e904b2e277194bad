using System;
using System.IO;
using System.Text;
using DropboxProvisioning.State.Storage;
using Newtonsoft.Json;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// The provisioning log of one running cycle, written record by record as changes complete: a record is
    /// serialized at once and let go, rather than held until the next save (an initial cycle of 100,000 users
    /// would otherwise carry thousands of records long enough for the garbage collector to keep them).
    /// The file is created with the first record, so a cycle that changes nothing leaves none.
    /// </summary>
    public sealed class CycleLogWriter : IDisposable
    {
        private readonly Storage.IStateStorage _storage;
        private readonly string _name;
        private readonly string _path;
        private readonly Action _closed;
        private readonly JsonSerializer _serializer = JsonSerializer.CreateDefault();
        private StreamWriter _writer;

        internal CycleLogWriter(Storage.IStateStorage storage, string name, Action closed)
        {
            _storage = storage;
            _name = name;
            _path = storage.PathOf(name);
            _closed = closed;
        }

        public void Write(ProvisioningLogRecord record)
        {
            try
            {
                if (_writer == null)
                {
                    _writer = new StreamWriter(_storage.OpenAppend(_name, "writing the provisioning log"), new UTF8Encoding(false), 65536);
                }
                _serializer.Serialize(_writer, record);
                _writer.Write('\n');
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw StateWriteError.For(_path, "writing the provisioning log", e);
            }
        }

        /// <summary>Hands what is written so far to the file system (with each save of the state).</summary>
        public void Flush()
        {
            try { _writer?.Flush(); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw StateWriteError.For(_path, "writing the provisioning log", e);
            }
        }

        public void Dispose()
        {
            if (_writer == null) return;
            // Closing flushes: on a full disk that fails as any other write to the log does, never as a raw IOException.
            try { _writer.Dispose(); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw StateWriteError.For(_path, "writing the provisioning log", e);
            }
            finally
            {
                _writer = null;
                _closed();
            }
        }
    }
}
