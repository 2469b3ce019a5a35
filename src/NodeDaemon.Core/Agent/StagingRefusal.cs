namespace NodeDaemon.Core.Agent;

/// <summary>A staging slot request that got none (every pull of the pool is under way): what to tell people, and when to ask again.</summary>
/// <param name="Message">The answer's line for the node's <c>message</c>.</param>
/// <param name="Target">The notes key of the image the refused request was for; a refusal for another image does not hold back a new request.</param>
/// <param name="RetryAt">Not before this instant is a staging slot asked for again.</param>
public sealed record StagingRefusal(string Message, string Target, DateTimeOffset RetryAt);
