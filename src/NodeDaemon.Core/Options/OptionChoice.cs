namespace NodeDaemon.Core.Options;

/// <summary>One allowed name of a <see cref="OptionKind.Choice"/> key and the enum value it stands for.</summary>
/// <param name="Name">The camelCase name as documented.</param>
/// <param name="Value">The boxed enum value.</param>
internal sealed record OptionChoice(string Name, object Value);
