#!/bin/sh
# SPDX-License-Identifier: MIT
# The vocabulary (data/columns.csv, data/units.csv, data/values.csv), read
# here at test time so that a line added there is tested automatically:
#  1. every header name of every column (each alias; the English name in
#     lower, upper and mixed case; with blanks around; with each factor-1
#     unit of the column's measure, ASCII or full-width brackets, with or
#     without a blank before) gives, in a summary file and/or a detail file,
#     exactly the summary this script computes by itself;
#  2. every spelling of every scope, use and relation value (code in three
#     cases, display name, each synonym) gives the right English code, in
#     summary and detail files (scope only in summary files);
#  3. a unit of another factor (万元, 亿元, 万人次, ...) is honoured exactly
#     in a summary file (values times the factor) and rejected in a detail
#     file; a unit of the wrong measure (共济人次(元)) is rejected; a
#     rejection is at line 1 and the column of that header, and ingest
#     stores nothing;
#  4. the same files in GB18030 and with a BOM and CRLF give the same bytes;
#  5. a vocabulary extended by a user (GONGJI_DATA) is honoured by both
#     kinds of file and the shipped one refuses the new words; a broken
#     table stops every command with exit 3 naming the file and the line.
. "$(dirname "$0")/lib.sh"

command -v iconv >/dev/null 2>&1 || skip "no iconv"
TAB=$(printf '\t')
BOM=$(printf '\357\273\277')
SHIPPED=$GONGJI_DATA
# a private copy of the binary: others may relink build/gongji meanwhile
cp "$GONGJI" "$T/gongji" || fail "cp $GONGJI"
GONGJI=$T/gongji
for f in columns units values; do
    [ -s "$SHIPPED/$f.csv" ] || fail "no $SHIPPED/$f.csv"
done

