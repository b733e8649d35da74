import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {PACKAGE_ROOT} from './package-root.js'

const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {version: string}

export const CLI_VERSION: string = pkg.version

/** One version for every @temporalio package a generated project depends on (DESIGN §5). */
export const TEMPORAL_VERSION = '1.24.0'

/**
 * The @restackio/ai a `runtime: restackio` project depends on: the range Restack's TypeScript examples
 * use at their HEAD (docs/reference in restack-api.md §1.1). It cannot be installed here (the registry
 * answers 404), so restack-gen tests that mode through the alias in src/runtime/alias.ts.
 */
export const RESTACKIO_VERSION = '^0.0.130'
