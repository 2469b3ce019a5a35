namespace NodeDaemon.Core.Diagnostics;

/// <summary>Every log event id of the daemon; append only, never renumber (journald queries depend on them).</summary>
public enum LogEventId
{
    /// <summary>The daemon started.</summary>
    Starting = 1,

    /// <summary>The daemon stops.</summary>
    Stopping = 2,

    /// <summary>The options in force.</summary>
    OptionsLoaded = 3,

    /// <summary>A hosted service or the host itself failed; the process exits non-zero so that systemd restarts it.</summary>
    ServiceFailed = 9,

    /// <summary>A turn of the agent loop failed (the API, rpm-ostreed or the disk); it is tried again after a backoff.</summary>
    TurnFailed = 11,

    /// <summary>A turn succeeded after failed ones.</summary>
    TurnsRecovered = 12,

    /// <summary>The agent reports a new status.</summary>
    StatusChanged = 10,

    /// <summary>The agent loop made no progress for too long; the watchdog is withheld.</summary>
    WatchdogWithheld = 20,

    /// <summary>The agent loop makes progress again.</summary>
    WatchdogResumed = 21,

    /// <summary>The watchdog is on, and how often it is fed.</summary>
    WatchdogEnabled = 22,

    /// <summary>Connected to rpm-ostreed and registered as its client.</summary>
    HostConnected = 100,

    /// <summary>A deployment dictionary held a key or type the reader did not expect.</summary>
    HostStatusWarning = 101,

    /// <summary>A transaction was started (or joined).</summary>
    TransactionStarted = 102,

    /// <summary>A transaction reported progress.</summary>
    TransactionProgress = 103,

    /// <summary>A transaction finished.</summary>
    TransactionFinished = 104,

    /// <summary>Another client's transaction is in progress; waiting for it.</summary>
    HostBusy = 105,

    /// <summary>rpm-ostreed went away during a transaction; the outcome is read from the deployments.</summary>
    HostVanished = 106,

    /// <summary>A transaction did not finish in time and was cancelled.</summary>
    TransactionTimedOut = 107,

    /// <summary>Registry credentials were installed for rpm-ostree.</summary>
    AuthFileInstalled = 108,

    /// <summary>The registry credentials file is unusable and was not installed.</summary>
    AuthFileRejected = 109,

    /// <summary>A reboot was requested.</summary>
    RebootRequested = 110,

    /// <summary>A bootc command was started.</summary>
    BootcCommandStarted = 111,

    /// <summary>This bootc cannot keep a stage from being applied by an unplanned reboot.</summary>
    BootcStageNotLocked = 112,

    /// <summary>rpm-ostree before v2025.7 answered that it compares the stage's commit; finalizing once more with it.</summary>
    FinalizeByCommit = 113,

    /// <summary>A request to the API server failed in a way worth retrying; it is retried after a delay.</summary>
    ClusterRequestRetried = 200,

    /// <summary>A watch (the node's, or the pool's slot Leases') lost its stream or could not open one; it reconnects after a delay.</summary>
    WatchReconnecting = 201,

    /// <summary>A watch's resourceVersion expired (410); it lists again.</summary>
    WatchRelisting = 202,

    /// <summary>The daemon cordoned the node and marked the cordon as its own.</summary>
    NodeCordoned = 203,

    /// <summary>The daemon lifted its own cordon.</summary>
    NodeUncordoned = 204,

    /// <summary>The node was already cordoned by someone else, or the cordon is not ours: left alone.</summary>
    CordonLeftAlone = 205,

    /// <summary>A drain started.</summary>
    DrainStarted = 206,

    /// <summary>A drain made progress or waits on a pod.</summary>
    DrainProgress = 207,

    /// <summary>A drain ended.</summary>
    DrainFinished = 208,

    /// <summary>An eviction was refused for now (a disruption budget, throttling, a server error) and is retried.</summary>
    EvictionRetried = 209,

    /// <summary>An Event was recorded on the node.</summary>
    NodeEventRecorded = 210,

    /// <summary>No longer written (kept so that no id is reused): the drain's watch of the node's pods reports as every watch does, with <see cref="WatchReconnecting"/> and <see cref="WatchRelisting"/>.</summary>
    DrainWatchRelisting = 211,

    /// <summary>The agent's state file could not be read back and was moved aside.</summary>
    StateFileCorrupt = 300,

