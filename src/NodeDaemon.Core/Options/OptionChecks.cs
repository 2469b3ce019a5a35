namespace NodeDaemon.Core.Options;

/// <summary>The rule shapes options share, each adding a one-line <see cref="OptionProblem"/> when broken.</summary>
internal sealed class OptionChecks
{
    private readonly List<OptionProblem> _problems = [];

    /// <summary>Everything found so far, in the order checked.</summary>
    public IReadOnlyList<OptionProblem> Problems => _problems;

    /// <summary>Adds a problem for <paramref name="path"/>.</summary>
    public void Add(string path, string message) => _problems.Add(new OptionProblem(path, $"{path} {message}"));

    /// <summary>Adds a problem for a part of <paramref name="path"/>'s value, e.g. <c>[0].start</c> of a list.</summary>
    public void AddAt(string path, string part, string message) => _problems.Add(new OptionProblem(path, $"{path}{part} {message}"));

    /// <summary>An integer within an inclusive range.</summary>
    public void Between(string path, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            Add(path, $"must be between {ValueText.Integer(min)} and {ValueText.Integer(max)}, got {ValueText.Integer(value)}");
        }
    }

    /// <summary>An integer with only a lower bound.</summary>
    public void AtLeast(string path, int value, int min)
    {
        if (value < min)
        {
            Add(path, $"must be at least {ValueText.Integer(min)}, got {ValueText.Integer(value)}");
        }
    }

    /// <summary>A duration, configured in seconds, within an inclusive range.</summary>
    public void SecondsBetween(string path, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            Add(path, $"must be between {ValueText.Seconds(min)} and {ValueText.Seconds(max)} seconds, got {ValueText.Seconds(value)}");
        }
    }

    /// <summary>A path on the node; relative paths would depend on the daemon's working directory.</summary>
    public void AbsolutePath(string path, string? value, bool required)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                Add(path, "must be an absolute path, got an empty value");
            }

            return;
        }

        // The daemon only runs on Linux, so '/' decides, whatever platform the tests run on.
        if (!value.StartsWith('/') || value.Contains('\0', StringComparison.Ordinal))
        {
            Add(path, $"must be an absolute path (starting with '/'), got {ValueText.Quote(value)}");
        }
        else if (value.Any(char.IsControl))
        {
            // A newline or escape in a path only ever comes from a mistake or an attack, and would forge log lines.
            Add(path, $"must be a path without control characters, got {ValueText.Quote(value)}");
        }
    }

    /// <summary>A name checked by one of <see cref="KubernetesNames"/>' functions.</summary>
    public void Name(string path, string? value, Func<string, string?> check, string what)
    {
        if (check(value ?? "") is { } problem)
        {
            Add(path, $"must be {what}: it {problem}, got {ValueText.Quote(value)}");
        }
    }

    /// <summary>A sub-record that code (not the loader) may have set to null.</summary>
    public bool NotNull(string path, object? value)
    {
        if (value is null)
        {
            Add(path, "must not be null");
            return false;
        }

        return true;
    }
}
