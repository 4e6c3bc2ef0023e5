package dev.scalpel.core.hub;

/** Hears how a pull's downloads advance; called on the pulling thread. */
public interface DownloadProgress {
    /** Hears nothing: for tests and for callers that only want the result. */
    DownloadProgress NONE = new DownloadProgress() {
        @Override
        public void advanced(String file, long done, long total, long resumedFrom) {
        }

        @Override
        public void finished(String file, long total) {
        }
    };

    /**
     * Bytes arrived for a file.
     *
     * @param file the repository path
     * @param done bytes of the file on disk so far, resumed ones included
     * @param total the file's size
     * @param resumedFrom bytes that were already on disk when this transfer started (not part of the transfer rate)
     */
    void advanced(String file, long done, long total, long resumedFrom);

    /** The file is complete and verified. */
    void finished(String file, long total);
}
