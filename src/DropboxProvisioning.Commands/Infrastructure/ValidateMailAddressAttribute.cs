using System.Management.Automation;
using System.Text.RegularExpressions;

namespace DropboxProvisioning.Commands.Infrastructure
{
    /// <summary>
    /// An e-mail address, or nothing: empty and null (a setting piped from Get-DbxProvisioningSetting that has none)
    /// pass, where ValidatePattern refuses null. A wrong address fails parameter validation as ValidatePattern would.
    /// </summary>
    public sealed class ValidateMailAddressAttribute : ValidateArgumentsAttribute
    {
        private static readonly Regex Address = new Regex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant);

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            if (arguments is PSObject wrapped) arguments = wrapped.BaseObject;
            var text = arguments as string;
            if (arguments == null || text == "") return;
            if (text == null || !Address.IsMatch(text))
                throw new ValidationMetadataException($"'{arguments}' is not an e-mail address (name@domain.example); give an empty string to turn notifications off.");
        }
    }
}
