"""The bus names and object paths rpm-ostreed exports, and the extra interfaces the simulator serves beside them."""
from __future__ import annotations

ROOT = "/org/projectatomic/rpmostree1"
SYSROOT_PATH = ROOT + "/Sysroot"
SYSROOT = "org.projectatomic.rpmostree1.Sysroot"
OS_IFACE = "org.projectatomic.rpmostree1.OS"
TRANSACTION = "org.projectatomic.rpmostree1.Transaction"
PROPS = "org.freedesktop.DBus.Properties"

EXTRA_XML = """<node>
  <interface name="org.freedesktop.DBus.ObjectManager">
    <method name="GetManagedObjects"><arg type="a{oa{sa{sv}}}" name="objects" direction="out"/></method>
    <signal name="InterfacesAdded"><arg type="o" name="object_path"/><arg type="a{sa{sv}}" name="interfaces"/></signal>
    <signal name="InterfacesRemoved"><arg type="o" name="object_path"/><arg type="as" name="interfaces"/></signal>
  </interface>
  <interface name="org.freedesktop.login1.Manager">
    <method name="Reboot"><arg type="b" name="interactive" direction="in"/></method>
    <method name="ListInhibitors"><arg type="a(ssssuu)" name="inhibitors" direction="out"/></method>
  </interface>
  <interface name="org.nodedaemon.Sim1">
    <method name="SetFaults"><arg type="s" name="faults_json" direction="in"/></method>
    <method name="GetFaults"><arg type="s" name="faults_json" direction="out"/></method>
    <method name="GetState"><arg type="s" name="state_json" direction="out"/></method>
    <method name="StartRpmOstreed"/>
  </interface>
</node>"""
