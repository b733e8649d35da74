/**
 * The opt-in alias that maps `@restackio/ai` onto the bundled runtime (src/restack/) where the real
 * package cannot be installed, as on restack-gen's own machines: `runtime: restackio` projects keep
 * src/restack/ as that stand-in. Three resolvers need it, and each takes it only when asked:
 *
 * - tsc: the `paths` of SHIM_TSCONFIG (`tsc -p tsconfig.bundled-runtime.json`);
 * - tsx (npm test through mocha's `tsx/cjs`, npm run dev, the scripts): the same file through
 *   `TSX_TSCONFIG_PATH`, which tsx reads (shimEnv);
 * - the workflow bundler: the runtime's startService and the generated test helper alias the entry
 *   points to wherever this process resolves them, only when that is outside node_modules.
 *
 * Without the opt-in, every resolver finds `@restackio/ai` in node_modules: the real package.
 */
import {join} from 'node:path'

/** The file that carries the alias in a project; tsconfig allows comments. */
export const SHIM_TSCONFIG = 'tsconfig.bundled-runtime.json'

/** Where the bundled runtime lives in a project. */
export const RUNTIME_DIR = 'src/restack'

/** The real package's entry points, each with the bundled runtime's module that stands in for it. */
export const ENTRY_POINTS: ReadonlyArray<{module: string; specifier: string}> = [
  {module: 'index', specifier: '@restackio/ai'},
  {module: 'agent', specifier: '@restackio/ai/agent'},
  {module: 'workflow', specifier: '@restackio/ai/workflow'},
  {module: 'function', specifier: '@restackio/ai/function'},
  {module: 'event', specifier: '@restackio/ai/event'},
  {module: 'memory', specifier: '@restackio/ai/memory'},
  {module: 'utils', specifier: '@restackio/ai/utils'},
  {module: 'flow', specifier: '@restackio/ai/flow'},
]

/**
 * The text of SHIM_TSCONFIG: the project's type-check config plus `paths` from each entry point to
 * the runtime's file. `runtimeDir` is relative to the project root; `base` is the config it extends.
 */
export function shimTsconfig(runtimeDir = RUNTIME_DIR, base = './tsconfig.typecheck.json'): string {
  const paths = ENTRY_POINTS.map(({module, specifier}) => `      ${JSON.stringify(specifier)}: [${JSON.stringify(`./${runtimeDir}/${module}.ts`)}]`)
  return [
    `// Maps @restackio/ai and its entry points onto the bundled runtime in ${runtimeDir}/, for machines where`,
    `// the real package cannot be installed (restack-gen tests its "restackio" mode this way). Opt-in only:`,
    `//   npx tsc -p ${SHIM_TSCONFIG}`,
    `//   TSX_TSCONFIG_PATH=${SHIM_TSCONFIG} npm test     (also npm run dev and the scripts: tsx reads it)`,
    `// Without it, tsc and tsx resolve @restackio/ai from node_modules: the real package. A build that`,
    `// runs on plain node (npm start) always needs the real package. See restack-gen's docs/runtime-modes.md.`,
    `{`,
    `  "extends": ${JSON.stringify(base)},`,
    `  "compilerOptions": {`,
    `    "paths": {`,
    paths.join(',\n'),
    `    }`,
    `  }`,
    `}`,
    ``,
  ].join('\n')
}

/** The environment that opts a process in a project into the alias (tsx reads TSX_TSCONFIG_PATH). */
export function shimEnv(root: string, tsconfig = SHIM_TSCONFIG): Record<string, string> {
  return {TSX_TSCONFIG_PATH: join(root, tsconfig)}
}
