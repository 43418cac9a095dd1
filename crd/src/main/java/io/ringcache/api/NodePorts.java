package io.ringcache.api;

import java.util.Objects;

/** The node ports Kubernetes allocated (or kept pinned) on the client Service. */
public class NodePorts {

    private Integer http;

    private Integer resp;

    public NodePorts() {
    }

    public NodePorts(Integer http, Integer resp) {
        this.http = http;
        this.resp = resp;
    }

    public Integer getHttp() {
        return http;
    }

    public void setHttp(Integer http) {
        this.http = http;
    }

    public Integer getResp() {
        return resp;
    }

    public void setResp(Integer resp) {
        this.resp = resp;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodePorts other && Objects.equals(http, other.http) && Objects.equals(resp, other.resp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(http, resp);
    }
}
