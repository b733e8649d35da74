import {describeKillMatrix} from './crash/matrix.js'

describeKillMatrix('destroy', ['d function', 'd agent', 'd workflow', 'd pipeline', 'd prompt'])
