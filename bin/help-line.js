// Whether a command line asks for help: --help or -h before "--" (after it they are arguments).
'use strict'

exports.asksForHelp = function asksForHelp(argv) {
  const end = argv.indexOf('--')
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h')
}
