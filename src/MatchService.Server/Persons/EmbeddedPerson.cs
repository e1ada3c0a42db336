using MatchService.Matching.Persons;

namespace MatchService.Server.Persons;

/// <summary>Where a person box came from.</summary>
internal enum PersonBoxSource
{
    /// <summary>Given in the request.</summary>
    Client,

    /// <summary>Found by the person detector model.</summary>
    Detector,

    /// <summary>No boxes and no detector: the whole image is the person.</summary>
    WholeImage,
}

/// <summary>One embedded person of one image.</summary>
/// <param name="Index">0-based index within its image.</param>
/// <param name="Box">The person box in image pixels.</param>
/// <param name="BoxSource">Client, detector or whole image.</param>
/// <param name="DetectorScore">The detector's score, 0 when it did not find the box.</param>
/// <param name="Global">f_g, L2-normalised.</param>
/// <param name="HeadShoulderBox">The head-shoulder box in image pixels.</param>
/// <param name="LocatedByModel">True when a head-shoulder locator found the box, false for the geometric prior.</param>
/// <param name="HeadShoulder">f_h, L2-normalised.</param>
/// <param name="Weights">w_g, w_h and why.</param>
/// <param name="Representation">f = [w_g · f_g, w_h · f_h].</param>
/// <param name="TorsoBox">Where the dark-clothing share was measured, in image pixels.</param>
/// <param name="TorsoFromKeypoints">True when the torso is shoulders-to-hips from the detector's keypoints, false for the prior band.</param>
internal sealed record EmbeddedPerson(
    int Index,
    PersonBox Box,
    PersonBoxSource BoxSource,
    float DetectorScore,
    float[] Global,
    PersonBox HeadShoulderBox,
    bool LocatedByModel,
    float[] HeadShoulder,
    PersonWeights Weights,
    float[] Representation,
    PersonBox TorsoBox,
    bool TorsoFromKeypoints);
