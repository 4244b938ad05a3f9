# templates/plot/use.gp - the total by use (共济用途), a donut with a legend
# giving each use's share and value.
#
# Run by gongji (report/plot.c) as
#   gnuplot -d -c use.gp DIR TITLE SUBTITLE SOURCE TOTALTEXT MEASURE
# DIR holds data.tsv (report/chartdata.h: use label person_times amount
# value share start end; angles in degrees) and receives chart.pdf.  Texts
# arrive as ARGn strings or data fields and are drawn noenhanced; nothing
# of them is evaluated (shared/DESIGN.md §8): no macros (@), eval,
# backquotes or system() here.

set encoding utf8
set terminal pdfcairo noenhanced font "Noto Sans CJK SC,9" size 16cm,8.6cm
set output ARG1."/chart.pdf"
set datafile separator "\t"
data = ARG1."/data.tsv"

stats data using ($8 - $7) skip 1 nooutput
n = STATS_records
empty = STATS_sum <= 0

set label 1 ARG2 at screen 0.04, screen 0.93 left noenhanced \
    font "Noto Sans CJK SC:Bold,14" tc rgb "#111111"
set label 2 ARG3 at screen 0.04, screen 0.855 left noenhanced \
    font "Noto Sans CJK SC,9" tc rgb "#555555"
set label 3 ARG4 at screen 0.04, screen 0.035 left noenhanced \
    font "Noto Sans CJK SC,8" tc rgb "#666666"

set lmargin at screen 0.04
set rmargin at screen 0.96
set tmargin at screen 0.79
set bmargin at screen 0.11
set size ratio -1
set xrange [-1.1:4.55]
set yrange [-1.1:1.1]
unset border
unset tics
unset key

# the hole, and the total in it
set object 1 circle at 0,0 size 0.6 front fc rgb "#ffffff" \
    fillstyle solid 1.0 noborder
set label 4 "合计" at 0,0.13 center front noenhanced \
    font "Noto Sans CJK SC,9" tc rgb "#555555"
set label 5 ARG5 at 0,-0.1 center front noenhanced \
    font "Noto Sans CJK SC:Bold,12" tc rgb "#111111"
if (empty) {
    set object 2 circle at 0,0 size 1 back fc rgb "#dddddd" \
        fillstyle solid 1.0 noborder
}

# a colour per use code (column 1), the same in every release; a use added
# to data/codes.csv later is grey
color(c) = c eq "medical" ? 0x3c6fa8 : c eq "pharmacy" ? 0xf28e2b \
         : c eq "premium" ? 0x59a14f : c eq "other" ? 0xb07aa1 \
         : c eq "medical_pharmacy" ? 0x76b7b2 \
         : c eq "ltc_premium" ? 0xedc948 : 0x9c9c9c
mid(a, b) = (a + b) / 2 * pi / 180
# legend rows, from the top, under a header row; more than four rows
# (the 2025 uses) move closer so the last stays above the source line
step = n > 1 && 1.5 / (n - 1) < 0.4 ? 1.5 / (n - 1) : 0.4
ly(i) = 0.5 - i * step
set label 6 "占比" at 3.5, 0.9 right noenhanced tc rgb "#777777"
set label 7 ARG6 at 4.5, 0.9 right noenhanced tc rgb "#777777"
set style fill solid 1.0 border lc rgb "#ffffff"

plot data skip 1 using (0):(0):(1):7:8:(color(strcol(1))) \
         with circles lc rgb variable, \
     '' skip 1 using (0.8 * cos(mid($7, $8))):(0.8 * sin(mid($7, $8))): \
         (($8 - $7) >= 36 ? strcol(6) : "") \
         with labels center font ",8" tc rgb "#ffffff" noenhanced, \
     '' skip 1 using (1.45):(ly($0)):(0.07):(0.07):(color(strcol(1))) \
         with boxxyerror lc rgb variable, \
     '' skip 1 using (1.6):(ly($0)):(strcol(2)) \
         with labels left tc rgb "#222222" noenhanced, \
     '' skip 1 using (3.5):(ly($0)):(strcol(6)) \
         with labels right tc rgb "#222222" noenhanced, \
     '' skip 1 using (4.5):(ly($0)):(strcol(5)) \
         with labels right tc rgb "#222222" noenhanced
