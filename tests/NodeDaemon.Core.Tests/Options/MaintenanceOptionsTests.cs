using NodeDaemon.Core.Options;

namespace NodeDaemon.Core.Tests.Options;

/// <summary>The <c>maintenance</c> section: windows as JSON objects in files and as JSON text in the environment, each bad input named.</summary>
public sealed class MaintenanceOptionsTests
{
    private const string Admin = "/etc/nodedaemon/config.d/50-windows.json";

    private static OptionsLoadResult Load(string json) =>
        OptionsLoader.Load([new ConfigFile(Admin, json)], new Dictionary<string, string>());

    private static OptionsLoadResult LoadEnvironment(params (string Name, string Value)[] variables) =>
        OptionsLoader.Load([], variables.ToDictionary(v => v.Name, v => v.Value));

    private static NodeDaemonOptions With(string zone, MaintenanceWindowOptions? window = null) =>
        new() { Maintenance = new MaintenanceOptions { TimeZone = zone, Windows = window is null ? [] : [window] } };

    [Fact]
    public void The_default_is_no_window_in_UTC()
    {
        var options = new NodeDaemonOptions();

        Assert.Empty(options.Maintenance.Windows);
        Assert.Equal("UTC", options.Maintenance.TimeZone);
        Assert.Equal("[]", OptionsLoader.FormatValue(options, "maintenance.windows"));
    }

