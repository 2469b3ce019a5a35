using Microsoft.Extensions.Time.Testing;
using NodeDaemon.Core.Cluster;
using NodeDaemon.Core.Diagnostics;
using NodeDaemon.Kubernetes.Credentials;

namespace NodeDaemon.Kubernetes.Tests.Credentials;

/// <summary>The rotator turn by turn on a fake clock: when it asks, what it keeps, how it backs off, what it says.</summary>
public sealed class TokenRotatorTests : IDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly string _directory = Directory.CreateTempSubdirectory("nodedaemon-token-").FullName;
    private readonly FakeTimeProvider _time = new(TestTokens.Epoch);
    private readonly FakeIssuer _issuer;
    private readonly TestLogger _log;

    public TokenRotatorTests(ITestOutputHelper output)
    {
        _log = new TestLogger(output);
        _issuer = new FakeIssuer(_time);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RotatesOnceAt80PercentAndPutsTheNewTokenInUse()
    {
        var (rotator, source, store) = Rotator(TestTokens.Token(TestTokens.Epoch, Hour));

        Assert.Equal(TimeSpan.FromMinutes(48), await rotator.TurnAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(47));
        Assert.Equal(TimeSpan.FromMinutes(1), await rotator.TurnAsync(CancellationToken.None));
        Assert.Empty(_issuer.Calls);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(TimeSpan.Zero, await rotator.TurnAsync(CancellationToken.None));

        var call = Assert.Single(_issuer.Calls);
        Assert.Equal((TestTokens.Epoch.AddMinutes(48), 3600L), (call.At, call.Seconds));
        Assert.Equal("2", Serial(source.Current));
        Assert.Equal(source.Current.Value, store.Load()?.Value);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Path));
        Assert.Contains(_log.Lines, l => l.Contains($" {(int)LogEventId.TokenRotated} ", StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Lines, l => l.Contains(source.Current.Value, StringComparison.Ordinal));
        // The next rotation is 80% of the new token's life after it arrived: one TokenRequest per rotation.
        Assert.Equal(TimeSpan.FromMinutes(48), await rotator.TurnAsync(CancellationToken.None));
        Assert.Single(_issuer.Calls);
    }

    [Fact]
    public async Task ANodeClockBehindTheServersDoesNotRotateAgainAndAgain()
    {
        // The server's clock is 3 minutes ahead: each token it issues reads as issued in the future here.
        _issuer.Skew = TimeSpan.FromMinutes(3);
        var (rotator, source, _) = Rotator(TestTokens.Token(TestTokens.Epoch, Hour));
        _time.Advance(TimeSpan.FromMinutes(48));

        Assert.Equal(TimeSpan.Zero, await rotator.TurnAsync(CancellationToken.None));
        Assert.True(source.Current.IssuedAt > _time.GetUtcNow());

        Assert.Equal(TimeSpan.FromMinutes(48), await rotator.TurnAsync(CancellationToken.None));
        Assert.Single(_issuer.Calls);
    }

    [Fact]
    public async Task AFailedRotationKeepsTheValidTokenAndBacksOff()
    {
        var first = TestTokens.Token(TestTokens.Epoch, Hour);
        var (rotator, source, _) = Rotator(first);
        _issuer.Failures = 3;
        _time.Advance(TimeSpan.FromMinutes(50));

        Assert.Equal(TimeSpan.FromSeconds(10), await rotator.TurnAsync(CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(20), await rotator.TurnAsync(CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(40), await rotator.TurnAsync(CancellationToken.None));
        Assert.Same(first, source.Current);
        Assert.Equal(3, _log.Lines.Count(l => l.Contains($" {(int)LogEventId.TokenRotationFailed} ", StringComparison.Ordinal)));
        Assert.DoesNotContain(_log.Lines, l => l.Contains($" {(int)LogEventId.TokenExpired} ", StringComparison.Ordinal));

        Assert.Equal(TimeSpan.Zero, await rotator.TurnAsync(CancellationToken.None));
        Assert.NotSame(first, source.Current);
        // The backoff starts over after a success.
        _issuer.Failures = 1;
        _time.Advance(TimeSpan.FromMinutes(48));
        Assert.Equal(TimeSpan.FromSeconds(10), await rotator.TurnAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AnExpiredTokenIsReportedOnceAsAnError()
    {
        var (rotator, _, _) = Rotator(TestTokens.Token(TestTokens.Epoch, Hour));
        _issuer.Failures = int.MaxValue;
        _time.Advance(TimeSpan.FromMinutes(61));

        await rotator.TurnAsync(CancellationToken.None);
        await rotator.TurnAsync(CancellationToken.None);

        var expired = Assert.Single(_log.Lines, l => l.Contains($" {(int)LogEventId.TokenExpired} ", StringComparison.Ordinal));
        Assert.Contains("Error", expired, StringComparison.Ordinal);
        Assert.Contains("docs/install.md", expired, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenThatCannotBeKeptIsStillUsed()
    {
        var source = new BearerTokenSource(TestTokens.Token(TestTokens.Epoch, Hour));
        // The state directory is a file: nothing can be written under it.
        var blocked = Path.Combine(_directory, "not-a-directory");
        await File.WriteAllTextAsync(blocked, "");
        var rotator = new TokenRotator(source, _issuer, new TokenStore(blocked), _time, _log);
        _time.Advance(TimeSpan.FromMinutes(48));

        Assert.Equal(TimeSpan.Zero, await rotator.TurnAsync(CancellationToken.None));

        Assert.Equal("2", Serial(source.Current));
        Assert.Contains(_log.Lines, l => l.Contains($" {(int)LogEventId.TokenNotKept} ", StringComparison.Ordinal));
    }

    private (TokenRotator Rotator, BearerTokenSource Source, TokenStore Store) Rotator(ServiceAccountToken initial)
    {
        var source = new BearerTokenSource(initial);
        var store = new TokenStore(_directory);
        return (new TokenRotator(source, _issuer, store, _time, _log), source, store);
    }

    private static string Serial(ServiceAccountToken token) =>
        System.Text.Json.Nodes.JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Value.Split('.')[1]))!["jti"]!.GetValue<string>();

    /// <summary>Issues the next token like the API server would (same binding, the asked life), or fails as told.</summary>
    private sealed class FakeIssuer(TimeProvider time) : ITokenIssuer
    {
        private int _serial = 1;

        public List<(DateTimeOffset At, long Seconds)> Calls { get; } = [];

        public int Failures { get; set; }

        public TimeSpan Skew { get; set; }

        public Task<ServiceAccountToken> IssueAsync(ServiceAccountToken current, long expirationSeconds, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            Calls.Add((now, expirationSeconds));
            if (Failures > 0)
            {
                Failures--;
                throw new ClusterException("POST .../token: 503 the server is currently unable to handle the request", 503);
            }

            _serial++;
            return Task.FromResult(TestTokens.Token(now + Skew, TimeSpan.FromSeconds(expirationSeconds), current.NodeName, current.NodeUid, _serial.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
