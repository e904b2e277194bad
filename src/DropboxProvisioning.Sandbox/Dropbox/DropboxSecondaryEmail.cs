namespace DropboxProvisioning.Sandbox.Dropbox
{
    /// <summary>secondary_emails.stone SecondaryEmail: an address and whether it is verified to be the member's.</summary>
    public sealed class DropboxSecondaryEmail
    {
        public DropboxSecondaryEmail(string email, bool isVerified) { Email = email; IsVerified = isVerified; }
        public string Email { get; }
        public bool IsVerified { get; }
        public override string ToString() => Email + (IsVerified ? "" : " (pending)");
    }
}
