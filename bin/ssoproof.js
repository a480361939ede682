#!/usr/bin/env node
// The ssoproof command. The sources are TypeScript, run through tsx's loader with the project's
// own tsconfig (JSX settings), whatever directory the command is started from.
import { fileURLToPath } from 'node:url'
import { register } from 'tsx/esm/api'

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) })
const { main } = await import('../cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
