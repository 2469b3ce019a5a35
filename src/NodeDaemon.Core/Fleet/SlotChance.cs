namespace NodeDaemon.Core.Fleet;

/// <summary>News from the pool's slots for a node waiting for one: a slot was handed to it, or one became free.</summary>
/// <param name="Slot">The slot's name.</param>
/// <param name="HandedToUs">True: the slot's holder gave it to this node; false: it is free (or gone) for anyone to take.</param>
public sealed record SlotChance(string Slot, bool HandedToUs);
