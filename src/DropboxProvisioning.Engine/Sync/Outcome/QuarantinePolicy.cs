using System;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// Entra's quarantine rules. Refused credentials quarantine at once. Otherwise a job is quarantined when
    /// more than 40% of its operations fail or failures pass 40,000 (judged from 5,000 failures on), and
    /// 60,000 failures always quarantine. Reference failures do not count. The 5,000 and 40,000 are scaled
    /// down for small tenants: the floor is a tenth of the objects in scope (at least 5), so a 50-user tenant
    /// whose every call fails is quarantined too. In quarantine the job runs 6, 12 and 24 hours after the
    /// first failure, then daily, and is turned off after 28 days.
    /// </summary>
    public static class QuarantinePolicy
    {
        public const string Credentials = "EncounteredQuarantineException";
        public const string EscrowProportion = "EncounteredEscrowProportionThreshold";
        public const string TotalEscrow = "EncounteredTotalEscrowThreshold";
        public const string TooManyDeletes = "TooManyDeletes";
        public static readonly TimeSpan TurnOffAfter = TimeSpan.FromDays(28);

        /// <summary>The failures from which the proportion is judged.</summary>
        public static int EvaluationFloor(int objectsInScope) => Math.Min(5000, Math.Max(5, objectsInScope / 10));

        /// <summary>The failure count that quarantines whatever the proportion.</summary>
        public static int TotalThreshold(int objectsInScope) => Math.Min(40000, Math.Max(EvaluationFloor(objectsInScope), objectsInScope * 8 / 10));

        /// <summary>The reason this cycle's outcome quarantines the job, or null.</summary>
        public static string Judge(int operations, int failures, int objectsInScope, bool credentialsRefused, bool deletionsStaged)
        {
            if (credentialsRefused) return Credentials;
            if (failures >= 60000) return TotalEscrow;
            if (failures >= EvaluationFloor(objectsInScope))
            {
                if (failures > TotalThreshold(objectsInScope) && failures >= 40000) return TotalEscrow;
                if (operations > 0 && failures * 10 > operations * 4) return EscrowProportion;
                if (failures > TotalThreshold(objectsInScope)) return TotalEscrow;
            }
            return deletionsStaged ? TooManyDeletes : null;
        }

        /// <summary>Enters or continues quarantine after a cycle with <paramref name="reason"/>.</summary>
        public static QuarantineInfo Enter(QuarantineInfo current, string reason, string error, DateTimeOffset now)
        {
            var quarantine = current ?? new QuarantineInfo { SeriesBegan = now };
            if (quarantine.Reason != reason) quarantine.CurrentBegan = now;
            quarantine.Reason = reason;
            quarantine.Error = error;
            quarantine.SeriesCount++;
            quarantine.NextAttempt = NextAttempt(quarantine.SeriesBegan, quarantine.SeriesCount);
            return quarantine;
        }

        /// <summary>6 h, 12 h and 24 h after the first failure, then once a day.</summary>
        public static DateTimeOffset NextAttempt(DateTimeOffset seriesBegan, int seriesCount)
        {
            switch (seriesCount)
            {
                case 1: return seriesBegan.AddHours(6);
                case 2: return seriesBegan.AddHours(12);
                case 3: return seriesBegan.AddHours(24);
                default: return seriesBegan.AddDays(seriesCount - 2);
            }
        }

        /// <summary>True when a quarantine has lasted long enough that Entra turns the job off.</summary>
        public static bool Expired(QuarantineInfo quarantine, DateTimeOffset now) => quarantine != null && now - quarantine.SeriesBegan >= TurnOffAfter;
    }
}
