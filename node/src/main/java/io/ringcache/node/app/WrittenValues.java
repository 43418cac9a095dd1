package io.ringcache.node.app;

import io.ringcache.node.config.ConfigException;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

/**
 * The value of a configuration key as the node reads it, {@code ${name}} expressions expanded. An expression that
 * names no setting is an error naming the key: the configuration reports such a value as unset, so an origin
 * written {@code http://catalog/${key}} gave a plain group that answered every miss "not found" without asking the
 * origin, and {@code max-value-bytes=${size}} the default, without a word.
 */
final class WrittenValues {

    private WrittenValues() {
    }

    static Function<String, Optional<String>> of(Config config) {
        return key -> {
            Optional<String> value = config.getOptionalValue(key, String.class);
            if (value.isEmpty()) {
                // Written (a raw value) but without a value: its expansion failed.
                ConfigValue written = config.getConfigValue(key);
                if (written.getRawValue() != null && written.getValue() == null) {
                    throw new ConfigException(key, "'" + written.getRawValue() + "' refers to a setting that is not"
                            + " set: the configuration replaces ${name} with the setting name; set it, or write an"
                            + " origin's placeholder as {key}");
                }
            }
            return value;
        };
    }
}
