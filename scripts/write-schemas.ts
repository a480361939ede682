/**
 * Writes the published JSON Schemas from their zod sources (`npm run schemas`), then formats them
 * with Biome so `npm run lint` accepts them. Tests fail while a committed schema is stale.
 */
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { publishedSchemas } from './published-schemas.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
for (const { file, build } of publishedSchemas) {
  writeFileSync(`${root}${file}`, `${JSON.stringify(build(), null, 2)}\n`)
}
const files = publishedSchemas.map((schema) => schema.file)
const biome = spawnSync('npx', ['biome', 'format', '--write', ...files], {
  cwd: root,
  stdio: 'inherit',
})
if (biome.status !== 0) process.exit(biome.status ?? 1)
console.log(`schemas: wrote ${files.join(', ')}`)
