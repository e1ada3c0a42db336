using System.Globalization;
using MatchService.Contracts;
using MatchService.Server.Hosting;

namespace MatchService.Server.Tests;

/// <summary>The match-stage-ms trailer: the server's clock writes it, and the one parser (matchctl's) reads it back.</summary>
public sealed class StageTrailerTests
{
    [Fact]
    public void What_the_server_writes_parses_back_in_stage_name_order_whatever_the_culture()
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE"); // a decimal comma must not reach the wire
        try
        {
            var value = StageTrailer.Format([new("global", 30.1234), new("decode", 12.5), new("detect", 0)]);
            Assert.Equal("decode=12.5;detect=0;global=30.123", value);
            Assert.Equal([new("decode", 12.5), new("detect", 0), new("global", 30.123)], StageTrailer.Parse(value));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void A_stage_clock_sums_each_stage_and_its_trailer_names_each_once()
    {
        var clock = new StageClock();
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        clock.Add("decode", start);
        clock.Add("decode", start);
        clock.Add("embed", start);
        var stages = StageTrailer.Parse(clock.Format());
        Assert.Equal(["decode", "embed"], stages.Select(s => s.Key));
        Assert.All(stages, s => Assert.True(s.Value >= 0, $"{s.Key}={s.Value}"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("decode")]
    [InlineData("=3;decode=fast")]
    public void Nothing_or_malformed_pairs_give_no_stages(string? value) => Assert.Empty(StageTrailer.Parse(value));

    [Fact]
    public void A_malformed_pair_is_skipped_and_the_rest_kept() =>
        Assert.Equal([new("decode", 1.5), new("embed", 2)], StageTrailer.Parse("decode=1.5;;junk;embed=2"));
}
