namespace DropboxProvisioning.Dropbox
{
    /// <summary>
    /// A target that can show and set a member's custom space limit (the Team API's member_space_limits/*, as the user
    /// attribute spaceLimitGb). Reading the limits costs a call per 1,000 members, so they are read only while the
    /// mapping maps spaceLimitGb (the cycle says so before it reads).
    /// </summary>
    public interface IDropboxSpaceLimits
    {
        bool ReadsSpaceLimits { get; set; }
    }
}
