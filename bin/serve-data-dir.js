// Which data folder `ssoproof serve` was given, read before any of the command's code loads: the
// launcher (ssoproof.js) and cli/serve-keys.ts both ask it whether serve's first key should be
// begun early. Plain JavaScript so the launcher can import it without a TypeScript loader.

/** `serve`'s `--data` default. */
export const defaultServeDataDir = '.ssoproof'

/** The value of the last `--data DIR` or `--data=DIR` before a `--`; undefined when none. */
export function serveDataDirArgument(args) {
  let found
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]
    if (arg === '--') break
    if (arg === '--data') found = args[++index]
    else if (arg.startsWith('--data=')) found = arg.slice('--data='.length)
  }
  return found
}
