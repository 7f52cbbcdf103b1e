namespace Whetstone.Models.Tests.Templates;

/// <summary>A clock stopped at one UTC instant, for strftime_now.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
