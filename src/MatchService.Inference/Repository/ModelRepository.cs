using MatchService.Inference.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MatchService.Inference.Repository;

/// <summary>
/// The model repository: every <c>&lt;root&gt;/&lt;name&gt;/config.json</c>, validated at start and registered by name and
/// by role, so that pipelines ask for "the face embedder" rather than a file.
/// </summary>
public sealed class ModelRepository
{
    private readonly Dictionary<string, ModelConfig> _byName;
    private readonly Dictionary<ModelRole, ModelConfig> _byRole;

    /// <summary>Builds a repository from configs already read; fails on duplicate names or roles.</summary>
    public ModelRepository(IEnumerable<ModelConfig> models)
    {
        _byName = new Dictionary<string, ModelConfig>(StringComparer.Ordinal);
        _byRole = [];
        foreach (var m in models)
        {
            if (_byName.TryGetValue(m.Name, out var other))
            {
                throw new ModelConfigException(m.ConfigPath, "name", $"\"{m.Name}\" is already used by {other.ConfigPath}");
            }

            if (_byRole.TryGetValue(m.Role, out other))
            {
                throw new ModelConfigException(m.ConfigPath, "role",
                    $"{ModelConfigFile.Word(m.Role)} is already served by model \"{other.Name}\" ({other.ConfigPath}); one model per role");
            }

            _byName.Add(m.Name, m);
            _byRole.Add(m.Role, m);
        }
    }

    /// <summary>All models, by name.</summary>
    public IReadOnlyCollection<ModelConfig> Models => _byName.Values;

    /// <summary>Loads every folder of <paramref name="root"/> that holds a config.json.</summary>
    /// <exception cref="ModelConfigException">The first invalid config, naming its file and field.</exception>
    public static async Task<ModelRepository> LoadAsync(string root, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        logger ??= NullLogger.Instance;
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"model repository {root} does not exist");
        }

        var configs = new List<ModelConfig>();
        foreach (var dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var path = Path.Combine(dir, "config.json");
            if (!File.Exists(path))
            {
                InferenceLog.SkippingFolder(logger, dir);
                continue;
            }

            var config = await ModelConfigFile.ReadAsync(path, cancellationToken).ConfigureAwait(false);
            InferenceLog.ModelRegistered(logger, config.Name, config.Version, config.Role, path);
            configs.Add(config);
        }

        return new ModelRepository(configs);
    }

    /// <summary>The model serving this role.</summary>
    public ModelConfig GetByRole(ModelRole role) =>
        TryGetByRole(role) ?? throw new KeyNotFoundException($"no model with role {ModelConfigFile.Word(role)} in the repository");

    /// <summary>The model serving this role, or null (pipelines then use their rule-based fallback).</summary>
    public ModelConfig? TryGetByRole(ModelRole role) => _byRole.GetValueOrDefault(role);
}
