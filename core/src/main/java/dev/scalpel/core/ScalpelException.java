package dev.scalpel.core;

/** Base of every error Scalpel reports on purpose; the message always names the item at fault. */
public class ScalpelException extends RuntimeException {
    public ScalpelException(String message) {
        super(message);
    }

    public ScalpelException(String message, Throwable cause) {
        super(message, cause);
    }
}
