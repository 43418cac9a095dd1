/**
 * The {@code CacheCluster} custom resource ({@code ringcache.io/v1alpha1}): the Java model from which
 * the CRD YAML is generated. The model itself arrives with the operator; until then this module only
 * reserves its place in the build.
 */
package io.ringcache.api;
