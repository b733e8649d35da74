import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {configSecrets, envSecrets, projectSecrets, redact} from '../../src/engine/redact.js'
import {useTempDir} from '../helpers/fs.js'

describe('engine/redact: redaction by value', () => {
  const dir = useTempDir('restack-redact-')

  it('hides the value of every variable whose name looks secret, wherever the value appears', () => {
    const secrets = envSecrets({ANTHROPIC_API_KEY: 'sk-ant-123456', DB_PASSWORD: 'hunter22', GH_TOKEN: 'ghp_abcdef', HOME: '/root', MY_SECRET: 's3cr3t!!', PORT: '7233'})
    expect(secrets.map((secret) => secret.name).sort()).to.deep.equal(['ANTHROPIC_API_KEY', 'DB_PASSWORD', 'GH_TOKEN', 'MY_SECRET'])
    const text = 'base_url "sk-ant-123456" is not a URL; hunter22 ghp_abcdef and s3cr3t!! at /root:7233'
    expect(redact(text, secrets)).to.equal('base_url "<redacted ANTHROPIC_API_KEY>" is not a URL; <redacted DB_PASSWORD> <redacted GH_TOKEN> and <redacted MY_SECRET> at /root:7233')
  })

  it('hides a value as it appears inside a JSON string too, and a longer secret whole before a shorter one in it', () => {
    const secrets = envSecrets({A_KEY: 'ab"cd\\ef', LONG_TOKEN: 'tok-123456-extra', SHORT_TOKEN: 'tok-123456'})
    expect(redact(JSON.stringify({message: 'ab"cd\\ef'}), secrets)).to.equal('{"message":"<redacted A_KEY>"}')
    expect(redact('tok-123456-extra and tok-123456', secrets)).to.equal('<redacted LONG_TOKEN> and <redacted SHORT_TOKEN>')
  })

  it('leaves values too short or too common to be secrets alone', () => {
    expect(envSecrets({FEATURE_TOKEN_ENABLED: 'true', KEY_COUNT: '3', API_KEY: ''})).to.deep.equal([])
  })

  it("hides what a secret config key receives: literally, or substituted from a variable whatever the variable's name", () => {
    mkdirSync(join(dir.path, 'config'))
    writeFileSync(
      join(dir.path, 'config/llm_router.yaml'),
      'providers:\n  - name: openai\n    base_url: https://api.openai.com/v1\n    api_key: ${PROVIDER_CRED}\n  - name: other\n    api_key: ${UNSET_CRED:-fallback-cred}\n',
    )
    writeFileSync(join(dir.path, 'config/tools.yaml'), 'servers:\n  s:\n    env: {SERVICE_TOKEN: literal-token-value}\n')
    writeFileSync(join(dir.path, 'config/broken.yaml'), 'a: [\n')
    const secrets = configSecrets(dir.path, {PROVIDER_CRED: 'cred-from-env'})
    expect(secrets.map(({name, value}) => `${name}=${value}`).sort()).to.deep.equal([
      'PROVIDER_CRED=cred-from-env',
      'UNSET_CRED=fallback-cred',
      'config/llm_router.yaml api_key=cred-from-env',
      'config/llm_router.yaml api_key=fallback-cred',
      'config/tools.yaml SERVICE_TOKEN=literal-token-value',
    ])
    expect(redact('cred-from-env, literal-token-value', projectSecrets(dir.path, {PROVIDER_CRED: 'cred-from-env'}))).to.equal('<redacted PROVIDER_CRED>, <redacted config/tools.yaml SERVICE_TOKEN>')
  })
})
