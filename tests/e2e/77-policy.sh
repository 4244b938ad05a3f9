#!/bin/sh
# SPDX-License-Identifier: MIT
# The policy sentence says only what data/policy.csv supports on --as-of
# (issue 11, "Policy text that is never false"): as of 2024-09-30 the table
# knows 山西's near-relative sharing (since 2024-09-01) and cross-area
# sharing (since 2022), and that the others of the 2024-10-20 lists had it
# by then but not since when: it must not say "尚无省份实现省内跨统筹区共济",
# it names the unknown ones as unknown; as of 2024-10-20 it gives the
# published lists; a province known partial and perhaps full since is "至少
# 已部分实现"; cross-province sharing appears with the wallet's timeline;
# a table of the older five-column form still loads.
. "$(dirname "$0")/lib.sh"

ingest_sample "$T/s.db" 2024-10-20

# policy DATE: the policy line of the bulletin as of DATE
policy() {
    rm -rf "$T/b"
    "$GONGJI" bulletin --quiet --no-charts --db "$T/s.db" --period 2024-09 \
        --as-of "$1" --out "$T/b" 2>"$T/b.err" || {
        cat "$T/b.err" >&2
        fail "bulletin --as-of $1"
    }
    sed -n 5p "$T/b/bulletin.md"
}
has() { # TEXT PHRASE LABEL
    case $1 in *"$2"*) ;; *) bad "$3: no '$2' in: $1" ;; esac
}
hasnt() {
    case $1 in *"$2"*) bad "$3: '$2' in: $1" ;; esac
}

p=$(policy 2024-09-30)
hasnt "$p" "尚无省份" "2024-09-30"
has "$p" "山西已将共济范围扩大到近亲属" "2024-09-30"
has "$p" "天津等18个省份截至该日是否已将共济范围扩大到近亲属尚无记录" "2024-09-30"
has "$p" "山西已实现省内跨统筹区共济" "2024-09-30"
has "$p" "北京等29个省份和新疆生产建设兵团截至该日是否已实现省内跨统筹区共济尚无记录" "2024-09-30"
hasnt "$p" "跨省共济" "2024-09-30"

p=$(policy 2024-10-20)
has "$p" "天津、河北、山西、吉林、黑龙江、江苏、江西、山东、河南、湖北、湖南、广西、贵州、云南、西藏、陕西、甘肃、新疆等18个省份已将共济范围扩大到近亲属，另有四川部分实现（半数统筹区已扩大到近亲属）" "2024-10-20"
has "$p" "等29个省份和新疆生产建设兵团已实现省内跨统筹区共济，另有辽宁部分实现（仅限个人自付医疗费用）" "2024-10-20"
hasnt "$p" "尚无记录" "2024-10-20"

p=$(policy 2024-11-30)
has "$p" "另有四川至少已部分实现" "2024-11-30"
has "$p" "广东截至该日是否已实现省内跨统筹区共济尚无记录" "2024-11-30"

p=$(policy 2025-06-30)
has "$p" "全部31个省份和新疆生产建设兵团均已将共济范围扩大到近亲属" "2025-06-30"
has "$p" "河北、安徽、山东、河南、湖北、广西、四川、西藏、甘肃、新疆等10个省份和新疆生产建设兵团已开展跨省共济" "2025-06-30"

p=$(policy 2026-02-01)
has "$p" "全部31个省份和新疆生产建设兵团均已开展跨省共济" "2026-02-01"

# the older table form: province,measure,status,since,note
mkdir -p "$T/data"
cp "$GONGJI_DATA"/*.csv "$T/data/" || fail "cp data"
printf 'province,measure,status,since,note\n140000,near_relatives,full,2024-09-01,晋医保函\n' \
    >"$T/data/policy.csv"
rm -rf "$T/b"
GONGJI_DATA=$T/data GONGJI_TEMPLATES=$GONGJI_TOP/templates "$GONGJI" bulletin --quiet --no-charts --db "$T/s.db" \
    --period 2024-09 --as-of 2024-09-30 --out "$T/b" 2>"$T/old.err" ||
    bad "the five-column table: $(cat "$T/old.err")"
has "$(sed -n 5p "$T/b/bulletin.md")" "山西已将共济范围扩大到近亲属；尚无省份实现省内跨统筹区共济" "old table"

finish
