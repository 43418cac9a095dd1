package io.ringcache.api;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator observed, written only by the operator. */
public class CacheClusterStatus {

    /** The {@code metadata.generation} this status describes. */
    private Long observedGeneration;

    /** Nodes that exist (the scale subresource's current count). */
    @StatusReplicas
    private Integer replicas;

    private Integer readyReplicas;

    /** The label selector of the nodes, for the scale subresource and so for the HPA. */
    @LabelSelector
    private String selector;

    private NodePorts nodePorts;

    /** Peer addresses ({@code ip:7100}) of the ready nodes: the ring as the nodes see it. */
    private List<String> members = new ArrayList<>();

    /** {@code Ready}, {@code Progressing} and {@code Degraded}. */
    private List<Condition> conditions = new ArrayList<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }

    public String getSelector() {
        return selector;
    }

    public void setSelector(String selector) {
        this.selector = selector;
    }

    public NodePorts getNodePorts() {
        return nodePorts;
    }

    public void setNodePorts(NodePorts nodePorts) {
        this.nodePorts = nodePorts;
    }

    public List<String> getMembers() {
        return members;
    }

    public void setMembers(List<String> members) {
        this.members = members;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheClusterStatus other
            && Objects.equals(observedGeneration, other.observedGeneration)
            && Objects.equals(replicas, other.replicas)
            && Objects.equals(readyReplicas, other.readyReplicas)
            && Objects.equals(selector, other.selector)
            && Objects.equals(nodePorts, other.nodePorts)
            && Objects.equals(members, other.members)
            && Objects.equals(conditions, other.conditions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, replicas, readyReplicas, selector, nodePorts, members, conditions);
    }
}
