import {readFileSync} from 'node:fs'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string}

export const CLI_VERSION: string = pkg.version

/** One version for every @temporalio package a generated project depends on (DESIGN §5). */
export const TEMPORAL_VERSION = '1.24.0'