    /// <summary>A stage attempt failed; it is retried within the budget.</summary>
    StageFailed = 301,

    /// <summary>The finalization call failed; the reboot budget decides what follows.</summary>
    FinalizeFailed = 302,

    /// <summary>Writing the node's annotations or an event failed; the next turn tries again.</summary>
    ReportFailed = 303,

    /// <summary>A <c>block</c>-mode shutdown inhibitor refused the finalization before the unlock; it is tried again, within a bound.</summary>
    FinalizeInhibited = 310,

    /// <summary>The node took a slot of its pool (a free one, or one taken over).</summary>
    SlotAcquired = 400,

    /// <summary>A slot was taken over from a holder whose node is gone or finished the slot's image.</summary>
    SlotTakenOver = 401,

    /// <summary>Every slot of the pool is held; the node waits.</summary>
    SlotsFull = 402,

    /// <summary>Too many nodes of the pool are Degraded on the desired image; no slot is taken.</summary>
    SlotsHalted = 403,

    /// <summary>The node gave its slot back.</summary>
    SlotReleased = 404,

    /// <summary>The node renewed its slot.</summary>
    SlotRenewed = 405,

    /// <summary>Another node wrote a slot between our read and our write (409); the slots are read again.</summary>
    SlotRaceLost = 406,

    /// <summary>A renewal found no slot naming the node: it was released or taken over.</summary>
    SlotLost = 407,

    /// <summary>A holder that finished handed its slot straight to a node of the pool waiting for one.</summary>
    SlotHandedOver = 408,

    /// <summary>A node took up the slot another handed to it.</summary>
    SlotTakenUp = 409,

    /// <summary>The file remembering the Leases naming our node could not be read; the Leases are listed instead.</summary>
    SlotMemoryUnreadable = 410,

    /// <summary>The file remembering the Leases naming our node could not be written; the next start lists them instead.</summary>
    SlotMemoryUnwritable = 411,

    /// <summary>A slot handed to a node that holds another could not be handed on; it goes with the node's release.</summary>
    SlotStrayKept = 412,

    /// <summary>At start the agent learned from the pool that it holds a slot (kept across a restart or reboot), and renewed it.</summary>
    SlotHeldAtStart = 420,

    /// <summary>The agent got no slot (the pool is full or halted) and asks again later.</summary>
    SlotRefused = 421,

    /// <summary>The watch told the waiting agent that a slot was handed to it.</summary>
    SlotHandedToUs = 422,

    /// <summary>The watch of the pool's slots ended with an error; the agent falls back to asking at its recheck.</summary>
    SlotWatchEnded = 423,

    /// <summary>The metrics and health endpoint is listening.</summary>
    MetricsListening = 500,

    /// <summary>The metrics endpoint could not listen (address in use, no directory); it tries again later.</summary>
    MetricsListenFailed = 501,

    /// <summary>A unix socket left by an earlier run was removed before listening on its path.</summary>
    MetricsStaleSocketRemoved = 502,

    /// <summary>One request to the metrics endpoint failed (a reset, a slow or malformed client).</summary>
    MetricsRequestFailed = 503,

    /// <summary>The metrics endpoint stopped listening (and removed its unix socket).</summary>
    MetricsStopped = 504,

    /// <summary>The agent's notes could not be written (a full disk, a read-only file system); the node holds and it tries again.</summary>
    StateFileUnwritable = 350,

    /// <summary>The agent's notes could be written again after a failed write.</summary>
    StateFileWritableAgain = 351,

    /// <summary>A drain stopped because the node changed so that the decision no longer drains (the desired image went back, a pause).</summary>
    DrainCancelled = 352,

    /// <summary>rpm-ostreed refuses transactions after a reboot it asked for did not happen; the agent stops registering
    /// as its client so that it can exit idle and come back fresh.</summary>
    HostRebootInitiatedLetGo = 114,

    /// <summary>The agent's report (state, phase, message) was written to its node's annotations (a merge patch, fieldManager nodedaemon).</summary>
    NodeAnnotated = 212,

    /// <summary>The API server accepted an eviction of one pod (a POST of pods/eviction, fieldManager nodedaemon).</summary>
    EvictionRequested = 213,

    /// <summary>The agent created a slot Lease (a POST, fieldManager nodedaemon).</summary>
    LeaseCreated = 214,

    /// <summary>The agent wrote a slot Lease on its read version (a PUT: a take, renewal, hand-over or release; fieldManager nodedaemon).</summary>
    LeaseUpdated = 215,

