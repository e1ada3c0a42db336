using System.Net;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Hosting;

/// <summary>Checks the settings at start and names each wrong one with the key to fix.</summary>
public sealed class MatchServerOptionsValidator : IValidateOptions<MatchServerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MatchServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!IPAddress.TryParse(options.Address, out _))
        {
            errors.Add($"Match:Address '{options.Address}' is not an IP address (e.g. 127.0.0.1, 0.0.0.0, ::).");
        }
        if (options.Port is < 0 or > 65535)
        {
            errors.Add($"Match:Port {options.Port} is outside 0..65535.");
        }
        if (!IPAddress.TryParse(options.Metrics.Address, out _))
        {
            errors.Add($"Match:Metrics:Address '{options.Metrics.Address}' is not an IP address.");
        }
        if (options.Metrics.Port is < -1 or > 65535)
        {
            errors.Add($"Match:Metrics:Port {options.Metrics.Port} is outside -1 (off)..65535.");
        }
        if (options.MaxReceiveMessageSize < 1024)
        {
            errors.Add($"Match:MaxReceiveMessageSize {options.MaxReceiveMessageSize} is below 1024 bytes.");
        }
        if (options.MaxSendMessageSize < 1024)
        {
            errors.Add($"Match:MaxSendMessageSize {options.MaxSendMessageSize} is below 1024 bytes.");
        }
        if (options.ResponseCompression is { Length: > 0 } compression && compression != "gzip")
        {
            errors.Add($"Match:ResponseCompression '{compression}' must be 'gzip' or empty (none).");
        }
        if (options.MaxConcurrentStreamsPerConnection < 1)
        {
            errors.Add($"Match:MaxConcurrentStreamsPerConnection {options.MaxConcurrentStreamsPerConnection} must be at least 1.");
        }
        if (options.MaxConnectionAge is { } age && (age <= TimeSpan.Zero || age > KestrelSetup.MaxConnectionAge))
        {
            errors.Add($"Match:MaxConnectionAge {age} must be positive and at most {KestrelSetup.MaxConnectionAge} (or unset).");
        }
        if (options.DrainTimeout < TimeSpan.Zero)
        {
            errors.Add($"Match:DrainTimeout {options.DrainTimeout} must not be negative.");
        }
        if (options.BearerToken is { Length: < 16 } token && token.Length > 0)
        {
            errors.Add("Match:BearerToken is shorter than 16 characters; use a long random token.");
        }
        var tls = options.Tls;
        if (tls.Enabled && !File.Exists(tls.CertificatePath))
        {
            errors.Add($"Match:Tls:CertificatePath '{tls.CertificatePath}' does not exist.");
        }
        if (tls.KeyPath is { Length: > 0 } key && !File.Exists(key))
        {
            errors.Add($"Match:Tls:KeyPath '{key}' does not exist.");
        }
        if (tls.ClientCaPath is { Length: > 0 } ca)
        {
            if (!tls.Enabled)
            {
                errors.Add("Match:Tls:ClientCaPath needs Match:Tls:CertificatePath (mutual TLS runs over TLS).");
            }
            else if (!File.Exists(ca))
            {
                errors.Add($"Match:Tls:ClientCaPath '{ca}' does not exist.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