# ---------------------------------------------------------------------------
# The case generator.  Input: a columns.csv, a units.csv and a values.csv
# (header row first).  -v mode=all: every spelling of every column and
# value; mode=new: only the spellings the given tables add (the English
# names only with their units).  It writes, in the directory OUT, for each
# case NAME: NAME.csv (UTF-8, LF), NAME.bom.csv (BOM, CRLF), NAME.crlf.csv
# (CRLF) and, for a case that must be read, NAME.exp (the summary that
# `gongji aggregate` must print); all.utf8 holds these cases' LF and CRLF
# files, each after a line "#@@ NAME[.crlf].gb.csv", to be re-encoded at
# once.  On stdout, one line per case:
#   NAME TAB kind TAB ok|reject TAB column-number TAB unit TAB header TAB what
# The expected sums are computed from the rules of DESIGN §3/§3b, not by
# gongji.
cat >"$T/gen.awk" <<'AWK'
function die(m) { print "gen.awk: " m > "/dev/stderr"; bad_exit = 1; exit 2 }
function trim(s) { gsub(/^[ \t]+/, "", s); gsub(/[ \t\r]+$/, "", s); return s }
function mixcase(s,   i, c, o, up) {
    o = ""; up = 1
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        o = o (up ? toupper(c) : c)
        up = (c == "_")
    }
    return o
}
function clear(a) { split("", a) }
function fen(s,   p, n) {
    n = split(s, p, ".")
    return p[1] * 100 + (n > 1 ? substr(p[2] "00", 1, 2) + 0 : 0)
}
# %.0f, not %d: mawk's %d stops at 2^31 (10^8 yuan in fen is more)
function yuan(f) { return sprintf("%.0f.%02d", int(f / 100), f % 100) }
BEGIN {
    FS = ","
    NCOL["sum"] = split("period area area_name scope use relation person_times amount", COLS_sum, " ")
    NCOL["det"] = split("settlement_id settle_time payer_area beneficiary_area use relation amount payer_id beneficiary_id", COLS_det, " ")
    for (i = 1; i <= NCOL["sum"]; i++) { COL["sum", i] = COLS_sum[i]; IN["sum", COLS_sum[i]] = 1; KNOWN[COLS_sum[i]] = 1 }
    for (i = 1; i <= NCOL["det"]; i++) { COL["det", i] = COLS_det[i]; IN["det", COLS_det[i]] = 1; KNOWN[COLS_det[i]] = 1 }
    OPTIONAL["sum"] = "area_name relation"
    OPTIONAL["det"] = "settlement_id relation payer_id beneficiary_id"
    MEAS["amount"] = "amount"; MEAS["person_times"] = "count"
    # the code sets, in output order, with their display names
    NC["scope"] = split("same_area cross_area in_province cross_province", t, " ")
    for (i = 1; i <= NC["scope"]; i++) CODE["scope", i] = t[i]
    split("同一统筹区 省内跨统筹区 省内 跨省", t, " ")
    for (i = 1; i <= NC["scope"]; i++) NAME["scope", i] = t[i]
    NC["use"] = split("medical pharmacy medical_pharmacy premium ltc_premium other", t, " ")
    for (i = 1; i <= NC["use"]; i++) CODE["use", i] = t[i]
    split("定点医疗机构 定点零售药店 就医购药 参加居民医保等个人缴费 长期护理保险个人缴费 其他", t, " ")
    for (i = 1; i <= NC["use"]; i++) NAME["use", i] = t[i]
    NC["relation"] = split("spouse parent child sibling grandparent grandchild unspecified", t, " ")
    for (i = 1; i <= NC["relation"]; i++) CODE["relation", i] = t[i]
    split("配偶 父母 子女 兄弟姐妹 祖父母/外祖父母 孙子女/外孙子女 未区分", t, " ")
    for (i = 1; i <= NC["relation"]; i++) NAME["relation", i] = t[i]
    for (s in NC) for (i = 1; i <= NC[s]; i++) ORD[s, CODE[s, i]] = i
    # base rows: distinct (period, area) in summary rows, so that changing
    # one value never makes a key repeat
    NR_["sum"] = split("2024-05,330100,杭州市,same_area,medical,spouse,3,30.00;" \
        "2024-05,330200,宁波市,cross_area,pharmacy,parent,2,12.50;" \
        "2024-06,110100,北京市,cross_province,premium,child,1,0.75;" \
        "2024-06,330100,杭州市,same_area,other,grandparent,4,100;" \
        "2024-07,330100,杭州市,cross_province,medical,sibling,5,5.05;" \
        "2024-07,110100,北京市,cross_area,pharmacy,grandchild,6,6;" \
        "2024-08,330200,宁波市,same_area,other,unspecified,7,0.07", rows, ";")
    for (r = 1; r <= NR_["sum"]; r++) {
        split(rows[r], f, ",")
        for (i = 1; i <= NCOL["sum"]; i++) BASE["sum", r, COL["sum", i]] = f[i]
    }
    NR_["det"] = split("S1,2024-05-01 08:00:00,330100,330100,medical,spouse,10.00,P1,B1;" \
        "S2,2024-05-31 23:59:59,330100,330200,pharmacy,parent,20.5,P2,B2;" \
        "S3,2024-06-01 00:00:00,330100,110100,other,child,1.25,P3,B3;" \
        "S4,2024-06-15 12:00:00,110100,110100,premium,grandchild,3,P4,B4;" \
        "S5,2024-05-02 09:00:00,330100,330100,medical,spouse,5.00,P1,B5;" \
        "S6,2024-07-01 00:00:00,330200,330100,medical,sibling,7.77,P6,B6;" \
        "S7,2024-07-09 10:00:00,330200,330100,premium,grandparent,0.01,P6,B7;" \
        "S8,2024-08-01 10:00:00,110100,120100,other,unspecified,100,P8,B8", rows, ";")
    for (r = 1; r <= NR_["det"]; r++) {
        split(rows[r], f, ",")
        for (i = 1; i <= NCOL["det"]; i++) BASE["det", r, COL["det", i]] = f[i]
    }
}
FNR == 1 {
    tbl = FILENAME; sub(/.*\//, "", tbl); sub(/^.*-/, "", tbl)
    next
}
/^[ \t\r]*$/ { next }
tbl == "columns.csv" {
    c = trim($1); h = trim($2)
    # the channel column's names are 86-channel's (it needs wallet values)
    if (c == "channel") next
    if (!(c in KNOWN)) die(FILENAME ":" FNR ": unknown column " c)
    NAL[c]++; AL[c, NAL[c]] = h; NALIASES++
    next
}
tbl == "units.csv" {
    NU++; UN[NU] = trim($1); UM[NU] = trim($2); UF[NU] = trim($3) + 0
    next
}
tbl == "values.csv" {
    s = trim($1); c = trim($2)
    if (s == "channel") next # 86-channel's
    if (!((s, c) in ORD)) die(FILENAME ":" FNR ": unknown " s " code " c)
    NV++; VS[NV] = s; VC[NV] = c; VV[NV] = trim($3)
    next
}
# --- one case ------------------------------------------------------------
function newcase(kind,   r, i, c) {
    K = kind; clear(W); clear(E); clear(H); clear(OMIT)
    for (r = 1; r <= NR_[kind]; r++)
        for (i = 1; i <= NCOL[kind]; i++) {
            c = COL[kind, i]
            W[r, c] = E[r, c] = BASE[kind, r, c]
        }
}
# the columns of the case in file order (rotated by the case number, so
# that no column is found by its place); sets ORDER[1..n], returns n
function order(   n, i, m, j, L) {
    n = 0
    for (i = 1; i <= NCOL[K]; i++)
        if (!(COL[K, i] in OMIT)) L[++n] = COL[K, i]
    m = NCASE % n
    for (i = 1; i <= n; i++) { j = (i - 1 + m) % n + 1; ORDER[i] = L[j] }
    return n
}
function writefiles(base, n,   r, i, line, hl, c) {
    hl = ""
    for (i = 1; i <= n; i++) {
        c = ORDER[i]
        hl = hl (i > 1 ? "," : "") ((c in H) ? H[c] : c)
    }
    printf "%s\n", hl > (base ".csv")
    printf "%s%s\r\n", BOM, hl > (base ".bom.csv")
    printf "%s\r\n", hl > (base ".crlf.csv")
    for (r = 1; r <= NR_[K]; r++) {
        line = ""
        for (i = 1; i <= n; i++) line = line (i > 1 ? "," : "") W[r, ORDER[i]]
        printf "%s\n", line > (base ".csv")
        printf "%s\r\n", line > (base ".bom.csv")
        printf "%s\r\n", line > (base ".crlf.csv")
    }
    close(base ".csv"); close(base ".bom.csv"); close(base ".crlf.csv")
}
# the summary gongji must print, from E (canonical values)
function expect(file,   r, p, a, b, s, u, l, k, n, i, j, key, KEYS, PT, FEN, LINE, tmp) {
    n = 0
    for (r = 1; r <= NR_[K]; r++) {
        u = E[r, "use"]
        l = ("relation" in OMIT) ? "unspecified" : E[r, "relation"]
        if (K == "sum") {
            p = E[r, "period"]; a = E[r, "area"]; s = E[r, "scope"]
        } else {
            p = substr(E[r, "settle_time"], 1, 7); a = E[r, "payer_area"]
            b = E[r, "beneficiary_area"]
            s = (a == b) ? "same_area" : (substr(a, 1, 2) == substr(b, 1, 2)) ? "cross_area" : "cross_province"
        }
        key = p "|" a "|" ORD["scope", s] ORD["use", u] ORD["relation", l]
        if (!(key in PT)) {
            KEYS[++n] = key; PT[key] = 0; FEN[key] = 0
            LINE[key] = p "," a "," s "," u "," l
        }
        PT[key] += (K == "sum") ? E[r, "person_times"] : 1
        FEN[key] += fen(E[r, "amount"])
    }
    for (i = 2; i <= n; i++)
        for (j = i; j > 1 && (KEYS[j - 1] "") > (KEYS[j] ""); j--) {
            tmp = KEYS[j]; KEYS[j] = KEYS[j - 1]; KEYS[j - 1] = tmp
        }
    print "period,area,scope,use,relation,person_times,amount" > file
    for (i = 1; i <= n; i++)
        print LINE[KEYS[i]] "," sprintf("%.0f", PT[KEYS[i]]) "," yuan(FEN[KEYS[i]]) > file
    close(file)
}
function emit(what,   n, name) {
    NCASE++; name = sprintf("%s%03d-%s", PREFIX, NCASE, K)
    n = order()
    writefiles(OUT "/" name, n)
    ALL[++NALL] = name
    expect(OUT "/" name ".exp")
    printf "%s\t%s\tok\t-\t-\t-\t%s\n", name, K, what
}
function emit_reject(col, unit, what,   n, name, i, pos) {
    NCASE++; name = sprintf("%s%03d-%s", PREFIX, NCASE, K)
    n = order()
    for (i = 1; i <= n; i++) if (ORDER[i] == col) pos = i
    writefiles(OUT "/" name, n)
    printf "%s\t%s\treject\t%d\t%s\t%s\t%s\n", name, K, pos, unit, H[col], what
}
# --- header spellings ------------------------------------------------------
function header_case(c, h, what,   k) {
    for (k = 1; k <= 2; k++) {
        kind = (k == 1) ? "sum" : "det"
        if (!((kind, c) in IN)) continue
        newcase(kind); H[c] = h; emit(what)
    }
}
# a summary file with column c in a unit of factor f: the values as
# written, the stored ones f times larger
function scaled_case(c, h, f, what,   r) {
    newcase("sum"); H[c] = h
    for (r = 1; r <= NR_["sum"]; r++)
        E[r, c] = (c == "amount") ? yuan(fen(W[r, c]) * f) : sprintf("%.0f", W[r, c] * f)
    emit(what)
}
function unit_cases(c, nm,   u, what) {
    if (!(c in MEAS)) return
    for (u = 1; u <= NU; u++) {
        if (UM[u] == MEAS[c] && UF[u] != 1 && ("sum", c) in IN) {
            what = c " as a header with unit " UN[u] " (factor " UF[u] ")"
            scaled_case(c, nm "(" UN[u] ")", UF[u], what)
            scaled_case(c, nm " （" UN[u] "）", UF[u], what)
        }
        if (UM[u] != MEAS[c] || UF[u] != 1) continue
        what = c " as a header with unit " UN[u]
        header_case(c, nm "(" UN[u] ")", what)
        header_case(c, nm " (" UN[u] ")", what)
        header_case(c, nm "（" UN[u] "）", what)
        header_case(c, nm " （" UN[u] "）", what)
    }
}
function reject_cases(c, nm,   u, k, kind, what) {
    if (!(c in MEAS)) return
    for (u = 1; u <= NU; u++) {
        if (UM[u] == MEAS[c] && UF[u] == 1) continue
        what = (UM[u] == MEAS[c]) ? "a unit of factor " UF[u] : "a unit of " UM[u]
        for (k = 1; k <= 2; k++) {
            kind = (k == 1) ? "sum" : "det"
            if (!((kind, c) in IN)) continue
            # summary files read other factors (unit_cases)
            if (kind == "sum" && UM[u] == MEAS[c]) continue
            newcase(kind); H[c] = nm "(" UN[u] ")"; emit_reject(c, UN[u], what)
            newcase(kind); H[c] = nm " （" UN[u] "）"; emit_reject(c, UN[u], what)
        }
    }
}
# --- value spellings ---------------------------------------------------------
function value_case(s, code, v, what,   k, kind) {
    for (k = 1; k <= 2; k++) {
        kind = (k == 1) ? "sum" : "det"
        if (!((kind, s) in IN)) continue
        newcase(kind); W[1, s] = v; E[1, s] = code; emit(what)
    }
}
function value_spellings(s, code, v, what) {
    value_case(s, code, v, what)
    if (v ~ /^[A-Za-z_ ]+$/) {
        value_case(s, code, toupper(v), what " (upper case)")
        value_case(s, code, mixcase(tolower(v)), what " (mixed case)")
        value_case(s, code, tolower(v), what " (lower case)")
    }
}
function writeall(   i, v, f, line) {
    for (i = 1; i <= NALL; i++)
        for (v = 1; v <= 2; v++) {
            f = OUT "/" ALL[i] (v == 1 ? "" : ".crlf") ".csv"
            print "#@@ " ALL[i] (v == 1 ? "" : ".crlf") ".gb.csv" > (OUT "/all.utf8")
            while ((getline line < f) > 0) print line > (OUT "/all.utf8")
            close(f)
        }
    close(OUT "/all.utf8")
}
END {
    if (bad_exit) exit 2
    if (mode == "all") {
        for (c in KNOWN) {
            header_case(c, c, c " (English)")
            header_case(c, toupper(c), c " (English, upper case)")
            header_case(c, mixcase(c), c " (English, mixed case)")
            header_case(c, "  " c " ", c " (English, blanks around)")
            unit_cases(c, c)
            unit_cases(c, mixcase(c))
            reject_cases(c, c)
        }
        for (k = 1; k <= 2; k++) {
            kind = (k == 1) ? "sum" : "det"
            n = split(OPTIONAL[kind], t, " ")
            newcase(kind); for (i = 1; i <= n; i++) OMIT[t[i]] = 1
            emit("no optional column (" OPTIONAL[kind] ")")
            newcase(kind); OMIT["relation"] = 1
            emit("no relation column")
        }
        for (s in NC)
            for (i = 1; i <= NC[s]; i++) {
                value_spellings(s, CODE[s, i], CODE[s, i], s " code " CODE[s, i])
                value_spellings(s, CODE[s, i], NAME[s, i], s " display name " NAME[s, i])
            }
    } else
        for (c in KNOWN) {
            unit_cases(c, c)
            reject_cases(c, c)
        }
    for (c in NAL)
        for (i = 1; i <= NAL[c]; i++) {
            header_case(c, AL[c, i], c " alias " AL[c, i])
            header_case(c, " " AL[c, i] "  ", c " alias " AL[c, i] " (blanks around)")
            unit_cases(c, AL[c, i])
            reject_cases(c, AL[c, i])
        }
    for (i = 1; i <= NV; i++)
        value_spellings(VS[i], VC[i], VV[i], VS[i] " synonym " VV[i] " of " VC[i])
    if (mode == "all" && (NALIASES == 0 || NU == 0 || NV == 0))
        die("a vocabulary table is empty")
    writeall()
}
AWK

# gen MODE PREFIX DIR COLUMNS UNITS VALUES > LIST
gencases() {
    mkdir -p "$3" || fail "mkdir $3"
    awk -v mode="$1" -v PREFIX="$2" -v OUT="$3" -v BOM="$BOM" -f "$T/gen.awk" \
        "$4" "$5" "$6" || fail "the case generator failed"
}

# agg_try DIR NAME KIND WHAT FILE LABEL [OPTION]: aggregate FILE must exit 0,
# print exactly DIR/NAME.exp and write nothing on stderr; if not, $msg says
# what went wrong (else it is empty).  The tables are those in $DATA
# (default: the shipped ones).  agg_case: the same, a failure recorded.
NRUNS=0
agg_try() {
    NRUNS=$((NRUNS + 1))
    msg=
    GONGJI_DATA=${DATA:-$SHIPPED} "$GONGJI" aggregate ${7:+"$7"} "$5" \
        >"$T/a.out" 2>"$T/a.err"
    rc=$?
    if [ "$rc" != 0 ]; then
        msg="$6 $2 ($4; $3 file): aggregate exit $rc: $(head -n 2 "$T/a.err" | tr '\n' ' ') [header: $(head -n 1 "$1/$2.csv")]"
    elif ! cmp -s "$T/a.out" "$1/$2.exp"; then
        msg="$6 $2 ($4; $3 file): output differs: $(diff "$1/$2.exp" "$T/a.out" | grep '^[<>]' | head -n 4 | tr '\n' ' ')"
    elif [ -s "$T/a.err" ]; then
        msg="$6 $2 ($4; $3 file): stderr: $(head -n 2 "$T/a.err" | tr '\n' ' ')"
    fi
}
agg_case() {
    agg_try "$@"
    [ -z "$msg" ] || bad "$msg"
}

# ---------------------------------------------------------------------------
note "generating the cases from $SHIPPED"
C=$T/c
gencases all h "$C" "$SHIPPED/columns.csv" "$SHIPPED/units.csv" \
    "$SHIPPED/values.csv" >"$T/cases"
NOK=$(grep -c "${TAB}ok$TAB" "$T/cases")
NREJ=$(grep -c "${TAB}reject$TAB" "$T/cases")
if [ "$NOK" -lt 100 ] || [ "$NREJ" -lt 10 ]; then
    fail "too few cases: $NOK, $NREJ"
fi
note "$NOK cases to read, $NREJ to reject"

note "1, 2, 4: every header name and every value spelling, in UTF-8, BOM+CRLF, GB18030 (LF, CRLF)"
# One iconv for all (no byte of a GB18030 multi-byte character is a LF),
# split again.  GB18030 bytes that are also valid UTF-8 are read as UTF-8
# (DESIGN §3: strict UTF-8 first): the splitter lists such files, which are
# then read with --encoding=gb18030.
iconv -f UTF-8 -t GB18030 "$C/all.utf8" >"$C/all.gb" || fail "iconv"
LC_ALL=C awk -v d="$C" '
    BEGIN { for (i = 128; i < 256; i++) B[sprintf("%c", i)] = i }
    function utf8(s,   i, n, c, k, lo, hi, j, x) {
        n = length(s)
        for (i = 1; i <= n; i++) {
            c = substr(s, i, 1)
            if (!(c in B)) continue
            c = B[c]; lo = 128; hi = 191
            if (c >= 194 && c <= 223) k = 1
            else if (c >= 224 && c <= 239) { k = 2; if (c == 224) lo = 160; if (c == 237) hi = 159 }
            else if (c >= 240 && c <= 244) { k = 3; if (c == 240) lo = 144; if (c == 244) hi = 143 }
            else return 0
            for (j = 1; j <= k; j++) {
                x = substr(s, i + j, 1)
                if (!(x in B)) return 0
                x = B[x]
                if (x < lo || x > hi) return 0
                lo = 128; hi = 191
            }
            i += k
        }
        return 1
    }
    function done() { if (f != "") { close(f); if (ok && nonascii) print name } }
    /^#@@ / { done(); name = $2; f = d "/" $2; ok = 1; nonascii = 0; next }
    { print > f; if (ok && !utf8($0)) ok = 0; if ($0 ~ /[^\001-\177]/) nonascii = 1 }
    END { done() }' "$C/all.gb" >"$T/gb-utf8" || fail "splitting all.gb"
# every run appends "== what", its stdout and stderr and "rc=N" to got;
# want is what each must be: the expected summary, nothing on stderr, rc=0
: >"$T/got"
GBLIST=" $(tr '\n' ' ' <"$T/gb-utf8") "
while IFS=$TAB read -r name kind what _pos _unit _hdr desc; do
    [ "$what" = ok ] || continue
    for v in .csv .bom.csv .gb.csv .crlf.gb.csv; do
        opt=
        case "$GBLIST" in *" $name$v "*) opt=--encoding=gb18030 ;; esac
        {
            printf '== %s%s (%s; %s file)%s\n' "$name" "$v" "$desc" "$kind" "${opt:+ $opt}"
            "$GONGJI" aggregate $opt "$C/$name$v" 2>&1
            echo "rc=$?"
        } >>"$T/got"
        NRUNS=$((NRUNS + 1))
    done
