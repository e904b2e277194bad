using System;

namespace DropboxProvisioning.Dropbox
{
    /// <summary>
    /// The team's licenses as team/get_info tells them (team.stone TeamGetInfoResult): num_licensed_users (the licenses
    /// the team has), num_provisioned_users (members invited or active) and num_used_licenses (licenses taken). A seat is
    /// taken by whichever of the two counts is higher, so an older answer without num_used_licenses (Stone's default 0)
    /// still counts the members it provisioned.
    /// </summary>
    public sealed class DropboxSeats
    {
        public DropboxSeats(long licensed, long provisioned, long used)
        {
            Licensed = licensed; Provisioned = provisioned; Used = used;
        }

        /// <summary>num_licensed_users.</summary>
        public long Licensed { get; }

        /// <summary>num_provisioned_users.</summary>
        public long Provisioned { get; }

        /// <summary>num_used_licenses.</summary>
        public long Used { get; }

        /// <summary>The licenses taken: the higher of num_used_licenses and num_provisioned_users.</summary>
        public long Taken => Math.Max(Used, Provisioned);

        /// <summary>The licenses left for new members (never below 0).</summary>
        public long Free => Math.Max(0, Licensed - Taken);

        public override string ToString() => $"{Taken} of {Licensed} license(s) used, {Free} free";
    }
}
