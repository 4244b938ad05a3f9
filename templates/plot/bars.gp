# templates/plot/bars.gp - provinces ranked by one measure, horizontal bars.
#
# Run by gongji (report/plot.c) as
#   gnuplot -d -c bars.gp DIR TITLE SUBTITLE SOURCE AXISLABEL
# DIR holds data.tsv (report/chartdata.h: province label person_times
# amount value, ascending) and receives chart.pdf.  Every text arrives as
# an ARGn string or a data-file field and is drawn noenhanced: nothing of
# it is ever evaluated (shared/DESIGN.md §8).  Keep it that way: no macros
# (@), no eval, no backquotes, no system(), no file names made from text.

set encoding utf8
set terminal pdfcairo noenhanced font "Noto Sans CJK SC,9" size 16cm,18cm
set output ARG1."/chart.pdf"
set datafile separator "\t"
data = ARG1."/data.tsv"

stats data using 5 skip 1 nooutput
n = STATS_records
vmax = STATS_max > 0 ? STATS_max : 1

set label 1 ARG2 at screen 0.04, screen 0.965 left noenhanced \
    font "Noto Sans CJK SC:Bold,14" tc rgb "#111111"
set label 2 ARG3 at screen 0.04, screen 0.932 left noenhanced \
    font "Noto Sans CJK SC,9" tc rgb "#555555"
set label 3 ARG4 at screen 0.04, screen 0.022 left noenhanced \
    font "Noto Sans CJK SC,8" tc rgb "#666666"
set tmargin at screen 0.905
set bmargin at screen 0.095
set rmargin at screen 0.965

set border 1 lc rgb "#999999"
set xtics nomirror out scale 0.5 tc rgb "#444444"
set ytics nomirror scale 0 tc rgb "#222222" noenhanced
set grid xtics lc rgb "#e3e3e3" lw 0.6
set xrange [0:vmax * 1.16]
set yrange [-0.7:n - 0.3]
set xlabel ARG5 tc rgb "#444444" noenhanced offset 0,0.3
set style fill solid 1.0 noborder
unset key

plot data skip 1 using (0):0:(0):5:($0 - 0.36):($0 + 0.36):yticlabels(2) \
         with boxxyerror lc rgb "#3c6fa8", \
     '' skip 1 using 5:0:(strcol(5)) with labels left offset 0.4,0 \
         font ",8" tc rgb "#222222" noenhanced
