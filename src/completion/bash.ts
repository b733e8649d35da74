/**
 * The bash part oclif's completion lacks: after `restack g|generate|d|destroy` the kinds; after
 * `restack d <kind>` or `restack destroy:<kind>` the names of the project's existing entities (the
 * files of the kind's folder); and the argument values commands cache in .restack/cache/complete
 * (a plugin's servers and tools). It runs in the shell on each Tab (no node start). Anything else
 * goes to oclif's `_<bin>_autocomplete`.
 */
import {COMPLETION_CACHE} from './cache.js'

export function dynamicBashCompletion(bin: string, generateKinds: string[], destroyKinds: string[]): string {
  const fn = `_${bin.replaceAll(/\W/g, '_')}`
  return `
${fn}_entities() {
  local kind=$1 dir root
  root=$(${fn}_root) || return 0
  case $kind in
    agent) dir=src/agents ;;
    workflow|pipeline) dir=src/workflows ;;
    function) dir=src/functions ;;
    prompt) [[ -d $root/prompts ]] && (cd "$root/prompts" && ls -1d */ 2>/dev/null | tr -d /); return 0 ;;
    *) return 0 ;;
  esac
  [[ -d $root/$dir ]] || return 0
  local file name
  for file in "$root/$dir"/*.ts; do
    name=$(basename "$file" .ts)
    [[ $name == index || ! -f $file ]] && continue
    if [[ $kind == pipeline ]]; then [[ $name == *Pipeline ]] && echo "$name"
    elif [[ $kind == workflow ]]; then [[ $name != *Pipeline ]] && echo "$name"
    else echo "$name"; fi
  done
}

${fn}_root() {
  local root=$PWD
  while [[ $root != / && ! -f $root/restack.yaml ]]; do root=$(dirname "$root"); done
  [[ -f $root/restack.yaml ]] && echo "$root"
}

# The values a command cached for its argument at this position: <id> for the first, <id>@<first> for the second.
${fn}_cached() {
  local root id=\${COMP_WORDS[1]} i=2 args=()
  root=$(${fn}_root) || return 1
  while (( i < COMP_CWORD )) && [[ \${COMP_WORDS[i]} == : ]]; do id+=":\${COMP_WORDS[i+1]}"; i=$((i + 2)); done
  for (( ; i < COMP_CWORD; i++ )); do [[ \${COMP_WORDS[i]} == -* ]] || args+=("\${COMP_WORDS[i]}"); done
  local file=$root/${COMPLETION_CACHE}/$id
  (( \${#args[@]} == 1 )) && file+="@\${args[0]}"
  (( \${#args[@]} > 1 )) && return 1
  [[ -f $file ]] || return 1
  COMPREPLY=($(compgen -W "$(cat "$file")" -- "\${COMP_WORDS[COMP_CWORD]}"))
}

${fn}_dynamic() {
  local cur=\${COMP_WORDS[COMP_CWORD]} first=\${COMP_WORDS[1]} kind=""
  if [[ $cur != -* ]]; then
    if (( COMP_CWORD == 2 )) && [[ $first == g || $first == generate ]]; then
      COMPREPLY=($(compgen -W "${generateKinds.join(' ')}" -- "$cur")); return 0
    fi
    if (( COMP_CWORD == 2 )) && [[ $first == d || $first == destroy ]]; then
      COMPREPLY=($(compgen -W "${destroyKinds.join(' ')}" -- "$cur")); return 0
    fi
    if (( COMP_CWORD == 3 )) && [[ $first == d || $first == destroy ]]; then kind=\${COMP_WORDS[2]}; fi
    if (( COMP_CWORD == 2 )) && [[ $first == destroy:* ]]; then kind=\${first#destroy:}; fi
    # bash splits "destroy:agent" at the colon: restack destroy : agent <name>
    if (( COMP_CWORD == 4 )) && [[ $first == destroy && \${COMP_WORDS[2]} == : ]]; then kind=\${COMP_WORDS[3]}; fi
    if [[ -n $kind ]]; then
      COMPREPLY=($(compgen -W "$(${fn}_entities "$kind")" -- "$cur")); return 0
    fi
    ${fn}_cached && return 0
  fi
  ${fn}_autocomplete
}

complete -o default -F ${fn}_dynamic ${bin}
`
}
