using System.Net;
using MatchService.Server.Hosting;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Playground;

/// <summary>
/// Checks <c>Match:Playground</c> when it is enabled: an IP and port for its listener, and a plaintext server without a
/// bearer token (the page is a local developer tool and would have to carry the secret). A second validator of section
/// <c>Match</c>, beside <see cref="MatchServerOptionsValidator"/>, because the rule spans the server's settings.
/// </summary>
internal sealed class PlaygroundOptionsValidator : IValidateOptions<MatchServerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MatchServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var playground = options.Playground;
        var errors = new ValidateOptionsResultBuilder();
        if (!playground.Enabled)
        {
            return errors.Build();
        }

        if (!string.IsNullOrEmpty(options.BearerToken) || !string.IsNullOrEmpty(options.Tls.CertificatePath))
        {
            errors.AddError("Match:Playground:Enabled: the playground is a local developer tool for a plaintext server without Match:BearerToken; turn it off, or the token and TLS");
        }

        if (playground.Port is < 0 or > 65535 || !IPAddress.TryParse(playground.Address, out _))
        {
            errors.AddError($"Match:Playground: Address must be an IP and Port 0-65535 (got '{playground.Address}', {playground.Port})");
        }

        return errors.Build();
    }
}