done <"$T/cases"
awk -F'\t' -v d="$C" -v gbf="$T/gb-utf8" '
    BEGIN { while ((getline l < gbf) > 0) G[l] = 1 }
    $3 == "ok" {
        split(".csv .bom.csv .gb.csv .crlf.gb.csv", V, " ")
        for (i = 1; i <= 4; i++) {
            opt = ((($1 V[i]) in G) ? " --encoding=gb18030" : "")
            printf "== %s%s (%s; %s file)%s\n", $1, V[i], $7, $2, opt
            f = d "/" $1 ".exp"
            while ((getline l < f) > 0) print l
            close(f)
            print "rc=0"
        }
    }' "$T/cases" >"$T/want"
awk 'FNR == 1 { k++ }
    /^== / { key = $0; if (k == 1) ord[++n] = key; next }
    { seg[k, key] = seg[k, key] $0 " | " }
    END {
        for (i = 1; i <= n; i++) if (seg[1, ord[i]] != seg[2, ord[i]])
            print substr(ord[i], 4) ": got " seg[2, ord[i]] " expected " seg[1, ord[i]]
    }' "$T/want" "$T/got" >"$T/differ"
while IFS= read -r l; do bad "$l"; done <"$T/differ"
NGBFORCED=$(grep -c . "$T/gb-utf8")
[ "$NGBFORCED" = 0 ] || note "$NGBFORCED GB18030 file(s) are valid UTF-8 too, read with --encoding=gb18030: $(tr '\n' ' ' <"$T/gb-utf8")"

