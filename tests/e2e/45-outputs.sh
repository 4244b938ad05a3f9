#!/bin/sh
# SPDX-License-Identifier: MIT
# Outputs whole or not at all (issue 10, items 2-4 and 12): a bulletin
# killed (SIGKILL, SIGTERM) at random moments leaves bulletin.md,
# attachment.xlsx and charts/ each either exactly the previous set or
# exactly the new one; SIGTERM removes its temporary files and helpers at
# once, and what a SIGKILL leaves is removed by the next run; no helper
# process outlives gongji; symlinks planted at the output names or at the
# old predictable temporary names are replaced, never written through; a
# failing gnuplot leaves the previous charts set intact and says so.
#
# GONGJI_SOAK_KILLS (default 20) sets the number of SIGKILLs during the
# workbook write; a seventh as many of each signal hit the chart drawing.
. "$(dirname "$0")/lib.sh"

command -v gnuplot >/dev/null 2>&1 ||
    skip "gnuplot is not installed (scripts/setup-deps.sh installs gnuplot-nox)"
for p in pdftoppm pdftocairo unzip; do
    command -v $p >/dev/null 2>&1 || skip "$p is not installed"
done

KILLS=${GONGJI_SOAK_KILLS:-20}
CKILLS=$(((KILLS + 6) / 7))
DB="$T/s.db"
mkdir -p "$T/tmp"
# the helpers' private directories go here, so we can see what is left
export TMPDIR="$T/tmp"

