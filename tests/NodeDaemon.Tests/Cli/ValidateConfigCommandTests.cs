namespace NodeDaemon.Tests.Cli;

/// <summary><c>nodedaemon validate-config</c>: every problem at once, exit 2.</summary>
public sealed class ValidateConfigCommandTests : IDisposable
{
    private readonly DirectoryInfo _vendor = Directory.CreateTempSubdirectory("nodedaemon-vendor-");
    private readonly DirectoryInfo _admin = Directory.CreateTempSubdirectory("nodedaemon-admin-");

    [Fact]
    public void A_file_with_three_mistakes_prints_all_three_and_exits_2()
    {
        File.WriteAllText(Path.Combine(_admin.FullName, "50-site.json"), """
            {
              "drain": { "concurrency": "eight", "timeoutSecond": 600 },
              "fleet": { "maxUnavailable": "0%" }
            }
            """);

        var result = CliRunner.Run("validate-config", "--config-dir", _vendor.FullName, "--config-dir", _admin.FullName);

        Assert.Equal(2, result.ExitCode);
        var problems = result.Error.Split('\n').Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("drain.concurrency", StringComparison.Ordinal) && p.Contains("must be an integer", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("\"drain.timeoutSecond\"", StringComparison.Ordinal) && p.Contains("did you mean", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("fleet.maxUnavailable", StringComparison.Ordinal));
        Assert.Contains("3 problem(s) found", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Admin_files_override_vendor_files_and_a_valid_result_exits_0()
    {
        File.WriteAllText(Path.Combine(_vendor.FullName, "10-defaults.json"), """{ "drain": { "concurrency": 0 } }""");
        File.WriteAllText(Path.Combine(_admin.FullName, "10-defaults.json"), """{ "drain": { "concurrency": 4 } }""");

        var result = CliRunner.Run("validate-config", "--config-dir", _vendor.FullName, "--config-dir", _admin.FullName);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("configuration is valid", result.Output, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_admin.FullName, "10-defaults.json"), result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(_vendor.FullName, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void No_allow_list_with_unverified_images_is_a_warning_not_an_error()
    {
        var result = CliRunner.Run("validate-config", "--config-dir", _vendor.FullName, "--config-dir", _admin.FullName);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("configuration is valid", result.Output, StringComparison.Ordinal);
        Assert.Contains("warning: allowedImages is empty while signaturePolicy is \"unverified\"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_allow_list_has_no_warning()
    {
        File.WriteAllText(Path.Combine(_admin.FullName, "50-site.json"), """{ "allowedImages": ["quay.io/fedora/fedora-coreos"] }""");

        var result = CliRunner.Run("validate-config", "--config-dir", _vendor.FullName, "--config-dir", _admin.FullName);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("warning:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_allowed_image_entry_is_an_error_in_words_and_exits_2()
    {
        File.WriteAllText(Path.Combine(_admin.FullName, "50-site.json"), """{ "allowedImages": ["quay.io/fedora/../x"] }""");

        var result = CliRunner.Run("validate-config", "--config-dir", _vendor.FullName, "--config-dir", _admin.FullName);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: allowedImages in ", result.Error, StringComparison.Ordinal);
        Assert.Contains("item [0] must be a registry host with an optional repository path", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_explicit_file_is_a_problem()
    {
        var result = CliRunner.Run("validate-config", "--config-dir", _vendor.FullName, "--config", "/nonexistent/nodedaemon.json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("/nonexistent/nodedaemon.json", result.Error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _vendor.Delete(recursive: true);
        _admin.Delete(recursive: true);
    }
}
