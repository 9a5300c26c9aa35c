# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034  # (sets variables for its callers)
# Sourced by what runs the L2 guest in the lab VM (tests/l2guest/*_test.sh,
# tests/libvirt/guest_test.sh, scripts/guest/run): watching the guest's serial
# console as it runs, and reading its report once it is over.  The report is
# what tests/l2guest/init.c prints: TAP ("ok N ...", "not ok N ...", "# ..."
# diagnostics, the plan "1..N" last), closed by a line "L2-DONE".
#
#   l2_watch_start CONSOLE   the clock starts; CONSOLE is read as it grows
#   l2_watch ALIVE SAMPLE TIMEOUT_S
#                            until the command ALIVE fails (the guest is gone),
#                            TIMEOUT_S passes, or L2_DONE_GRACE_S (60) after
#                            L2-DONE; SAMPLE runs every half second.  Sets
#                            L2_T_KERNEL, L2_T_INIT, L2_T_DONE (ms after the
#                            start, empty when not seen) and L2_RAN_MS.
#   l2_read CONSOLE          L2_REPORT: the console's lines, without CRs;
#                            L2_DONE: 1 when "L2-DONE" is among them
#   l2_results EMIT          EMIT STATUS "L2: description" for each of the
#                            guest's results (STATUS 0 = ok), and one failed
#                            result when they do not match its plan
#   l2_diags                 the guest's diagnostics, as "# L2: ..."
#   l2_splats                how many console lines look like a kernel splat
#   l2_lines PATTERN...      the guest's lines that match one of the globs
#   l2_secs MS               "12.3" (seconds)
#   l2_replay FILE EMIT      EMIT STATUS DESCRIPTION for each "ok ..." and
#                            "not ok ..." line of FILE (what a test's own
#                            work printed), the other lines as they are
#   siov_faults              the IOMMU's fault count (siov_iommu debugfs)

L2_SPLAT='Kernel panic|BUG: |WARNING: |UBSAN: |general protection fault|Oops: |kernel BUG at|Call Trace:'

# Sleep without an exec: a fork+exec costs far more than a read timeout on a
# FIFO that nobody writes, and the loop runs while the guest competes for the
# CPU.
l2_nap() {
	if [ -z "${L2_TICK:-}" ]; then
		local f
		f=$(mktemp -u /tmp/l2tick.XXXXXX)
		mkfifo "$f" && exec {L2_TICK}<>"$f" && rm -f "$f"
	fi
	read -r -t "$1" -u "$L2_TICK" _
}

l2_elapsed_ms() { echo $(((${EPOCHREALTIME/./} - L2_START) / 1000)); }
l2_secs() { printf '%d.%01d' $(($1 / 1000)) $(($1 % 1000 / 100)); }

l2_watch_start() {
	: > "$1"
	exec {L2_CON}<"$1"
	L2_START=${EPOCHREALTIME/./}
	L2_PARTIAL='' L2_T_KERNEL='' L2_T_INIT='' L2_T_DONE='' L2_RAN_MS=''
}

# What came on the console since the last call.  The guest's own clock is
# jiffies (no ACPI, so no HPET or PM timer to calibrate the TSC against) and
# falls behind at this speed, so the times are the lab VM's.
l2_scan() {
	local line
	while IFS= read -r -u "$L2_CON" line || { L2_PARTIAL+=$line; false; }; do
		line=$L2_PARTIAL$line L2_PARTIAL=''
		case "${line%$'\r'}" in
		*"] Linux version "*) L2_T_KERNEL=${L2_T_KERNEL:-$(l2_elapsed_ms)} ;;
		"TAP version "*) L2_T_INIT=${L2_T_INIT:-$(l2_elapsed_ms)} ;;
		L2-DONE) L2_T_DONE=${L2_T_DONE:-$(l2_elapsed_ms)} ;;
		esac
	done
}

l2_watch() {
	local alive=$1 sample=$2 limit=$(($3 * 1000)) grace=$((${L2_DONE_GRACE_S:-60} * 1000))
	while $alive && [ "$(l2_elapsed_ms)" -lt $limit ]; do
		$sample
		l2_scan
		[ -n "$L2_T_DONE" ] && [ "$(l2_elapsed_ms)" -gt $((L2_T_DONE + grace)) ] && break
		l2_nap 0.5
	done
	l2_scan
	L2_RAN_MS=$(l2_elapsed_ms)
	exec {L2_CON}<&-
}

