using NodeDaemon.Core.Options;
using NodeDaemon.Core.Files;

namespace NodeDaemon.Configuration;

/// <summary>Finds the configuration drop-ins with systemd's <c>*.conf.d</c> rules and reads them.</summary>
public static class ConfigFileSource
{
    // Hidden files (editor backups such as .#10-drain.json) are skipped, which is EnumerationOptions' default on Unix.
    private static readonly EnumerationOptions _enumeration = new()
    {
        MatchType = MatchType.Simple,
        MatchCasing = MatchCasing.CaseSensitive,
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
    };

    /// <summary>The largest configuration file read: a drop-in is a few hundred bytes; this is far past any real one.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>The vendor directory (shipped by the RPM), then the admin's, which overrides it.</summary>
    public static IReadOnlyList<string> DefaultDirectories { get; } = ["/usr/lib/nodedaemon/config.d", "/etc/nodedaemon/config.d"];

    /// <summary>
    /// Collects <c>*.json</c> from every directory; a file in a later directory replaces the same-named file of an
    /// earlier one (an empty file or a symlink to <c>/dev/null</c> thus masks it). The survivors are ordered by file
    /// name (ordinal), and <paramref name="explicitFiles"/> (<c>--config</c>) come last in the order given.
    /// </summary>
    /// <param name="directories">Directories in increasing precedence; missing ones are skipped.</param>
    /// <param name="explicitFiles">Files named on the command line; each must exist.</param>
    public static ConfigDiscovery Discover(IReadOnlyList<string> directories, IReadOnlyList<string>? explicitFiles = null)
    {
        ArgumentNullException.ThrowIfNull(directories);

        var errors = new List<string>();
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var directory in directories)
        {
            foreach (var path in List(directory, errors))
            {
                byName[Path.GetFileName(path)] = path;
            }
        }

        var files = new List<ConfigFile>();
        foreach (var name in byName.Keys.Order(StringComparer.Ordinal))
        {
            Read(byName[name], files, errors);
        }

        foreach (var path in explicitFiles ?? [])
        {
            Read(path, files, errors);
        }

        return new ConfigDiscovery(files, errors);
    }

    private static string[] List(string directory, List<string> errors)
    {
        if (!Directory.Exists(directory))
        {
            if (Path.Exists(directory))
            {
                errors.Add($"{directory}: not a directory; a drop-in directory holds *.json files");
            }

            return [];
        }

        try
        {
            return Directory.GetFiles(directory, "*.json", _enumeration);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{directory}: cannot list the directory: {e.Message}");
            return [];
        }
    }

    private static void Read(string path, List<ConfigFile> files, List<string> errors)
    {
        try
        {
            files.Add(new ConfigFile(path, RegularFile.ReadText(path, MaxFileBytes)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: cannot read the file: {e.Message}");
        }
    }
}
