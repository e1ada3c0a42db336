namespace MatchService.Inference.Configuration;

/// <summary>A model's config.json (or its .onnx file) does not fit the schema; names the file and the field.</summary>
public sealed class ModelConfigException : Exception
{
    /// <summary>Creates the error as "path: field message".</summary>
    public ModelConfigException(string configPath, string field, string message, Exception? inner = null)
        : base(string.IsNullOrEmpty(field) ? $"{configPath}: {message}" : $"{configPath}: {field} {message}", inner)
    {
        ConfigPath = configPath;
        Field = field;
    }

    /// <summary>The config.json at fault.</summary>
    public string ConfigPath { get; }

    /// <summary>The dotted field path at fault (e.g. <c>batching.max_batch_size</c>); empty for whole-file errors.</summary>
    public string Field { get; }
}
