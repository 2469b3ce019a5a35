namespace NodeDaemon.Core.Options;

/// <summary>Finds the known key an unknown one was probably meant to be, for "did you mean" hints.</summary>
internal static class KeySuggester
{
    /// <summary>The closest of <paramref name="candidates"/> to <paramref name="typed"/>, or null when none is close.</summary>
    /// <remarks>
    /// Ignores case and '_'/'-' (so <c>Concurrency</c> and <c>max_attempts</c> match), prefers a candidate
    /// that only adds a suffix (<c>timeout</c> → <c>timeoutSeconds</c>, the usual slip with durations),
    /// then the smallest edit distance within about a third of the length.
    /// </remarks>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        var wanted = Normalize(typed);
        if (wanted.Length == 0)
        {
            return null;
        }

        string? best = null;
        var bestScore = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var normalized = Normalize(candidate);
            int score;
            if (normalized == wanted)
            {
                score = 0;
            }
            else if (wanted.Length >= 4 && normalized.StartsWith(wanted, StringComparison.Ordinal))
            {
                score = 1;
            }
            else
            {
                var distance = Distance(wanted, normalized);
                if (distance > Math.Clamp(wanted.Length / 3, 1, 3))
                {
                    continue;
                }

                score = 1 + distance;
            }

            if (score < bestScore)
            {
                (best, bestScore) = (candidate, score);
            }
        }

        return best;
    }

    /// <summary>Lower case without '_' and '-': the form environment segments are matched in, too.</summary>
    public static string Normalize(string name) =>
        string.Concat(name.Where(c => c is not ('_' or '-')).Select(char.ToLowerInvariant));

    // Optimal string alignment distance: Levenshtein plus adjacent transpositions ("concurrnecy").
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
