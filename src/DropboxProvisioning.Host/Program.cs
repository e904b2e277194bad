using System;
using System.Collections.ObjectModel;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace DropboxProvisioning.Host
{
    /// <summary>
    /// dbxhost: runs a PowerShell script through the real PowerShell 7.6 (Microsoft.PowerShell.SDK, with the utility,
    /// management and security modules an admin's scripts use) on a machine without pwsh.
    /// It imports ./DropboxProvisioning.psd1 from the checkout, runs the script, and prints its output
    /// through Out-Default so the module's format views apply. Exit code 1 when the script wrote errors.
    /// `dbxhost sandbox ...` instead serves a sandbox tenant on loopback until stopped (Sandbox/ServeCommand.cs).
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length == 0 || args[0] == "-h" || args[0] == "--help")
            {
                Console.Error.WriteLine("usage: dbxhost <script.ps1> [arguments...] | dbxhost -Command <text>");
                Console.Error.WriteLine("       " + Sandbox.ServeCommand.Usage.Substring("usage: ".Length));
                return 2;
            }
            if (args[0] == "sandbox") return Sandbox.ServeCommand.Run(args);

            var root = FindRepositoryRoot();
            if (root == null)
            {
                Console.Error.WriteLine("dbxhost: DropboxProvisioning.psd1 not found above " + Directory.GetCurrentDirectory());
                return 2;
            }

            var host = new ConsoleHost();
            var state = InitialSessionState.CreateDefault2();
            // Execution policy exists only on Windows; elsewhere setting it throws.
            if (OperatingSystem.IsWindows()) state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
            using var runspace = RunspaceFactory.CreateRunspace(host, state);
            runspace.Open();
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; ps.BeginStop(null, null); };

            ps.AddCommand("Import-Module").AddParameter("Name", Path.Combine(root, "DropboxProvisioning.psd1")).AddStatement();
            if (args[0].Equals("-Command", StringComparison.OrdinalIgnoreCase))
            {
                ps.AddScript(string.Join(" ", args, 1, args.Length - 1));
            }
            else
            {
                var script = Path.GetFullPath(args[0]);
                if (!File.Exists(script))
                {
                    Console.Error.WriteLine("dbxhost: no script at " + script);
                    return 2;
                }
                ps.AddCommand(script);
                for (var i = 1; i < args.Length; i++) ps.AddArgument(args[i]);
            }
            ps.AddCommand("Out-Default");

            try
            {
                ps.Invoke();
            }
            catch (RuntimeException e)
            {
                Console.Error.WriteLine(e.ErrorRecord?.ToString() ?? e.Message);
                return 1;
            }

            foreach (var error in ps.Streams.Error)
                Console.Error.WriteLine(error.ToString());
            return ps.HadErrors ? 1 : 0;
        }

        private static string FindRepositoryRoot()
        {
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "DropboxProvisioning.psd1"))) return dir.FullName;
                }
            }
            return null;
        }
    }
}
