using System.Diagnostics;
using MatchService.ModelForge;

try
{
    var options = ModelForgeOptions.Parse(args);
    IEnumerable<(string Root, ForgedModel Model)> models = options.TestModelsDir is { } testRoot
        ? MatchService.ModelForge.TestModels.TestModelSet.All().Select(m => (testRoot, m))
        : DefaultModels.Served(options.Sources).Select(m => (options.ModelsDir, m))
            .Concat(DefaultModels.Alternatives(options.Sources).Select(m => (options.AlternativesDir, m)));
    foreach (var (root, model) in models)
    {
        var clock = Stopwatch.StartNew();
        model.WriteTo(root, overwriteConfig: options.WriteConfigs || options.TestModelsDir is not null);
        Console.WriteLine($"ModelForge: wrote {Path.Combine(root, model.Name)} ({model.Config.Role}, {clock.ElapsedMilliseconds} ms)");
    }
    return 0;
}
catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or KeyNotFoundException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"ModelForge: {e.Message}");
    return 1;
}
