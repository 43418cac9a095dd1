package io.ringcache.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hit rates recorded in {@code traces/reference_hit_rates.tsv}: for each trace and cache size (in entries),
 * one percentage per reference policy column ({@code OPT}, {@code LRU}, {@code FIFO}, {@code LFU},
 * {@code LRU2}, {@code ARC}, {@code Caffeine_median}, ...). Lines starting with {@code #} describe the
 * columns; the first other line names them and must start with {@code trace}, {@code accesses},
 * {@code cache_size}.
 */
final class ReferenceHitRates {

    private static final String[] LEADING_COLUMNS = {"trace", "accesses", "cache_size"};

    /** One line of the file: a trace replayed at one cache size. */
    record Row(String trace, long cacheSize, Map<String, Double> percentByColumn) {

        /** The hit rate of the reference policy {@code column}, in percent. */
        double percent(String column) {
            Double percent = percentByColumn.get(column);
            if (percent == null) {
                throw new IllegalArgumentException("reference_hit_rates.tsv has no column '" + column
                        + "'; it has " + percentByColumn.keySet());
            }
            return percent;
        }
    }

    private final List<Row> rows;

    private ReferenceHitRates(List<Row> rows) {
        this.rows = rows;
    }

    static ReferenceHitRates read(Path tsv) throws IOException {
        String[] header = null;
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(tsv)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t");
            if (header == null) {
                header = fields;
                checkHeader(tsv, header);
                continue;
            }
            if (fields.length != header.length) {
                throw new IOException(tsv + ": line '" + line + "' has " + fields.length + " fields, the header "
                        + header.length);
            }
            Map<String, Double> percentByColumn = new HashMap<>();
            for (int i = LEADING_COLUMNS.length; i < fields.length; i++) {
                percentByColumn.put(header[i], Double.parseDouble(fields[i]));
            }
            rows.add(new Row(fields[0], Long.parseLong(fields[2]), percentByColumn));
        }
        if (header == null) {
            throw new IOException(tsv + " has no header line");
        }
        return new ReferenceHitRates(rows);
    }

    private static void checkHeader(Path tsv, String[] header) throws IOException {
        for (int i = 0; i < LEADING_COLUMNS.length; i++) {
            if (header.length <= i || !header[i].equals(LEADING_COLUMNS[i])) {
                throw new IOException(tsv + ": the header must start with " + String.join(", ", LEADING_COLUMNS)
                        + "; it is " + String.join(", ", header));
            }
        }
    }

    /** The rows of the trace file named {@code trace} (e.g. {@code cs.trace.gz}), in file order. */
    List<Row> rowsOf(String trace) {
        return rows.stream().filter(r -> r.trace().equals(trace)).toList();
    }
}
