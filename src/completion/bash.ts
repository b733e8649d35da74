/**
 * The bash part oclif's completion lacks: after `restack g|generate|d|destroy` the kinds, and after
 * `restack d <kind>` or `restack destroy:<kind>` the names of the project's existing entities. It runs
 * in the shell on each Tab (no node start): names are the files of the kind's folder. Anything else
 * goes to oclif's `_<bin>_autocomplete`.
 */
export function dynamicBashCompletion(bin: string, generateKinds: string[], destroyKinds: string[]): string {
  const fn = `_${bin.replaceAll(/\W/g, '_')}`
  return `
${fn}_entities() {
  local kind=$1 dir root=$PWD
  while [[ $root != / && ! -f $root/restack.yaml ]]; do root=$(dirname "$root"); done
  [[ -f $root/restack.yaml ]] || return 0
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
  fi
  ${fn}_autocomplete
}

complete -o default -F ${fn}_dynamic ${bin}
`
}
