import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {isUserError} from '../../errors.js'
import {CONFIG_FILE, parseConfig} from '../../engine/project.js'
import {Rule} from '../rule.js'

export const projectConfigRule: Rule = {
  description: `a project root with a valid ${CONFIG_FILE}`,
  name: 'project-config',
  run({cwd, root}) {
    if (!root) {
      return [
        {
          code: 'project/not-found',
          fix: 'Run doctor inside a project, or create one with "restack new my-agent".',
          message: `No ${CONFIG_FILE} in ${cwd} or any parent directory: this is not a restack project.`,
          severity: 'error',
        },
      ]
    }

    try {
      parseConfig(readFileSync(join(root, CONFIG_FILE), 'utf8'), CONFIG_FILE)
      return []
    } catch (error) {
      if (!isUserError(error)) throw error
      const [message, ...fix] = error.message.split('. ')
      return [{code: 'project/invalid-config', fix: fix.join('. ') || `Fix ${CONFIG_FILE}.`, message: `${message}.`, severity: 'error'}]
    }
  },
}