note "1, 2: all of them at once: one aggregate of every UTF-8 case file"
# the sums of sums, computed from the expected outputs
awk -F, 'FNR == 1 { next }
    { k = $1 FS $2 FS $3 FS $4 FS $5; n = split($7, a, ".")
      pt[k] += $6; f[k] += a[1] * 100 + a[2] }
    END { for (k in pt) printf "%s,%.0f,%.0f.%02d\n", k, pt[k], int(f[k] / 100), f[k] % 100 }' \
    "$C"/*.exp | LC_ALL=C sort >"$T/all.exp"
# all_at_once LABEL: aggregate every UTF-8 case file at once ($DATA tables)
all_at_once() {
    NRUNS=$((NRUNS + 1))
    # shellcheck disable=SC2046 # case names have no blanks
    GONGJI_DATA=${DATA:-$SHIPPED} "$GONGJI" aggregate \
        $(awk -F'\t' -v d="$C" '$3 == "ok" { print d "/" $1 ".csv" }' "$T/cases") \
        >"$T/all.out" 2>"$T/all.err"
    rc=$?
    if [ "$rc" != 0 ]; then
        bad "$1: aggregate of all case files: exit $rc: $(head -n 2 "$T/all.err" | tr '\n' ' ')"
    elif ! tail -n +2 "$T/all.out" | LC_ALL=C sort | cmp -s - "$T/all.exp"; then
        bad "$1: aggregate of all case files: $(tail -n +2 "$T/all.out" | LC_ALL=C sort | diff "$T/all.exp" - | head -n 4 | tr '\n' ' ')"
    elif [ -s "$T/all.err" ]; then
        bad "$1: aggregate of all case files: stderr: $(head -n 2 "$T/all.err" | tr '\n' ' ')"
    fi
}
all_at_once shipped

