using MatchService.Server.Hosting;
using Microsoft.Extensions.Options;

if (args.Any(a => a is "--help" or "-h" or "-?"))
{
    Console.WriteLine(HelpText.Usage);
    return 0;
}

WebApplication app;
try
{
    app = MatchServerHost.Build(args);
}
catch (Exception ex) when (ex is OptionsValidationException || (ex is AggregateException all && all.InnerExceptions.All(e => e is OptionsValidationException)))
{
    // One section's wrong settings, or several sections' (one exception each): every key to fix, then exit code 2.
    Console.Error.WriteLine("MatchService.Server: invalid configuration:");
    var invalid = ex is AggregateException several ? several.InnerExceptions.Cast<OptionsValidationException>() : [(OptionsValidationException)ex];
    foreach (var failure in invalid.SelectMany(e => e.Failures))
    {
        Console.Error.WriteLine($"  {failure}");
    }
    return 2;
}
try
{
    await app.RunAsync();
}
catch (Exception ex) when (ex is not OperationCanceledException)
{
    // Start-up failed (a model that does not load, a device that cannot start, a port in use): the log has the
    // details; end with one line and a plain exit code rather than an unhandled exception.
    Console.Error.WriteLine($"MatchService.Server: could not start: {ex.Message}");
    return 3;
}
return 0;
