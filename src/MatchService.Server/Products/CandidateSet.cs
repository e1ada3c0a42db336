using Google.Protobuf;
using Google.Protobuf.Collections;
using Grpc.Core;
using MatchService.Matching.Vectors;
using ProtoCandidate = MatchService.Contracts.V1.Candidate;

namespace MatchService.Server.Products;

/// <summary>One validated candidate: its image bytes to embed, or its precomputed embedding (L2-normalised).</summary>
/// <param name="Id">The client's id.</param>
/// <param name="Category">Its category.</param>
/// <param name="Image">Encoded image, or null.</param>
/// <param name="Embedding">Unit-length embedding, or null.</param>
internal sealed record CandidateItem(string Id, string Category, ByteString? Image, float[]? Embedding);

/// <summary>
/// The candidates of one call, checked as they arrive (inline or over the stream), so that a bad one fails the call
/// before any model runs: id present and unique, category present, content present, the limit on the count, and a
/// precomputed embedding of the product model's dimension with finite, not all-zero values.
/// </summary>
internal sealed class CandidateSet(int maxCandidates, int dimension, string modelName)
{
    private readonly List<CandidateItem> _items = [];
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    /// <summary>The candidates in arrival order.</summary>
    public IReadOnlyList<CandidateItem> Items => _items;

    /// <summary>Adds one; INVALID_ARGUMENT naming the candidate when it is not acceptable.</summary>
    public void Add(ProtoCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var position = _items.Count;
        var name = string.IsNullOrEmpty(candidate.Id) ? $"candidates[{position}]" : $"candidate '{candidate.Id}'";
        if (position >= maxCandidates)
        {
            throw Invalid($"{name} is candidate {position + 1}; the limit is {maxCandidates} candidates per call (Products:MaxCandidates)");
        }

        if (string.IsNullOrEmpty(candidate.Id))
        {
            throw Invalid($"{name}: id is empty; every candidate needs an id");
        }

        if (!_ids.Add(candidate.Id))
        {
            throw Invalid($"{name} appears twice; candidate ids must be unique within a call");
        }

        if (string.IsNullOrEmpty(candidate.Category))
        {
            throw Invalid($"{name}: category is empty; the category filter needs every candidate's category");
        }

        switch (candidate.ContentCase)
        {
            case ProtoCandidate.ContentOneofCase.Image:
                _items.Add(new CandidateItem(candidate.Id, candidate.Category, candidate.Image, null));
                break;
            case ProtoCandidate.ContentOneofCase.Embedding:
                _items.Add(new CandidateItem(candidate.Id, candidate.Category, null, CheckedEmbedding(name, candidate.Embedding.Values)));
                break;
            default:
                throw Invalid($"{name} has neither image nor embedding");
        }
    }

    private float[] CheckedEmbedding(string name, RepeatedField<float> values)
    {
        if (dimension > 0 && values.Count != dimension)
        {
            throw Invalid($"{name}: embedding has {values.Count} values; the product model '{modelName}' gives {dimension}");
        }

        var vector = values.ToArray();
        for (var i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                throw Invalid($"{name}: embedding[{i}] is {vector[i]}; every value must be finite");
            }
        }

        if (vector.All(v => v == 0f))
        {
            throw Invalid($"{name}: embedding is all zeros and has no direction");
        }

        VectorMetric.NormalizeInPlace(vector, name);
        return vector;
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
