# /etc/hosts with the host's name on its real address (awk -v real=ADDR -v name=NAME -v short=SHORT):
# a 127.0.1.1 line for it is replaced by one for the real address (or merged into the real
# address's line), and its name is taken off other loopback lines; all else is kept.
function mine(w) { return w == name || w == short }
function parse(l,    c, body, parts, n, j) {
    c = index(l, "#"); body = c ? substr(l, 1, c - 1) : l; note = c ? " " substr(l, c) : ""
    n = split(body, parts, /[ \t]+/); ip = ""; m = 0
    for (j = 1; j <= n; j++) {
        if (parts[j] == "") continue
        if (ip == "") ip = parts[j]; else words[++m] = parts[j]
    }
}
{ lines[NR] = $0 }
END {
    moved = ""; at = 0; realAt = 0
    for (i = 1; i <= NR; i++) {
        out[i] = lines[i]; parse(lines[i])
        if (ip == "") continue
        if (ip == real) { realAt = i; continue }
        if (ip !~ /^127\./ && ip != "::1") continue
        hit = 0
        for (j = 1; j <= m; j++) if (mine(words[j])) hit = 1
        if (!hit) continue
        if (ip == "127.0.1.1") {
            for (j = 1; j <= m; j++) moved = moved " " words[j]
            out[i] = ""; drop[i] = 1; if (!at) at = i
            continue
        }
        rest = ""
        for (j = 1; j <= m; j++) if (!mine(words[j])) rest = rest " " words[j]
        out[i] = rest == "" ? "#" lines[i] : ip rest note
    }
    want = moved
    if (index(" " want " ", " " name " ") == 0) want = want " " name
    if (short != name && index(" " want " ", " " short " ") == 0) want = want " " short
    if (realAt) {
        parse(lines[realAt]); have = ""
        for (j = 1; j <= m; j++) have = have " " words[j]
        k = split(want, add, " ")
        for (j = 1; j <= k; j++) if (add[j] != "" && index(have " ", " " add[j] " ") == 0) have = have " " add[j]
        out[realAt] = ip have note
    }
    for (i = 1; i <= NR; i++) {
        if (drop[i]) { if (i == at && !realAt) print real want; continue }
        print out[i]
    }
    if (!realAt && !at) print real want
}
