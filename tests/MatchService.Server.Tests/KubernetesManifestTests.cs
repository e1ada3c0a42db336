using System.Globalization;
using Grpc.Health.V1;
using k8s;
using k8s.Models;
using MatchService.Server.Hosting;
using MatchService.Server.Pipeline;
using Microsoft.Extensions.Configuration;
using MatchService.Testing;

namespace MatchService.Server.Tests;

/// <summary>
/// The manifests under k8s/ are valid Kubernetes objects and agree with the service. Every file is parsed with the
/// Kubernetes client's models in strict mode, which rejects unknown fields, wrong types and unknown kinds; the checks
/// below add what a schema cannot see: selectors that select the pods, probes on declared ports asking for health
/// services the real server registers, the GPU, a non-root pod, a grace period longer than the drain, and ConfigMap
/// keys that are real settings.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string K8s = Path.Combine(RepoPaths.Root, "k8s");

    /// <summary>The user the image runs as (Dockerfile.gpu; Microsoft's .NET images call it <c>app</c>).</summary>
    private const long ImageUser = 1654;

    private static readonly Lazy<IReadOnlyList<object>> Manifests = new(() => Directory.GetFiles(K8s, "*.yaml")
        .Order(StringComparer.Ordinal).SelectMany(LoadStrict).ToArray());

    [Fact]
    public void Every_manifest_parses_strictly_as_a_known_kind()
    {
        var kinds = Manifests.Value.Select(m => m.GetType().Name).Order(StringComparer.Ordinal);
        Assert.Equal(["V1ConfigMap", "V1Deployment", "V1PodDisruptionBudget", "V1Service", "V2HorizontalPodAutoscaler"], kinds);
        Assert.All(Manifests.Value.Cast<IKubernetesObject<V1ObjectMeta>>(), m => Assert.Equal("matchservice", m.Metadata.Name));
    }

    [Theory]
    [InlineData("spec: { replicaz: 2 }", "replicaz")] // a misspelt field
    [InlineData("spec: { replicas: two }", "")] // a wrong type
    [InlineData("kind: Deploymnet", "Deploymnet")] // an unknown kind
    public void Strict_parsing_rejects_what_the_api_server_would(string change, string named)
    {
        // The same parser as above, on a manifest with one mistake: proof that the checks above can fail.
        var yaml = change.StartsWith("kind:", StringComparison.Ordinal)
            ? $"apiVersion: apps/v1\n{change}\nmetadata: {{ name: x }}\n"
            : $"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{ name: x }}\n{change}\n";
        var error = Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(yaml, strict: true));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Selectors_select_the_pod_template()
    {
        var deployment = Single<V1Deployment>();
        var labels = deployment.Spec.Template.Metadata.Labels;
        AssertSelects(deployment.Spec.Selector.MatchLabels, labels, "Deployment spec.selector");
        Assert.Null(deployment.Spec.Selector.MatchExpressions);
        AssertSelects(Single<V1Service>().Spec.Selector, labels, "Service spec.selector");
        AssertSelects(Single<V1PodDisruptionBudget>().Spec.Selector.MatchLabels, labels, "PodDisruptionBudget spec.selector");

        var target = Single<V2HorizontalPodAutoscaler>().Spec.ScaleTargetRef;
        Assert.Equal((deployment.ApiVersion, deployment.Kind, deployment.Metadata.Name), (target.ApiVersion, target.Kind, target.Name));
        Assert.Equal(Single<V1ConfigMap>().Metadata.Name, Container().EnvFrom.Single().ConfigMapRef.Name);
    }

    [Fact]
    public void Ports_and_probes_point_where_the_server_listens()
    {
        var settings = Settings();
        var container = Container();
        var ports = container.Ports.ToDictionary(p => p.Name, p => p.ContainerPort, StringComparer.Ordinal);
        Assert.Equal(int.Parse(settings["Match__Port"], CultureInfo.InvariantCulture), ports["grpc"]);
        Assert.Equal(int.Parse(settings["Match__Metrics__Port"], CultureInfo.InvariantCulture), ports["metrics"]);
        Assert.Equal("0.0.0.0", settings["Match__Address"]);
        Assert.Equal("0.0.0.0", settings["Match__Metrics__Address"]);

        foreach (var (name, probe) in Probes(container))
        {
            Assert.True(probe.Grpc is not null, $"{name} is not a gRPC probe");
            Assert.True(ports["grpc"] == probe.Grpc.Port, $"{name} probes port {probe.Grpc.Port}, not the grpc port {ports["grpc"]}");
        }

        // Readiness asks for the MatchService itself, which is NOT_SERVING until every model has warmed up.
        Assert.Equal("match.v1.MatchService", container.ReadinessProbe.Grpc.Service);

        foreach (var port in Single<V1Service>().Spec.Ports)
        {
            var target = port.TargetPort.Value;
            Assert.True(ports.ContainsKey(target) || ports.ContainsValue(int.TryParse(target, out var n) ? n : -1),
                $"Service port {port.Name} targets {target}, which the container does not declare");
        }

        var annotations = Single<V1Deployment>().Spec.Template.Metadata.Annotations;
        Assert.Equal(ports["metrics"].ToString(CultureInfo.InvariantCulture), annotations["prometheus.io/port"]);
    }

    [Fact]
    public async Task Probes_ask_for_health_services_the_server_registers()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.Connect();
        foreach (var (name, probe) in Probes(Container()))
        {
            // An unregistered name answers NOT_FOUND, which the kubelet counts as a failed probe forever.
            await Eventually.UntilAsync(() => client.CheckAsync(probe.Grpc.Service ?? ""), status => status == HealthCheckResponse.Types.ServingStatus.Serving,
                $"{name} service \"{probe.Grpc.Service}\" SERVING");
        }
    }

    [Fact]
    public void The_pod_asks_for_one_GPU_on_a_GPU_node()
    {
        var pod = Single<V1Deployment>().Spec.Template.Spec;
        var resources = Container().Resources;
        Assert.Equal(new ResourceQuantity("1"), resources.Limits["nvidia.com/gpu"]);

        // Extended resources cannot be overcommitted: a request, when given, must equal the limit.
        if (resources.Requests?.TryGetValue("nvidia.com/gpu", out var requested) == true)
        {
            Assert.Equal(resources.Limits["nvidia.com/gpu"], requested);
        }

        Assert.Contains(pod.Tolerations, t => t.Key == "nvidia.com/gpu" && t.OperatorProperty == "Exists");
    }

    [Fact]
    public void The_pod_runs_as_the_image_user_without_privileges()
    {
        var pod = Single<V1Deployment>().Spec.Template.Spec;
        var container = Container();
        Assert.True(pod.SecurityContext?.RunAsNonRoot == true || container.SecurityContext?.RunAsNonRoot == true, "runAsNonRoot is not set");
        Assert.Equal(ImageUser, container.SecurityContext?.RunAsUser ?? pod.SecurityContext?.RunAsUser);
        Assert.False(container.SecurityContext?.AllowPrivilegeEscalation ?? true, "allowPrivilegeEscalation is not false");
        Assert.False(container.SecurityContext?.Privileged ?? false, "the container is privileged");
        Assert.Equal(["ALL"], container.SecurityContext?.Capabilities?.Drop ?? []);

        // A read-only root needs a writable /tmp (the .NET runtime's diagnostics socket, ONNX Runtime's temp files).
        if (container.SecurityContext?.ReadOnlyRootFilesystem == true)
        {
            var tmp = Assert.Single(container.VolumeMounts, m => m.MountPath == "/tmp");
            Assert.Contains(pod.Volumes, v => v.Name == tmp.Name && v.EmptyDir is not null);
        }
    }

    [Fact]
    public void ConfigMap_keys_are_host_settings_that_validate_and_the_grace_period_outlasts_the_drain()
    {
        var settings = Settings().ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        // Binding with ErrorOnUnknownConfiguration rejects a key the server does not have (a typo would be silently ignored).
        var unknownSection = configuration.GetChildren().Select(s => s.Key)
            .Except([MatchServerOptions.Section, PipelineOptions.SectionName], StringComparer.Ordinal).ToArray();
        Assert.True(unknownSection.Length == 0, $"ConfigMap sections this test does not know: {string.Join(", ", unknownSection)}");
        var pipeline = new PipelineOptions();
        configuration.GetSection(PipelineOptions.SectionName).Bind(pipeline, o => o.ErrorOnUnknownConfiguration = true);
        var pipelineValidation = new PipelineOptionsValidator().Validate(null, pipeline);
        Assert.False(pipelineValidation.Failed, pipelineValidation.FailureMessage);
        var options = new MatchServerOptions();
        configuration.GetSection(MatchServerOptions.Section).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        var validation = new MatchServerOptionsValidator().Validate(null, options);
        Assert.False(validation.Failed, validation.FailureMessage);
        Assert.NotNull(options.MaxConnectionAge);

        // The grace period outlasts the drain, so calls in flight finish before the kubelet kills the pod.
        var grace = Single<V1Deployment>().Spec.Template.Spec.TerminationGracePeriodSeconds;
        Assert.True(grace is { } g && TimeSpan.FromSeconds(g) > options.DrainTimeout, $"terminationGracePeriodSeconds {grace} <= DrainTimeout {options.DrainTimeout}");
    }

    [Fact]
    public void Service_is_headless_so_clients_balance_across_pods() => Assert.Equal("None", Single<V1Service>().Spec.ClusterIP);

    [Fact]
    public void Autoscaler_scales_on_a_metric_the_engine_exports()
    {
        var metric = Assert.Single(Single<V2HorizontalPodAutoscaler>().Spec.Metrics).Pods.Metric.Name;
        var source = File.ReadAllText(Path.Combine(RepoPaths.Root, "src/MatchService.Inference/Telemetry/InferenceInstruments.cs"));
        Assert.Contains($"\"{metric}\"", source, StringComparison.Ordinal);
    }

    private static IEnumerable<object> LoadStrict(string path)
    {
        try
        {
            var objects = KubernetesYaml.LoadAllFromString(File.ReadAllText(path), strict: true);
            Assert.True(objects.Count > 0, $"{path} holds no manifest");
            return objects;
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{Path.GetFileName(path)}: {e.Message} {e.InnerException?.Message}", e);
        }
    }

    private static T Single<T>() => Assert.Single(Manifests.Value.OfType<T>());

    private static V1Container Container() => Assert.Single(Single<V1Deployment>().Spec.Template.Spec.Containers);

    private static IDictionary<string, string> Settings() => Single<V1ConfigMap>().Data;

    private static IEnumerable<(string Name, V1Probe Probe)> Probes(V1Container container) =>
        new[] { ("startupProbe", container.StartupProbe), ("readinessProbe", container.ReadinessProbe), ("livenessProbe", container.LivenessProbe) }
            .Select(p => (p.Item1, p.Item2 ?? throw new Xunit.Sdk.XunitException($"the container has no {p.Item1}")));

    private static void AssertSelects(IDictionary<string, string>? selector, IDictionary<string, string> labels, string what)
    {
        Assert.True(selector is { Count: > 0 }, $"{what} is empty");
        foreach (var (key, value) in selector)
        {
            Assert.True(labels.TryGetValue(key, out var actual) && actual == value, $"{what} {key}={value} does not match the pod template's labels");
        }
    }
}
