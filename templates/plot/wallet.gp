# templates/plot/wallet.gp - the wallet channel (医保钱包) month by month:
# vertical bars stacked 省内 (bottom) / 跨省 (top), the month's total above
# each bar.
#
# Run by gongji (report/plot.c) as
#   gnuplot -d -c wallet.gp DIR TITLE SUBTITLE SOURCE AXISLABEL S1 S2
# where S1, S2 are the names of the two parts.  DIR holds data.tsv
# (report/chartfile.h: label in column 2, end1 end2 in 9-10, value in 11)
# and receives chart.pdf.  Texts arrive as ARGn strings or data fields and
# are drawn noenhanced; nothing of them is evaluated (shared/DESIGN.md §8):
# no macros (@), eval, backquotes or system() here.

set encoding utf8
set terminal pdfcairo noenhanced font "Noto Sans CJK SC,9" size 16cm,10cm
set output ARG1."/chart.pdf"
set datafile separator "\t"
data = ARG1."/data.tsv"

stats data using 11 skip 1 nooutput
n = STATS_records
vmax = STATS_max > 0 ? STATS_max : 1

set label 1 ARG2 at screen 0.04, screen 0.94 left noenhanced \
    font "Noto Sans CJK SC:Bold,14" tc rgb "#111111"
set label 2 ARG3 at screen 0.04, screen 0.882 left noenhanced \
    font "Noto Sans CJK SC,9" tc rgb "#555555"
set label 3 ARG4 at screen 0.04, screen 0.035 left noenhanced \
    font "Noto Sans CJK SC,8" tc rgb "#666666"

# more than a year of months: month labels stand upright below the axis
rot = n > 12
set lmargin at screen 0.1
set rmargin at screen 0.96
set tmargin at screen 0.78
set bmargin at screen (rot ? 0.25 : 0.16)
set border 1 + 2 lc rgb "#999999"
set xtics nomirror scale 0 tc rgb "#222222" noenhanced
if (rot) { set xtics rotate by 90 right }
set ytics nomirror out scale 0.5 tc rgb "#444444"
set grid ytics lc rgb "#e6e6e6" lw 0.6
set xrange [-0.6:n - 0.4]
set yrange [0:vmax * 1.15]
set ylabel ARG5 tc rgb "#444444" noenhanced
set style fill solid 1.0 border lc rgb "#ffffff"
set key at screen 0.04, screen 0.855 left top horizontal reverse Left \
    noenhanced samplen 1 spacing 1.1 width 2 noautotitle tc rgb "#222222"

# the colours of 省内 and 跨省 in scope.gp
c1 = "#9c755f"
c2 = "#59a14f"

plot data skip 1 using 0:(0):($0 - 0.3):($0 + 0.3):(0):9:xticlabels(2) \
         with boxxyerror lc rgb c1 title ARG6, \
     '' skip 1 using 0:(0):($0 - 0.3):($0 + 0.3):9:10 \
         with boxxyerror lc rgb c2 title ARG7, \
     '' skip 1 using 0:11:(($3 == 0 && $4 == 0) ? "" : strcol(11)) \
         with labels center offset 0,0.6 font ",8" tc rgb "#222222" \
         noenhanced notitle
