using System.Globalization;

namespace MatchService.Testing;

/// <summary>
/// The calling thread's nice value as Linux reports it (<c>/proc/thread-self/stat</c>, field 19), to check that a thread
/// runs below the request path's priority. Linked into every project under tests/ by Directory.Build.props.
/// </summary>
internal static class ThreadNice
{
    /// <summary>The calling thread's nice value (−20 to 19).</summary>
    public static int OfCurrentThread()
    {
        // The second field, the thread's name, is in parentheses and may hold spaces: count from after it.
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3], CultureInfo.InvariantCulture);
    }

    /// <summary>What a thread at <paramref name="nice"/> reaches when it lowers itself by <paramref name="increment"/>.</summary>
    public static int Lowered(int nice, int increment) => Math.Min(19, nice + increment);
}

