using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace DropboxProvisioning.Module.Tests
{
    /// <summary>
    /// The package as the PowerShell Gallery serves it: Publish-PSResource to a local file repository, Install-PSResource
    /// into an empty module path, Import-Module by name in a fresh pwsh 7.6.9 process, a sandbox cycle.
    /// </summary>
    public sealed class GalleryInstallTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "dbx-gallery-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }

        [Fact]
        public void The_package_publishes_installs_into_an_empty_module_path_imports_by_name_and_runs_a_cycle()
        {
            var home = Directory.CreateDirectory(Path.Combine(_root, "home")).FullName;
            var repository = Directory.CreateDirectory(Path.Combine(_root, "repository")).FullName;
            var environment = new Dictionary<string, string>
            {
                ["HOME"] = home,
                ["XDG_DATA_HOME"] = Path.Combine(home, ".local", "share"),
                ["XDG_CONFIG_HOME"] = Path.Combine(home, ".config"),
                ["XDG_CACHE_HOME"] = Path.Combine(home, ".cache"),
                ["LOCALAPPDATA"] = Path.Combine(home, "AppData", "Local"),
                ["USERPROFILE"] = home,
                // The pinned pwsh is found in this machine's NuGet packages, not in the empty home.
                ["NUGET_PACKAGES"] = ModuleFiles.NuGetPackageRoot,
                // ...and dotnet keeps its tool resolution cache in its own home.
                ["DOTNET_CLI_HOME"] = Environment.GetEnvironmentVariable("DOTNET_CLI_HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
                ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            };

            // .NET names a special folder only once it exists (else PSResourceGet's store would land in the working directory).
            foreach (var folder in new[] { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "LOCALAPPDATA" }) Directory.CreateDirectory(environment[folder]);

            var publish = FreshPwsh.Run(ModuleFiles.Script("Publish-ToLocalRepository.ps1"),
                new[] { "-Package", ModuleFiles.PackageFolder, "-Repository", repository }, environment);
            Assert.True(publish.ExitCode == 0, publish.Describe());
            Assert.Equal("DropboxProvisioning." + ModuleFiles.Version + ".nupkg", publish.Value("published"));
            var installed = publish.Value("installed").Split('|');
            Assert.Equal(ModuleFiles.Version, installed[0]);
            Assert.StartsWith(home, installed[1]);
            Assert.True(File.Exists(Path.Combine(environment["XDG_DATA_HOME"], "PSResourceGet", "PSResourceRepository.xml")), "the repository was registered outside the empty home");

            var session = FreshPwsh.Run(ModuleFiles.Script("Invoke-InstalledModule.ps1"), Array.Empty<string>(), environment);
            Assert.True(session.ExitCode == 0, session.Describe());
            var moduleBase = session.Value("modulebase");
            Assert.StartsWith(home, moduleBase);
            Assert.EndsWith(Path.Combine("DropboxProvisioning", ModuleFiles.Version), moduleBase);
            Assert.Equal(ModuleFiles.Version, session.Value("version"));
            Assert.StartsWith("https://", session.Value("projecturi"));
            Assert.Equal(session.Value("projecturi").TrimEnd('/') + "/blob/main/LICENSE", session.Value("licenseuri"));
            Assert.NotEmpty(session.Value("releasenotes"));
            Assert.Contains("SCIM", session.Value("tags").Split(','));
            Assert.Equal(new[] { "Core", "Desktop" }, session.Value("editions").Split(',').OrderBy(e => e, StringComparer.Ordinal));
            Assert.Equal("DropboxProvisioning.Format.ps1xml", session.Value("formats"));
            Assert.True(int.Parse(session.Value("commands")) >= 25, session.Describe());

            // Flat and complete: what the module loads and documents, nothing of the build, the tests or the hosts.
            var files = session.Values("file").ToList();
            foreach (var expected in new[] { "DropboxProvisioning.psd1", "DropboxProvisioning.Commands.dll", "DropboxProvisioning.Loader.dll", "DropboxProvisioning.LoadContext.dll",
                "DropboxProvisioning.Format.ps1xml", "LICENSE", "README.md", "Dependencies/DropboxProvisioning.Engine.dll",
                "Dependencies/DropboxProvisioning.Sandbox.dll", "Dependencies/Newtonsoft.Json.dll" })
                Assert.Contains(expected, files);
            Assert.All(files, f => Assert.True(f.EndsWith(".dll", StringComparison.Ordinal) || f.StartsWith("en-US/", StringComparison.Ordinal)
                || new[] { "DropboxProvisioning.psd1", "DropboxProvisioning.Format.ps1xml", "LICENSE", "README.md", "PSGetModuleInfo.xml", "DropboxProvisioning.nuspec" }.Contains(f), "unexpected file " + f));
            Assert.DoesNotContain(files, f => f.EndsWith("System.Management.Automation.dll", StringComparison.Ordinal));
            if (Directory.Exists(Path.Combine(ModuleFiles.RepositoryRoot, "out", "DropboxProvisioning", "en-US")))
                Assert.Contains(files, f => f.StartsWith("en-US/", StringComparison.Ordinal) && f.EndsWith("-Help.xml", StringComparison.Ordinal));

            Assert.Equal("Succeeded", session.Value("cycle.status"));
            Assert.True(int.Parse(session.Value("cycle.created")) > 0, session.Describe());
            Assert.Equal("0", session.Value("cycle.failed"));
        }
    }
}
