package io.ringcache.node.app;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Removes the node's {@code ringcache.*} meters when the application stops. Quarkus binds meters to Micrometer's
 * global registry, which outlives one application in the same JVM (tests, dev mode): left there, the next
 * application's binders would find the old meters under the same names and keep reading the stopped node.
 */
@ApplicationScoped
public class NodeMetersCleanup {

    void removeMeters(@Observes ShutdownEvent stopping, MeterRegistry registry) {
        List<Meter> ours = registry.getMeters().stream()
                .filter(meter -> meter.getId().getName().startsWith("ringcache.")).toList();
        ours.forEach(registry::remove);
    }
}
