// The workload offered for misc devices: it writes, reads back, appends and overflows /dev/NAME
// (what the misc-device templates promise), then times open/close, small and full-size writes and
// reads with rfl-bench. `$RFL_DEV` is the module's /dev node in each turn.
export const MISC_DEVICE_WORKLOAD = `#!/bin/sh
# rfl compare workload for a misc device: behaviour first, then timings.
# Runs in the guest with $RFL_MODULE (the module loaded now) and $RFL_DEV (/dev/$RFL_MODULE) set.
dev=\${RFL_DEV:?}
[ -c "$dev" ] || { echo "$dev is not a character device"; exit 1; }
echo hello > "$dev"; echo "write: exit status $?"
echo "read back: [$(tr '\\n' '|' < "$dev")]"
echo again >> "$dev"; echo "append: exit status $?"
echo "after append: [$(tr '\\n' '|' < "$dev")]"
# One write of 5000 bytes: more than the 4 KiB the device holds.
dd if=/dev/zero of="$dev" bs=5000 count=1 2>&1 | grep -v records; echo "5000-byte write: done"
echo "after overflow: [$(tr '\\n' '|' < "$dev")]"
dd if=/dev/zero of="$dev" bs=4096 count=1 2>/dev/null; echo "4096-byte write: exit status $?"
echo "size now: $(wc -c < "$dev")"
# Timings: 3 lines per turn (more samples per round); each line runs batches of -n operations
# for at least 100 ticks of the guest's clock (400 ms on a jiffies clock), see guest/rfl-bench.c.
rfl-bench -n 200 -r 3 open "$dev"
rfl-bench -n 200 -r 3 write "$dev" 64
rfl-bench -n 200 -r 3 read "$dev" 64
rfl-bench -n 50 -r 3 write "$dev" 4096
exit 0
`;

export const DEFAULT_WORKLOADS: Readonly<Record<string, string>> = { 'misc-device': MISC_DEVICE_WORKLOAD };