DB2="$T/s2.db"
ingest_sample "$DB" 2024-10-20
# the new set: without Beijing's September, so every chart differs
ingest_sample "$DB2" 2024-09-15
# shellcheck disable=SC2046
run ingest2 "$GONGJI" ingest --quiet --db "$DB2" \
    $(ls "$SAMPLE"/2024-10-15/*.csv | grep -v /110000_2024-09)
expect_rc ingest2 0

# bulletin DIR DB EPOCH ASOF [ARGS...]: one bulletin run into DIR (env
# execs gongji, so that `bulletin ... &` from a simple command gives
# gongji's own PID in $!).
bulletin() {
    _d=$1 _db=$2 _e=$3 _a=$4
    shift 4
    env SOURCE_DATE_EPOCH="$_e" "$GONGJI" bulletin --quiet --allow-incomplete --db "$_db" \
        --period 2024-09 --as-of "$_a" --out "$_d" "$@"
}
OLD_ARGS="$DB 1730000000 2024-10-20"
NEW_ARGS="$DB2 1730086400 2024-10-21"

note "reference sets: the old one and the new one"
# shellcheck disable=SC2086 # the args are split on purpose
bulletin "$T/old" $OLD_ARGS >"$T/old.out" 2>"$T/old.err" ||
    fail "old set: $(cat "$T/old.err")"
# shellcheck disable=SC2086
bulletin "$T/new" $NEW_ARGS >"$T/new.out" 2>"$T/new.err" ||
    fail "new set: $(cat "$T/new.err")"
for f in bulletin.md bulletin.html figures.csv attachment.xlsx internal.xlsx; do
    cmp -s "$T/old/$f" "$T/new/$f" && fail "the two sets have the same $f"
done
# the page of a --no-charts run has no images: the new text without charts
# shellcheck disable=SC2086
bulletin "$T/newnc" $NEW_ARGS --no-charts >/dev/null 2>"$T/newnc.err" ||
    fail "new set without charts: $(cat "$T/newnc.err")"
CHARTS=$(cd "$T/new/charts" && ls)
[ "$(echo "$CHARTS" | wc -l)" = 18 ] || fail "new set: charts are $CHARTS"
[ "$(cd "$T/old/charts" && ls)" = "$CHARTS" ] || fail "old charts differ in names"
for c in $CHARTS; do
    cmp -s "$T/old/charts/$c" "$T/new/charts/$c" &&
        fail "the two sets have the same charts/$c"
done

# setof FILE NAME: "old" or "new" when FILE equals that set's NAME, else
# "bad".
setof() {
    if cmp -s "$1" "$T/old/$2"; then
        echo old
    elif cmp -s "$1" "$T/new/$2"; then
        echo new
    elif [ "$2" = bulletin.html ] && cmp -s "$1" "$T/newnc/$2"; then
        echo new # written by a --no-charts run
    else
        echo bad
    fi
}

# check_set DIR LABEL: bulletin.md, bulletin.html and attachment.xlsx each
# old or new, regular files, the workbook a valid zip; charts/ all old or
# all new.
check_set() {
    for f in bulletin.md bulletin.html figures.csv attachment.xlsx internal.xlsx; do
        if [ -L "$1/$f" ] || [ ! -f "$1/$f" ]; then
            bad "$2: $f is not a regular file"
            continue
        fi
        w=$(setof "$1/$f" $f)
        [ "$w" != bad ] || bad "$2: $f is neither the old nor the new one ($(wc -c <"$1/$f") bytes)"
        k=$(echo "$f" | tr . _)
        eval "count_${k}_$w=\$((\${count_${k}_$w:-0} + 1))"
    done
    unzip -tq "$1/attachment.xlsx" >/dev/null 2>&1 ||
        bad "$2: attachment.xlsx does not pass unzip -t"
    [ "$(cd "$1/charts" 2>/dev/null && ls)" = "$CHARTS" ] ||
        bad "$2: charts/ holds $(cd "$1/charts" 2>/dev/null && ls -A | tr '\n' ' ')"
    cw=
    for c in $CHARTS; do
        w=$(setof "$1/charts/$c" charts/$c)
        [ -z "$cw" ] && cw=$w
        [ "$w" = "$cw" ] || cw=mixed
    done
    case $cw in
    old | new) eval "count_charts_$cw=\$((\${count_charts_$cw:-0} + 1))" ;;
    *) bad "$2: charts/ is not one complete set ($cw)" ;;
    esac
    left=$(ls -A "$1" | grep -v '^bulletin.md$\|^bulletin.html$\|^figures.csv$\|^attachment.xlsx$\|^internal.xlsx$\|^bulletin.docx$\|^bulletin.pdf$\|^charts$')
    [ -z "$left" ] || echo "$left" >"$T/left.$3"
}

# helpers PATTERN: the helper processes whose arguments mention PATTERN.
helpers() {
    ps -eo pid=,stat=,args= | awk -v p="$1" \
        'index($0, p) && $2 !~ /^Z/ && $3 ~ /gnuplot|pdftoppm|pdftocairo/'
}

# delay I MAX_MS: a pseudo-random delay in seconds for kill I, fixed seed.
delay() {
    awk -v i="$1" -v m="$2" 'BEGIN { srand(4510 + i); printf "%.3f", rand() * m / 1000 }'
}

# soak SIG N MAX_MS ARGS...: N runs from the old set, each killed with SIG
# after a random delay below MAX_MS.
soak() {
    _sig=$1 _n=$2 _max=$3
    shift 3
    _i=0
    while [ $_i -lt "$_n" ]; do
        _i=$((_i + 1))
        rm -rf "$T/k"
        cp -a "$T/old" "$T/k"
        # not through bulletin(): $! must be gongji, not a subshell
        env SOURCE_DATE_EPOCH=1730086400 "$GONGJI" bulletin --quiet --allow-incomplete \
            --db "$DB2" --period 2024-09 --as-of 2024-10-21 --out "$T/k" \
            "$@" >"$T/k.out" 2>"$T/k.err" &
        _pid=$!
        sleep "$(delay "$_i$_sig$_max" "$_max")"
        kill -"$_sig" $_pid 2>/dev/null
        wait $_pid
        _rc=$?
        case $_sig.$_rc in
        KILL.137 | TERM.143 | *.0) ;;
        *) bad "kill -$_sig $_i: exit status $_rc: $(head -n 3 "$T/k.err")" ;;
        esac
        # the helpers die with gongji, even by SIGKILL (PR_SET_PDEATHSIG)
        sleep 0.5
        h=$(helpers "$T/tmp")
        [ -z "$h" ] || bad "kill -$_sig $_i: helpers still run: $h"
        if [ "$_sig" = TERM ]; then
            # SIGTERM cleans up at once
            l=$(ls -A "$T/tmp")
            [ -z "$l" ] || bad "kill -TERM $_i: left in TMPDIR: $l"
            l=$(ls -A "$T/k" | grep -v '^bulletin.md$\|^bulletin.html$\|^figures.csv$\|^attachment.xlsx$\|^internal.xlsx$\|^bulletin.docx$\|^bulletin.pdf$\|^charts$')
            [ -z "$l" ] || bad "kill -TERM $_i: left in the output: $l"
        fi
        check_set "$T/k" "kill -$_sig $_i" "$_sig$_i"
        # what a SIGKILL left goes with the next run once it is stale
        if [ -n "$(ls -A "$T/tmp")" ] || [ -s "$T/left.$_sig$_i" ]; then
            find "$T/tmp" "$T/k" -mindepth 1 -maxdepth 1 -name '*.*' \
                -exec touch -h -d '10 minutes ago' {} +
            # --no-charts sweeps the output only; a chart run TMPDIR too
            _more=--no-charts
            [ -z "$(ls -A "$T/tmp")" ] || _more=
            # shellcheck disable=SC2086
            bulletin "$T/k" $NEW_ARGS $_more >/dev/null 2>"$T/k2.err" ||
                bad "kill -$_sig $_i: the next run failed: $(cat "$T/k2.err")"
            l=$(ls -A "$T/tmp")
            [ -z "$l" ] || bad "kill -$_sig $_i: left in TMPDIR after the next run: $l"
            l=$(ls -A "$T/k" | grep -v '^bulletin.md$\|^bulletin.html$\|^figures.csv$\|^attachment.xlsx$\|^internal.xlsx$\|^bulletin.docx$\|^bulletin.pdf$\|^charts$')
            [ -z "$l" ] || bad "kill -$_sig $_i: left in the output after the next run: $l"
            swept=$((${swept:-0} + 1))
        fi
    done
}

note "$KILLS x SIGKILL during the text and workbook (--no-charts, 0-150 ms)"
soak KILL "$KILLS" 150 --no-charts
note "$CKILLS x SIGKILL and $CKILLS x SIGTERM while the charts are drawn"
soak KILL "$CKILLS" 5000
soak TERM "$CKILLS" 5000
soak TERM "$CKILLS" 150 --no-charts
note "outcomes: bulletin.md old ${count_bulletin_md_old:-0} new ${count_bulletin_md_new:-0}," \
    "attachment.xlsx old ${count_attachment_xlsx_old:-0} new ${count_attachment_xlsx_new:-0}," \
    "charts old ${count_charts_old:-0} new ${count_charts_new:-0};" \
    "${swept:-0} runs left something the next run removed"

note "symlinks at the output names and at the old temporary names"
VICT="$T/victims"
mkdir -p "$VICT/dir"
for v in md xlsx png pred chart dirfile; do
    echo "precious $v" >"$VICT/$v"
done
echo "precious inside" >"$VICT/dir/map.png"
(cd "$VICT" && cksum md xlsx png pred chart dirfile dir/map.png) >"$T/victims.sum"
cp -a "$T/old" "$T/s1"
rm -f "$T/s1/bulletin.md" "$T/s1/attachment.xlsx" "$T/s1/charts/map.png"
ln -s "$VICT/md" "$T/s1/bulletin.md"
ln -s "$VICT/xlsx" "$T/s1/attachment.xlsx"
ln -s "$VICT/png" "$T/s1/charts/map.png"
# the next PIDs' names of the old code, bulletin.md.tmp<PID>: links to
# empty files, made with a handful of processes so the PIDs stay ahead
mkdir -p "$VICT/pred.d"
next=$(sh -c 'echo $$')
awk -v n="$next" 'BEGIN { for (p = n; p < n + 3000; p++) {
    print "bulletin.md.tmp" p; print "attachment.xlsx.tmp" p } }' |
    (cd "$VICT/pred.d" && xargs touch)
ls "$VICT/pred.d" | sed "s|^|$VICT/pred.d/|" | (cd "$T/s1" && xargs ln -s -t .)
# shellcheck disable=SC2086
bulletin "$T/s1" $NEW_ARGS >/dev/null 2>"$T/s1.err" ||
    bad "bulletin over symlinks failed: $(cat "$T/s1.err")"
find "$T/s1" -name 'bulletin.md.tmp*' -o -name 'attachment.xlsx.tmp*' | xargs rm -f
check_set "$T/s1" "symlinks" s1
for f in bulletin.md bulletin.html figures.csv attachment.xlsx internal.xlsx; do
    [ "$(setof "$T/s1/$f" $f)" = new ] || bad "symlinks: $f is not the new one"
done
[ -f "$T/s1/charts/map.png" ] && [ ! -L "$T/s1/charts/map.png" ] ||
    bad "symlinks: charts/map.png is not a regular file"
# a symlinked charts/ itself is replaced, its target left alone
cp -a "$T/old" "$T/s2"
rm -rf "$T/s2/charts"
ln -s "$VICT/dir" "$T/s2/charts"
# shellcheck disable=SC2086
bulletin "$T/s2" $NEW_ARGS >/dev/null 2>"$T/s2.err" ||
    bad "bulletin over a symlinked charts/ failed: $(cat "$T/s2.err")"
[ -d "$T/s2/charts" ] && [ ! -L "$T/s2/charts" ] ||
    bad "symlinks: charts/ is still a symlink"
check_set "$T/s2" "symlinked charts/" s2
# gongji chart --out through a symlink
ln -s "$VICT/chart" "$T/c.png"
run chart "$GONGJI" chart --db "$DB" --period 2024-01..2024-09 --kind use \
    --out "$T/c.png"
expect_rc chart 0
[ -f "$T/c.png" ] && [ ! -L "$T/c.png" ] || bad "chart --out: not a regular file"
(cd "$VICT" && cksum md xlsx png pred chart dirfile dir/map.png) >"$T/victims.now"
cmp -s "$T/victims.sum" "$T/victims.now" ||
    bad "a symlink target was written: $(diff "$T/victims.sum" "$T/victims.now")"
w=$(find "$VICT/pred.d" -type f -size +0)
[ -z "$w" ] || bad "a planted temporary name was written through: $w"

note "a failing gnuplot leaves the previous charts and says so"
FAKE="$T/fake"
mkdir -p "$FAKE"
printf '#!/bin/sh\necho "line 3: fake failure" >&2\nexit 1\n' >"$FAKE/gnuplot"
chmod +x "$FAKE/gnuplot"
cp -a "$T/old" "$T/f"
# shellcheck disable=SC2086
PATH="$FAKE:$PATH" bulletin "$T/f" $NEW_ARGS >"$T/f.out" 2>"$T/f.err"
rc=$?
[ "$rc" = 3 ] || bad "failing gnuplot: exit $rc, expected 3"
grep -q 'fake failure' "$T/f.err" || bad "failing gnuplot: not named: $(cat "$T/f.err")"
grep -q 'charts were not.*still holds the previous set' "$T/f.err" ||
    bad "failing gnuplot: the message does not say the old charts are kept: $(cat "$T/f.err")"
for c in $CHARTS; do
    cmp -s "$T/f/charts/$c" "$T/old/charts/$c" || bad "failing gnuplot: charts/$c changed"
done
[ "$(cd "$T/f/charts" && ls -A)" = "$CHARTS" ] ||
    bad "failing gnuplot: charts/ holds $(cd "$T/f/charts" && ls -A | tr '\n' ' ')"
for f in bulletin.md figures.csv attachment.xlsx internal.xlsx; do
    [ "$(setof "$T/f/$f" $f)" = new ] || bad "failing gnuplot: $f is not the new one"
done
# the page is new too, without the charts that failed
[ -f "$T/f/bulletin.html" ] && ! grep -q '<img' "$T/f/bulletin.html" ||
    bad "failing gnuplot: bulletin.html is missing or shows charts"
l=$(ls -A "$T/f" | grep -v '^bulletin.md$\|^bulletin.html$\|^figures.csv$\|^attachment.xlsx$\|^internal.xlsx$\|^bulletin.docx$\|^bulletin.pdf$\|^charts$')
[ -z "$l" ] || bad "failing gnuplot: left in the output: $l"
l=$(ls -A "$T/tmp")
[ -z "$l" ] || bad "failing gnuplot: left in TMPDIR: $l"

finish
