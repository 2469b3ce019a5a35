using System.Text;
using CsCheck;
using NodeDaemon.Core.Options;

namespace NodeDaemon.Tests.Cli;

/// <summary>Generators of hostile documents and variables: valid shapes with members of every wrong type, odd text and depth.</summary>
internal static class HostileInputGenerators
{
    /// <summary>Strings a hand or a server could send: control characters, lone surrogate escapes, quotes, huge runs.</summary>
    public static readonly Gen<string> Text = Gen.OneOf(
        Gen.OneOf<string>("", "true", "True", " true ", "Node", "null", "0", "-1", "1e400", "\\ud800", "\\udc00x", "\\u0000",
            "a\\nb", "\\u001b[2J", "\\u202e", "quay.io/x@sha256:" + new string('a', 64), "../../etc/passwd", "unix:/var/lib/nodedaemon/x"),
        Gen.String[Gen.Char, 0, 40].Select(Escape),
        Gen.Int[0, 5000].Select(n => new string('x', n)));

    /// <summary>A JSON scalar of any kind, including numbers past every range.</summary>
    public static readonly Gen<string> Scalar = Gen.OneOf(
        Text.Select(t => $"\"{t}\""),
        Gen.OneOf<string>("null", "true", "false", "0", "-0", "1e400", "-1e400", "99999999999999999999999", "1.5", "-9223372036854775809",
            "253402300800", "-62135596801"),
        Gen.Long.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Any JSON value, nested up to a few levels, as text.</summary>
    public static readonly Gen<string> Value = Gen.Recursive<string>((depth, inner) => depth >= 3
        ? Scalar
        : Gen.OneOf(
            Scalar,
            inner.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]"),
            Gen.Select(Text, inner).Array[0, 4].Select(pairs => "{" + string.Join(",", pairs.Select(p => $"\"{p.Item1}\":{p.Item2}")) + "}")));

    /// <summary>Text that is not JSON at all, or JSON nested far too deep, or truncated.</summary>
    public static readonly Gen<string> Broken = Gen.OneOf(
        Gen.Int[1, 300].Select(n => new string('[', n) + new string(']', n)),
        Gen.Int[1, 300].Select(n => string.Concat(Enumerable.Repeat("{\"a\":", n)) + "1" + new string('}', n)),
        Value.Select(v => v.Length > 1 ? v[..(v.Length / 2)] : "{"),
        Gen.OneOf<string>("", " ", "{", "}", "\"\\ud800\"", "{\"kind\":\"Node\",\"kind\":5}", "\u0000", "\uFEFF{}"));

    /// <summary>A Node object with each member drawn from the right shape or any value.</summary>
    public static readonly Gen<string> Node = Gen.Select(
        Gen.OneOf(Gen.Const("\"Node\""), Value),
        Gen.OneOf(Annotations.Select(a => $"{{\"name\":\"n1\",\"annotations\":{a},\"labels\":{a}}}"), Value),
        Gen.OneOf(Gen.OneOf<string>("{\"unschedulable\":true}", "{}"), Value),
        Gen.Bool).Select((kind, metadata, spec, wrap) =>
        {
            var body = $"\"apiVersion\":\"v1\",\"kind\":{kind},\"metadata\":{metadata},\"spec\":{spec}";
            return wrap ? "{" + body + "}" : "[{" + body + "}]";
        });

    /// <summary>An <c>rpm-ostree status --json</c> document with odd deployments.</summary>
    public static readonly Gen<string> Status = Gen.OneOf(Deployment, Value).Array[0, 4].Select(entries =>
        "{\"deployments\":[" + string.Join(",", entries) + "],\"transaction\":null}");

    /// <summary>A drop-in: known keys (and near misses) with values of any type.</summary>
    public static readonly Gen<string> ConfigFile = Gen.Select(
        Gen.OneOf(Gen.OneOf<string>([.. OptionsLoader.KnownKeys]), Text), Gen.OneOf(Value, Scalar)).Array[0, 6].Select(pairs =>
            "{" + string.Join(",", pairs.Select(p => Nest(p.Item1, p.Item2))) + "}");

    /// <summary>NODEDAEMON_* variables: known names and near misses, with any text (no NUL: the kernel cannot carry one).</summary>
    public static readonly Gen<Dictionary<string, string>> Variables = Gen.Select(
        Gen.OneOf(Gen.OneOf<string>([.. OptionsLoader.KnownKeys.Select(OptionsLoader.EnvironmentVariableFor)]),
            Gen.String[Gen.Char['A', 'Z'], 0, 12].Select(s => "NODEDAEMON_" + s)),
        Gen.OneOf(Text.Select(Unescape), Gen.String[Gen.Char[(char)1, (char)0xD7FF], 0, 40])).Array[0, 5].Select(pairs =>
        {
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in pairs)
            {
                variables[name] = value;
            }

            return variables;
        });

    private static Gen<string> Annotations => Gen.Select(
        Gen.OneOf<string>("nodedaemon.io/desired-image", "nodedaemon.io/paused", "nodedaemon.io/cordoned-by",
            "machineconfiguration.openshift.io/desiredImage", "x"), Scalar).Array[0, 5]
        .Select(pairs => "{" + string.Join(",", pairs.Select(p => $"\"{p.Item1}\":{p.Item2}")) + "}");

    private static Gen<string> Deployment => Gen.Select(
        Gen.OneOf<string>("booted", "staged", "container-image-reference", "container-image-reference-digest", "checksum", "id", "timestamp", "x"),
        Gen.OneOf(Scalar, Value)).Array[0, 6]
        .Select(pairs => "{" + string.Join(",", pairs.Select(p => $"\"{p.Item1}\":{p.Item2}")) + "}");

    // "drain.timeoutSeconds" becomes {"drain": {"timeoutSeconds": v}}; anything else stays a top-level key.
    private static string Nest(string path, string value)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && !path.Contains('"', StringComparison.Ordinal) && !path.Contains('\\', StringComparison.Ordinal)
            ? $"\"{path[..dot]}\":{{\"{path[(dot + 1)..]}\":{value}}}"
            : $"\"{path}\":{value}";
    }

    // Any .NET string as the inside of a JSON string literal (lone surrogates written as escapes).
    private static string Escape(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            builder.Append(c is '"' or '\\' || char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return builder.ToString();
    }

    private static string Unescape(string text)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize($"\"{text}\"", HostileJsonContext.Default.String) ?? text;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return text;
        }
    }
}

/// <summary>Source-generated string reading for <see cref="HostileInputGenerators"/>.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class HostileJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
