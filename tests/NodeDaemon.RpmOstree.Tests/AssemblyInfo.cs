// Each test starts its own dbus-daemon and simulator; running them one class at a time keeps a 2-core machine
// from starving the simulators' timers.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
