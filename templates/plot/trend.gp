# templates/plot/trend.gp - monthly flows as bars (left axis) and the
# cumulative series as a line (right axis): person-times in the upper
# panel, amount in the lower one.
#
# Run by gongji (report/plot.c) as
#   gnuplot -d -c trend.gp DIR TITLE SUBTITLE SOURCE PT PTCUM AM AMCUM
# where PT.. are the four series names with their units.  DIR holds
# data.tsv (report/chartdata.h: label in column 2, display values in 7-10,
# cumulative texts in 11-12) and receives chart.pdf.  Texts arrive as ARGn
# strings or data fields and are drawn noenhanced; nothing of them is
# evaluated (shared/DESIGN.md §8): no macros (@), eval, backquotes or
# system() here.

set encoding utf8
set terminal pdfcairo noenhanced font "Noto Sans CJK SC,9" size 16cm,14cm
set output ARG1."/chart.pdf"
set datafile separator "\t"
data = ARG1."/data.tsv"

stats data using 7 skip 1 nooutput
n = STATS_records
pmax = STATS_max > 0 ? STATS_max : 1
stats data using 8 skip 1 nooutput
pcmax = STATS_max > 0 ? STATS_max : 1
stats data using 9 skip 1 nooutput
amax = STATS_max > 0 ? STATS_max : 1
stats data using 10 skip 1 nooutput
acmax = STATS_max > 0 ? STATS_max : 1

set multiplot
set label 1 ARG2 at screen 0.04, screen 0.962 left noenhanced \
    font "Noto Sans CJK SC:Bold,14" tc rgb "#111111"
set label 2 ARG3 at screen 0.04, screen 0.925 left noenhanced \
    font "Noto Sans CJK SC,9" tc rgb "#555555"
set label 3 ARG4 at screen 0.04, screen 0.022 left noenhanced \
    font "Noto Sans CJK SC,8" tc rgb "#666666"

set lmargin at screen 0.1
set rmargin at screen 0.9
set border 1 + 2 + 8 lc rgb "#999999"
set xtics nomirror scale 0 tc rgb "#222222" noenhanced
# more than a year of months: month labels stand upright below the axis,
# and the panels make room for them
rot = n > 12
if (rot) { set xtics rotate by 90 right }
set ytics nomirror out scale 0.5 tc rgb "#444444"
set y2tics nomirror out scale 0.5 tc rgb "#444444"
set grid ytics lc rgb "#e6e6e6" lw 0.6
set xrange [-0.6:n - 0.4]
set style fill solid 1.0 noborder
set boxwidth 0.6
set key at screen 0.1, screen 0.895 left top horizontal reverse Left \
    noenhanced samplen 1.5 width 2 tc rgb "#222222"

# upper panel: person-times
set tmargin at screen 0.85
set bmargin at screen (rot ? 0.61 : 0.55)
set yrange [0:pmax * 1.12]
set y2range [0:pcmax * 1.12]
plot data skip 1 using 0:7:xticlabels(2) axes x1y1 with boxes \
         lc rgb "#8fb0d6" title ARG5, \
     '' skip 1 using 0:8 axes x1y2 with linespoints lw 2 pt 7 ps 0.5 \
         lc rgb "#1f4e86" title ARG6, \
     '' skip 1 using 0:8:($0 == n - 1 ? strcol(11) : "") axes x1y2 \
         with labels right offset -0.8,0.9 font ",8" tc rgb "#1f4e86" \
         noenhanced notitle

# lower panel: amount
unset label 1
unset label 2
unset label 3
set key at screen 0.1, screen (rot ? 0.468 : 0.475)
set tmargin at screen (rot ? 0.425 : 0.43)
set bmargin at screen (rot ? 0.19 : 0.13)
set yrange [0:amax * 1.12]
set y2range [0:acmax * 1.12]
plot data skip 1 using 0:9:xticlabels(2) axes x1y1 with boxes \
         lc rgb "#f5b77a" title ARG7, \
     '' skip 1 using 0:10 axes x1y2 with linespoints lw 2 pt 7 ps 0.5 \
         lc rgb "#b3541e" title ARG8, \
     '' skip 1 using 0:10:($0 == n - 1 ? strcol(12) : "") axes x1y2 \
         with labels right offset -0.8,0.9 font ",8" tc rgb "#b3541e" \
         noenhanced notitle
unset multiplot
