# templates/plot/map.gp - a tile-grid map of China: one square per
# provincial unit (report/tilemap.c places them), shaded by class, with
# the name and value on each tile and the legend in the empty south-west.
#
# Run by gongji (report/plot.c) as
#   gnuplot -d -c map.gp DIR TITLE SUBTITLE SOURCE LEGENDTITLE
# DIR holds data.tsv (report/chartdata.h: province lines line1 line2 col
# row person_times amount value class) and legend.tsv (class low high
# label) and receives chart.pdf.  Texts arrive as ARGn strings or data
# fields and are drawn noenhanced; nothing of them is evaluated
# (shared/DESIGN.md §8): no macros (@), eval, backquotes or system() here.

set encoding utf8
set terminal pdfcairo noenhanced font "Noto Sans CJK SC,9" size 16cm,16cm
set output ARG1."/chart.pdf"
set datafile separator "\t"
data = ARG1."/data.tsv"
legend = ARG1."/legend.tsv"

set label 1 ARG2 at screen 0.04, screen 0.965 left noenhanced \
    font "Noto Sans CJK SC:Bold,14" tc rgb "#111111"
set label 2 ARG3 at screen 0.04, screen 0.933 left noenhanced \
    font "Noto Sans CJK SC,9" tc rgb "#555555"
set label 3 ARG4 at screen 0.04, screen 0.022 left noenhanced \
    font "Noto Sans CJK SC,8" tc rgb "#666666"
set label 4 ARG5 at -0.45, -4.75 left noenhanced \
    font "Noto Sans CJK SC:Bold,9" tc rgb "#222222"
# the tiles are the 32 reporting units: Hong Kong, Macao and Taiwan are
# outside the statistics, and the map says so
set label 5 "注：统计范围不含香港、澳门特别行政区和台湾地区" \
    at screen 0.96, screen 0.022 right noenhanced \
    font "Noto Sans CJK SC,8" tc rgb "#666666"

set lmargin at screen 0.04
set rmargin at screen 0.96
set tmargin at screen 0.9
set bmargin at screen 0.06
set size ratio -1
set xrange [-0.55:7.55]
set yrange [-7.55:0.55]
unset border
unset tics
unset key

# ColorBrewer Blues, 5 classes; white text on the two darkest
fill(c) = c == 0 ? 0xdeebf7 : c == 1 ? 0x9ecae1 : c == 2 ? 0x6baed6 \
        : c == 3 ? 0x3182bd : 0x08519c
ink(c) = c >= 3 ? 0xffffff : 0x1a1a1a
# text rows in a tile: name line(s), then the value
y1(r, lines) = -r + (lines == 2 ? 0.24 : 0.12)
y2(r) = -r + 0.02
yv(r, lines) = -r - (lines == 2 ? 0.24 : 0.18)
ly(i) = -5.2 - i * 0.42

set style fill solid 1.0 border lc rgb "#ffffff"

plot data skip 1 using 5:(-$6):(0.47):(0.47):(fill($10)) \
         with boxxyerror lc rgb variable, \
     '' skip 1 using 5:(y1($6, $2)):(strcol(3)):(ink($10)) \
         with labels center font ",9" tc rgb variable noenhanced, \
     '' skip 1 using 5:($2 == 2 ? y2($6) : NaN):(strcol(4)):(ink($10)) \
         with labels center font ",9" tc rgb variable noenhanced, \
     '' skip 1 using 5:(yv($6, $2)):(strcol(9)):(ink($10)) \
         with labels center font ",7.5" tc rgb variable noenhanced, \
     legend skip 1 using (-0.3):(ly($1)):(0.13):(0.13):(fill($1)) \
         with boxxyerror lc rgb variable, \
     '' skip 1 using (-0.08):(ly($1)):(strcol(4)) \
         with labels left font ",8.5" tc rgb "#222222" noenhanced
