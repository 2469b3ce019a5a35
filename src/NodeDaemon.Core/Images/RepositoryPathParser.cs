namespace NodeDaemon.Core.Images;

/// <summary>The repository path of an image reference: lowercase components joined by '/', with the separators the distribution spec allows.</summary>
/// <remarks>Part of <see cref="ImageReferenceParser"/>: the input is screened, and reported indexes are shifted by the caller's offset.</remarks>
internal static class RepositoryPathParser
{
    /// <summary>Checks <paramref name="path"/>; <paramref name="problem"/> names what is wrong and where.</summary>
    internal static bool TryValidate(string path, int offset, out string problem)
    {
        if (path.Length == 0)
        {
            problem = InputText.Format($"the repository path at index {offset} is empty");
            return false;
        }

        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '/')
            {
                if (i == 0 || path[i - 1] == '/')
                {
                    problem = InputText.Format($"the repository path has an empty component (\"//\") at index {offset + i}");
                    return false;
                }

                if (i == path.Length - 1)
                {
                    problem = InputText.Format($"the repository path must not end with '/' (index {offset + i})");
                    return false;
                }

                continue;
            }

            if (char.IsAsciiLetterUpper(c))
            {
                problem = InputText.Format($"the repository path must be lowercase: {InputText.Describe(c)} at index {offset + i}");
                return false;
            }

            if (IsPathAlphanumeric(c))
            {
                continue;
            }

            if (c is not ('.' or '_' or '-'))
            {
                problem = InputText.Format($"character {InputText.Describe(c)} is not allowed in the repository path at index {offset + i}");
                return false;
            }

            if (i == 0 || path[i - 1] == '/')
            {
                problem = InputText.Format(
                    $"a repository path component must start with a lowercase letter or digit, not {InputText.Describe(c)} at index {offset + i}");
                return false;
            }

            var end = i;
            while (end < path.Length && path[end] is '.' or '_' or '-')
            {
                end++;
            }

            var separator = path[i..end];
            if (separator is not ("." or "_" or "__") && separator.Trim('-').Length != 0)
            {
                problem = InputText.Format(
                    $"separator \"{InputText.Excerpt(separator)}\" at index {offset + i} is not allowed in the repository path (use '.', '_', '__' or dashes)");
                return false;
            }

            if (end == path.Length || path[end] == '/')
            {
                problem = InputText.Format(
                    $"a repository path component must end with a lowercase letter or digit, not {InputText.Describe(path[end - 1])} at index {offset + end - 1}");
                return false;
            }

            i = end - 1;
        }

        problem = string.Empty;
        return true;
    }

    private static bool IsPathAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
