using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace MatchService.Server.Hosting;

/// <summary>Kestrel for gRPC: HTTP/2 only, h2c or TLS (optionally mutual), stream limits and bounded connection age.</summary>
internal static class KestrelSetup
{
    /// <summary>
    /// The longest <c>Match:MaxConnectionAge</c>: with its 10 % jitter it must fit a timer (at most 2^32 - 2 ms, about
    /// 49.7 days), which would otherwise throw on every accepted connection.
    /// </summary>
    public static readonly TimeSpan MaxConnectionAge = TimeSpan.FromDays(40);

    /// <summary>Applies the options to Kestrel.</summary>
    public static void Configure(KestrelServerOptions kestrel, MatchServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(options);
        kestrel.AddServerHeader = false;
        kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxConcurrentStreamsPerConnection;
        kestrel.Listen(IPAddress.Parse(options.Address), options.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (options.MaxConnectionAge is { } age)
            {
                listen.Use(next => connection => LimitAgeAsync(next, connection, age));
            }
            if (options.Tls.Enabled)
            {
                listen.UseHttps(Https(options.Tls));
            }
        });
    }

    private static HttpsConnectionAdapterOptions Https(TlsOptions tls)
    {
        var https = new HttpsConnectionAdapterOptions { ServerCertificate = LoadCertificate(tls) };
        if (tls.ClientCaPath is { Length: > 0 } caPath)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caPath);
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            };
        }
        return https;
    }

    private static X509Certificate2 LoadCertificate(TlsOptions tls)
    {
        var path = tls.CertificatePath!;
        if (path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, tls.CertificatePassword);
        }
        return X509Certificate2.CreateFromPemFile(path, tls.KeyPath);
    }

    /// <summary>
    /// Asks the connection to close gracefully once it is older than <paramref name="age"/> (plus up to 10% jitter so
    /// that connections opened together do not all close together). HTTP/2 answers with GOAWAY; calls in flight finish.
    /// </summary>
    private static async Task LimitAgeAsync(ConnectionDelegate next, ConnectionContext connection, TimeSpan age)
    {
        var jitter = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * age.TotalMilliseconds * 0.1);
        using var timer = new CancellationTokenSource(age + jitter);
        using var registration = timer.Token.Register(() => connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose());
        await next(connection).ConfigureAwait(false);
    }
}
