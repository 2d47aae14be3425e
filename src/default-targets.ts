/** What check() does when no target is named: the same default as the CLI's --target. */
export const DEFAULT_TARGETS: readonly string[] = ['ascend-910c'];
