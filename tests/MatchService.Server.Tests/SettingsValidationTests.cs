using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Tests;

/// <summary>
/// Every options section is bound and checked the same way (AddOptions, Bind, ValidateOnStart and an
/// IValidateOptions): a wrong value stops the build with its key, and the executable exits 2 naming every key.
/// </summary>
public sealed class SettingsValidationTests
{
    [Theory]
    [InlineData("--Faces:MaxFaceCandidates=0", "Faces:MaxFaceCandidates must be at least 1 (got 0)")]
    [InlineData("--Faces:ScaledDecodeAbovePixels=-1", "Faces:ScaledDecodeAbovePixels must be at least 0, 0 = off (got -1)")]
    [InlineData("--Faces:MaxImagesInService=-1", "Faces:MaxImagesInService must be at least 0, 0 = 8 x the processor count (got -1)")]
    [InlineData("--Faces:LandmarkCheckScale=0.9", "Faces:LandmarkCheckScale must be at least 1 and Faces:LandmarkCheckShift at least 0")]
    [InlineData("--Pipeline:MaxImageBytes=0", "Pipeline:MaxImageBytes 0 must be ≥ 1")]
    [InlineData("--Pipeline:MaxDecodedPixelsInFlight=-5", "Pipeline:MaxDecodedPixelsInFlight -5 must be 0 (sized for the machine)")]
    [InlineData("--Pipeline:ModelsPath= ", "Pipeline:ModelsPath is empty")]
    [InlineData("--Persons:MaxConcurrentImages=0", "Persons:MaxConcurrentImages 0 must be ≥ 1")]
    [InlineData("--Persons:Metric=manhattan", "Persons:Metric 'manhattan' must be cosine or euclidean")]
    [InlineData("--Products:MaxGarmentRegions=0", "Products:MaxGarmentRegions 0 must be ≥ 1")]
    [InlineData("--Products:MaxCategoryInformation=-1", "Products:MaxCategoryInformation -1 must be ≥ 0")]
    [InlineData("--Match:Playground:Enabled=true", "Match:Playground:Enabled: the playground is a local developer tool", "--Match:BearerToken=0123456789abcdef-secret")]
    [InlineData("--Match:Playground:Address=localhost", "Match:Playground: Address must be an IP", "--Match:Playground:Enabled=true")]
    public void A_wrong_value_stops_the_build_naming_its_key(string setting, string failure, string? other = null)
    {
        string[] args = other is null ? [setting] : [setting, other];
        var ex = Assert.Throws<OptionsValidationException>(() => Hosting.MatchServerHost.Build(args));
        Assert.Contains(ex.Failures, f => f.StartsWith(failure, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Valid_values_of_every_section_build()
    {
        await using var app = Hosting.MatchServerHost.Build(["--Faces:MaxFaceCandidates=1", "--Pipeline:ModelTimeoutMs=5000", "--Persons:Metric=euclidean",
            "--Products:MaxCandidates=1", "--Match:Playground:Enabled=true", "--Match:Playground:Port=0"]);
        Assert.Equal("euclidean", app.Services.GetRequiredService<IOptions<Persons.PersonOptions>>().Value.Metric);
        Assert.True(app.Services.GetRequiredService<IOptions<Hosting.MatchServerOptions>>().Value.Playground.Enabled);
    }

    [Fact]
    public async Task The_executable_exits_2_naming_every_wrong_key_of_every_section()
    {
        var (exitCode, stderr) = await RunningServer.RunExecutableAsync(
            "--Match:Port=0", "--Match:Metrics:Port=-1", "--Faces:MaxFaceCandidates=0", "--Persons:TopN=500", "--Products:MaxCandidates=0");

        Assert.Equal(2, exitCode);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("MatchService.Server: invalid configuration:", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("Faces:MaxFaceCandidates must be at least 1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Persons:TopN 500 must lie in [0, Persons:MaxTopN] = [0, 100]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Products:MaxCandidates 0 must be ≥ 1", StringComparison.Ordinal));
    }
}
