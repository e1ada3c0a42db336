using MatchService.Matching.Persons;

namespace MatchService.Matching.Tests;

public class BodyRegionTests
{
    [Fact]
    public void HeadShoulderIsTheTopCentredBandOfThePersonBox()
    {
        var hs = new BodyRegions().HeadShoulder(new PersonBox(100, 50, 80, 200));
        Assert.Equal(50, hs.Y);
        Assert.Equal(0.38f * 200, hs.Height, 1e-4);
        Assert.Equal(0.8f * 80, hs.Width, 1e-4);
        Assert.Equal(100 + 40, hs.X + (hs.Width / 2), 1e-4); // centred
    }

    [Fact]
    public void TorsoLiesBelowTheShouldersAndInsideTheBox()
    {
        var person = new PersonBox(0, 0, 50, 100);
        var regions = new BodyRegions();
        var torso = regions.Torso(person);
        Assert.Equal(22, torso.Y, 1e-4);
        Assert.Equal(55, torso.Bottom, 1e-4);
        Assert.Equal(12.5f, torso.X, 1e-4);
        Assert.Equal(25, torso.Width, 1e-4);
        Assert.True(torso.Y > 0 && torso.Bottom < person.Bottom);
    }

    [Fact]
    public void ClampsToTheImage()
    {
        var box = new PersonBox(-10, -5, 30, 30).ClampTo(15, 100);
        Assert.Equal(new PersonBox(0, 0, 15, 25), box);
    }

    [Fact]
    public void RejectsInconsistentFractions()
    {
        Assert.Throws<MatchingArgumentException>(() => new BodyRegions(new BodyRegionOptions { TorsoTop = 0.6f, TorsoBottom = 0.5f }));
    }
}
