// Whole-module templates in C: the classic originals people rewrite in Rust, so a rewrite can be
// compared with its C twin (`rfl compare`). Plain C text, not snippet syntax: they are never
// offered as Rust completions, only by `rfl new` and "New Module".
import type { TemplateContext } from './moduleParts';

export interface CModuleTemplate {
  id: string;
  title: string;
  description: string;
  /** The Rust template with the same behaviour, if any. */
  twinOf?: string;
  /** The C source, NAME.c. */
  source(ctx: TemplateContext): string;
}

/**
 * The C twin of the Rust `misc-device` template (moduleTemplates.ts): one buffer for every open,
 * a write at offset 0 of a file not opened for appending replaces it, `>>` appends, a write that
 * would make it longer than 4 KiB fails with ENOSPC and keeps the old contents. The same log lines,
 * and the same file operations (no llseek, like the Rust vtable), so both behave alike to the byte.
 */
/** Text inside a C string literal. */
function cString(text: string): string {
  return text.replace(/[\\"]/g, '\\$&');
}

export function cMiscDeviceSource(ctx: TemplateContext): string {
  const name = ctx.moduleName;
  return `// SPDX-License-Identifier: GPL-2.0
/*
 * ${ctx.description}
 *
 * /dev/${name} backed by one kernel buffer that user space writes and reads back: the classic C
 * character device (struct miscdevice, file_operations, a mutex, copy_{to,from}_user).
 */
/* Every pr_*() line starts with the module name, like Rust's pr_info!. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

/* The most the buffer holds; a longer write fails with ENOSPC and keeps the old contents. */
#define MAX_LEN 4096

/*
 * One buffer for every open: \`echo hi > /dev/${name}\` and \`cat /dev/${name}\` are two opens.
 * buffer_lock guards both buffer and buffer_len; nothing touches them without it.
 */
static DEFINE_MUTEX(buffer_lock);
static char *buffer;
static size_t buffer_len;

static ssize_t ${name}_read(struct file *file, char __user *to, size_t count, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&buffer_lock);
	if (*ppos < 0) {
		ret = -EINVAL;
		goto out;
	}
	if (*ppos >= buffer_len) {
		ret = 0;
		goto out;
	}
	count = min_t(size_t, count, buffer_len - *ppos);
	if (copy_to_user(to, buffer + *ppos, count)) {
		ret = -EFAULT;
		goto out;
	}
	*ppos += count;
	ret = count;
out:
	/* Every path leaves through here: the lock is always released. */
	mutex_unlock(&buffer_lock);
	return ret;
}

static ssize_t ${name}_write(struct file *file, const char __user *from, size_t count, loff_t *ppos)
{
	/* A write at the start of a file not opened for appending replaces the contents. */
	bool replace = *ppos == 0 && !(file->f_flags & O_APPEND);
	size_t kept;
	ssize_t ret;

	mutex_lock(&buffer_lock);
	kept = replace ? 0 : buffer_len;
	/* Checked before anything is copied, so a refused write keeps the old contents. */
	if (count > MAX_LEN - kept) {
		ret = -ENOSPC;
		goto out;
	}
	if (copy_from_user(buffer + kept, from, count)) {
		ret = -EFAULT;
		goto out;
	}
	buffer_len = kept + count;
	*ppos += count;
	ret = count;
out:
	mutex_unlock(&buffer_lock);
	return ret;
}

/* No .llseek, like the Rust misc device's vtable: lseek fails with ESPIPE on both. */
static const struct file_operations ${name}_fops = {
	.owner = THIS_MODULE,
	.read = ${name}_read,
	.write = ${name}_write,
};

static struct miscdevice ${name}_device = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "${name}",
	.fops = &${name}_fops,
};

static int __init ${name}_init(void)
{
	int ret;

	buffer = kmalloc(MAX_LEN, GFP_KERNEL);
	if (!buffer)
		return -ENOMEM;
	pr_info("registering /dev/%s\\n", ${name}_device.name);
	ret = misc_register(&${name}_device);
	if (ret) {
		/* Undo what init did so far: a failed init must leave nothing behind. */
		kfree(buffer);
		return ret;
	}
	return 0;
}

static void __exit ${name}_exit(void)
{
	misc_deregister(&${name}_device);
	/* No open file is left once the device is gone, so the lock is not contended here. */
	mutex_lock(&buffer_lock);
	pr_info("exit: the buffer held %zu bytes\\n", buffer_len);
	mutex_unlock(&buffer_lock);
	kfree(buffer);
}

module_init(${name}_init);
module_exit(${name}_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("${cString(ctx.author)}");
MODULE_DESCRIPTION("${cString(ctx.description)}");
`;
}

export const C_MODULE_TEMPLATES: readonly CModuleTemplate[] = [
  {
    id: 'c-misc-device',
    title: 'Misc character device in C',
    description: 'the C twin of misc-device: struct miscdevice, file_operations, a mutex-guarded buffer, copy_{to,from}_user',
    twinOf: 'misc-device',
    source: cMiscDeviceSource,
  },
];

export function findCTemplate(id: string): CModuleTemplate | undefined {
  return C_MODULE_TEMPLATES.find((template) => template.id === id);
}
