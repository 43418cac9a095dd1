package io.ringcache.node.group;

/** A request named a group this node does not have. Distinct from a missing key. */
public final class UnknownGroupException extends RuntimeException {

    public UnknownGroupException(String message) {
        super(message);
    }
}
