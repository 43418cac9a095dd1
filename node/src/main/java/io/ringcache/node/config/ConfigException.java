package io.ringcache.node.config;

/** A configuration value that cannot be used. The message starts with the key, then says what to write instead. */
public final class ConfigException extends IllegalArgumentException {

    private final String key;

    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    /** The configuration key whose value was wrong. */
    public String key() {
        return key;
    }
}
