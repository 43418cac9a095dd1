package io.ringcache.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The Kubernetes Service type of the client Service. */
public enum ServiceType {
    @JsonProperty("NodePort")
    NODE_PORT("NodePort"),
    @JsonProperty("LoadBalancer")
    LOAD_BALANCER("LoadBalancer"),
    @JsonProperty("ClusterIP")
    CLUSTER_IP("ClusterIP");

    private final String kubernetesName;

    ServiceType(String kubernetesName) {
        this.kubernetesName = kubernetesName;
    }

    /** The value of a Service's {@code spec.type}. */
    public String kubernetesName() {
        return kubernetesName;
    }

    /** Whether Kubernetes allocates node ports for this type. */
    public boolean hasNodePorts() {
        return this != CLUSTER_IP;
    }
}
