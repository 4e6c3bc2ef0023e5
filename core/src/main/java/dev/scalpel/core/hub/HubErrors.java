package dev.scalpel.core.hub;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/** Turns HTTP statuses and I/O failures into messages that say what is wrong and what to do. */
final class HubErrors {
    private HubErrors() {
    }

    static HubException forStatus(int status, HttpHeaders headers, URI url, ModelRef ref, String file,
            boolean tokenSent, String endpoint) {
        String code = headers.firstValue("X-Error-Code").orElse("");
        String serverMessage = headers.firstValue("X-Error-Message").orElse("");
        String what = file == null ? ref.toString() : ref + ": " + file;
        if (status == 401 || status == 403) {
            String detail;
            if (serverMessage.equals("Invalid credentials in Authorization header")) {
                detail = "the token in HF_TOKEN (or the token file) was refused as invalid";
            } else if (code.equals("GatedRepo")) {
                detail = tokenSent ? "your token has not been granted access yet" : "no token was sent";
            } else {
                detail = (tokenSent ? "the token was sent but lacks access" : "no token was sent")
                        + "; a repository that does not exist answers the same way";
            }
            String where = endpoint.equals(HubSettings.DEFAULT_ENDPOINT) ? "" : " (hub: " + endpoint + ")";
            return new HubException(HubException.Reason.ACCESS_DENIED, what + ": gated or private model: accept "
                    + "its license on huggingface.co and set HF_TOKEN" + where + " (HTTP " + status + " for " + url
                    + "; " + detail + ")");
        }
        if (status == 404) {
            String message = switch (code) {
                case "RepoNotFound" -> "repository " + ref.repoId() + " not found on " + endpoint
                        + " (check the spelling: org/name)";
                case "RevisionNotFound" -> "revision '" + ref.revision() + "' not found in repository "
                        + ref.repoId() + " (a branch, tag or commit hash of it)";
                case "EntryNotFound" -> "file " + file + " not found in repository " + ref.repoId() + " at "
                        + ref.revision();
                default -> file != null
                        ? "file " + file + " not found in repository " + ref.repoId() + " at " + ref.revision()
                        : "repository " + ref.repoId() + " or its revision '" + ref.revision() + "' not found on "
                                + endpoint;
            };
            return new HubException(HubException.Reason.NOT_FOUND, what + ": " + message + " (HTTP 404 for " + url
                    + ")");
        }
        if (status == 429) {
            return new HubException(HubException.Reason.PROTOCOL, what + ": the hub is rate-limiting requests "
                    + "(HTTP 429 for " + url + "); wait a few minutes and pull again (finished files are kept)");
        }
        if (status >= 500) {
            return new HubException(HubException.Reason.PROTOCOL, what + ": the server failed (HTTP " + status
                    + " for " + url + "); try again later: pull resumes where it stopped");
        }
        return new HubException(HubException.Reason.PROTOCOL, what + ": unexpected HTTP " + status + " for " + url
                + (serverMessage.isEmpty() ? "" : " (" + serverMessage + ")"));
    }

    static HubException forIoFailure(IOException e, URI uri, String endpoint) {
        String origin = origin(uri);
        String host = HubHttp.sameOrigin(uri, URI.create(endpoint + "/")) ? endpoint : origin;
        if (isUnreachable(e)) {
            return new HubException(HubException.Reason.NO_NETWORK, "no network: cannot reach " + host
                    + "; models already in the cache still work (" + describe(e) + ")", e);
        }
        if (e instanceof HttpTimeoutException) {
            return new HubException(HubException.Reason.INTERRUPTED, "no answer from " + host + " within "
                    + HubHttp.RESPONSE_TIMEOUT.toSeconds() + " s; pull again to retry (finished files are kept)", e);
        }
        return new HubException(HubException.Reason.INTERRUPTED, "connection to " + host + " failed: "
                + describe(e) + "; pull again to retry (finished files are kept, partial ones resume)", e);
    }

    private static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException
                    || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    private static String origin(URI u) {
        return u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort());
    }
}
