using System.Linq;
using DropboxProvisioning.State;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// A SCIM listing is checked before it is acted on (RFC 7644 §3.4.2.4): short pages are followed to totalResults, and
    /// a listing that does not hold together (startIndex ignored, totals that do not add up) stops the cycle before any write.
    /// </summary>
    public sealed class ScimListingTests
    {
        [Fact]
        public void Pages_shorter_than_asked_are_followed_to_totalResults()
        {
            var (ps, _, sandbox) = Targets.Connect(Targets.Scim, 40, 12);
            using (ps)
            {
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                Assert.True(sandbox.Dropbox.Members.Count > 21, "more accounts than three short pages");
                sandbox.Options.ScimMaxResults = 7; // the server caps count: every page is shorter than the 1,000 asked
                ps.Run("Restart-DbxProvisioning -Scope Watermark -Confirm:$false");
                sandbox.Journal.Clear();
                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(CycleMode.Initial, result.Mode);
                Assert.Equal(CycleStatus.Succeeded, result.Status);
                Assert.Equal(0, result.Created + result.Adopted + result.Failed);
                Assert.Equal(0, Targets.Writes(sandbox, Targets.Scim));
                Assert.True(sandbox.Journal.Entries().Count(e => Targets.IsMemberListing(e, Targets.Scim)) > 3);
            }
        }

        [Theory]
        [InlineData(ScimListingFault.RepeatsFirstPage)]
        [InlineData(ScimListingFault.IgnoresStartIndex)]
        [InlineData(ScimListingFault.TotalIsPageSize)]
        public void A_listing_that_does_not_hold_together_stops_the_cycle_before_any_write(ScimListingFault fault)
        {
            var (ps, _, sandbox) = Targets.Connect(Targets.Scim, 40, 13);
            using (ps)
            {
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                var members = sandbox.Dropbox.Members.Count;
                sandbox.Options.ScimMaxResults = 7;
                sandbox.Options.ScimListingFault = fault;
                ps.Run("Restart-DbxProvisioning -Scope Watermark -Confirm:$false");
                sandbox.Journal.Clear();
                ps.Invoke("Invoke-DbxProvisioningCycle");
                var error = Assert.Single(ps.Errors);
                Assert.StartsWith("InvokeDbxProvisioningCycleDropboxListingInconsistent,", error.FullyQualifiedErrorId);
                Assert.Equal(System.Management.Automation.ErrorCategory.InvalidResult, error.CategoryInfo.Category);
                Assert.Contains("does not hold together", error.Exception.Message);
                Assert.Equal(0, Targets.Writes(sandbox, Targets.Scim));
                Assert.Equal(members, sandbox.Dropbox.Members.Count);

                // Once the server pages properly again, the next cycle runs as if nothing happened.
                sandbox.Options.ScimListingFault = ScimListingFault.None;
                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, result.Created + result.Adopted + result.Failed);
            }
        }
    }
}
