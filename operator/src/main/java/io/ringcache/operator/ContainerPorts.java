package io.ringcache.operator;

/** The ports a node listens on (see DESIGN.md, "Public names"), also the Services' ports. */
final class ContainerPorts {

    static final int HTTP = 8080;
    static final int PEER = 7100;
    static final int RESP = 6379;

    private ContainerPorts() {
    }
}
