#!/bin/sh
# SPDX-License-Identifier: MIT
# Messages in Chinese (issue 14, "Chinese messages"):
#  - every file of the bad-file corpus, checked under LANGUAGE=zh_CN and
#    under the default: the same exit statuses and the same FILE:LINE:COL
#    locations and error:/warning: keywords; every Chinese message text
#    (after "error: "/"warning: ", quoted values and the file's own header
#    text taken out) holds Chinese characters, so none was left in English;
#  - the default stays English: LANGUAGE=en (no catalog) prints the same
#    bytes as no LANGUAGE at all;
#  - gongji --help and gongji check --help print Chinese, and keep every
#    option name;
#  - the numbers do not follow the locale: under LC_ALL=zh_CN.UTF-8 (and
#    de_DE.UTF-8, whose decimal sign is a comma) query, aggregate and the
#    bulletin's workbook are byte-identical to the C locale's (the locales
#    are compiled into the test directory with localedef when they are not
#    installed; skipped with a note when that cannot be done).
. "$(dirname "$0")/lib.sh"

unset LANGUAGE LC_MESSAGES LANG
CJK='[\x{3400}-\x{9fff}]'

# body FILE: the message text of each error:/warning: line, with quoted
# values ('...') and the bracketed column part taken out.
body() {
    sed -n 's/^[^ ]*: \(error\|warning\): //p' "$1" |
        sed "s/ \[[^]]*\]\$//; s/'[^']*'//g"
}

# where FILE: the location and keyword of each message line.
where() {
    sed -n 's/^\([^ ]*: \(error\|warning\)\): .*/\1/p' "$1"
}

