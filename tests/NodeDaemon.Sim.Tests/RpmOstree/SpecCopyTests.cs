using NodeDaemon.Sim.RpmOstree;
using NodeDaemon.Tests.Shared;

namespace NodeDaemon.Sim.Tests.RpmOstree;

/// <summary>The simulator exports its own copy of the interface XML; it must be the shared spec, byte for byte.</summary>
public sealed class SpecCopyTests
{
    public static string SharedSpec => Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(RepositoryPaths.RpmOstreeStatusFolder()))!,
        "specs", "org.projectatomic.rpmostree1.subset.xml");

    [Fact]
    public void Embedded_interface_xml_is_the_shared_spec()
    {
        Assert.Equal(File.ReadAllBytes(SharedSpec), File.ReadAllBytes(SimulatorScript.InterfaceXmlPath));
    }
}
