package io.ringcache.node.store;

/** An entry whose charge is larger than the whole budget of the store it was offered to. Nothing was stored. */
public final class EntryTooLargeException extends IllegalArgumentException {

    private final long charge;
    private final long maxCharge;

    public EntryTooLargeException(long charge, long maxCharge) {
        super("entry needs " + charge + " of a budget of " + maxCharge
                + "; raise the group's max-bytes or store a smaller value");
        this.charge = charge;
        this.maxCharge = maxCharge;
    }

    public long charge() {
        return charge;
    }

    public long maxCharge() {
        return maxCharge;
    }
}
