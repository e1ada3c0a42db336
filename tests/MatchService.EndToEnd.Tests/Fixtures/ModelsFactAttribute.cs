namespace MatchService.EndToEnd.Tests.Fixtures;

/// <summary>A fact that skips itself, saying why, when the forged default models or the sample photos are missing.</summary>
public sealed class ModelsFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the models are missing.</summary>
    public ModelsFactAttribute()
    {
        if (RepoPaths.MissingModels() is { } why && Skip is null)
        {
            Skip = why;
        }
    }
}
