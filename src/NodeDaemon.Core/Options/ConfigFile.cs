namespace NodeDaemon.Core.Options;

/// <summary>One configuration file as read from disk by the caller; Core never touches the file system.</summary>
/// <param name="Path">Where it was read from, named in every error about it.</param>
/// <param name="Content">Its text: a JSON object, or empty (whitespace only) to mask a file of the same name.</param>
public sealed record ConfigFile(string Path, string Content);
