#!/bin/sh
# SPDX-License-Identifier: MIT
# The manual agrees with the program: every long option that 'gongji CMD
# --help' lists (for every command 'gongji --help' lists) appears in
# man/gongji.1 and in the Chinese man/zh_CN/man1/gongji.1; the man pages
# (gongji.1, gongji.5, the Chinese gongji.1) render without a warning; the
# ENVIRONMENT section names every variable the program reads; and the bash
# completion completes commands, options and --by values.
. "$(dirname "$0")/lib.sh"

MAN1="$GONGJI_TOP/man/gongji.1"
MAN5="$GONGJI_TOP/man/gongji.5"
ZH1="$GONGJI_TOP/man/zh_CN/man1/gongji.1"
COMP="$GONGJI_TOP/contrib/gongji.bash-completion"
for f in "$MAN1" "$MAN5" "$ZH1" "$COMP"; do
    [ -f "$f" ] || bad "missing $f"
done
[ "$FAILED" = 0 ] || finish

cmds=$("$GONGJI" --help | awk '/^Commands:/ { on = 1; next }
                                on && /^  [a-z]/ { print $1 }
                                on && /^$/ { exit }')
[ -n "$cmds" ] || fail "gongji --help lists no commands"

# In roff, '-' is written '\-': compare the pages with that undone.
sed 's/\\-/-/g' "$MAN1" >"$T/man1"
sed 's/\\-/-/g' "$ZH1" >"$T/zh1"

note "every option of every command's --help is in both man pages"
for c in $cmds; do
    "$GONGJI" "$c" --help >"$T/help.$c" || bad "gongji $c --help failed"
    grep -q "gongji $c" "$T/man1" || bad "man/gongji.1 does not show 'gongji $c'"
    grep -q "gongji $c" "$T/zh1" || bad "zh_CN gongji.1 does not show 'gongji $c'"
    opts=$(grep -o -- '--[a-z][a-z-]*' "$T/help.$c" | sort -u)
    [ -n "$opts" ] || bad "gongji $c --help lists no options"
    for o in $opts; do
        grep -q -- "$o" "$T/man1" || bad "man/gongji.1 lacks $o (gongji $c --help)"
        grep -q -- "$o" "$T/zh1" || bad "zh_CN gongji.1 lacks $o (gongji $c --help)"
        # the synopsis line of the command lists it too (--help is general)
        [ "$o" = --help ] && continue
        awk -v c="$c" '$0 == ".B gongji " c { getline; print; exit }' \
            "$T/man1" | grep -q -- "$o" ||
            bad "man/gongji.1 SYNOPSIS of $c lacks $o"
    done
done

note "ENVIRONMENT names every variable the program reads"
vars=$(cat "$GONGJI_TOP"/cli/*.c | grep -o 'getenv("[A-Z_]*")' |
    sed 's/getenv("\(.*\)")/\1/' | sort -u)
[ -n "$vars" ] || bad "no getenv() found in cli/"
for v in $vars; do
    for m in "$T/man1" "$T/zh1"; do
        sed -n '/^\.SH \(ENVIRONMENT\|环境变量\)/,/^\.SH/p' "$m" |
            grep -qx "\.B $v" || bad "${m##*/}: ENVIRONMENT lacks $v"
    done
done
for s in FILES ENVIRONMENT EXAMPLES "EXIT STATUS"; do
    grep -qx "\.SH $s" "$MAN1" || bad "man/gongji.1 has no $s section"
done
for s in 文件 环境变量 示例 退出状态; do
    grep -qx "\.SH $s" "$ZH1" || bad "zh_CN gongji.1 has no $s section"
done

note "the pages render without warnings"
if command -v groff >/dev/null 2>&1; then
    for m in "$MAN1" "$MAN5"; do
        groff -k -man -Tutf8 -ww -z "$m" >"$T/groff.err" 2>&1
        [ $? = 0 ] && [ ! -s "$T/groff.err" ] ||
            bad "groff warns on ${m#"$GONGJI_TOP"/}: $(head -n 3 "$T/groff.err")"
    done
    # -mzh: Chinese lines may break between characters (as man-db does)
    groff -k -mzh -man -Tutf8 -ww -z "$ZH1" >"$T/groff.err" 2>&1
    [ $? = 0 ] && [ ! -s "$T/groff.err" ] ||
        bad "groff warns on the zh_CN page: $(head -n 3 "$T/groff.err")"
else
    note "groff not installed: rendering not checked"
fi
if command -v mandoc >/dev/null 2>&1; then
    for m in "$MAN1" "$MAN5" "$ZH1"; do
        mandoc -Tlint -Wwarning "$m" >"$T/lint" 2>&1 ||
            bad "mandoc -Tlint ${m#"$GONGJI_TOP"/}: $(head -n 3 "$T/lint")"
    done
else
    note "mandoc not installed: no lint"
fi

note "bash completion"
if command -v bash >/dev/null 2>&1; then
    # comp WORDS...: COMPREPLY (one per line) for the last word, as TAB
    # would give it
    comp() {
        bash -c '. "$1"; shift
                 COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
                 _gongji; printf "%s\n" "${COMPREPLY[@]}"' comp "$COMP" "$@"
    }
    bash -c '. "$1"; complete -p gongji' x "$COMP" >"$T/complete" 2>&1 ||
        bad "complete -p gongji: $(cat "$T/complete")"
    [ "$(comp gongji qu)" = query ] || bad "gongji qu<TAB> gives '$(comp gongji qu)'"
    [ "$(comp gongji query --by pro)" = province ] ||
        bad "gongji query --by pro<TAB> gives '$(comp gongji query --by pro)'"
    [ "$(comp gongji query --by area,sc)" = area,scope ] ||
        bad "gongji query --by area,sc<TAB> gives '$(comp gongji query --by area,sc)'"
    [ "$(comp gongji query --where rel)" = relation= ] ||
        bad "gongji query --where rel<TAB> gives '$(comp gongji query --where rel)'"
    [ "$(comp gongji query --format j)" = json ] ||
        bad "gongji query --format j<TAB> gives '$(comp gongji query --format j)'"
    # every command's options, exactly those of its --help
    for c in $cmds; do
        grep -o -- '--[a-z][a-z-]*' "$T/help.$c" | sort -u >"$T/want"
        comp gongji "$c" -- | sort -u >"$T/got"
        cmp -s "$T/want" "$T/got" ||
            bad "completion of 'gongji $c --': $(diff "$T/want" "$T/got" | grep '^[<>]' | tr '\n' ' ')"
    done
    comp gongji "" | sort >"$T/got"
    for c in $cmds; do
        grep -qx "$c" "$T/got" || bad "gongji <TAB> does not offer $c"
    done
else
    note "bash not installed: completion not checked"
fi

finish
