using System;
using System.Management.Automation;

namespace DropboxProvisioning.Commands.Infrastructure
{
    /// <summary>
    /// Takes a time span as ConvertTo-Json writes it (an object of Ticks, Days, Hours...) and ConvertFrom-Json reads it
    /// back, so that settings round-trip through a JSON file; PowerShell alone would leave such a parameter unbound
    /// without a word. Anything else (a TimeSpan, "01:30:00", a number of ticks) is left to PowerShell's own conversion.
    /// </summary>
    public sealed class TimeSpanFromJsonAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            if (inputData is PSObject wrapped && wrapped.BaseObject is PSCustomObject)
            {
                var ticks = wrapped.Properties["Ticks"]?.Value;
                if (ticks != null) return TimeSpan.FromTicks(LanguagePrimitives.ConvertTo<long>(ticks));
            }
            return inputData;
        }
    }
}
