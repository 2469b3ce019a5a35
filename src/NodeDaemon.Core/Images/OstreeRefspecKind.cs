namespace NodeDaemon.Core.Images;

/// <summary>The scheme of an rpm-ostree container refspec, which decides how the image is verified.</summary>
public enum OstreeRefspecKind
{
    /// <summary><c>ostree-unverified-registry:&lt;pullspec&gt;</c>: a registry image, no signature check.</summary>
    UnverifiedRegistry,

    /// <summary><c>ostree-image-signed:&lt;transport&gt;:&lt;name&gt;</c>: verified against the host's containers policy.</summary>
    ImageSigned,

    /// <summary><c>ostree-remote-image:&lt;remote&gt;:&lt;transport&gt;:&lt;name&gt;</c>: the ostree commit is verified by an ostree remote's keys.</summary>
    RemoteImage,

    /// <summary><c>ostree-unverified-image:&lt;transport&gt;:&lt;name&gt;</c>: any transport, no signature check.</summary>
    UnverifiedImage,

    /// <summary><c>ostree-remote-registry:&lt;remote&gt;:&lt;pullspec&gt;</c>: shorthand for a remote-verified registry image.</summary>
    RemoteRegistry,
}
