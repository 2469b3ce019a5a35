using System.Runtime.InteropServices;
using NodeDaemon.Hosting;

namespace NodeDaemon.Tests.Hosting;

/// <summary>libc's environment swapped for one call, as the trust store's first load needs it: inside, the names read
/// empty and nothing else moves; the array libc had is never written, and is libc's again after; meanwhile a reader on
/// another thread always finds what is there.</summary>
public sealed class LibcEnvironmentTests
{
    private static readonly string[] s_names = ["SSL_CERT_FILE", "SSL_CERT_DIR"];

    /// <summary>Names no environment has, as the two above are absent under the shipped unit (this machine's shell sets
    /// them): adding a variable is what makes <c>setenv</c> reallocate the array.</summary>
    private static readonly string[] s_absent = ["NODEDAEMON_TEST_ABSENT_FILE", "NODEDAEMON_TEST_ABSENT_DIR"];

    [Fact]
    public void Inside_the_call_the_names_read_empty_and_every_other_variable_is_as_it_was()
    {
        var path = SystemTrustStoreTests.GetEnv("PATH");

        var inside = LibcEnvironment.WhileEmpty(s_names,
            () => (SystemTrustStoreTests.GetEnv("SSL_CERT_FILE"), SystemTrustStoreTests.GetEnv("SSL_CERT_DIR"), SystemTrustStoreTests.GetEnv("PATH")));

        Assert.Equal(("", "", path), inside);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_array_a_reader_may_be_walking_is_never_written_and_is_libcs_again_afterwards(bool absent)
    {
        var names = absent ? s_absent : s_names;
        var before = LibcEnvironment.Current;
        var entries = Entries(before);

        var inside = LibcEnvironment.WhileEmpty(names, () => (Entries(before), SystemTrustStoreTests.GetEnv(names[0])));

        Assert.Equal(entries, inside.Item1);
        Assert.Equal("", inside.Item2);
        Assert.Equal(before, LibcEnvironment.Current);
        Assert.Equal(entries, Entries(before));
        if (absent)
        {
            Assert.Null(SystemTrustStoreTests.GetEnv(s_absent[0]));
            Assert.Null(SystemTrustStoreTests.GetEnv(s_absent[1]));
        }
    }

    [Fact]
    public async Task A_reader_on_another_thread_never_misses_a_variable_while_the_environment_is_swapped()
    {
        var path = SystemTrustStoreTests.GetEnv("PATH");
        var misses = 0;
        var reads = 0;
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (SystemTrustStoreTests.GetEnv("PATH") != path)
                {
                    Interlocked.Increment(ref misses);
                }

                Interlocked.Increment(ref reads);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        for (var i = 0; i < 1000; i++)
        {
            LibcEnvironment.WhileEmpty(s_absent, () => i);
        }

        stop.Cancel();
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, misses);
        Assert.True(reads > 0);
    }

    // The entry pointers of an environment array, its terminating null included.
    private static List<nint> Entries(nint array)
    {
        var entries = new List<nint>();
        for (var index = 0; ; index++)
        {
            var entry = Marshal.ReadIntPtr(array, index * IntPtr.Size);
            entries.Add(entry);
            if (entry == 0)
            {
                return entries;
            }
        }
    }
}
