using CsCheck;
using NodeDaemon.Core.Images;

namespace NodeDaemon.Core.Tests.Images;

/// <summary>Properties of <see cref="ImageReference"/> and <see cref="OstreeRefspec"/> over generated inputs.</summary>
public sealed class ImageReferencePropertyTests
{
    private const int MaxMessageLength = 300;

    [Fact]
    public void Every_generated_valid_reference_parses_and_round_trips()
    {
        ImageGenerators.Reference.Sample(text =>
        {
            Assert.True(ImageReference.TryParse(text, out var reference, out var error), error);
            Assert.Equal(text, reference!.ToString());
            Assert.Equal(reference, ImageReference.Parse(reference.ToString()));
            Assert.Equal(text.Contains('@', StringComparison.Ordinal), reference.HasDigest);
            Assert.StartsWith(reference.Name, text, StringComparison.Ordinal);
        }, iter: 3000);
    }

    [Fact]
    public void Every_generated_valid_refspec_parses_and_round_trips()
    {
        ImageGenerators.Refspec.Sample(text =>
        {
            Assert.True(OstreeRefspec.TryParse(text, out var refspec, out var error), error);
            Assert.Equal(text, refspec!.ToString());
            Assert.Equal(refspec, OstreeRefspec.Parse(refspec.ToString()));
            Assert.Equal(refspec.Transport == "registry", refspec.Image is not null);
        }, iter: 3000);
    }

    [Fact]
    public void Inserting_a_hostile_character_anywhere_makes_a_reference_invalid()
    {
        Gen.Select(ImageGenerators.Reference, ImageGenerators.Hostile, Gen.Int[0, 100_000]).Sample((text, hostile, where) =>
        {
            var tainted = text.Insert(where % (text.Length + 1), hostile.ToString());

            Assert.False(ImageReference.TryParse(tainted, out var reference, out var error));
            Assert.Null(reference);
            AssertSafeMessage(error);
        }, iter: 3000);
    }

    [Fact]
    public void Inserting_a_hostile_character_anywhere_makes_a_refspec_invalid()
    {
        Gen.Select(ImageGenerators.Refspec, ImageGenerators.Hostile, Gen.Int[0, 100_000]).Sample((text, hostile, where) =>
        {
            var tainted = text.Insert(where % (text.Length + 1), hostile.ToString());

            Assert.False(OstreeRefspec.TryParse(tainted, out var refspec, out var error));
            Assert.Null(refspec);
            AssertSafeMessage(error);
        }, iter: 3000);
    }

    [Fact]
    public void Arbitrary_unicode_strings_never_throw_and_any_success_round_trips()
    {
        Gen.String.Sample(AssertTotal, iter: 3000);
    }

    [Fact]
    public void Arbitrary_strings_over_the_grammar_alphabet_never_throw_and_any_success_round_trips()
    {
        // Mostly-legal characters reach deep into the grammar, where index arithmetic could go wrong.
        Gen.Char["abcAZ09.:/@_-[]%sha256"].Array[0, 80].Select(chars => new string(chars)).Sample(AssertTotal, iter: 5000);
    }

    [Fact]
    public void Long_strings_over_the_grammar_alphabet_keep_messages_short()
    {
        // Long runs of one legal character stress every message that quotes a part of the input.
        Gen.Select(Gen.Char["a.:/-_0@[]"], Gen.Char["a.:/-_0@[]"].Array[0, 40], Gen.Int[100, 4000])
            .Select((fill, noise, length) => new string(noise) + new string(fill, length) + new string(noise))
            .Sample(AssertTotal, iter: 1000);
    }

    [Fact]
    public void Huge_random_strings_are_rejected_without_being_echoed()
    {
        Gen.Char.Array[4097, 10240].Select(chars => new string(chars)).Sample(text =>
        {
            Assert.False(ImageReference.TryParse(text, out _, out var error));
            Assert.Equal($"image reference is {text.Length} characters long; at most 4096 are allowed", error);
            Assert.False(OstreeRefspec.TryParse(text, out _, out error));
            AssertSafeMessage(error);
            Assert.False(Digest.TryParse(text, out _, out error));
            AssertSafeMessage(error);
        }, iter: 200);
    }

    [Fact]
    public void Strings_up_to_the_length_limit_never_throw()
    {
        Gen.Char.Array[1000, 4096].Select(chars => new string(chars)).Sample(AssertTotal, iter: 200);
    }

    private static void AssertTotal(string text)
    {
        if (ImageReference.TryParse(text, out var reference, out var error))
        {
            Assert.Equal(text, reference!.ToString());
        }
        else
        {
            Assert.Null(reference);
            AssertSafeMessage(error);
        }

        if (OstreeRefspec.TryParse(text, out var refspec, out error))
        {
            Assert.Equal(text, refspec!.ToString());
        }
        else
        {
            AssertSafeMessage(error);
        }

        if (Digest.TryParse(text, out var digest, out error))
        {
            Assert.Equal(text, digest.ToString());
        }
        else
        {
            AssertSafeMessage(error);
        }
    }

    private static void AssertSafeMessage(string error)
    {
        Assert.NotEmpty(error);
        Assert.True(error.Length <= MaxMessageLength, $"message is {error.Length} characters long: {error}");
        Assert.DoesNotContain(error, c => char.IsControl(c) || char.IsSurrogate(c));
    }
}
