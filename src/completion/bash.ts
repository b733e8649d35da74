/**
 * The bash part oclif's completion lacks: after `restack g|generate|d|destroy` the kinds; the flags of
 * generate:<kind> after `restack g <kind>`; every command as `a b` or `a:b`; after
 * `restack d <kind>` or `restack destroy:<kind>` the names of the project's existing entities (the
 * files of the kind's folder); and the argument values commands cache in .restack/cache/complete
 * (a plugin's servers and tools). It runs in the shell on each Tab (no node start). Anything else
 * goes to oclif's `_<bin>_autocomplete`.
 */
import {COMPLETION_CACHE} from './cache.js'

export function dynamicBashCompletion(bin: string, commandIds: string[], generateKinds: string[], destroyKinds: string[]): string {
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

# The words that name the command among the words given: the longest leading run that is a command id.
${fn}_command() {
  local ids=" ${commandIds.join(' ')} " id="" best=() i
  for (( i = 1; i <= $#; i++ )); do
    id+="\${id:+:}\${!i}"
    [[ $ids == *" $id "* ]] && best=("\${@:1:i}")
  done
  echo "\${best[@]}"
}

# The values a command cached for its argument at this position: <id> for the first, <id>@<first> for the
# second. The command is the longest run of leading words that has cache files (so a plugin installed
# after this script was made still completes).
${fn}_cached() {
  local root dir k id args i file
  root=$(${fn}_root) || return 1
  dir=$root/${COMPLETION_CACHE}
  [[ -d $dir ]] || return 1
  for (( k = cword - 1; k >= 1; k-- )); do
    id=$(IFS=:; echo "\${words[*]:1:k}")
    compgen -G "$dir/$id" >/dev/null || compgen -G "$dir/$id@*" >/dev/null || continue
    args=()
    for (( i = k + 1; i < cword; i++ )); do [[ \${words[i]} == -* ]] || args+=("\${words[i]}"); done
    (( \${#args[@]} > 1 )) && return 1
    file=$dir/$id
    (( \${#args[@]} == 1 )) && file+="@\${args[0]}"
    [[ -f $file ]] || return 1
    COMPREPLY=($(compgen -W "$(cat "$file")" -- "$cur"))
    return 0
  done
  return 1
}

${fn}_dynamic() {
  # One shape for every form: bash splits "generate:agent" at the colon ("generate" ":" "agent"), the
  # separator restack prints is a space, and g and d stand for generate and destroy.
  local words=() cword=0 i word
  for (( i = 0; i < \${#COMP_WORDS[@]}; i++ )); do
    word=\${COMP_WORDS[i]}
    if [[ $word == : ]]; then
      (( i == COMP_CWORD )) && { cword=\${#words[@]}; words+=(""); }
      continue
    fi
    (( i == COMP_CWORD )) && cword=\${#words[@]}
    words+=("$word")
  done
  case \${words[1]} in g) words[1]=generate ;; d) words[1]=destroy ;; esac
  local cur=\${words[cword]} first=\${words[1]} kind=""
  if [[ $cur != -* ]]; then
    if (( cword == 2 )) && [[ $first == generate ]]; then
      COMPREPLY=($(compgen -W "${generateKinds.join(' ')}" -- "$cur")); return 0
    fi
    if (( cword == 2 )) && [[ $first == destroy ]]; then
      COMPREPLY=($(compgen -W "${destroyKinds.join(' ')}" -- "$cur")); return 0
    fi
    if (( cword == 3 )) && [[ $first == destroy ]]; then kind=\${words[2]}; fi
    if [[ -n $kind ]]; then
      COMPREPLY=($(compgen -W "$(${fn}_entities "$kind")" -- "$cur")); return 0
    fi
    ${fn}_cached && return 0
  fi
  # oclif's completion of commands and flags, on the same words; for a flag only the command before it counts.
  local COMP_WORDS COMP_CWORD
  if [[ $cur == -* ]]; then
    local command=($(${fn}_command "\${words[@]:1:cword-1}"))
    (( \${#command[@]} > 0 )) || command=("\${words[@]:1:cword-1}")
    COMP_WORDS=("\${words[0]}" "\${command[@]}" "$cur")
  else
    COMP_WORDS=("\${words[@]:0:cword+1}")
  fi
  COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
  ${fn}_autocomplete
}

complete -o default -F ${fn}_dynamic ${bin}
`
}
