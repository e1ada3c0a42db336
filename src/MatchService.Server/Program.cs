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
catch (OptionsValidationException ex)
{
    Console.Error.WriteLine("MatchService.Server: invalid configuration:");
    foreach (var failure in ex.Failures)
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
