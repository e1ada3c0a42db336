namespace MatchService.Server.Hosting;

/// <summary>The text of <c>--help</c>.</summary>
internal static class HelpText
{
    /// <summary>Usage and every option with its default.</summary>
    public static string Usage { get; } = """
        MatchService.Server — gRPC inference service (HTTP/2 only; h2c on 127.0.0.1:50051 by default).

        Usage: dotnet MatchService.Server.dll [--Match:Key=value ...]

        Settings come from appsettings.json, then environment variables (Match__Port=50052,
        Match__Tls__CertificatePath=/tls/tls.crt), then the command line (--Match:Port=50052).

          Match:Address                           IP to listen on                          127.0.0.1
          Match:Port                              gRPC port (0 = any free port)            50051
          Match:MaxReceiveMessageSize             largest request message, bytes           16777216
          Match:MaxSendMessageSize                largest response message, bytes          67108864
          Match:ResponseCompression               gzip: compress responses when accepted    (none)
          Match:MaxConcurrentStreamsPerConnection concurrent calls per HTTP/2 connection   100
          Match:MaxConnectionAge                  close connections older than this        (never)
                                                  gracefully (GOAWAY), e.g. 00:05:00
          Match:DrainTimeout                      SIGTERM: time for calls in flight        00:00:30
          Match:BearerToken                       require 'authorization: Bearer <token>'   (none)
                                                  on every call except health
          Match:Tls:CertificatePath               server certificate (PEM or .pfx/.p12)     (none: h2c)
          Match:Tls:KeyPath                       PEM private key of the certificate        (none)
          Match:Tls:CertificatePassword           password of a .pfx/.p12 file              (none)
          Match:Tls:ClientCaPath                  PEM CA of client certificates: mutual TLS (none)
          Match:Metrics:Address                   IP of the Prometheus listener (HTTP/1.1)  127.0.0.1
          Match:Metrics:Port                      GET /metrics port (0 = any, -1 = off)     9464
          Match:Playground:Enabled                developer page for photos (HTTP/1.1)      false
          Match:Playground:Port                   its port (0 = any)                        8090

          Pipeline:ModelsPath                     model repository (one folder per model)   models
          Pipeline:MaxImagePixels                 largest image, width x height             40000000
          Pipeline:MaxImageBytes                  largest encoded image, bytes              33554432
          Pipeline:ModelTimeoutMs                 override every model's timeout_ms (0=no)  0
          Pipeline:MaxDecodedPixelsInFlight       decoded pixels held at once, all calls    0 (= memory / 8 / 3)
          Pipeline:ReleaseMemoryAfterIdleSeconds  give pooled image memory back after idle  10

          Inference:Session:IntraOpThreads        threads per CPU instance                  0 (cores ÷ CPU instances)
          Inference:Session:AllowSpinning         ONNX Runtime threads spin between work    false
          Inference:Session:CpuMemoryArena        ONNX Runtime's CPU arena (never shrinks)  true
          Inference:Session:GraphOptimizationLevel
                                                  0 none, 1 basic, 2 extended, 99 all       99
          Inference:PackingThreads                threads packing one batch's images        0 (one per core)
          Inference:UnhealthyAfterFailures        failed batches in a row: unhealthy        3
          Inference:ComputeNice                   models and decodes run this many nice     10
                                                  levels below reading calls (Linux)

        Sections Faces:*, Persons:* and Products:* hold the methods' thresholds and limits (README, "Configuration").

        Services: match.v1.MatchService, grpc.health.v1.Health, grpc.reflection.v1 and v1alpha.
        Try: matchctl health --address http://127.0.0.1:50051
        """;
}
