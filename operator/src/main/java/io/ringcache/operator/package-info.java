/**
 * The ringcache operator: {@link io.ringcache.operator.CacheClusterReconciler} turns a {@code CacheCluster}
 * into a headless peer Service, a client Service, the node ConfigMaps, the nodes' RBAC, a Deployment, an HPA, a
 * PodDisruptionBudget and a NetworkPolicy, one dependent class per object, each building its desired object
 * as a pure function of the CacheCluster; {@link io.ringcache.operator.StatusCalculator} reports back what runs.
 */
package io.ringcache.operator;