    [Fact]
    public void Windows_and_the_time_zone_load_from_a_file()
    {
        var result = Load("""
            {
              "maintenance": {
                "windows": [
                  { "days": ["Sat", "Sunday"], "start": "22:30", "lengthMinutes": 120 },
                  { "start": "03:00", "lengthMinutes": 30 },
                ],
                "timeZone": "Europe/Berlin"
              }
            }
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(
            new MaintenanceOptions
            {
                TimeZone = "Europe/Berlin",
                Windows =
                [
                    new() { Days = ["Sat", "Sunday"], Start = "22:30", LengthMinutes = 120 },
                    new() { Start = "03:00", LengthMinutes = 30 },
                ],
            },
            result.Options!.Maintenance);
        Assert.Equal("""[{"days": ["Sat", "Sunday"], "start": "22:30", "lengthMinutes": 120}, {"days": [], "start": "03:00", "lengthMinutes": 30}]""",
            OptionsLoader.FormatValue(result.Options, "maintenance.windows"));
    }

    [Fact]
    public void Windows_load_from_an_environment_variable_as_the_same_JSON()
    {
        var result = LoadEnvironment(
            ("NODEDAEMON_MAINTENANCE__WINDOWS", """[{"days": ["Sat"], "start": "22:30", "lengthMinutes": 120}]"""),
            ("NODEDAEMON_MAINTENANCE__TIME_ZONE", "Europe/Berlin"));

        Assert.Empty(result.Errors);
        var window = Assert.Single(result.Options!.Maintenance.Windows);
        Assert.Equal(new MaintenanceWindowOptions { Days = ["Sat"], Start = "22:30", LengthMinutes = 120 }, window);
        Assert.Equal("Europe/Berlin", result.Options.Maintenance.TimeZone);
    }

    [Fact]
    public void An_empty_environment_variable_clears_the_windows_of_a_file()
    {
        var result = OptionsLoader.Load(
            [new ConfigFile(Admin, """{ "maintenance": { "windows": [{ "start": "22:30", "lengthMinutes": 60 }] } }""")],
            new Dictionary<string, string> { ["NODEDAEMON_MAINTENANCE__WINDOWS"] = "" });

        Assert.Empty(result.Errors);
        Assert.Empty(result.Options!.Maintenance.Windows);
    }

    private const string Shape = "must be a list of windows like [{\"days\": [\"Sat\", \"Sun\"], \"start\": \"22:30\", \"lengthMinutes\": 120}]";

    public static TheoryData<string, string> ShapeErrors => new()
    {
        { """{ "maintenance": { "windows": "Sat 22:30" } }""", $"maintenance.windows in {Admin} {Shape}, got \"Sat 22:30\"" },
        { """{ "maintenance": { "windows": [ "Sat 22:30" ] } }""", $"maintenance.windows in {Admin} {Shape}: windows[0] is \"Sat 22:30\", not an object" },
        { """{ "maintenance": { "windows": [ { "start": "22:30", "lenghtMinutes": 60 } ] } }""",
            $"maintenance.windows in {Admin} {Shape}: windows[0] has an unknown key \"lenghtMinutes\"; did you mean \"lengthMinutes\"?" },
        { """{ "maintenance": { "windows": [ { "start": "22:30", "lengthMinutes": 60 }, { "days": "Sat", "start": "22:30", "lengthMinutes": 60 } ] } }""",
            $"maintenance.windows in {Admin} {Shape}: windows[1].days must be a list of day names like [\"Sat\", \"Sun\"], got \"Sat\"" },
        { """{ "maintenance": { "windows": [ { "start": 2230, "lengthMinutes": 60 } ] } }""",
            $"maintenance.windows in {Admin} {Shape}: windows[0].start must be a string like \"22:30\", got 2230" },
        { """{ "maintenance": { "windows": [ { "start": "22:30", "lengthMinutes": "2h" } ] } }""",
            $"maintenance.windows in {Admin} {Shape}: windows[0].lengthMinutes must be an integer, got \"2h\"" },
        { """{ "maintenance": { "windows": [ { "days": ["Sat"] } ] } }""",
            $"maintenance.windows in {Admin} {Shape}: windows[0] needs \"start\" and \"lengthMinutes\"" },
        { """{ "maintenance": { "windows": [ { "start": "22:30", "start": "23:00", "lengthMinutes": 60 } ] } }""",
            $"maintenance.windows in {Admin} {Shape}: windows[0].start is set twice" },
        { """{ "maintenance": { "timeZone": 1 } }""", $"maintenance.timeZone in {Admin} must be a string, got 1" },
        { """{ "maintenance": [] }""", $"maintenance in {Admin} must be an object, got an array" },
    };

    [Theory]
    [MemberData(nameof(ShapeErrors))]
    public void Wrong_shapes_name_the_window_and_the_key(string json, string expected)
    {
        var result = Load(json);

        Assert.Null(result.Options);
        Assert.Equal([expected], result.Errors);
    }

    [Fact]
    public void Environment_text_that_is_not_JSON_says_so()
    {
        var result = LoadEnvironment(("NODEDAEMON_MAINTENANCE__WINDOWS", "Sat 22:30 120m"));

        Assert.Equal(
            [$"maintenance.windows in environment variable NODEDAEMON_MAINTENANCE__WINDOWS must be the JSON text of a list of windows like [{{\"days\": [\"Sat\", \"Sun\"], \"start\": \"22:30\", \"lengthMinutes\": 120}}], got \"Sat 22:30 120m\""],
            result.Errors);
    }

    public static TheoryData<string, NodeDaemonOptions, string?> ValueCases => new()
    {
        { "every day", With("UTC", new() { Start = "22:30", LengthMinutes = 120 }), null },
        { "full names, any case", With("Europe/Berlin", new() { Days = ["SATURDAY", "sun"], Start = "0:00", LengthMinutes = 10080 }), null },
        { "unknown day", With("UTC", new() { Days = ["Sat", "Caturday"], Start = "22:30", LengthMinutes = 60 }),
            "maintenance.windows[0].days[1] must be a day name (Mon, Tue, Wed, Thu, Fri, Sat, Sun or the full English name), got \"Caturday\"" },
        { "hour 24", With("UTC", new() { Start = "24:00", LengthMinutes = 60 }),
            "maintenance.windows[0].start must be a 24-hour time HH:MM like \"22:30\", got \"24:00\"" },
        { "am/pm", With("UTC", new() { Start = "10pm", LengthMinutes = 60 }),
            "maintenance.windows[0].start must be a 24-hour time HH:MM like \"22:30\", got \"10pm\"" },
        { "length 0", With("UTC", new() { Start = "22:30", LengthMinutes = 0 }),
            "maintenance.windows[0].lengthMinutes must be between 1 and 10080 minutes, got 0" },
        { "length over a week", With("UTC", new() { Start = "22:30", LengthMinutes = 10081 }),
            "maintenance.windows[0].lengthMinutes must be between 1 and 10080 minutes, got 10081" },
        { "unknown zone", With("Europe/Atlantis"),
            "maintenance.timeZone must be an IANA time zone name like \"Europe/Berlin\" or \"UTC\" (from /usr/share/zoneinfo, case matters), got \"Europe/Atlantis\"" },
        { "empty zone", With(""),
            "maintenance.timeZone must be an IANA time zone name like \"Europe/Berlin\" or \"UTC\" (from /usr/share/zoneinfo, case matters), got \"\"" },
    };

    [Theory]
    [MemberData(nameof(ValueCases))]
    public void Bad_values_name_the_key_and_the_value(string name, NodeDaemonOptions options, string? error)
    {
        Assert.NotNull(name);
        Assert.Equal(error is null ? [] : [error], options.Validate());
    }

    [Fact]
    public void Every_bad_window_is_reported_at_once_with_where_it_was_set()
    {
        var result = Load("""
            { "maintenance": { "windows": [ { "days": ["Sa"], "start": "25:00", "lengthMinutes": 0 } ], "timeZone": "CEST" } }
            """);

        Assert.Equal(4, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.EndsWith($"(set in {Admin})", e, StringComparison.Ordinal));
        Assert.StartsWith("maintenance.windows[0].days[0] ", result.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("maintenance.timeZone ", result.Errors[3], StringComparison.Ordinal);
    }
}
