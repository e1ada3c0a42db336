using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Health.V1;
using MatchService.Contracts.V1;
using MatchService.EndToEnd.Tests.Fixtures;
using MatchService.EndToEnd.Tests.Persons.Support;
using Grpc.Core;
using MatchService.Testing;
using Xunit.Abstractions;

using V1 = MatchService.Contracts.V1;

namespace MatchService.EndToEnd.Tests.Interop;

/// <summary>
/// The path grpcurl takes, since grpcurl itself cannot be installed here: Interop/reflection_client.py (Google's
/// C-core gRPC, Debian python3-grpcio) knows only the reflection protos, lists the services, describes them from the
/// served descriptors, and calls every method of match.v1.MatchService with messages built from JSON (images as base64
/// <c>data</c>, as README's grpcurl example). The answers are checked against the contract and against the same
/// calls made with our C# client.
/// </summary>
public sealed class ReflectionClientTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _images = Directory.CreateTempSubdirectory("grpcurl-images-");

    [ModelsFact]
    public async Task ReflectionAloneListsDescribesAndCallsEveryMethod()
    {
        await using var server = await MatchServer.StartAsync();
        using var channel = server.CreateChannel();
        var client = new V1.MatchService.MatchServiceClient(channel);
        await WaitServingAsync(new Health.HealthClient(channel));
        var sample = Photos.Sample(1);
        var person = Photos.People[1][0];
        var a = Write("a.jpg", Photos.Cut(sample, person));
        var b = Write("b.jpg", Photos.Cut(sample, person with { X = person.X + 20, Y = person.Y + 16, Width = person.Width - 20 }, quality: 70));
        var c = Write("c.jpg", Photos.Cut(sample, Photos.People[1][1]));
        var garbage = Write("garbage.jpg", [.. "this is not an image"u8, .. Enumerable.Range(0, 3000).Select(i => (byte)(i * 7))]);

        var lines = await RunClientAsync(server.Address.Port);

        // list and describe: the services, and every method with its kinds and types exactly as the contract says.
        Assert.Equal("grpc.health.v1.Health,grpc.reflection.v1.ServerReflection,grpc.reflection.v1alpha.ServerReflection,match.v1.MatchService", lines["list"]);
        Assert.Equal(Describe(MatchServiceReflection.Descriptor.Services[0]), lines["describe"]);
        Assert.Contains("Verify client_stream match.v1.VerifyRequest match.v1.VerifyResponse", lines["describe"], StringComparison.Ordinal);
        Assert.Contains("EmbedPersons bidi match.v1.EmbedRequest match.v1.EmbedResponse", lines["describe"], StringComparison.Ordinal);
        Assert.Contains("RankCandidatesStream client_stream match.v1.RankStreamRequest match.v1.RankResponse", lines["describe"], StringComparison.Ordinal);
        Assert.Equal("Check unary grpc.health.v1.HealthCheckRequest grpc.health.v1.HealthCheckResponse;Watch server_stream grpc.health.v1.HealthCheckRequest grpc.health.v1.HealthCheckResponse", lines["describe_health"]);
        Assert.Equal(string.Join(",", CompareResponse.Descriptor.Fields.InDeclarationOrder().Select(f => f.JsonName)), lines["describe_message"]);

        // Calls built from JSON alone.
        Assert.Equal("""{"status": "SERVING"}""", lines["health"]);
        Assert.Equal(string.Join(",", (await client.ListModelsAsync(new ListModelsRequest())).Models.Select(m => m.Name)), lines["list_models"]);

        var request = new CompareRequest { First = Input("a", a), Second = Input("b", b) };
        var ours = await client.CompareWithConfidenceAsync(request);
        var theirs = JsonParser.Default.Parse<CompareResponse>(lines["compare"]);
        output.WriteLine($"C#: {ours.Verdict} S={ours.Similarity} C={ours.Coincidence}; python: {theirs.Verdict} S={theirs.Similarity} C={theirs.Coincidence}");
        Assert.Equal(Verdict.Same, ours.Verdict);
        Assert.Equal(ours.Verdict, theirs.Verdict);
        Assert.Equal(ours.Similarity, theirs.Similarity, 5);
        Assert.Equal(ours.Coincidence, theirs.Coincidence, 5);
        Assert.Equal(ours.First.Face.Box, theirs.First.Face.Box);
        Assert.Equal("a", theirs.First.ImageId);

        var bad = await Assert.ThrowsAsync<RpcException>(async () => await client.CompareWithConfidenceAsync(
            new CompareRequest { First = Input("junk", garbage), Second = Input("b", b) }));
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Equal("image 'junk': not a JPEG, PNG or WebP (first bytes 7468697320697320)", bad.Status.Detail);
        Assert.Equal($"RPC_ERROR INVALID_ARGUMENT {bad.Status.Detail}", lines["compare_garbage"]);

        // Client streaming, one image per message (as grpcurl sends several JSON bodies): a, b are one person, c another.
        using var verify = client.Verify();
        foreach (var (id, bytes) in new[] { ("a", a), ("b", b), ("c", c) })
        {
            await verify.RequestStream.WriteAsync(new VerifyRequest { Images = { new VerifyImage { Image = Image(id, bytes) } } });
        }

        await verify.RequestStream.CompleteAsync();
        var verified = await verify.ResponseAsync;
        Assert.Equal(Verdict.Different, verified.Verdict);
        Assert.Equal($"VERDICT_{verified.Verdict.ToString().ToUpperInvariant()} images=3 pairs=3", lines["verify"]);

        // Bidirectional: one result per image as each finishes (any order), then the summary over the three persons.
        var embedded = lines["embed"].Split(' ');
        Assert.Equal(["image:a:1", "image:b:1", "image:c:1"], embedded[..^1].Order(StringComparer.Ordinal));
        Assert.Equal("summary:3", embedded[^1]);

        // Unary and client-streaming RankCandidates: the same query and candidates give the same answer (the query is a
        // person crop: the default intent classifier calls it apparel).
        Assert.Equal("INTENT_APPAREL candidates=2", lines["rank"]);
        Assert.Equal(lines["rank"], lines["rank_stream"]);
    }

    private static string Describe(ServiceDescriptor service) => string.Join(";", service.Methods.Select(m =>
        $"{m.Name} {(m.IsClientStreaming, m.IsServerStreaming) switch { (false, false) => "unary", (true, false) => "client_stream", (false, true) => "server_stream", _ => "bidi" }} " +
        $"{m.InputType.FullName} {m.OutputType.FullName}"));

    private static Contracts.V1.Image Image(string id, byte[] data) => new() { Id = id, Data = ByteString.CopyFrom(data) };

    private static CompareInput Input(string id, byte[] data) => new() { Image = Image(id, data) };

    private static async Task WaitServingAsync(Health.HealthClient health)
    {
        await Eventually.UntilAsync(async () => (await health.CheckAsync(new HealthCheckRequest { Service = "match.v1.MatchService" })).Status,
            status => status == HealthCheckResponse.Types.ServingStatus.Serving, "match.v1.MatchService SERVING");
    }

    private byte[] Write(string name, byte[] bytes)
    {
        File.WriteAllBytes(Path.Combine(_images.FullName, name), bytes);
        return bytes;
    }

    private Task<Dictionary<string, string>> RunClientAsync(int port) =>
        PythonScenarios.RunAsync(Path.Combine(AppContext.BaseDirectory, "Interop", "reflection_client.py"), TimeSpan.FromMinutes(3),
            text => output.WriteLine(text.Length > 4000 ? text[..4000] + "…" : text),
            port.ToString(CultureInfo.InvariantCulture), _images.FullName);

    /// <inheritdoc />
    public void Dispose() => _images.Delete(recursive: true);
}
