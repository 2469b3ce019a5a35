using System.Runtime.InteropServices;
using System.Text;

namespace NodeDaemon.Hosting;

/// <summary>libc's environment changed for the length of one call by publishing another array and then the original
/// one again, each with one pointer store, freeing neither: what glibc itself does since 2.41.</summary>
/// <remarks>
/// glibc's <c>getenv</c> walks the array it read from <c>environ</c> when it began, so a reader on another thread sees the
/// whole old array or the whole new one, never a half-edited one. <c>setenv</c> and <c>unsetenv</c> instead reallocate or
/// shift the array under such a reader (<see cref="SystemTrustStore"/> says why that matters here). The replacement
/// array and its strings are never freed, because a reader may still be walking them: a few hundred bytes, once per
/// process. <c>environ</c> is found through the main program's global scope, which holds the executable's copy of it if
/// the link made one, the same object libc's own functions use.
/// </remarks>
internal static unsafe class LibcEnvironment
{
    /// <summary>The array libc's <c>environ</c> points to now.</summary>
    public static nint Current => Volatile.Read(ref *Slot());

    /// <summary>Runs <paramref name="action"/> while libc's environment has each of <paramref name="names"/> set to the
    /// empty string (and every other variable as it was), then puts the original array back.</summary>
    public static T WhileEmpty<T>(IReadOnlyList<string> names, Func<T> action)
    {
        var slot = Slot();
        var original = Volatile.Read(ref *slot);
        var replacement = (nint)Replacement((byte**)original, names);
        Volatile.Write(ref *slot, replacement);
        try
        {
            return action();
        }
        finally
        {
            // Only our own array is taken back. Had something set a variable meanwhile (nothing in this process does:
            // .NET's own environment writes stay managed), libc's newer array, copied from ours, stays.
            Interlocked.CompareExchange(ref *slot, original, replacement);
        }
    }

    private static nint* Slot() =>
        NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), "environ", out var address)
            ? (nint*)address
            : throw new InvalidOperationException("libc's environ is not in the process's global scope");

    // The original entries but those of the names, then NAME= for each name, then the terminating null.
    private static byte** Replacement(byte** original, IReadOnlyList<string> names)
    {
        var prefixes = names.Select(name => Encoding.ASCII.GetBytes(name + "=")).ToArray();
        var kept = new List<nint>();
        for (var entry = original; entry != null && *entry != null; entry++)
        {
            if (!Named(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(*entry), prefixes))
            {
                kept.Add((nint)(*entry));
            }
        }

        var array = (byte**)NativeMemory.Alloc((nuint)(kept.Count + prefixes.Length + 1), (nuint)sizeof(byte*));
        var index = 0;
        foreach (var entry in kept)
        {
            array[index++] = (byte*)entry;
        }

        foreach (var prefix in prefixes)
        {
            var text = (byte*)NativeMemory.Alloc((nuint)prefix.Length + 1);
            prefix.CopyTo(new Span<byte>(text, prefix.Length));
            text[prefix.Length] = 0;
            array[index++] = text;
        }

        array[index] = null;
        return array;
    }

    private static bool Named(ReadOnlySpan<byte> entry, byte[][] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (entry.StartsWith(prefix))
            {
                return true;
            }
        }

        return false;
    }
}
