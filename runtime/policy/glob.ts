/**
 * A glob as a RegExp: `*` matches any run of characters, or, when `separator` is given, any run
 * within one segment, with `**` crossing segments. Everything else matches itself.
 */
export function globToRegExp(glob: string, separator?: string): RegExp {
  const one = separator ? `[^${separator}]*` : ".*";
  const source = glob
    .split("**")
    .map((part) => part.split("*").map((text) => text.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(one))
    .join(".*");
  return new RegExp(`^${source}$`);
}
