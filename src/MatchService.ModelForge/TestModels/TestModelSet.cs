namespace MatchService.ModelForge.TestModels;

/// <summary>Small generated models for the model-driven paths that have no default model (tests only).</summary>
public static class TestModelSet
{
    /// <summary>All test models.</summary>
    public static IReadOnlyList<ForgedModel> All() => [];
}
