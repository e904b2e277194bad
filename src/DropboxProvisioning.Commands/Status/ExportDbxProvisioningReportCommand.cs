using System;
using System.IO;
using System.Management.Automation;
using System.Text;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Reporting;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.Status
{
    /// <summary>
    /// <para type="synopsis">Writes a report of the job as one self-contained HTML file: the last cycles as a chart, the quarantine, held deletions, escrows due, the top failure reasons and the mappings in force.</para>
    /// <para type="description">The file needs no network to open: its styles and its SVG chart are inline, and it loads nothing from elsewhere. The chart shows, per cycle, the users and groups created, updated, suspended, deleted and failed, and the cycle's duration; the failure reasons are grouped whatever object they hit, with the objects affected.</para>
    /// <para type="link">Get-DbxProvisioningStatus</para>
    /// <para type="link">Get-DbxProvisioningLog</para>
    /// </summary>
    /// <example>
    /// <para>Runs two cycles and writes the report of the job to report.html in the current directory.</para>
    /// <code>
    /// Invoke-DbxProvisioningCycle | Out-Null
    /// Invoke-DbxProvisioningCycle | Out-Null
    /// Export-DbxProvisioningReport -Path ./report.html
    /// </code>
    /// </example>
    /// <example>
    /// <para>A runbook's weekly report of the last 10 cycles, without overwriting last week's file.</para>
    /// <code>
    /// Invoke-DbxProvisioningCycle | Out-Null
    /// Export-DbxProvisioningReport -Path ("./provisioning-{0:yyyy-MM-dd}.html" -f (Get-Date)) -CycleCount 10 -NoClobber
    /// </code>
    /// </example>
    [Cmdlet(VerbsData.Export, "DbxProvisioningReport", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportDbxProvisioningReportCommand : DbxConnectedCmdlet
    {
        /// <summary>The HTML file to write.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>How many of the latest cycles the chart shows (the state keeps the last 20).</summary>
        [Parameter]
        [ValidateRange(1, 200)]
        public int CycleCount { get; set; } = 20;

        /// <summary>Refuse to overwrite an existing file.</summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        protected override void OnEndProcessing()
        {
            var connection = RequireConnection();
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (NoClobber && File.Exists(path))
                ThrowTerminating("FileExists", ErrorCategory.ResourceExists, $"'{path}' exists and -NoClobber was given.", path);
            var report = CycleReport.Build(connection.Store.LoadState(), connection.Store.LoadConfiguration(),
                connection.Store.Logs.Read(), connection.StatePath,
                connection.Api == DropboxProvisioning.Dropbox.DropboxApiKind.TeamApi ? "Dropbox Team API" : "Dropbox SCIM", connection.Clock.UtcNow, CycleCount);
            var html = HtmlReportRenderer.Render(report);
            if (!ShouldProcess(path, $"Write the provisioning report ({report.Cycles.Count} cycles)")) return;
            try
            {
                File.WriteAllText(path, html, new UTF8Encoding(false));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                ThrowTerminatingError(Record("ReportWriteFailed", ErrorCategory.WriteError, $"The report could not be written to '{path}': {e.Message}", path, e));
            }
            WriteVerbose($"Report of {report.Cycles.Count} cycle(s), {report.HeldDeletions.Count} held deletion(s), {report.EscrowsDue} escrow(s) due written to {path}.");
            WriteObject(new FileInfo(path));
        }
    }
}
