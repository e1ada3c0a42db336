using MatchService.Server.Hosting;
using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;

namespace MatchService.Server.Tests;

/// <summary>
/// The manifests under k8s/ agree with the service: every ConfigMap key is a real setting that validates, probes and
/// ports point where the server listens, the Service is headless, and the autoscaler's metric is one the service exports.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string K8s = Path.Combine(RepoPaths.Root, "k8s");

    [Fact]
    public void ConfigMap_keys_are_host_settings_that_validate()
    {
        var data = Mapping(Load("configmap.yaml"), "data");
        var settings = data.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!.Replace("__", ":", StringComparison.Ordinal),
            e => ((YamlScalarNode)e.Value).Value);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        // Binding with ErrorOnUnknownConfiguration rejects a key the server does not have (a typo would be silently ignored).
        var options = new MatchServerOptions();
        configuration.GetSection(MatchServerOptions.Section).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        var validation = new MatchServerOptionsValidator().Validate(null, options);
        Assert.False(validation.Failed, validation.FailureMessage);
        Assert.NotNull(options.MaxConnectionAge);

        // The grace period outlasts the drain, so calls in flight finish before the kubelet kills the pod.
        var pod = Mapping(Mapping(Mapping(Load("deployment.yaml"), "spec"), "template"), "spec");
        var grace = int.Parse(Scalar(pod, "terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(TimeSpan.FromSeconds(grace) > options.DrainTimeout, $"terminationGracePeriodSeconds {grace} <= DrainTimeout {options.DrainTimeout}");
    }

    [Fact]
    public void Probes_use_gRPC_health_on_the_serving_port_and_ask_for_a_GPU()
    {
        var settings = Mapping(Load("configmap.yaml"), "data");
        var grpcPort = Scalar(settings, "Match__Port");
        var pod = Mapping(Mapping(Mapping(Load("deployment.yaml"), "spec"), "template"), "spec");
        var container = (YamlMappingNode)((YamlSequenceNode)pod.Children[new YamlScalarNode("containers")]).Children[0];

        foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
        {
            var grpc = Mapping(Mapping(container, probe), "grpc");
            Assert.Equal(grpcPort, Scalar(grpc, "port"));
        }
        Assert.Equal("match.v1.MatchService", Scalar(Mapping(Mapping(container, "readinessProbe"), "grpc"), "service"));
        Assert.Equal("1", Scalar(Mapping(Mapping(container, "resources"), "limits"), "nvidia.com/gpu"));
    }

    [Fact]
    public void Service_is_headless_so_clients_balance_across_pods()
    {
        var spec = Mapping(Load("service.yaml"), "spec");
        Assert.Equal("None", Scalar(spec, "clusterIP"));
    }

    [Fact]
    public void Autoscaler_scales_on_a_metric_the_engine_exports()
    {
        var metric = Mapping(Mapping((YamlMappingNode)((YamlSequenceNode)Mapping(Load("hpa.yaml"), "spec").Children[new YamlScalarNode("metrics")]).Children[0], "pods"), "metric");
        var name = Scalar(metric, "name");
        var source = File.ReadAllText(Path.Combine(RepoPaths.Root, "src/MatchService.Inference/Telemetry/InferenceInstruments.cs"));
        Assert.Contains($"\"{name}\"", source, StringComparison.Ordinal);
    }

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(K8s, file));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Mapping(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;
}
