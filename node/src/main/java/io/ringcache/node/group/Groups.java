package io.ringcache.node.group;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The groups of one node, by name. Immutable after construction. */
public final class Groups {

    private final Map<String, Group> byName;

    public Groups(List<Group> groups) {
        Map<String, Group> map = new LinkedHashMap<>();
        for (Group g : groups) {
            if (map.putIfAbsent(g.name(), g) != null) {
                throw new IllegalArgumentException("group '" + g.name() + "' is defined twice");
            }
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    /**
     * The group called {@code name}.
     *
     * @throws UnknownGroupException naming the groups that exist
     */
    public Group get(String name) {
        Group g = byName.get(name);
        if (g == null) {
            throw new UnknownGroupException("no group '" + name + "' on this node; groups: " + byName.keySet());
        }
        return g;
    }

    /** Every group, in configuration order. */
    public Collection<Group> all() {
        return byName.values();
    }
}