l2_read() {
	local l
	L2_REPORT=() L2_DONE=0
	[ -r "$1" ] && mapfile -t L2_REPORT < "$1"
	L2_REPORT=("${L2_REPORT[@]%$'\r'}")
	for l in "${L2_REPORT[@]}"; do
		[ "$l" = L2-DONE ] && L2_DONE=1
	done
}

l2_results() {
	# (names of its own: EMIT is the caller's, and may count in "n")
	local l2_emit=$1 l2_l l2_n=0 l2_plan=''
	for l2_l in "${L2_REPORT[@]}"; do
		case "$l2_l" in
		"ok "[0-9]*) l2_n=$((l2_n + 1)); $l2_emit 0 "L2: ${l2_l#ok [0-9]* }" ;;
		"not ok "[0-9]*) l2_n=$((l2_n + 1)); $l2_emit 1 "L2: ${l2_l#not ok [0-9]* }" ;;
		1..[0-9]*) l2_plan=${l2_l#1..} ;;
		L2-DONE) break ;;
		esac
	done
	if [ $l2_n -eq 0 ]; then
		$l2_emit 1 "L2: the guest's results # it reported none"
	elif [ "$l2_plan" != $l2_n ]; then
		$l2_emit 1 "L2: the guest's plan # ${l2_plan:-no plan}, $l2_n results"
	fi
}

# A kernel splat of the guest is not repeated: this output reaches the lab
# VM's console, where it would read as a splat of the lab kernel.
l2_show() {
	if [[ $1 =~ $L2_SPLAT ]]; then
		echo "# L2: (a kernel splat, on the guest's console)"
	else
		echo "# L2: $1"
	fi
}

l2_diags() {
	local l
	for l in "${L2_REPORT[@]}"; do
		case "$l" in "# "*) l2_show "${l#"# "}" ;; esac
	done
}

# The last N lines of the console, as diagnostics (when the guest died).
l2_tail() {
	local l first=$((${#L2_REPORT[@]} > $1 ? ${#L2_REPORT[@]} - $1 : 0))
	for l in "${L2_REPORT[@]:first}"; do l2_show "$l"; done
}

l2_splats() {
	local l n=0
	for l in "${L2_REPORT[@]}"; do
		[[ $l =~ $L2_SPLAT ]] && n=$((n + 1))
	done
	echo $n
}

l2_lines() {
	local l p
	for l in "${L2_REPORT[@]}"; do
		for p in "$@"; do
			# shellcheck disable=SC2053  # (a glob, on purpose)
			[[ $l == $p ]] && { printf '%s\n' "$l"; break; }
		done
	done
}

siov_faults() {
	local key val
	while read -r key val; do
		[ "$key" = faults: ] && { echo "$val"; return; }
	done 2>/dev/null < /sys/kernel/debug/siov_iommu/faults
	echo unknown
}

# l2_domain_xml OUT SERIAL EXTRA UUID...: libvirt-xml/domain-mdma-guest.xml
# for this lab: the repository's path, the guest's serial console in the file
# SERIAL, EXTRA added to the kernel command line (e.g. L2_CHANNELS=2; see
# init.c), and its <hostdev> once for each mdev UUID.
l2_domain_xml() {
	local out=$1 serial=$2 extra=$3
	shift 3
	awk -v lab="$LAB_DIR" -v serial="$serial" -v extra="$extra" -v uuids="$*" '
	/^ *<(kernel|initrd)>/ { gsub("/path/to/lab", lab) }
	/^ *<cmdline>/ && extra != "" { sub("</cmdline>", " " extra "</cmdline>") }
	/^ *<serial / { ser = 1 }
	ser && /<source path=/ { sub("path=\047[^\047]*\047", "path=\047" serial "\047"); ser = 0 }
	/^ *<hostdev / { inh = 1; blk = "" }
	inh {
		blk = blk $0 "\n"
		if (/<\/hostdev>/) {
			inh = 0
			n = split(uuids, u, " ")
			for (i = 1; i <= n; i++) {
				b = blk
				sub("uuid=\047[^\047]*\047", "uuid=\047" u[i] "\047", b)
				printf "%s", b
			}
		}
		next
	}
	{ print }' "$LAB_DIR/libvirt-xml/domain-mdma-guest.xml" > "$out"
}

l2_replay() {
	local line
	while IFS= read -r line; do
		case "$line" in
		"ok "*) "$2" 0 "${line#ok }" ;;
		"not ok "*) "$2" 1 "${line#not ok }" ;;
		*) echo "$line" ;;
		esac
	done < "$1"
}
