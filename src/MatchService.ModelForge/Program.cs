using System.Diagnostics;
using MatchService.ModelForge;

try
{
    var options = ModelForgeOptions.Parse(args);
    var models = options.TestModelsDir is null
        ? DefaultModels.All(options.Sources)
        : MatchService.ModelForge.TestModels.TestModelSet.All();
    var root = options.TestModelsDir ?? options.ModelsDir;
    foreach (var model in models)
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
