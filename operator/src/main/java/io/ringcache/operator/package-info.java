/**
 * The ringcache operator: one reconciler turns a {@code CacheCluster} into a headless Service, a client
 * Service, a ConfigMap, RBAC, a Deployment, an HPA and a PodDisruptionBudget. Not built yet: this module
 * only reserves its place in the build.
 */
package io.ringcache.operator;
