package dev.scalpel.core.hub;

import dev.scalpel.core.ScalpelException;

/** A model that cannot be found, fetched or trusted; the reason tells callers (and tests) which, the message how to fix it. */
public class HubException extends ScalpelException {
    /** Why the hub or the cache could not give the model. */
    public enum Reason {
        /** Not in the local cache, and nothing may or did download it. */
        NOT_IN_CACHE,
        /** HF_HUB_OFFLINE forbids the network. */
        OFFLINE,
        /** The hub's host cannot be reached at all. */
        NO_NETWORK,
        /** 401/403: gated, private, or the token was refused. */
        ACCESS_DENIED,
        /** 404: the repository, revision or file does not exist. */
        NOT_FOUND,
        /** The bytes received are not the bytes the hub announced (size or checksum). */
        CORRUPT,
        /** The transfer broke off; the partial file is kept for the next pull to resume. */
        INTERRUPTED,
        /** The server said something a hub does not say (missing headers, bad JSON, unsafe names, 5xx). */
        PROTOCOL,
        /** A bad repository id, revision or pattern given by the user. */
        BAD_ARGUMENT,
        /** The cache folder cannot be written or read. */
        LOCAL_IO
    }

    private final Reason reason;

    public HubException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public HubException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
