using System;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace DropboxProvisioning.TestSupport
{
    /// <summary>
    /// Azurite's blob service (the Azure Storage emulator, npm package azurite from tests/azurite/package-lock.json), started
    /// once per test process on 127.0.0.1 with a free port and a temporary folder, and killed when the process ends. When
    /// tests/azurite/node_modules is missing, `npm ci` installs it first, under a file lock, since several test processes
    /// may start at once. Each test takes a container of its own (<see cref="NewContainer"/>).
    ///
    /// <see cref="SharedOAuth"/> is a second one, as a managed identity reaches Azure Storage: over https (a self-signed
    /// certificate for 127.0.0.1 and localhost, made here, its PEM files beside the data) with `--oauth basic`, under which
    /// Azurite accepts bearer tokens (only over https; it checks their iss, aud, nbf and exp, not their signature) besides the
    /// account key. A child process trusts the certificate through <see cref="TrustEnvironment"/> (SSL_CERT_FILE, which
    /// .NET on Linux reads as OpenSSL does); this process's own clients trust exactly that certificate and no other.
    /// </summary>
    public sealed class Azurite : IDisposable
    {
        public const string Account = "devstoreaccount1";
        /// <summary>Azurite's well-known development account key (published in its documentation; not a secret).</summary>
        public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

        private static readonly Lazy<Azurite> Instance = new Lazy<Azurite>(() => new Azurite(oauth: false), LazyThreadSafetyMode.ExecutionAndPublication);
        private static readonly Lazy<Azurite> OAuthInstance = new Lazy<Azurite>(() => new Azurite(oauth: true), LazyThreadSafetyMode.ExecutionAndPublication);
        private readonly Process _process;
        private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate;
        private readonly string _location;
        private static int _containers;

        /// <summary>The process's Azurite, started on first use.</summary>
        public static Azurite Shared => Instance.Value;

        /// <summary>The process's Azurite over https with `--oauth basic` (bearer tokens accepted), started on first use.</summary>
        public static Azurite SharedOAuth => OAuthInstance.Value;

        public int Port { get; }
        public Uri BlobEndpoint => new Uri($"{(_certificate == null ? "http" : "https")}://127.0.0.1:{Port}/{Account}");

        /// <summary>The PEM file of the https instance's certificate; null over http.</summary>
        public string CertificatePath { get; }

        /// <summary>
        /// What a child process needs in its environment to trust the https instance: SSL_CERT_FILE, the certificate's PEM
        /// (OpenSSL's default bundle file, replaced; its default directory of CAs still applies). Empty over http.
        /// </summary>
        public System.Collections.Generic.IReadOnlyDictionary<string, string> TrustEnvironment =>
            CertificatePath == null ? new System.Collections.Generic.Dictionary<string, string>() : new System.Collections.Generic.Dictionary<string, string> { ["SSL_CERT_FILE"] = CertificatePath };

        private Azurite(bool oauth)
        {
            var folder = Path.Combine(RepositoryRoot(), "tests", "azurite");
            var main = Path.Combine(folder, "node_modules", "azurite", "dist", "src", "blob", "main.js");
            if (!File.Exists(main)) Install(folder, main);
            _location = Path.Combine(Path.GetTempPath(), "dbx-azurite-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(_location);
            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder };
            // exit-with-parent.js: gone with this process even when the test runner ends it without its exit handlers.
            foreach (var argument in new[] { "-r", Path.Combine(folder, "exit-with-parent.js"), main, "--blobHost", "127.0.0.1", "--blobPort", "0", "--location", _location, "--skipApiVersionCheck", "--silent", "--loose" })
                start.ArgumentList.Add(argument);
            if (oauth)
            {
                _certificate = LoopbackCertificate.Create(_location, out var certificatePath, out var keyPath);
                CertificatePath = certificatePath;
                foreach (var argument in new[] { "--oauth", "basic", "--cert", certificatePath, "--key", keyPath }) start.ArgumentList.Add(argument);
            }
            _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
            var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            var output = new System.Text.StringBuilder();
            void Line(string line)
            {
                if (line == null) return;
                lock (output) output.AppendLine(line);
                var match = Regex.Match(line, @"listens on https?://127\.0\.0\.1:(\d+)");
                if (match.Success) listening.TrySetResult(int.Parse(match.Groups[1].Value));
            }
            _process.OutputDataReceived += (_, e) => Line(e.Data);
            _process.ErrorDataReceived += (_, e) => Line(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            _process.EnableRaisingEvents = true;
            _process.Exited += (_, __) => listening.TrySetException(new InvalidOperationException("Azurite exited: " + output));
            if (!listening.Task.Wait(TimeSpan.FromSeconds(60))) { Dispose(); throw new TimeoutException("Azurite did not start: " + output); }
            Port = listening.Task.Result;
            AppDomain.CurrentDomain.ProcessExit += (_, __) => Dispose();
        }

        /// <summary>npm ci from the lock file, once: the first process installs, the others wait on the lock and find it done.</summary>
        private static void Install(string folder, string main)
        {
            using (var gate = TakeLock(Path.Combine(Path.GetTempPath(), "dbx-azurite-npm.lock")))
            {
                if (File.Exists(main)) return;
                var start = new ProcessStartInfo("npm") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder };
                foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" }) start.ArgumentList.Add(argument);
                using (var npm = Process.Start(start) ?? throw new InvalidOperationException("npm did not start"))
                {
                    var stdout = npm.StandardOutput.ReadToEndAsync();
                    var stderr = npm.StandardError.ReadToEndAsync();
                    if (!npm.WaitForExit(600_000)) { npm.Kill(true); throw new TimeoutException("npm ci did not finish in 10 minutes"); }
                    if (npm.ExitCode != 0 || !File.Exists(main))
                        throw new InvalidOperationException($"npm ci in {folder} failed ({npm.ExitCode}): {stdout.Result}{stderr.Result}");
                }
            }
        }

        private static FileStream TakeLock(string path)
        {
            var deadline = DateTime.UtcNow.AddMinutes(11);
            while (true)
            {
                try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
                catch (IOException) when (DateTime.UtcNow < deadline) { Thread.Sleep(500); }
            }
        }

        private static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "DropboxProvisioning.psd1"))) return dir.FullName;
            throw new InvalidOperationException("DropboxProvisioning.psd1 not found above " + AppContext.BaseDirectory);
        }

        /// <summary>A new empty container; returns its URI as -StateStorageUri takes it (path-style, with an optional prefix).</summary>
        public string NewContainer(string prefix = null)
        {
            var name = "state-" + Interlocked.Increment(ref _containers) + "-" + Guid.NewGuid().ToString("N").Substring(0, 10);
            Client(name).Create();
            return BlobEndpoint + "/" + name + (prefix == null ? "" : "/" + prefix);
        }

        /// <summary>A client of a container made by <see cref="NewContainer"/> (to look at the blobs a test left).</summary>
        public Azure.Storage.Blobs.BlobContainerClient Container(string uri)
        {
            var path = new Uri(uri).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            return Client(path[1]);
        }

        /// <summary>A container's client with the account key; over https, trusting this instance's certificate only.</summary>
        private Azure.Storage.Blobs.BlobContainerClient Client(string container)
        {
            var options = new Azure.Storage.Blobs.BlobClientOptions();
            if (_certificate != null)
                options.Transport = new Azure.Core.Pipeline.HttpClientTransport(new System.Net.Http.HttpClientHandler
                {
                    ServerCertificateCustomValidationCallback = (_, presented, __, ___) => presented != null && presented.RawData.AsSpan().SequenceEqual(_certificate.RawData),
                });
            return new Azure.Storage.Blobs.BlobContainerClient(new Uri(BlobEndpoint + "/" + container), new Azure.Storage.StorageSharedKeyCredential(Account, AccountKey), options);
        }

        public void Dispose()
        {
            try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            try { System.IO.Directory.Delete(_location, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
