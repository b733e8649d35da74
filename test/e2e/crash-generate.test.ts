import {describeKillMatrix} from './crash/matrix.js'

describeKillMatrix('generate, init, runtime', ['g function', 'g agent', 'g workflow', 'g pipeline', 'g prompt', 'init', 'runtime bundled'])
