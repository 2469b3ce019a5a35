namespace NodeDaemon.Core.Options;

/// <summary>One validation failure: the JSON key path it concerns and the full message.</summary>
/// <param name="Path">JSON key path, e.g. <c>drain.concurrency</c>, so the loader can say where it was set.</param>
/// <param name="Message">One line that names the key, the rule and the offending value.</param>
internal readonly record struct OptionProblem(string Path, string Message);
