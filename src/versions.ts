import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {PACKAGE_ROOT} from './package-root.js'

const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {version: string}

export const CLI_VERSION: string = pkg.version

/** One version for every @temporalio package a generated project depends on (DESIGN §5). */
export const TEMPORAL_VERSION = '1.24.0'
