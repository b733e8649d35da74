import {describeKillMatrix} from './crash/matrix.js'

describeKillMatrix('plugin units, restack mcp', ['g llm-config', 'g tool-server', 'd llm-config', 'd tool-server', 'mcp plan+apply'])
