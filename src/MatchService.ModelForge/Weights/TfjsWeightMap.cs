using System.Text.Json;

namespace MatchService.ModelForge.Weights;

/// <summary>
/// Reads a TensorFlow.js weights manifest (a <c>*-weights_manifest.json</c>, or the <c>weightsManifest</c> of a graph
/// model's <c>model.json</c>) with its binary shards and dequantises every tensor: quantised entries hold one byte
/// (uint8) or two (uint16) per value, with <c>value = q × scale + min</c>, or an IEEE half (float16); plain entries
/// hold float32 or int32 little-endian values (int32 tensors also keep their exact integers).
/// </summary>
public sealed class TfjsWeightMap
{
    private readonly Dictionary<string, WeightTensor> _tensors;

    private TfjsWeightMap(Dictionary<string, WeightTensor> tensors) => _tensors = tensors;

    /// <summary>Names of all tensors, in manifest order.</summary>
    public IReadOnlyCollection<string> Names => _tensors.Keys;

    /// <summary>The tensor called <paramref name="name"/>; throws with the name when it is missing.</summary>
    public WeightTensor this[string name] =>
        _tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"weight '{name}' is not in the manifest");

    /// <summary>The tensor called <paramref name="name"/>, or null when the manifest has none.</summary>
    public WeightTensor? Find(string name) => _tensors.GetValueOrDefault(name);

    /// <summary>Loads <c>{modelDir}/{modelName}-weights_manifest.json</c> and the shards it names.</summary>
    public static TfjsWeightMap Load(string modelDir, string modelName)
    {
        var manifestPath = Path.Combine(modelDir, modelName + "-weights_manifest.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
        return FromManifest(doc.RootElement, modelDir, manifestPath);
    }

    /// <summary>
    /// Reads the manifest array <paramref name="manifest"/> (groups of <c>paths</c> and <c>weights</c>), whose shard
    /// paths are relative to <paramref name="modelDir"/>; <paramref name="manifestPath"/> names the file in errors.
    /// </summary>
    public static TfjsWeightMap FromManifest(JsonElement manifest, string modelDir, string manifestPath)
    {
        var tensors = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
        foreach (var group in manifest.EnumerateArray())
        {
            var bytes = group.GetProperty("paths").EnumerateArray()
                .SelectMany(p => File.ReadAllBytes(Path.Combine(modelDir, p.GetString()!)))
                .ToArray();
            var offset = 0;
            foreach (var entry in group.GetProperty("weights").EnumerateArray())
            {
                var tensor = Read(entry, bytes, ref offset, manifestPath);
                tensors.Add(tensor.Name, tensor);
            }
            if (offset != bytes.Length)
            {
                throw new InvalidDataException($"{manifestPath}: manifest describes {offset} bytes, shards hold {bytes.Length}");
            }
        }
        return new TfjsWeightMap(tensors);
    }

    private static WeightTensor Read(JsonElement entry, byte[] bytes, ref int offset, string manifestPath)
    {
        var name = entry.GetProperty("name").GetString()!;
        var shape = entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        var dtype = entry.GetProperty("dtype").GetString();
        var count = WeightTensor.ElementCount(shape);
        var values = new float[count];
        if (entry.TryGetProperty("quantization", out var q))
        {
            var qtype = q.GetProperty("dtype").GetString();
            if (qtype == "float16")
            {
                Require(bytes, offset, count * 2, name, manifestPath);
                for (var i = 0; i < count; i++)
                {
                    values[i] = (float)BitConverter.ToHalf(bytes, offset + (2 * i));
                }
                offset += count * 2;
                return new WeightTensor(name, shape, values);
            }
            var scale = q.GetProperty("scale").GetDouble();
            var min = q.GetProperty("min").GetDouble();
            var width = qtype switch
            {
                "uint8" => 1,
                "uint16" => 2,
                _ => throw new InvalidDataException($"{manifestPath}: weight '{name}' has unsupported quantisation dtype '{qtype}'"),
            };
            Require(bytes, offset, count * width, name, manifestPath);
            for (var i = 0; i < count; i++)
            {
                var raw = width == 1 ? bytes[offset + i] : BitConverter.ToUInt16(bytes, offset + (2 * i));
                values[i] = (float)((raw * scale) + min);
            }
            offset += count * width;
        }
        else
        {
            Require(bytes, offset, count * 4, name, manifestPath);
            if (dtype == "int32")
            {
                var ints = new int[count];
                for (var i = 0; i < count; i++)
                {
                    ints[i] = BitConverter.ToInt32(bytes, offset + (4 * i));
                    values[i] = ints[i];
                }
                offset += count * 4;
                return new WeightTensor(name, shape, values) { Ints = ints };
            }
            if (dtype != "float32")
            {
                throw new InvalidDataException($"{manifestPath}: weight '{name}' has unsupported dtype '{dtype}'");
            }
            for (var i = 0; i < count; i++)
            {
                values[i] = BitConverter.ToSingle(bytes, offset + (4 * i));
            }
            offset += count * 4;
        }
        return new WeightTensor(name, shape, values);
    }

    private static void Require(byte[] bytes, int offset, int length, string name, string manifestPath)
    {
        if (offset + length > bytes.Length)
        {
            throw new InvalidDataException($"{manifestPath}: weight '{name}' needs bytes {offset}..{offset + length}, shards hold {bytes.Length}");
        }
    }
}
