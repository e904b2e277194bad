namespace DropboxProvisioning.Errors
{
    /// <summary>
    /// The kind of failure, named as PowerShell's ErrorCategory names them so the cmdlet layer can map
    /// one to the other without the engine depending on PowerShell.
    /// </summary>
    public enum DbxErrorCategory
    {
        NotSpecified,
        InvalidArgument,
        InvalidData,
        InvalidOperation,
        AuthenticationError,
        PermissionDenied,
        ConnectionError,
        ResourceExists,
        ObjectNotFound,
        ResourceUnavailable,
        LimitsExceeded,
        OperationStopped,
        ResourceBusy,
        SecurityError,
        InvalidResult,
    }
}
