# SPDX-License-Identifier: GPL-2.0
# Sourced by the guest scripts: load the modules that make up the lab, in the
# order scripts/guest/modules gives.  Prints one line per module that fails.
# Our .ko files are taken from $LAB_KO_DIR (the module tree built for the
# running kernel; the repository unless vm.sh was told otherwise).
lab_modules() {
	grep -v '^\s*\(#\|$\)' "$LAB_DIR/scripts/guest/modules"
}

lab_module_loaded() {
	local name
	name=$(basename "$1" .ko)
	[ -d "/sys/module/$name" ]
}

lab_load_module() {
	case "$1" in
	*.ko) insmod "${LAB_KO_DIR:-.}/$1" ;;
	*) modprobe "$1" ;;
	esac || { echo "could not load $1"; return 1; }
}

lab_load_modules() {
	local m rc=0
	for m in $(lab_modules); do
		lab_load_module "$m" || rc=1
	done
	return $rc
}

# The lab's modules that are not loaded now, one per line.
lab_missing_modules() {
	local m
	for m in $(lab_modules); do
		lab_module_loaded "$m" || echo "$m"
	done
}

lab_load_missing_modules() {
	local m rc=0
	for m in $(lab_modules); do
		lab_module_loaded "$m" || lab_load_module "$m" || rc=1
	done
	return $rc
}
