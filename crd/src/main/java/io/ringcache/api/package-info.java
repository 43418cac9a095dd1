/**
 * The {@code CacheCluster} custom resource ({@code ringcache.io/v1alpha1}): the Java model from which
 * the CRD YAML is generated. Defaults and validation live here as schema annotations, so the API server
 * applies and enforces them; each field's Java initial value repeats its schema default so that code
 * reading an object the server never defaulted (a test, the mock server) sees the same values. Every whole number
 * has a maximum that fits its {@code Integer}: the schema's integers are 64-bit, and a CacheCluster holding a number
 * the model cannot read fails the operator's list and watch of every CacheCluster.
 */
package io.ringcache.api;
