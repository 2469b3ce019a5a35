namespace NodeDaemon.Core.Options;

/// <summary>The annotation keys the daemon reads and writes.</summary>
public enum AnnotationProtocol
{
    /// <summary>The daemon's own keys under <see cref="NodeDaemonOptions.AnnotationPrefix"/>.</summary>
    NodeDaemon,

    /// <summary>The machine-config-operator's <c>machineconfiguration.openshift.io/</c> keys.</summary>
    MachineConfigOperator,
}

/// <summary>The signature check rpm-ostree applies to a pulled image.</summary>
public enum SignaturePolicy
{
    /// <summary><c>ostree-unverified-registry:</c>: the digest pins the content, no signature is checked.</summary>
    Unverified,

    /// <summary><c>ostree-image-signed:docker://</c>: verified against the host's containers policy.</summary>
    Verified,
}

/// <summary>How much the daemon logs.</summary>
public enum LogVerbosity
{
    /// <summary>Transitions, progress and problems.</summary>
    Information,

    /// <summary>Also every decision and API call.</summary>
    Debug,

    /// <summary>Everything, including protocol detail.</summary>
    Trace,
}

/// <summary>What to do with a node whose drain did not finish in time.</summary>
public enum DrainTimeoutPolicy
{
    /// <summary>Give the node back to the scheduler and report Degraded; never reboot.</summary>
    Uncordon,

    /// <summary>Keep the node cordoned and report Degraded, for an admin to look at; never reboot.</summary>
    StayCordoned,
}

/// <summary>Which host service stages and finalizes images.</summary>
public enum HostBackend
{
    /// <summary>rpm-ostreed when its D-Bus name answers, else bootc when it is on the PATH.</summary>
    Auto,

    /// <summary>rpm-ostreed over D-Bus (Fedora CoreOS, RHEL CoreOS).</summary>
    RpmOstree,

    /// <summary>The <c>bootc</c> command line (image-mode hosts without rpm-ostree).</summary>
    Bootc,
}

/// <summary>What the health gate does while the API server cannot be reached after the boot.</summary>
/// <remarks>Neither choice ever fails the gate on silence alone: a partition is not evidence against the image.</remarks>
public enum ApiSilencePolicy
{
    /// <summary>Local checks may fail the gate at its timeout, but only the API's evidence (kubelet Ready, critical pods) can pass it.</summary>
    Wait,

    /// <summary>Local checks alone decide while the API is silent: all configured and passing passes the gate.</summary>
    Local,
}
