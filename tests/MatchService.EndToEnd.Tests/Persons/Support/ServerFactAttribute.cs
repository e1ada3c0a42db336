namespace MatchService.EndToEnd.Tests.Persons.Support;

/// <summary>A fact that skips itself, saying why, when the default models are not forged.</summary>
public sealed class ServerFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when models are missing.</summary>
    public ServerFactAttribute()
    {
        Skip = ModelDirectories.MissingDefaults;
    }
}

/// <summary>A benchmark, run only with MATCH_BENCH=1 (it prints figures; it asserts nothing about speed).</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    /// <summary>Skips unless MATCH_BENCH=1 and the models are there.</summary>
    public BenchmarkFactAttribute()
    {
        Skip = Environment.GetEnvironmentVariable("MATCH_BENCH") != "1"
            ? "benchmark: run with MATCH_BENCH=1 (see README, Person and product RPCs)"
            : ModelDirectories.MissingDefaults;
    }
}
