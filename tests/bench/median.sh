# median.sh — sourced by run.sh and run_kernel.sh: median TAG prints the
# median of the values recorded under TAG in $out ("-" if none).
median() {
  awk -v t="$1" '$1==t && $2!="" {v[n++]=$2} END {
    if (!n) { print "-"; exit }
    for (i = 0; i < n; i++) for (j = i + 1; j < n; j++)
      if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
    print v[int((n - 1) / 2)] }' "$out"
}
# ratio A B prints the median over rounds of A/B, pairing the i-th value
# recorded under A with the i-th under B (one of each per round), "-" if
# either is missing: DESIGN.md states the targets as ratios in one run.
ratio() {
  awk -v a="$1" -v b="$2" '$1==a && $2!="" {x[na++]=$2} $1==b && $2!="" {y[nb++]=$2}
    END { n = na < nb ? na : nb; m = 0
      for (i = 0; i < n; i++) if (y[i] > 0) r[m++] = x[i] / y[i]
      if (!m) { print "-"; exit }
      for (i = 0; i < m; i++) for (j = i + 1; j < m; j++)
        if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
      printf "%.3f\n", r[int((m - 1) / 2)] }' "$out"
}
