/**
 * What bin/run.js loads: oclif's entry point. scripts/build.mjs bundles this file, the commands and the
 * hooks together, so they share this one copy of @oclif/core.
 */
export {execute} from '@oclif/core'
