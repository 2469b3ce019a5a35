namespace NodeDaemon.Core.Options;

/// <summary>The value types a configuration key can hold, which decide how JSON and environment text convert.</summary>
internal enum OptionKind
{
    /// <summary>JSON true/false; environment <c>true</c>/<c>false</c>.</summary>
    Boolean,

    /// <summary>A whole number that fits an <see cref="int"/>.</summary>
    Integer,

    /// <summary>Any string.</summary>
    Text,

    /// <summary>A number of seconds, possibly fractional, stored as a <see cref="TimeSpan"/>.</summary>
    Seconds,

    /// <summary>Like <see cref="Seconds"/>, or null for "not set".</summary>
    OptionalSeconds,

    /// <summary>An integer or a string, kept as text (<c>maxUnavailable</c>: <c>2</c> or <c>"10%"</c>).</summary>
    IntegerOrText,

    /// <summary>One of a fixed set of names, matched ignoring case.</summary>
    Choice,

    /// <summary>
    /// A list of maintenance windows: a JSON array of <c>{"days", "start", "lengthMinutes"}</c> objects, and the same
    /// JSON text in an environment variable.
    /// </summary>
    WindowList,

    /// <summary>
    /// A list of image repository prefixes (<c>allowedImages</c>): a JSON array of strings; in an environment variable
    /// the entries separated by commas or white space.
    /// </summary>
    ImagePrefixList,

    /// <summary>
    /// A list of strings (label selectors, unit names): a JSON array of strings; in an environment variable the same
    /// JSON text, because a label selector holds commas of its own.
    /// </summary>
    TextList,
}
