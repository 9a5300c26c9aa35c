# SPDX-License-Identifier: GPL-2.0
# Sourced by the guest scripts: load the modules that make up the lab, in the
# order scripts/guest/modules gives.  Prints one line per module that fails.
# Our .ko files are taken from $LAB_KO_DIR (the module tree built for the
# running kernel; the repository unless vm.sh was told otherwise).
lab_load_modules() {
	local m rc=0
	while read -r m; do
		case "$m" in ''|'#'*) continue ;; esac
		case "$m" in
		*.ko) insmod "${LAB_KO_DIR:-.}/$m" ;;
		*) modprobe "$m" ;;
		esac || { echo "could not load $m"; rc=1; }
	done < "$LAB_DIR/scripts/guest/modules"
	return $rc
}
