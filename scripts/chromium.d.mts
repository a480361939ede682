/** Types for `chromium.mjs`, which stays plain JavaScript so that it runs before any install. */
export declare function resolveChromiumPath(env?: Record<string, string | undefined>): string
