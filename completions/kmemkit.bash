# bash completion for kmemkit: vmlayout, va2pa, bootmem, buddyctl, kmapsim.
# Installed as share/bash-completion/completions/<tool> (the same file under each name).
#
# Nothing is listed here: options, their values (profile names, --format words, -o/--output
# columns, buddyctl gen --mix verbs) and subcommands come from the tool itself,
# `TOOL --complete [SUBCOMMAND]`, one tab-separated line per item (libcore/cli/complete.hpp):
#   command<TAB>NAME<TAB>DESCRIPTION
#   option<TAB>NAMES<TAB>ATTRS<TAB>VALUES<TAB>DESCRIPTION
#   positional<TAB>NAME<TAB>ATTRS<TAB>VALUES<TAB>DESCRIPTION

# Reads `TOOL --complete ARGS...` into the caller's _km_attrs/_km_values (option name -> ...),
# _km_opts (every option name), _km_cmds (subcommand names) and _km_pos (the positional's ATTRS).
_kmemkit_spec() {
    local tool=$1 kind names attrs values desc n
    shift
    _km_opts="" _km_cmds="" _km_pos="" _km_posvals=""
    _km_attrs=() _km_values=()
    while IFS=$'\t' read -r kind names attrs values desc; do
        [[ $values == - ]] && values=""
        case $kind in
        command) _km_cmds+=" $names" ;;
        positional) _km_pos=$attrs _km_posvals=$values ;;
        option)
            for n in $names; do
                _km_opts+=" $n"
                _km_attrs[$n]=$attrs
                _km_values[$n]=$values
            done
            ;;
        esac
    done < <("$tool" --complete "$@" 2>/dev/null)
}

# Completes $cur as the value of an option (or the positional) with ATTRS and VALUES.
_kmemkit_values() {
    local attrs=$1 values=$2 cur=$3
    if [[ $attrs == *list* ]]; then
        # a comma-separated list: complete the item after the last comma
        local done_part=""
        [[ $cur == *,* ]] && done_part=${cur%,*},
        COMPREPLY=($(compgen -P "$done_part" -W "$values" -- "${cur##*,}"))
        compopt -o nospace 2>/dev/null
        return
    fi
    [[ $attrs == *words* ]] && COMPREPLY+=($(compgen -W "$values" -- "$cur"))
    if [[ $attrs == *file* ]]; then
        compopt -o filenames 2>/dev/null
        COMPREPLY+=($(compgen -f -- "$cur"))
    fi
}

_kmemkit() {
    local tool=${COMP_WORDS[0]} _km_opts _km_cmds _km_pos _km_posvals sub="" i t
    local -A _km_attrs=() _km_values=()
    local -a words=()
    COMPREPLY=()
    # bash splits "--format=json" and "--mix alloc=3,kmap" at '=' (COMP_WORDBREAKS): glue the
    # pieces back so that each word is what the tool sees
    local glue=0
    for ((i = 0; i <= COMP_CWORD; i++)); do
        t=${COMP_WORDS[i]}
        if [[ $t =~ ^[=:]+$ ]] && ((${#words[@]})); then
            words[-1]+=$t glue=1
        elif ((glue)) && ((${#words[@]})); then
            words[-1]+=$t glue=0
        else
            words+=("$t")
        fi
    done
    local cur=${words[-1]} prev=""
    ((${#words[@]} > 2)) && prev=${words[-2]}
    # what readline replaces: the text after the last '=' or ':' of the word
    local rl=${COMP_WORDS[COMP_CWORD]}
    [[ $rl =~ ^[=:]+$ ]] && rl=""
    local strip=${cur%"$rl"}

    _kmemkit_spec "$tool"
    # the subcommand typed so far, skipping the values of options
    for ((i = 1; i < ${#words[@]} - 1; i++)); do
        t=${words[i]}
        if [[ $t == -* ]]; then
            [[ $t != *=* && ${_km_attrs[$t]} == value* ]] && ((i++))
        elif [[ -z $sub && " $_km_cmds " == *" $t "* ]]; then
            sub=$t
            _kmemkit_spec "$tool" "$sub"
        fi
    done
    if [[ $cur == -*=* && ${_km_attrs[${cur%%=*}]} == value* ]]; then   # --opt=VALUE
        local opt=${cur%%=*}
        _kmemkit_values "${_km_attrs[$opt]}" "${_km_values[$opt]}" "${cur#*=}"
        COMPREPLY=("${COMPREPLY[@]/#/$opt=}")
    elif [[ $prev == -* && $prev != *=* && ${_km_attrs[$prev]} == value* ]]; then   # --opt VALUE
        _kmemkit_values "${_km_attrs[$prev]}" "${_km_values[$prev]}" "$cur"
    elif [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$_km_opts" -- "$cur"))
    else
        [[ -z $sub ]] && COMPREPLY=($(compgen -W "$_km_cmds" -- "$cur"))
        [[ -n $_km_pos ]] && _kmemkit_values "$_km_pos" "$_km_posvals" "$cur"
    fi
    [[ -n $strip ]] && COMPREPLY=("${COMPREPLY[@]#"$strip"}")
    return 0
}

complete -F _kmemkit vmlayout va2pa bootmem buddyctl kmapsim
