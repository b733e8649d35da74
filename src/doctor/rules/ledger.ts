import {isUserError} from '../../errors.js'
import {LEDGER_PATH, readLedger} from '../../engine/ledger.js'
import {Tree} from '../../engine/tree.js'
import {Rule} from '../rule.js'

/** .restack/ledger.json reads: a corrupt ledger is reported, never silently dropped. */
export const ledgerRule: Rule = {
  description: `${LEDGER_PATH} is readable`,
  name: 'ledger',
  needsProject: true,
  run({root}) {
    try {
      readLedger(new Tree(root!))
      return []
    } catch (error) {
      if (!isUserError(error)) throw error
      const [message, ...rest] = error.message.split('. Restore it')
      return [{code: 'ledger/corrupt', fix: rest.length > 0 ? `Restore it${rest.join('. Restore it')}` : 'Restore it from version control, or delete it.', message: `${message}.`, severity: 'error'}]
    }
  },
}