n=0
for f in "$BAD"/*.csv; do
    b=$(basename "$f" .csv)
    run "$b.en" "$GONGJI" check "$f"
    rc_en=$rc
    LANGUAGE=en run "$b.en2" "$GONGJI" check "$f"
    LANGUAGE=zh_CN run "$b.zh" "$GONGJI" check "$f"
    rc_zh=$rc
    n=$((n + 1))
    [ "$rc_en" = "$rc_zh" ] ||
        bad "$b: exit status $rc_zh in Chinese, $rc_en in English"
    cmp -s "$T/$b.en.err" "$T/$b.en2.err" ||
        bad "$b: LANGUAGE=en changed the English messages"
    where "$T/$b.en.err" >"$T/$b.loc.en"
    where "$T/$b.zh.err" >"$T/$b.loc.zh"
    cmp -s "$T/$b.loc.en" "$T/$b.loc.zh" ||
        bad "$b: locations differ: $(diff "$T/$b.loc.en" "$T/$b.loc.zh" |
            tr '\n' ' ')"
    body "$T/$b.zh.err" >"$T/$b.body"
    while IFS= read -r line; do
        printf '%s\n' "$line" | grep -qP "$CJK" ||
            bad "$b: untranslated message: $line"
    done <"$T/$b.body"
    # the summary line too
    if grep -q 'rejected' "$T/$b.en.err"; then
        grep '^gongji check' "$T/$b.zh.err" | grep -qP "$CJK" ||
            bad "$b: the summary line is not in Chinese"
    fi
done
note "$n corpus files checked in both languages"

# The file's own header text and the Chinese column names.
printf '%s\n' '统计期,统筹区编码,共济范围,共济用途,共济关系,共济人次,共济金额(元)' \
    '2024-01,330100,same_area,medical,spouse,1,265719O.80' >h.csv
LANGUAGE=zh_CN run hdr "$GONGJI" check h.csv
expect_rc hdr 1
grep -q "^h.csv:2:7: error: 共济金额 '265719O.80' 不是十进制数 \[列 G '共济金额(元)'\]\$" \
    "$T/hdr.err" || bad "header text: $(cat "$T/hdr.err")"

# --help in Chinese, with every option of the English text.
for c in "" check ingest aggregate query chart bulletin submissions; do
    LANGUAGE=zh_CN run "help$c" "$GONGJI" $c --help
    expect_rc "help$c" 0
    head -n 1 "$T/help$c.out" | grep -q '^用法：gongji' ||
        bad "gongji $c --help is not in Chinese"
    run "helpen$c" "$GONGJI" $c --help
    grep -o -- '--[a-z][a-z-]*' "$T/helpen$c.out" | sort -u >"$T/opt.en"
    grep -o -- '--[a-z][a-z-]*' "$T/help$c.out" | sort -u >"$T/opt.zh"
    cmp -s "$T/opt.en" "$T/opt.zh" ||
        bad "gongji $c --help: options differ in Chinese: $(diff \
            "$T/opt.en" "$T/opt.zh" | tr '\n' ' ')"
done

# Numbers under locales with other conventions.  A locale that is not
# installed is compiled into the test directory (LOCPATH).
# locale_ok LOCPATH LOCALE: can the C library set LOCALE?
locale_ok() {
    env ${1:+LOCPATH="$1"} LC_ALL="$2" locale 2>&1 | grep -q 'Cannot set' &&
        return 1
    return 0
}
mkdir -p loc
for l in zh_CN de_DE; do
    locale_ok "" "$l.UTF-8" && continue
    localedef -i "$l" -f UTF-8 "loc/$l.UTF-8" >/dev/null 2>&1 ||
        note "cannot compile $l.UTF-8 (localedef): not checked"
done
LOCPATH_T="$T/loc"

run ing "$GONGJI" ingest --db n.db "$BAD/good.csv" "$BAD/good2.csv"
expect_rc ing 0
"$GONGJI" query --db n.db --period 2024-01..2024-02 --by area,scope \
    --format csv >q.c 2>&1
"$GONGJI" query --db n.db --period 2024-01..2024-02 --by province \
    --format json >j.c 2>&1
"$GONGJI" aggregate "$BAD/good.csv" >a.c 2>&1
SOURCE_DATE_EPOCH=1730000000 "$GONGJI" bulletin --allow-incomplete --db n.db --period 2024-02 \
    --out b.c --no-charts --quiet >/dev/null 2>&1
grep -q '\.' q.c || bad "query csv has no decimal point: $(cat q.c)"
checked=0
for l in zh_CN.UTF-8 de_DE.UTF-8; do
    if locale_ok "" "$l"; then
        lp=
    elif [ -d "loc/$l" ] && locale_ok "$LOCPATH_T" "$l"; then
        lp=$LOCPATH_T
    else
        note "$l cannot be set: not checked"
        continue
    fi
    (
        [ -n "$lp" ] && export LOCPATH="$lp"
        export LC_ALL="$l"
        "$GONGJI" query --db n.db --period 2024-01..2024-02 --by area,scope \
            --format csv >q.l 2>&1
        "$GONGJI" query --db n.db --period 2024-01..2024-02 --by province \
            --format json >j.l 2>&1
        "$GONGJI" aggregate "$BAD/good.csv" >a.l 2>&1
        SOURCE_DATE_EPOCH=1730000000 "$GONGJI" bulletin --allow-incomplete --db n.db \
            --period 2024-02 --out b.l --no-charts --quiet >/dev/null 2>&1
        LANGUAGE= "$GONGJI" check "$BAD/amount-malformed.csv" 2>m.l
    )
    cmp -s q.c q.l || bad "$l: query csv differs: $(diff q.c q.l | head -4)"
    cmp -s j.c j.l || bad "$l: query json differs"
    cmp -s a.c a.l || bad "$l: aggregate output differs"
    cmp -s b.c/attachment.xlsx b.l/attachment.xlsx ||
        bad "$l: attachment.xlsx differs"
    cmp -s b.c/bulletin.md b.l/bulletin.md || bad "$l: bulletin.md differs"
    case $l in
    zh_CN*)
        grep -q "error: 共济金额 '12,5O' 不是十进制数" m.l ||
            bad "LC_ALL=$l does not select Chinese: $(cat m.l)"
        ;;
    esac
    rm -rf b.l
    checked=$((checked + 1))
done
note "$checked locale(s) checked for numbers"
finish
