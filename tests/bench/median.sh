# median.sh — sourced by run.sh and run_kernel.sh: median TAG prints the
# median of the values recorded under TAG in $out ("-" if none).
median() {
  awk -v t="$1" '$1==t && $2!="" {v[n++]=$2} END {
    if (!n) { print "-"; exit }
    for (i = 0; i < n; i++) for (j = i + 1; j < n; j++)
      if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
    print v[int((n - 1) / 2)] }' "$out"
}
