/**
 * A group is a named namespace of keys with its own memory budget. A read looks in the group's store;
 * on a miss it asks the group's {@link io.ringcache.node.group.Loader}, once per key however many callers
 * wait (singleflight); a missing key is "not found". Writes and deletes win over loads already in flight.
 * Limits are checked before anything is touched, so a refused request changes nothing.
 */
package io.ringcache.node.group;
