using System;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    public sealed class ModuleTests
    {
        private static readonly string[] Foundation =
        {
            "Connect-DbxTenant", "Disconnect-DbxTenant", "Get-DbxAttributeMapping", "Invoke-DbxProvisioningCycle",
            "Get-DbxProvisioningStatus", "Set-DbxProvisioningStatus",
        };

        [Fact]
        public void Manifest_imports_and_exports_the_cmdlets()
        {
            using var ps = new PowerShellSession();
            var names = ps.Run("Get-Command -Module DropboxProvisioning | ForEach-Object Name").Select(o => (string)o.BaseObject).ToList();
            foreach (var expected in Foundation) Assert.Contains(expected, names);
        }

        [Fact]
        public void Every_cmdlet_declares_its_output_type_and_changing_cmdlets_support_ShouldProcess()
        {
            using var ps = new PowerShellSession();
            foreach (var command in ps.Run("Get-Command -Module DropboxProvisioning").Select(o => (CmdletInfo)o.BaseObject))
            {
                Assert.True(command.OutputType.Count > 0 || command.Name.StartsWith("Disconnect-", StringComparison.Ordinal), command.Name + " declares no OutputType");
                var verb = command.Verb;
                if (verb == "Set" || verb == "Invoke" || verb == "Add" || verb == "Remove" || verb == "Reset" || verb == "Restart" || verb == "Approve" || verb == "Import")
                    Assert.True(command.Parameters.ContainsKey("WhatIf"), command.Name + " changes state but has no -WhatIf");
            }
        }

        [Fact]
        public void Manifest_declares_both_editions_and_PowerShell_5_1()
        {
            using var ps = new PowerShellSession();
            var module = ps.Single<PSModuleInfo>("Get-Module DropboxProvisioning");
            Assert.Equal(new Version(5, 1), module.PowerShellVersion);
            Assert.Contains("Desktop", module.CompatiblePSEditions);
            Assert.Contains("Core", module.CompatiblePSEditions);
            Assert.Contains(module.ExportedFormatFiles, f => f.EndsWith("DropboxProvisioning.Format.ps1xml", StringComparison.OrdinalIgnoreCase));
        }
    }
}
