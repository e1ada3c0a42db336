using System.Diagnostics;
using MatchService.Inference.Configuration;
using MatchService.ModelForge.Tests.Support;
using MatchService.ModelForge.TestModels;

namespace MatchService.ModelForge.Tests;

/// <summary>The generated test models, written by the ModelForge command line, loaded through their config.json only.</summary>
public sealed class TestModelTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "modelforge-testmodels-" + Guid.NewGuid().ToString("N"));

    public TestModelTests() => RunModelForge("--test-models", _dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void CommandLineWritesEveryTestModelWithAStrictConfig()
    {
        foreach (var model in TestModelSet.All())
        {
            var path = Path.Combine(_dir, model.Name, "config.json");
            var config = ModelConfigFile.Parse(File.ReadAllText(path), path);
            Assert.Equal(ModelSource.Test, config.Source);
            Assert.True(File.Exists(Path.Combine(_dir, model.Name, config.File)), model.Name);
        }
    }

    [Fact]
    public void EveryTestModelRunsABatchWithTheShapesItsConfigDeclares()
    {
        foreach (var model in TestModelSet.All())
        {
            using var net = new OnnxModel(Path.Combine(_dir, model.Name));
            var outputs = RunBatch(net, 3);
            foreach (var declared in net.Config.Outputs)
            {
                var (values, shape) = outputs[declared.Name];
                Assert.Equal(3, shape[0]);
                // dim counts the elements of one item, as the engine checks it ([B,4,4] boxes declare 16).
                Assert.Equal(declared.Dim!.Value, shape.Skip(1).Aggregate(1L, (a, b) => a * b));
                Assert.All(values, v => Assert.True(float.IsFinite(v), $"{model.Name}/{declared.Name}: {v}"));
                if (declared.Meaning is OutputMeaning.Weights or OutputMeaning.Scores or OutputMeaning.Boxes)
                {
                    Assert.All(values, v => Assert.InRange(v, 0f, 1f));
                }
            }
        }
    }

    [Fact]
    public void TestModelOutputsFollowTheirContracts()
    {
        using var locator = new OnnxModel(Path.Combine(_dir, "head_shoulder_locator"));
        var (box, _) = RunBatch(locator, 2)["boxes"];
        Assert.True(box[0] < box[2] && box[1] < box[3] && box[3] <= 0.5f, "head-shoulder box must be a box near the top");
        using var intent = new OnnxModel(Path.Combine(_dir, "intent_classifier"));
        Assert.Equal(TestModelSet.IntentClasses.Count, RunBatch(intent, 1)["logits"].Shape[1]);
        using var garments = new OnnxModel(Path.Combine(_dir, "garment_detector"));
        Assert.Equal([2L, 4, 4], RunBatch(garments, 2)["boxes"].Shape);
    }

    [Fact]
    public void ForgingIsDeterministic()
    {
        var again = Path.Combine(_dir, "again");
        RunModelForge("--test-models", again);
        foreach (var model in TestModelSet.All())
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, model.Name, "model.onnx")), File.ReadAllBytes(Path.Combine(again, model.Name, "model.onnx")));
        }
    }

    [Fact]
    public void UnknownOptionFailsWithAPreciseMessage()
    {
        var (code, stderr) = RunModelForgeRaw("--modles", _dir);
        Assert.Equal(1, code);
        Assert.Contains("unknown option '--modles'", stderr, StringComparison.Ordinal);
    }

    /// <summary>A deterministic batch in the config's geometry (vector or image, either layout).</summary>
    internal static IReadOnlyDictionary<string, (float[] Values, long[] Shape)> RunBatch(OnnxModel net, int batch)
    {
        var input = net.Config.Input;
        if (input.IsVector)
        {
            var dim = input.Dim;
            var values = new SeededWeights(7).Uniform(batch * dim, 1f);
            return net.Run(values, batch, dim);
        }
        var items = Enumerable.Range(0, batch)
            .Select(i => new SeededWeights((ulong)i + 11).Uniform(input.Height * input.Width * 3, 0.5f).Select(v => v + 0.5f).ToArray())
            .ToList();
        return net.RunImages(items);
    }

    private static void RunModelForge(params string[] args)
    {
        var (code, stderr) = RunModelForgeRaw(args);
        Assert.True(code == 0, $"ModelForge failed ({code}): {stderr}");
    }

    private static (int Code, string Stderr) RunModelForgeRaw(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MatchService.ModelForge.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stderr.Result);
    }
}
