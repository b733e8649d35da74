// Source changes esbuild makes to packages as it bundles them into lib/vendor.cjs. Each one keeps what the
// package does and names the text it replaces: a package update that no longer has that text fails the
// build, instead of dropping the change silently.
import {readFileSync} from 'node:fs'

/** Where the CLI's own import() lives (bin/run.js sets it); the fallback is for runs without bin/run.js. */
const ROUTED_IMPORT = "(globalThis[Symbol.for('restack-gen.import')] ?? ((s) => import(s)))("

/** Ids of oclif commands in code-unit order (see below). */
const COMPARE_IDS = '((x, y) => (x < y ? -1 : x > y ? 1 : 0))'

const PATCHES = [
  {
    // oclif loads ESM plugins (and a plugin's hooks) with import(), which a script compiled from a V8 code
    // cache cannot run on Node 20 (no dynamic-import callback without --experimental-vm-modules): those
    // calls go through bin/run.js's own import, which can.
    file: /(@oclif[\\/]core[\\/]lib|lilconfig[\\/]src)[\\/].*\.js$/,
    apply: (text) => text.replaceAll(/\bimport\((?!['")])/g, ROUTED_IMPORT),
  },
  {
    // Every plugin's commands are sorted with localeCompare on every start, and the first localeCompare
    // of a process sets up ICU's collator: ~13 ms of a 300 ms command. Code-unit order instead: for ids of
    // lowercase letters, ':' and '-' (every id restack and oclif's plugins have) it is the root collation's
    // order (test/scripts/build/vendor-patches.test.ts checks the claim); for any other id it is the same
    // on every machine, where localeCompare followed the user's locale. The order only shows in listings.
    file: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/,
    text: '.sort((a, b) => a.id.localeCompare(b.id))',
    apply: (text, original) => text.replace(original, `.sort((a, b) => ${COMPARE_IDS}(a.id, b.id))`),
  },
]

/** The esbuild plugin: each bundled file gets the patches whose `file` matches it, in order. */
export const vendorPatches = {
  name: 'vendor-patches',
  setup(esbuild) {
    const applied = new Set()
    esbuild.onLoad({filter: /[\\/]node_modules[\\/].*\.js$/}, (args) => {
      const patches = PATCHES.filter((patch) => patch.file.test(args.path))
      if (patches.length === 0) return undefined
      let text = readFileSync(args.path, 'utf8')
      for (const patch of patches) {
        if (patch.text !== undefined && !text.includes(patch.text)) throw new Error(`${args.path} no longer has ${JSON.stringify(patch.text)}: update scripts/build/vendor-patches.mjs`)
        text = patch.apply(text, patch.text)
        applied.add(patch)
      }

      return {contents: text, loader: 'js'}
    })
    esbuild.onEnd((result) => {
      const missed = PATCHES.filter((patch) => !applied.has(patch))
      if (result.errors.length === 0 && missed.length > 0) throw new Error(`no bundled file matched ${missed.map((patch) => patch.file).join(', ')}: update scripts/build/vendor-patches.mjs`)
    })
  },
}

export {COMPARE_IDS}