note "3: units of a factor other than 1 in detail files, or of the wrong measure: rejected at their column, nothing stored"
# a store with one good file in it: what it holds must not change
REJDB=$T/rej.db
OKFILE=$C/$(awk -F'\t' '$3 == "ok" { print $1; exit }' "$T/cases").csv
run base "$GONGJI" ingest --db "$REJDB" "$OKFILE"
expect_rc base 0
BASETOTAL=$(total "$REJDB")
snapshot "$REJDB" "$T/rej.before"
while IFS=$TAB read -r name kind what pos unit hdr desc; do
    [ "$what" = reject ] || continue
    for v in "" .bom; do
        f=$C/$name$v.csv
        NRUNS=$((NRUNS + 1))
        run rej "$GONGJI" check "$f"
        if [ "$rc" != 1 ]; then
            bad "check $name$v.csv ($hdr: $desc; $kind file): exit $rc, expected 1: $(head -n 2 "$T/rej.err" | tr '\n' ' ')"
        elif ! grep -F "$f:1:$pos: error: column '$hdr'" "$T/rej.err" | grep -qF "$unit"; then
            bad "check $name$v.csv ($hdr: $desc; $kind file): no error at 1:$pos naming '$hdr' and $unit: $(head -n 2 "$T/rej.err" | tr '\n' ' ')"
        fi
    done
    NRUNS=$((NRUNS + 1))
    run reji "$GONGJI" ingest --db "$REJDB" "$C/$name.csv"
    [ "$rc" = 1 ] || bad "ingest $name.csv ($hdr; $kind file): exit $rc, expected 1"
