using System;

namespace DropboxProvisioning.State
{
    /// <summary>Graph's synchronizationQuarantine: why the job is held back and when it runs next.</summary>
    public sealed class QuarantineInfo
    {
        /// <summary>Graph's reason names: EncounteredQuarantineException, EncounteredEscrowProportionThreshold, EncounteredTotalEscrowThreshold, TooManyDeletes.</summary>
        public string Reason { get; set; }
        public DateTimeOffset CurrentBegan { get; set; }
        public DateTimeOffset NextAttempt { get; set; }
        public DateTimeOffset SeriesBegan { get; set; }
        public int SeriesCount { get; set; }
        public string Error { get; set; }

        public override string ToString() => $"{Reason} since {CurrentBegan:u}; next attempt {NextAttempt:u}: {Error}";
    }
}
