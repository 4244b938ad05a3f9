# templates/plot/scope.gp - provinces, stacked horizontal bars by scope
# (同一统筹区 / 省内跨统筹区 / 省内 unsplit / 跨省), total at the end of each
# bar.  An empty scope name (S3: no unsplit 省内 data) has no key entry.
#
# Run by gongji (report/plot.c) as
#   gnuplot -d -c scope.gp DIR TITLE SUBTITLE SOURCE AXISLABEL S1 S2 S3 S4
# DIR holds data.tsv (report/chartdata.h; end1..end4 in columns 13-16,
# value in 17) and receives chart.pdf.  Texts arrive as ARGn strings or
# data fields and are drawn noenhanced; nothing of them is evaluated
# (shared/DESIGN.md §8): no macros (@), eval, backquotes or system() here.

set encoding utf8
set terminal pdfcairo noenhanced font "Noto Sans CJK SC,9" size 16cm,18cm
set output ARG1."/chart.pdf"
set datafile separator "\t"
data = ARG1."/data.tsv"

stats data using 16 skip 1 nooutput
n = STATS_records
vmax = STATS_max > 0 ? STATS_max : 1

set label 1 ARG2 at screen 0.04, screen 0.965 left noenhanced \
    font "Noto Sans CJK SC:Bold,14" tc rgb "#111111"
set label 2 ARG3 at screen 0.04, screen 0.932 left noenhanced \
    font "Noto Sans CJK SC,9" tc rgb "#555555"
set label 3 ARG4 at screen 0.04, screen 0.022 left noenhanced \
    font "Noto Sans CJK SC,8" tc rgb "#666666"
set tmargin at screen 0.875
set bmargin at screen 0.095
set rmargin at screen 0.965

set key at screen 0.04, screen 0.915 left top horizontal reverse Left noenhanced \
    samplen 1 spacing 1.1 width 2 noautotitle tc rgb "#222222"
set border 1 lc rgb "#999999"
set xtics nomirror out scale 0.5 tc rgb "#444444"
set ytics nomirror scale 0 tc rgb "#222222" noenhanced
set grid xtics lc rgb "#e3e3e3" lw 0.6
set xrange [0:vmax * 1.16]
set yrange [-0.7:n - 0.3]
set xlabel ARG5 tc rgb "#444444" noenhanced offset 0,0.3
set style fill solid 1.0 border lc rgb "#ffffff"

c1 = "#3c6fa8"
c2 = "#f28e2b"
c3 = "#9c755f"
c4 = "#59a14f"

plot data skip 1 using (0):0:(0):13:($0 - 0.36):($0 + 0.36):yticlabels(2) \
         with boxxyerror lc rgb c1 title ARG6, \
     '' skip 1 using (0):0:13:14:($0 - 0.36):($0 + 0.36) \
         with boxxyerror lc rgb c2 title ARG7, \
     '' skip 1 using (0):0:14:15:($0 - 0.36):($0 + 0.36) \
         with boxxyerror lc rgb c3 title ARG8, \
     '' skip 1 using (0):0:15:16:($0 - 0.36):($0 + 0.36) \
         with boxxyerror lc rgb c4 title ARG9, \
     '' skip 1 using 16:0:(strcol(17)) with labels left offset 0.4,0 \
         font ",8" tc rgb "#222222" noenhanced notitle
