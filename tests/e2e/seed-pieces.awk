# Print the pieces of a seed text that every rendering must give back:
# blocks (blank-line separated) joined across their wrapped lines, split
# into cells (runs of spaces or tabs) and sentences (after 。), with white
# space removed. Conversion noise (`---`, pipes, arrows of the form) is not
# content. Usage: awk -f seed-pieces.awk SEED.txt
function flush(   n, i, cells, s, k, parts) {
    if (block == "") return
    n = split(block, cells, /[ \t]+/)
    for (i = 1; i <= n; i++) {
        s = cells[i]
        gsub(/　|→|↓|↑|\|/, "", s)
        if (s ~ /^-*$/) continue
        # one piece per sentence: cut after every 。
        while ((k = index(s, "。")) > 0) {
            print substr(s, 1, k + 2)
            s = substr(s, k + 3)
        }
        if (s != "") print s
    }
    block = ""
}
/^[ \t]*$/ { flush(); next }
/^[-| \t]+$/ { next }
{
    line = $0
    sub(/[ \t]*→[ \t]*$/, "", line)
    block = block line
}
END { flush() }
