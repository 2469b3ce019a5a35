using System.Runtime.InteropServices;
using NodeDaemon.Hosting;

namespace NodeDaemon.Tests.Hosting;

/// <summary>Keeping the system trust store unloaded changes nothing another reader of the environment sees: the two
/// OpenSSL variables are, in libc's environment, what they were before, and a second call loads nothing.</summary>
public sealed partial class SystemTrustStoreTests
{
    [Fact]
    public void The_environment_is_left_as_it_was_and_a_second_call_changes_nothing()
    {
        var file = GetEnv("SSL_CERT_FILE");
        var dir = GetEnv("SSL_CERT_DIR");

        var first = SystemTrustStore.LeaveUnloaded();
        var second = SystemTrustStore.LeaveUnloaded();

        Assert.Equal(file, GetEnv("SSL_CERT_FILE"));
        Assert.Equal(dir, GetEnv("SSL_CERT_DIR"));
        Assert.Equal(first, second);
    }

    /// <summary>libc's own getenv, not .NET's managed copy of the environment.</summary>
    internal static string? GetEnv(string name) => Marshal.PtrToStringUTF8(NativeGetEnv(name));

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr NativeGetEnv(string name);
}
