package dev.agentruntime.security;

import java.util.regex.Pattern;

/** What a tenant name may be: it becomes part of storage keys, so it is kept to a safe alphabet. */
final class Tenants {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private Tenants() {
    }

    static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
