# Reads node_log's lines and prints how many members are present: added, less those that
# disappeared since (the same member can come, go and come back).
/^JC member=/ && match($0, /tcp:\/\/([{][^}]*[}]|[^,]*):[0-9]+/) {
    k = substr($0, RSTART + 6, RLENGTH - 6)
    if (index($0, "Replication member added:")) c[k]++; else if (c[k] > 0) c[k]--
}
END { p = 0; for (k in c) if (c[k] > 0) p++; print p }
