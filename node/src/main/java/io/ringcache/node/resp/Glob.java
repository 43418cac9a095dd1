package io.ringcache.node.resp;

/**
 * Redis's glob patterns: {@code *} any run, {@code ?} any one character, {@code [abc]}, {@code [a-z]} and
 * {@code [^a]} classes, {@code \} to escape. Used for {@code CONFIG GET}.
 */
final class Glob {

    private Glob() {
    }

    /** Whether {@code text} matches {@code pattern}, ignoring case. */
    static boolean matchesIgnoringCase(String pattern, String text) {
        return matches(pattern.toLowerCase(java.util.Locale.ROOT), 0, text.toLowerCase(java.util.Locale.ROOT), 0);
    }

    private static boolean matches(String p, int pi, String t, int ti) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                while (pi + 1 < p.length() && p.charAt(pi + 1) == '*') {
                    pi++;
                }
                if (pi + 1 == p.length()) {
                    return true;
                }
                for (int start = ti; start <= t.length(); start++) {
                    if (matches(p, pi + 1, t, start)) {
                        return true;
                    }
                }
                return false;
            }
            if (ti == t.length()) {
                return false;
            }
            if (c == '?') {
                pi++;
                ti++;
            } else if (c == '[') {
                int end = classEnd(p, pi);
                if (end < 0) {
                    // An unclosed class is taken literally, like any other character.
                    if (t.charAt(ti) != c) {
                        return false;
                    }
                    pi++;
                    ti++;
                    continue;
                }
                if (!inClass(p, pi + 1, end, t.charAt(ti))) {
                    return false;
                }
                pi = end + 1;
                ti++;
            } else {
                if (c == '\\' && pi + 1 < p.length()) {
                    pi++;
                    c = p.charAt(pi);
                }
                if (t.charAt(ti) != c) {
                    return false;
                }
                pi++;
                ti++;
            }
        }
        return ti == t.length();
    }

    private static int classEnd(String p, int open) {
        for (int i = open + 1; i < p.length(); i++) {
            if (p.charAt(i) == '\\') {
                i++;
            } else if (p.charAt(i) == ']') {
                return i;
            }
        }
        return -1;
    }

    private static boolean inClass(String p, int from, int end, char c) {
        boolean negate = from < end && p.charAt(from) == '^';
        int i = negate ? from + 1 : from;
        boolean found = false;
        while (i < end) {
            char first = p.charAt(i);
            if (first == '\\' && i + 1 < end) {
                first = p.charAt(++i);
            }
            if (i + 2 < end && p.charAt(i + 1) == '-') {
                char last = p.charAt(i + 2);
                if (c >= Math.min(first, last) && c <= Math.max(first, last)) {
                    found = true;
                }
                i += 3;
            } else {
                if (c == first) {
                    found = true;
                }
                i++;
            }
        }
        return negate != found;
    }
}
