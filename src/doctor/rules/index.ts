import {Rule} from '../rule.js'
import {dependenciesRule} from './dependencies.js'
import {engineRule} from './engine.js'
import {environmentRule} from './environment.js'
import {ledgerRule} from './ledger.js'
import {nodeVersionRule} from './node-version.js'
import {projectConfigRule} from './project-config.js'
import {promptsRule} from './prompts.js'
import {registrationsRule} from './registrations.js'
import {searchAttributeRule} from './search-attribute.js'
import {sourcesRule} from './sources.js'
import {typecheckRule} from './typecheck.js'
import {barrelExportsRule} from './barrel-exports.js'
import {pipelinesRule} from './pipelines.js'
import {referencesRule} from './references.js'

/** The core rules, in the order their findings are listed. */
export const coreRules: Rule[] = [
  nodeVersionRule,
  projectConfigRule,
  sourcesRule,
  registrationsRule,
  ledgerRule,
  pipelinesRule,
  referencesRule,
  barrelExportsRule,
  dependenciesRule,
  environmentRule,
  promptsRule,
  engineRule,
  searchAttributeRule,
  typecheckRule,
]
