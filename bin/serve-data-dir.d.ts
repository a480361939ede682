/** `serve`'s `--data` default. */
export declare const defaultServeDataDir: string
/** The value of the last `--data DIR` or `--data=DIR` before a `--`; undefined when none. */
export declare function serveDataDirArgument(args: readonly string[]): string | undefined
