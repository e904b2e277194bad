using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// A real PowerShell 7.6 runspace in this process with ./DropboxProvisioning.psd1 imported, as an
    /// admin's session would have it. Scripts run through the engine's own parser and pipeline.
    /// </summary>
    public sealed class PowerShellSession : IDisposable
    {
        private readonly Runspace _runspace;
        private readonly object _gate = new object();
        private System.Management.Automation.PowerShell _current;

        public PowerShellSession()
        {
            var state = InitialSessionState.CreateDefault2();
            // Execution policy exists only on Windows; elsewhere setting it throws.
            if (OperatingSystem.IsWindows()) state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
            _runspace = RunspaceFactory.CreateRunspace(state);
            _runspace.Open();
            var imported = Run($"Import-Module '{ManifestPath}' -PassThru");
            if (imported.Count != 1) throw new InvalidOperationException("Import-Module returned " + imported.Count + " modules");
        }

        public static string RepositoryRoot { get; } = FindRoot();

        public static string ManifestPath => Path.Combine(RepositoryRoot, "DropboxProvisioning.psd1");

        private static string FindRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "DropboxProvisioning.psd1"))) return dir.FullName;
            throw new InvalidOperationException("DropboxProvisioning.psd1 not found above " + AppContext.BaseDirectory);
        }

        /// <summary>The errors, warnings and verbose messages of the last script.</summary>
        public IReadOnlyList<ErrorRecord> Errors { get; private set; } = new ErrorRecord[0];
        public IReadOnlyList<string> Warnings { get; private set; } = new string[0];
        public IReadOnlyList<string> Verbose { get; private set; } = new string[0];
        public IReadOnlyList<string> Information { get; private set; } = new string[0];
        public IReadOnlyList<ProgressRecord> Progress { get; private set; } = new ProgressRecord[0];

        /// <summary>Runs a script and fails the test if it wrote any error.</summary>
        public Collection<PSObject> Run(string script, IDictionary<string, object> variables = null)
        {
            var output = Invoke(script, variables);
            if (Errors.Count > 0)
                throw new InvalidOperationException("The script wrote errors:\n" + string.Join("\n", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
            return output;
        }

        /// <summary>Runs a script and returns what it wrote, errors included in <see cref="Errors"/>; a terminating error becomes one error.</summary>
        public Collection<PSObject> Invoke(string script, IDictionary<string, object> variables = null)
        {
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = _runspace;
            lock (_gate) _current = ps;
            if (variables != null)
                foreach (var pair in variables) _runspace.SessionStateProxy.SetVariable(pair.Key, pair.Value);
            ps.AddScript(script);
            Collection<PSObject> output;
            var errors = new List<ErrorRecord>();
            try
            {
                output = ps.Invoke();
            }
            catch (RuntimeException e)
            {
                output = new Collection<PSObject>();
                errors.Add(e.ErrorRecord);
            }
            finally
            {
                lock (_gate) _current = null;
            }
            errors.InsertRange(0, ps.Streams.Error);
            LastState = ps.InvocationStateInfo.State;
            Errors = errors;
            Warnings = ps.Streams.Warning.Select(w => w.Message).ToList();
            Verbose = ps.Streams.Verbose.Select(v => v.Message).ToList();
            Information = ps.Streams.Information.Select(i => i.MessageData?.ToString()).ToList();
            Progress = ps.Streams.Progress.ToList();
            return output;
        }

        /// <summary>How the last script ended (Completed, Failed, Stopped).</summary>
        public PSInvocationState LastState { get; private set; }

        /// <summary>What Ctrl+C does: stops the running pipeline.</summary>
        public void Stop()
        {
            lock (_gate) _current?.BeginStop(null, null);
        }

        public T Single<T>(string script, IDictionary<string, object> variables = null)
        {
            var output = Run(script, variables);
            Xunit.Assert.Single(output);
            return (T)output[0].BaseObject;
        }

        public void Dispose() => _runspace.Dispose();
    }
}
