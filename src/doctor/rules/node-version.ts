import {Rule} from '../rule.js'

export const MIN_NODE_MAJOR = 20

export const nodeVersionRule: Rule = {
  description: `Node.js is ${MIN_NODE_MAJOR} or newer`,
  name: 'node-version',
  run() {
    const major = Number(process.versions.node.split('.')[0])
    if (major >= MIN_NODE_MAJOR) return []
    return [
      {
        code: 'node/too-old',
        fix: `Install Node.js ${MIN_NODE_MAJOR} or newer (e.g. "nvm install ${MIN_NODE_MAJOR}"), then run the command again.`,
        message: `Node.js ${process.versions.node} is older than the ${MIN_NODE_MAJOR}.x that restack projects and the Temporal SDK need.`,
        severity: 'error',
      },
    ]
  },
}
