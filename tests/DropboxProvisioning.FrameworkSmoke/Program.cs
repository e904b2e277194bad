using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Loader;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.Security;
using DropboxProvisioning.Sync;

namespace DropboxProvisioning.FrameworkSmoke
{
    /// <summary>
    /// Windows PowerShell 5.1's order of events, on a .NET Framework profile: another module's Newtonsoft.Json 12 is
    /// in the process; the module's loader installs its .NET Framework path; the engine (only in Dependencies/, never
    /// beside this program) runs a sandbox cycle; the other Newtonsoft.Json still works. Prints "name=value" lines;
    /// exit code 0 only when every check holds.
    /// </summary>
    public static class Program
    {
        public static int Main()
        {
            try
            {
                var folder = Path.GetDirectoryName(typeof(Program).Assembly.Location);
                var other = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Newtonsoft12").Value;
                var otherJson = Assembly.LoadFrom(other);
                Check("other.newtonsoft", otherJson.GetName().Version.ToString(), "12.0.0.0");
                Check("other.serialized", Serialize(otherJson), "{\"a\":1}");

                Check("runtime.loadcontexts", DependencyIsolation.HasLoadContexts.ToString(), "False");
                CheckLoaderTypes();
                Check("engine.beside", File.Exists(Path.Combine(folder, "DropboxProvisioning.Engine.dll")).ToString(), "False");
                ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls; // what powershell.exe starts with
                DependencyIsolation.Install(Path.Combine(folder, "Dependencies"));
                Check("tls12", ((ServicePointManager.SecurityProtocol & SecurityProtocolType.Tls12) != 0).ToString(), "True");

                RunCycle();

                var engine = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "DropboxProvisioning.Engine");
                Check("engine.folder", Path.GetFileName(Path.GetDirectoryName(engine.Location)), "Dependencies");
                foreach (var json in AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "Newtonsoft.Json"))
                    Console.WriteLine($"loaded.newtonsoft={json.GetName().Version}|{json.Location}");
                foreach (var loaded in AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location.StartsWith(folder, StringComparison.Ordinal)).Select(a => a.Location.Substring(folder.Length + 1)).OrderBy(n => n, StringComparer.Ordinal))
                    Console.WriteLine("loaded.from.module=" + loaded);
                Check("other.serialized.after", Serialize(otherJson), "{\"a\":1}");
                Console.WriteLine("smoke=passed");
                return 0;
            }
            catch (Exception e)
            {
                Console.WriteLine("smoke=failed");
                Console.Error.WriteLine(e);
                return 1;
            }
        }

        /// <summary>
        /// Windows PowerShell 5.1 reads every type of a module assembly at import, as GetTypes does. Here only PowerShell's
        /// own engine is missing; a type that needs anything else (.NET's AssemblyLoadContext) would break the import on 5.1.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void CheckLoaderTypes()
        {
            var loader = typeof(DependencyIsolation).Assembly;
            try
            {
                Console.WriteLine("loader.types=" + loader.GetTypes().Length);
            }
            catch (ReflectionTypeLoadException e)
            {
                var missing = e.LoaderExceptions.Select(x => x.Message).Distinct().ToList();
                foreach (var message in missing) Console.WriteLine("loader.types.unloadable=" + message);
                if (missing.Any(m => m.IndexOf("System.Management.Automation", StringComparison.Ordinal) < 0))
                    throw new InvalidOperationException("the loader has types that need more than PowerShell's engine");
                Console.WriteLine("loader.types=" + e.Types.Count(t => t != null) + " loaded; the others need only PowerShell's engine");
            }
        }

        /// <summary>Kept out of Main so that nothing of the engine is bound before the loader is installed.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void RunCycle()
        {
            var sandbox = TenantGenerator.Generate(new TenantProfile { Users = 20, Seed = 4 });
            var options = new ConnectionOptions
            {
                TenantUrl = new Uri("https://www.dropbox.com/scim/v2"),
                SecretToken = SecureStrings.FromText(SandboxCredentials.ScimToken),
                TenantId = SandboxCredentials.TenantId,
                ClientId = SandboxCredentials.ClientId,
                ClientSecret = SecureStrings.FromText(SandboxCredentials.ClientSecret),
                ServicePrincipalId = SandboxCredentials.ServicePrincipalId,
                Authentication = GraphAuthentication.Sandbox,
                StatePath = Path.Combine(Path.GetTempPath(), "dbx-framework-smoke-" + Guid.NewGuid().ToString("N")),
            };
            try
            {
                var connection = ConnectionFactory.ConnectAsync(options, sandbox.CreateHandler, CancellationToken.None).GetAwaiter().GetResult();
                var cycle = new ProvisioningCycle(connection);
                CycleResult result;
                using (var plan = cycle.PlanAsync(CancellationToken.None).GetAwaiter().GetResult())
                    result = cycle.ExecuteAsync(plan, plan.Changes.ToList(), CancellationToken.None).GetAwaiter().GetResult();
                Check("cycle.status", result.Status.ToString(), "Succeeded");
                Console.WriteLine("cycle.created=" + result.Created);
                if (result.Created <= 0 || result.Failed != 0) throw new InvalidOperationException($"cycle created {result.Created}, failed {result.Failed}");
                Console.WriteLine("dropbox.members=" + sandbox.Dropbox.Members.Count);
            }
            finally
            {
                try { System.IO.Directory.Delete(options.StatePath, true); } catch (IOException) { }
            }
        }

        private static string Serialize(Assembly json)
        {
            var convert = json.GetType("Newtonsoft.Json.JsonConvert", true);
            var method = convert.GetMethod("SerializeObject", new[] { typeof(object) });
            return (string)method.Invoke(null, new object[] { new System.Collections.Generic.Dictionary<string, int> { ["a"] = 1 } });
        }

        private static void Check(string name, string actual, string expected)
        {
            Console.WriteLine(name + "=" + actual);
            if (actual != expected) throw new InvalidOperationException($"{name}: expected {expected}, got {actual}");
        }
    }
}