done <"$T/cases"
[ "$(total "$REJDB")" = "$BASETOTAL" ] ||
    bad "rejected files changed the store: total $(total "$REJDB"), expected $BASETOTAL"
snapshot "$REJDB" "$T/rej.after"
cmp -s "$T/rej.before" "$T/rej.after" ||
    bad "rejected files changed the store: $(diff "$T/rej.before" "$T/rej.after" | head -n 4 | tr '\n' ' ')"

# ---------------------------------------------------------------------------
note "5: a vocabulary extended by the user"
EXT=$T/ext
# the tables only (data/sample is not one)
mkdir "$EXT" || fail "mkdir $EXT"
cp "$SHIPPED"/*.csv "$EXT/" || fail "cp $SHIPPED"
mkdir -p "$T/new" || fail "mkdir"
cat >"$T/new/new-columns.csv" <<'CSV'
column,header
amount,共济支付额
period,报告月份
payer_area,付款人统筹区
relation,亲属关系
CSV
cat >"$T/new/new-units.csv" <<'CSV'
unit,measure,factor
圆,amount,1
件,count,1
千元,amount,1000
CSV
cat >"$T/new/new-values.csv" <<'CSV'
set,code,value
use,pharmacy,药房
relation,spouse,老伴
scope,cross_province,异地跨省
use,other,Others
CSV
for f in columns units values; do
    [ -z "$(tail -c 1 "$EXT/$f.csv")" ] || echo >>"$EXT/$f.csv"
    tail -n +2 "$T/new/new-$f.csv" >>"$EXT/$f.csv"
done
X=$T/x
gencases new x "$X" "$T/new/new-columns.csv" "$T/new/new-units.csv" \
    "$T/new/new-values.csv" >"$T/xcases"
NXOK=$(grep -c "${TAB}ok$TAB" "$T/xcases")
NXREJ=$(grep -c "${TAB}reject$TAB" "$T/xcases")
if [ "$NXOK" -lt 20 ] || [ "$NXREJ" -lt 1 ]; then
    fail "too few extension cases: $NXOK, $NXREJ"
fi
note "$NXOK extension cases to read, $NXREJ to reject"
DATA=$EXT
while IFS=$TAB read -r name kind what pos unit hdr desc; do
    if [ "$what" = ok ]; then
        agg_case "$X" "$name" "$kind" "$desc" "$X/$name.csv" extended
        agg_case "$X" "$name" "$kind" "$desc" "$X/$name.bom.csv" "extended BOM+CRLF"
    else
        run xrej env GONGJI_DATA="$EXT" "$GONGJI" check "$X/$name.csv"
        NRUNS=$((NRUNS + 1))
        if [ "$rc" != 1 ] ||
            ! grep -qF "$X/$name.csv:1:$pos: error: column '$hdr'" "$T/xrej.err"; then
            bad "extended: check $name.csv ($hdr: $desc): exit $rc: $(head -n 2 "$T/xrej.err" | tr '\n' ' ')"
        fi
    fi
    # the shipped vocabulary does not know the new word: the file is
    # rejected, or (an optional column) the column is ignored with a warning
    run xsh "$GONGJI" check "$X/$name.csv"
    NRUNS=$((NRUNS + 1))
    if [ "$rc" = 0 ] && [ "$what" = ok ]; then
        run xsha "$GONGJI" aggregate "$X/$name.csv"
        NRUNS=$((NRUNS + 1))
        if [ "$rc" != 0 ] || cmp -s "$T/xsha.out" "$X/$name.exp" ||
            ! grep -q "^$X/$name.csv:1:[0-9]*: warning: .*ignored" "$T/xsha.err"; then
            bad "shipped: aggregate $name.csv ($desc; $kind file): exit $rc, read as if the word were known: $(head -n 2 "$T/xsha.err" | tr '\n' ' ')"
        fi
    elif [ "$rc" != 1 ]; then
        bad "shipped: check $name.csv ($desc; $kind file): exit $rc, expected 1"
    fi
done <"$T/xcases"

note "5: the extended vocabulary still reads every shipped case"
DATA=$EXT
all_at_once extended
DATA=

# ---------------------------------------------------------------------------
note "5: a broken table stops every command (exit 3, naming the file and line)"
# the broken lines, made from the shipped tables' own first lines, so that
# they stay broken whatever lines are added or removed there
awk -F, 'FNR == 1 { t = FILENAME; sub(/.*\//, "", t); next }
    t == "columns.csv" && !c1 { c1 = $0; col = $1; hdr = $2 }
    t == "units.csv" && !u1 { u1 = $0 }
    t == "values.csv" && !v1 { v1 = $0; set = $1; code = $2; val = $3 }
    END {
        other = (col == "amount") ? "area" : "amount"
        print "columns.csv|amont,共济总额|an alias of an unknown column"
        print "columns.csv|" other "," hdr "|a header (" hdr ") that already names " col
        print "columns.csv|" c1 "|a repeated line"
        print "columns.csv|amount,AREA|the English name of another column"
        oc = (code == "other") ? "medical" : "other"
        if (set == "scope") oc = (code == "same_area") ? "cross_area" : "same_area"
        if (set == "relation") oc = (code == "spouse") ? "parent" : "spouse"
        print "values.csv|" set "," oc "," val "|a synonym (" val ") that already means " code
        print "values.csv|use,medical,定点零售药店|the display name of another code"
        print "values.csv|relation,spouse,Parent|the English code of another value"
        print "values.csv|" v1 "|a repeated line"
        print "values.csv|use,hospital,医院|an unknown code"
        print "values.csv|colour,red,红|an unknown set"
        print "units.csv|斤,weight,1|an unknown measure"
        print "units.csv|" u1 "|a repeated unit"
    }' "$SHIPPED/columns.csv" "$SHIPPED/units.csv" "$SHIPPED/values.csv" \
    >"$T/broken" || fail "awk"
nbroken=0
while IFS='|' read -r file line why; do
    nbroken=$((nbroken + 1))
    B=$T/broken$nbroken
    mkdir "$B" || fail "mkdir $B"
    cp "$SHIPPED"/*.csv "$B/" || fail "cp $SHIPPED"
    [ -z "$(tail -c 1 "$B/$file")" ] || echo >>"$B/$file"
    printf '%s\n' "$line" >>"$B/$file"
    ln=$(wc -l <"$B/$file" | tr -d ' ')
    i=0
    for cmd in "check $OKFILE" "aggregate $OKFILE" "ingest --db $T/b.db $OKFILE" \
        "query --db $REJDB --period 2024-05" "submissions --db $REJDB" \
        "chart --db $REJDB --period 2024-05 --kind use --out $T/b.svg" \
        "bulletin --db $REJDB --period 2024-05 --no-charts --out $T/bout"; do
        i=$((i + 1))
        # shellcheck disable=SC2086 # the command words are split on purpose
        run brk env GONGJI_DATA="$B" "$GONGJI" $cmd
        NRUNS=$((NRUNS + 1))
        if [ "$rc" != 3 ]; then
            bad "$file + '$line' ($why): gongji ${cmd%% *}: exit $rc, expected 3: $(head -n 2 "$T/brk.err" | tr '\n' ' ')"
        elif ! grep -q "^$file:$ln:[0-9]*: .*(reference data in $B)" "$T/brk.err"; then
            bad "$file + '$line' ($why): gongji ${cmd%% *}: no message at $file:$ln: $(head -n 2 "$T/brk.err" | tr '\n' ' ')"
        elif [ -s "$T/brk.out" ]; then
            bad "$file + '$line' ($why): gongji ${cmd%% *} wrote to stdout: $(head -n 2 "$T/brk.out")"
        fi
    done
    [ ! -e "$T/b.db" ] || bad "$file + '$line': ingest created the store"
    [ ! -e "$T/b.svg" ] || bad "$file + '$line': chart wrote a file"
    [ ! -e "$T/bout" ] || bad "$file + '$line': bulletin wrote a directory"
    rm -rf "$T/b.db" "$T/b.svg" "$T/bout"
done <"$T/broken"

# a file of title lines and no header is not called empty
printf '2024年9月共济情况\n填报单位：浙江省医保局\n' >"$T/titles.csv"
run titles "$GONGJI" check "$T/titles.csv"
[ "$rc" = 1 ] || bad "titles only: exit $rc"
grep -qF "titles.csv: error: no header row: the 2 line(s) of text read look like titles" "$T/titles.err" ||
    bad "titles only: $(head -n 2 "$T/titles.err")"

note "$NRUNS gongji runs"
finish