    /// <summary>The configuration is valid but unsafe (e.g. any image is booted unverified); the daemon starts anyway.</summary>
    ConfigurationWarning = 4,

    /// <summary>The API credential in use at start: which service account and Node its token names, its life, where it came from.</summary>
    CredentialsLoaded = 5,

    /// <summary>The kubeconfig's credential is not a service-account token with a life (a client certificate, a static
    /// or exec token, a token bound to no Node): it is used as it is, and never rotated.</summary>
    CredentialsNotRotated = 6,

    /// <summary>The daemon rotated its service-account token through the TokenRequest API (authentication.k8s.io/v1).</summary>
    TokenRotated = 216,

    /// <summary>A token rotation failed; it is retried with backoff, and the current token stays in use while it is valid.</summary>
    TokenRotationFailed = 217,

    /// <summary>The token expired before it could be rotated: nothing authenticates until a new bootstrap token is installed.</summary>
    TokenExpired = 218,

    /// <summary>The stored rotated token could not be written, or was not used at start (unreadable, another identity).</summary>
    TokenNotKept = 219,
    /// <summary>The agent's conditions (OSUpdateProgressing, OSUpdateDegraded) were written to its node's status (a strategic merge patch of nodes/status).</summary>
    NodeConditionsWritten = 220,

    /// <summary>The agent's conditions could not be written to its node's status; the next report tries again.</summary>
    NodeConditionsFailed = 221,
    /// <summary>The health gate passed after the boot into a target: every configured check since this boot.</summary>
    HealthGatePassed = 600,

    /// <summary>What the health gate awaits changed (logged once per change, not per check).</summary>
    HealthGateWaiting = 601,

    /// <summary>The health gate failed for this boot; the reason is the Degraded reason the agent reports.</summary>
    HealthGateFailed = 602,

    /// <summary>The API server gave the health gate no evidence; silence is waited out, never a failure by itself.</summary>
    HealthApiSilent = 603,

    /// <summary>The API server answered the health gate (first, or again after a silence).</summary>
    HealthApiAnswering = 604,
    /// <summary>The host made the previous deployment the default (rpm-ostree Rollback, bootc rollback) and a reboot into it is asked of logind.</summary>
    RollbackRequested = 115,

    /// <summary>The previous deployment was already the default (a rollback asked before a restart): only the reboot is asked again.</summary>
    RollbackAlreadyDefault = 116,

    /// <summary>The health gate answered after a boot of ours (Passed, Waiting or Failed).</summary>
    HealthChecked = 430,

    /// <summary>The health gate failed on the target: the agent rolls back to the previous deployment.</summary>
    RollingBackAfterGate = 431,

    /// <summary>The host refused the automatic rollback; the node stays Degraded on the image that failed the gate.</summary>
    RollbackRefused = 432,

    /// <summary>A disruption budget that refused an eviction now allows one (its watched status): the eviction is asked again before the fallback tick.</summary>
    EvictionBudgetAllows = 240,
    /// <summary>A staging slot of the pool was taken (or found held) before a pull (<c>fleet.maxStaging</c>).</summary>
    StagingSlotTaken = 120,

    /// <summary>Every staging slot of the pool is held by a node still pulling: the pull waits.</summary>
    StagingSlotsFull = 121,

    /// <summary>A staging slot was given back after the pull.</summary>
    StagingSlotReleased = 122,

    /// <summary>A staging slot whose holder stopped renewing it (crashed, killed, gone) was taken by another node.</summary>
    StagingSlotExpiredTaken = 123,

    /// <summary>A staging slot could not be renewed during a pull (taken after it expired, or the API failed); the pull goes on.</summary>
    StagingSlotRenewFailed = 124,

    /// <summary>A holder done pulling handed its staging slot to a node of the pool waiting to pull (<c>fleet.maxStaging</c>).</summary>
    StagingSlotHandedOver = 440,

    /// <summary>The watch for a staging slot handed to the node ended with an error; the node asks again on its recheck only.</summary>
    StagingSlotWatchEnded = 441,

    /// <summary>The idle trim gave back what a turn of an idle agent mapped and allocated (issue 19 §5).</summary>
    IdleTrimmed = 270,

    /// <summary>A slot just granted was given back: the check after the grant found the pool halted (a Degraded node the read before the grant did not show).</summary>
    SlotGivenBackHalted = 460,
}
