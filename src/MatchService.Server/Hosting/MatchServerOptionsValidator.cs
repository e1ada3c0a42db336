using System.Net;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Hosting;

/// <summary>Checks section <c>Match</c> at start and names each wrong setting with the key to fix.</summary>
internal sealed class MatchServerOptionsValidator : IValidateOptions<MatchServerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MatchServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        if (!IPAddress.TryParse(options.Address, out _))
        {
            errors.AddError($"Match:Address '{options.Address}' is not an IP address (e.g. 127.0.0.1, 0.0.0.0, ::).");
        }
        if (options.Port is < 0 or > 65535)
        {
            errors.AddError($"Match:Port {options.Port} is outside 0..65535.");
        }
        if (!IPAddress.TryParse(options.Metrics.Address, out _))
        {
            errors.AddError($"Match:Metrics:Address '{options.Metrics.Address}' is not an IP address.");
        }
        if (options.Metrics.Port is < -1 or > 65535)
        {
            errors.AddError($"Match:Metrics:Port {options.Metrics.Port} is outside -1 (off)..65535.");
        }
        if (options.MaxReceiveMessageSize < 1024)
        {
            errors.AddError($"Match:MaxReceiveMessageSize {options.MaxReceiveMessageSize} is below 1024 bytes.");
        }
        if (options.MaxSendMessageSize < 1024)
        {
            errors.AddError($"Match:MaxSendMessageSize {options.MaxSendMessageSize} is below 1024 bytes.");
        }
        if (options.ResponseCompression is { Length: > 0 } compression && compression != "gzip")
        {
            errors.AddError($"Match:ResponseCompression '{compression}' must be 'gzip' or empty (none).");
        }
        if (options.MaxConcurrentStreamsPerConnection < 1)
        {
            errors.AddError($"Match:MaxConcurrentStreamsPerConnection {options.MaxConcurrentStreamsPerConnection} must be at least 1.");
        }
        if (options.MaxConnectionAge is { } age && (age <= TimeSpan.Zero || age > KestrelSetup.MaxConnectionAge))
        {
            errors.AddError($"Match:MaxConnectionAge {age} must be positive and at most {KestrelSetup.MaxConnectionAge} (or unset).");
        }
        if (options.DrainTimeout < TimeSpan.Zero)
        {
            errors.AddError($"Match:DrainTimeout {options.DrainTimeout} must not be negative.");
        }
        if (options.BearerToken is { Length: < 16 } token && token.Length > 0)
        {
            errors.AddError("Match:BearerToken is shorter than 16 characters; use a long random token.");
        }
        var tls = options.Tls;
        if (tls.Enabled && !File.Exists(tls.CertificatePath))
        {
            errors.AddError($"Match:Tls:CertificatePath '{tls.CertificatePath}' does not exist.");
        }
        if (tls.KeyPath is { Length: > 0 } key && !File.Exists(key))
        {
            errors.AddError($"Match:Tls:KeyPath '{key}' does not exist.");
        }
        if (tls.ClientCaPath is { Length: > 0 } ca)
        {
            if (!tls.Enabled)
            {
                errors.AddError("Match:Tls:ClientCaPath needs Match:Tls:CertificatePath (mutual TLS runs over TLS).");
            }
            else if (!File.Exists(ca))
            {
                errors.AddError($"Match:Tls:ClientCaPath '{ca}' does not exist.");
            }
        }
        return errors.Build();
    }
}
