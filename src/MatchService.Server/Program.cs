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
await app.RunAsync();
return 0;
